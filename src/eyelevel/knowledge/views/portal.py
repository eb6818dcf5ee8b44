"""The knowledge base in the customer portal: search, articles, "did this help?", suggestions."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from eyelevel.core.web import portal_required, render_page
from eyelevel.knowledge import services
from eyelevel.knowledge.views.staff import _page_number, typed_text


@portal_required
def home(request: HttpRequest) -> HttpResponse:
    organisation_id = request.portal.organisation_id
    query = request.GET.get("q", "")
    hits = services.search_articles(organisation=organisation_id, query=query, audience="portal", k=10)
    page = services.list_articles(organisation=organisation_id, portal_only=True, page=_page_number(request))
    return render_page(request, "knowledge/portal/home.html", {"query": query, "hits": hits, "page": page},
                       partial="knowledge/portal/_hits.html")


@portal_required
def suggest(request: HttpRequest) -> HttpResponse:
    """"These articles may answer your question": shown while a customer writes feedback (htmx fragment)."""
    query = typed_text(request.GET)
    hits = services.record_suggestions_shown(organisation=request.portal.organisation_id,
                                             customer_id=request.portal.customer_id, query=query)
    return render(request, "knowledge/portal/_suggestions.html", {"hits": hits, "query": query})


@portal_required
def article(request: HttpRequest, article_id: int) -> HttpResponse:
    organisation_id = request.portal.organisation_id
    found = services.get_portal_article(organisation=organisation_id, article_id=article_id)
    query = request.GET.get("q", "")
    services.record_view(organisation=organisation_id, customer_id=request.portal.customer_id,
                         article_id=article_id, query=query)
    return render(request, "knowledge/portal/article.html", {"article": found, "query": query})


@require_POST
@portal_required
def vote(request: HttpRequest, article_id: int) -> HttpResponse:
    helped = request.POST.get("helped") == "yes"
    services.vote_on_article(organisation=request.portal.organisation_id, customer_id=request.portal.customer_id,
                             article_id=article_id, helped=helped, query=request.POST.get("q", ""))
    if helped:
        messages.success(request, _("Thank you! We are glad the article answered your question."))
    else:
        messages.info(request, _("Thank you. Tell us what is missing, and a person will answer."))
    return redirect("knowledge_portal:article", article_id=article_id)
