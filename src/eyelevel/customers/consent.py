"""Purposes and consent per purpose: declared, granted, revoked, with history (product rule 3)."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from eyelevel.core.errors import Conflict, InvalidInput, NotFound
from eyelevel.core.models import Organisation
from eyelevel.core.tenancy import get_scoped
from eyelevel.customers import webhooks
from eyelevel.customers.models import Consent, ConsentEvent, Customer, LegalBasis, Purpose
from eyelevel.customers.schemas import ConsentEventOut, ConsentOut, PurposeIn, PurposeOut

CONSENT_CHANNELS = {"portal", "staff", "api", "import", "email"}


def declare_purpose(*, organisation: Organisation, data: PurposeIn) -> PurposeOut:
    """Declare a purpose the organisation processes personal data for."""
    try:
        with transaction.atomic():
            purpose = Purpose.objects.create(organisation=organisation, **data.dict())
    except IntegrityError:
        raise Conflict(_("the purpose %(code)s exists") % {"code": repr(data.code)}, field="code") from None
    return PurposeOut.from_orm(purpose)


def list_purposes(*, organisation: Organisation | int) -> list[PurposeOut]:
    """Every declared purpose of the organisation."""
    return [PurposeOut.from_orm(p) for p in Purpose.objects.for_organisation(organisation)]


def get_purpose(*, organisation: Organisation | int, code: str) -> PurposeOut:
    """A declared purpose by its code, or NotFound naming it."""
    purpose = Purpose.objects.for_organisation(organisation).filter(code=code).first()
    if purpose is None:
        raise NotFound(_("no purpose %(code)s is declared") % {"code": repr(code)}, field="purpose")
    return PurposeOut.from_orm(purpose)


@transaction.atomic
def set_consent(
    *, organisation: Organisation | int, customer_id: int, purpose_code: str, granted: bool, channel: str,
    note: str = "", recorded_by_id: int | None = None,
) -> ConsentOut:
    """Grant or revoke consent for one purpose; takes effect at once and is kept in the history."""
    if channel not in CONSENT_CHANNELS:
        raise InvalidInput(f"unknown channel {channel!r}", field="channel")
    if channel == "staff" and not note.strip():
        raise InvalidInput(_("staff record consent on the customer's word: add a note saying when and how"),
                           field="note")
    customer = get_scoped(Customer, organisation=organisation, pk=customer_id, erased_at__isnull=True)
    purpose = Purpose.objects.for_organisation(organisation).filter(code=purpose_code).first()
    if purpose is None:
        raise NotFound(_("no purpose %(code)s is declared") % {"code": repr(purpose_code)}, field="purpose")
    if purpose.legal_basis != LegalBasis.CONSENT:
        raise InvalidInput(_("the purpose %(code)s is not based on consent") % {"code": repr(purpose_code)},
                           field="purpose")
    consent, _created = Consent.objects.for_organisation(organisation).select_for_update().get_or_create(
        organisation_id=customer.organisation_id, customer=customer, purpose=purpose,
    )
    consent.granted = granted
    consent.save()
    ConsentEvent.objects.create(
        organisation_id=customer.organisation_id, customer=customer, purpose=purpose, granted=granted,
        channel=channel, text_version=purpose.text_version, note=note.strip(), recorded_by_id=recorded_by_id,
    )
    webhooks.emit_event(organisation_id=customer.organisation_id, event="consent.changed", payload={
        "customer_id": customer.pk, "external_ref": customer.external_ref, "purpose": purpose.code,
        "granted": granted, "channel": channel, "text_version": purpose.text_version,
    })
    return ConsentOut(purpose_code=purpose.code, granted=granted, updated_at=consent.updated_at)


def has_consent(*, organisation: Organisation | int, customer_id: int, purpose_code: str) -> bool:
    """Whether the customer currently consents to the purpose (False when never asked)."""
    return (
        Consent.objects.for_organisation(organisation)
        .filter(customer_id=customer_id, purpose__code=purpose_code, granted=True)
        .exists()
    )


def may_process(*, organisation: Organisation | int, customer_id: int, purpose_code: str) -> bool:
    """Whether the purpose allows processing for this customer: its legal basis, or consent if it needs it."""
    purpose = Purpose.objects.for_organisation(organisation).filter(code=purpose_code).first()
    if purpose is None:
        return False
    return purpose_allows(organisation=organisation, customer_id=customer_id, purpose=purpose)


def purpose_allows(*, organisation: Organisation | int, customer_id: int, purpose: Purpose | PurposeOut) -> bool:
    """may_process for a purpose the caller has loaded already: its legal basis, or consent if it needs it."""
    if purpose.legal_basis != LegalBasis.CONSENT:
        return True
    return has_consent(organisation=organisation, customer_id=customer_id, purpose_code=purpose.code)


def _customers_for_purpose(organisation: Organisation | int, purpose_code: str):  # type: ignore[no-untyped-def]
    purpose = get_scoped(Purpose, organisation=organisation, code=purpose_code)
    customers = Customer.objects.for_organisation(organisation).filter(erased_at__isnull=True)
    if purpose.legal_basis == LegalBasis.CONSENT:
        customers = customers.filter(consents__purpose=purpose, consents__granted=True)
    return customers


def customer_ids_for_purpose(*, organisation: Organisation | int, purpose_code: str) -> list[int]:
    """The (not erased) customers the purpose allows processing for, in order: those who consent to it, or, for
    a purpose on another legal basis, every customer. NotFound for an undeclared purpose."""
    return list(_customers_for_purpose(organisation, purpose_code).order_by("pk").values_list("pk", flat=True))


def customer_count_for_purpose(*, organisation: Organisation | int, purpose_code: str) -> int:
    """How many customers customer_ids_for_purpose would name (one count query)."""
    return _customers_for_purpose(organisation, purpose_code).count()


def consents_of(*, organisation: Organisation | int, customer_id: int) -> list[ConsentOut]:
    """The customer's current consent per consent-based purpose (not asked = not granted)."""
    current = {
        c.purpose_id: c
        for c in Consent.objects.for_organisation(organisation).filter(customer_id=customer_id)
    }
    result = []
    for purpose in Purpose.objects.for_organisation(organisation).filter(legal_basis=LegalBasis.CONSENT):
        consent = current.get(purpose.pk)
        result.append(ConsentOut(purpose_code=purpose.code, granted=bool(consent and consent.granted),
                                 updated_at=consent.updated_at if consent else None))
    return result


@transaction.atomic
def update_purpose(*, organisation: Organisation | int, purpose_id: int, data: PurposeIn) -> PurposeOut:
    """Change a purpose; a changed text gets a new text version (consents record which one they saw)."""
    purpose = get_scoped(Purpose, organisation=organisation, pk=purpose_id)
    if data.code != purpose.code:
        raise InvalidInput(_("a purpose's code cannot change (data and consents refer to it)"), field="code")
    if data.legal_basis != purpose.legal_basis and purpose.facts.exists():
        raise Conflict(_("the legal basis cannot change while data are held for this purpose"), field="legal_basis")
    texts = ("name_en", "name_de", "description_en", "description_de")
    if any(getattr(purpose, field) != getattr(data, field) for field in texts):
        purpose.text_version += 1
    for field, value in data.dict().items():
        setattr(purpose, field, value)
    purpose.save()
    return PurposeOut.from_orm(purpose)


def get_purpose_by_id(*, organisation: Organisation | int, purpose_id: int) -> PurposeOut:
    """A declared purpose by its id, or NotFound."""
    return PurposeOut.from_orm(get_scoped(Purpose, organisation=organisation, pk=purpose_id))


def consent_history(*, organisation: Organisation | int, customer_id: int) -> list[ConsentEventOut]:
    """Every grant and revocation by the customer, newest first."""
    events = ConsentEvent.objects.for_organisation(organisation).filter(customer_id=customer_id).select_related(
        "purpose")
    return [ConsentEventOut(purpose_code=e.purpose.code, granted=e.granted, channel=e.channel,
                            text_version=e.text_version, note=e.note, created_at=e.created_at)
            for e in events[:500]]
