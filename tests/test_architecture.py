"""The layout of STYLE.md stays true: a domain uses another only through its services and schemas."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "eyelevel"
DOMAINS = {"core", "analysis", "accounts", "customers", "messaging", "commerce", "feedback", "offers",
           "relationships", "surveys", "knowledge"}
# What a domain may import from another domain. core is the shared kernel and is open to all.
PUBLIC_MODULES = {"services", "schemas", "errors"}


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
    return found


def test_domains_import_each_other_only_through_services_and_schemas():
    problems = []
    for domain in sorted(DOMAINS - {"core"}):
        for path in (PACKAGE / domain).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for line, module in _imports(path):
                parts = module.split(".")
                if len(parts) < 3 or parts[0] != "eyelevel" or parts[1] not in DOMAINS:
                    continue
                other = parts[1]
                if other in (domain, "core"):
                    continue
                if other == "analysis":
                    continue  # analysis holds pure functions: its whole surface is public
                if parts[2] not in PUBLIC_MODULES:
                    problems.append(f"{path.relative_to(PACKAGE)}:{line} imports {module}")
    assert not problems, "cross-domain imports must go through services/schemas:\n" + "\n".join(problems)


def test_core_imports_no_domain():
    problems = [
        f"{path.relative_to(PACKAGE)}:{line} imports {module}"
        for path in (PACKAGE / "core").rglob("*.py")
        for line, module in _imports(path)
        if module.startswith("eyelevel.") and module.split(".")[1] in DOMAINS - {"core"}
    ]
    assert not problems, "\n".join(problems)
