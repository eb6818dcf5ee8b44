"""The `eyelevel` console script: Django's management commands with eyelevel's settings.

`eyelevel demo` migrates, loads the demo organisation and starts the server.
Domain command groups (`eyelevel feedback train ...`) are management commands named after the domain.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eyelevel.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    args[0] = "eyelevel"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
