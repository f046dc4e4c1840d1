"""docs/notebook.md runs as written: every python block, in order, in one namespace."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[1] / "docs" / "notebook.md"


def test_notebook_page_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("matplotlib")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
    assert len(blocks) >= 5
    namespace: dict[str, object] = {}
    for block in blocks:
        exec(compile(block, str(DOC), "exec"), namespace)
    orders = namespace["orders"]
    late = namespace["late"]
    assert len(orders) == 43  # type: ignore[arg-type]
    assert "GD2026-004" in late.index  # type: ignore[attr-defined]
    receivables = namespace["receivables"]
    assert set(receivables["bucket"]) <= {"not due", "1-30", "31-60", "61-90", ">90"}  # type: ignore[index]
    assert (tmp_path / "gendan-demo" / "gendan_demo.xlsx").exists()
    assert os.environ["MPLBACKEND"] == "Agg"
