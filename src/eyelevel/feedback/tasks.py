"""Background work: imports of uploaded files, escalation of overdue items."""

from django_tasks import task


@task()
def run_import_job(import_job_id: int) -> None:
    from eyelevel.feedback.services.importing import run_import

    run_import(import_job_id=import_job_id)


@task()
def escalate_overdue_task(organisation_id: int | None = None) -> int:
    from eyelevel.core.models import Organisation
    from eyelevel.feedback import services

    organisations = Organisation.objects.filter(pk=organisation_id) if organisation_id else Organisation.objects.all()
    return sum(len(services.escalate_overdue(organisation=o)) for o in organisations)
