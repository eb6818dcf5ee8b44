"""Jobs that a task worker runs while a staff page polls their progress: the columns they share.

Uploads imported in the background (feedback, receipts) and survey invitations each add what they report.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from eyelevel.core.errors import InvalidInput
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
    language = models.CharField(max_length=10, blank=True)  # of the uploader: the row messages are written in it
    payload = models.BinaryField()
    errors = models.JSONField(default=list)
    rejects = models.TextField(blank=True)

    class Meta(BackgroundJob.Meta):
        abstract = True


Upload = TypeVar("Upload", bound=UploadJob)


def queue_upload(model: type[Upload], *, enqueue: Callable[[int], Any], organisation: Any, filename: str,
                 payload: bytes, user_id: int | None, **options: Any) -> Upload:
    """Store an uploaded file as a job and hand its id to the task worker once the transaction commits."""
    if not payload:
        raise InvalidInput(_("the file is empty"), field="file")
    job = model.objects.create(organisation=organisation, filename=filename[:300], payload=payload,
                               created_by_id=user_id, language=translation.get_language() or "", **options)
    transaction.on_commit(lambda: enqueue(job.pk))
    return job


def run_upload(model: type[Upload], job_id: int, work: Callable[[Upload, QuerySet], dict[str, Any]]) -> None:
    """Run a queued upload: work(job, jobs) imports it, may update jobs (the job's row) with its progress, and
    returns the columns to write at the end. Input errors fail the job, naming the row and field. Either way
    the uploaded file is dropped once it has been read."""
    job = model.objects.unscoped().select_related("organisation").get(pk=job_id)
    jobs = model.objects.unscoped().filter(pk=job.pk)
    jobs.update(status="running")
    try:
        with translation.override(job.language or settings.LANGUAGE_CODE):
            outcome = work(job, jobs)
    except InvalidInput as error:
        rows = getattr(error, "rows", None) or [{"row": 0, "field": error.field or "file", "message": error.detail}]
        jobs.update(status="failed", payload=b"", errors=rows)
        return
    jobs.update(payload=b"", **{"status": "done", **outcome})
