"""Compile every .po catalogue of the package into its .mo, so no binary is committed.

Uses polib so that a fresh machine needs no gettext tools; runs on every install step.
"""

from pathlib import Path

import polib

PACKAGE_ROOT = Path(__file__).resolve().parent.parent


def compile_catalogues(root: Path = PACKAGE_ROOT) -> int:
    """Compile each .po below root whose .mo is missing or older; return how many were written."""
    written = 0
    for po_path in root.rglob("locale/*/LC_MESSAGES/*.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        written += 1
    return written


if __name__ == "__main__":
    compile_catalogues()
