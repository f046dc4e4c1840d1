"""Packaging: subpackages and package data listed, one version everywhere, licence, changelog, set-up scripts.

What cannot be seen from the source tree — that the built wheel really holds every file the commands
need — is proved by ``.ci/wheel-smoke``, which installs the wheel into a fresh environment and runs them.
"""

from __future__ import annotations

import fnmatch
import importlib.metadata
import re
import tomllib
from importlib import resources
from pathlib import Path

import gendan_xl

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
MAPPED = {"gendan_xl.macros": "macros", "gendan_xl.installer": "installer"}


def test_every_subpackage_is_listed() -> None:
    setuptools = PYPROJECT["tool"]["setuptools"]
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "gendan_xl").rglob("__init__.py")}
    assert set(setuptools["packages"]) == found | set(MAPPED)
    assert setuptools["package-dir"] == MAPPED


def test_every_data_file_is_covered_by_a_package_data_pattern() -> None:
    data = PYPROJECT["tool"]["setuptools"]["package-data"]
    folders = {"gendan_xl": ROOT / "gendan_xl", **{name: ROOT / folder for name, folder in MAPPED.items()}}
    for package, folder in folders.items():
        deep = package == "gendan_xl"  # its data folders (data/, templates/); the others are flat
        files = [p for p in (folder.rglob("*") if deep else folder.iterdir())
                 if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts]
        for path in files:
            relative = path.relative_to(folder).as_posix()
            if deep and "/" in relative and (folder / relative.split("/")[0] / "__init__.py").exists():
                continue  # a file of a subpackage: its own entry
            assert any(fnmatch.fnmatch(relative, pattern) for pattern in data.get(package, [])), (package, relative)


def test_the_macros_are_package_resources() -> None:
    shipped = {p.name for p in resources.files("gendan_xl.macros").iterdir() if p.name.endswith((".bas", ".cls"))}
    assert shipped == {"gendan.bas", "xlwings.bas", "Dictionary.cls"}
    for name in shipped:
        assert resources.files("gendan_xl.macros").joinpath(name).read_bytes() == (ROOT / "macros" / name).read_bytes()


def test_the_set_up_scripts_are_package_resources() -> None:
    for name in ("setup-windows.cmd", "setup-macos.command", "README.txt"):
        shipped = resources.files("gendan_xl.installer").joinpath(name).read_bytes()
        assert shipped == (ROOT / "installer" / name).read_bytes()


def test_the_version_is_written_once() -> None:
    project = PYPROJECT["project"]
    assert "version" not in project and project["dynamic"] == ["version"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "gendan_xl.__version__"}
    assert re.fullmatch(r"\d+\.\d+\.\d+", gendan_xl.__version__)
    assert importlib.metadata.version("gendan_xl") == gendan_xl.__version__  # the installed metadata agrees
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(rf"^## {re.escape(gendan_xl.__version__)}\b", changelog, re.M)


def test_licence_classifiers_and_urls() -> None:
    project = PYPROJECT["project"]
    assert project["license"] == "MIT" and project["license-files"] == ["LICENSE"]
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    classifiers = project["classifiers"]
    assert not [c for c in classifiers if c.startswith("License ::")]  # the SPDX expression replaces them
    assert f"Programming Language :: Python :: {project['requires-python'].removeprefix('>=')}" in classifiers
    assert {"Homepage", "Documentation", "Changelog", "Issues"} <= set(project["urls"])
    assert (ROOT / "gendan_xl" / "py.typed").exists() and "Typing :: Typed" in classifiers
