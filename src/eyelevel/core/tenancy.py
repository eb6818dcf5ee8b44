"""The one scoping mechanism for tenant-owned data.

Every tenant-owned model inherits ``TenantModel``. Its default manager returns querysets that
refuse to run until they are scoped with ``for_organisation(org)``, so forgetting the scope is a
loud error, not a leak. Querysets reached through a relation of an already-loaded object (e.g.
``customer.facts.all()``) are scoped by that object. System code that must see every tenant
(retention sweeps, the erasure scan, the back-office admin) says so with ``unscoped()``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from django.db import models
from django.utils.translation import gettext as _

from eyelevel.core.errors import NotFound

if TYPE_CHECKING:
    from eyelevel.core.models import Organisation


class UnscopedQueryError(RuntimeError):
    """A query of tenant-owned data ran without naming its organisation."""


class TenantQuerySet(models.QuerySet):
    """A queryset that runs only once it is scoped to one organisation (or explicitly unscoped)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._tenant_scoped = False

    def _clone(self) -> Self:
        clone = super()._clone()
        clone._tenant_scoped = self._tenant_scoped
        return clone

    def _add_hints(self, **hints: Any) -> None:
        super()._add_hints(**hints)
        # Related managers add the parent instance as a hint; the parent was loaded in scope.
        instance = hints.get("instance")
        if instance is not None and (
            getattr(instance, "organisation_id", None) is not None or instance._meta.label == "core.Organisation"
        ):
            self._tenant_scoped = True

    def for_organisation(self, organisation: Organisation | int) -> Self:
        """Scope the queryset to one organisation."""
        organisation_id = organisation_id_of(organisation)
        if organisation_id is None:
            raise UnscopedQueryError("for_organisation() needs a saved organisation")
        clone = self.filter(organisation_id=organisation_id)
        clone._tenant_scoped = True
        return clone

    def unscoped(self) -> Self:
        """Deliberately query across all organisations (system code only)."""
        clone = self._chain()
        clone._tenant_scoped = True
        return clone

    def _require_scope(self) -> None:
        if not self._tenant_scoped:
            raise UnscopedQueryError(
                f"{self.model._meta.label}: query without an organisation; "
                "use .for_organisation(org) (or .unscoped() in system code)"
            )

    def _fetch_all(self) -> None:
        if self._result_cache is None:
            self._require_scope()
        super()._fetch_all()

    def iterator(self, *args: Any, **kwargs: Any):  # type: ignore[no-untyped-def]
        self._require_scope()
        return super().iterator(*args, **kwargs)

    def count(self) -> int:
        if self._result_cache is None:
            self._require_scope()
        return super().count()

    def exists(self) -> bool:
        if self._result_cache is None:
            self._require_scope()
        return super().exists()

    def aggregate(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        self._require_scope()
        return super().aggregate(*args, **kwargs)

    def update(self, **kwargs: Any) -> int:
        self._require_scope()
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        self._require_scope()
        return super().delete()

    def in_bulk(self, *args: Any, **kwargs: Any) -> dict[Any, Any]:
        self._require_scope()
        return super().in_bulk(*args, **kwargs)

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[Any]:
        objs = list(objs)
        missing = [obj for obj in objs if getattr(obj, "organisation_id", None) is None]
        if missing:
            raise UnscopedQueryError(f"{self.model._meta.label}: bulk_create of rows without an organisation")
        return super().bulk_create(objs, *args, **kwargs)


class TenantManager(models.Manager.from_queryset(TenantQuerySet)):  # type: ignore[misc]
    """The default manager of tenant-owned models: scoped or refused."""


class TenantModel(models.Model):
    """Base for every tenant-owned table: it carries its organisation and is queried in scope."""

    organisation = models.ForeignKey("core.Organisation", on_delete=models.CASCADE, related_name="+")

    objects = TenantManager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.organisation_id is None:
            raise UnscopedQueryError(f"{self._meta.label}: cannot save a row without an organisation")
        super().save(*args, **kwargs)


def organisation_id_of(organisation: Organisation | int) -> int:
    """The organisation's id, whether given the organisation or its id."""
    return organisation if isinstance(organisation, int) else organisation.pk


def get_scoped(model: type[TenantModel], *, organisation: Organisation | int, **lookup: Any) -> Any:
    """Return the organisation's object matching lookup, or raise NotFound (a 404 at the web layer)."""
    try:
        return model.objects.for_organisation(organisation).get(**lookup)
    except (model.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("%(name)s not found") % {"name": model._meta.verbose_name}) from None
