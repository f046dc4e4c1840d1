"""Rebuild the blank master workbook template, reproducibly.

Usage: python workbook_templates/build_templates.py [--check]

Writes ``workbook_templates/master_template.xlsx`` through
:func:`gendan_xl.workbook.template.build_template` (the same writer ``gendan init`` uses). The
build is done twice and the two results must be byte-identical, so the committed file can be
compared with a fresh build (tests/workbook/test_template.py does). ``--check`` only compares
and exits 1 when the committed file is out of date.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from gendan_xl.workbook.template import build_template

HERE = Path(__file__).resolve().parent
TEMPLATES = {"master_template.xlsx": build_template}


def build_bytes(name: str) -> bytes:
    """The bytes of one template, built twice to prove the build is reproducible."""
    builder = TEMPLATES[name]
    with tempfile.TemporaryDirectory() as folder:
        first = builder(Path(folder) / f"first-{name}").read_bytes()
        second = builder(Path(folder) / f"second-{name}").read_bytes()
    if first != second:
        raise SystemExit(f"{name}: two builds differ; the template build is not reproducible")
    return first


def main() -> int:
    """Rebuild (or with --check, compare) every template in this folder."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="compare with the committed files, write nothing")
    args = parser.parse_args()
    stale = []
    for name in TEMPLATES:
        data = build_bytes(name)
        target = HERE / name
        if args.check:
            if not target.exists() or target.read_bytes() != data:
                stale.append(name)
            continue
        target.write_bytes(data)
        print(f"wrote {target} ({len(data):,} bytes)")
    if stale:
        print("out of date (run python workbook_templates/build_templates.py): " + ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
