"""Batches on two processes give the same documents as one process, in the same order."""

from __future__ import annotations

from pathlib import Path

from gendan_xl.documents import KINDS, render_documents
from gendan_xl.documents.batch import default_workers

from .conftest import TODAY, docx_text

ORDERS = "GD2026-001,GD2026-002,GD2026-003,GD2026-005"


def test_two_workers_render_what_one_renders(demo_master: Path, tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    one = render_documents(demo_master, out_dir=tmp_path / "one", orders=[ORDERS], kinds=["pi", "pl", "bn"],
                           today=TODAY, log=False, workers=1)
    two = render_documents(demo_master, out_dir=tmp_path / "two", orders=[ORDERS], kinds=["pi", "pl", "bn"],
                           today=TODAY, log=False, workers=2, progress=lambda done, total: calls.append((done, total)))
    assert [(f.order_no, f.kind) for f in one.files] == [(f.order_no, f.kind) for f in two.files]
    assert len(two.files) == 12
    for a, b in zip(one.files, two.files, strict=True):
        assert a.docx.parent != b.docx.parent and docx_text(a.docx) == docx_text(b.docx)
    assert calls[-1] == (12, 12) and [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_default_workers() -> None:
    assert default_workers(len(KINDS)) == 1
    assert default_workers(300) in (1, 2)
