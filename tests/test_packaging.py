"""Packaging: every subpackage is listed in pyproject.toml, and the VBA modules ship as ``gendan_xl.macros``."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_subpackage_is_listed() -> None:
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "gendan_xl").rglob("__init__.py")}
    assert set(setuptools["packages"]) == found | {"gendan_xl.macros"}
    assert setuptools["package-dir"] == {"gendan_xl.macros": "macros"}


def test_the_macros_are_package_resources() -> None:
    shipped = {p.name for p in resources.files("gendan_xl.macros").iterdir() if p.name.endswith((".bas", ".cls"))}
    assert shipped == {"gendan.bas", "xlwings.bas", "Dictionary.cls"}
    for name in shipped:
        assert resources.files("gendan_xl.macros").joinpath(name).read_bytes() == (ROOT / "macros" / name).read_bytes()
