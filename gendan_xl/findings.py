"""Findings: every problem gendan_xl sees in a workbook, as data.

A :class:`Finding` has a stable kebab-case ``code``, a :class:`Severity`, a bilingual message,
the sheet and cell it is about (``订单明细!I17``), the order and line it belongs to and the
figures behind it. Codes are declared once as :class:`Rule` records (with the rule in words and
an example), so ``docs/checks.md`` is generated from the same registry the code uses. Each rule
belongs to a :class:`Family`, declared once with :func:`define_family`, which says which status
column its findings explain and where it stands in the merchandiser's workflow; a new check
module declares its family and rules and nothing else in the package needs to know.

:func:`status_text` and :func:`worst_severity` are the one place where findings become the
text and the colour of a status cell.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict

from gendan_xl.fastmodel import typed_constructor

__all__ = [
    "FAMILIES",
    "OK_STATUS",
    "RULES",
    "Family",
    "FigureValue",
    "Finding",
    "Rule",
    "Severity",
    "define_family",
    "define_rule",
    "format_address",
    "make_finding",
    "rule_of",
    "status_text",
    "worst_severity",
]

FigureValue = str | int | float | Decimal | date | bool | None


class Severity(StrEnum):
    """How bad a finding is: errors must be fixed, warnings looked at, info is for the record."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for errors, 1 for warnings, 2 for info: sort key, most severe first."""
        return _RANK[self]

    @property
    def zh(self) -> str:
        """The Chinese word merchandisers use for this severity."""
        return _ZH[self]


_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
_ZH = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}


class Family(str):
    """A rule family (``prices`` 价格, ``delivery`` 交期 …): where its findings show and when they come up.

    A family *is* its key (``rule.family == "prices"`` holds), so it serialises and compares as text.
    ``stage`` is its place in the merchandiser's workflow: among equally urgent next actions, the
    one of the earlier stage comes first. ``status_column`` is the key of the status column whose
    cell its findings explain (text, colour and note; see the schema's ``StatusColumn``), or None
    for findings that go to no status cell (reading problems, settings).
    """

    zh: str
    en: str
    stage: int
    status_column: str | None

    def __new__(cls, key: str, zh: str, en: str, *, stage: int, status_column: str | None = None) -> Family:
        family = super().__new__(cls, key)
        family.zh, family.en, family.stage, family.status_column = zh, en, stage, status_column
        return family

    @property
    def key(self) -> str:
        """The family's key as a plain string."""
        return str.__str__(self)

    def __reduce__(self) -> tuple[Any, ...]:
        # Findings cross process boundaries (document workers, the team check): unpickle to the registered family.
        return (_family_named, (self.key,))


FAMILIES: dict[str, Family] = {}
_LAST_STAGE = 1000


def define_family(key: str, zh: str, en: str, *, stage: int = _LAST_STAGE, status_column: str | None = None) -> Family:
    """Register a rule family, once, in the module that defines its rules."""
    if key in FAMILIES:
        raise ValueError(f"rule family {key!r} is defined twice")
    family = FAMILIES[key] = Family(key, zh, en, stage=stage, status_column=status_column)
    return family


def _family_named(key: str) -> Family:
    return FAMILIES[key]


# The two families the package itself raises outside any check: reading a workbook and its settings.
READ = define_family("read", "读取", "Reading")
SETTINGS = define_family("settings", "设置", "Settings")


@dataclass(frozen=True, slots=True)
class Rule:
    """One finding code: its severity, family, the rule in words and bilingual message templates.

    Templates use ``str.format`` fields filled from the finding's figures; ``example`` shows a
    typical message for the docs. ``action`` (Chinese, English) names the step to take when
    the finding has a due date: the order's next action is chosen among these. ``at_risk``
    marks a finding that puts the order's delivery at risk (a step near or past its deadline,
    the factory later than the customer): the delivery status shows 有风险 At risk. ``source``
    names the regulation or trade practice a rule is taken from, and ``as_of`` the day that
    source was last checked (both shown in ``docs/checks.md``).
    """

    code: str
    severity: Severity
    family: Family
    title_zh: str
    title_en: str
    template_zh: str
    template_en: str
    rule_text: str
    example: str = ""
    action: tuple[str, str] | None = None
    at_risk: bool = False
    source: str = ""
    as_of: date | None = None


RULES: dict[str, Rule] = {}

_CODE_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


def define_rule(
    code: str,
    severity: Severity,
    family: Family | str,
    *,
    title: tuple[str, str],
    message: tuple[str, str],
    rule: str,
    example: str = "",
    action: tuple[str, str] | None = None,
    at_risk: bool = False,
    source: str = "",
    as_of: date | None = None,
) -> Rule:
    """Register a finding code; each code is defined exactly once, in the module that raises it.

    ``family`` is a :class:`Family` or the key of one already defined. A rule taken from a
    regulation or from trade practice names it in ``source`` with the day it was checked, ``as_of``.
    """
    if bool(source) != (as_of is not None):
        raise ValueError(f"finding code {code!r}: give a source together with its as-of date")
    if not _CODE_RE.match(code):
        raise ValueError(f"finding code {code!r} is not kebab-case")
    if code in RULES:
        raise ValueError(f"finding code {code!r} is defined twice")
    if family not in FAMILIES:
        raise ValueError(f"finding code {code!r}: rule family {family!r} is not defined (define_family)")
    registered = Rule(code, severity, FAMILIES[family], title[0], title[1], message[0], message[1], rule, example,
                      action, at_risk, source, as_of)
    RULES[code] = registered
    return registered


def rule_of(finding: Finding) -> Rule:
    """The registered rule of a finding."""
    return RULES[finding.code]


class Finding(BaseModel):
    """One problem, with where it is and the figures behind it."""

    model_config = ConfigDict(frozen=True)

    code: str
    severity: Severity
    message_zh: str
    message_en: str
    sheet: str | None = None
    cell: str | None = None
    order_no: str | None = None
    row: int | None = None
    due: date | None = None
    data: dict[str, FigureValue] = {}

    @property
    def address(self) -> str:
        """``订单明细!I17`` (sheet name quoted as Excel does when it needs quotes)."""
        return format_address(self.sheet, self.cell)

    @property
    def message(self) -> str:
        """Chinese and English message on one line."""
        return f"{self.message_zh} / {self.message_en}"


_PLAIN_SHEET = re.compile(r"^[\w\u4e00-\u9fff]+$")


def format_address(sheet: str | None, cell: str | None) -> str:
    """Join a sheet name and a cell reference the way Excel writes it in formulas."""
    if sheet is None:
        return cell or ""
    name = sheet if _PLAIN_SHEET.match(sheet) else "'" + sheet.replace("'", "''") + "'"
    return f"{name}!{cell}" if cell else name


class _Figures(dict[str, Any]):
    """Format mapping that leaves unknown fields visible instead of raising."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


_MONEY = {"amount", "expected", "difference", "total", "paid", "balance", "received", "shipped", "voucher", "delta",
          "short", "required", "limit", "tolerance"}
_PRICES = {"price", "unit_price", "reference"}


def _display(key: str, value: Any) -> Any:
    """How a figure is shown in a message: money with cents and thousands separators, prices with ≥ 2 decimals."""
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        if key in _MONEY:
            return f"{value:,.2f}"
        if key in _PRICES:
            exponent = value.normalize().as_tuple().exponent
            places = max(2, -exponent) if isinstance(exponent, int) else 2
            return f"{value:,.{places}f}"
        normal = value.normalize()
        return f"{normal:,f}" if normal == normal.to_integral() else f"{value:,f}"
    return value


def make_finding(
    code: str,
    *,
    sheet: str | None = None,
    cell: str | None = None,
    order_no: str | None = None,
    row: int | None = None,
    due: date | None = None,
    severity: Severity | None = None,
    **figures: FigureValue,
) -> Finding:
    """Build a finding for a registered ``code``, filling its message templates from ``figures``."""
    rule = RULES[code]
    shown: Mapping[str, Any] = _Figures(
        {k: _display(k, v) for k, v in figures.items()},
        order_no=order_no or "—",
        due=due.isoformat() if due else "—",
        address=format_address(sheet, cell),
    )
    return _construct({
        "code": code,
        "severity": severity or rule.severity,
        "message_zh": rule.template_zh.format_map(shown),
        "message_en": rule.template_en.format_map(shown),
        "sheet": sheet,
        "cell": cell,
        "order_no": order_no,
        "row": row,
        "due": due,
        "data": figures,
    })


# Every field above is typed by make_finding's signature; a workbook can yield tens of thousands.
_construct = typed_constructor(Finding)

OK_STATUS = "正常 OK"


def worst_severity(findings: Iterable[Finding], *, counting_info: bool = False) -> Severity | None:
    """The most severe of ``findings`` (None when there are none); info counts only when asked."""
    return min((f.severity for f in findings if counting_info or f.severity is not Severity.INFO),
               key=lambda s: s.rank, default=None)


def status_text(findings: Iterable[Finding]) -> str:
    """A status cell's text: ``正常 OK``, or the title of the worst finding and how many more (info not counted)."""
    shown = [f for f in findings if f.severity is not Severity.INFO]
    if not shown:
        return OK_STATUS
    top = RULES[min(shown, key=lambda f: f.severity.rank).code]
    more = f" +{len(shown) - 1}" if len(shown) > 1 else ""
    return f"{top.title_zh} {top.title_en}{more}"
