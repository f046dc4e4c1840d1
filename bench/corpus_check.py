"""One-off fidelity run of the surgical patcher over a folder of real workbooks (not a unit test).

Usage: python bench/corpus_check.py DIR [DIR …]

For each .xlsx/.xlsm (password-protected ones are skipped) a few cells of the first worksheet are
written (text with a note, a number with a fill, a date, a header styled like its neighbour),
then: every member other than the allowed ones must be byte-identical (raw compressed bytes and
zip metadata), the result must open in python-calamine and openpyxl with the written values, a
second identical patch must give identical bytes, and LibreOffice (if installed) must convert it.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import warnings
import zipfile
from pathlib import Path

import openpyxl
import python_calamine

from gendan_xl.errors import GendanError
from gendan_xl.ooxml import Package
from gendan_xl.ooxml.patch import CellWrite, SheetPatch, apply_patches, cell_protection, sheet_dimension

ALLOWED_PREFIXES = ("xl/comments", "xl/drawings/vmlDrawing", "xl/styles.xml", "[Content_Types].xml", "xl/workbook.xml")


def raw_members(data: bytes) -> dict[str, tuple[bytes, tuple[object, ...]]]:
    """Raw compressed bytes and metadata of every member, read with the standard library."""
    out: dict[str, tuple[bytes, tuple[object, ...]]] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for info in z.infolist():
            start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
            # the local extra length may differ from the central one: read it from the local header
            nlen = int.from_bytes(data[info.header_offset + 26 : info.header_offset + 28], "little")
            xlen = int.from_bytes(data[info.header_offset + 28 : info.header_offset + 30], "little")
            start = info.header_offset + 30 + nlen + xlen
            meta = (info.date_time, info.external_attr, info.compress_type, info.CRC, info.flag_bits, info.comment)
            out[info.filename] = (data[start : start + info.compress_size], meta)
    return out


def pick_cells(pkg: Package, sheet: str) -> list[CellWrite]:
    max_row, max_col = sheet_dimension(pkg, sheet)
    new_col = min(max_col + 1, 16384)
    extra_row = min(max(max_row + 1, 4), 1_048_576)
    wanted = [
        CellWrite(1, new_col, "状态 status", style_like=(1, max_col) if max_col else None),
        CellWrite(2, new_col, "逾期 late", fill="FFC7CE", note="gendan 批注\nsecond line"),
        CellWrite(3, new_col, dt.date(2026, 3, 1)),
        CellWrite(extra_row, 1 if new_col != 1 else 2, 42.5, fill="C6EFCE", number_format="0.00"),
    ]
    seen: set[tuple[int, int]] = set()
    out = []
    for w in wanted:
        if (w.row, w.col) not in seen and cell_protection(pkg, sheet, w.row, w.col) is None:
            seen.add((w.row, w.col))
            out.append(w)
    return out


def libreoffice_ok(path: Path) -> str:
    soffice = shutil.which("soffice")
    if soffice is None or os.environ.get("CORPUS_NO_LO"):
        return "soffice absent"
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [
            soffice,
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{tmp}/profile",
            "--convert-to",
            "csv",
            "--outdir",
            tmp,
            str(path),
        ]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        try:
            _, err = proc.communicate(timeout=90)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # soffice.bin outlives its wrapper otherwise
            proc.communicate()
            return "TIMEOUT"
        produced = list(Path(tmp).glob("*.csv"))
        return "ok" if proc.returncode == 0 and produced else f"FAILED rc={proc.returncode} {err[-200:]!r}"


def check(path: Path) -> str:
    data = path.read_bytes()
    try:
        pkg = Package(data, path=path)
        sheet = next(s for s in pkg.sheets() if s.kind == "worksheet" and s.part)
    except GendanError as exc:
        return f"SKIP ({type(exc).__name__})"
    writes = pick_cells(pkg, sheet.name)
    t0 = time.perf_counter()
    outcome = apply_patches(data, [SheetPatch(sheet.name, writes)])
    elapsed = time.perf_counter() - t0
    before, after = raw_members(data), raw_members(outcome.data)
    problems = []
    for name, raw in before.items():
        if name == sheet.part or name.startswith(ALLOWED_PREFIXES) or name.startswith("xl/worksheets/_rels/"):
            continue
        if after.get(name) != raw:
            problems.append(f"member changed: {name}")
    if [n for n in before if n in after] != [n for n in after if n in before]:
        problems.append("member order changed")
    again = apply_patches(outcome.data, [SheetPatch(sheet.name, writes)])
    if again.data != outcome.data:
        problems.append("second run not byte-identical")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / path.name
        out.write_bytes(outcome.data)
        book = python_calamine.CalamineWorkbook.from_path(str(out))
        rows = book.get_sheet_by_name(sheet.name).to_python(skip_empty_area=False)
        for w in writes:
            got = rows[w.row - 1][w.col - 1] if w.row <= len(rows) and w.col <= len(rows[w.row - 1]) else None
            if got != w.value and not (isinstance(got, float) and got == w.value):
                problems.append(f"calamine read {got!r} at R{w.row}C{w.col}, wanted {w.value!r}")
        notes = []
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                openpyxl.load_workbook(path)[sheet.name]
        except Exception as exc:
            notes.append(f"openpyxl cannot read the original either ({type(exc).__name__})")
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                wb = openpyxl.load_workbook(out, keep_vba=path.suffix == ".xlsm")
            cell = wb[sheet.name].cell(writes[0].row, writes[0].col)
            if cell.value != writes[0].value:
                problems.append(f"openpyxl read {cell.value!r}")
        lo = libreoffice_ok(out)
        if lo not in ("ok", "soffice absent"):
            lo_orig = libreoffice_ok(path)
            if lo_orig == "ok":
                problems.append(f"LibreOffice: {lo}")
            else:
                notes.append(f"LibreOffice fails on the original too ({lo_orig})")
    status = "OK" if not problems else "PROBLEM " + "; ".join(problems)
    extra = f"; {'; '.join(notes)}" if notes else ""
    return f"{status} ({len(writes)} cells, {elapsed * 1000:.0f} ms, recalc={outcome.full_recalc}{extra})"


def main(argv: list[str]) -> int:
    if argv[:1] == ["--one"]:
        try:
            print(check(Path(argv[1])))
        except Exception as exc:  # report and go on: this is a survey, not a test
            print(f"ERROR {type(exc).__name__}: {exc}")
        return 0
    bad = 0
    for folder in argv:
        for path in sorted(Path(folder).iterdir()):
            if path.suffix not in (".xlsx", ".xlsm"):
                continue
            # One process per file: a reader crashing on a strange file must not end the survey.
            proc = subprocess.run([sys.executable, __file__, "--one", str(path)], capture_output=True, text=True)
            lines = proc.stdout.strip().splitlines()
            result = lines[-1] if lines else f"CRASH rc={proc.returncode} {proc.stderr.strip()[:150]!r}"
            bad += not result.startswith(("OK", "SKIP"))
            print(f"{path.parent.name}/{path.name}: {result}", flush=True)
    print(f"{bad} problem file(s)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
