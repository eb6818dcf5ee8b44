"""Feedback items from every channel, their labels and corrections, routing rules, actions and notes."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from eyelevel.core.jobs import UploadJob
from eyelevel.core.tenancy import TenantModel


class Channel(models.TextChoices):
    PORTAL = "portal", _("Portal")
    PUBLIC_FORM = "public_form", _("Public form")
    API = "api", _("API")
    IMPORT = "import", _("Import")
    EMAIL = "email", _("Email")


class Sentiment(models.TextChoices):
    NEGATIVE = "negative", _("negative")
    NEUTRAL = "neutral", _("neutral")
    POSITIVE = "positive", _("positive")


class Urgency(models.TextChoices):
    LOW = "low", _("low")
    NORMAL = "normal", _("normal")
    HIGH = "high", _("high")
    CRITICAL = "critical", _("critical")


class Status(models.TextChoices):
    NEW = "new", _("new")
    ACKNOWLEDGED = "acknowledged", _("acknowledged")
    IN_ACTION = "in_action", _("in action")
    DONE = "done", _("done")


class FeedbackItem(TenantModel):
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    text = models.TextField(_("text"))
    customer = models.ForeignKey(
        "customers.Customer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    touchpoint = models.ForeignKey(
        "relationships.Touchpoint", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    order_ref = models.CharField(_("order"), max_length=200, blank=True)
    external_ref = models.CharField(max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    sentiment = models.CharField(_("sentiment"), max_length=10, choices=Sentiment.choices, blank=True)
    sentiment_confidence = models.FloatField(default=0)
    aspects = models.JSONField(_("aspects"), default=list, blank=True)  # [{"label": ..., "polarity": ...}]
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, blank=True)
    labels_corrected = models.BooleanField(default=False)
    received_at = models.DateTimeField(_("received at"), db_index=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    team = models.CharField(_("team"), max_length=100, blank=True)
    routing_rule = models.ForeignKey("feedback.RoutingRule", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    acknowledge_due = models.DateTimeField(null=True, blank=True)
    action_due = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    escalated_to = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    anonymised = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("feedback item")
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["organisation", "received_at"]),
                   models.Index(fields=["organisation", "status"]),
                   models.Index(fields=["organisation", "channel", "external_ref"])]


class LabelCorrection(TenantModel):
    """A label a person corrected: kept as training data for the organisation's models."""

    item = models.ForeignKey(FeedbackItem, on_delete=models.CASCADE, related_name="corrections")
    field = models.CharField(max_length=20)  # "sentiment" or "aspects"
    old_value = models.JSONField(null=True)
    new_value = models.JSONField(null=True)
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="+")
    corrected_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-corrected_at", "-id"]


class AspectCategory(TenantModel):
    """An aspect the organisation defines for its own feedback (trained from its labelled items)."""

    label = models.CharField(_("label"), max_length=100)
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        ordering = ["label"]
        constraints = [models.UniqueConstraint(fields=["organisation", "label"], name="aspect_category_unique")]


class ClassifierModel(TenantModel):
    """An organisation's retrained models (the npz bundle); the newest active one is used."""

    bundle = models.BinaryField()
    summary = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-created_at", "-id"]


class RoutingRule(TenantModel):
    """Items matching every filled condition go to the owner or team; the first matching rule wins."""

    name = models.CharField(_("name"), max_length=120)
    position = models.PositiveIntegerField(_("position"), default=100)
    aspect = models.CharField(_("aspect"), max_length=100, blank=True)
    touchpoint = models.ForeignKey("relationships.Touchpoint", null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="+")
    language = models.CharField(_("language"), max_length=8, blank=True)
    sentiment = models.CharField(_("sentiment"), max_length=10, choices=Sentiment.choices, blank=True)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    team = models.CharField(_("team"), max_length=100, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "id"]


class UrgencyDeadline(TenantModel):
    """How long acknowledgement and action may take at an urgency (the organisation's override)."""

    urgency = models.CharField(max_length=10, choices=Urgency.choices)
    acknowledge_hours = models.PositiveIntegerField()
    action_hours = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "urgency"], name="urgency_deadline_unique")]


class ActionStatus(models.TextChoices):
    OPEN = "open", _("open")
    DONE = "done", _("done")


class Action(TenantModel):
    """What the organisation does about one or many items; its outcome is told to every customer behind them."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    team = models.CharField(_("team"), max_length=100, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    outcome = models.TextField(_("outcome"), blank=True)
    public = models.BooleanField(_("show on the public page"), default=True)
    items = models.ManyToManyField(FeedbackItem, related_name="actions")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]


class OutcomeNotice(TenantModel):
    """That an item's customer was told an action's outcome (rule 4), and in which message: never told twice."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="notices")
    item = models.ForeignKey(FeedbackItem, on_delete=models.CASCADE, related_name="outcome_notices")
    message_id = models.PositiveBigIntegerField(null=True)  # the messaging domain's record, sent or refused
    told_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["action", "item"], name="outcome_notice_unique")]


class Note(TenantModel):
    """An internal note on an item or an action; checked for contemptuous language before it is saved."""

    item = models.ForeignKey(FeedbackItem, null=True, blank=True, on_delete=models.CASCADE, related_name="notes")
    action = models.ForeignKey(Action, null=True, blank=True, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    team = models.CharField(max_length=100, blank=True)
    text = models.TextField()
    flagged = models.BooleanField(default=False)  # saved although the check found contemptuous phrases
    findings = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]


class ContemptCheck(TenantModel):
    """One note the check stopped (counted per team for managers), whatever the author did next."""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    team = models.CharField(max_length=100, blank=True)
    phrases = models.JSONField(default=list)
    checked_at = models.DateTimeField(auto_now_add=True)


class ImportJob(UploadJob):
    """A staff upload being imported in the background; the page polls its progress."""

    skip_bad_rows = models.BooleanField(default=False)
    created = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
