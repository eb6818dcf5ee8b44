"""Articles with the KCS structure, their states, and who may move them (licence levels tied to roles)."""

from __future__ import annotations

import hashlib
import re
from contextlib import nullcontext

import numpy as np
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eyelevel.accounts.schemas import ActingStaff
from eyelevel.analysis.embeddings import embed_passages
from eyelevel.analysis.search import document_text, embedding_text, one_thread
from eyelevel.analysis.text.personal_data import find_personal_data
from eyelevel.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from eyelevel.core.models import Organisation
from eyelevel.core.pagination import page_window
from eyelevel.core.permissions import (
    KNOWLEDGE_PUBLISH,
    KNOWLEDGE_VALIDATE,
    KNOWLEDGE_WRITE,
    require,
    role_has,
)
from eyelevel.core.tenancy import get_scoped
from eyelevel.customers import services as customers
from eyelevel.feedback import services as feedback
from eyelevel.knowledge.models import Article, ArticleLink, State, Visibility
from eyelevel.knowledge.schemas import ArticleIn, ArticleOut, ArticlePage, PersonalDataOut

PAGE_SIZE = 25
PORTAL_VISIBILITIES = (Visibility.CUSTOMERS, Visibility.PUBLIC)
# Published public articles are also readable without logging in (the public help pages).
PUBLIC_VISIBILITIES = (Visibility.PUBLIC,)

# (from, to) -> the licence (permission) needed. KCS: a candidate becomes validated only by someone
# licensed to validate; archiving and reviving are theirs too.
ALLOWED_TRANSITIONS: dict[tuple[str, str], str] = {
    (State.WORK_IN_PROGRESS, State.NOT_VALIDATED): KNOWLEDGE_WRITE,
    (State.NOT_VALIDATED, State.WORK_IN_PROGRESS): KNOWLEDGE_WRITE,
    (State.WORK_IN_PROGRESS, State.VALIDATED): KNOWLEDGE_VALIDATE,
    (State.NOT_VALIDATED, State.VALIDATED): KNOWLEDGE_VALIDATE,
    (State.VALIDATED, State.NOT_VALIDATED): KNOWLEDGE_VALIDATE,
    (State.WORK_IN_PROGRESS, State.ARCHIVED): KNOWLEDGE_VALIDATE,
    (State.NOT_VALIDATED, State.ARCHIVED): KNOWLEDGE_VALIDATE,
    (State.VALIDATED, State.ARCHIVED): KNOWLEDGE_VALIDATE,
    (State.ARCHIVED, State.NOT_VALIDATED): KNOWLEDGE_VALIDATE,
}


def article_text(article: Article) -> str:
    """The text an article is found by (title, issue, environment, resolution, cause)."""
    body = "\n".join(part for part in (article.issue, article.environment, article.resolution, article.cause) if part)
    return document_text(article.title, body)


def _embedding_source(article: Article) -> tuple[str, str]:
    text = embedding_text(article_text(article))
    return text, hashlib.sha256(text.encode("utf-8")).hexdigest()


def embed_articles(articles: list[Article]) -> list[Article]:
    """Compute the embeddings of those articles whose text changed since their last one (in one batch)."""
    stale = []
    for article in articles:
        text, digest = _embedding_source(article)
        if article.embedded_text_hash != digest or not article.embedding:
            stale.append((article, text, digest))
    if stale:
        with one_thread() if len(stale) == 1 else nullcontext():
            vectors = embed_passages([text for _article, text, _digest in stale])
        for (article, _text, digest), vector in zip(stale, vectors, strict=True):
            article.embedding = vector.astype(np.float32).tobytes()
            article.embedded_text_hash = digest
    return [article for article, _text, _digest in stale]


def embed_article(article: Article) -> bool:
    """Compute the article's embedding if its text changed since the last one; whether it did."""
    return bool(embed_articles([article]))


def _annotated(organisation: Organisation | int):  # type: ignore[no-untyped-def]
    """Articles with what `to_out` needs loaded up front: people, open flag count, linked cases (one query each)."""
    links = ArticleLink.objects.for_organisation(organisation).order_by("created_at", "id")
    return Article.objects.for_organisation(organisation).select_related("author", "owner").annotate(
        open_flag_total=Count("flags", filter=Q(flags__resolved_at__isnull=True), distinct=True),
    ).prefetch_related(Prefetch("links", queryset=links, to_attr="ordered_links"))


def to_out(article: Article) -> ArticleOut:
    """The schema of an article loaded through `_annotated` (its open flags and linked cases come with it)."""
    case_ids = [link.feedback_item_id for link in article.ordered_links]
    return ArticleOut(
        id=article.pk, title=article.title, issue=article.issue, environment=article.environment,
        resolution=article.resolution, cause=article.cause, language=article.language,
        visibility=article.visibility, state=article.state, state_label=str(State(article.state).label),
        published=article.published, author_id=article.author_id,
        author_name=article.author.username if article.author_id else "",
        owner_id=article.owner_id, owner_name=article.owner.username if article.owner_id else "",
        created_at=article.created_at, updated_at=article.updated_at, validated_at=article.validated_at,
        published_at=article.published_at, reuse_count=len(case_ids),
        linked_case_ids=case_ids,
        open_flags=article.open_flag_total,
    )


def _load(organisation: Organisation | int, article_id: int) -> Article:
    return get_scoped(Article, organisation=organisation, pk=article_id)


def _check_content(data: ArticleIn) -> None:
    if not data.title.strip():
        raise InvalidInput(_("the title is empty"), field="title")
    if not data.issue.strip():
        raise InvalidInput(_("describe the issue in the customer's words"), field="issue")


def may_fix(*, role: str | None, state: str) -> bool:
    """Whether a role may edit an article in this state ("fix it"): validated ones need the validate licence."""
    if role is None:
        return False
    needed = KNOWLEDGE_VALIDATE if state in (State.VALIDATED, State.ARCHIVED) else KNOWLEDGE_WRITE
    return role_has(role, needed)


def allowed_transitions(*, role: str | None, state: str) -> list[str]:
    """The states a role may move an article to from this state."""
    if role is None:
        return []
    return [target for (source, target), permission in ALLOWED_TRANSITIONS.items()
            if source == state and role_has(role, permission)]


@transaction.atomic
def create_article(*, organisation: Organisation, actor: ActingStaff | None, data: ArticleIn) -> ArticleOut:
    """Create an article (work in progress); the author owns it and receives its flags."""
    if actor is not None:
        require(actor.role, KNOWLEDGE_WRITE)
    _check_content(data)
    article = Article(organisation=organisation, author_id=actor.user_id if actor else None,
                      owner_id=actor.user_id if actor else None, **data.model_dump())
    embed_article(article)
    article.save()
    return get_article(organisation=organisation, article_id=article.pk)


def get_article(*, organisation: Organisation | int, article_id: int) -> ArticleOut:
    """One article of the organisation, or NotFound."""
    try:
        return to_out(_annotated(organisation).get(pk=article_id))
    except (Article.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("article not found")) from None


def get_portal_article(*, organisation: Organisation | int, article_id: int, public_only: bool = False) -> ArticleOut:
    """An article customers may read (validated, published, visible to customers), or NotFound.

    With public_only, only an article anyone may read without logging in (visibility public).
    """
    article = get_article(organisation=organisation, article_id=article_id)
    visibilities = PUBLIC_VISIBILITIES if public_only else PORTAL_VISIBILITIES
    if not (article.published and article.state == State.VALIDATED and article.visibility in visibilities):
        raise NotFound(_("article not found"))
    return article


def count_articles(*, organisation_id: int, state: str = "") -> int:
    """How many articles the organisation has (in a state, if given)."""
    articles = Article.objects.for_organisation(organisation_id)
    return articles.filter(state=state).count() if state else articles.count()


def list_articles(*, organisation: Organisation | int, state: str = "", query: str = "", page: int = 1,
                  portal_only: bool = False, public_only: bool = False) -> ArticlePage:
    """The organisation's articles, newest change first, optionally by state or title words.

    portal_only: those customers read in the portal; public_only: those anyone reads without logging in.
    """
    articles = _annotated(organisation)
    if state:
        if state not in State.values:
            raise InvalidInput(_("unknown state %(state)s") % {"state": repr(state)}, field="state")
        articles = articles.filter(state=state)
    if portal_only or public_only:
        articles = articles.filter(state=State.VALIDATED, published=True,
                                   visibility__in=PUBLIC_VISIBILITIES if public_only else PORTAL_VISIBILITIES)
    if query.strip():
        articles = articles.filter(title__icontains=query.strip())
    window = page_window(total=articles.count(), page=page, page_size=PAGE_SIZE)
    items = [to_out(article) for article in articles[window.start: window.stop]]
    return ArticlePage(items=items, total=window.total, page=window.page, pages=window.pages)


@transaction.atomic
def update_article(*, organisation: Organisation, actor: ActingStaff | None, article_id: int,
                   data: ArticleIn) -> ArticleOut:
    """Fix an article's content; validated articles only by those licensed to validate."""
    article = _load(organisation, article_id)
    role = actor.role if actor else None
    if actor is not None and not may_fix(role=role, state=article.state):
        raise PermissionDenied(_("your licence does not allow fixing this article; flag it instead"))
    if actor is None and article.state in (State.VALIDATED, State.ARCHIVED):
        raise PermissionDenied(_("validated and archived articles are fixed by licensed staff only"))
    _check_content(data)
    contacts = _linked_contacts(organisation, article) if article.published else ([], [])
    before = {(f.kind, f.text) for f in _personal_data(article, contacts)} if article.published else set()
    for field, value in data.model_dump().items():
        setattr(article, field, value)
    if article.published and article.visibility not in PORTAL_VISIBILITIES:
        article.published = False  # made internal: it leaves the portal at once
    if article.published:
        # A published article must not gain personal data through a fix; what was confirmed at publishing stays.
        added = [f for f in _personal_data(article, contacts) if (f.kind, f.text) not in before]
        if added:
            _refuse_personal_data(added, _("not saved while the article is published"), InvalidInput)
    embed_article(article)
    article.save()
    return get_article(organisation=organisation, article_id=article.pk)


@transaction.atomic
def transition_article(*, organisation: Organisation, actor: ActingStaff, article_id: int,
                       state: str) -> ArticleOut:
    """Move an article to another KCS state, if the actor's licence allows that move."""
    article = _load(organisation, article_id)
    if state not in State.values:
        raise InvalidInput(_("unknown state %(state)s") % {"state": repr(state)}, field="state")
    permission = ALLOWED_TRANSITIONS.get((article.state, state))
    if permission is None:
        raise Conflict(_("an article cannot move from %(old)s to %(new)s") % {"old": article.state, "new": state},
                       field="state")
    require(actor.role, permission)
    article.state = state
    if state == State.VALIDATED:
        article.validated_at = timezone.now()
    else:
        article.published = False  # only validated articles stay in the portal
    article.save()
    return get_article(organisation=organisation, article_id=article.pk)


CONTENT_FIELDS = ("title", "issue", "environment", "resolution", "cause")
PERSONAL_DATA_KINDS = {"email": gettext_lazy("email address"), "phone": gettext_lazy("phone number"),
                       "iban": gettext_lazy("IBAN"), "card": gettext_lazy("payment card number"),
                       "name": gettext_lazy("a linked customer's name")}


def _linked_contacts(organisation: Organisation | int, article: Article) -> tuple[list[str], list[str]]:
    """The names and email addresses of the customers whose cases are linked to the article (their words are
    where its text came from)."""
    item_ids = article.links.values_list("feedback_item_id", flat=True)
    linked = customers.get_customers(organisation=organisation, customer_ids=feedback.customer_ids_of_items(
        organisation=organisation, feedback_item_ids=item_ids))
    return [c.display_name for c in linked], [c.email for c in linked]


def _personal_data(article: Article, contacts: tuple[list[str], list[str]]) -> list[PersonalDataOut]:
    """What in the article's text looks like personal data, by field: contact and payment data, and the given
    names and email addresses."""
    names, emails = contacts
    return [PersonalDataOut(field=name, kind=finding.kind, text=finding.text,
                            label=f"{Article._meta.get_field(name).verbose_name}: {PERSONAL_DATA_KINDS[finding.kind]}")
            for name in CONTENT_FIELDS
            for finding in find_personal_data(getattr(article, name), names=names, emails=emails)]


def personal_data_in_article(*, organisation: Organisation | int, article_id: int) -> list[PersonalDataOut]:
    """What in the article's text looks like personal data (shown before publishing)."""
    article = _load(organisation, article_id)
    return _personal_data(article, _linked_contacts(organisation, article))


def _refuse_personal_data(found: list[PersonalDataOut], what: str, error: type[Conflict | InvalidInput]) -> None:
    first = found[0]
    raise error(
        _("%(what)s: the %(field)s contains what looks like personal data (%(kind)s “%(text)s”); "
          "remove it, or confirm that it is not personal (for example your own hotline)") % {
            "what": what, "field": Article._meta.get_field(first.field).verbose_name,
            "kind": PERSONAL_DATA_KINDS[first.kind], "text": first.text}, field=first.field,
        errors=[{"field": f.field, "message": f"{f.kind}: {f.text}"} for f in found])


@transaction.atomic
def publish_article(*, organisation: Organisation, actor: ActingStaff, article_id: int,
                    confirmed_not_personal: bool = False) -> ArticleOut:
    """Publish a validated article to the portal (needs the publish licence). Rule 1: text that looks like
    personal data (a customer's name, email address, phone, account or card number) stops the publication
    unless the publisher confirms it is not personal."""
    require(actor.role, KNOWLEDGE_PUBLISH)
    article = _load(organisation, article_id)
    if article.state != State.VALIDATED:
        raise Conflict(_("only validated articles can be published"), field="state")
    if article.visibility not in PORTAL_VISIBILITIES:
        raise Conflict(_("an internal article cannot be published; make it visible to customers first"),
                       field="visibility")
    found = _personal_data(article, _linked_contacts(organisation, article))
    if found and not confirmed_not_personal:
        _refuse_personal_data(found, _("not published"), Conflict)
    article.published = True
    article.published_at = article.published_at or timezone.now()
    article.save()
    return get_article(organisation=organisation, article_id=article.pk)


@transaction.atomic
def unpublish_article(*, organisation: Organisation, actor: ActingStaff, article_id: int) -> ArticleOut:
    """Take an article out of the portal."""
    require(actor.role, KNOWLEDGE_PUBLISH)
    article = _load(organisation, article_id)
    article.published = False
    article.save()
    return get_article(organisation=organisation, article_id=article.pk)


REDACTED = "[…]"


def _naming_terms(organisation_id: int, customer_id: int) -> list[str]:
    """The customer's full name and email address, as an article's text could quote them (short ones would
    match ordinary words)."""
    customer = customers.get_customer(organisation=organisation_id, customer_id=customer_id)
    return [term for term in (" ".join(customer.display_name.split()), customer.email.strip()) if len(term) >= 4]


def _articles_naming(organisation_id: int, terms: list[str]):  # type: ignore[no-untyped-def]
    if not terms:
        return Article.objects.none()
    condition = Q()
    for term in terms:
        for name in CONTENT_FIELDS:
            condition |= Q(**{f"{name}__icontains": term})
    return Article.objects.for_organisation(organisation_id).filter(condition)


def articles_naming_customer(organisation_id: int, customer_id: int) -> list[dict]:
    """Articles whose text quotes the customer's name or email address (for their data export, rule 1)."""
    terms = _naming_terms(organisation_id, customer_id)
    return [{"article_id": a.pk, "title": a.title, "state": a.state, "published": a.published}
            for a in _articles_naming(organisation_id, terms)]


def redact_customer_in_articles(organisation_id: int, customer_id: int) -> int:
    """Erasure (rule 1): remove the customer's name and email address wherever an article's text quotes them;
    the article stays, it is the organisation's knowledge. Returns the number of articles changed."""
    terms = _naming_terms(organisation_id, customer_id)
    patterns = [re.compile(re.escape(term), re.IGNORECASE) for term in terms]
    changed = []
    for article in _articles_naming(organisation_id, terms):
        for name in CONTENT_FIELDS:
            text = getattr(article, name)
            for pattern in patterns:
                text = pattern.sub(REDACTED, text)
            setattr(article, name, text)
        changed.append(article)
    embed_articles(changed)
    for article in changed:
        article.save()  # updated_at moves, so the cached search indexes are rebuilt
    return len(changed)
