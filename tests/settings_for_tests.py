"""Settings for the test suite: the product's settings with test switches on, read before Django starts."""

import os

os.environ.setdefault("EYELEVEL_TESTING", "1")
os.environ.setdefault("AXES_ENABLED", "1")

from eyelevel.settings import *  # noqa: F403
from eyelevel.settings import DATABASES

if os.environ.get("EYELEVEL_REQUIRE_POSTGRES") == "1" and DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise RuntimeError(
        "EYELEVEL_REQUIRE_POSTGRES=1 but DATABASE_URL does not name a PostgreSQL database: refusing to test on "
        f"{DATABASES['default']['ENGINE']}"
    )
