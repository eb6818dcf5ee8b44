"""What the commerce domain registers with core: dashboard figures."""

from datetime import timedelta

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from eyelevel.commerce.services import receipt_count, revenue_since
from eyelevel.core.registry import DashboardFigure, register_dashboard


def _figures(organisation_id: int) -> list[DashboardFigure]:
    revenue = revenue_since(organisation_id=organisation_id, since=timezone.now() - timedelta(days=30))
    return [
        DashboardFigure(_("Receipts"), receipt_count(organisation_id=organisation_id)),
        DashboardFigure(_("Revenue, last 30 days"), number_format(revenue, 2, use_l10n=True, force_grouping=True)),
    ]


def register() -> None:
    register_dashboard("commerce", _figures)
