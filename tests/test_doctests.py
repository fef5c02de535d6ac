"""Every package module with docstring examples has them collected by a plain ``pytest``.

The doctests themselves are collected by ``conftest.py`` at the repository root
from the package folders listed in ``testpaths``; this file checks that no
module with examples is left out, so a new one cannot be missed.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = re.compile(r"^\s*>>> ", re.MULTILINE)


def pyproject() -> dict:
    with (ROOT / "pyproject.toml").open("rb") as f:
        return tomllib.load(f)


def package_folders() -> list[str]:
    """The source folders of the package (``[tool.setuptools] package-dir``)."""
    return sorted(pyproject()["tool"]["setuptools"]["package-dir"].values())


def modules_with_examples() -> set[str]:
    """Paths (relative to the repository, ``/``-separated) of package modules with ``>>>``."""
    found = set()
    for folder in package_folders():
        for path in (ROOT / folder).rglob("*.py"):
            if "__pycache__" not in path.parts and EXAMPLE.search(path.read_text("utf-8")):
                found.add(path.relative_to(ROOT).as_posix())
    return found


def test_every_package_folder_is_a_test_path() -> None:
    testpaths = pyproject()["tool"]["pytest"]["ini_options"]["testpaths"]
    assert set(package_folders()) <= set(testpaths)


def test_modules_with_examples_are_found() -> None:
    found = modules_with_examples()
    assert len(found) >= 40
    assert "extract/pipeline.py" in found and "graph/store.py" in found


@pytest.mark.slow
def test_every_module_with_examples_is_collected() -> None:
    """``pytest --collect-only`` over the package folders, as a plain ``pytest`` runs it."""
    command = [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"]
    done = subprocess.run(
        [*command, *package_folders()],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    items = [line for line in done.stdout.splitlines() if "::" in line]
    collected = {item.split("::")[0] for item in items}
    assert modules_with_examples() - collected == set()
    # each imported by its package name (lgkg.graph.store), never by its folder's (graph.store)
    assert all(item.split("::")[1].startswith("lgkg") for item in items), items
