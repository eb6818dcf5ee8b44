"""How long a fresh machine waits for the demo: migrate + demo data, on SQLite (goal: under 60 s).

Runs `eyelevel demo --no-server` in a fresh data folder, and `eyelevel migrate` alone as the baseline,
so the demo data's own share is visible. With DATABASE_URL set (e.g. via scripts/with-postgres),
it measures that database instead; the database must be empty.
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.report import write_section

COMMAND = ".venv/bin/python -m benchmarks.demo_load  (PostgreSQL: scripts/with-postgres .venv/bin/python -m benchmarks.demo_load)"


def _timed(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "eyelevel", *args], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for label, name in (("migrate only (baseline)", "baseline"), ("migrate + demo data", "demo")):
            data_dir = Path(folder) / name
            data_dir.mkdir()
            env = {k: v for k, v in os.environ.items() if k not in {"EYELEVEL_TESTING", "DJANGO_SETTINGS_MODULE"}}
            env.update(DEBUG="1", EYELEVEL_DATA_DIR=str(data_dir))
            env.setdefault("DATABASE_URL", f"sqlite:///{data_dir / 'eyelevel.sqlite3'}")
            args = ["migrate", "--verbosity", "0"] if name == "baseline" else ["demo", "--no-server"]
            seconds = _timed(args, env)
            rows.append((label, seconds))
            print(f"{label}: {seconds:.1f} s")
    baseline, demo = rows[0][1], rows[1][1]
    database = "PostgreSQL" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    body = (
        f"Database: {database}. The demo organisation: 2,400 customers, 37 products, about 22,700 receipts "
        "with their lines, 600 feedback items, 5 staff users, and a second organisation.\n\n"
        "| step | seconds |\n|---|---|\n"
        + "\n".join(f"| {label} | {seconds:.1f} |" for label, seconds in rows)
        + f"\n\nDemo data alone: {demo - baseline:.1f} s; total {demo:.1f} s against the goal of 60 s "
        f"({demo / 60:.0%} of it); {demo / baseline:.1f}× a bare `migrate`.\n"
    )
    write_section(f"demo-load-{database.lower()}", f"Demo load time ({database})", COMMAND, body)


if __name__ == "__main__":
    main()
