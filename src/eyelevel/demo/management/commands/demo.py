import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from eyelevel.demo.generator import DEMO_CUSTOMER_EMAIL, DEMO_CUSTOMER_PASSWORD, STAFF_PASSWORDS


class Command(BaseCommand):
    help = "Migrate, load the demo organisation, start the task worker and the server on 127.0.0.1:8000."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--addrport", default="127.0.0.1:8000")
        parser.add_argument("--no-server", action="store_true", help="prepare the database only")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_demo")
        call_command("schedule")
        address = options["addrport"]
        lines = [
            "",
            f"eyelevel is running at http://{address}/",
            f"  Staff console:   http://{address}/staff/login/",
        ]
        lines += [f"    {role:8} {username:7} password {password}"
                  for username, (role, password) in STAFF_PASSWORDS.items()]
        lines += [
            f"  Customer portal: http://{address}/portal/login/",
            f"    {DEMO_CUSTOMER_EMAIL} password {DEMO_CUSTOMER_PASSWORD}",
            "    (or leave the password empty: the login link is printed below as the email)",
            f"  API docs:        http://{address}/api/v1/docs",
            "",
        ]
        self.stdout.write("\n".join(lines))
        if options["no_server"]:
            return
        worker = subprocess.Popen([sys.executable, "-m", "eyelevel", "db_worker"])
        try:
            call_command("runserver", address, use_reloader=False)
        finally:
            worker.terminate()
