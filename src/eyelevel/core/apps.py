from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "eyelevel.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from eyelevel.core.permissions import DASHBOARD_VIEW
        from eyelevel.core.registry import NavigationEntry, register_navigation

        register_navigation(NavigationEntry(_("Dashboard"), "core:dashboard", DASHBOARD_VIEW, order=0))
