"""What the surveys domain registers with core: navigation, personal data."""

from django.utils.translation import gettext_lazy as _

from eyelevel.core.permissions import SURVEYS_VIEW
from eyelevel.core.registry import (
    NavigationEntry,
    register_navigation,
    register_personal_data,
    register_portal_navigation,
)


def register() -> None:
    """Staff and portal navigation; export and erasure of a customer's survey answers."""
    from eyelevel.surveys import services

    register_navigation(NavigationEntry(_("Surveys"), "surveys:list", SURVEYS_VIEW, order=65))
    register_portal_navigation(NavigationEntry(_("Surveys"), "surveys_portal:list", "", order=60))
    register_personal_data("surveys", exporter=services.export_customer_answers,
                           eraser=services.erase_customer_answers)
