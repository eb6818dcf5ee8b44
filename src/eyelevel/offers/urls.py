from django.urls import path

from eyelevel.offers.views import portal, staff

staff_patterns = (
    [
        path("", staff.offer_list, name="offers"),
        path("<int:offer_id>/active/", staff.offer_active, name="offer_active"),
        path("train/", staff.train, name="train"),
        path("train/status/", staff.training_status, name="training_status"),
        path("purpose/", staff.declare_purpose, name="purpose"),
        path("newsletter/", staff.newsletter, name="newsletter"),
        path("customers/<int:customer_id>/", staff.customer_offers, name="customer"),
    ],
    "offers",
)
portal_patterns = (
    [
        path("", portal.offer_list, name="offers"),
        path("personalisation/", portal.personalisation, name="personalisation"),
        path("hide/", portal.hide, name="hide"),
        path("exclusions/<int:offer_exclusion_id>/remove/", portal.remove_exclusion, name="remove_exclusion"),
        path("consent/", portal.consent, name="consent"),
    ],
    "offers_portal",
)
public_patterns: tuple[list, str] = ([], "offers_public")
