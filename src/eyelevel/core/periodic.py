"""Repeating work on the django-tasks database worker, without cron.

django-tasks has no scheduler of its own. Each registered job runs as one `run_periodic` task that,
when done, enqueues its next run with `run_after`; `ensure_scheduled()` starts every chain that is
not already waiting, so running it again (each deploy, each `eyelevel demo`) never doubles a chain.
"""

from datetime import timedelta

from django.utils import timezone
from django_tasks import default_task_backend, task
from django_tasks.base import TaskResultStatus

from eyelevel.core.registry import periodic_job, periodic_jobs


def _waiting_jobs() -> set[str]:
    from django_tasks_db.models import DBTaskResult

    path = f"{run_periodic.func.__module__}.{run_periodic.func.__qualname__}"
    waiting = DBTaskResult.objects.filter(task_path=path, status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING])
    return {row.args_kwargs.get("kwargs", {}).get("name") for row in waiting}


def ensure_scheduled() -> list[str]:
    """Enqueue each registered job that has no run waiting; returns the names enqueued now."""
    if not default_task_backend.supports_defer:
        return []  # an immediate backend (tests) would run the chain forever
    waiting = _waiting_jobs()
    started = []
    for job in periodic_jobs():
        if job.name not in waiting:
            run_periodic.enqueue(name=job.name)
            started.append(job.name)
    return started


@task()
def run_periodic(name: str) -> str:
    """Run one periodic job, then enqueue its next run."""
    job = periodic_job(name)
    result = job.run()
    if default_task_backend.supports_defer:
        run_periodic.using(run_after=timezone.now() + timedelta(seconds=job.every_seconds)).enqueue(name=name)
    return str(result)
