"""Background work of the surveys domain: sending invitations."""

from django_tasks import task


@task()
def send_invitations_task(*, invitation_job_id: int) -> dict:
    """Send a queued invitation job (the job row shows progress and, at the end, the report)."""
    from eyelevel.surveys.services.invitations import run_invitations

    return run_invitations(invitation_job_id=invitation_job_id).model_dump(mode="json")
