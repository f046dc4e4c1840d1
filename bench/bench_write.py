"""Benchmark: writing statuses for every order of the 100,000-line workbook vs openpyxl load + save.

Usage: python bench/bench_write.py [N] [--rounds R] [--rebuild]

On a fresh copy of the N-line benchmark workbook (default 100,000 lines, 20,000 orders; cached in
bench/out/), each in its own child process, alternating, R rounds (default 1: openpyxl alone
takes minutes here):

  (a) openpyxl — ``load_workbook`` + ``save`` of the file (what a naive write-back would cost,
      and it would lose charts, images, buttons and cached formula values on the way);
  (b) write    — ``gendan_xl.workbook.writeback.write_status``: plan the status cells of every
      order (and of the lines with findings), patch the file losslessly, atomic save with a
      backup. Reading and checking happen before the timer starts.

Prints ``ratio=<write time / openpyxl time>``. Target: ratio ≤ 0.1.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import (
    Timer,
    alternate,
    build_workbook,
    median_cpu,
    median_peak,
    median_seconds,
    parse_arguments,
    report_child,
)

TARGET = 0.1
TODAY = date(2026, 11, 26)


def child(kind: str, source: str) -> None:
    """One measured run on a private copy of ``source`` (in a child process)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "book.xlsx"
        shutil.copyfile(source, path)
        if kind == "openpyxl":
            import openpyxl

            with Timer() as timer:
                openpyxl.load_workbook(path).save(path)
            report_child(timer)
            return
        from gendan_xl.checks import run_checks
        from gendan_xl.workbook.reader import read_workbook
        from gendan_xl.workbook.writeback import write_status

        workbook = read_workbook(path)
        report = run_checks(workbook, today=TODAY)
        with Timer() as timer:
            result = write_status(path, workbook, report, backups=1)
        report_child(timer, cells=result.cells_written, orders=len(report.orders), changed=result.changed)


def main() -> None:
    """Build or reuse the workbook, run both variants alternately, print medians and the ratio."""
    args = parse_arguments(__doc__, rounds=1)
    if args.child:
        child(*args.child)
        return
    path = build_workbook(args.n, rebuild=args.rebuild)
    results = alternate(Path(__file__), {"openpyxl": ["openpyxl", str(path)], "write": ["write", str(path)]},
                        args.rounds)
    openpyxl_time, write_time = median_seconds(results["openpyxl"]), median_seconds(results["write"])
    details = results["write"][-1].details
    print(f"file={path.name} orders={details['orders']} cells_written={details['cells']}")
    print(f"openpyxl_seconds={openpyxl_time:.2f} write_seconds={write_time:.2f}")
    print(f"openpyxl_peak_mib={median_peak(results['openpyxl']) / 1024:.1f} "
          f"write_peak_mib={median_peak(results['write']) / 1024:.1f} (the write child also holds the read workbook)")
    cpu_ratio = median_cpu(results["write"]) / median_cpu(results["openpyxl"])
    print(f"ratio={write_time / openpyxl_time:.3f} (target <= {TARGET}); cpu_ratio={cpu_ratio:.3f}")


if __name__ == "__main__":
    main()
