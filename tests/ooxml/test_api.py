"""The ooxml package's public names: each one resolves, and the package imports nothing of orders."""

from __future__ import annotations

import subprocess
import sys

import gendan_xl.ooxml as ooxml


def test_every_public_name_resolves() -> None:
    assert sorted(ooxml._HOME) == sorted(ooxml.__all__)
    for name in ooxml.__all__:
        assert getattr(ooxml, name) is not None


def test_reading_does_not_load_the_writer() -> None:
    code = ("import sys, gendan_xl.workbook.reader; "
            "print(sorted(m for m in sys.modules if m.startswith('gendan_xl.ooxml.')))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "gendan_xl.ooxml.safety" in loaded
    for writer in ("patch", "sheetpatch", "comments", "buttons", "vbaproject", "saving"):
        assert f"gendan_xl.ooxml.{writer}'" not in loaded
