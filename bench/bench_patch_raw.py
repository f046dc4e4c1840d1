"""Benchmark: surgical patch vs openpyxl load+save on a 100,000-row × 20-column workbook.

Usage: python bench/bench_patch_raw.py [--rows N] [--skip-openpyxl]

Builds the workbook with XlsxWriter (constant_memory), then times
1. ``apply_patches`` in memory: 20,000 rows × 5 status columns (100,000 cells, half with fills),
2. ``patch_workbook`` on disk (lock, temp file, fsync, zip + XML verification, backup, rename),
3. openpyxl ``load_workbook`` + ``save`` of the same file, for comparison.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
import warnings
from datetime import date
from pathlib import Path

import xlsxwriter

from gendan_xl.ooxml import CellWrite, Package, SheetPatch, apply_patches, patch_workbook

SHEET = "订单"


def build(path: Path, rows: int, cols: int = 20) -> None:
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = book.add_worksheet(SHEET)
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    ws.write_row(0, 0, [f"列{c}" for c in range(cols)])
    for r in range(1, rows + 1):
        for c in range(cols):
            if c % 5 == 0:
                ws.write_string(r, c, f"PO-{r}-{c}")
            elif c % 5 == 4:
                ws.write_datetime(r, c, date(2026, 1, 1 + r % 28), day)
            else:
                ws.write_number(r, c, r * 1.5 + c)
    book.close()


def writes(rows: int, first_col: int) -> list[CellWrite]:
    out = []
    step = max(1, rows // 20_000)
    for r in range(2, rows + 2, step)[:20_000]:
        out.append(CellWrite(r, first_col, "逾期" if r % 2 else "正常", fill="FFC7CE" if r % 2 else None))
        out.append(CellWrite(r, first_col + 1, r * 0.5))
        out.append(CellWrite(r, first_col + 2, date(2026, 3, 1)))
        out.append(CellWrite(r, first_col + 3, f"备注 {r}", note="交期" if r % 1000 == 0 else None))
        out.append(CellWrite(r, first_col + 4, bool(r % 3)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--skip-openpyxl", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.xlsx"
        t = time.perf_counter()
        build(path, args.rows)
        data = path.read_bytes()
        xml_size = len(Package(data).read("xl/worksheets/sheet1.xml"))
        print(
            f"built {args.rows} rows x 20 cols in {time.perf_counter() - t:.1f} s: "
            f"{len(data) / 1e6:.1f} MB zip, sheet XML {xml_size / 1e6:.1f} MB"
        )
        cells = writes(args.rows, 21)
        t, c = time.perf_counter(), time.process_time()
        outcome = apply_patches(data, [SheetPatch(SHEET, cells)])
        print(f"apply_patches (in memory): {len(cells)} cells in {time.perf_counter() - t:.2f} s "
              f"(CPU {time.process_time() - c:.2f} s)")  # fmt: skip
        t, c = time.perf_counter(), time.process_time()
        result = patch_workbook(path, [SheetPatch(SHEET, cells)], backups=1)
        print(f"patch_workbook (on disk, verified, backup): {time.perf_counter() - t:.2f} s "
              f"(CPU {time.process_time() - c:.2f} s), changed={result.changed}")  # fmt: skip
        assert path.read_bytes() == outcome.data
        small = cells[:20_000]
        t, c = time.perf_counter(), time.process_time()
        apply_patches(data, [SheetPatch(SHEET, small)])
        print(f"apply_patches, 20,000 cells (4,000 rows x 5 cols): {time.perf_counter() - t:.2f} s "
              f"(CPU {time.process_time() - c:.2f} s)")  # fmt: skip
        t, c = time.perf_counter(), time.process_time()
        again = patch_workbook(path, [SheetPatch(SHEET, cells)], backups=1)
        print(f"patch_workbook again (no change, no write): {time.perf_counter() - t:.2f} s "
              f"(CPU {time.process_time() - c:.2f} s), changed={again.changed}")  # fmt: skip
        if not args.skip_openpyxl:
            import openpyxl

            copy = Path(tmp) / "copy.xlsx"
            shutil.copyfile(path, copy)
            t, c = time.perf_counter(), time.process_time()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                book = openpyxl.load_workbook(copy)
                book.save(copy)
            print(f"openpyxl load + save: {time.perf_counter() - t:.2f} s (CPU {time.process_time() - c:.2f} s)")


if __name__ == "__main__":
    main()
