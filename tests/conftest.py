"""Shared fixtures: ``make_xlsx`` builds workbooks in ``tmp_path``; ``soffice`` finds LibreOffice."""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from tests.builders import MakeXlsx, Rows, write_xlsx


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
