from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo organisation: a deterministic generator that uses every domain's services."""

    name = "eyelevel.demo"
    label = "demo"
