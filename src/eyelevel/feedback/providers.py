"""What the feedback domain registers with core: dashboard figures."""

from django.utils.translation import gettext_lazy as _

from eyelevel.core.registry import DashboardFigure, register_dashboard
from eyelevel.feedback.services import feedback_count


def _figures(organisation_id: int) -> list[DashboardFigure]:
    return [
        DashboardFigure(_("Feedback items"), feedback_count(organisation_id=organisation_id)),
        DashboardFigure(_("Feedback in the last 30 days"), feedback_count(organisation_id=organisation_id, days=30)),
    ]


def register() -> None:
    register_dashboard("feedback", _figures)
