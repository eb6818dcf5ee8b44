"""What the accounts domain registers: navigation for owners and a dashboard figure."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from eyelevel.accounts.services import staff_count
from eyelevel.core.permissions import TOKENS_MANAGE, USERS_MANAGE
from eyelevel.core.registry import (
    DashboardFigure,
    NavigationEntry,
    register_dashboard,
    register_navigation,
)


def _figures(organisation_id: int) -> list[DashboardFigure]:
    return [DashboardFigure(_("Staff members"), staff_count(organisation_id=organisation_id), reverse("accounts:team"))]


def register() -> None:
    register_navigation(NavigationEntry(_("Team"), "accounts:team", USERS_MANAGE, order=900))
    register_navigation(NavigationEntry(_("API tokens"), "accounts:tokens", TOKENS_MANAGE, order=910))
    register_dashboard("accounts", _figures)
