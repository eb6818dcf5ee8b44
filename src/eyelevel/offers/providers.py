"""What the offers domain registers with core: navigation and personal data."""

from django.utils.translation import gettext_lazy as _

from eyelevel.core.permissions import OFFERS_VIEW
from eyelevel.core.registry import (
    NavigationEntry,
    register_navigation,
    register_personal_data,
    register_portal_navigation,
)


def register() -> None:
    from eyelevel.offers.services import erase_offers, export_offers

    register_navigation(NavigationEntry(_("Offers"), "offers:offers", OFFERS_VIEW, order=45))
    register_portal_navigation(NavigationEntry(_("Your offers"), "offers_portal:offers", "", order=42))
    register_personal_data("offers", exporter=export_offers, eraser=erase_offers)
