"""The shared kernel's tables: organisations (tenants)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    """A tenant: one organisation and everything it holds about its customers."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    default_language = models.CharField(_("default language"), max_length=8, default="en")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
