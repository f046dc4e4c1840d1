"""gendan_xl — the export merchandiser's master order workbook (跟单总表), read, checked, written back.

The notebook API: read a workbook into validated models, check it, write statuses back,
render documents. The CLI (``gendan``) and the Excel buttons call these same functions.
"""

import importlib
from typing import TYPE_CHECKING, Any

from gendan_xl.errors import (
    ConfigError,
    CorruptWorkbookError,
    DocumentCheckError,
    EncryptedWorkbookError,
    GendanError,
    MappingError,
    NotAWorkbookError,
    SchemaError,
    TemplateError,
    UnsafeWorkbookError,
    WorkbookError,
    WorkbookLockedError,
    WorkbookNotFoundError,
    WriteError,
)
from gendan_xl.findings import Finding, Severity

# The one place the version is written: pyproject.toml reads it (setuptools' dynamic version),
# ``gendan --version`` prints it; CHANGELOG.md has a section for it (a test checks all three).
__version__ = "0.1.0"

if TYPE_CHECKING:
    from gendan_xl.models import Workbook
    from gendan_xl.pipeline import (
        DemoRun,
        LiveCheck,
        add_sheets,
        check_live,
        check_workbook,
        configure_excel,
        create_workbook,
        documents_live,
        make_documents,
        map_workbook,
        plan_live,
        plan_workbook,
        prepare_workbook,
        read_live_workbook,
        read_workbook,
        run_demo,
        save_mapping,
        setup_excel,
    )

# The pipeline pulls in the reader, the checks, planning and the writer. An Excel button starts a
# fresh Python per click and imports only what it uses (gendan_xl.xl), so these load on first use.
_PIPELINE = ("DemoRun", "LiveCheck", "add_sheets", "check_live", "check_workbook", "configure_excel",
             "create_workbook", "documents_live", "make_documents", "map_workbook", "plan_live", "plan_workbook",
             "prepare_workbook", "read_live_workbook", "read_workbook", "run_demo", "save_mapping", "setup_excel")
_LAZY = {"Workbook": "gendan_xl.models", **dict.fromkeys(_PIPELINE, "gendan_xl.pipeline")}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name]), name)
    globals()[name] = value
    return value


__all__ = [
    "ConfigError",
    "CorruptWorkbookError",
    "DemoRun",
    "DocumentCheckError",
    "EncryptedWorkbookError",
    "Finding",
    "GendanError",
    "LiveCheck",
    "MappingError",
    "NotAWorkbookError",
    "SchemaError",
    "Severity",
    "TemplateError",
    "UnsafeWorkbookError",
    "Workbook",
    "WorkbookError",
    "WorkbookLockedError",
    "WorkbookNotFoundError",
    "WriteError",
    "__version__",
    "add_sheets",
    "check_live",
    "check_workbook",
    "configure_excel",
    "create_workbook",
    "documents_live",
    "make_documents",
    "map_workbook",
    "plan_live",
    "plan_workbook",
    "prepare_workbook",
    "read_live_workbook",
    "read_workbook",
    "run_demo",
    "save_mapping",
    "setup_excel",
]
