"""Stamp cards without a card: stamps come from receipts, rewards are redeemed once at a till."""

import math
from collections import defaultdict
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from eyelevel.commerce.models import ReceiptLine, Stamp, StampProgramme, StampReward
from eyelevel.commerce.schemas import StampCardOut, StampProgrammeIn, StampProgrammeOut, StampRewardOut
from eyelevel.core.errors import Conflict, InvalidInput
from eyelevel.core.models import Organisation
from eyelevel.core.tenancy import get_scoped, organisation_id_of


def _programme_out(programme: StampProgramme) -> StampProgrammeOut:
    return StampProgrammeOut(
        id=programme.pk, name=programme.name, skus=programme.skus, category=programme.category,
        stamps_required=programme.stamps_required, reward=programme.reward,
        stamp_valid_days=programme.stamp_valid_days, reward_valid_days=programme.reward_valid_days,
        active=programme.active,
    )


def _reward_out(reward: StampReward, now=None) -> StampRewardOut:  # type: ignore[no-untyped-def]
    now = now or timezone.now()
    return StampRewardOut(
        id=reward.pk, programme_id=reward.programme_id, programme_name=reward.programme.name,
        reward=reward.programme.reward, customer_id=reward.customer_id, earned_at=reward.earned_at,
        expires_at=reward.expires_at, redeemed_at=reward.redeemed_at, redeemed_by=reward.redeemed_by,
        redeemable=reward.redeemed_at is None and (reward.expires_at is None or reward.expires_at > now),
    )


def create_programme(*, organisation: Organisation | int, data: StampProgrammeIn) -> StampProgrammeOut:
    """Define a stamp programme: which products count, how many stamps, the reward and expiry."""
    skus = sorted({s.strip() for s in data.skus if s.strip()})
    if not skus and not data.category.strip():
        raise InvalidInput(_("name the products (SKUs) or the category that earn stamps"), field="skus")
    organisation_id = organisation_id_of(organisation)
    programme = StampProgramme.objects.create(
        organisation_id=organisation_id, name=data.name, skus=skus, category=data.category.strip(),
        stamps_required=data.stamps_required, reward=data.reward, stamp_valid_days=data.stamp_valid_days,
        reward_valid_days=data.reward_valid_days, active=data.active,
    )
    return _programme_out(programme)


def list_programmes(*, organisation: Organisation | int) -> list[StampProgrammeOut]:
    """Every stamp programme of the organisation."""
    return [_programme_out(p) for p in StampProgramme.objects.for_organisation(organisation)]


def get_programme(*, organisation: Organisation | int, stamp_programme_id: int) -> StampProgrammeOut:
    """One stamp programme, or NotFound."""
    return _programme_out(get_scoped(StampProgramme, organisation=organisation, pk=stamp_programme_id))


def set_programme_active(*, organisation: Organisation | int, stamp_programme_id: int,
                         active: bool) -> StampProgrammeOut:
    """Start or stop a programme (stamps and rewards already earned stay)."""
    programme = get_scoped(StampProgramme, organisation=organisation, pk=stamp_programme_id)
    programme.active = active
    programme.save(update_fields=["active"])
    return _programme_out(programme)


def _counts(programme: StampProgramme, sku: str, category: str) -> bool:
    if sku in programme.skus:
        return True
    return bool(programme.category) and category.casefold() == programme.category.casefold()


@transaction.atomic
def award_stamps(*, organisation: Organisation | int, receipt_ids: list[int]) -> int:
    """Give stamps for the lines of these receipts that count in an active programme; returns stamps given."""
    if not receipt_ids:
        return 0
    programmes = list(StampProgramme.objects.for_organisation(organisation).filter(active=True))
    if not programmes:
        return 0
    organisation_id = organisation_id_of(organisation)
    lines = (ReceiptLine.objects.for_organisation(organisation).filter(receipt_id__in=receipt_ids,
                                                                        receipt__customer_id__isnull=False)
             .values_list("receipt_id", "receipt__customer_id", "receipt__purchased_at", "product__sku",
                          "product__category", "quantity"))
    stamps, touched = [], set()
    for receipt_id, customer_id, purchased_at, sku, category, quantity in lines:
        if quantity <= 0:
            continue
        for programme in programmes:
            if not _counts(programme, sku, category):
                continue
            expires = purchased_at + timedelta(days=programme.stamp_valid_days) if programme.stamp_valid_days else None
            for _n in range(max(1, math.floor(quantity))):
                stamps.append(Stamp(organisation_id=organisation_id, programme=programme, customer_id=customer_id,
                                    receipt_id=receipt_id, earned_at=purchased_at, expires_at=expires))
            touched.add((customer_id, programme))
    Stamp.objects.for_organisation(organisation).bulk_create(stamps, batch_size=5000)
    for customer_id, programme in touched:
        _complete_cards(organisation_id, customer_id, programme)
    return len(stamps)


def _complete_cards(organisation_id: int, customer_id: int, programme: StampProgramme) -> None:
    now = timezone.now()
    open_stamps = list(
        Stamp.objects.for_organisation(organisation_id).select_for_update()
        .filter(customer_id=customer_id, programme=programme, reward__isnull=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now)).order_by("earned_at", "pk")
        .values_list("pk", "earned_at")
    )
    required = programme.stamps_required
    while len(open_stamps) >= required:
        batch, open_stamps = open_stamps[:required], open_stamps[required:]
        earned_at = batch[-1][1]
        reward = StampReward.objects.create(
            organisation_id=organisation_id, programme=programme, customer_id=customer_id, earned_at=earned_at,
            expires_at=earned_at + timedelta(days=programme.reward_valid_days) if programme.reward_valid_days else None,
        )
        Stamp.objects.for_organisation(organisation_id).filter(pk__in=[pk for pk, _t in batch]).update(reward=reward)


def stamp_cards(*, organisation: Organisation | int, customer_id: int) -> list[StampCardOut]:
    """The customer's card in every active programme (and any programme they hold rewards in)."""
    now = timezone.now()
    open_stamps: dict[int, list] = defaultdict(list)
    for programme_id, expires_at in (
        Stamp.objects.for_organisation(organisation).filter(customer_id=customer_id, reward__isnull=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now)).values_list("programme_id", "expires_at")
    ):
        open_stamps[programme_id].append(expires_at)
    rewards: dict[int, list[StampRewardOut]] = defaultdict(list)
    for reward in (StampReward.objects.for_organisation(organisation).filter(customer_id=customer_id)
                   .select_related("programme")):
        rewards[reward.programme_id].append(_reward_out(reward, now))
    cards = []
    for programme in StampProgramme.objects.for_organisation(organisation):
        if not programme.active and programme.pk not in rewards:
            continue
        expiries = [e for e in open_stamps[programme.pk] if e is not None]
        cards.append(StampCardOut(
            programme_id=programme.pk, programme_name=programme.name, reward=programme.reward,
            stamps_required=programme.stamps_required, stamps=len(open_stamps[programme.pk]),
            next_expiry=min(expiries) if expiries else None,
            rewards=sorted(rewards[programme.pk], key=lambda r: (not r.redeemable, r.earned_at)),
        ))
    return cards


def get_reward(*, organisation: Organisation | int, stamp_reward_id: int) -> StampRewardOut:
    """One reward, or NotFound."""
    return _reward_out(get_scoped(StampReward, organisation=organisation, pk=stamp_reward_id))


def redeem_reward(*, organisation: Organisation | int, stamp_reward_id: int, till: str) -> StampRewardOut:
    """Redeem a reward at a till, once: a second attempt, even at the same moment elsewhere, is a Conflict."""
    reward = get_scoped(StampReward, organisation=organisation, pk=stamp_reward_id)
    now = timezone.now()
    # One conditional UPDATE: of two tills racing, exactly one changes the row.
    changed = (StampReward.objects.for_organisation(organisation)
               .filter(pk=reward.pk, redeemed_at__isnull=True)
               .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
               .update(redeemed_at=now, redeemed_by=till[:120]))
    if not changed:
        reward.refresh_from_db()
        if reward.redeemed_at is not None:
            raise Conflict(_("This reward was already redeemed (%(when)s).") % {
                "when": timezone.localtime(reward.redeemed_at).strftime("%Y-%m-%d %H:%M")}, field="stamp_reward_id")
        raise Conflict(_("This reward has expired."), field="stamp_reward_id")
    reward.refresh_from_db()
    return _reward_out(reward, now)
