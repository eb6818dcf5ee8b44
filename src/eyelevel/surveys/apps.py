from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "eyelevel.surveys"
    label = "surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        from eyelevel.surveys import providers

        providers.register()
