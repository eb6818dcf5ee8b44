from django.core.management.base import BaseCommand

from eyelevel.core.periodic import ensure_scheduled
from eyelevel.core.registry import periodic_jobs


class Command(BaseCommand):
    help = "Start the repeating jobs (retention, escalation, ...) on the database worker; safe to run again."

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        started = ensure_scheduled()
        for job in periodic_jobs():
            state = "started" if job.name in started else "already waiting"
            self.stdout.write(f"{job.name}: every {job.every_seconds // 60} min, {state}")
