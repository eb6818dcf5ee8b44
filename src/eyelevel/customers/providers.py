"""What the customers domain registers: navigation, dashboard figures, its personal data."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from eyelevel.core.permissions import CUSTOMERS_LIST, PURPOSES_MANAGE, TOKENS_MANAGE
from eyelevel.core.registry import (
    DashboardFigure,
    NavigationEntry,
    register_dashboard,
    register_navigation,
    register_periodic,
    register_personal_data,
    register_portal_navigation,
)
from eyelevel.customers.personal_data import erase_customers_domain, export_customers_domain
from eyelevel.customers.services import customer_count


def _figures(organisation_id: int) -> list[DashboardFigure]:
    return [DashboardFigure(_("Customers"), customer_count(organisation_id=organisation_id), reverse("customers:list"))]


def _retention_sweep() -> int:
    from eyelevel.customers.facts import delete_expired_facts

    return delete_expired_facts()


def register() -> None:
    register_navigation(NavigationEntry(_("Customers"), "customers:list", CUSTOMERS_LIST, order=10))
    register_navigation(NavigationEntry(_("Purposes"), "customers:purposes", PURPOSES_MANAGE, order=80))
    register_navigation(NavigationEntry(_("Webhooks"), "customers:webhooks", TOKENS_MANAGE, order=90))
    register_dashboard("customers", _figures)
    register_personal_data("customers", exporter=export_customers_domain, eraser=erase_customers_domain)
    register_periodic("customers.retention", _retention_sweep, every_seconds=24 * 3600)
    for order, (label, url_name) in enumerate([
        (_("My data"), "portal:my_data"),
        (_("Consents"), "portal:consents"),
        (_("Who looked at my data"), "portal:access_log"),
        (_("Export and erasure"), "portal:export"),
    ]):
        register_portal_navigation(NavigationEntry(label, url_name, "", order=10 + order))
