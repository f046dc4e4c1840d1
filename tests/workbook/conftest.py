"""Fixtures for the write-back tests: the feature workbooks, built once per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.workbook.featured import build_featured


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
