"""The .xlsx/.xlsm file format, written losslessly: a library that knows nothing of orders.

What it promises:

* **Untouched parts keep their bytes.** A write rewrites only the worksheets it touches (and
  inside them only the touched rows and cells), ``xl/styles.xml`` when a new format is needed,
  the touched sheets' notes (comments and VML) and relationships, ``[Content_Types].xml`` for a
  new part, and ``xl/workbook.xml`` for a new sheet or the recalculation flag. Every other zip
  member is copied raw: same compressed bytes, date, attributes and order. Charts, images, VBA,
  form buttons, data validation, conditional formats, sparklines and formulas survive because
  they are never parsed into objects and written back.
* **Atomic save with a backup.** :func:`safe_save` writes a temporary file beside the target,
  re-opens and verifies it, keeps rotating backups and renames it over the original; a failure
  at any step leaves the original byte-identical.
* **The lock.** A workbook whose Excel owner file (``~$name.xlsx``) exists is refused
  (:class:`~gendan_xl.errors.WorkbookLockedError`) unless the caller forces it.
* **What it refuses** (``WriteError`` naming the cell; nothing is written): a formula cell
  (shared-formula members included), a cell of an array formula or data table, a merged cell other
  than the top-left, an Excel table's header cell, a cell holding an in-cell picture; and, on
  reading, encrypted, damaged and zip-bomb packages (:func:`inspect_workbook`).

The names below are what the rest of gendan_xl uses; the modules hold the machinery.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gendan_xl.ooxml.buttons import ButtonShape
    from gendan_xl.ooxml.cells import (
        DEFAULT_DATE_FORMAT,
        DEFAULT_DATETIME_FORMAT,
        CellValue,
        CellWrite,
        ListValidation,
        NewSheet,
        SheetPatch,
        SkippedNote,
    )
    from gendan_xl.ooxml.package import Package
    from gendan_xl.ooxml.patch import PatchResult, apply_patches, patch_workbook, verify_parts
    from gendan_xl.ooxml.safety import PackageInfo, find_error_cells, inspect_workbook
    from gendan_xl.ooxml.saving import check_writable, safe_save
    from gendan_xl.ooxml.styles import GENDAN_PALETTE
    from gendan_xl.ooxml.vbaproject import enable_macros

# Reading a workbook needs only the safety inspection; the writer's modules load on first use, so a
# read-only run (and an Excel button, a new Python per click) does not pay for them.
_HOME = {
    "ButtonShape": "buttons", "DEFAULT_DATE_FORMAT": "cells", "DEFAULT_DATETIME_FORMAT": "cells",
    "CellValue": "cells", "CellWrite": "cells", "ListValidation": "cells", "NewSheet": "cells", "SheetPatch": "cells", "SkippedNote": "cells",
    "Package": "package", "PatchResult": "patch", "apply_patches": "patch", "patch_workbook": "patch",
    "verify_parts": "patch", "check_writable": "saving", "safe_save": "saving", "PackageInfo": "safety",
    "find_error_cells": "safety", "inspect_workbook": "safety", "GENDAN_PALETTE": "styles",
    "enable_macros": "vbaproject",
}


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_HOME[name]}"), name)
    globals()[name] = value
    return value


__all__ = [
    "DEFAULT_DATETIME_FORMAT",
    "DEFAULT_DATE_FORMAT",
    "GENDAN_PALETTE",
    "ButtonShape",
    "CellValue",
    "CellWrite",
    "ListValidation",
    "NewSheet",
    "Package",
    "PackageInfo",
    "PatchResult",
    "SheetPatch",
    "SkippedNote",
    "apply_patches",
    "check_writable",
    "enable_macros",
    "find_error_cells",
    "inspect_workbook",
    "patch_workbook",
    "safe_save",
    "verify_parts",
]
