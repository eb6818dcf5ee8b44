"""Customer records and portal login: the rules for who a customer is and how they get in."""

import hashlib
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from eyelevel.core.errors import InvalidInput, NotFound
from eyelevel.core.models import Organisation
from eyelevel.core.pagination import page_window
from eyelevel.core.tenancy import get_scoped
from eyelevel.customers.models import Customer, LoginLink
from eyelevel.customers.schemas import CustomerIn, CustomerOut, CustomerPage, PortalSession

PAGE_SIZE = 50


def _clean_email(email: str) -> str:
    email = email.strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise InvalidInput(_("%(value)s is not an email address") % {"value": repr(email)}, field="email") from None
    return email


def create_customer(*, organisation: Organisation, data: CustomerIn, source_kind: str = "",
                    source_detail: str = "") -> CustomerOut:
    """Create a customer record (saying where it came from shows the customer the source in My data)."""
    email = _clean_email(data.email)
    if data.external_ref and Customer.objects.for_organisation(organisation).filter(
        external_ref=data.external_ref
    ).exists():
        raise InvalidInput(_("a customer with the reference %(reference)s exists") % {"reference": repr(data.external_ref)},
                           field="external_ref")
    customer = Customer.objects.create(
        organisation=organisation,
        display_name=data.display_name.strip(),
        email=email,
        external_ref=data.external_ref.strip(),
        language=data.language,
        source_kind=source_kind,
        source_detail=source_detail.strip()[:300],
    )
    return CustomerOut.from_orm(customer)


def lock_customer(*, organisation: Organisation | int, customer_id: int) -> CustomerOut:
    """Lock the customer's row until the transaction ends (serialises sends to one customer), or NotFound."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock_customer needs a transaction")
    customer = (
        Customer.objects.for_organisation(organisation).select_for_update()
        .filter(pk=customer_id, erased_at__isnull=True).first()
    )
    if customer is None:
        raise NotFound(_("customer not found"))
    return CustomerOut.from_orm(customer)


def get_customer(*, organisation: Organisation | int, customer_id: int) -> CustomerOut:
    """One customer of the organisation, or NotFound."""
    customer = get_scoped(Customer, organisation=organisation, pk=customer_id, erased_at__isnull=True)
    return CustomerOut.from_orm(customer)


def get_customers(*, organisation: Organisation | int, customer_ids: Iterable[int]) -> list[CustomerOut]:
    """The customers of the organisation with these ids (erased and unknown ones are left out)."""
    rows = Customer.objects.for_organisation(organisation).filter(pk__in=list(customer_ids), erased_at__isnull=True)
    return [CustomerOut.from_orm(customer) for customer in rows]


def find_customer_by_email(*, organisation: Organisation | int, email: str) -> CustomerOut | None:
    """The organisation's customer with this email address, if any."""
    email = email.strip().lower()
    if not email:
        return None
    customer = (
        Customer.objects.for_organisation(organisation).filter(email=email, erased_at__isnull=True).first()
    )
    return CustomerOut.from_orm(customer) if customer else None


def find_customer_by_reference(*, organisation: Organisation | int, external_ref: str) -> CustomerOut | None:
    """The organisation's customer with this external reference, if any."""
    customer = Customer.objects.for_organisation(organisation).filter(external_ref=external_ref).first()
    return CustomerOut.from_orm(customer) if customer else None


def customer_ids_by_reference(*, organisation: Organisation | int, external_refs: Iterable[str]) -> dict[str, int]:
    """The ids of the organisation's customers with these external references, in one query per 900."""
    refs = sorted(set(external_refs))
    found: dict[str, int] = {}
    for start in range(0, len(refs), 900):  # stays under SQLite's limit of bound parameters
        found.update(Customer.objects.for_organisation(organisation)
                     .filter(external_ref__in=refs[start:start + 900]).values_list("external_ref", "pk"))
    return found


def customer_ids_by_email(*, organisation: Organisation | int, emails: Iterable[str]) -> dict[str, int]:
    """The ids of the organisation's (not erased) customers with these email addresses (lower case), in one query
    per 900."""
    wanted = sorted({email.strip().lower() for email in emails if email.strip()})
    found: dict[str, int] = {}
    for start in range(0, len(wanted), 900):  # stays under SQLite's limit of bound parameters
        found.update(Customer.objects.for_organisation(organisation)
                     .filter(email__in=wanted[start:start + 900], erased_at__isnull=True).values_list("email", "pk"))
    return found


def customers_erased_since(*, organisation: Organisation | int, since: datetime) -> set[int]:
    """The ids of the organisation's customers erased at or after a moment (for work that read data before)."""
    return set(Customer.objects.for_organisation(organisation).filter(erased_at__gte=since)
               .values_list("pk", flat=True))


def all_customer_ids(*, organisation: Organisation | int) -> list[int]:
    """The ids of every (not erased) customer of the organisation, in order."""
    return list(Customer.objects.for_organisation(organisation).filter(erased_at__isnull=True)
                .order_by("pk").values_list("pk", flat=True))


def list_customers(*, organisation: Organisation | int, query: str = "", page: int = 1) -> CustomerPage:
    """A page of the organisation's customers, optionally filtered by name, email or reference."""
    customers = Customer.objects.for_organisation(organisation).filter(erased_at__isnull=True)
    if query.strip():
        q = query.strip()
        customers = customers.filter(
            Q(display_name__icontains=q) | Q(email__icontains=q) | Q(external_ref__icontains=q)
        )
    window = page_window(total=customers.count(), page=page, page_size=PAGE_SIZE)
    items = customers.order_by("display_name", "pk")[window.start : window.stop]
    return CustomerPage(items=[CustomerOut.from_orm(c) for c in items], total=window.total, page=window.page,
                        pages=window.pages)


def customer_count(*, organisation_id: int) -> int:
    """How many (not erased) customers the organisation has."""
    return Customer.objects.for_organisation(organisation_id).filter(erased_at__isnull=True).count()


def set_portal_password(*, organisation: Organisation | int, customer_id: int, password: str) -> None:
    """Set the customer's optional portal password (login links work without one)."""
    if len(password) < 10:
        raise InvalidInput(_("a password needs at least 10 characters"), field="password")
    customer = get_scoped(Customer, organisation=organisation, pk=customer_id, erased_at__isnull=True)
    customer.portal_password = make_password(password)
    customer.save(update_fields=["portal_password"])


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def send_login_links(*, email: str) -> int:
    """Email a one-time login link for each organisation where this address is a customer.

    Returns how many were sent; callers must not reveal it, so that addresses cannot be probed.
    """
    try:
        email = _clean_email(email)
    except InvalidInput:
        return 0
    if not email:
        return 0
    sent = 0
    customers = (
        Customer.objects.unscoped()
        .filter(email=email, erased_at__isnull=True)
        .select_related("organisation")
    )
    for customer in customers:
        token = secrets.token_urlsafe(32)
        LoginLink.objects.create(
            organisation_id=customer.organisation_id,
            customer=customer,
            token_hash=_hash_token(token),
            expires_at=timezone.now() + timedelta(seconds=settings.EYELEVEL_LOGIN_LINK_MAX_AGE),
        )
        url = settings.SITE_URL.rstrip("/") + reverse("portal:login_link", kwargs={"token": token})
        with translation.override(customer.language):
            subject = _("Your login link for %(organisation)s") % {"organisation": customer.organisation.name}
            body = _(
                "Hello,\n\nopen this link to log into your customer portal at %(organisation)s:\n%(url)s\n\n"
                "The link works once and expires in %(minutes)d minutes.\n\n"
                "Why you receive this: someone asked for a login link for this address. "
                "If it was not you, ignore this message.\n"
                "This message was sent automatically by eyelevel on behalf of %(organisation)s."
            ) % {
                "organisation": customer.organisation.name,
                "url": url,
                "minutes": settings.EYELEVEL_LOGIN_LINK_MAX_AGE // 60,
            }
        transaction.on_commit(
            lambda subject=subject, body=body, to=customer.email: send_mail(
                subject, body, settings.DEFAULT_FROM_EMAIL, [to]
            )
        )
        sent += 1
    return sent


def _portal_session(customer: Customer) -> PortalSession:
    return PortalSession(
        customer_id=customer.pk,
        organisation_id=customer.organisation_id,
        organisation_name=customer.organisation.name,
        display_name=customer.display_name or customer.email,
        language=customer.language,
    )


def login_link_is_valid(*, token: str) -> bool:
    """Whether the token is an unused, unexpired login link (checked before asking to confirm)."""
    return (
        LoginLink.objects.unscoped()
        .filter(token_hash=_hash_token(token), used_at__isnull=True, expires_at__gt=timezone.now())
        .exists()
    )


@transaction.atomic
def redeem_login_link(*, token: str) -> PortalSession:
    """Use a login link once; a used, expired or unknown link raises NotFound."""
    now = timezone.now()
    used = (
        LoginLink.objects.unscoped()
        .filter(token_hash=_hash_token(token), used_at__isnull=True, expires_at__gt=now)
        .update(used_at=now)
    )
    if used != 1:
        raise NotFound(_("This login link is invalid, used or expired. Ask for a new one."))
    link = LoginLink.objects.unscoped().select_related("customer__organisation").get(token_hash=_hash_token(token))
    customer = link.customer
    if customer.erased_at is not None:
        raise NotFound(_("This login link is invalid, used or expired. Ask for a new one."))
    customer.last_login_at = now
    customer.save(update_fields=["last_login_at"])
    return _portal_session(customer)


def login_with_password(*, email: str, password: str) -> PortalSession | None:
    """The portal session for a matching email and password, or None."""
    email = email.strip().lower()
    candidates = (
        Customer.objects.unscoped()
        .filter(email=email, erased_at__isnull=True)
        .exclude(portal_password="")
        .select_related("organisation")
    )
    for customer in candidates:
        if check_password(password, customer.portal_password):
            customer.last_login_at = timezone.now()
            customer.save(update_fields=["last_login_at"])
            return _portal_session(customer)
    # Spend the same time on unknown addresses so that they cannot be told apart by timing.
    make_password(password)
    return None


def portal_session_for(*, customer_id: int, organisation_id: int) -> PortalSession | None:
    """Reload the logged-in customer; None once the customer is erased or gone."""
    customer = (
        Customer.objects.for_organisation(organisation_id)
        .filter(pk=customer_id, erased_at__isnull=True)
        .select_related("organisation")
        .first()
    )
    return _portal_session(customer) if customer else None


@transaction.atomic
def import_customers(*, organisation: Organisation, rows: list[CustomerIn], source_detail: str = "") -> list[int]:
    """Create many customers at once (demo data, bulk imports); returns their ids in order.

    source_detail names the file (each record gets ", row N" added), shown to the customer in My data.
    """
    customers = [
        Customer(
            organisation=organisation, display_name=row.display_name.strip(), email=_clean_email(row.email),
            external_ref=row.external_ref.strip(), language=row.language,
            source_kind="import" if source_detail else "",
            source_detail=f"{source_detail.strip()}, row {number}"[:300] if source_detail else "",
        )
        for number, row in enumerate(rows, start=1)
    ]
    Customer.objects.for_organisation(organisation).bulk_create(customers, batch_size=2000)
    return [customer.pk for customer in customers]


# Consent, facts, the access log, export and erasure live in their own modules; other domains
# reach them through this one.
from eyelevel.customers.access_log import (  # noqa: E402
    STAFF_REASONS,
    access_log_of,
    read_customer,
    record_access,
    record_access_many,
    staff_reader,
    token_reader,
)
from eyelevel.customers.consent import (  # noqa: E402
    consent_history,
    consents_of,
    customer_count_for_purpose,
    customer_ids_for_purpose,
    declare_purpose,
    get_purpose,
    get_purpose_by_id,
    has_consent,
    list_purposes,
    may_process,
    purpose_allows,
    set_consent,
    update_purpose,
)
from eyelevel.customers.facts import (  # noqa: E402
    ACCOUNT_PURPOSE_CODE,
    delete_expired_facts,
    ensure_account_purpose,
    fact_history,
    get_fact,
    list_facts,
    my_data,
    record_fact,
    record_facts,
    rectify_fact,
    rectify_identity,
)
from eyelevel.customers.personal_data import (  # noqa: E402
    erase_customer,
    export_customer_data,
    render_export_html,
    render_export_pdf,
)
from eyelevel.customers.webhooks import (  # noqa: E402
    create_webhook_endpoint,
    delete_webhook_endpoint,
    get_webhook_endpoint,
    list_webhook_deliveries,
    list_webhook_endpoints,
)

__all__ = [
    "ACCOUNT_PURPOSE_CODE", "STAFF_REASONS", "access_log_of", "all_customer_ids", "consent_history", "consents_of",
    "create_customer", "create_webhook_endpoint", "customer_count", "customer_count_for_purpose", "customer_ids_by_email",
    "customer_ids_by_reference", "customer_ids_for_purpose", "declare_purpose", "delete_expired_facts",
    "delete_webhook_endpoint", "ensure_account_purpose", "erase_customer", "export_customer_data",
    "fact_history", "find_customer_by_email", "find_customer_by_reference", "get_customer", "get_customers",
    "get_fact",
    "get_purpose", "get_purpose_by_id", "get_webhook_endpoint", "has_consent", "import_customers", "list_customers", "list_facts",
    "list_purposes", "list_webhook_deliveries", "list_webhook_endpoints", "lock_customer",
    "login_link_is_valid", "login_with_password", "may_process", "my_data", "portal_session_for", "purpose_allows",
    "read_customer", "record_access", "record_access_many", "record_fact", "record_facts", "rectify_fact",
    "rectify_identity", "redeem_login_link", "render_export_html", "render_export_pdf", "send_login_links",
    "set_consent", "set_portal_password", "staff_reader", "token_reader", "update_purpose",
]
