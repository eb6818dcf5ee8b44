"""Staff pages: inbox, item, label corrections, actions, routing, imports, insights."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from eyelevel.accounts import services as accounts
from eyelevel.core.errors import DomainError, InvalidInput
from eyelevel.core.permissions import (
    FEEDBACK_ASSIGN,
    FEEDBACK_HANDLE,
    FEEDBACK_ROUTING,
    FEEDBACK_VIEW,
    INSIGHTS_VIEW,
)
from eyelevel.core.web import render_page, staff_required, start_upload
from eyelevel.customers import services as customers
from eyelevel.feedback import services
from eyelevel.feedback.models import Channel, Sentiment, Status, Urgency
from eyelevel.feedback.schemas import ActionIn, AspectOut, FeedbackFilter, NoteCheckOut, RoutingRuleIn
from eyelevel.feedback.services import importing, insights


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


def _choices() -> dict:
    return {"statuses": Status.choices, "sentiments": Sentiment.choices, "urgencies": Urgency.choices,
            "channels": Channel.choices}


@staff_required(FEEDBACK_VIEW)
def inbox(request: HttpRequest) -> HttpResponse:
    filters = FeedbackFilter(
        status=request.GET.get("status", ""), sentiment=request.GET.get("sentiment", ""),
        urgency=request.GET.get("urgency", ""), aspect=request.GET.get("aspect", ""),
        channel=request.GET.get("channel", ""), language=request.GET.get("language", ""),
        owner_id=_int(request.GET.get("owner")), query=request.GET.get("q", "")[:200],
        escalated_to_id=request.staff.user_id if request.GET.get("escalated") == "me" else None,
        page=_int(request.GET.get("page")) or 1)
    page = services.search_feedback(organisation=request.organisation, filters=filters)
    query = request.GET.copy()
    query.pop("page", None)
    return render_page(request, "feedback/inbox.html", {
        "page": page, "filters": filters, "aspects": services.list_aspect_labels(organisation=request.organisation),
        "members": accounts.list_members(organisation=request.organisation), "query": query.urlencode(),
        **_choices()}, partial="feedback/_inbox_rows.html")


@staff_required(FEEDBACK_VIEW)
def item_detail(request: HttpRequest, feedback_item_id: int, note_check: NoteCheckOut | None = None,
                draft: str = "") -> HttpResponse:
    item = services.get_feedback_item(organisation=request.organisation, feedback_item_id=feedback_item_id)
    if item.customer_id and request.method == "GET":
        # A customer's own words are personal data: opening them is logged for the customer to see (rule 2).
        customers.record_access(
            organisation=request.organisation, customer_id=item.customer_id, what="a feedback item",
            reader=customers.staff_reader(user_id=request.staff.user_id, username=request.staff.username,
                                          reason=customers.STAFF_REASONS[1]),
        )
    return render_page(request, "feedback/item.html", {
        "item": item, "aspect_labels": services.list_aspect_labels(organisation=request.organisation),
        "item_aspects": {a.label: a.polarity for a in item.aspects},
        "actions": services.list_actions(organisation=request.organisation, feedback_item_id=item.id),
        "notes": services.list_notes(organisation=request.organisation, feedback_item_id=item.id),
        "members": accounts.list_members(organisation=request.organisation),
        "note_check": note_check, "draft": draft, "suggest_query": item.text, **_choices()},
        partial="feedback/_labels.html" if request.POST.get("partial") == "labels" else None)


@require_POST
@staff_required(FEEDBACK_HANDLE)
def correct_label(request: HttpRequest, feedback_item_id: int) -> HttpResponse:
    sentiment = request.POST.get("sentiment") or None
    aspects = None
    if "aspects_form" in request.POST:
        aspects = [AspectOut(label=label, polarity=request.POST.get(f"polarity:{label}", "neutral"))
                   for label in request.POST.getlist("aspect")]
        new_label = request.POST.get("new_aspect", "").strip()
        if new_label:
            services.define_aspect(organisation=request.organisation, label=new_label)
            aspects.append(AspectOut(label=new_label, polarity=request.POST.get("new_polarity", "neutral")))
    services.correct_label(organisation=request.organisation, feedback_item_id=feedback_item_id,
                           user_id=request.staff.user_id, sentiment=sentiment, aspects=aspects)
    if request.htmx:
        request.POST = request.POST.copy()
        request.POST["partial"] = "labels"
        return item_detail(request, feedback_item_id)
    messages.success(request, _("Label corrected; the correction is kept for training."))
    return redirect("feedback:item", feedback_item_id)


@require_POST
@staff_required(FEEDBACK_HANDLE)
def acknowledge(request: HttpRequest, feedback_item_id: int) -> HttpResponse:
    services.acknowledge_item(organisation=request.organisation, feedback_item_id=feedback_item_id,
                              user_id=request.staff.user_id, user_name=request.staff.username)
    messages.success(request, _("You have taken this item on; the customer was told."))
    return redirect("feedback:item", feedback_item_id)


@require_POST
@staff_required(FEEDBACK_ASSIGN)
def assign(request: HttpRequest, feedback_item_id: int) -> HttpResponse:
    services.assign_item(organisation=request.organisation, feedback_item_id=feedback_item_id,
                         owner_id=_int(request.POST.get("owner")), team=request.POST.get("team", ""))
    messages.success(request, _("Owner changed."))
    return redirect("feedback:item", feedback_item_id)


def _add_note(request: HttpRequest, **target: int) -> NoteCheckOut | None:
    result = services.add_note(organisation=request.organisation, user_id=request.staff.user_id,
                               team=request.staff.team, text=request.POST.get("text", ""),
                               confirm=request.POST.get("confirm") == "1", **target)
    return result if isinstance(result, NoteCheckOut) else None


@require_POST
@staff_required(FEEDBACK_HANDLE)
def add_item_note(request: HttpRequest, feedback_item_id: int) -> HttpResponse:
    check = _add_note(request, feedback_item_id=feedback_item_id)
    if check is not None:
        return item_detail(request, feedback_item_id, note_check=check, draft=request.POST.get("text", ""))
    messages.success(request, _("Note saved."))
    return redirect("feedback:item", feedback_item_id)


@staff_required(FEEDBACK_VIEW)
def action_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    return render_page(request, "feedback/actions.html", {
        "actions": services.list_actions(organisation=request.organisation, status=status), "status": status})


@require_POST
@staff_required(FEEDBACK_HANDLE)
def action_create(request: HttpRequest) -> HttpResponse:
    ids = [i for i in (_int(v) for v in request.POST.getlist("items")) if i is not None]
    if not ids:
        messages.error(request, _("Choose at least one item."))
        return redirect("feedback:inbox")
    try:
        action = services.create_action(
            organisation=request.organisation, user_id=request.staff.user_id, user_name=request.staff.username,
            data=ActionIn(title=request.POST.get("title", "").strip() or _("Action"),
                          description=request.POST.get("description", ""), owner_id=_int(request.POST.get("owner"))
                          or request.staff.user_id, team=request.POST.get("team", ""),
                          due_date=request.POST.get("due_date") or None, public=request.POST.get("public") != "0",
                          feedback_item_ids=ids))
    except DomainError as error:
        messages.error(request, error.detail)
        return redirect("feedback:inbox")
    messages.success(request, _("Action created for %(count)d item(s).") % {"count": action.item_count})
    return redirect("feedback:action", action.id)


@staff_required(FEEDBACK_VIEW)
def action_detail(request: HttpRequest, action_id: int, note_check: NoteCheckOut | None = None,
                  draft: str = "") -> HttpResponse:
    action = services.get_action(organisation=request.organisation, action_id=action_id)
    items = services.list_action_items(organisation=request.organisation, action_id=action_id)
    return render_page(request, "feedback/action.html", {
        "action": action, "items": items, "note_check": note_check, "draft": draft,
        "notes": services.list_notes(organisation=request.organisation, action_id=action_id)})


@require_POST
@staff_required(FEEDBACK_HANDLE)
def action_complete(request: HttpRequest, action_id: int) -> HttpResponse:
    try:
        services.complete_action(organisation=request.organisation, action_id=action_id,
                                 outcome=request.POST.get("outcome", ""), user_name=request.staff.username)
    except InvalidInput as error:
        messages.error(request, error.detail)
        return redirect("feedback:action", action_id)
    messages.success(request, _("Done: every customer behind this action was told the outcome."))
    return redirect("feedback:action", action_id)


@require_POST
@staff_required(FEEDBACK_HANDLE)
def add_action_note(request: HttpRequest, action_id: int) -> HttpResponse:
    check = _add_note(request, action_id=action_id)
    if check is not None:
        return action_detail(request, action_id, note_check=check, draft=request.POST.get("text", ""))
    messages.success(request, _("Note saved."))
    return redirect("feedback:action", action_id)


@staff_required(FEEDBACK_ROUTING)
def routing(request: HttpRequest) -> HttpResponse:
    from eyelevel.relationships import services as relationships

    errors: list[str] = []
    if request.method == "POST":
        try:
            if request.POST.get("form") == "deadline":
                services.set_deadline(organisation=request.organisation, urgency=request.POST.get("urgency", ""),
                                      acknowledge_hours=_int(request.POST.get("acknowledge_hours")) or 0,
                                      action_hours=_int(request.POST.get("action_hours")) or 0)
            elif request.POST.get("form") == "aspect":
                services.define_aspect(organisation=request.organisation, label=request.POST.get("label", ""),
                                       description=request.POST.get("description", ""))
            else:
                services.create_rule(organisation=request.organisation, data=RoutingRuleIn(
                    name=request.POST.get("name", "").strip() or _("Rule"),
                    position=_int(request.POST.get("position")) or 100, aspect=request.POST.get("aspect", ""),
                    touchpoint_id=_int(request.POST.get("touchpoint")), language=request.POST.get("language", ""),
                    sentiment=request.POST.get("sentiment", ""), urgency=request.POST.get("urgency", ""),
                    owner_id=_int(request.POST.get("owner")), team=request.POST.get("team", "")))
            messages.success(request, _("Saved."))
            return redirect("feedback:routing")
        except InvalidInput as error:
            errors.append(f"{error.field}: {error.detail}" if error.field else error.detail)
    return render_page(request, "feedback/routing.html", {
        "rules": services.list_rules(organisation=request.organisation),
        "deadlines": services.list_deadlines(organisation=request.organisation),
        "aspects": services.list_aspect_labels(organisation=request.organisation),
        "touchpoints": relationships.list_touchpoints(organisation=request.organisation),
        "members": accounts.list_members(organisation=request.organisation), "errors": errors, **_choices()},
        status=422 if errors else 200)


@require_POST
@staff_required(FEEDBACK_ROUTING)
def routing_delete(request: HttpRequest, routing_rule_id: int) -> HttpResponse:
    services.delete_rule(organisation=request.organisation, routing_rule_id=routing_rule_id)
    messages.success(request, _("Rule removed."))
    return redirect("feedback:routing")


@staff_required(FEEDBACK_HANDLE)
def import_upload(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        started = start_upload(request, lambda filename, payload: importing.start_import(
            organisation=request.organisation, filename=filename, payload=payload,
            skip_bad_rows=request.POST.get("skip") == "1", user_id=request.staff.user_id), "feedback:import_job")
        if started:
            return started
    return render_page(request, "feedback/import.html", {
        "jobs": importing.list_import_jobs(organisation=request.organisation)})


@staff_required(FEEDBACK_HANDLE)
def import_job(request: HttpRequest, import_job_id: int) -> HttpResponse:
    job = importing.get_import_job(organisation=request.organisation, import_job_id=import_job_id)
    return render_page(request, "feedback/import_job.html", {"job": job}, partial="feedback/_import_progress.html")


@staff_required(FEEDBACK_HANDLE)
def import_rejects(request: HttpRequest, import_job_id: int) -> HttpResponse:
    text = importing.import_job_rejects(organisation=request.organisation, import_job_id=import_job_id)
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rejects-{import_job_id}.txt"'
    return response


@staff_required(INSIGHTS_VIEW)
def insights_page(request: HttpRequest) -> HttpResponse:
    summary = insights.summarise(organisation=request.organisation)
    return render_page(request, "feedback/insights.html", {
        "summary": summary, "charts": insights.trend_charts(organisation=request.organisation),
        "inbox_url": reverse("feedback:inbox")})
