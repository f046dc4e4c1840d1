"""Safe saving: owner files, read-only, locks, verified atomic replace, backups, faults, kills, races."""

from __future__ import annotations

import errno
import os
import random
import signal
import stat
import subprocess
import sys
import textwrap
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
import xlsxwriter

from gendan_xl.errors import WorkbookLockedError, WriteError
from gendan_xl.ooxml import saving as ss
from gendan_xl.ooxml.patch import CellWrite, PatchOutcome, SheetPatch, apply_patches, patch_workbook
from tests.featured import ORDERS, build_simple, calamine_rows

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def book(tmp_path: Path) -> Path:
    path = tmp_path / "跟单总表.xlsx"
    build_simple(path, [["订单号", "状态"], ["PO-1", None], ["PO-2", None]])
    os.chmod(path, 0o640)
    return path


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".gendan-tmp"))


def patch_status(text: str) -> Callable[[bytes], bytes]:
    return lambda data: apply_patches(data, [SheetPatch(ORDERS, [CellWrite(2, 2, text)])]).data


def test_save_is_atomic_backed_up_and_keeps_the_mode(book: Path) -> None:
    original = book.read_bytes()
    result = ss.safe_save(book, patch_status("已出货"), backups=3)
    assert result.changed and result.backup is not None
    assert result.backup.parent == book.parent / ".gendan_backups"
    assert result.backup.name.startswith("跟单总表.bak-") and result.backup.suffix == ".xlsx"
    assert result.backup.read_bytes() == original
    assert calamine_rows(book, ORDERS)[1] == ["PO-1", "已出货"]
    assert stat.S_IMODE(book.stat().st_mode) == 0o640
    assert leftovers(book.parent) == []
    assert ss.lock_path(book).name.startswith(".")


def test_nothing_to_change_means_no_write_and_no_backup(book: Path) -> None:
    before = book.stat()
    result = ss.safe_save(book, lambda data: data, backups=3)
    assert not result.changed and result.backup is None
    after = book.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert not (book.parent / ".gendan_backups").exists()


def owner_file(name: str, user: str = "张三") -> bytes:
    """An owner file laid out like Office's: length-prefixed ANSI name, then UTF-16 at offset 54."""
    ansi = user.encode("gbk")
    body = bytes([len(ansi)]) + ansi.ljust(53, b" ")
    return body + bytes([len(user), 0]) + user.encode("utf-16-le") + b"\x00" * 20


@pytest.mark.parametrize("form", ["full", "drop1", "drop2"])
def test_excel_owner_file_blocks_unless_forced(tmp_path: Path, form: str) -> None:
    book = build_simple(tmp_path / "2026年跟单总表.xlsx", [["a"]])
    name = {"full": book.name, "drop1": book.name[1:], "drop2": book.name[2:]}[form]
    (tmp_path / f"~${name}").write_bytes(owner_file(book.name))
    original = book.read_bytes()
    with pytest.raises(WorkbookLockedError) as info:
        ss.safe_save(book, patch_status("x"))
    assert book.name in str(info.value) and "张三" in str(info.value) and "Excel" in str(info.value)
    assert book.read_bytes() == original
    assert ss.safe_save(book, patch_status("x"), force=True).changed


def test_short_names_only_match_the_full_owner_file(tmp_path: Path) -> None:
    book = build_simple(tmp_path / "ab.xlsx", [["a"]])
    (tmp_path / "~$b.xlsx").write_bytes(b"\x01x")  # would be a truncated form, but 'ab' is short
    assert ss.owner_files(book) == []
    (tmp_path / "~$AB.XLSX").write_bytes(b"\x01x")  # Windows names are case-insensitive
    assert [p.name for p in ss.owner_files(book)] == ["~$AB.XLSX"]


def test_read_only_file_or_folder_is_refused_even_for_root(book: Path) -> None:
    os.chmod(book, 0o444)
    with pytest.raises(WorkbookLockedError, match="read-only"):
        ss.safe_save(book, patch_status("x"))
    os.chmod(book, 0o644)
    os.chmod(book.parent, 0o555)
    try:
        with pytest.raises(WorkbookLockedError, match="folder"):
            ss.safe_save(book, patch_status("x"))
    finally:
        os.chmod(book.parent, 0o755)


def test_a_second_run_waits_then_gives_up(book: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
            import sys, time
            from filelock import FileLock
            with FileLock({str(ss.lock_path(book))!r}):
                print("locked", flush=True)
                time.sleep(20)
        """),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        original = book.read_bytes()
        start = time.monotonic()
        with pytest.raises(WorkbookLockedError, match="Another gendan run"):
            ss.safe_save(book, patch_status("x"), lock_timeout=0.5)
        assert 0.4 < time.monotonic() - start < 10
        assert book.read_bytes() == original
    finally:
        holder.kill()
        holder.wait()


def _raise(exc: BaseException) -> Callable[..., object]:
    def boom(*args: object, **kwargs: object) -> object:
        raise exc

    return boom


@pytest.mark.parametrize("fault", ["mid-write", "disk-full", "fsync", "replace", "replace-locked", "verify"])
def test_faults_leave_the_original_untouched(book: Path, monkeypatch: pytest.MonkeyPatch, fault: str) -> None:
    original = book.read_bytes()
    verify: Callable[[Path], None] | None = None
    if fault == "mid-write":
        real_write = os.write

        def half_then_fail(fd: int, data: bytes | memoryview) -> int:
            real_write(fd, bytes(data[: len(data) // 2]))
            raise OSError(errno.EIO, "I/O error")

        monkeypatch.setattr(os, "write", half_then_fail)
    elif fault == "disk-full":
        monkeypatch.setattr(os, "write", _raise(OSError(errno.ENOSPC, "No space left on device")))
    elif fault == "fsync":
        monkeypatch.setattr(os, "fsync", _raise(OSError(errno.EIO, "fsync failed")))
    elif fault == "replace":
        monkeypatch.setattr(os, "replace", _raise(OSError(errno.EXDEV, "cross-device")))
    elif fault == "replace-locked":
        monkeypatch.setattr(os, "replace", _raise(PermissionError(errno.EACCES, "in use")))
    else:
        verify = _raise(ValueError("sheet XML broken"))  # type: ignore[assignment]
    expected = WorkbookLockedError if fault == "replace-locked" else WriteError
    with pytest.raises(expected) as info:
        ss.safe_save(book, patch_status("x"), backups=2, verify=verify)
    monkeypatch.undo()
    assert book.read_bytes() == original
    assert leftovers(book.parent) == []
    assert ss.list_backups(book) == [], "a backup of a save that did not happen is removed"
    if fault == "disk-full":
        assert "磁盘空间不足" in str(info.value) and "disk is full" in str(info.value)
    assert "unchanged" in str(info.value) or "未改动" in str(info.value)


def test_a_change_on_disk_during_the_run_aborts(book: Path) -> None:
    def meanwhile_excel_saves(data: bytes) -> bytes:
        new = patch_status("ours")(data)
        book.write_bytes(build_simple(book.with_name("other.xlsx"), [["theirs"]]).read_bytes())
        return new

    with pytest.raises(WriteError, match="changed by another program"):
        ss.safe_save(book, meanwhile_excel_saves)
    assert calamine_rows(book, ORDERS) == [["theirs"]]
    assert leftovers(book.parent) == []


def test_backups_keep_the_newest_n(book: Path) -> None:
    for i in range(5):
        ss.safe_save(book, patch_status(f"v{i}"), backups=2)
    kept = ss.list_backups(book)
    assert len(kept) == 2
    assert [calamine_rows(p, ORDERS)[1][1] for p in kept] == ["v2", "v3"]
    ss.safe_save(book, patch_status("no backup"), backups=0)
    assert ss.list_backups(book) == kept, "backups=0 makes none and deletes none"


def test_stale_temp_files_of_a_killed_run_are_removed(book: Path) -> None:
    stale = book.parent / f".{book.name}.deadbeef.gendan-tmp"
    stale.write_bytes(b"half a zip")
    other = book.parent / ".other.xlsx.deadbeef.gendan-tmp"
    other.write_bytes(b"not ours")
    ss.safe_save(book, patch_status("x"))
    assert not stale.exists() and other.exists()


def test_patch_workbook_verifies_the_sheet_xml(book: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gendan_xl.ooxml.patch as patch_module

    real = patch_module.apply_patches

    def broken(*args: object, **kwargs: object) -> PatchOutcome:
        good = real(*args, **kwargs)  # type: ignore[arg-type]
        import io

        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(good.data)) as src, zipfile.ZipFile(out, "w") as dst:
            for info in src.infolist():
                body = src.read(info)
                dst.writestr(info, body.replace(b"</sheetData>", b"</sheetDat>") if "sheet1" in info.filename else body)
        return PatchOutcome(out.getvalue(), True, 1, (), False, good.touched_parts)

    monkeypatch.setattr(patch_module, "apply_patches", broken)
    original = book.read_bytes()
    with pytest.raises(WriteError, match="verification"):
        patch_workbook(book, [SheetPatch(ORDERS, [CellWrite(2, 2, "x")])])
    assert book.read_bytes() == original and leftovers(book.parent) == []


# -- real processes ----------------------------------------------------------------------------------------

CHILD = """
import sys
from gendan_xl.ooxml.patch import CellWrite, SheetPatch, patch_workbook
path, col, text = sys.argv[1], int(sys.argv[2]), sys.argv[3]
writes = [CellWrite(r, col, f"{text}{r}", fill="FFC7CE" if r % 2 else None) for r in range(2, 8002)]
patch_workbook(path, [SheetPatch("订单", writes)], backups=1, lock_timeout=120)
print("done", flush=True)
"""


def big_workbook(path: Path, rows: int = 40_000) -> Path:
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = book.add_worksheet(ORDERS)
    for r in range(rows):
        ws.write_row(r, 0, [f"PO-{r}", r, r * 1.5, "客户", r % 7, "备注 note", r * 3])
    book.close()
    return path


def child(path: Path, col: int, text: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), str(col), text],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def test_sigkill_at_random_points_never_corrupts_the_workbook(tmp_path: Path) -> None:
    path = big_workbook(tmp_path / "big.xlsx")
    original = path.read_bytes()
    writes = [CellWrite(r, 9, f"k{r}", fill="FFC7CE" if r % 2 else None) for r in range(2, 8002)]
    expected = apply_patches(original, [SheetPatch(ORDERS, writes)]).data
    start = time.monotonic()
    proc = child(path, 9, "k")
    assert proc.wait(timeout=300) == 0, proc.stderr.read() if proc.stderr else ""
    full = time.monotonic() - start
    assert path.read_bytes() == expected
    rng = random.Random(20261127)
    outcomes = set()
    for _ in range(10):
        path.write_bytes(original)
        proc = child(path, 9, "k")
        time.sleep(rng.uniform(0.05, full))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        now = path.read_bytes()
        assert now in (original, expected), "the workbook is either the old or the complete new version"
        outcomes.add("new" if now == expected else "old")
        with zipfile.ZipFile(path) as z:
            assert z.testzip() is None
        for name in leftovers(tmp_path):
            assert name.startswith(".") and not name.endswith((".xlsx", ".xlsm"))
        assert not [p for p in tmp_path.iterdir() if p.suffix == ".xlsx" and p.name != "big.xlsx"]
    assert "old" in outcomes, "some kills must land before the rename"
    ss.safe_save(path, lambda data: data)
    assert leftovers(tmp_path) == [], "the next run clears what killed runs left"


def test_two_concurrent_runs_both_land(tmp_path: Path) -> None:
    path = big_workbook(tmp_path / "race.xlsx", rows=10_000)
    for round_ in range(2):
        first, second = child(path, 9 + 2 * round_, "a"), child(path, 10 + 2 * round_, "b")
        for proc in (first, second):
            out, err = proc.communicate(timeout=300)
            assert proc.returncode == 0 and out.strip() == b"done", err.decode()
        rows = calamine_rows(path, ORDERS)
        assert rows[1][8 + 2 * round_] == "a2" and rows[1][9 + 2 * round_] == "b2"
        assert rows[8000][8 + 2 * round_] == "a8001" and rows[8000][9 + 2 * round_] == "b8001"
    assert rows[1][8] == "a2", "the first round's edits survive the second round"
