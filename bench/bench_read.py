"""Benchmark: gendan_xl.read_workbook against a raw python-calamine read of the same workbook.

Usage: python bench/bench_read.py [N] [--rounds R] [--rebuild] [--layout split|flat]

Builds the N-line benchmark workbook with bench/make_workbook.py's generator (default 100,000
lines; cached in bench/out/bench_<N>.xlsx, reused when present), then times, each in its own
child process and alternating, R rounds (default 3) of:

  (a) calamine — python-calamine reads every sheet to Python lists (``to_python()``);
  (b) gendan   — ``gendan_xl.read_workbook``: header matching, tolerant parsing, models, findings.

Each child reports its own read time (imports excluded); its peak memory is the child's
``ru_maxrss`` from ``os.wait4`` (imports included, as a user would see them). Medians are
printed with ``ratio=<gendan time / calamine time>`` and ``memory_ratio=<gendan peak / calamine
peak>``. Targets: ratio ≤ 2.5, memory_ratio ≤ 2.

``--layout flat`` measures a merchandiser's one-sheet tracker instead (the order's cells merged down
its lines, their own headers, no saved mapping: the columns are matched automatically), and a third
variant, (c) map — ``gendan_xl.map_workbook``, what ``gendan map`` does: it samples each sheet's first
rows. Targets there: ratio ≤ 2.0, map_ratio ≤ 1.0 (map time / calamine time).
"""

from __future__ import annotations

import sys
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

TARGET_RATIO = 2.5
TARGET_MEMORY = 2.0
TARGET_FLAT_RATIO = 2.0
TARGET_MAP_RATIO = 1.0


def child(kind: str, path: str) -> None:
    """Run one read in this process and print its time as JSON (called in a subprocess)."""
    if kind == "calamine":
        calamine_child(path)
        return
    if kind == "map":
        from gendan_xl import map_workbook

        with Timer() as timer:
            report = map_workbook(path)
        report_child(timer, rows=0, usable=report.usable)
        return
    from gendan_xl import read_workbook

    with Timer() as timer:
        workbook = read_workbook(path)
    report_child(timer, rows=sum(workbook.counts().values()))


def main() -> None:
    """Build or reuse the workbook, run both readers alternately, print medians and ratios."""
    args = parse_arguments(__doc__)
    if args.child:
        child(*args.child)
        return
    path = build_workbook(args.n, rebuild=args.rebuild, layout=args.layout)
    variants = {"calamine": ["calamine", str(path)], "gendan": ["gendan", str(path)]}
    if args.layout == "flat":
        variants["map"] = ["map", str(path)]
    results = alternate(Path(__file__), variants, args.rounds)
    cal_time, gen_time = median_seconds(results["calamine"]), median_seconds(results["gendan"])
    cal_mem, gen_mem = median_peak(results["calamine"]), median_peak(results["gendan"])
    print(f"file={path.name} size={path.stat().st_size / 1e6:.1f}MB rounds={args.rounds} "
          f"rows={results['gendan'][-1].details['rows']}")
    print(f"calamine_seconds={cal_time:.2f} gendan_seconds={gen_time:.2f}")
    print(f"calamine_peak_mib={cal_mem / 1024:.1f} gendan_peak_mib={gen_mem / 1024:.1f}")
    target = TARGET_FLAT_RATIO if args.layout == "flat" else TARGET_RATIO
    print(f"ratio={gen_time / cal_time:.2f} (target <= {target})")
    print(f"memory_ratio={gen_mem / cal_mem:.2f} (target <= {TARGET_MEMORY})")
    cpu_ratio = median_cpu(results["gendan"]) / median_cpu(results["calamine"])
    print(f"cpu_ratio={cpu_ratio:.2f} (CPU time instead of wall time: less sensitive to a busy machine)")
    if "map" in results:
        map_time = median_seconds(results["map"])
        print(f"map_seconds={map_time:.2f} map_ratio={map_time / cal_time:.2f} (target <= {TARGET_MAP_RATIO}) "
              f"map_cpu_ratio={median_cpu(results['map']) / median_cpu(results['calamine']):.2f}")


if __name__ == "__main__":
    main()
