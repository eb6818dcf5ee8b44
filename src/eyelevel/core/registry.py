"""Registries that lower layers read and every domain fills from its providers.py.

Export and erasure must cover every domain, but core may import none; so each domain registers
its exporter and eraser here, and the customers domain runs them all.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# exporter(organisation_id, customer_id) -> JSON-serialisable dict of the domain's data
Exporter = Callable[[int, int], dict[str, Any]]
# eraser(organisation_id, customer_id) -> number of rows deleted or anonymised
Eraser = Callable[[int, int], int]


@dataclass(frozen=True)
class PersonalDataProvider:
    domain: str
    exporter: Exporter
    eraser: Eraser


_providers: dict[str, PersonalDataProvider] = {}


def register_personal_data(domain: str, *, exporter: Exporter, eraser: Eraser) -> None:
    """Register a domain's exporter and eraser (called from its AppConfig.ready)."""
    _providers[domain] = PersonalDataProvider(domain, exporter, eraser)


def personal_data_providers() -> list[PersonalDataProvider]:
    """Every registered provider, in a stable order."""
    return [_providers[name] for name in sorted(_providers)]


@dataclass(frozen=True)
class DashboardFigure:
    label: str
    value: int | float | str
    url: str | None = None


# figure(organisation_id) -> list of figures, shown on the staff dashboard
DashboardProvider = Callable[[int], list[DashboardFigure]]
_dashboard: dict[str, DashboardProvider] = {}


def register_dashboard(domain: str, provider: DashboardProvider) -> None:
    """Register a domain's figures for the staff dashboard."""
    _dashboard[domain] = provider


def dashboard_providers() -> list[tuple[str, DashboardProvider]]:
    """Every dashboard provider, in a stable order."""
    return sorted(_dashboard.items())


@dataclass(frozen=True)
class NavigationEntry:
    label: Any
    url_name: str
    permission: str
    order: int = 100


_navigation: list[NavigationEntry] = []


def register_navigation(entry: NavigationEntry) -> None:
    """Add a staff console navigation entry (shown to roles with its permission)."""
    if entry not in _navigation:
        _navigation.append(entry)


def navigation_entries() -> list[NavigationEntry]:
    """Every staff navigation entry, ordered."""
    return sorted(_navigation, key=lambda entry: (entry.order, str(entry.label)))


_portal_navigation: list[NavigationEntry] = []


def register_portal_navigation(entry: NavigationEntry) -> None:
    """Add a customer portal navigation entry (its permission field is unused: every customer sees it)."""
    if entry not in _portal_navigation:
        _portal_navigation.append(entry)


def portal_navigation_entries() -> list[NavigationEntry]:
    """Every portal navigation entry, ordered."""
    return sorted(_portal_navigation, key=lambda entry: (entry.order, str(entry.label)))


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    run: Callable[[], Any]
    every_seconds: int


_periodic: dict[str, PeriodicJob] = {}


def register_periodic(name: str, run: Callable[[], Any], *, every_seconds: int) -> None:
    """Register work the database worker repeats (e.g. the retention sweep, daily)."""
    _periodic[name] = PeriodicJob(name, run, every_seconds)


def periodic_jobs() -> list[PeriodicJob]:
    """Every registered periodic job, by name."""
    return [_periodic[name] for name in sorted(_periodic)]


def periodic_job(name: str) -> PeriodicJob:
    """One registered periodic job."""
    return _periodic[name]
