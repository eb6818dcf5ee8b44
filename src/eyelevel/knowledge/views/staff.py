"""Staff pages of the knowledge base: articles, states, flag-or-fix, capture from feedback, measures."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from pydantic import ValidationError

from eyelevel.core.errors import Conflict, InvalidInput
from eyelevel.core.permissions import (
    KNOWLEDGE_PUBLISH,
    KNOWLEDGE_VALIDATE,
    KNOWLEDGE_VIEW,
    KNOWLEDGE_WRITE,
    role_has,
)
from eyelevel.core.web import render_page, staff_required
from eyelevel.feedback import services as feedback
from eyelevel.knowledge import services
from eyelevel.knowledge.models import Language, State, Visibility
from eyelevel.knowledge.schemas import ArticleIn

FIELDS = ("title", "issue", "environment", "resolution", "cause", "language", "visibility")


def _article_in(data) -> ArticleIn:  # type: ignore[no-untyped-def]
    """The article fields of a form, or InvalidInput naming the first field at fault."""
    try:
        return ArticleIn(**{field: data.get(field, "") for field in FIELDS})
    except ValidationError as error:
        first = error.errors()[0]
        field = str(first["loc"][0]) if first.get("loc") else ""
        raise InvalidInput(f"{field}: {first['msg']}", field=field) from None


def typed_text(data) -> str:  # type: ignore[no-untyped-def]
    """What is typed in the form around a suggestion box: every text field, the longest first."""
    values = {value.strip() for key, values in data.lists() if key != "csrfmiddlewaretoken" for value in values}
    return " ".join(sorted((value for value in values if value), key=len, reverse=True))[:1000]


def _form_context(request: HttpRequest, **extra):  # type: ignore[no-untyped-def]
    return {"languages": Language.choices, "visibilities": Visibility.choices, **extra}


def _page_number(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("page", "1"))
    except ValueError:
        return 1


@staff_required(KNOWLEDGE_VIEW)
def article_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    page = services.list_articles(organisation=request.organisation, state=state if state in State.values else "",
                                  page=_page_number(request))
    flags = services.list_flags_for_owner(organisation=request.organisation, user_id=request.staff.user_id)
    return render_page(request, "knowledge/list.html", {
        "page": page, "state": state, "states": State.choices, "flags": flags,
        "may_write": role_has(request.staff.role, KNOWLEDGE_WRITE),
    })


@staff_required(KNOWLEDGE_VIEW)
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    hits = services.search_articles(organisation=request.organisation, query=query, k=10)
    return render_page(request, "knowledge/search.html", {"hits": hits, "query": query},
                       partial="knowledge/_hits.html")


@staff_required(KNOWLEDGE_VIEW)
def suggest(request: HttpRequest) -> HttpResponse:
    """Suggestions while an agent types an answer (htmx fragment)."""
    query = typed_text(request.GET)
    hits = services.search_articles(organisation=request.organisation, query=query, k=3, suggestions_only=True)
    return render_page(request, "knowledge/_suggestions.html", {"hits": hits, "query": query})


@staff_required(KNOWLEDGE_WRITE)
def article_new(request: HttpRequest) -> HttpResponse:
    data, error = None, None
    if request.method == "POST":
        try:
            data = _article_in(request.POST)
            article = services.create_article(organisation=request.organisation, actor=request.staff, data=data)
        except InvalidInput as problem:
            error = problem
        else:
            messages.success(request, _("Article created."))
            return redirect("knowledge:detail", article_id=article.id)
    return render_page(request, "knowledge/edit.html", _form_context(
        request, form=request.POST if request.method == "POST" else {"language": "en", "visibility": "internal"},
        error=error, article=None))


@staff_required(KNOWLEDGE_VIEW)
def article_detail(request: HttpRequest, article_id: int) -> HttpResponse:
    article = services.get_article(organisation=request.organisation, article_id=article_id)
    role = request.staff.role
    return render_page(request, "knowledge/detail.html", {
        "article": article,
        "transitions": [(state, State(state).label) for state in
                        services.allowed_transitions(role=role, state=article.state)],
        "may_fix": services.may_fix(role=role, state=article.state),
        "may_flag": role_has(role, KNOWLEDGE_WRITE),
        "may_publish": role_has(role, KNOWLEDGE_PUBLISH),
        "may_review": role_has(role, KNOWLEDGE_VALIDATE),
        "personal_data": services.personal_data_in_article(organisation=request.organisation, article_id=article_id)
        if role_has(role, KNOWLEDGE_PUBLISH) and not article.published and article.visibility != "internal" else [],
    })


@staff_required(KNOWLEDGE_WRITE)
def article_edit(request: HttpRequest, article_id: int) -> HttpResponse:
    article = services.get_article(organisation=request.organisation, article_id=article_id)
    error = None
    if request.method == "POST":
        try:
            services.update_article(organisation=request.organisation, actor=request.staff, article_id=article_id,
                                    data=_article_in(request.POST))
        except InvalidInput as problem:
            error = problem
        else:
            messages.success(request, _("Article fixed."))
            return redirect("knowledge:detail", article_id=article_id)
    form = request.POST if request.method == "POST" else article.model_dump()
    return render_page(request, "knowledge/edit.html", _form_context(request, form=form, error=error,
                                                                     article=article))


@require_POST
@staff_required(KNOWLEDGE_WRITE)
def article_state(request: HttpRequest, article_id: int) -> HttpResponse:
    article = services.transition_article(organisation=request.organisation, actor=request.staff,
                                          article_id=article_id, state=request.POST.get("state", ""))
    messages.success(request, _("The article is now: %(state)s.") % {"state": article.state_label})
    return redirect("knowledge:detail", article_id=article_id)


@require_POST
@staff_required(KNOWLEDGE_PUBLISH)
def article_publish(request: HttpRequest, article_id: int) -> HttpResponse:
    if request.POST.get("action") == "unpublish":
        services.unpublish_article(organisation=request.organisation, actor=request.staff, article_id=article_id)
        messages.success(request, _("The article was taken out of the portal."))
    else:
        try:
            services.publish_article(organisation=request.organisation, actor=request.staff, article_id=article_id,
                                     confirmed_not_personal=request.POST.get("not_personal") == "1")
        except Conflict as refused:
            # Back to the article, which lists what stands in the way (the personal data found, its state).
            messages.error(request, refused.detail)
        else:
            messages.success(request, _("The article is published in the portal."))
    return redirect("knowledge:detail", article_id=article_id)


@require_POST
@staff_required(KNOWLEDGE_WRITE)
def article_flag(request: HttpRequest, article_id: int) -> HttpResponse:
    services.flag_article(organisation=request.organisation, actor=request.staff, article_id=article_id,
                          comment=request.POST.get("comment", ""))
    messages.success(request, _("Flag sent to the article's owner."))
    return redirect("knowledge:detail", article_id=article_id)


@require_POST
@staff_required(KNOWLEDGE_WRITE)
def flag_resolve(request: HttpRequest, article_flag_id: int) -> HttpResponse:
    flag = services.resolve_flag(organisation=request.organisation, actor=request.staff,
                                 article_flag_id=article_flag_id)
    messages.success(request, _("Flag resolved."))
    return redirect("knowledge:detail", article_id=flag.article_id)


@staff_required(KNOWLEDGE_VALIDATE)
def article_review(request: HttpRequest, article_id: int) -> HttpResponse:
    article = services.get_article(organisation=request.organisation, article_id=article_id)
    if request.method == "POST":
        review = services.review_article(organisation=request.organisation, actor=request.staff,
                                         article_id=article_id, passed=request.POST.getlist("passed"))
        messages.success(request, _("Review saved: %(score)s%% of the checklist met.") % {
            "score": round(review.score * 100)})
        return redirect("knowledge:quality")
    return render_page(request, "knowledge/review.html", {"article": article,
                                                          "checklist": services.CHECKLIST.items()})


@staff_required(KNOWLEDGE_VALIDATE)
def quality(request: HttpRequest) -> HttpResponse:
    sample = services.pick_review_sample(organisation=request.organisation)
    reviews = services.recent_reviews(organisation=request.organisation)
    return render_page(request, "knowledge/quality.html", {"sample": sample, "reviews": reviews})


@staff_required(KNOWLEDGE_VIEW)
def measures(request: HttpRequest) -> HttpResponse:
    try:
        days = int(request.GET.get("days", "90"))
    except ValueError:
        days = 90
    figures = services.compute_measures(organisation=request.organisation, days=days)
    return render_page(request, "knowledge/measures.html", {
        "measures": figures, "chart": services.measures_chart_svg(measures=figures)})


@staff_required(KNOWLEDGE_WRITE)
def from_feedback(request: HttpRequest, feedback_item_id: int) -> HttpResponse:
    """Answer a feedback item with knowledge: search first, then reuse an article or create one."""
    item = feedback.get_feedback_item(organisation=request.organisation, feedback_item_id=feedback_item_id)
    error = None
    if request.method == "POST":
        try:
            if request.POST.get("action") == "link":
                article_id = int(request.POST.get("article_id", "0") or 0)
                article = services.link_article_to_feedback(
                    organisation=request.organisation, actor=request.staff, article_id=article_id,
                    feedback_item_id=feedback_item_id)
                messages.success(request, _("Article reused for this feedback item (used %(count)s times).") % {
                    "count": article.reuse_count})
            else:
                article = services.create_article_from_feedback(
                    organisation=request.organisation, actor=request.staff, feedback_item_id=feedback_item_id,
                    data=_article_in(request.POST))
                messages.success(request, _("Article created from this feedback item."))
            if request.POST.get("solve") == "on":
                feedback.mark_solved(organisation=request.organisation, feedback_item_id=feedback_item_id,
                                     outcome=article.resolution or article.title, user_id=request.staff.user_id,
                                     user_name=request.staff.username)
                messages.success(request, _("The item is solved; the customer is told the resolution."))
            return redirect("knowledge:from_feedback", feedback_item_id=feedback_item_id)
        except InvalidInput as problem:
            error = problem
    query = request.GET.get("q", item.text)
    links = services.links_for_feedback(organisation=request.organisation, feedback_item_id=feedback_item_id)
    linked_ids = {link.article_id for link in links}
    hits = services.search_articles(organisation=request.organisation, query=query, k=5)
    draft = services.draft_from_feedback(organisation=request.organisation, feedback_item_id=feedback_item_id)
    return render_page(request, "knowledge/from_feedback.html", _form_context(
        request, item=item, query=query, hits=hits, links=links, linked_ids=linked_ids,
        form=request.POST if error else draft.model_dump(), error=error))


@staff_required(KNOWLEDGE_WRITE)
def from_action(request: HttpRequest, action_id: int) -> HttpResponse:
    """Answer every feedback item of an action with one article: search, then link it to all of them."""
    action = feedback.get_action(organisation=request.organisation, action_id=action_id)
    if request.method == "POST":
        article = services.link_article_to_action(
            organisation=request.organisation, actor=request.staff, action_id=action_id,
            article_id=int(request.POST.get("article_id", "0") or 0))
        messages.success(request, _("Article linked to the action's feedback items (used %(count)s times).") % {
            "count": article.reuse_count})
        return redirect("knowledge:from_action", action_id=action_id)
    item_ids = feedback.action_item_ids(organisation=request.organisation, action_id=action_id)
    query = request.GET.get("q", f"{action.title} {action.description}".strip())
    hits = services.search_articles(organisation=request.organisation, query=query, k=5)
    return render_page(request, "knowledge/from_action.html", {"action": action, "item_ids": item_ids,
                                                               "query": query, "hits": hits})
