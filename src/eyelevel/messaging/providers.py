"""What the messaging domain registers with core: navigation, dashboard figures, personal data."""

from django.utils.translation import gettext_lazy as _

from eyelevel.core.permissions import SETTINGS_MANAGE
from eyelevel.core.registry import (
    DashboardFigure,
    NavigationEntry,
    register_dashboard,
    register_navigation,
    register_personal_data,
    register_portal_navigation,
)
from eyelevel.messaging.services import erase_messages, export_messages, sent_count


def _figures(organisation_id: int) -> list[DashboardFigure]:
    return [DashboardFigure(_("Messages sent this week"), sent_count(organisation_id=organisation_id))]


def register() -> None:
    register_navigation(NavigationEntry(_("Contact caps"), "messaging:caps", SETTINGS_MANAGE, order=85))
    register_dashboard("messaging", _figures)
    register_personal_data("messaging", exporter=export_messages, eraser=erase_messages)
    register_portal_navigation(NavigationEntry(_("Messages"), "messaging_portal:messages", "", order=14))
