"""Acting on feedback and closing the loop: acknowledgement, actions with outcomes, notes checked for contempt."""

from django.db import transaction
from django.db.models import Count
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from eyelevel.analysis.text.contempt import check_note
from eyelevel.core.errors import Conflict, InvalidInput, NotFound
from eyelevel.core.models import Organisation
from eyelevel.core.tenancy import get_scoped
from eyelevel.feedback.models import Action, ActionStatus, ContemptCheck, FeedbackItem, Note, Status
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
          automated: bool, sender: str, purpose_code: str | None = None) -> None:
    from eyelevel.messaging import services as messaging
    from eyelevel.messaging.schemas import OutboundMessage

    messaging.send_to_customer(organisation=organisation, message=OutboundMessage(
        customer_id=customer_id, purpose_code=purpose_code or ensure_reply_purpose(organisation=organisation),
        subject=subject, body=body, reason=reason, automated=automated, sender_name=sender))


def _require_member(organisation: Organisation, owner_id: int | None) -> None:
    from eyelevel.accounts import services as accounts

    if owner_id is not None and owner_id not in {m.user_id for m in accounts.list_members(organisation=organisation)}:
        raise InvalidInput("the owner is not a member of this organisation", field="owner_id")


def _customer_language(organisation: Organisation, customer_id: int) -> str:
    from eyelevel.customers import services as customers

    return customers.get_customer(organisation=organisation, customer_id=customer_id).language or "en"


def _acknowledge(organisation: Organisation, item: FeedbackItem, *, user_id: int | None, sender: str,
                 now=None) -> None:  # type: ignore[no-untyped-def]
    if item.acknowledged_at:
        return
    item.acknowledged_at = now or timezone.now()
    if item.status == Status.NEW:
        item.status = Status.ACKNOWLEDGED
    if item.owner_id is None and user_id is not None:
        item.owner_id = user_id
    item.save(update_fields=["acknowledged_at", "status", "owner"])
    if item.customer_id:
        # The acknowledgement is a template the system fills in, so it is labelled automated and signed by the
        # organisation, even when a person's click sent it; it names that person as the one who took it on.
        with translation.override(_customer_language(organisation, item.customer_id)):
            _send(organisation, item.customer_id, subject=_("We have received your feedback"),
                  body=_("Thank you for your feedback of %(date)s:\n\n“%(text)s”\n\n%(who)s has taken it on. "
                         "We will tell you what we do about it.") % {
                      "date": item.received_at.date().isoformat(), "text": item.text[:500],
                      "who": sender if user_id is not None else _("Our team")},
                  reason=_("You gave us feedback, and we tell you that someone has taken it on."),
                  automated=True, sender=organisation.name)


@transaction.atomic
def acknowledge_item(*, organisation: Organisation, feedback_item_id: int, user_id: int | None,
                     user_name: str = "") -> None:
    """Take an item on: it gets an owner, and its customer an acknowledgement (automated when no person took it)."""
    item = get_scoped(FeedbackItem, organisation=organisation, pk=feedback_item_id)
    if item.acknowledged_at:
        raise Conflict("the item was acknowledged already", field="feedback_item_id")
    _acknowledge(organisation, item, user_id=user_id, sender=user_name or organisation.name)


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
    items = list(FeedbackItem.objects.for_organisation(organisation).filter(pk__in=ids))
    if len(items) != len(ids):
        raise NotFound("one or more feedback items were not found", field="feedback_item_ids")
    if any(item.status == Status.DONE for item in items):
        raise Conflict("an item is done already", field="feedback_item_ids")
    _require_member(organisation, data.owner_id)
    action = Action.objects.create(
        organisation=organisation, title=data.title.strip(), description=data.description, owner_id=data.owner_id,
        team=data.team.strip(), due_date=data.due_date, public=data.public, created_by_id=user_id)
    action.items.set(items)
    for item in items:
        _acknowledge(organisation, item, user_id=user_id, sender=user_name or organisation.name)
        item.status = Status.IN_ACTION
        item.save(update_fields=["status"])
    return _action_out(action)


@transaction.atomic
def complete_action(*, organisation: Organisation, action_id: int, outcome: str, user_name: str = "") -> ActionOut:
    """Record the outcome; every item is done, and every customer behind them is told ("you said, we did")."""
    action = get_scoped(Action, organisation=organisation, pk=action_id)
    if action.status == ActionStatus.DONE:
        raise Conflict("the action is done already", field="action_id")
    if not outcome.strip():
        raise InvalidInput("say what was done: the outcome is told to the customers", field="outcome")
    now = timezone.now()
    action.status, action.outcome, action.done_at = ActionStatus.DONE, outcome.strip(), now
    action.save(update_fields=["status", "outcome", "done_at"])
    items = list(action.items.all())
    FeedbackItem.objects.for_organisation(organisation).filter(pk__in=[item.pk for item in items]).update(
        status=Status.DONE, closed_at=now)
    first_item_per_customer = {}
    for item in items:
        if item.customer_id:
            first_item_per_customer.setdefault(item.customer_id, item)
    purpose_code = ensure_reply_purpose(organisation=organisation) if first_item_per_customer else None
    for customer_id, item in first_item_per_customer.items():
        with translation.override(_customer_language(organisation, customer_id)):
            _send(organisation, customer_id, subject=_("You said, we did: %(title)s") % {"title": action.title},
                  body=_("You told us:\n\n“%(text)s”\n\nWhat we did:\n\n%(outcome)s\n\nThank you for telling us.")
                  % {"text": item.text[:500], "outcome": action.outcome},
                  reason=_("You gave us feedback, and we tell you what we did about it."),
                  automated=not user_name, sender=user_name or organisation.name, purpose_code=purpose_code)
    return _action_out(action)


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
        raise InvalidInput("a note belongs to one item or one action", field="feedback_item_id")
    item = get_scoped(FeedbackItem, organisation=organisation, pk=feedback_item_id) if feedback_item_id else None
    action = get_scoped(Action, organisation=organisation, pk=action_id) if action_id else None
    if not text.strip():
        raise InvalidInput("the note is empty", field="text")
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
