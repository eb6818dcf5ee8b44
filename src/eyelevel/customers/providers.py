"""What the customers domain registers: navigation, dashboard figures, its personal data."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from eyelevel.core.permissions import CUSTOMERS_LIST
from eyelevel.core.registry import (
    DashboardFigure,
    NavigationEntry,
    register_dashboard,
    register_navigation,
)
from eyelevel.customers.services import customer_count


def _figures(organisation_id: int) -> list[DashboardFigure]:
    return [DashboardFigure(_("Customers"), customer_count(organisation_id=organisation_id), reverse("customers:list"))]


def register() -> None:
    register_navigation(NavigationEntry(_("Customers"), "customers:list", CUSTOMERS_LIST, order=10))
    register_dashboard("customers", _figures)
