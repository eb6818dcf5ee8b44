"""What the commerce domain registers with core: navigation, dashboard figures, personal data."""

from datetime import timedelta

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from eyelevel.commerce.services import erase_receipts, export_receipts, receipt_count, revenue_since
from eyelevel.core.permissions import COMMERCE_MANAGE, COMMERCE_TILL, COMMERCE_VIEW
from eyelevel.core.registry import (
    DashboardFigure,
    NavigationEntry,
    register_dashboard,
    register_navigation,
    register_personal_data,
    register_portal_navigation,
)


def _figures(organisation_id: int) -> list[DashboardFigure]:
    revenue = revenue_since(organisation_id=organisation_id, since=timezone.now() - timedelta(days=30))
    return [
        DashboardFigure(_("Receipts"), receipt_count(organisation_id=organisation_id)),
        DashboardFigure(_("Revenue, last 30 days"), number_format(revenue, 2, use_l10n=True, force_grouping=True)),
    ]


def register() -> None:
    register_dashboard("commerce", _figures)
    register_navigation(NavigationEntry(_("Receipts"), "commerce:receipts", COMMERCE_VIEW, order=40))
    register_navigation(NavigationEntry(_("Products"), "commerce:products", COMMERCE_VIEW, order=41))
    register_navigation(NavigationEntry(_("Stamp programmes"), "commerce:programmes", COMMERCE_MANAGE, order=42))
    register_navigation(NavigationEntry(_("Till"), "commerce:till", COMMERCE_TILL, order=43))
    register_portal_navigation(NavigationEntry(_("Receipts"), "commerce_portal:receipts", "", order=40))
    register_portal_navigation(NavigationEntry(_("Stamp cards"), "commerce_portal:stamps", "", order=41))
    register_personal_data("commerce", exporter=export_receipts, eraser=erase_receipts)
