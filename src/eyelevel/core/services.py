"""Organisations: creating and finding tenants."""

from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from eyelevel.core.errors import Conflict, InvalidInput, NotFound
from eyelevel.core.models import Organisation


def create_organisation(*, name: str, slug: str | None = None, default_language: str = "en") -> Organisation:
    """Create a tenant; the slug is derived from the name unless given."""
    if not name.strip():
        raise InvalidInput("an organisation needs a name", field="name")
    slug = slugify(slug or name)
    if not slug:
        raise InvalidInput("the name gives no usable slug", field="slug")
    try:
        with transaction.atomic():
            return Organisation.objects.create(name=name.strip(), slug=slug, default_language=default_language)
    except IntegrityError:
        raise Conflict(f"an organisation with the slug {slug!r} exists", field="slug") from None


def get_organisation(*, organisation_id: int) -> Organisation:
    """The organisation by id, or NotFound."""
    try:
        return Organisation.objects.get(pk=organisation_id)
    except Organisation.DoesNotExist:
        raise NotFound(_("organisation not found")) from None


def get_organisation_by_slug(*, slug: str) -> Organisation:
    """The organisation by slug (public pages), or NotFound."""
    try:
        return Organisation.objects.get(slug=slug)
    except Organisation.DoesNotExist:
        raise NotFound(_("organisation not found")) from None
