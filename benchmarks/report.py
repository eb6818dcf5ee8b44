"""Writes one benchmark's figures into its own section of docs/benchmarks.md.

Each benchmark script owns one section, delimited by HTML comments, so scripts can run in any
order and each replaces only its own figures. Sections are kept in alphabetical order.
"""

import os
import platform
import re
from datetime import UTC, datetime
from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
HEADER = (
    "# Benchmarks\n\n"
    "Each section is written by the script it names; rerun the command to reproduce its figures. "
    "Figures are compared against a baseline measured in the same run (a ratio), since the machines are noisy.\n"
)


def machine() -> str:
    """A one-line description of where the figures were measured."""
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def write_section(name: str, title: str, command: str, body: str) -> None:
    """Replace (or add) the section `name` with the title, the reproducing command and the body."""
    DOCS.parent.mkdir(parents=True, exist_ok=True)
    text = DOCS.read_text(encoding="utf-8") if DOCS.exists() else HEADER
    stamp = datetime.now(UTC).strftime("%Y-%m-%d")
    section = (
        f"<!-- section:{name} -->\n## {title}\n\n"
        f"Reproduce: `{command}`  \nMeasured {stamp} on {machine()}.\n\n{body.strip()}\n"
        f"<!-- /section:{name} -->"
    )
    sections = {
        match.group(1): match.group(0)
        for match in re.finditer(r"<!-- section:([\w-]+) -->.*?<!-- /section:\1 -->", text, re.S)
    }
    sections[name] = section
    DOCS.write_text(HEADER + "\n" + "\n\n".join(sections[key] for key in sorted(sections)) + "\n", encoding="utf-8")
