"""What the knowledge domain registers with core: navigation, dashboard figures, personal data."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from eyelevel.core.permissions import KNOWLEDGE_VIEW
from eyelevel.core.registry import (
    DashboardFigure,
    NavigationEntry,
    register_dashboard,
    register_navigation,
    register_personal_data,
    register_portal_navigation,
)


def _figures(organisation_id: int) -> list[DashboardFigure]:
    from eyelevel.knowledge import services

    validated = services.count_articles(organisation_id=organisation_id, state="validated")
    return [DashboardFigure(_("Validated articles"), validated, reverse("knowledge:list") + "?state=validated")]


def _export(organisation_id: int, customer_id: int) -> dict:
    from eyelevel.knowledge import services

    return services.export_customer_data(organisation_id, customer_id)


def _erase(organisation_id: int, customer_id: int) -> int:
    from eyelevel.knowledge import services

    return services.erase_customer_data(organisation_id, customer_id)


def register() -> None:
    register_navigation(NavigationEntry(_("Knowledge"), "knowledge:list", KNOWLEDGE_VIEW, order=50))
    register_portal_navigation(NavigationEntry(_("Help articles"), "knowledge_portal:home", "", order=50))
    register_dashboard("knowledge", _figures)
    register_personal_data("knowledge", exporter=_export, eraser=_erase)
