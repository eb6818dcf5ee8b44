"""Customer records over the API (thin: every rule lives in services)."""

from django.http import HttpRequest
from ninja import Query, Router, Schema

from eyelevel.customers import services
from eyelevel.customers.schemas import CustomerIn, CustomerOut, CustomerPage

router = Router(tags=["customers"])


class CustomerFilter(Schema):
    q: str = ""
    page: int = 1


@router.get("", response=CustomerPage, summary="List customers")
def list_customers(request: HttpRequest, filters: Query[CustomerFilter]) -> CustomerPage:
    return services.list_customers(organisation=request.organisation, query=filters.q, page=filters.page)


@router.post("", response={201: CustomerOut}, summary="Create a customer")
def create_customer(request: HttpRequest, payload: CustomerIn) -> tuple[int, CustomerOut]:
    return 201, services.create_customer(organisation=request.organisation, data=payload)


@router.get("/{customer_id}", response=CustomerOut, summary="Get a customer")
def get_customer(request: HttpRequest, customer_id: int) -> CustomerOut:
    return services.get_customer(organisation=request.organisation, customer_id=customer_id)
