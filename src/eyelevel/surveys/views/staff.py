"""Staff pages: surveys, anonymous links, invitations, the self-assessment and the gap report."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from pydantic import ValidationError

from eyelevel.core.errors import Conflict, InvalidInput
from eyelevel.core.permissions import SURVEYS_MANAGE, SURVEYS_SELF_ASSESS, SURVEYS_VIEW, role_has
from eyelevel.core.web import render_page, staff_required
from eyelevel.relationships import services as relationships
from eyelevel.surveys import charts, services
from eyelevel.surveys.models import Audience, Instrument
from eyelevel.surveys.schemas import AudienceGap, GroupStat, InviteesIn, QuestionIn, SurveyIn
from eyelevel.surveys.views.forms import answers_from_post, question_fields


def _labels() -> dict[str, str]:
    labels = {code: str(label) for code, label in Audience.choices}
    labels.update({f"dim:{c.code}": c.label for c in relationships.dimension_choices()})
    labels.update({"empty": _("No answers yet."), "general": _("General"), "axis": _("Rating (0–100)"),
                   "bain_axis": _("Share who say the experience is superior (%)"),
                   "feedback_empty": _("No touchpoint with two teams or staff members to compare yet."),
                   "feedback_axis": _("Share of negative feedback (%)"),
                   "by:team": _("team"), "by:owner": _("staff member")})
    return labels


def _instrument_choices() -> list[tuple[str, str]]:
    return [(code, str(label)) for code, label in Instrument.choices]


@staff_required(SURVEYS_VIEW)
def survey_list(request: HttpRequest) -> HttpResponse:
    return render_page(request, "surveys/list.html", {
        "surveys": services.list_surveys(organisation=request.organisation),
        "may_manage": role_has(request.staff.role, SURVEYS_MANAGE),
    })


@staff_required(SURVEYS_MANAGE)
def survey_create(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            data = SurveyIn(title=request.POST.get("title", ""), intro=request.POST.get("intro", ""),
                            for_customers=bool(request.POST.get("for_customers")),
                            for_outsiders=bool(request.POST.get("for_outsiders")),
                            for_staff=bool(request.POST.get("for_staff")))
        except ValidationError as exc:
            messages.error(request, "; ".join(f"{e['loc'][0]}: {e['msg']}" for e in exc.errors()))
        else:
            survey = services.create_survey(organisation=request.organisation, data=data)
            return redirect("surveys:detail", survey_id=survey.id)
    return redirect("surveys:list")


@staff_required(SURVEYS_MANAGE)
def survey_from_charter(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            survey = services.create_survey_from_charter(organisation=request.organisation,
                                                          title=request.POST.get("title", ""))
        except InvalidInput as exc:
            messages.error(request, exc.detail)
        else:
            return redirect("surveys:detail", survey_id=survey.id)
    return redirect("surveys:list")


INVITE_DEFAULTS = {"audience": "purpose", "purpose_code": "surveys", "customers": "", "recent_only": False,
                   "feedback_days": "90"}


@staff_required(SURVEYS_VIEW)
def survey_detail(request: HttpRequest, survey_id: int) -> HttpResponse:
    return _detail(request, survey_id)


def _detail(request: HttpRequest, survey_id: int, invite_form: dict | None = None,
            invite_errors: dict[str, str] | None = None) -> HttpResponse:
    """The survey page; a refused invitation comes back with what was entered and the error at its field."""
    organisation = request.organisation
    survey = services.get_survey(organisation=organisation, survey_id=survey_id)
    links = services.list_links(organisation=organisation, survey_id=survey_id)
    public_url = request.build_absolute_uri(reverse("surveys_public:answer"))
    may_manage = role_has(request.staff.role, SURVEYS_MANAGE)
    invite_form = invite_form or INVITE_DEFAULTS
    return render_page(request, "surveys/detail.html", {
        "survey": survey,
        "links": [{"link": link, "url": f"{public_url}?k={link.token}"} for link in links],
        # The question form's select needs only names (one query, not the touchpoints with all they serve).
        "touchpoints": [{"id": pk, "name": name, "journey_stage": stage} for pk, (name, stage)
                        in relationships.touchpoint_labels(organisation=organisation).items()],
        "dimensions": relationships.dimension_choices(),
        "instruments": _instrument_choices(),
        "may_manage": may_manage,
        "may_self_assess": role_has(request.staff.role, SURVEYS_SELF_ASSESS) and survey.for_staff,
        "self_assessed": services.has_self_assessed(organisation=organisation, survey_id=survey_id,
                                                    staff_user_id=request.staff.user_id),
        # Counts only: the form names groups of customers, it does not list them.
        "audience": services.invitation_audience(organisation=organisation, survey_id=survey_id,
                                                 purpose_code=invite_form["purpose_code"] or "surveys")
        if may_manage and survey.for_customers else None,
        "invite_form": invite_form, "invite_errors": invite_errors or {},
        "invitation_jobs": services.list_invitation_jobs(organisation=organisation, survey_id=survey_id)
        if may_manage else [],
    }, status=422 if invite_errors else 200)


@staff_required(SURVEYS_MANAGE)
def question_add(request: HttpRequest, survey_id: int) -> HttpResponse:
    services.get_survey(organisation=request.organisation, survey_id=survey_id)
    if request.method == "POST":
        touchpoint = request.POST.get("touchpoint_id", "")
        try:
            data = QuestionIn(touchpoint_id=int(touchpoint) if touchpoint.isdigit() else None,
                              dimension=request.POST.get("dimension", ""),
                              instrument=request.POST.get("instrument", ""), text=request.POST.get("text", ""),
                              required=bool(request.POST.get("required")))
            services.add_question(organisation=request.organisation, survey_id=survey_id, data=data)
        except ValidationError as exc:
            messages.error(request, "; ".join(f"{e['loc'][0]}: {e['msg']}" for e in exc.errors()))
        except (InvalidInput, Conflict) as exc:
            messages.error(request, exc.detail)
        else:
            messages.success(request, _("Question added."))
    return redirect(reverse("surveys:detail", kwargs={"survey_id": survey_id}) + "#questions")


@staff_required(SURVEYS_MANAGE)
def question_remove(request: HttpRequest, question_id: int) -> HttpResponse:
    survey_id = services.survey_of_question(organisation=request.organisation, question_id=question_id)
    if request.method == "POST":
        try:
            services.remove_question(organisation=request.organisation, survey_id=survey_id,
                                     question_id=question_id)
        except Conflict as exc:
            messages.error(request, exc.detail)
    return redirect(reverse("surveys:detail", kwargs={"survey_id": survey_id}) + "#questions")


@staff_required(SURVEYS_MANAGE)
def survey_status(request: HttpRequest, survey_id: int) -> HttpResponse:
    services.get_survey(organisation=request.organisation, survey_id=survey_id)
    if request.method == "POST":
        try:
            services.set_survey_status(organisation=request.organisation, survey_id=survey_id,
                                       status=request.POST.get("status", ""))
        except InvalidInput as exc:
            messages.error(request, exc.detail)
    return redirect("surveys:detail", survey_id=survey_id)


@staff_required(SURVEYS_MANAGE)
def link_create(request: HttpRequest, survey_id: int) -> HttpResponse:
    services.get_survey(organisation=request.organisation, survey_id=survey_id)
    if request.method == "POST":
        try:
            services.create_link(organisation=request.organisation, survey_id=survey_id,
                                 label=request.POST.get("label", ""))
        except (InvalidInput, Conflict) as exc:
            messages.error(request, exc.detail)
        else:
            messages.success(request, _("Anonymous link created."))
    return redirect(reverse("surveys:detail", kwargs={"survey_id": survey_id}) + "#links")


@staff_required(SURVEYS_MANAGE)
def link_deactivate(request: HttpRequest, survey_link_id: int) -> HttpResponse:
    link = services.get_link(organisation=request.organisation, survey_link_id=survey_link_id)
    if request.method == "POST":
        services.deactivate_link(organisation=request.organisation, survey_link_id=survey_link_id)
        messages.success(request, _("The link no longer accepts answers."))
    return redirect(reverse("surveys:detail", kwargs={"survey_id": link.survey_id}) + "#links")


def _invitees(form: dict) -> InviteesIn:
    """The invitation form as input; a days count that is no number is refused at its field."""
    try:
        return InviteesIn(audience=form["audience"], purpose_code=form["purpose_code"], customers=form["customers"],
                          feedback_days=(form["feedback_days"] or None) if form["recent_only"] else None)
    except ValidationError as exc:
        field = str(exc.errors()[0]["loc"][0])
        message = _("Enter a number of days from 1 to 3650.") if field == "feedback_days" else exc.errors()[0]["msg"]
        raise InvalidInput(message, field=field) from None


@staff_required(SURVEYS_MANAGE)
def invite(request: HttpRequest, survey_id: int) -> HttpResponse:
    """Invite a group of customers (everyone the purpose allows, all, a pasted list), sent in the background."""
    services.get_survey(organisation=request.organisation, survey_id=survey_id)
    if request.method != "POST":
        return redirect(reverse("surveys:detail", kwargs={"survey_id": survey_id}) + "#invite")
    portal_url = request.build_absolute_uri(reverse("surveys_portal:answer", kwargs={"survey_id": survey_id}))
    form = {"audience": request.POST.get("audience", "purpose"),
            "purpose_code": request.POST.get("purpose_code", "").strip() or "surveys",
            "customers": request.POST.get("customers", ""), "recent_only": bool(request.POST.get("recent_only")),
            "feedback_days": request.POST.get("feedback_days", "").strip()}
    ids = [int(v) for v in request.POST.getlist("customer_ids") if v.isdigit()]
    try:
        if ids:  # customers chosen one by one (kept for pages and scripts that post their ids)
            job = services.start_invitations(
                organisation=request.organisation, survey_id=survey_id, customer_ids=ids,
                purpose_code=form["purpose_code"], sender_name=request.staff.username, portal_url=portal_url,
                user_id=request.staff.user_id)
        else:
            invitees = _invitees(form)
            job = services.start_invitations_to(
                organisation=request.organisation, survey_id=survey_id, invitees=invitees,
                sender_name=request.staff.username, portal_url=portal_url, user_id=request.staff.user_id)
    except InvalidInput as exc:
        return _detail(request, survey_id, invite_form=form, invite_errors={exc.field or "audience": exc.detail})
    except Conflict as exc:
        messages.error(request, exc.detail)
        return redirect(reverse("surveys:detail", kwargs={"survey_id": survey_id}) + "#invite")
    return redirect("surveys:invitation_job", invitation_job_id=job.id)


@staff_required(SURVEYS_MANAGE)
def invitation_job(request: HttpRequest, invitation_job_id: int) -> HttpResponse:
    job = services.get_invitation_job(organisation=request.organisation, invitation_job_id=invitation_job_id)
    return render_page(request, "surveys/invitation_job.html", {
        "job": job, "survey": services.get_survey(organisation=request.organisation, survey_id=job.survey_id),
        "refusals": _refusal_lines(job.refused),
    }, partial="surveys/_invitation_progress.html")


def _refusal_lines(refused: dict[str, int]) -> list[tuple[str, int]]:
    names = {"consent": _("no consent for the purpose"), "cap": _("contact cap reached"),
             "address": _("no email address"), "purpose": _("purpose not declared"),
             "not_found": _("customer not found or erased")}
    return [(names.get(kind, kind), n) for kind, n in refused.items()]


@staff_required(SURVEYS_SELF_ASSESS)
def self_assessment(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = services.get_survey(organisation=request.organisation, survey_id=survey_id)
    errors: list[str] = []
    if request.method == "POST":
        answers, errors = answers_from_post(survey, request.POST)
        if not errors:
            try:
                services.submit_self_assessment(organisation=request.organisation, survey_id=survey_id,
                                                staff_user_id=request.staff.user_id, team=request.staff.team,
                                                answers=answers)
            except (InvalidInput, Conflict) as exc:
                errors = [exc.detail]
            else:
                messages.success(request, _("Thank you. Your self-assessment is recorded."))
                return redirect("surveys:detail", survey_id=survey_id)
    return render_page(request, "surveys/self_assessment.html", {
        "survey": survey, "fields": question_fields(survey, request.POST if request.method == "POST" else None),
        "errors": errors,
        "already": services.has_self_assessed(organisation=request.organisation, survey_id=survey_id,
                                              staff_user_id=request.staff.user_id),
    }, status=422 if errors else 200)


@staff_required(SURVEYS_VIEW)
def responses(request: HttpRequest, survey_id: int) -> HttpResponse:
    try:
        page_number = int(request.GET.get("page", "1"))
    except ValueError:
        page_number = 1
    audience = request.GET.get("audience", "")
    page = services.list_responses(organisation=request.organisation, survey_id=survey_id, page=page_number,
                                   audience=audience if audience in Audience.values else "")
    return render_page(request, "surveys/responses.html", {
        "survey": services.get_survey(organisation=request.organisation, survey_id=survey_id), "page": page,
        "audience": audience, "audiences": Audience.choices,
    })


def _stat_text(stat: GroupStat) -> dict[str, str] | None:
    if not stat.n or stat.mean is None:
        return None
    interval = f"[{stat.low:.1f}–{stat.high:.1f}]" if stat.low is not None and stat.high is not None else ""
    return {"mean": f"{stat.mean:.1f}", "interval": interval, "n": str(stat.n)}


def _cell(gap: AudienceGap | None) -> dict[str, object] | None:
    if gap is None:
        return None
    return {"stat": _stat_text(gap.stat), "gap": f"{gap.gap:.1f}" if gap.gap is not None else "",
            "q": f"{gap.q:.3f}" if gap.q is not None else "", "significant": gap.significant}


def _survey_filter(request: HttpRequest) -> int | None:
    value = request.GET.get("survey", "")
    if not value.isdigit():
        return None
    return services.get_survey(organisation=request.organisation, survey_id=int(value)).id


@staff_required(SURVEYS_VIEW)
def gap_report(request: HttpRequest) -> HttpResponse:
    survey_id = _survey_filter(request)
    report = services.gap_report(organisation=request.organisation, survey_id=survey_id)
    # Feedback is not asked per survey: its consistency covers every classified item on a touchpoint.
    feedback_rows = services.feedback_consistency(organisation=request.organisation)
    labels = _labels()
    audiences = [Audience.CUSTOMER, Audience.COMPETITOR_CUSTOMER, Audience.NON_CUSTOMER]
    by_labels = {"team": _("team"), "location": _("location"), "served_by": _("staff member")}
    # Numbers are formatted here, once: the page shows up to hundreds of rows.
    table = [{"row": row, "dimension": labels.get(f"dim:{row.dimension}", row.dimension),
              "staff": _stat_text(row.staff),
              "cells": [_cell(next((g for g in row.audiences if g.audience == a), None)) for a in audiences]}
             for row in report.rows]
    return render_page(request, "surveys/gap_report.html", {
        "report": report, "labels": labels, "table": table,
        "consistency": [{
            "row": row, "by": by_labels.get(row.by, row.by), "groups": "; ".join(f"{g.name}: {g.mean:.1f} (n={g.n})" for g in row.groups
                                            if g.mean is not None),
            "spread": f"{row.spread:.1f}" if row.spread is not None else "—",
            "p": f"{row.p:.4f}" if row.p is not None else "—",
        } for row in report.consistency],
        "feedback_consistency": [{
            "row": row, "by": labels[f"by:{row.by}"],
            "groups": "; ".join(_("%(name)s: %(share).0f%% negative (n=%(n)d)")
                                % {"name": g.name, "share": (g.negative_share or 0) * 100, "n": g.n}
                                for g in row.groups),
            "spread": f"{row.spread * 100:.0f}" if row.spread is not None else "—",
            "p": f"{row.p:.4f}" if row.p is not None else "—", "q": f"{row.q:.4f}" if row.q is not None else "",
        } for row in feedback_rows],
        "audience_labels": [labels[a] for a in audiences],
        "responses": [(labels[a], report.responses_by_audience.get(a, 0)) for a in [Audience.STAFF, *audiences]], "surveys": services.survey_titles(organisation=request.organisation),
        "survey_id": survey_id, "query": f"?survey={survey_id}" if survey_id else "",
    })


@staff_required(SURVEYS_VIEW)
def gap_chart(request: HttpRequest) -> HttpResponse:
    report = services.gap_report(organisation=request.organisation, survey_id=_survey_filter(request))
    return HttpResponse(charts.gap_chart(report, labels=_labels()), content_type="image/svg+xml")


@staff_required(SURVEYS_VIEW)
def bain_chart(request: HttpRequest) -> HttpResponse:
    # The report the page just built comes from the cache: the chart does not compute it again.
    report = services.gap_report(organisation=request.organisation, survey_id=_survey_filter(request))
    return HttpResponse(charts.bain_chart(report.bain, labels=_labels()), content_type="image/svg+xml")


@staff_required(SURVEYS_VIEW)
def feedback_consistency_chart(request: HttpRequest) -> HttpResponse:
    rows = services.feedback_consistency(organisation=request.organisation)
    return HttpResponse(charts.feedback_consistency_chart(rows, labels=_labels()), content_type="image/svg+xml")
