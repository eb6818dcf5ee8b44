from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommerceConfig(AppConfig):
    name = "eyelevel.commerce"
    label = "commerce"
    verbose_name = _("Commerce")

    def ready(self) -> None:
        from eyelevel.commerce import providers

        providers.register()
