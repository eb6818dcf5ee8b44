"""Staff pages for customer records."""

from django.http import HttpRequest, HttpResponse

from eyelevel.core.permissions import CUSTOMERS_LIST, CUSTOMERS_READ_PERSONAL
from eyelevel.core.web import render_page, staff_required
from eyelevel.customers import services


@staff_required(CUSTOMERS_LIST)
def customer_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    try:
        page_number = int(request.GET.get("page", "1"))
    except ValueError:
        page_number = 1
    page = services.list_customers(organisation=request.organisation, query=query, page=page_number)
    return render_page(request, "customers/list.html", {"page": page, "query": query},
                       partial="customers/_rows.html")


@staff_required(CUSTOMERS_READ_PERSONAL)
def customer_detail(request: HttpRequest, customer_id: int) -> HttpResponse:
    customer = services.get_customer(organisation=request.organisation, customer_id=customer_id)
    return render_page(request, "customers/detail.html", {"customer": customer})
