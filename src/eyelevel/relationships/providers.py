"""What the relationships domain registers with core: navigation, dashboard figures, personal data."""

from django.utils.translation import gettext_lazy as _

from eyelevel.core.permissions import CHARTER_VIEW
from eyelevel.core.registry import NavigationEntry, register_navigation


def register() -> None:
    """Register the charter in the staff navigation (the charter holds no personal data)."""
    register_navigation(NavigationEntry(_("Charter"), "relationships:charter", CHARTER_VIEW, order=60))
