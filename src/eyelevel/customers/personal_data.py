"""Export and erasure of everything held about a customer, across every domain (through core.registry).

Each domain registers an exporter and an eraser in its providers.py; this module runs them all, so a
new domain that holds personal data cannot be forgotten by the export or the erasure.
"""

from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from eyelevel.core.errors import InvalidInput
from eyelevel.core.models import Organisation
from eyelevel.core.registry import personal_data_providers
from eyelevel.core.tenancy import get_scoped
from eyelevel.customers import webhooks
from eyelevel.customers.access_log import record_access
from eyelevel.customers.facts import ensure_account_purpose, identity_source
from eyelevel.customers.models import (
    AccessLogEntry,
    Consent,
    ConsentEvent,
    Customer,
    ErasureRecord,
    FactRevision,
    LoginLink,
    PersonalFact,
    Purpose,
)
from eyelevel.customers.schemas import ErasureOut, Reader

ERASURE_CHANNELS = {"portal", "staff", "api"}


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _rows(queryset, fields: tuple[str, ...]) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    return [{key: _iso(value) for key, value in row.items()} for row in queryset.values(*fields)]


def export_customers_domain(organisation_id: int, customer_id: int) -> dict[str, Any]:
    """The customers domain's own data: facts with purpose and source, corrections, consents, access log."""
    facts = PersonalFact.objects.for_organisation(organisation_id).filter(customer_id=customer_id).order_by(
        "purpose__code", "key", "pk")
    return {
        "facts": _rows(facts, ("id", "key", "value", "purpose__code", "source_kind", "source_detail",
                               "collected_at", "updated_at", "expires_at")),
        "corrections": _rows(
            FactRevision.objects.for_organisation(organisation_id).filter(customer_id=customer_id),
            ("key", "fact_id", "old_value", "new_value", "source_kind", "source_detail", "changed_at")),
        "consents": _rows(Consent.objects.for_organisation(organisation_id).filter(customer_id=customer_id),
                          ("purpose__code", "granted", "updated_at")),
        "consent_history": _rows(
            ConsentEvent.objects.for_organisation(organisation_id).filter(customer_id=customer_id),
            ("purpose__code", "granted", "channel", "text_version", "note", "created_at")),
        "access_log": _rows(
            AccessLogEntry.objects.for_organisation(organisation_id).filter(customer_id=customer_id).order_by(
                "-accessed_at", "-pk"),
            ("actor_kind", "actor_label", "what", "reason", "accessed_at")),
    }


def erase_customers_domain(organisation_id: int, customer_id: int) -> int:
    """Delete the customers domain's rows about the customer (the record itself is anonymised last)."""
    erased = 0
    for model in (FactRevision, PersonalFact, ConsentEvent, Consent, LoginLink):
        erased += model.objects.for_organisation(organisation_id).filter(customer_id=customer_id).delete()[0]
    # The access log is append-only for everyone; the customer's erasure is the one thing that removes it.
    log = AccessLogEntry.objects.for_organisation(organisation_id).filter(customer_id=customer_id)
    erased += log._raw_delete(log.db)
    erased += webhooks.scrub_deliveries_of(organisation_id=organisation_id, customer_id=customer_id)
    return erased


def export_customer_data(*, organisation: Organisation | int, customer_id: int,
                         reader: Reader | None = None) -> dict[str, Any]:
    """Everything held about the customer in every domain, as JSON-ready data.

    A staff user or integration (reader) exporting it is logged; the customer exporting their own is not.
    """
    customer = get_scoped(Customer, organisation=organisation, pk=customer_id, erased_at__isnull=True)
    if reader is not None:
        record_access(organisation=organisation, customer_id=customer.pk, reader=reader, what="full export")
    account = ensure_account_purpose(organisation=organisation)
    return {
        "format": "eyelevel-personal-data/1",
        "organisation": customer.organisation.name,
        "exported_at": timezone.now().isoformat(),
        "customer": {
            "id": customer.pk, "display_name": customer.display_name, "email": customer.email,
            "external_ref": customer.external_ref, "language": customer.language,
            "created_at": customer.created_at.isoformat(), "purpose": account.code,
            "legal_basis": account.legal_basis, "source": identity_source(customer),
        },
        "purposes": _purposes(customer.organisation_id),
        "domains": {
            provider.domain: provider.exporter(customer.organisation_id, customer.pk)
            for provider in personal_data_providers()
        },
    }


def _purposes(organisation_id: int) -> dict[str, dict[str, Any]]:
    return {
        p["code"]: p for p in Purpose.objects.for_organisation(organisation_id).values(
            "code", "name_en", "name_de", "description_en", "description_de", "legal_basis", "retention_days")
    }


def _table(rows: list[dict[str, Any]]) -> str:
    # Built here rather than in the template: an export holds tens of thousands of cells.
    if not rows:
        return ""
    head = "".join(f"<th>{escape(key)}</th>" for key in rows[0])
    body = "\n".join("<tr>" + "".join(f"<td>{escape(value)}</td>" for value in row.values()) + "</tr>"
                     for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>\n{body}\n</tbody></table>"


def render_export_html(export: dict[str, Any]) -> str:
    """The export as a human-readable, self-contained HTML document."""
    domains = [
        (domain, [(name, len(rows), mark_safe(_table(rows)))  # noqa: S308 - every cell is escaped in _table
                  for name, rows in sections.items() if isinstance(rows, list)])
        for domain, sections in export["domains"].items()
    ]
    return render_to_string("customers/export.html", {"export": export, "domains": domains})


def render_export_pdf(export: dict[str, Any]) -> bytes:
    """The export as a PDF document (WeasyPrint)."""
    from weasyprint import HTML

    return HTML(string=render_export_html(export)).write_pdf()


@transaction.atomic
def erase_customer(*, organisation: Organisation | int, customer_id: int, requested_via: str,
                   reader: Reader | None = None) -> ErasureOut:
    """Erase the customer in every domain: personal data deleted or anonymised, aggregates kept without identity."""
    if requested_via not in ERASURE_CHANNELS:
        raise InvalidInput(f"unknown channel {requested_via!r}", field="requested_via")
    customer = get_scoped(Customer, organisation=organisation, pk=customer_id, erased_at__isnull=True)
    customer = Customer.objects.for_organisation(organisation).select_for_update().get(pk=customer.pk)
    if reader is not None and not reader.reason:
        raise InvalidInput(_("say on whose request the customer is erased"), field="reason")
    counts = {}
    for provider in personal_data_providers():
        counts[provider.domain] = provider.eraser(customer.organisation_id, customer.pk)
    customer.display_name = ""
    customer.email = ""
    customer.external_ref = ""
    customer.portal_password = ""
    customer.source_detail = ""
    customer.last_login_at = None
    customer.erased_at = timezone.now()
    customer.save()
    record = ErasureRecord.objects.create(organisation_id=customer.organisation_id, customer_number=customer.pk,
                                          requested_via=requested_via, rows_erased=counts)
    webhooks.emit_event(organisation_id=customer.organisation_id, event="customer.erased",
                        payload={"customer_id": customer.pk, "requested_via": requested_via})
    return ErasureOut(customer_id=customer.pk, rows_erased=counts, erased_at=record.erased_at)
