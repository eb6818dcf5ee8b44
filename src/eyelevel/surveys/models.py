"""Perception surveys: questions on touchpoints and dimensions, audiences, links, responses, answers."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from eyelevel.core.jobs import BackgroundJob
from eyelevel.core.tenancy import TenantModel


class Audience(models.TextChoices):
    CUSTOMER = "customer", _("Own customers")
    COMPETITOR_CUSTOMER = "competitor_customer", _("Competitors' customers")
    NON_CUSTOMER = "non_customer", _("Non-customers")
    STAFF = "staff", _("Staff (self-assessment)")


class Instrument(models.TextChoices):
    NPS = "nps", _("Net Promoter Score (0–10)")
    CSAT = "csat", _("Customer satisfaction (1–5)")
    CES = "ces", _("Customer effort (1–7, higher is easier)")
    RATING = "rating", _("Agreement rating (1–5)")
    SUPERIOR = "superior", _("Superior experience (yes/no)")
    TEXT = "text", _("Free text")


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Survey(TenantModel):
    """A perception survey; the same questions go to customers, outsiders and staff."""

    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT)
    for_customers = models.BooleanField(_("own customers"), default=True)
    for_outsiders = models.BooleanField(_("competitors' customers and non-customers"), default=True)
    for_staff = models.BooleanField(_("staff self-assessment"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class Question(TenantModel):
    """One question about a touchpoint on one dimension, asked with one instrument."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(default=0)
    touchpoint = models.ForeignKey("relationships.Touchpoint", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    dimension = models.CharField(_("dimension"), max_length=30)
    instrument = models.CharField(_("instrument"), max_length=10, choices=Instrument.choices)
    text = models.CharField(_("question"), max_length=300)
    required = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class SurveyLink(TenantModel):
    """An anonymous link to a survey, shared where competitors' customers and non-customers can find it."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="links")
    token = models.CharField(max_length=64, unique=True)
    label = models.CharField(_("where it is shared"), max_length=200)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("anonymous link")
        verbose_name_plural = _("anonymous links")
        ordering = ["-created_at", "-pk"]


class SurveyResponse(TenantModel):
    """One filled-in survey. Anonymous responses hold no customer, no IP address, nothing personal."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    audience = models.CharField(max_length=30, choices=Audience.choices)
    channel = models.CharField(max_length=10)  # portal | email | link | staff | api
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="+")
    staff_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    link = models.ForeignKey(SurveyLink, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    team = models.CharField(_("team"), max_length=120, blank=True)
    location = models.CharField(_("location"), max_length=120, blank=True)
    # Who served the customer, as the organisation's own system names them (e.g. a staff number); optional.
    served_by = models.CharField(_("served by"), max_length=120, blank=True)
    language = models.CharField(max_length=8, default="en")
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "customer"])]


class Answer(TenantModel):
    """One answer. Audience, touchpoint and dimension are copied here so the gap report aggregates one table."""

    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")
    audience = models.CharField(max_length=30, choices=Audience.choices)
    touchpoint_ref = models.IntegerField(null=True, blank=True)  # the relationships.Touchpoint id
    dimension = models.CharField(max_length=30)
    instrument = models.CharField(max_length=10, choices=Instrument.choices)
    raw_value = models.FloatField(null=True, blank=True)
    # The rating on a common 0–100 scale (so NPS, CSAT, CES and ratings can be pooled per touchpoint).
    score = models.FloatField(null=True, blank=True)
    team = models.CharField(max_length=120, blank=True)
    location = models.CharField(max_length=120, blank=True)
    served_by = models.CharField(max_length=120, blank=True)
    text = models.TextField(blank=True)
    sentiment = models.CharField(max_length=20, blank=True)
    text_language = models.CharField(max_length=8, blank=True)
    aspects = models.JSONField(default=list, blank=True)
    urgency = models.CharField(max_length=20, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [
            models.Index(fields=["organisation", "touchpoint_ref", "dimension", "audience"],
                         name="answer_gap_idx"),
            models.Index(fields=["organisation", "survey", "audience"], name="answer_survey_idx"),
        ]


class AnswerTotal(TenantModel):
    """Running totals of ratings per survey, touchpoint, dimension, audience, team, location and staff member.

    Kept up to date as answers arrive and leave, so the gap report sums a few thousand of these rows
    instead of scanning every answer. `touchpoint_key` is 0 for questions on no touchpoint.
    """

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")
    touchpoint_key = models.IntegerField(default=0)
    dimension = models.CharField(max_length=30)
    audience = models.CharField(max_length=30, choices=Audience.choices)
    team = models.CharField(max_length=120, blank=True)
    location = models.CharField(max_length=120, blank=True)
    served_by = models.CharField(max_length=120, blank=True)
    kind = models.CharField(max_length=10)  # "score" (0–100 ratings) or "superior" (yes = 1, no = 0)
    n = models.IntegerField(default=0)
    total = models.FloatField(default=0)
    total_sq = models.FloatField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["organisation", "survey", "touchpoint_key", "dimension", "audience", "team", "location", "served_by",
                    "kind"],
            name="answer_total_unique")]


class InvitationJob(BackgroundJob):
    """Customers being invited to a survey in the background; the page polls its progress and shows its report."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")
    purpose_code = models.CharField(max_length=64)
    sender_name = models.CharField(max_length=200)
    portal_url = models.CharField(max_length=500)
    customer_ids = models.JSONField(default=list)
    sent = models.PositiveIntegerField(default=0)
    already_invited = models.PositiveIntegerField(default=0)
    # Refusals by the message gate (and customers not found) by kind: {"consent": 2, "cap": 1, ...}.
    refused = models.JSONField(default=dict)
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)


class InvitationStatus(models.TextChoices):
    SENT = "sent", _("sent")
    REFUSED = "refused", _("refused")


class SurveyInvitation(TenantModel):
    """One customer's invitation to one survey: sent once at most, however often invitations are started."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="+")
    job = models.ForeignKey(InvitationJob, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=10, choices=InvitationStatus.choices)
    refused_by = models.CharField(max_length=20, blank=True)
    message_ref = models.IntegerField(null=True, blank=True)  # the messaging.Message id (sent or refused)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "survey", "customer"],
                                               name="survey_invitation_unique")]
