"""Capture in the workflow: link articles to the cases they solve, create them from cases, flag or fix."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eyelevel.accounts.schemas import ActingStaff
from eyelevel.core.errors import Conflict, InvalidInput, PermissionDenied
from eyelevel.core.models import Organisation
from eyelevel.core.permissions import KNOWLEDGE_VALIDATE, KNOWLEDGE_WRITE, require, role_has
from eyelevel.core.tenancy import get_scoped
from eyelevel.feedback import services as feedback
from eyelevel.knowledge.models import Article, ArticleFlag, ArticleLink, LinkKind, State
from eyelevel.knowledge.schemas import ArticleIn, ArticleOut, FlagOut, LinkOut
from eyelevel.knowledge.services.articles import create_article, get_article

TITLE_LENGTH = 80


def _link_out(link: ArticleLink) -> LinkOut:
    return LinkOut(article_id=link.article_id, feedback_item_id=link.feedback_item_id, kind=link.kind,
                   linked_by_name=link.linked_by.username if link.linked_by_id else "", created_at=link.created_at)


def _flag_out(flag: ArticleFlag) -> FlagOut:
    return FlagOut(id=flag.pk, article_id=flag.article_id, article_title=flag.article.title,
                   raised_by_name=flag.raised_by.username if flag.raised_by_id else "", comment=flag.comment,
                   created_at=flag.created_at, resolved_at=flag.resolved_at)


def _add_link(organisation: Organisation, actor: ActingStaff, article: Article, feedback_item_id: int,
              kind: str) -> None:
    try:
        with transaction.atomic():
            ArticleLink.objects.create(organisation=organisation, article=article, feedback_item_id=feedback_item_id,
                                       kind=kind, linked_by_id=actor.user_id)
    except IntegrityError:
        raise Conflict(_("this article is already linked to this feedback item"), field="article_id") from None


@transaction.atomic
def link_article_to_feedback(*, organisation: Organisation, actor: ActingStaff, article_id: int,
                             feedback_item_id: int) -> ArticleOut:
    """Solve a feedback item with an existing article: a reuse, counted on the article."""
    require(actor.role, KNOWLEDGE_WRITE)
    feedback.get_feedback_item(organisation=organisation, feedback_item_id=feedback_item_id)  # NotFound if foreign
    article = get_scoped(Article, organisation=organisation, pk=article_id)
    if article.state == State.ARCHIVED:
        raise Conflict(_("an archived article cannot be reused; revive it first"), field="article_id")
    kind = LinkKind.REUSED if article.links.exists() else LinkKind.CREATED
    _add_link(organisation, actor, article, feedback_item_id, kind)
    return get_article(organisation=organisation, article_id=article.pk)


@transaction.atomic
def link_article_to_action(*, organisation: Organisation, actor: ActingStaff, article_id: int,
                           action_id: int) -> ArticleOut:
    """Solve every feedback item an action answers with one article (each new link counts as a use)."""
    require(actor.role, KNOWLEDGE_WRITE)
    item_ids = feedback.action_item_ids(organisation=organisation, action_id=action_id)  # NotFound if foreign
    article = get_scoped(Article, organisation=organisation, pk=article_id)
    if article.state == State.ARCHIVED:
        raise Conflict(_("an archived article cannot be reused; revive it first"), field="article_id")
    linked = set(article.links.values_list("feedback_item_id", flat=True))
    for item_id in item_ids:
        if item_id not in linked:
            kind = LinkKind.REUSED if linked else LinkKind.CREATED
            _add_link(organisation, actor, article, item_id, kind)
            linked.add(item_id)
    return get_article(organisation=organisation, article_id=article.pk)


def draft_from_feedback(*, organisation: Organisation | int, feedback_item_id: int) -> ArticleIn:
    """A new article prefilled from a feedback item: its text becomes the issue, in the customer's words."""
    item = feedback.get_feedback_item(organisation=organisation, feedback_item_id=feedback_item_id)
    text = " ".join(item.text.split())
    title = text if len(text) <= TITLE_LENGTH else text[: TITLE_LENGTH - 1].rsplit(" ", 1)[0] + "…"
    language = item.language if item.language in ("en", "de") else "en"
    return ArticleIn(title=title or "-", issue=item.text, language=language)


@transaction.atomic
def create_article_from_feedback(*, organisation: Organisation, actor: ActingStaff, feedback_item_id: int,
                                 data: ArticleIn) -> ArticleOut:
    """Create an article while solving a feedback item, and link it as the article's first use."""
    feedback.get_feedback_item(organisation=organisation, feedback_item_id=feedback_item_id)
    created = create_article(organisation=organisation, actor=actor, data=data)
    article = get_scoped(Article, organisation=organisation, pk=created.id)
    _add_link(organisation, actor, article, feedback_item_id, LinkKind.CREATED)
    return get_article(organisation=organisation, article_id=article.pk)


def links_for_feedback(*, organisation: Organisation | int, feedback_item_id: int) -> list[LinkOut]:
    """The articles linked to a feedback item."""
    links = ArticleLink.objects.for_organisation(organisation).filter(
        feedback_item_id=feedback_item_id).select_related("linked_by")
    return [_link_out(link) for link in links]


@transaction.atomic
def flag_article(*, organisation: Organisation, actor: ActingStaff, article_id: int, comment: str) -> FlagOut:
    """"Flag it": say what is wrong with an article; the flag goes to the article's owner."""
    require(actor.role, KNOWLEDGE_WRITE)
    article = get_scoped(Article, organisation=organisation, pk=article_id)
    if not comment.strip():
        raise InvalidInput(_("say what is wrong with the article"), field="comment")
    flag = ArticleFlag.objects.create(organisation=organisation, article=article, raised_by_id=actor.user_id,
                                      comment=comment.strip()[:5000])
    return _flag_out(flag)


def list_flags_for_owner(*, organisation: Organisation | int, user_id: int, open_only: bool = True) -> list[FlagOut]:
    """Flags on the articles a user owns (their inbox of things to fix)."""
    flags = ArticleFlag.objects.for_organisation(organisation).filter(article__owner_id=user_id).select_related(
        "article", "raised_by")
    if open_only:
        flags = flags.filter(resolved_at__isnull=True)
    return [_flag_out(flag) for flag in flags]


@transaction.atomic
def resolve_flag(*, organisation: Organisation, actor: ActingStaff, article_flag_id: int) -> FlagOut:
    """Close a flag once the article is fixed (its owner, or anyone licensed to validate)."""
    flag = get_scoped(ArticleFlag, organisation=organisation, pk=article_flag_id)
    if flag.article.owner_id != actor.user_id and not role_has(actor.role, KNOWLEDGE_VALIDATE):
        raise PermissionDenied(_("only the article's owner or a coach may resolve its flags"))
    if flag.resolved_at is not None:
        raise Conflict(_("the flag is resolved already"))
    flag.resolved_at = timezone.now()
    flag.save(update_fields=["resolved_at"])
    return _flag_out(flag)

