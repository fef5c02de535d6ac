"""Collect every doctest of the package, each module imported by its package name.

The source folders are not named like their packages (``graph/`` is
``lgkg.graph``, see ``[tool.setuptools] package-dir``), so pytest's own
``--doctest-modules`` would import ``graph/store.py`` a second time as
``graph.store``. Here every ``.py`` file under a package folder is imported as
``lgkg.graph.store`` and its docstring examples become doctest items; the
folders are in ``testpaths``, so a plain ``pytest`` runs them with the tests.
"""

from __future__ import annotations

import importlib
import tomllib
import warnings
from pathlib import Path

import pytest
from _pytest.doctest import DoctestItem, DoctestModule

ROOT = Path(__file__).resolve().parent


def package_dirs() -> dict[str, str]:
    """Source folder -> the package it holds, from ``[tool.setuptools] package-dir``."""
    with (ROOT / "pyproject.toml").open("rb") as f:
        package_dir = tomllib.load(f)["tool"]["setuptools"]["package-dir"]
    return {folder: package for package, folder in package_dir.items()}


PACKAGE_DIRS = package_dirs()


def module_name(path: Path) -> str | None:
    """The dotted name of the package module at ``path`` (``graph/store.py`` is
    ``lgkg.graph.store``), or None if ``path`` is not one."""
    try:
        parts = path.resolve().relative_to(ROOT).with_suffix("").parts
    except ValueError:
        return None
    if path.suffix != ".py" or len(parts) < 2 or parts[0] not in PACKAGE_DIRS:
        return None
    if parts[-1] == "__main__" or "__pycache__" in parts:
        return None
    names = [PACKAGE_DIRS[parts[0]], *parts[1:]]
    if names[-1] == "__init__":
        names.pop()
    return ".".join(names)


class PackageDoctestModule(DoctestModule):
    """pytest's doctest collector, with the module imported by its package name."""

    def _getobj(self):
        name = module_name(self.path)
        assert name is not None, self.path
        return importlib.import_module(name)

    def collect(self) -> list[DoctestItem]:
        with warnings.catch_warnings():
            # pytest asks each module attribute for ``_mock_name`` (is it a mock?), and
            # rdflib's closed namespaces (XSD, TIME) warn of a name they do not define
            warnings.filterwarnings("ignore", "Code: _mock_name is not defined", UserWarning)
            return list(super().collect())


@pytest.hookimpl(wrapper=True)
def pytest_collect_file(file_path: Path, parent: pytest.Collector):
    """A package module is collected for its doctests only, imported by its package name.

    This replaces what pytest itself would make of the file (a ``--doctest-modules``
    collector or, for a file named on the command line, a test module), both of
    which would import it under its folder's name.
    """
    collectors = yield
    if module_name(file_path) is None:
        return collectors
    return [PackageDoctestModule.from_parent(parent, path=file_path)]
