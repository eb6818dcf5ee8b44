"""Background work: imports of uploaded files (escalation runs as a periodic job, see providers)."""

from django_tasks import task


@task()
def run_import_job(import_job_id: int) -> None:
    from eyelevel.feedback.services.importing import run_import

    run_import(import_job_id=import_job_id)
