"""gendan_xl — the export merchandiser's master order workbook (跟单总表), read, checked, written back.

The notebook API: read a workbook into validated models, check it, write statuses back,
render documents. The CLI (``gendan``) and the Excel buttons call these same functions.
"""

from gendan_xl.errors import (
    ConfigError,
    CorruptWorkbookError,
    DocumentCheckError,
    EncryptedWorkbookError,
    GendanError,
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
from gendan_xl.models import Workbook
from gendan_xl.pipeline import create_workbook, read_workbook, run_demo

__version__ = "0.1.0"

__all__ = [
    "ConfigError",
    "CorruptWorkbookError",
    "DocumentCheckError",
    "EncryptedWorkbookError",
    "Finding",
    "GendanError",
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
    "create_workbook",
    "read_workbook",
    "run_demo",
]
