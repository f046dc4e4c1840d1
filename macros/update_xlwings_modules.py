"""Regenerate macros/xlwings.bas and macros/Dictionary.cls from the installed xlwings.

Run after changing the pinned xlwings version (needs the dev extras, for oletools):

    python macros/update_xlwings_modules.py
"""

from __future__ import annotations

import sys
from pathlib import Path

MACROS_DIR = Path(__file__).resolve().parent
# Run as a plain script the repository root is not on sys.path; the package need not be installed.
if str(MACROS_DIR.parent) not in sys.path:
    sys.path.insert(0, str(MACROS_DIR.parent))

from gendan_xl.excel.xlwings_vba import (  # noqa: E402
    extract_standalone_modules,
    installed_xlwings_version,
    pinned_xlwings_version_in_module,
    write_module_files,
)


def main() -> int:
    """Extract the standalone modules, check their version and write them next to this script."""
    modules = extract_standalone_modules()
    module_version = pinned_xlwings_version_in_module(modules[0].source)
    installed = installed_xlwings_version()
    if module_version != installed:
        print(f"xlwings {installed} is installed but its standalone module says {module_version}")
        return 1
    for path in write_module_files(modules, MACROS_DIR):
        print(f"wrote {path} (xlwings {module_version})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
