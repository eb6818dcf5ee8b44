"""What the feedback domain registers with core: navigation, dashboard figures, personal data."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from eyelevel.core.permissions import FEEDBACK_VIEW, INSIGHTS_VIEW
from eyelevel.core.registry import (
    DashboardFigure,
    NavigationEntry,
    register_dashboard,
    register_navigation,
    register_periodic,
    register_personal_data,
    register_portal_navigation,
)
from eyelevel.feedback.services import feedback_count
from eyelevel.feedback.services.personal_data import erase_feedback, export_feedback


def _figures(organisation_id: int) -> list[DashboardFigure]:
    return [
        DashboardFigure(_("Feedback items"), feedback_count(organisation_id=organisation_id), reverse("feedback:inbox")),
        DashboardFigure(_("Feedback in the last 30 days"), feedback_count(organisation_id=organisation_id, days=30)),
    ]


def _escalate_overdue() -> int:
    from eyelevel.core.models import Organisation
    from eyelevel.feedback import services

    return sum(len(services.escalate_overdue(organisation=o)) for o in Organisation.objects.all())


def register() -> None:
    register_dashboard("feedback", _figures)
    register_periodic("feedback.escalation", _escalate_overdue, every_seconds=15 * 60)
    register_navigation(NavigationEntry(_("Feedback"), "feedback:inbox", FEEDBACK_VIEW, order=20))
    register_navigation(NavigationEntry(_("Feedback insights"), "feedback:insights", INSIGHTS_VIEW, order=21))
    register_portal_navigation(NavigationEntry(_("Feedback"), "feedback_portal:mine", "", order=30))
    register_personal_data("feedback", exporter=export_feedback, eraser=erase_feedback)
