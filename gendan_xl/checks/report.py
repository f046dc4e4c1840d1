"""The report of a check run: every finding, and per order its statuses and next action.

The per-order summary is what the write-back puts into the status columns: price check, amount
check, delivery status, the next action with its deadline and the day of the check.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

from gendan_xl.findings import RULES, Finding, Severity

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["DeliveryState", "OrderSummary", "Report"]


class DeliveryState(StrEnum):
    """Where an order stands against its delivery date (交期状态)."""

    ON_TIME = "on_time"
    AT_RISK = "at_risk"
    LATE = "late"
    SHIPPED = "shipped"
    CANCELLED = "cancelled"
    ON_HOLD = "on_hold"
    NO_DATE = "no_date"

    @property
    def label(self) -> str:
        """Bilingual label for the status column."""
        return _STATE_LABELS[self]


_STATE_LABELS = {
    DeliveryState.ON_TIME: "正常 On time",
    DeliveryState.AT_RISK: "有风险 At risk",
    DeliveryState.LATE: "已延误 Late",
    DeliveryState.SHIPPED: "已出运 Shipped",
    DeliveryState.CANCELLED: "已取消 Cancelled",
    DeliveryState.ON_HOLD: "暂停 On hold",
    DeliveryState.NO_DATE: "无交期 No date",
}


class OrderSummary(BaseModel):
    """One order's statuses after a check run."""

    model_config = ConfigDict(frozen=True)

    order_no: str
    row: int
    price_check: str
    amount_check: str
    delivery: DeliveryState
    next_action_zh: str = ""
    next_action_en: str = ""
    next_due: date | None = None
    cartons: int = 0
    cbm: str = ""
    gross_kg: str = ""
    container: str = ""
    worst: Severity | None = None

    @property
    def next_action(self) -> str:
        """Next action in both languages, with its deadline."""
        if not self.next_action_zh:
            return ""
        due = f"（{self.next_due.isoformat()} 前）" if self.next_due else ""
        return f"{self.next_action_zh}{due} / {self.next_action_en}"


class Report(BaseModel):
    """The result of :func:`gendan_xl.checks.run_checks`."""

    today: date
    path: Path | None = None
    findings: list[Finding] = []
    orders: list[OrderSummary] = []
    checks: list[str] = []

    def count(self, severity: Severity) -> int:
        """How many findings of a severity."""
        return sum(1 for f in self.findings if f.severity is severity)

    @property
    def has_errors(self) -> bool:
        """True when any finding is an error."""
        return any(f.severity is Severity.ERROR for f in self.findings)

    @property
    def exit_code(self) -> int:
        """0 without errors, 1 with errors (the CLI's exit code)."""
        return int(self.has_errors)

    def by_order(self) -> dict[str | None, list[Finding]]:
        """Findings grouped by order number (None for findings about no order), errors first."""
        grouped: dict[str | None, list[Finding]] = defaultdict(list)
        for finding in sorted(self.findings, key=_sort_key):
            grouped[finding.order_no].append(finding)
        return dict(grouped)

    def to_frame(self) -> pd.DataFrame:
        """The findings as a pandas DataFrame, one row per finding."""
        import pandas as pd

        columns = ["severity", "code", "family", "order_no", "address", "sheet", "cell", "row", "due",
                   "message_zh", "message_en", "data"]
        rows = [{
            "severity": f.severity.value, "code": f.code, "family": RULES[f.code].family if f.code in RULES else "",
            "order_no": f.order_no, "address": f.address, "sheet": f.sheet, "cell": f.cell, "row": f.row,
            "due": pd.Timestamp(f.due) if f.due else pd.NaT, "message_zh": f.message_zh, "message_en": f.message_en,
            "data": {k: _jsonable(v) for k, v in f.data.items()},
        } for f in sorted(self.findings, key=_sort_key)]
        return pd.DataFrame(rows, columns=columns)

    def orders_frame(self) -> pd.DataFrame:
        """The per-order summary as a DataFrame (one row per order)."""
        import pandas as pd

        return pd.DataFrame([o.model_dump(mode="json") | {"next_action": o.next_action} for o in self.orders])

    def to_json(self, *, indent: int | None = 2) -> str:
        """The whole report as JSON (dates ISO, money as strings)."""
        payload: dict[str, Any] = {
            "today": self.today.isoformat(),
            "path": str(self.path) if self.path else None,
            "summary": {s.value: self.count(s) for s in Severity},
            "checks": self.checks,
            "findings": [f.model_dump(mode="json") | {"address": f.address} for f in sorted(self.findings, key=_sort_key)],
            "orders": [o.model_dump(mode="json") | {"next_action": o.next_action} for o in self.orders],
        }
        return json.dumps(payload, ensure_ascii=False, indent=indent)


def _sort_key(finding: Finding) -> tuple[int, str, int, str]:
    return finding.severity.rank, finding.order_no or "", finding.row or 0, finding.code


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (int, float, str, bool)) or value is None:
        return value
    return str(value)
