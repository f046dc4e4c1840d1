"""Benchmark: 315 documents through gendan_xl against bare docxtpl renders of the same templates.

Usage: python bench/bench_docs.py [--rounds R] [--orders N] [--shipments S]

On a 50-order workbook from the demo generator (no planted problems; 15 of the orders sail
together as 5 shipments of three), six kinds per order (proforma invoice, sales and purchase
contracts, commercial invoice, packing list, customs data) = 300 documents, and the invoice,
packing list and customs data of each shipment = 15 more, times in separate child processes,
alternating, R rounds (default 3) of:

  (a) bare     — for each document, ``DocxTemplate(template).render(context, autoescape=True)``
                 and ``save``; the contexts are prebuilt (by gendan_xl, outside the timing);
  (b) serial   — ``gendan_xl.documents.render_documents`` on one process: read the workbook,
                 build contexts, cross-check (a shipment: each order, then the shipment), render,
                 append 315 rows to the document log;
  (c) parallel — the same on two worker processes (without the log, like (d));
  (d) serial1  — the same as (c) on one process, the reference for the speed-up.

Before each run the script waits (up to 3 minutes, ``--quiet``) until the CPUs are idle, because
these machines are shared and a two-core speed-up is meaningless while another job holds a core.
Prints ``overhead_ratio=<(b) ÷ (a)>`` (target ≤ 1.3: gendan_xl's whole run per document against a
bare render) and ``parallel_speedup=<(d) ÷ (c)>`` (target ≥ 1.6 on two cores).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent / "out"

TODAY = date(2026, 11, 26)
KINDS = ("proforma-invoice", "sales-contract", "purchase-contract", "commercial-invoice", "packing-list",
         "customs-data")
OVERHEAD_TARGET, SPEEDUP_TARGET = 1.3, 1.6


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the worker processes)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def report_child(wall: float, cpu: float, **extra: object) -> None:
    """The child's result as one JSON line."""
    print(json.dumps({"seconds": wall, "cpu": cpu, **extra}))


def idle_share(seconds: float = 2.0) -> float | None:
    """Share of all CPUs idle over ``seconds`` (from /proc/stat; None where there is none)."""
    stat = Path("/proc/stat")
    if not stat.exists():
        return None

    def sample() -> tuple[int, int]:
        fields = [int(x) for x in stat.read_text().splitlines()[0].split()[1:]]
        return fields[3] + fields[4], sum(fields)  # idle + iowait, total

    idle1, total1 = sample()
    time.sleep(seconds)
    idle2, total2 = sample()
    return (idle2 - idle1) / max(1, total2 - total1)


def wait_for_quiet(threshold: float, limit: float) -> float | None:
    """Wait (up to ``limit`` seconds) until at least ``threshold`` of the CPUs are idle; returns the share seen.

    The machines these benchmarks run on are shared; a speed-up on two cores means nothing while
    another job keeps one of them busy.
    """
    deadline = time.monotonic() + limit
    while True:
        share = idle_share()
        if share is None or share >= threshold or time.monotonic() > deadline:
            return share
        time.sleep(3)


def run_child(variant: str, path: str) -> dict[str, float]:
    """Run one variant in a fresh interpreter (imports and caches of one never help another)."""
    done = subprocess.run([sys.executable, __file__, "--child", variant, path], capture_output=True, text=True,
                          check=False)
    if done.returncode:
        raise SystemExit(f"{variant} failed:\n{done.stderr[-2000:]}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def alternate(variants: list[str], path: str, rounds: int, quiet: float) -> dict[str, list[dict[str, float]]]:
    """Each variant ``rounds`` times, the order reversed every other round (the machine is noisy)."""
    results: dict[str, list[dict[str, float]]] = {name: [] for name in variants}
    for number in range(1, rounds + 1):
        for name in variants if number % 2 else list(reversed(variants)):
            idle = wait_for_quiet(quiet, 180) if quiet else None
            result = run_child(name, path)
            results[name].append(result)
            seen = f"  idle before {idle:.0%}" if idle is not None else ""
            print(f"round {number} {name:9s} wall {result['seconds']:7.2f}s  cpu {result['cpu']:7.2f}s{seen}", flush=True)
    return results


def build(orders: int, shipments: int) -> Path:
    """The benchmark workbook: ``orders`` demo orders without planted problems, 3 × ``shipments`` of them shipped together (cached)."""
    from gendan_xl.demo import demo_rows
    from gendan_xl.workbook.template import write_workbook

    path = OUT / f"bench_docs_{orders}_{shipments}.xlsx"
    if not path.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        write_workbook(path, demo_rows(TODAY, orders=orders - 3 * shipments, plant=False, consolidated=shipments).rows)
    return path


def shipment_numbers(workbook: Any) -> list[str]:
    """The workbook's shipments of several orders (the demo's consolidated ones)."""
    from gendan_xl.documents.shipment import shipment_orders

    return [number for number, orders in shipment_orders(workbook).values() if len(orders) > 1]


def child(variant: str, source: str) -> None:
    """One measured run, in a child process: only the rendering work is timed."""
    from gendan_xl.documents import KINDS as ALL_KINDS
    from gendan_xl.documents import build_context, find_kind, gather_order, render_documents
    from gendan_xl.documents.shipment import gather_shipment
    from gendan_xl.workbook.reader import read_workbook

    work = Path(tempfile.mkdtemp(prefix="bench_docs_"))
    try:
        book = work / "book.xlsx"
        shutil.copyfile(source, book)
        out = work / "out"
        if variant == "bare":
            from docxtpl import DocxTemplate

            from gendan_xl.documents.render import BUILTIN_TEMPLATES

            wb = read_workbook(book)
            jobs = []
            for order in wb.orders:
                data = gather_order(wb, order.order_no, today=TODAY)
                for key in KINDS:
                    kind = find_kind(key)
                    assert kind is not None
                    jobs.append((BUILTIN_TEMPLATES / kind.template_name, build_context(data, kind).values,
                                 out / f"{order.order_no}_{key}.docx"))
            for number in shipment_numbers(wb):
                shipment = gather_shipment(wb, number, today=TODAY)
                for key in KINDS:
                    kind = find_kind(key)
                    assert kind is not None
                    if kind.per_shipment:
                        jobs.append((BUILTIN_TEMPLATES / kind.template_name, build_context(shipment, kind).values,
                                     out / f"{number}_{key}.docx"))
            out.mkdir()
            started, cpu = time.perf_counter(), _cpu()
            for template, values, target in jobs:
                document = DocxTemplate(template)
                document.render(values, autoescape=True)
                document.save(target)
            report_child(time.perf_counter() - started, _cpu() - cpu, documents=len(jobs))
            return
        workers = 2 if variant == "parallel" else 1
        started, cpu = time.perf_counter(), _cpu()
        wb = read_workbook(book)
        run = render_documents(wb, out_dir=out, orders=[",".join(o.order_no for o in wb.orders)],
                               shipments=shipment_numbers(wb), kinds=list(KINDS), today=TODAY, workers=workers,
                               log=variant == "serial")
        seconds = time.perf_counter() - started
        assert run.log is not None or variant != "serial"
        report_child(seconds, _cpu() - cpu, documents=len(run.files), kinds=len(ALL_KINDS), cpus=os.cpu_count() or 0,
                     shipments=len(run.shipments))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    """Run the variants alternately; print per-document times, the overhead ratio and the speed-up."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--orders", type=int, default=50, help="orders in the workbook (× 6 kinds = documents)")
    parser.add_argument("--shipments", type=int, default=5,
                        help="shipments of three of those orders (× 3 shipment kinds = more documents)")
    parser.add_argument("--quiet", type=float, default=0.9,
                        help="before each run wait (up to 3 min) until this share of the CPUs is idle; 0: do not wait")
    parser.add_argument("--child", nargs=2, metavar=("VARIANT", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    path = str(build(args.orders, args.shipments))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    results = alternate(["bare", "serial", "serial1", "parallel"], path, args.rounds, args.quiet)

    def median(name: str, key: str = "seconds") -> float:
        return statistics.median(r[key] for r in results[name])

    documents = int(results["serial"][-1]["documents"])
    bare, serial = median("bare"), median("serial")
    parallel, serial1 = median("parallel"), median("serial1")
    print(f"documents={documents} shipments={int(results['serial'][-1]['shipments'])} "
          f"cpus={int(results['parallel'][-1]['cpus'])} rounds={args.rounds} load_before={load:.1f}")
    print(f"bare_ms_per_document={bare / documents * 1000:.1f} gendan_ms_per_document={serial / documents * 1000:.1f} "
          "(gendan: the whole run — read, contexts, cross-check, render, log)")
    print(f"cpu_seconds bare={median('bare', 'cpu'):.2f} serial={median('serial', 'cpu'):.2f} "
          f"serial1={median('serial1', 'cpu'):.2f} parallel={median('parallel', 'cpu'):.2f}")
    print(f"serial_seconds={serial1:.2f} parallel_seconds={parallel:.2f}")
    # Ratios within a round (the variants ran minutes apart at most) are steadier than ratios of
    # medians when other jobs share the machine; the median over the rounds is reported.
    overhead = statistics.median(s["seconds"] / b["seconds"] for s, b in zip(results["serial"], results["bare"],
                                                                            strict=True))
    speedup = statistics.median(s["seconds"] / p["seconds"] for s, p in zip(results["serial1"], results["parallel"],
                                                                           strict=True))
    print(f"overhead_ratio={overhead:.2f} (target <= {OVERHEAD_TARGET})")
    print(f"parallel_speedup={speedup:.2f} (target >= {SPEEDUP_TARGET})")


if __name__ == "__main__":
    main()
