"""Earlier workbooks as price references (``--archive DIR`` / the 历史订单文件夹 setting)."""

from __future__ import annotations

from pathlib import Path

from gendan_xl.errors import GendanError
from gendan_xl.findings import Finding, Severity, define_rule, make_finding
from gendan_xl.models import Workbook
from gendan_xl.workbook.reader import read_workbook

__all__ = ["load_archive"]

define_rule(
    "archive-unreadable", Severity.WARNING, "prices",
    title=("历史总表无法读取", "Archive workbook unreadable"),
    message=("历史总表 {file} 无法读取，价格比对未包含它：{reason}", "archive workbook {file} was skipped: {reason_en}"),
    rule="A workbook in the archive folder could not be read; its prices are not used as references.",
    example="archive workbook 2024_orders.xlsx was skipped: the workbook is password-protected",
)
define_rule(
    "archive-missing", Severity.WARNING, "prices",
    title=("历史总表文件夹不存在", "Archive folder missing"),
    message=("历史总表文件夹 {folder} 不存在", "archive folder {folder} does not exist"),
    rule="The archive folder given by --archive or the 历史订单文件夹 setting does not exist.",
    example="archive folder D:/跟单/2024 does not exist",
)

_SUFFIXES = (".xlsx", ".xlsm")


def load_archive(folder: Path, *, exclude: Path | None = None) -> tuple[list[tuple[str, Workbook]], list[Finding]]:
    """Read every workbook in ``folder`` (not recursive, skipping Excel's ~$ owner files and ``exclude``)."""
    if not folder.is_dir():
        return [], [make_finding("archive-missing", folder=str(folder))]
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
    return books, findings
