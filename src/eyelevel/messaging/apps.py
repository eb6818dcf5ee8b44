from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "eyelevel.messaging"
    label = "messaging"
    verbose_name = _("Messaging")

    def ready(self) -> None:
        from eyelevel.messaging import providers

        providers.register()
