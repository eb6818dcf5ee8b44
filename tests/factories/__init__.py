"""factory_boy factories per domain, and a registry from model to factory for the tenancy walker.

Every tenant-owned model that a URL or API route can name must have a registered factory, so that
the cross-tenant test can create one for another organisation and prove it is not reachable.
"""

from collections.abc import Callable
from typing import Any

FACTORY_FOR_MODEL: dict[str, Callable[..., Any]] = {}


def registers(label: str) -> Callable[[type], type]:
    """Class decorator: register a factory as the one for the model label ("app.Model")."""

    def decorator(factory: type) -> type:
        FACTORY_FOR_MODEL[label] = factory
        return factory

    return decorator


def load_all() -> None:
    """Import every factory module so that all registrations exist."""
    import importlib
    import pkgutil

    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
