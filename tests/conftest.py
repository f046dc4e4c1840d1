"""Shared fixtures: ``make_xlsx`` builds workbooks in ``tmp_path``; ``soffice`` finds LibreOffice;
``featured`` is a copy of the feature-rich workbook (charts, images, VBA, buttons …) for write-back tests."""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from tests.builders import MakeXlsx, Rows, write_xlsx
from tests.featured import build_featured


@pytest.fixture
def make_xlsx(tmp_path: Path) -> MakeXlsx:
    """Build a workbook in ``tmp_path``: ``make_xlsx(sheets, name="book.xlsx", merges=None)``."""
    counter = iter(range(1_000_000))

    def make(sheets: Mapping[str, Rows], name: str | None = None,
             merges: Mapping[str, Sequence[tuple[str, Any]]] | None = None) -> Path:
        return write_xlsx(tmp_path / (name or f"book{next(counter)}.xlsx"), sheets, merges=merges)

    return make


@pytest.fixture
def soffice() -> str:
    """Path of LibreOffice's ``soffice``; skips without it, fails if GENDAN_REQUIRE_SOFFICE is set."""
    found = shutil.which("soffice")
    if found is None:
        if os.environ.get("GENDAN_REQUIRE_SOFFICE"):
            pytest.fail("GENDAN_REQUIRE_SOFFICE is set but LibreOffice (soffice) is not installed")
        pytest.skip("LibreOffice (soffice) not installed; set GENDAN_REQUIRE_SOFFICE=1 to make this a failure")
    return found


@pytest.fixture(scope="session")
def featured_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("featured")
    build_featured(folder / "featured.xlsx")
    build_featured(folder / "featured.xlsm", macro=True)
    return folder


@pytest.fixture(params=["xlsx", "xlsm"])
def featured(request: pytest.FixtureRequest, featured_dir: Path, tmp_path: Path) -> Path:
    """A fresh copy of the feature workbook (.xlsx, then .xlsm with VBA and a macro button)."""
    target = tmp_path / f"跟单总表.{request.param}"
    shutil.copyfile(featured_dir / f"featured.{request.param}", target)
    return target


@pytest.fixture
def featured_xlsx(featured_dir: Path, tmp_path: Path) -> Path:
    target = tmp_path / "跟单总表.xlsx"
    shutil.copyfile(featured_dir / "featured.xlsx", target)
    return target
