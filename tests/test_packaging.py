"""Packaging: every third-party module the code imports is declared in pyproject.toml, and building the
package says nothing (a new user's `make run` once opened on a screen of build backend warnings)."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("indexer", "server")


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def imported_distributions() -> dict[str, str]:
    """Third-party distributions the project's packages import: distribution -> a module importing it."""
    stdlib = set(sys.stdlib_module_names)
    owners = packages_distributions()
    out = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    tops = [alias.name.split(".")[0] for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                    tops = [node.module.split(".")[0]]
                else:
                    continue
                for top in tops:
                    if top in stdlib or top in PACKAGES or top == "__future__":
                        continue
                    for dist in owners.get(top, [top]):
                        out.setdefault(dist.lower().replace("_", "-"), str(path.relative_to(ROOT)))
    return out


def test_every_imported_distribution_is_declared():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {_name(r) for r in project["dependencies"]}
    missing = {dist: where for dist, where in imported_distributions().items() if dist not in declared}
    assert not missing, f"imported but not declared in pyproject.toml dependencies: {missing}"
    assert "numpy" in imported_distributions()


def test_the_package_builds_without_a_warning(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for package in PACKAGES:
        shutil.copytree(ROOT / package, source / package, ignore=shutil.ignore_patterns("__pycache__"))
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "--no-index"]
        + ["-w", str(tmp_path / "dist"), str(source)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stderr
    # pip's own notes about this machine's package index folders are not the build's
    said = [line for line in build.stderr.splitlines() if line.strip() and not line.startswith("WARNING: Location")]
    assert not said, "\n".join(said)
    assert list((tmp_path / "dist").glob("tandem-*.whl"))
