"""Public help pages: articles published with visibility "public", readable by anyone without logging in."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from eyelevel.core.models import Organisation
from eyelevel.core.services import get_organisation_by_slug
from eyelevel.knowledge import services
from eyelevel.knowledge.views.staff import _page_number


def _organisation(request: HttpRequest) -> Organisation:
    """The organisation named by ?org=slug, or NotFound (a 404)."""
    return get_organisation_by_slug(slug=request.GET.get("org", ""))


def home(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    query = request.GET.get("q", "")
    hits = services.search_articles(organisation=organisation, query=query, audience="public", k=10)
    page = services.list_articles(organisation=organisation, public_only=True, page=_page_number(request))
    return render(request, "knowledge/public/home.html", {
        "organisation": organisation, "query": query, "hits": hits, "page": page})


def article(request: HttpRequest, article_id: int) -> HttpResponse:
    organisation = _organisation(request)
    found = services.get_portal_article(organisation=organisation, article_id=article_id, public_only=True)
    return render(request, "knowledge/public/article.html", {"organisation": organisation, "article": found})
