"""Customer records, purposes, facts, consents, the access log, export, erasure and webhooks over the API.

Thin: every rule lives in services. Every read of a customer's personal data is logged with the
token's stated access reason.
"""

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from eyelevel.customers import services
from eyelevel.customers.schemas import (
    AccessLogPage,
    ConsentEventOut,
    ConsentIn,
    ConsentOut,
    CustomerIn,
    CustomerOut,
    CustomerPage,
    ErasureOut,
    FactIn,
    FactOut,
    FactPage,
    FactSource,
    PurposeIn,
    PurposeOut,
    Reader,
    WebhookDeliveryOut,
    WebhookEndpointCreated,
    WebhookEndpointIn,
    WebhookEndpointOut,
)

router = Router(tags=["customers"])


class CustomerFilter(Schema):
    q: str = ""
    page: int = 1


class FactFilter(Schema):
    purpose: str = ""
    page: int = 1


class PageFilter(Schema):
    page: int = 1


class FactValue(Schema):
    value: str


def _reader(request: HttpRequest) -> Reader:
    principal = request.principal
    return services.token_reader(token_name=principal.name, access_reason=principal.access_reason)


def _source(request: HttpRequest) -> FactSource:
    return FactSource(kind="api", detail=f"integration “{request.principal.name}”")


@router.get("", response=CustomerPage, summary="List customers (each listed customer's access log records it)")
def list_customers(request: HttpRequest, filters: Query[CustomerFilter]) -> CustomerPage:
    page = services.list_customers(organisation=request.organisation, query=filters.q, page=filters.page)
    services.record_access_many(organisation=request.organisation, customer_ids=[c.id for c in page.items],
                                reader=_reader(request), what="customer record (in a list)")
    return page


@router.post("", response={201: CustomerOut}, summary="Create a customer")
def create_customer(request: HttpRequest, payload: CustomerIn) -> Status[CustomerOut]:
    return Status(201, services.create_customer(organisation=request.organisation, data=payload, source_kind="api",
                                                 source_detail=f"integration “{request.principal.name}”"))


@router.get("/purposes", response=list[PurposeOut], summary="List declared purposes")
def list_purposes(request: HttpRequest) -> list[PurposeOut]:
    return services.list_purposes(organisation=request.organisation)


@router.post("/purposes", response={201: PurposeOut}, summary="Declare a purpose")
def declare_purpose(request: HttpRequest, payload: PurposeIn) -> Status[PurposeOut]:
    return Status(201, services.declare_purpose(organisation=request.organisation, data=payload))


@router.get("/webhooks", response=list[WebhookEndpointOut], summary="List webhook endpoints")
def list_webhooks(request: HttpRequest) -> list[WebhookEndpointOut]:
    return services.list_webhook_endpoints(organisation=request.organisation)


@router.post("/webhooks", response={201: WebhookEndpointCreated},
             summary="Register a webhook endpoint (the signing secret is returned once)")
def create_webhook(request: HttpRequest, payload: WebhookEndpointIn) -> Status[WebhookEndpointCreated]:
    return Status(201, services.create_webhook_endpoint(organisation=request.organisation, data=payload))


@router.delete("/webhooks/{webhook_endpoint_id}", response={204: None}, summary="Remove a webhook endpoint")
def delete_webhook(request: HttpRequest, webhook_endpoint_id: int) -> Status[None]:
    services.delete_webhook_endpoint(organisation=request.organisation, webhook_endpoint_id=webhook_endpoint_id)
    return Status(204, None)


@router.get("/webhooks/{webhook_endpoint_id}/deliveries", response=list[WebhookDeliveryOut],
            summary="Recent deliveries to a webhook endpoint")
def list_deliveries(request: HttpRequest, webhook_endpoint_id: int) -> list[WebhookDeliveryOut]:
    return services.list_webhook_deliveries(organisation=request.organisation,
                                            webhook_endpoint_id=webhook_endpoint_id)


@router.get("/{customer_id}", response=CustomerOut, summary="Get a customer (logged in their access log)")
def get_customer(request: HttpRequest, customer_id: int) -> CustomerOut:
    return services.read_customer(organisation=request.organisation, customer_id=customer_id,
                                  reader=_reader(request))


@router.get("/{customer_id}/facts", response=FactPage, summary="The customer's personal data (logged)")
def list_facts(request: HttpRequest, customer_id: int, filters: Query[FactFilter]) -> FactPage:
    services.read_customer(organisation=request.organisation, customer_id=customer_id, reader=_reader(request),
                           what="personal data")
    return services.list_facts(organisation=request.organisation, customer_id=customer_id,
                               purpose_code=filters.purpose, page=filters.page)


@router.post("/{customer_id}/facts", response={201: FactOut},
             summary="Store a datum for a declared purpose (refused without purpose or needed consent)")
def record_fact(request: HttpRequest, customer_id: int, payload: FactIn) -> Status[FactOut]:
    return Status(201, services.record_fact(organisation=request.organisation, customer_id=customer_id, data=payload,
                                             source=_source(request)))


@router.put("/{customer_id}/facts/{personal_fact_id}", response=FactOut, summary="Correct a datum (with history)")
def rectify_fact(request: HttpRequest, customer_id: int, personal_fact_id: int, payload: FactValue) -> FactOut:
    return services.rectify_fact(organisation=request.organisation, customer_id=customer_id,
                                 personal_fact_id=personal_fact_id, value=payload.value, source=_source(request))


@router.get("/{customer_id}/consents", response=list[ConsentOut], summary="The customer's consents (logged)")
def list_consents(request: HttpRequest, customer_id: int) -> list[ConsentOut]:
    services.read_customer(organisation=request.organisation, customer_id=customer_id, reader=_reader(request),
                           what="consents")
    return services.consents_of(organisation=request.organisation, customer_id=customer_id)


@router.get("/{customer_id}/consents/history", response=list[ConsentEventOut],
            summary="The customer's consent history (logged)")
def consent_history(request: HttpRequest, customer_id: int) -> list[ConsentEventOut]:
    services.read_customer(organisation=request.organisation, customer_id=customer_id, reader=_reader(request),
                           what="consent history")
    return services.consent_history(organisation=request.organisation, customer_id=customer_id)


@router.post("/{customer_id}/consents", response=ConsentOut,
             summary="Record a consent the customer gave or revoked through the integrator's system")
def set_consent(request: HttpRequest, customer_id: int, payload: ConsentIn) -> ConsentOut:
    return services.set_consent(organisation=request.organisation, customer_id=customer_id,
                                purpose_code=payload.purpose_code, granted=payload.granted, channel="api",
                                note=payload.note or f"integration “{request.principal.name}”")


@router.get("/{customer_id}/access-log", response=AccessLogPage, summary="Who read the customer's data (logged)")
def access_log(request: HttpRequest, customer_id: int, filters: Query[PageFilter]) -> AccessLogPage:
    services.read_customer(organisation=request.organisation, customer_id=customer_id, reader=_reader(request),
                           what="access log")
    return services.access_log_of(organisation=request.organisation, customer_id=customer_id, page=filters.page)


@router.get("/{customer_id}/export", response=dict, summary="Everything held about the customer, all domains (logged)")
def export(request: HttpRequest, customer_id: int) -> dict:
    return services.export_customer_data(organisation=request.organisation, customer_id=customer_id,
                                         reader=_reader(request))


@router.post("/{customer_id}/erase", response=ErasureOut, summary="Erase the customer in every domain")
def erase(request: HttpRequest, customer_id: int) -> ErasureOut:
    return services.erase_customer(organisation=request.organisation, customer_id=customer_id,
                                   requested_via="api", reader=_reader(request))
