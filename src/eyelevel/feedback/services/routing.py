"""Routing: rules assign an owner or team and deadlines per urgency; overdue items escalate to a manager."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from eyelevel.accounts import services as accounts
from eyelevel.accounts.schemas import MemberOut
from eyelevel.core.errors import InvalidInput
from eyelevel.core.models import Organisation
from eyelevel.core.permissions import Role
from eyelevel.core.tenancy import get_scoped
from eyelevel.feedback.models import FeedbackItem, RoutingRule, Sentiment, Status, Urgency, UrgencyDeadline
from eyelevel.feedback.schemas import DeadlineOut, RoutingRuleIn, RoutingRuleOut

# hours to acknowledge, hours to act, per urgency (an organisation may override each)
DEFAULT_DEADLINES: dict[str, tuple[int, int]] = {
    Urgency.CRITICAL: (2, 24),
    Urgency.HIGH: (8, 72),
    Urgency.NORMAL: (24, 168),
    Urgency.LOW: (72, 336),
}


def _member_names(organisation: Organisation | int) -> dict[int, str]:
    org = organisation if isinstance(organisation, Organisation) else Organisation.objects.get(pk=organisation)
    return {member.user_id: member.username for member in accounts.list_members(organisation=org)}


def _touchpoint_names(organisation: Organisation | int) -> dict[int, str]:
    from eyelevel.relationships import services as relationships

    return {t.id: t.name for t in relationships.list_touchpoints(organisation=organisation)}


def _rule_out(rule: RoutingRule, names: dict[int, str], touchpoints: dict[int, str] | None = None) -> RoutingRuleOut:
    return RoutingRuleOut(
        id=rule.pk, name=rule.name, position=rule.position, aspect=rule.aspect, touchpoint_id=rule.touchpoint_id,
        language=rule.language, sentiment=rule.sentiment, urgency=rule.urgency, owner_id=rule.owner_id,
        team=rule.team, owner_name=names.get(rule.owner_id or 0, ""),
        touchpoint_name=(touchpoints or {}).get(rule.touchpoint_id or 0, ""), active=rule.active,
    )


def list_rules(*, organisation: Organisation) -> list[RoutingRuleOut]:
    """The organisation's routing rules in the order they are tried."""
    names, touchpoints = _member_names(organisation), _touchpoint_names(organisation)
    return [_rule_out(rule, names, touchpoints) for rule in RoutingRule.objects.for_organisation(organisation)]


def _validate_rule(organisation: Organisation, data: RoutingRuleIn, names: dict[int, str]) -> None:
    if data.sentiment and data.sentiment not in Sentiment.values:
        raise InvalidInput(_("unknown sentiment %(sentiment)s") % {"sentiment": repr(data.sentiment)}, field="sentiment")
    if data.urgency and data.urgency not in Urgency.values:
        raise InvalidInput(_("unknown urgency %(urgency)s") % {"urgency": repr(data.urgency)}, field="urgency")
    if data.language and data.language not in {"de", "en"}:
        raise InvalidInput(_("language is 'de', 'en' or empty"), field="language")
    if data.owner_id is None and not data.team.strip():
        raise InvalidInput(_("a rule needs an owner or a team"), field="owner_id")
    if data.owner_id is not None and data.owner_id not in names:
        raise InvalidInput(_("the owner is not a member of this organisation"), field="owner_id")
    if data.touchpoint_id is not None:
        from eyelevel.core.errors import NotFound
        from eyelevel.relationships import services as relationships

        try:
            relationships.get_touchpoint(organisation=organisation, touchpoint_id=data.touchpoint_id)
        except NotFound:
            raise InvalidInput(_("unknown touchpoint"), field="touchpoint_id") from None


def create_rule(*, organisation: Organisation, data: RoutingRuleIn) -> RoutingRuleOut:
    """Add a routing rule."""
    names = _member_names(organisation)
    _validate_rule(organisation, data, names)
    rule = RoutingRule.objects.create(organisation=organisation, **data.dict())
    return _rule_out(rule, names, _touchpoint_names(organisation))


def delete_rule(*, organisation: Organisation, routing_rule_id: int) -> None:
    """Remove a routing rule (items it routed keep their owner)."""
    get_scoped(RoutingRule, organisation=organisation, pk=routing_rule_id).delete()


def list_deadlines(*, organisation: Organisation | int) -> list[DeadlineOut]:
    """Hours to acknowledge and to act per urgency, the organisation's overrides applied."""
    overrides = {d.urgency: d for d in UrgencyDeadline.objects.for_organisation(organisation)}
    result = []
    for urgency in reversed(Urgency.values):
        ack, act = DEFAULT_DEADLINES[urgency]
        if urgency in overrides:
            ack, act = overrides[urgency].acknowledge_hours, overrides[urgency].action_hours
        result.append(DeadlineOut(urgency=urgency, acknowledge_hours=ack, action_hours=act))
    return result


def set_deadline(*, organisation: Organisation, urgency: str, acknowledge_hours: int, action_hours: int) -> None:
    """Set how long acknowledgement and action may take at an urgency."""
    if urgency not in Urgency.values:
        raise InvalidInput(_("unknown urgency %(urgency)s") % {"urgency": repr(urgency)}, field="urgency")
    if not 1 <= acknowledge_hours <= action_hours <= 24 * 365:
        raise InvalidInput(_("hours: 1 <= acknowledge <= action <= 8760"), field="acknowledge_hours")
    UrgencyDeadline.objects.for_organisation(organisation).update_or_create(
        organisation=organisation, urgency=urgency,
        defaults={"acknowledge_hours": acknowledge_hours, "action_hours": action_hours})


def has_aspect(aspects: list[dict] | None, label: str) -> bool:
    """Whether the item's aspects carry the label, as a coarse category ("Cat") or in full ("Cat#Sub")."""
    return any(a.get("label", "") == label or a.get("label", "").split("#")[0] == label for a in aspects or [])


def _matches(rule: RoutingRule, item: FeedbackItem) -> bool:
    if rule.aspect and not has_aspect(item.aspects, rule.aspect):
        return False
    if rule.touchpoint_id and rule.touchpoint_id != item.touchpoint_id:
        return False
    return all(not getattr(rule, name) or getattr(rule, name) == getattr(item, name)
               for name in ("language", "sentiment", "urgency"))


def route_items(items: list[FeedbackItem], *, now: datetime | None = None) -> None:
    """Give each (unsaved or saved) item its owner, team and deadlines from the first matching rule."""
    if not items:
        return
    organisation_id = items[0].organisation_id
    rules = list(RoutingRule.objects.for_organisation(organisation_id).filter(active=True))
    deadlines = {d.urgency: (d.acknowledge_hours, d.action_hours) for d in list_deadlines(organisation=organisation_id)}
    for item in items:
        ack, act = deadlines.get(item.urgency or Urgency.NORMAL, DEFAULT_DEADLINES[Urgency.NORMAL])
        start = item.received_at or now or timezone.now()
        item.acknowledge_due = start + timedelta(hours=ack)
        item.action_due = start + timedelta(hours=act)
        rule = next((rule for rule in rules if _matches(rule, item)), None)
        if rule is not None:
            item.routing_rule_id, item.owner_id, item.team = rule.pk, rule.owner_id, rule.team


def _manager_for(members: list[MemberOut], team: str) -> int | None:
    ranked = sorted(members, key=lambda m: (m.role != Role.MANAGER, bool(team) and m.team != team,
                                            m.role != Role.OWNER, m.user_id))
    ranked = [m for m in ranked if m.role in (Role.MANAGER, Role.OWNER)]
    return ranked[0].user_id if ranked else None


@transaction.atomic
def escalate_overdue(*, organisation: Organisation, now: datetime | None = None) -> list[int]:
    """Escalate every item past its acknowledgement or action deadline to a manager; returns their ids."""
    now = now or timezone.now()
    items = FeedbackItem.objects.for_organisation(organisation).filter(escalated_at__isnull=True).exclude(
        status=Status.DONE)
    overdue = list(items.filter(acknowledge_due__lt=now, acknowledged_at__isnull=True)) + \
        list(items.filter(action_due__lt=now, acknowledged_at__isnull=False))
    members = accounts.list_members(organisation=organisation) if overdue else []
    for item in overdue:
        item.escalated_at = now
        item.escalated_to_id = _manager_for(members, item.team)
    FeedbackItem.objects.for_organisation(organisation).bulk_update(overdue, ["escalated_at", "escalated_to"])
    _tell_managers(organisation, members, overdue)
    return [item.pk for item in overdue]


def _tell_managers(organisation: Organisation, members: list[MemberOut], items: list[FeedbackItem]) -> None:
    """One email per manager listing the items escalated to them in this run (staff mail, not the customer gate)."""
    addresses = {m.user_id: m.email for m in members if m.email}
    by_manager: dict[int, list[FeedbackItem]] = {}
    for item in items:
        if item.escalated_to_id in addresses:
            by_manager.setdefault(item.escalated_to_id, []).append(item)
    base = settings.SITE_URL.rstrip("/")
    for manager_id, escalated in by_manager.items():
        lines = [f"- {' '.join(item.text.split()[:12])[:120]}\n  "
                 f"{base}{reverse('feedback:item', kwargs={'feedback_item_id': item.pk})}" for item in escalated]
        subject = ngettext("%(count)d feedback item is overdue and escalated to you",
                           "%(count)d feedback items are overdue and escalated to you",
                           len(escalated)) % {"count": len(escalated)}
        body = _("%(organisation)s: these items missed their deadline to be acknowledged or acted on.") % {
            "organisation": organisation.name} + "\n\n" + "\n".join(lines) + "\n"
        transaction.on_commit(lambda subject=subject, body=body, to=addresses[manager_id]: send_mail(
            subject, body, None, [to]))
