"""The access log: every read of a customer's personal data by staff or an integration (product rule 2).

Entries are only ever added: there is no service to change or delete one, and the model refuses it.
Only the erasure of the customer removes them, with everything else held about that customer.
"""


from django.db import transaction
from django.utils.translation import gettext as _

from eyelevel.core.errors import InvalidInput
from eyelevel.core.models import Organisation
from eyelevel.core.pagination import page_window
from eyelevel.core.tenancy import get_scoped, organisation_id_of
from eyelevel.customers.models import AccessLogEntry, Customer
from eyelevel.customers.schemas import AccessLogEntryOut, AccessLogPage, CustomerOut, Reader

ACCESS_LOG_PAGE_SIZE = 50
# Reasons a staff user can pick when opening a record (or they type their own).
STAFF_REASONS = (
    "The customer asked us (phone, email or in person)",
    "Handling the customer's feedback or complaint",
    "Handling an order, receipt or stamp card",
    "A request for export or erasure",
    "A legal obligation (e.g. tax audit)",
)


def staff_reader(*, user_id: int, username: str, reason: str) -> Reader:
    """A staff user reading customer data for the reason they picked or typed."""
    return Reader(kind="staff", label=username, reason=reason.strip(), user_id=user_id)


def token_reader(*, token_name: str, access_reason: str) -> Reader:
    """An integrator token reading customer data for the reason stated on the token."""
    return Reader(kind="token", label=token_name, reason=access_reason.strip())


def _clean(reader: Reader, what: str) -> None:
    if not reader.reason:
        raise InvalidInput(_("say why you open this customer's data"), field="reason")
    if len(reader.reason) > 300:
        raise InvalidInput(_("the reason is too long (at most 300 characters)"), field="reason")
    if not what:
        raise InvalidInput("say what was read", field="what")


def record_access(*, organisation: Organisation | int, customer_id: int, reader: Reader, what: str) -> None:
    """Write one access-log entry: who (reader), when (now), what and why."""
    _clean(reader, what)
    customer = get_scoped(Customer, organisation=organisation, pk=customer_id)
    AccessLogEntry.objects.create(
        organisation_id=customer.organisation_id, customer_id=customer.pk, actor_kind=reader.kind,
        actor_user_id=reader.user_id, actor_label=reader.label[:200], what=what[:200], reason=reader.reason,
    )


def record_access_many(*, organisation: Organisation | int, customer_ids: list[int], reader: Reader,
                       what: str) -> None:
    """Write one entry per customer (a list read over the API shows each customer's data)."""
    _clean(reader, what)
    organisation_id = organisation_id_of(organisation)
    AccessLogEntry.objects.for_organisation(organisation).bulk_create([
        AccessLogEntry(organisation_id=organisation_id, customer_id=customer_id, actor_kind=reader.kind,
                       actor_user_id=reader.user_id, actor_label=reader.label[:200], what=what[:200],
                       reason=reader.reason)
        for customer_id in customer_ids
    ])


@transaction.atomic
def read_customer(*, organisation: Organisation | int, customer_id: int, reader: Reader,
                  what: str = "customer record") -> CustomerOut:
    """The customer record for a staff user or integration, logged with who, what and why."""
    customer = get_scoped(Customer, organisation=organisation, pk=customer_id, erased_at__isnull=True)
    record_access(organisation=organisation, customer_id=customer.pk, reader=reader, what=what)
    return CustomerOut.from_orm(customer)


def access_log_of(*, organisation: Organisation | int, customer_id: int, page: int = 1,
                  page_size: int = ACCESS_LOG_PAGE_SIZE) -> AccessLogPage:
    """A page of who read the customer's data, newest first."""
    entries = AccessLogEntry.objects.for_organisation(organisation).filter(customer_id=customer_id)
    window = page_window(total=entries.count(), page=page, page_size=page_size)
    rows = entries.order_by("-accessed_at", "-pk").values(
        "id", "customer_id", "actor_kind", "actor_label", "what", "reason", "accessed_at",
    )[window.start: window.stop]
    return AccessLogPage(items=[AccessLogEntryOut(**row) for row in rows], total=window.total, page=window.page,
                         pages=window.pages)
