"""Earlier workbooks as price references (``--archive DIR`` / the 历史订单文件夹 setting).

Reading them is file work, so it happens here; the price check gets them already read, as a
:class:`~gendan_xl.checks.base.Archive`.
"""

from __future__ import annotations

from pathlib import Path

from gendan_xl.checks.base import Archive
from gendan_xl.checks.prices import PRICES
from gendan_xl.errors import GendanError
from gendan_xl.findings import Finding, Severity, define_rule, make_finding
from gendan_xl.models import Workbook
from gendan_xl.workbook.reader import read_workbook

__all__ = ["archive_folder", "load_archive"]

define_rule(
    "archive-unreadable", Severity.WARNING, PRICES,
    title=("历史总表无法读取", "Archive workbook unreadable"),
    message=("历史总表 {file} 无法读取，价格比对未包含它：{reason}", "archive workbook {file} was skipped: {reason_en}"),
    rule="A workbook in the archive folder could not be read; its prices are not used as references.",
    example="archive workbook 2024_orders.xlsx was skipped: the workbook is password-protected",
)
define_rule(
    "archive-missing", Severity.WARNING, PRICES,
    title=("历史总表文件夹不存在", "Archive folder missing"),
    message=("历史总表文件夹 {folder} 不存在", "archive folder {folder} does not exist"),
    rule="The archive folder given by --archive or the 历史订单文件夹 setting does not exist.",
    example="archive folder D:/跟单/2024 does not exist",
)

_SUFFIXES = (".xlsx", ".xlsm")


def archive_folder(workbook: Workbook, archive: Path | str | None) -> Path | None:
    """The archive folder: the one given (``--archive``), else the workbook's 历史订单文件夹 setting, else none."""
    if archive:
        return Path(archive)
    return Path(workbook.settings.archive_dir) if workbook.settings.archive_dir else None


def load_archive(folder: Path | None, *, exclude: Path | None = None) -> Archive:
    """Read every workbook in ``folder`` (not recursive, skipping Excel's ~$ owner files and ``exclude``)."""
    if folder is None:
        return Archive()
    if not folder.is_dir():
        return Archive(findings=(make_finding("archive-missing", folder=str(folder)),))
    books: list[tuple[str, Workbook]] = []
    findings: list[Finding] = []
    skip = exclude.resolve() if exclude else None
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in _SUFFIXES or path.name.startswith("~$") or path.resolve() == skip:
            continue
        try:
            books.append((path.name, read_workbook(path)))
        except GendanError as exc:
            findings.append(make_finding("archive-unreadable", file=path.name, reason=exc.message_zh,
                                         reason_en=exc.message_en))
    return Archive(tuple(books), tuple(findings))
