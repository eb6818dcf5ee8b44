from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomersConfig(AppConfig):
    name = "eyelevel.customers"
    label = "customers"
    verbose_name = _("Customers")

    def ready(self) -> None:
        from eyelevel.customers import providers

        providers.register()
