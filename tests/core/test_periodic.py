"""Repeating jobs run on the database worker and schedule their next run themselves, never twice."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from eyelevel.core.periodic import ensure_scheduled, run_periodic
from eyelevel.core.registry import periodic_jobs

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_retention_and_escalation_are_registered():
    names = {job.name for job in periodic_jobs()}
    assert {"customers.retention", "feedback.escalation"} <= names


@pytest.mark.django_db
def test_each_job_waits_once_and_reschedules_itself():
    with override_settings(TASKS=DATABASE_TASKS):
        started = ensure_scheduled()
        assert set(started) == {job.name for job in periodic_jobs()}
        assert ensure_scheduled() == []  # running it again doubles nothing
        call_command("schedule")
        assert DBTaskResult.objects.count() == len(started)
        before = timezone.now()
        run_periodic.call(name="customers.retention")
        later = DBTaskResult.objects.filter(run_after__gt=before + timedelta(hours=23),
                                            run_after__lt=before + timedelta(hours=25)).get()
        assert later.args_kwargs["kwargs"] == {"name": "customers.retention"}


def test_an_immediate_backend_never_loops():
    # Tests run tasks immediately; a self-rescheduling chain there would never end.
    assert ensure_scheduled() == []
