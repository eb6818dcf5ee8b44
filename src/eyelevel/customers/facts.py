"""Personal data as facts: each datum with its purpose, source and expiry (product rules 1 and 7).

Storing a datum without a declared purpose, or for a consent-based purpose the customer has not
consented to, is refused here, so the API, imports and the staff console all obey the same rule.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from eyelevel.core.errors import Conflict, InvalidInput, NotFound
from eyelevel.core.models import Organisation
from eyelevel.core.pagination import page_window
from eyelevel.core.tenancy import get_scoped, organisation_id_of
from eyelevel.customers.consent import has_consent
from eyelevel.customers.models import Customer, FactRevision, LegalBasis, PersonalFact, Purpose
from eyelevel.customers.schemas import (
    CustomerOut,
    FactIn,
    FactOut,
    FactPage,
    FactRevisionOut,
    FactSource,
    IdentityField,
    MyData,
    PurposeGroup,
    PurposeOut,
)

FACT_PAGE_SIZE = 50
MY_DATA_PAGE_SIZE = 25  # facts shown per purpose on My data; htmx pages through the rest
ACCOUNT_PURPOSE_CODE = "customer-account"
IDENTITY_FIELDS = ("display_name", "email", "external_ref", "language")
_FACT_FIELDS = ("id", "customer_id", "key", "value", "purpose__code", "source_kind", "source_detail",
                "collected_at", "updated_at", "expires_at")
# The same without the purpose's code, for facts read one purpose at a time (no join to the purpose).
_OWN_FACT_FIELDS = tuple(field for field in _FACT_FIELDS if field != "purpose__code")


def _fact_out(row: dict) -> FactOut:
    return FactOut(
        id=row["id"], customer_id=row["customer_id"], key=row["key"], value=row["value"],
        purpose_code=row["purpose__code"], source_kind=row["source_kind"], source_detail=row["source_detail"],
        collected_at=row["collected_at"], updated_at=row["updated_at"], expires_at=row["expires_at"],
    )


def ensure_account_purpose(*, organisation: Organisation | int) -> PurposeOut:
    """The contract-based purpose under which the customer record itself (name, email, reference) is held."""
    purpose, _created = Purpose.objects.for_organisation(organisation).get_or_create(
        organisation_id=organisation_id_of(organisation), code=ACCOUNT_PURPOSE_CODE,
        defaults={
            "name_en": "Customer account", "name_de": "Kundenkonto",
            "description_en": "We keep your name, email address, customer number and language so that we know "
                              "who you are, can serve you and you can log into this portal.",
            "description_de": "Wir speichern Ihren Namen, Ihre E-Mail-Adresse, Ihre Kundennummer und Ihre Sprache, "
                              "damit wir wissen, wer Sie sind, Sie bedienen können und Sie sich hier anmelden können.",
            "legal_basis": LegalBasis.CONTRACT, "retention_days": 3650,
        },
    )
    return PurposeOut.from_orm(purpose)


def _storable_purpose(organisation: Organisation | int, customer_id: int, purpose_code: str,
                      *, field: str = "purpose_code") -> Purpose:
    purpose = Purpose.objects.for_organisation(organisation).filter(code=purpose_code).first()
    if purpose is None:
        raise InvalidInput(_("no purpose %(code)s is declared: a personal datum needs a declared purpose") % {
            "code": repr(purpose_code)}, field=field)
    if purpose.legal_basis == LegalBasis.CONSENT and not has_consent(
        organisation=organisation, customer_id=customer_id, purpose_code=purpose_code
    ):
        raise Conflict(_("the customer has not consented to the purpose %(code)s") % {"code": repr(purpose_code)},
                       field=field)
    return purpose


def _clean_source(source: FactSource) -> FactSource:
    if source.kind not in {"portal", "staff", "import", "api", "derived"}:
        raise InvalidInput(f"unknown source {source.kind!r}", field="source")
    if not source.detail.strip():
        raise InvalidInput("name the source (who, which file and row, which token or model)", field="source")
    return source


@transaction.atomic
def record_fact(*, organisation: Organisation | int, customer_id: int, data: FactIn, source: FactSource) -> FactOut:
    """Store one datum for a purpose; the same key and purpose again corrects the value, with history."""
    source = _clean_source(source)
    customer = get_scoped(Customer, organisation=organisation, pk=customer_id, erased_at__isnull=True)
    purpose = _storable_purpose(organisation, customer.pk, data.purpose_code)
    existing = (
        PersonalFact.objects.for_organisation(organisation).select_for_update()
        .filter(customer=customer, purpose=purpose, key=data.key).first()
    )
    if existing is not None:
        return _rectify(existing, data.value, source)
    now = timezone.now()
    fact = PersonalFact.objects.create(
        organisation_id=customer.organisation_id, customer=customer, purpose=purpose, key=data.key,
        value=data.value, source_kind=source.kind, source_detail=source.detail.strip(), collected_at=now,
        expires_at=now + timedelta(days=purpose.retention_days),
    )
    return get_fact(organisation=organisation, customer_id=customer.pk, personal_fact_id=fact.pk)


@transaction.atomic
def record_facts(*, organisation: Organisation | int, customer_id: int, facts: list[FactIn],
                 source: FactSource) -> int:
    """Store many new data at once (imports); one refused row refuses them all, naming the row."""
    source = _clean_source(source)
    customer = get_scoped(Customer, organisation=organisation, pk=customer_id, erased_at__isnull=True)
    purposes: dict[str, Purpose] = {}
    now = timezone.now()
    rows = []
    for number, data in enumerate(facts, start=1):
        if data.purpose_code not in purposes:
            try:
                purposes[data.purpose_code] = _storable_purpose(organisation, customer.pk, data.purpose_code)
            except (InvalidInput, Conflict) as error:
                raise type(error)(_("row %(row)s: %(message)s") % {"row": number, "message": error.detail},
                                  field=f"row {number}.purpose_code") from None
        purpose = purposes[data.purpose_code]
        rows.append(PersonalFact(
            organisation_id=customer.organisation_id, customer=customer, purpose=purpose, key=data.key,
            value=data.value, source_kind=source.kind, source_detail=source.detail.strip(), collected_at=now,
            expires_at=now + timedelta(days=purpose.retention_days),
        ))
    PersonalFact.objects.for_organisation(organisation).bulk_create(rows, batch_size=2000)
    return len(rows)


def get_fact(*, organisation: Organisation | int, customer_id: int, personal_fact_id: int) -> FactOut:
    """One of the customer's facts, or NotFound."""
    row = (
        PersonalFact.objects.for_organisation(organisation)
        .filter(customer_id=customer_id, pk=personal_fact_id).values(*_FACT_FIELDS).first()
    )
    if row is None:
        raise NotFound(_("personal fact not found"))
    return _fact_out(row)


def list_facts(*, organisation: Organisation | int, customer_id: int, purpose_code: str = "",
               page: int = 1, page_size: int = FACT_PAGE_SIZE) -> FactPage:
    """A page of the customer's facts, optionally for one purpose."""
    facts = PersonalFact.objects.for_organisation(organisation).filter(customer_id=customer_id)
    if purpose_code:
        facts = facts.filter(purpose__code=purpose_code)
    window = page_window(total=facts.count(), page=page, page_size=page_size)
    rows = facts.order_by("key", "pk").values(*_FACT_FIELDS)[window.start: window.stop]
    return FactPage(items=[_fact_out(row) for row in rows], total=window.total, page=window.page, pages=window.pages)


def _rectify(fact: PersonalFact, value: str, source: FactSource) -> FactOut:
    if fact.value != value:
        FactRevision.objects.create(
            organisation_id=fact.organisation_id, fact=fact, customer_id=fact.customer_id, key=fact.key,
            old_value=fact.value, new_value=value, source_kind=source.kind, source_detail=source.detail.strip(),
        )
        fact.value = value
        fact.save(update_fields=["value", "updated_at"])
    return get_fact(organisation=fact.organisation_id, customer_id=fact.customer_id, personal_fact_id=fact.pk)


@transaction.atomic
def rectify_fact(*, organisation: Organisation | int, customer_id: int, personal_fact_id: int, value: str,
                 source: FactSource) -> FactOut:
    """Correct a datum (rectification); the old value is kept in its history."""
    value = value.strip()
    if not value:
        raise InvalidInput(_("enter the correct value"), field="value")
    if len(value) > 10_000:
        raise InvalidInput(_("the value is too long (at most 10,000 characters)"), field="value")
    fact = get_scoped(PersonalFact, organisation=organisation, pk=personal_fact_id, customer_id=customer_id)
    return _rectify(fact, value, _clean_source(source))


@transaction.atomic
def rectify_identity(*, organisation: Organisation | int, customer_id: int, display_name: str, language: str,
                     source: FactSource) -> CustomerOut:
    """Correct the customer's name or language; the old values are kept in the history."""
    display_name = display_name.strip()
    if not display_name or len(display_name) > 200:
        raise InvalidInput(_("enter a name of 1 to 200 characters"), field="display_name")
    if language not in ("en", "de"):
        raise InvalidInput(_("choose English or German"), field="language")
    source = _clean_source(source)
    customer = get_scoped(Customer, organisation=organisation, pk=customer_id, erased_at__isnull=True)
    for key, new in (("display_name", display_name), ("language", language)):
        old = getattr(customer, key)
        if old != new:
            FactRevision.objects.create(
                organisation_id=customer.organisation_id, customer=customer, key=key, old_value=old,
                new_value=new, source_kind=source.kind, source_detail=source.detail.strip(),
            )
            setattr(customer, key, new)
    customer.save(update_fields=["display_name", "language"])
    return CustomerOut.from_orm(customer)


def fact_history(*, organisation: Organisation | int, customer_id: int, key: str = "",
                 personal_fact_id: int | None = None) -> list[FactRevisionOut]:
    """Corrections of the customer's data, newest first (of one fact or identity field when named)."""
    revisions = FactRevision.objects.for_organisation(organisation).filter(customer_id=customer_id)
    if personal_fact_id is not None:
        revisions = revisions.filter(fact_id=personal_fact_id)
    elif key:
        revisions = revisions.filter(key=key, fact__isnull=True)
    return [FactRevisionOut.from_orm(r) for r in revisions[:200]]


def _identity(customer: Customer) -> list[IdentityField]:
    labels = {"display_name": _("Name"), "email": _("Email"), "external_ref": _("Customer number"),
              "language": _("Language")}
    return [IdentityField(key=key, label=str(labels[key]), value=getattr(customer, key))
            for key in IDENTITY_FIELDS if getattr(customer, key)]


def identity_source(customer: Customer) -> str:
    """Where the customer record came from, in words."""
    if customer.source_detail:
        return customer.source_detail
    return _("your customer record, created on %(date)s") % {"date": customer.created_at.date().isoformat()}


def my_data(*, organisation: Organisation | int, customer_id: int, purpose_code: str = "",
            page: int = 1) -> MyData:
    """Everything held about the customer, grouped by purpose (a page of facts per purpose)."""
    customer = get_scoped(Customer, organisation=organisation, pk=customer_id, erased_at__isnull=True)
    account = ensure_account_purpose(organisation=organisation)
    counts = dict(
        PersonalFact.objects.for_organisation(organisation).filter(customer_id=customer_id)
        .values_list("purpose_id").annotate(n=Count("id")).values_list("purpose_id", "n")
    )
    consented = set(
        customer.consents.filter(granted=True).values_list("purpose_id", flat=True)
    )
    groups = []
    for purpose in Purpose.objects.for_organisation(organisation).filter(pk__in=list(counts)).order_by("code"):
        # Only the purpose the customer is paging through moves off its first page.
        window = page_window(total=counts[purpose.pk], page=page if purpose.code == purpose_code else 1,
                             page_size=MY_DATA_PAGE_SIZE)
        rows = (
            PersonalFact.objects.for_organisation(organisation)
            .filter(customer_id=customer_id, purpose_id=purpose.pk).order_by("key", "pk")
            .values(*_OWN_FACT_FIELDS)[window.start: window.stop]
        )
        facts = [FactOut(purpose_code=purpose.code, **row) for row in rows]
        groups.append(PurposeGroup(
            purpose=PurposeOut.from_orm(purpose), facts=facts, total=window.total, page=window.page, pages=window.pages,
            consent=(purpose.pk in consented) if purpose.legal_basis == LegalBasis.CONSENT else None,
        ))
    return MyData(
        customer=CustomerOut.from_orm(customer), identity_purpose=account, identity=_identity(customer),
        identity_source=identity_source(customer), groups=groups, total_facts=sum(counts.values()),
    )


def delete_expired_facts(*, now: datetime | None = None, batch_size: int = 1000,
                         progress=None) -> int:  # type: ignore[no-untyped-def]
    """Delete facts past their expiry in every organisation (retention); returns how many."""
    now = now or timezone.now()
    expired = PersonalFact.objects.unscoped().filter(expires_at__lte=now)
    total = expired.count()
    if progress is not None:
        progress(0, total)
    deleted = 0
    while True:
        ids = list(expired.values_list("pk", flat=True)[:batch_size])
        if not ids:
            break
        with transaction.atomic():
            FactRevision.objects.unscoped().filter(fact_id__in=ids).delete()
            deleted += PersonalFact.objects.unscoped().filter(pk__in=ids).delete()[1].get(
                PersonalFact._meta.label, 0)
        if progress is not None:
            progress(deleted, total)
    return deleted
