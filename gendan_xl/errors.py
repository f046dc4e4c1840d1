"""The exceptions gendan_xl raises when a run cannot go on.

Problems *in the data* are never exceptions: they are :class:`~gendan_xl.findings.Finding`
records collected in one pass. An exception means the whole run stops, and the CLI turns it
into exit code 2 with a readable message (``--debug`` shows the traceback).

Every message is bilingual (Chinese first, then English) because merchandisers read both.

The tree::

    GendanError
    ├── WorkbookError                 the file itself cannot be used
    │   ├── WorkbookNotFoundError     no such file
    │   ├── NotAWorkbookError         not .xlsx/.xlsm (a .xls, .csv, .docx, random bytes …)
    │   ├── EncryptedWorkbookError    password-protected (an OLE container, not a zip)
    │   ├── CorruptWorkbookError      a damaged zip or unreadable XML
    │   └── UnsafeWorkbookError       zip bomb, XML entities/DTD
    ├── SchemaError                   required sheets or columns missing (lists all of them)
    │   └── MappingError              required columns found, but not with confidence: run gendan map
    ├── WorkbookLockedError           open in Excel (~$ owner file), read-only, or locked by another run
    ├── WriteError                    write-back failed; the original file is unchanged
    ├── TemplateError                 a Word template is broken or needs a variable the data lacks
    ├── DocumentCheckError            documents disagree (单单一致); rendering refused
    └── ConfigError                   a command-line option or setting cannot be used
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "ConfigError",
    "CorruptWorkbookError",
    "DocumentCheckError",
    "EncryptedWorkbookError",
    "GendanError",
    "MappingError",
    "NotAWorkbookError",
    "SchemaError",
    "TemplateError",
    "UnsafeWorkbookError",
    "WorkbookError",
    "WorkbookLockedError",
    "WorkbookNotFoundError",
    "WriteError",
]


class GendanError(Exception):
    """Base of every gendan_xl exception; ``str()`` is the bilingual message for the user."""

    def __init__(self, message_zh: str, message_en: str, *, path: Path | str | None = None) -> None:
        self.message_zh = message_zh
        self.message_en = message_en
        self.path = Path(path) if path is not None else None
        super().__init__(f"{message_zh}\n{message_en}")


class WorkbookError(GendanError):
    """The file cannot be read as a workbook at all."""


class WorkbookNotFoundError(WorkbookError):
    """The path does not exist or is not a file."""


class NotAWorkbookError(WorkbookError):
    """The file exists but is not an Excel 2007+ workbook (.xlsx / .xlsm)."""


class EncryptedWorkbookError(WorkbookError):
    """The workbook is protected with a password to open."""


class CorruptWorkbookError(WorkbookError):
    """The zip container or the XML inside it is damaged."""


class UnsafeWorkbookError(WorkbookError):
    """The file looks like an attack: a zip bomb, or XML with a DTD / entities."""


class SchemaError(GendanError):
    """Required sheets or columns are missing; ``problems`` lists every one of them."""

    def __init__(
        self,
        message_zh: str,
        message_en: str,
        *,
        path: Path | str | None = None,
        problems: list[str] | None = None,
    ) -> None:
        self.problems = problems or []
        super().__init__(message_zh, message_en, path=path)


class MappingError(SchemaError):
    """The workbook's columns could not be matched to ours with confidence; ``problems`` lists the doubtful ones.

    Nothing is read: ``gendan map`` shows the proposal, and a saved mapping (``--save``) settles it.
    """


class WorkbookLockedError(GendanError):
    """The workbook may not be written now: open in Excel, read-only, or another run holds it."""


class WriteError(GendanError):
    """Writing back failed; the original workbook was left as it was."""


class TemplateError(GendanError):
    """A document template cannot be used."""


class DocumentCheckError(GendanError):
    """The documents of one order would show different figures; ``differences`` lists them."""

    def __init__(
        self,
        message_zh: str,
        message_en: str,
        *,
        path: Path | str | None = None,
        differences: list[str] | None = None,
    ) -> None:
        self.differences = differences or []
        super().__init__(message_zh, message_en, path=path)


class ConfigError(GendanError):
    """An option or setting has a value that cannot be used."""
