"""What the surveys domain registers with core: navigation, personal data."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from eyelevel.core.permissions import SURVEYS_VIEW
from eyelevel.core.registry import (
    DashboardFigure,
    NavigationEntry,
    register_dashboard,
    register_navigation,
    register_personal_data,
    register_portal_navigation,
)


def _figures(organisation_id: int) -> list[DashboardFigure]:
    from eyelevel.surveys import services

    open_count, responses = services.survey_counts(organisation_id=organisation_id)
    return [DashboardFigure(_("Open surveys"), open_count, reverse("surveys:list")),
            DashboardFigure(_("Survey responses (30 days)"), responses, reverse("surveys:gap_report"))]


def register() -> None:
    """Staff and portal navigation; export and erasure of a customer's survey answers."""
    from eyelevel.surveys import services

    register_navigation(NavigationEntry(_("Surveys"), "surveys:list", SURVEYS_VIEW, order=65))
    register_portal_navigation(NavigationEntry(_("Surveys"), "surveys_portal:list", "", order=60))
    register_dashboard("surveys", _figures)
    register_personal_data("surveys", exporter=services.export_customer_answers,
                           eraser=services.erase_customer_answers)
