"""The relationship charter: values, segments, journey stages, touchpoints, expectations, its history."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from eyelevel.core.tenancy import TenantModel


class RelationshipType(models.TextChoices):
    """The customer relationship types of the Business Model Canvas."""

    PERSONAL_ASSISTANCE = "personal_assistance", _("Personal assistance")
    DEDICATED_ASSISTANCE = "dedicated_assistance", _("Dedicated personal assistance")
    SELF_SERVICE = "self_service", _("Self-service")
    AUTOMATED_SERVICES = "automated_services", _("Automated services")
    COMMUNITIES = "communities", _("Communities")
    CO_CREATION = "co_creation", _("Co-creation")


class Channel(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("Email")
    LIVE_CHAT = "live_chat", _("Live chat with a person")
    CHATBOT = "chatbot", _("Chatbot")
    WEBSITE = "website", _("Website")
    PORTAL = "portal", _("Customer portal")
    APP = "app", _("App")
    LETTER = "letter", _("Letter")
    VIDEO = "video", _("Video call")
    COMMUNITY_FORUM = "community_forum", _("Community forum")


class Dimension(models.TextChoices):
    """What an expectation or survey question is about."""

    SPEED = "speed", _("Speed")
    COMPETENCE = "competence", _("Competence")
    FRIENDLINESS = "friendliness", _("Friendliness")
    HONESTY = "honesty", _("Honesty")
    RELIABILITY = "reliability", _("Reliability")
    EASE = "ease", _("Ease")
    CLARITY = "clarity", _("Clarity")
    OVERALL = "overall", _("Overall")


class Value(TenantModel):
    """A value the organisation wants its customers to experience."""

    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("value")
        verbose_name_plural = _("values")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class Segment(TenantModel):
    """A group of customers with shared needs, and the relationship the organisation offers them."""

    name = models.CharField(_("name"), max_length=120)
    needs = models.TextField(_("needs"), blank=True)
    relationship_type = models.CharField(
        _("relationship type"), max_length=30, choices=RelationshipType.choices, blank=True
    )
    relationship_reason = models.TextField(_("why this relationship"), blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("segment")
        verbose_name_plural = _("segments")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class JourneyStage(TenantModel):
    """A stage of the customer journey (e.g. discover, buy, use, get help, leave)."""

    name = models.CharField(_("name"), max_length=120)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("journey stage")
        verbose_name_plural = _("journey stages")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class Touchpoint(TenantModel):
    """A moment where a customer meets the organisation, and what should happen there."""

    name = models.CharField(_("name"), max_length=160)
    stage = models.ForeignKey(JourneyStage, on_delete=models.PROTECT, related_name="touchpoints")
    position = models.PositiveIntegerField(default=0)
    expected_behaviour = models.TextField(_("expected behaviour"), blank=True)
    communication = models.TextField(_("communication"), blank=True)
    promise = models.TextField(_("service-design promise"), blank=True)
    channels = models.JSONField(_("channels"), default=list, blank=True)
    values = models.ManyToManyField(Value, blank=True, related_name="touchpoints")
    segments = models.ManyToManyField(Segment, blank=True, related_name="touchpoints")

    class Meta:
        verbose_name = _("touchpoint")
        verbose_name_plural = _("touchpoints")
        ordering = ["stage__position", "position", "pk"]

    def __str__(self) -> str:
        return self.name


class Expectation(TenantModel):
    """One statement about a touchpoint, written so that customers and staff can rate it."""

    touchpoint = models.ForeignKey(Touchpoint, on_delete=models.CASCADE, related_name="expectations")
    dimension = models.CharField(_("dimension"), max_length=30, choices=Dimension.choices)
    statement = models.CharField(_("statement"), max_length=300)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("expectation")
        verbose_name_plural = _("expectations")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.statement


class CharterChange(TenantModel):
    """One saved change of the working charter: who made it, when, why, what changed, and the charter after it.

    Immutable. Every change is a version of the charter that can be compared with any other (change or
    published version); publishing stays the separate, deliberate step that makes one the charter staff see.
    """

    number = models.PositiveIntegerField(_("change"))
    changed_at = models.DateTimeField(_("changed"), auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_by_name = models.CharField(max_length=150, blank=True)
    why = models.TextField(_("why"))
    # What changed, language-neutral: [{"kind", "title", "status", "fields": [field codes]}].
    summary = models.JSONField(default=list)
    snapshot = models.JSONField()

    class Meta:
        verbose_name = _("charter change")
        verbose_name_plural = _("charter changes")
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["organisation", "number"], name="charter_change_unique")]

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        if self.pk is not None:
            raise ValueError("a recorded charter change cannot be changed")
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return f"c{self.number}"


class CharterVersion(TenantModel):
    """An immutable, published snapshot of the whole charter, with who published it and why."""

    number = models.PositiveIntegerField(_("version"))
    published_at = models.DateTimeField(_("published"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_by_name = models.CharField(max_length=150, blank=True)
    reason = models.TextField(_("reason"))
    snapshot = models.JSONField()
    # The change whose charter this version published (none for versions published before changes were recorded).
    change = models.ForeignKey(CharterChange, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="published_as")

    class Meta:
        verbose_name = _("charter version")
        verbose_name_plural = _("charter versions")
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["organisation", "number"], name="charter_version_unique")]

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        if self.pk is not None and not kwargs.pop("_allow_update", False):
            raise ValueError("a published charter version cannot be changed")
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return f"v{self.number}"
