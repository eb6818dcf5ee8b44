"""Acting on feedback and closing the loop: acknowledgement, actions with outcomes, notes checked for contempt."""

from datetime import datetime

from django.db import transaction
from django.db.models import Count
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from eyelevel.analysis.text.contempt import check_note
from eyelevel.core.errors import Conflict, InvalidInput, NotFound
from eyelevel.core.models import Organisation
from eyelevel.core.tenancy import get_scoped
from eyelevel.feedback.models import (
    Action,
    ActionStatus,
    ContemptCheck,
    FeedbackItem,
    Note,
    OutcomeNotice,
    Status,
)
from eyelevel.feedback.schemas import (
    ActionIn,
    ActionOut,
    CustomerFeedbackOut,
    FeedbackOut,
    NoteCheckOut,
    NoteOut,
    PublicActionOut,
)

PURPOSE_CODE = "feedback-replies"
# A message about one item quotes it (up to this length); one about several names each by its first words.
ONE_ITEM_CHARS = 500
EXCERPT_WORDS = 12


def ensure_reply_purpose(*, organisation: Organisation) -> str:
    """Declare (once) the purpose under which customers are told what happened to their feedback."""
    from eyelevel.customers import services as customers
    from eyelevel.customers.schemas import PurposeIn

    try:
        customers.get_purpose(organisation=organisation, code=PURPOSE_CODE)
    except NotFound:
        customers.declare_purpose(organisation=organisation, data=PurposeIn(
            code=PURPOSE_CODE, name_en="Answers to your feedback", name_de="Antworten auf Ihr Feedback",
            description_en="When you give us feedback, we tell you that we received it and what we did about it.",
            description_de="Wenn Sie uns Feedback geben, sagen wir Ihnen, dass es angekommen ist und was wir "
                           "daraufhin getan haben.",
            legal_basis="legitimate_interest", retention_days=730))
    return PURPOSE_CODE


def _send(organisation: Organisation, customer_id: int, *, subject: str, body: str, reason: str,
          automated: bool, sender: str, purpose_code: str | None = None) -> int:
    from eyelevel.messaging import services as messaging
    from eyelevel.messaging.schemas import OutboundMessage

    return messaging.send_to_customer(organisation=organisation, message=OutboundMessage(
        customer_id=customer_id, purpose_code=purpose_code or ensure_reply_purpose(organisation=organisation),
        subject=subject, body=body, reason=reason, automated=automated, sender_name=sender)).message_id


def _require_member(organisation: Organisation, owner_id: int | None) -> None:
    from eyelevel.accounts import services as accounts

    if owner_id is not None and owner_id not in {m.user_id for m in accounts.list_members(organisation=organisation)}:
        raise InvalidInput(_("the owner is not a member of this organisation"), field="owner_id")


def _customer_language(organisation: Organisation, customer_id: int) -> str:
    from eyelevel.customers import services as customers

    return customers.get_customer(organisation=organisation, customer_id=customer_id).language or "en"


def _locked(model: type[FeedbackItem] | type[Action], organisation: Organisation, pk: int):  # type: ignore[no-untyped-def]
    """The organisation's row, locked for this transaction (no-op on SQLite, which locks the whole database)."""
    try:
        return model.objects.for_organisation(organisation).select_for_update().get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("%(name)s not found") % {"name": model._meta.verbose_name}) from None


def _by_customer(items: list[FeedbackItem]) -> dict[int, list[FeedbackItem]]:
    """The items that have a customer to tell, grouped per customer, oldest item first."""
    grouped: dict[int, list[FeedbackItem]] = {}
    for item in sorted(items, key=lambda i: (i.received_at, i.pk)):
        if item.customer_id:
            grouped.setdefault(item.customer_id, []).append(item)
    return grouped


def _quote_items(items: list[FeedbackItem]) -> str:
    """Each item by its date and its words (the first words only when a message covers several)."""
    def words(text: str) -> str:
        if len(items) == 1:
            return text[:ONE_ITEM_CHARS]
        parts = text.split()
        return " ".join(parts[:EXCERPT_WORDS]) + (" …" if len(parts) > EXCERPT_WORDS else "")

    lines = [_("%(date)s: “%(text)s”") % {"date": timezone.localdate(item.received_at).isoformat(),
                                          "text": words(item.text)} for item in items]
    return lines[0] if len(lines) == 1 else "\n".join(f"– {line}" for line in lines)


def _acknowledge(organisation: Organisation, items: list[FeedbackItem], *, user_id: int | None, sender: str,
                 status: str | None = None) -> None:
    """Take the items on; each customer gets one acknowledgement naming all of their items not taken on before."""
    now = timezone.now()
    fresh = [item for item in items if not item.acknowledged_at]
    for item in items:
        if not item.acknowledged_at:
            item.acknowledged_at = now
            if item.owner_id is None and user_id is not None:
                item.owner_id = user_id
            if item.status == Status.NEW:
                item.status = Status.ACKNOWLEDGED
        if status:
            item.status = status
    FeedbackItem.objects.for_organisation(organisation).bulk_update(items, ["acknowledged_at", "status", "owner"])
    for customer_id, theirs in _by_customer(fresh).items():
        # The acknowledgement is a template the system fills in, so it is labelled automated and signed by the
        # organisation, even when a person's click sent it; it names that person as the one who took it on.
        with translation.override(_customer_language(organisation, customer_id)):
            _send(organisation, customer_id, subject=_("We have received your feedback"),
                  body=ngettext(
                      "Thank you for your feedback:\n\n%(items)s\n\n%(who)s has taken it on. "
                      "We will tell you what we do about it.",
                      "Thank you for your feedback:\n\n%(items)s\n\n%(who)s has taken these %(count)d items on. "
                      "We will tell you what we do about them.", len(theirs)) % {
                      "items": _quote_items(theirs), "count": len(theirs),
                      "who": sender if user_id is not None else _("Our team")},
                  reason=_("You gave us feedback, and we tell you that someone has taken it on."),
                  automated=True, sender=organisation.name)


@transaction.atomic
def acknowledge_item(*, organisation: Organisation, feedback_item_id: int, user_id: int | None,
                     user_name: str = "") -> None:
    """Take an item on: it gets an owner, and its customer an acknowledgement (automated when no person took it)."""
    item = _locked(FeedbackItem, organisation, feedback_item_id)
    if item.acknowledged_at:
        raise Conflict(_("the item was acknowledged already"), field="feedback_item_id")
    _acknowledge(organisation, [item], user_id=user_id, sender=user_name or organisation.name)


def assign_item(*, organisation: Organisation, feedback_item_id: int, owner_id: int | None, team: str = "") -> None:
    """Give an item another owner or team."""
    _require_member(organisation, owner_id)
    item = get_scoped(FeedbackItem, organisation=organisation, pk=feedback_item_id)
    item.owner_id, item.team = owner_id, team.strip()
    item.save(update_fields=["owner", "team"])


def _action_out(action: Action) -> ActionOut:
    return ActionOut(
        id=action.pk, title=action.title, description=action.description, owner_id=action.owner_id,
        owner_name=action.owner.username if action.owner_id else "", team=action.team, due_date=action.due_date,
        status=action.status, outcome=action.outcome, public=action.public,
        item_count=getattr(action, "voices", None) or action.items.count(),
        created_at=action.created_at, done_at=action.done_at,
    )


@transaction.atomic
def create_action(*, organisation: Organisation, data: ActionIn, user_id: int | None, user_name: str = "") -> ActionOut:
    """An action on one or many items: every item is acknowledged (if it was not) and moves into action."""
    ids = sorted(set(data.feedback_item_ids))
    # Locked, so that two actions taken on the same items at once acknowledge them once.
    items = list(FeedbackItem.objects.for_organisation(organisation).select_for_update().filter(pk__in=ids))
    if len(items) != len(ids):
        raise NotFound(_("one or more feedback items were not found"), field="feedback_item_ids")
    if any(item.status == Status.DONE for item in items):
        raise Conflict(_("an item is done already"), field="feedback_item_ids")
    _require_member(organisation, data.owner_id)
    action = Action.objects.create(
        organisation=organisation, title=data.title.strip(), description=data.description, owner_id=data.owner_id,
        team=data.team.strip(), due_date=data.due_date, public=data.public, created_by_id=user_id)
    action.items.set(items)
    _acknowledge(organisation, items, user_id=user_id, sender=user_name or organisation.name,
                 status=Status.IN_ACTION)
    return _action_out(action)


@transaction.atomic
def complete_action(*, organisation: Organisation, action_id: int, outcome: str, user_name: str = "") -> ActionOut:
    """Record the outcome; every item is done, and every customer behind them is told ("you said, we did")."""
    action = _locked(Action, organisation, action_id)  # a second click waits here, then finds it done
    if action.status == ActionStatus.DONE:
        raise Conflict(_("the action is done already"), field="action_id")
    if not outcome.strip():
        raise InvalidInput(_("say what was done: the outcome is told to the customers"), field="outcome")
    now = timezone.now()
    action.status, action.outcome, action.done_at = ActionStatus.DONE, outcome.strip(), now
    action.save(update_fields=["status", "outcome", "done_at"])
    items = list(action.items.all())
    FeedbackItem.objects.for_organisation(organisation).filter(pk__in=[item.pk for item in items]).update(
        status=Status.DONE, closed_at=now)
    _tell_outcome(organisation, action, items, sender=user_name, now=now)
    return _action_out(action)


def _tell_outcome(organisation: Organisation, action: Action, items: list[FeedbackItem], *, sender: str,
                  now: datetime) -> None:
    """Tell each customer the outcome once, in one message naming all of their items; record it on every item."""
    told = set(OutcomeNotice.objects.for_organisation(organisation).filter(action=action).values_list(
        "item_id", flat=True))
    waiting = _by_customer([item for item in items if item.pk not in told])
    if not waiting:
        return
    purpose_code = ensure_reply_purpose(organisation=organisation)
    notices = []
    for customer_id, theirs in waiting.items():
        with translation.override(_customer_language(organisation, customer_id)):
            message_id = _send(
                organisation, customer_id, subject=_("You said, we did: %(title)s") % {"title": action.title},
                body=_("You told us:\n\n%(items)s\n\nWhat we did:\n\n%(outcome)s\n\nThank you for telling us.")
                % {"items": _quote_items(theirs), "outcome": action.outcome},
                reason=_("You gave us feedback, and we tell you what we did about it."),
                automated=not sender, sender=sender or organisation.name, purpose_code=purpose_code)
        notices += [OutcomeNotice(organisation=organisation, action=action, item=item, message_id=message_id,
                                  told_at=now) for item in theirs]
    OutcomeNotice.objects.bulk_create(notices)


def get_action(*, organisation: Organisation | int, action_id: int) -> ActionOut:
    """One action, or NotFound."""
    return _action_out(get_scoped(Action, organisation=organisation, pk=action_id))


def list_action_items(*, organisation: Organisation | int, action_id: int) -> list[FeedbackOut]:
    """The items an action answers, in one query (owners joined)."""
    from eyelevel.feedback.services.intake import item_out

    action = get_scoped(Action, organisation=organisation, pk=action_id)
    return [item_out(item) for item in action.items.select_related("owner")]


def action_item_ids(*, organisation: Organisation | int, action_id: int) -> list[int]:
    """The ids of the items an action answers."""
    return list(get_scoped(Action, organisation=organisation, pk=action_id).items.values_list("pk", flat=True))


def list_actions(*, organisation: Organisation | int, status: str = "", feedback_item_id: int | None = None) -> list[ActionOut]:
    """The organisation's actions, newest first."""
    actions = Action.objects.for_organisation(organisation).select_related("owner").annotate(voices=Count("items"))
    if status:
        actions = actions.filter(status=status)
    if feedback_item_id is not None:
        actions = actions.filter(items__pk=feedback_item_id)
    return [_action_out(a) for a in actions]


def list_public_actions(*, organisation: Organisation | int) -> list[PublicActionOut]:
    """Done public actions with the number of voices behind each; no personal data."""
    actions = (Action.objects.for_organisation(organisation).filter(status=ActionStatus.DONE, public=True)
               .annotate(voices=Count("items")).order_by("-done_at"))
    return [PublicActionOut(title=a.title, outcome=a.outcome, voices=a.voices, done_at=a.done_at) for a in actions]


def mark_solved(*, organisation: Organisation, feedback_item_id: int, outcome: str, user_id: int | None,
                user_name: str = "") -> ActionOut:
    """Solve one item at once (e.g. by a knowledge article): an action on it, done with the outcome."""
    action = create_action(organisation=organisation, user_id=user_id, user_name=user_name, data=ActionIn(
        title=outcome.strip()[:200] or "-", feedback_item_ids=[feedback_item_id], owner_id=user_id, public=False))
    return complete_action(organisation=organisation, action_id=action.id, outcome=outcome, user_name=user_name)


def list_customer_feedback(*, organisation: Organisation | int, customer_id: int) -> list[CustomerFeedbackOut]:
    """The customer's own items with their status and the outcomes told."""
    items = FeedbackItem.objects.for_organisation(organisation).filter(customer_id=customer_id).prefetch_related("actions")
    return [CustomerFeedbackOut(
        id=item.pk, text=item.text, received_at=item.received_at, status=item.status,
        acknowledged_at=item.acknowledged_at,
        outcomes=[a.outcome for a in item.actions.all() if a.status == ActionStatus.DONE]) for item in items]


def check_note_text(*, text: str) -> NoteCheckOut:
    """Contemptuous phrases in a note, with suggestions (empty lists when the note is fine)."""
    findings = check_note(text)
    return NoteCheckOut(phrases=[f.phrase for f in findings], suggestions=list(dict.fromkeys(f.suggestion for f in findings)))


@transaction.atomic
def add_note(*, organisation: Organisation, user_id: int | None, team: str, text: str, confirm: bool = False,
             feedback_item_id: int | None = None, action_id: int | None = None) -> NoteOut | NoteCheckOut:
    """Save an internal note, unless the check finds contempt and the author has not confirmed after seeing it."""
    if (feedback_item_id is None) == (action_id is None):
        raise InvalidInput(_("a note belongs to one item or one action"), field="feedback_item_id")
    item = get_scoped(FeedbackItem, organisation=organisation, pk=feedback_item_id) if feedback_item_id else None
    action = get_scoped(Action, organisation=organisation, pk=action_id) if action_id else None
    if not text.strip():
        raise InvalidInput(_("the note is empty"), field="text")
    check = check_note_text(text=text)
    if check.phrases and not confirm:
        ContemptCheck.objects.create(organisation=organisation, author_id=user_id, team=team, phrases=check.phrases)
        return check
    note = Note.objects.create(organisation=organisation, item=item, action=action, author_id=user_id, team=team,
                               text=text.strip(), flagged=bool(check.phrases), findings=check.phrases)
    return _note_out(note)


def _note_out(note: Note) -> NoteOut:
    return NoteOut(id=note.pk, text=note.text, author_name=note.author.username if note.author_id else "",
                   flagged=note.flagged, created_at=note.created_at)


def list_notes(*, organisation: Organisation | int, feedback_item_id: int | None = None,
               action_id: int | None = None) -> list[NoteOut]:
    """Notes on an item or an action, oldest first."""
    notes = Note.objects.for_organisation(organisation).select_related("author")
    notes = notes.filter(item_id=feedback_item_id) if feedback_item_id else notes.filter(action_id=action_id)
    return [_note_out(n) for n in notes]


def contempt_by_team(*, organisation: Organisation | int) -> dict[str, int]:
    """How many notes the contempt check stopped, per team ('' = no team)."""
    rows = ContemptCheck.objects.for_organisation(organisation).values("team").annotate(n=Count("id"))
    return {row["team"] or "-": row["n"] for row in rows}
