"""The knowledge base in the portal: what customers did with it ("did this help?", self-service)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from eyelevel.core.models import Organisation
from eyelevel.core.tenancy import organisation_id_of
from eyelevel.knowledge.models import ArticleVote, EventKind, SelfServiceEvent
from eyelevel.knowledge.services.articles import (
    articles_naming_customer,
    get_portal_article,
    redact_customer_in_articles,
)
from eyelevel.knowledge.services.search import search_articles

MAX_QUERY = 500


@transaction.atomic
def vote_on_article(*, organisation: Organisation | int, customer_id: int, article_id: int, helped: bool,
                    query: str = "") -> None:
    """Record a customer's "did this help?"; a yes also counts as an answer found without asking."""
    article = get_portal_article(organisation=organisation, article_id=article_id)
    organisation_id = organisation_id_of(organisation)
    ArticleVote.objects.for_organisation(organisation_id).update_or_create(
        organisation_id=organisation_id, article_id=article.id, customer_id=customer_id,
        defaults={"helped": helped, "query": query[:MAX_QUERY]},
    )
    if helped:  # the article was checked above: no second look-up
        _note_answered(organisation_id, customer_id, article.id, query)


def record_view(*, organisation: Organisation | int, customer_id: int | None, article_id: int,
                query: str = "") -> None:
    """Note that a customer opened an article in the portal."""
    organisation_id = organisation_id_of(organisation)
    SelfServiceEvent.objects.create(organisation_id=organisation_id, customer_id=customer_id,
                                    kind=EventKind.VIEWED, article_id=article_id, query=query[:MAX_QUERY])


def record_answered(*, organisation: Organisation | int, customer_id: int | None, article_id: int | None,
                    query: str = "") -> None:
    """Note that a customer found their answer in the knowledge base (self-service success, unless they ask anyway)."""
    organisation_id = organisation_id_of(organisation)
    if article_id is not None:
        get_portal_article(organisation=organisation_id, article_id=article_id)
    _note_answered(organisation_id, customer_id, article_id, query)


def _note_answered(organisation_id: int, customer_id: int | None, article_id: int | None, query: str) -> None:
    SelfServiceEvent.objects.create(organisation_id=organisation_id, customer_id=customer_id,
                                    kind=EventKind.ANSWERED, article_id=article_id, query=query[:MAX_QUERY])


def record_suggestions_shown(*, organisation: Organisation | int, customer_id: int | None, query: str,
                             k: int = 3) -> list:
    """Suggest published articles for what a customer is about to submit, and note that they were shown."""
    hits = search_articles(organisation=organisation, query=query, audience="portal", k=k, suggestions_only=True)
    if hits:
        organisation_id = organisation_id_of(organisation)
        SelfServiceEvent.objects.create(organisation_id=organisation_id, customer_id=customer_id,
                                        kind=EventKind.SUGGESTED, query=query[:MAX_QUERY])
    return hits


def export_customer_data(organisation_id: int, customer_id: int) -> dict[str, Any]:
    """The customer's votes and self-service events, and the articles that quote their name or email address,
    for their data export."""
    votes = ArticleVote.objects.for_organisation(organisation_id).filter(customer_id=customer_id)
    events = SelfServiceEvent.objects.for_organisation(organisation_id).filter(customer_id=customer_id)
    quoting = articles_naming_customer(organisation_id, customer_id)
    return {
        "article_votes": [{"article_id": v.article_id, "helped": v.helped, "query": v.query,
                           "created_at": v.created_at.isoformat()} for v in votes],
        "self_service_events": [{"kind": e.kind, "article_id": e.article_id, "query": e.query,
                                 "created_at": e.created_at.isoformat()} for e in events],
        **({"articles_quoting_you": quoting} if quoting else {}),  # listed only where there are any
    }


def erase_customer_data(organisation_id: int, customer_id: int) -> int:
    """Delete the customer's votes and self-service events (their queries may hold personal words), and remove
    their name and email address from the text of any article that quotes them."""
    votes, _ = ArticleVote.objects.for_organisation(organisation_id).filter(customer_id=customer_id).delete()
    events, _ = SelfServiceEvent.objects.for_organisation(organisation_id).filter(customer_id=customer_id).delete()
    return votes + events + redact_customer_in_articles(organisation_id, customer_id)
