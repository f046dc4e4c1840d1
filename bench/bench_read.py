"""Benchmark: gendan_xl.read_workbook against a raw python-calamine read of the same workbook.

Usage: python bench/bench_read.py [N] [--rounds R] [--rebuild]

Builds the N-line benchmark workbook with bench/make_workbook.py's generator (default 100,000
lines; cached in bench/out/bench_<N>.xlsx, reused when present), then times, each in its own
child process and alternating, R rounds (default 3) of:

  (a) calamine — python-calamine reads every sheet to Python lists (``to_python()``);
  (b) gendan   — ``gendan_xl.read_workbook``: header matching, tolerant parsing, models, findings.

Each child reports its own read time, wall and CPU (imports excluded); its peak memory is the child's
``ru_maxrss`` from ``os.wait4`` (imports included, as a user would see them). Medians are
printed with ``ratio=<gendan time / calamine time>`` and ``memory_ratio=<gendan peak / calamine
peak>``. Targets: ratio ≤ 2.5, memory_ratio ≤ 2.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
TARGET_RATIO = 2.5
TARGET_MEMORY = 2.0


def build_workbook(n_lines: int, *, rebuild: bool = False) -> Path:
    """The cached benchmark workbook, written with make_workbook's generator if missing."""
    path = OUT / f"bench_{n_lines}.xlsx"
    if path.exists() and not rebuild:
        return path
    sys.path.insert(0, str(HERE))
    import make_workbook  # the generator lives beside this script

    from gendan_xl.workbook.template import write_workbook

    OUT.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    rows = make_workbook.generate(n_lines, max(50_000, n_lines // 2))
    partial = path.with_suffix(".partial.xlsx")
    write_workbook(partial, rows, constant_memory=True)
    partial.replace(path)
    print(f"built {path} ({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - started:.1f}s", flush=True)
    return path


def child(kind: str, path: str) -> None:
    """Run one read in this process and print its time as JSON (called in a subprocess)."""
    import resource

    if kind == "calamine":
        from python_calamine import CalamineWorkbook

        started, cpu = time.perf_counter(), time.process_time()
        book = CalamineWorkbook.from_path(path)
        data = {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        size = sum(len(rows) for rows in data.values())
    else:
        from gendan_xl import read_workbook

        started, cpu = time.perf_counter(), time.process_time()
        workbook = read_workbook(path)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        size = sum(workbook.counts().values())
    baseline_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": elapsed, "cpu": cpu, "rows": size, "maxrss_kb_self": baseline_kb}))


def run_child(kind: str, path: Path) -> tuple[float, int, int, float]:
    """(read seconds, rows, peak RSS in KiB, CPU seconds) of one child process."""
    process = subprocess.Popen([sys.executable, __file__, "--child", kind, str(path)], stdout=subprocess.PIPE)
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{kind} child failed with exit code {process.returncode}")
    report = json.loads(output.decode().strip().splitlines()[-1])
    return float(report["seconds"]), int(report["rows"]), int(usage.ru_maxrss), float(report["cpu"])


def main() -> None:
    """Build or reuse the workbook, run both readers alternately, print medians and ratios."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", nargs="?", type=int, default=100_000, help="order lines (default 100000)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of each reader (default 3)")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached workbook")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    path = build_workbook(args.n, rebuild=args.rebuild)
    results: dict[str, list[tuple[float, int, int, float]]] = {"calamine": [], "gendan": []}
    for round_no in range(1, args.rounds + 1):
        for kind in ("calamine", "gendan") if round_no % 2 else ("gendan", "calamine"):
            seconds, rows, peak, cpu = run_child(kind, path)
            results[kind].append((seconds, rows, peak, cpu))
            print(f"round {round_no} {kind:8s} {seconds:6.2f}s (cpu {cpu:6.2f}s)  peak {peak / 1024:7.1f} MiB  "
                  f"({rows:,} rows)", flush=True)
    cal_time = statistics.median(r[0] for r in results["calamine"])
    gen_time = statistics.median(r[0] for r in results["gendan"])
    cal_mem = statistics.median(r[2] for r in results["calamine"])
    gen_mem = statistics.median(r[2] for r in results["gendan"])
    ratio = gen_time / cal_time
    cpu_ratio = statistics.median(r[3] for r in results["gendan"]) / statistics.median(r[3] for r in results["calamine"])
    memory_ratio = gen_mem / cal_mem
    print(f"file={path.name} size={path.stat().st_size / 1e6:.1f}MB rounds={args.rounds}")
    print(f"calamine_seconds={cal_time:.2f} gendan_seconds={gen_time:.2f}")
    print(f"calamine_peak_mib={cal_mem / 1024:.1f} gendan_peak_mib={gen_mem / 1024:.1f}")
    print(f"ratio={ratio:.2f} (target <= {TARGET_RATIO})")
    print(f"memory_ratio={memory_ratio:.2f} (target <= {TARGET_MEMORY})")
    print(f"cpu_ratio={cpu_ratio:.2f} (CPU time instead of wall time: less sensitive to a busy machine)")


if __name__ == "__main__":
    main()
