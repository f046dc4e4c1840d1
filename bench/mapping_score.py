"""The mapping score per tracker fixture: required fields mapped with no edits, optional fields right.

Usage: python bench/mapping_score.py

Builds every tracker of tests/trackers.py (Chinese one-sheet trackers with merged, repeated and
first-row-only order cells, English ERP exports, monthly sheets, bilingual two-row headers, headers
with units, extra columns whose headers contain aliases, Korean/Japanese/English headers, a tracker
keyed by contract no., per-customer sheets), runs ``gendan_xl.map_workbook`` on each, and prints
per fixture whether every required field is right, the share of optional fields right (columns
that must stay unclaimed count as wrong when taken) and the mistakes. Targets: required all right,
optional ≥ 95 %.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gendan_xl import map_workbook
from gendan_xl.workbook.mapstore import required_keys
from tests.trackers import TRACKERS, score


def main() -> None:
    """Map every fixture and print its score."""
    failed = False
    with tempfile.TemporaryDirectory() as folder:
        print(f"{'tracker':18s} {'layout':8s} {'sheets':28s} {'key':12s} {'required':9s} {'optional':9s} fields")
        for tracker in TRACKERS:
            path = tracker.write(Path(folder))
            report = map_workbook(path)
            table = next(t for t in report.tables if t.role == tracker.role)
            chosen = {f.key: f.header for f in table.fields if f.header}
            required_ok, share, mistakes = score(tracker, chosen, required_keys(tracker.role, tracker.key or "order_no"))
            failed |= not required_ok or share < 0.95
            print(f"{tracker.name:18s} {report.layout:8s} {', '.join(table.sheets)[:28]:28s} {table.order_key or '':12s} "
                  f"{'all right' if required_ok else 'WRONG':9s} {share:8.0%}  {len(tracker.expected)} mapped, "
                  f"{len(tracker.unclaimed)} kept unclaimed")
            for mistake in mistakes:
                print(f"    {mistake}")
    raise SystemExit(1 if failed else 0)


if __name__ == "__main__":
    main()
