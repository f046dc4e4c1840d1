"""Shared benchmark machinery: the cached bench workbook, child processes, alternating rounds.

Each measured variant runs in its own child process (so imports, caches and memory of one do
not help or hurt the other); the child times only the work itself and prints JSON; the parent
reads the child's peak RSS from ``os.wait4``. Rounds alternate the order of the variants
because these machines are noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"


def build_workbook(n_lines: int, *, rebuild: bool = False, layout: str = "split") -> Path:
    """The cached benchmark workbook (N lines, ≥ 50,000 price-history rows), written if missing.

    ``layout`` ``flat`` writes the orders and lines as one merchandiser's tracker sheet (the order's
    cells merged down its lines) with the price list beside it (see make_workbook.write_flat).
    """
    path = OUT / (f"bench_{n_lines}.xlsx" if layout == "split" else f"bench_{n_lines}_{layout}.xlsx")
    if path.exists() and not rebuild:
        return path
    sys.path.insert(0, str(HERE))
    import make_workbook  # the generator lives beside this script

    from gendan_xl.workbook.template import write_workbook

    OUT.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    rows = make_workbook.generate(n_lines, max(50_000, n_lines // 2))
    partial = path.with_suffix(".partial.xlsx")
    if layout == "split":
        write_workbook(partial, rows, constant_memory=True)
    else:
        make_workbook.write_flat(partial, rows)
    partial.replace(path)
    print(f"built {path} ({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - started:.1f}s", flush=True)
    return path


class Timer:
    """Wall-clock and CPU seconds of a block (CPU time is the steadier figure on a busy machine)."""

    def __enter__(self) -> Timer:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall, self.cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu


def calamine_child(path: str) -> None:
    """The reference: python-calamine reads every sheet of ``path`` to Python lists (in a child process)."""
    from python_calamine import CalamineWorkbook

    with Timer() as timer:
        book = CalamineWorkbook.from_path(path)
        data = {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}
    report_child(timer, rows=sum(len(rows) for rows in data.values()))


def parse_arguments(doc: str | None, *, rounds: int = 3) -> argparse.Namespace:
    """The arguments every benchmark takes: N lines, rounds, --rebuild (and the hidden --child)."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", nargs="?", type=int, default=100_000, help="order lines (default 100000)")
    parser.add_argument("--rounds", type=int, default=rounds, help=f"rounds of each variant (default {rounds})")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached workbook")
    parser.add_argument("--layout", choices=("split", "flat"), default="split",
                        help="split: the template's sheets; flat: a one-sheet tracker with merged order cells")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    return parser.parse_args()


def report_child(timer: Timer, **extra: object) -> None:
    """Print a child's result (its timed seconds and anything else) as the last line of JSON."""
    print(json.dumps({"seconds": timer.wall, "cpu_seconds": timer.cpu, **extra}))


@dataclass(frozen=True)
class Run:
    """One child's result: timed seconds, peak RSS (KiB) and what it reported."""

    seconds: float
    cpu_seconds: float
    peak_kib: int
    details: dict[str, object]


def run_child(script: Path, args: Sequence[str]) -> Run:
    """Run ``script --child ARGS`` in a fresh interpreter and collect its result and peak memory."""
    process = subprocess.Popen([sys.executable, str(script), "--child", *args], stdout=subprocess.PIPE)
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"child {args} failed with exit code {os.waitstatus_to_exitcode(status)}")
    details = json.loads(output.decode().strip().splitlines()[-1])
    return Run(float(details["seconds"]), float(details["cpu_seconds"]), int(usage.ru_maxrss), details)


def alternate(script: Path, variants: dict[str, Sequence[str]], rounds: int) -> dict[str, list[Run]]:
    """Run each variant ``rounds`` times, alternating their order, printing each run."""
    names = list(variants)
    results: dict[str, list[Run]] = {name: [] for name in names}
    for round_no in range(1, rounds + 1):
        for name in names if round_no % 2 else list(reversed(names)):
            run = run_child(script, variants[name])
            results[name].append(run)
            print(f"round {round_no} {name:10s} {run.seconds:7.2f}s wall {run.cpu_seconds:7.2f}s cpu  "
                  f"peak {run.peak_kib / 1024:7.1f} MiB", flush=True)
    return results


def median_seconds(runs: list[Run]) -> float:
    """Median timed seconds of some runs."""
    return statistics.median(r.seconds for r in runs)


def median_cpu(runs: list[Run]) -> float:
    """Median CPU seconds of some runs."""
    return statistics.median(r.cpu_seconds for r in runs)


def median_peak(runs: list[Run]) -> float:
    """Median peak RSS (KiB) of some runs."""
    return statistics.median(r.peak_kib for r in runs)
