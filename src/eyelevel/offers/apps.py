from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OffersConfig(AppConfig):
    name = "eyelevel.offers"
    label = "offers"
    verbose_name = _("Offers")

    def ready(self) -> None:
        from eyelevel.offers import providers

        providers.register()
