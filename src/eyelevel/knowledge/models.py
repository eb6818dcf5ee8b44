"""Knowledge-Centered Service: articles, their links to cases, flags, quality reviews, portal feedback."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from eyelevel.core.tenancy import TenantModel


class State(models.TextChoices):
    WORK_IN_PROGRESS = "wip", _("Work in progress")
    NOT_VALIDATED = "not_validated", _("Not validated")
    VALIDATED = "validated", _("Validated")
    ARCHIVED = "archived", _("Archived")


class Visibility(models.TextChoices):
    INTERNAL = "internal", _("Internal")
    CUSTOMERS = "customers", _("Customers")
    PUBLIC = "public", _("Public")


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    GERMAN = "de", _("German")


class Article(TenantModel):
    title = models.CharField(_("title"), max_length=200)
    issue = models.TextField(_("issue (in the customer's words)"))
    environment = models.TextField(_("environment"), blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    cause = models.TextField(_("cause"), blank=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.ENGLISH)
    visibility = models.CharField(_("visibility"), max_length=10, choices=Visibility.choices,
                                  default=Visibility.INTERNAL)
    state = models.CharField(_("state"), max_length=14, choices=State.choices, default=State.WORK_IN_PROGRESS)
    published = models.BooleanField(_("published to the portal"), default=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    # The owner receives the flags; the author until someone takes the article over.
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    validated_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # Unit-length float32 embedding of the article's text, and the text it was computed from.
    embedding = models.BinaryField(default=b"")
    embedded_text_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("article")
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["organisation", "state"])]


class LinkKind(models.TextChoices):
    CREATED = "created", _("created from this case")
    REUSED = "reused", _("reused for this case")


class ArticleLink(TenantModel):
    """A case (feedback item) solved with an article: the article's first use, or a reuse."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="links")
    feedback_item = models.ForeignKey("feedback.FeedbackItem", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=LinkKind.choices)
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("article link")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["article", "feedback_item"], name="knowledge_link_once")]


class ArticleFlag(TenantModel):
    """"Flag it": a user of the article who may not fix it says what is wrong; it goes to the owner."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="flags")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    comment = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("article flag")
        ordering = ["-created_at", "-id"]


class QualityReview(TenantModel):
    """A coach's check of one article against the content standard's checklist (article quality index)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="reviews")
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    checks = models.JSONField(default=dict)  # checklist item code -> passed
    score = models.FloatField()  # share of checks passed, 0..1
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("quality review")
        ordering = ["-created_at", "-id"]


class ArticleVote(TenantModel):
    """A customer's answer to "did this help?" on an article in the portal."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="votes")
    customer = models.ForeignKey("customers.Customer", null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="+")
    helped = models.BooleanField()
    query = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("article vote")
        ordering = ["-created_at", "-id"]


class EventKind(models.TextChoices):
    SUGGESTED = "suggested", _("articles suggested before feedback")
    VIEWED = "viewed", _("article viewed")
    ANSWERED = "answered", _("customer found an answer")


class SelfServiceEvent(TenantModel):
    """What a customer did with the knowledge base in the portal: the basis of self-service success."""

    customer = models.ForeignKey("customers.Customer", null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="+")
    kind = models.CharField(max_length=10, choices=EventKind.choices)
    article = models.ForeignKey(Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    query = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("self-service event")
        ordering = ["-created_at", "-id"]
