"""Benchmark: read + all checks against a raw python-calamine read of the same workbook.

Usage: python bench/bench_check.py [N] [--rounds R] [--rebuild]

On the N-line benchmark workbook (default 100,000 lines, 20,000 orders, ≥ 50,000 price-history
rows; built once by bench/make_workbook.py's generator and cached in bench/out/), times in
separate child processes, alternating, R rounds (default 3) of:

  (a) calamine — python-calamine reads every sheet to Python lists;
  (b) check    — ``gendan_xl.read_workbook`` + ``gendan_xl.checks.run_checks`` (every check).

Prints the medians and ``ratio=<check time / calamine time>`` (wall clock), and ``cpu_ratio``
(process CPU time, steadier when other work shares the machine). Target: ratio ≤ 3.5.
"""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import (
    Timer,
    alternate,
    build_workbook,
    calamine_child,
    median_cpu,
    median_peak,
    median_seconds,
    parse_arguments,
    report_child,
)

TARGET = 3.5
TODAY = date(2026, 11, 26)


def child(kind: str, path: str) -> None:
    """One measured run (in a child process)."""
    if kind == "calamine":
        calamine_child(path)
        return
    from gendan_xl.checks import run_checks
    from gendan_xl.workbook.reader import read_workbook

    with Timer() as timer:
        started = time.perf_counter()
        workbook = read_workbook(path)
        read_seconds = time.perf_counter() - started
        report = run_checks(workbook, today=TODAY)
    report_child(timer, read_seconds=read_seconds, findings=len(report.findings), lines=len(workbook.lines),
                 history=len(workbook.price_history))


def main() -> None:
    """Build or reuse the workbook, run both variants alternately, print medians and the ratio."""
    args = parse_arguments(__doc__)
    if args.child:
        child(*args.child)
        return
    path = build_workbook(args.n, rebuild=args.rebuild)
    results = alternate(Path(__file__), {"calamine": ["calamine", str(path)], "check": ["check", str(path)]},
                        args.rounds)
    calamine, check = median_seconds(results["calamine"]), median_seconds(results["check"])
    details = results["check"][-1].details
    print(f"file={path.name} lines={details['lines']} price_history={details['history']} "
          f"findings={details['findings']}")
    print(f"calamine_seconds={calamine:.2f} check_seconds={check:.2f} "
          f"(of which read {details['read_seconds']:.2f}s in the last round)")
    print(f"calamine_peak_mib={median_peak(results['calamine']) / 1024:.1f} "
          f"check_peak_mib={median_peak(results['check']) / 1024:.1f}")
    cpu_ratio = median_cpu(results["check"]) / median_cpu(results["calamine"])
    print(f"ratio={check / calamine:.2f} (target <= {TARGET}); cpu_ratio={cpu_ratio:.2f}")


if __name__ == "__main__":
    main()
