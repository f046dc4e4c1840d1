"""What the workbook does not keep: one note per sheet or data the checks need and cannot find.

A tracker of the user's own often has no shipments, payments, customers or factories sheet, or no
carton data. The checks that need them are then skipped (not reported as overdue or missing on
every order), and this module says so once each, with what to add. A sheet that exists but is
still empty (the template's) counts as kept: its rows are simply not filled in yet.
"""

from __future__ import annotations

from collections.abc import Iterator

from gendan_xl.checks.base import CheckContext, check
from gendan_xl.findings import Finding, Severity, define_family, define_rule, make_finding
from gendan_xl.models import Workbook

__all__ = ["CARTON_FIELDS", "keeps", "keeps_carton_data"]

COVERAGE = define_family("coverage", "未跟踪的数据", "Data not kept", stage=5)

define_rule(
    "checks-skipped", Severity.INFO, "coverage",
    title=("部分检查未做", "Checks skipped"),
    message=("{what_zh}：{skipped_zh}。如需检查：{add_zh}", "{what_en}: {skipped_en}. To have it checked: {add_en}"),
    rule="The workbook has no shipments, payments, customers, factories, samples, complaints or change-log sheet, or "
         "no carton data on its lines: "
         "the checks that need them are skipped instead of reporting every order, and this note says what to add "
         "(`gendan map PATH --add-sheets shipments,payments …` adds our sheets with the template's headers).",
    example="no shipments sheet: booking, inspection and certificate-of-origin deadlines and the B/L release are "
            "not checked. To have it checked: gendan map PATH --add-sheets shipments",
)

CARTON_FIELDS = ("pcs_per_carton", "carton_l", "gw_per_carton")

_SHEETS = {
    "shipments": (("没有出运表", "no shipments sheet"),
                  ("不检查订舱、商检、产地证期限和放单", "booking, inspection and certificate-of-origin deadlines and the "
                                                    "B/L release are not checked")),
    "payments": (("没有收款表", "no payments sheet"),
                 ("订金按订单上的订金列判断，不检查尾款是否逾期", "deposits are taken from the order's deposit columns and "
                                                     "overdue balances are not checked")),
    "customers": (("没有客户表", "no customers sheet"),
                  ("不核对订单上的客户，单证没有买方全称、地址、唛头", "the orders' customers are not verified and documents "
                                                        "lack the buyer's full name, address and marks")),
    "factories": (("没有工厂表", "no factories sheet"),
                  ("不核对订单上的工厂，采购合同没有工厂全称、地址、税号", "the orders' factories are not verified and purchase "
                                                        "contracts lack the factory's details")),
    "samples": (("没有样品表", "no samples sheet"),
                ("不跟踪寄出的样品和客户意见，产前样只看订单上的产前样确认日", "samples sent and the customer's verdicts are not "
                                                        "followed; the PP sample is judged by the order's approval date")),
    "complaints": (("没有客诉表", "no complaints sheet"),
                   ("不跟踪客诉，没有工厂质量统计", "complaints are not followed and there are no factory quality "
                                         "statistics")),
    "changes": (("没有改单记录表", "no change log"),
                ("改单只提示不记录，不检查改单确认、采购合同重签和取消后的遗留", "changes are reported but not recorded; "
                 "confirmations, revised purchase contracts and what a cancellation leaves open are not checked")),
}


def keeps(workbook: Workbook, sheet_key: str) -> bool:
    """True when the workbook has the sheet (even empty): checks needing its data may run."""
    return sheet_key in workbook.sheets or "orders" not in workbook.sheets


def keeps_carton_data(workbook: Workbook) -> bool:
    """True when the lines have columns for the carton data (pcs/carton, a carton size, G.W.)."""
    lines = workbook.sheets.get("lines")
    return lines is None or any(f in lines.columns for f in CARTON_FIELDS)


@check("coverage")
def check_coverage(ctx: CheckContext) -> Iterator[Finding]:
    """One note for each sheet or kind of data the workbook does not keep, with what to add."""
    workbook = ctx.workbook
    if "orders" not in workbook.sheets:
        return
    for key, ((what_zh, what_en), (skipped_zh, skipped_en)) in _SHEETS.items():
        if not keeps(workbook, key):
            yield make_finding("checks-skipped", what_zh=what_zh, what_en=what_en, skipped_zh=skipped_zh,
                               skipped_en=skipped_en, add_zh=f"gendan map 总表 --add-sheets {key}",
                               add_en=f"gendan map PATH --add-sheets {key}", missing=key)
    if not keeps_carton_data(workbook):
        yield make_finding("checks-skipped", what_zh="明细没有装箱资料列", what_en="no carton data on the lines",
                           skipped_zh="不算箱数、体积、柜型，不提醒订舱前要装箱资料",
                           skipped_en="cartons, volume and container are not computed and no reminder asks for them "
                                      "before booking",
                           add_zh="在明细加 装箱量、外箱尺寸、每箱毛重 列（或用 gendan map 对应已有列）",
                           add_en="add Pcs/Carton, Carton Size and G.W./Carton columns to the lines (or map yours with "
                                  "gendan map)", missing="carton_data")
