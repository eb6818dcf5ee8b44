"""Jobs that a task worker runs while a staff page polls their progress: the columns they share.

Uploads imported in the background (feedback, receipts) and survey invitations each add what they report.
"""

from django.conf import settings
from django.db import models

from eyelevel.core.tenancy import TenantModel


class BackgroundJob(TenantModel):
    """A job run by the task worker; the page that started it polls its status and progress."""

    status = models.CharField(max_length=20, default="queued")  # queued / running / done / failed
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]


class UploadJob(BackgroundJob):
    """An uploaded file imported in the background: bad rows by number, the rejected rows to download."""

    filename = models.CharField(max_length=300)
    payload = models.BinaryField()
    errors = models.JSONField(default=list)
    rejects = models.TextField(blank=True)

    class Meta(BackgroundJob.Meta):
        abstract = True
