"""Sheets are recognised by their columns, not only their names: price lists, customers, factories, shipments, payments."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import xlsxwriter

from gendan_xl import read_workbook
from gendan_xl.pipeline import map_workbook
from tests.trackers import CN_MERGED, ORDERS, Tracker


def _with_other_sheets(tmp_path: Path) -> Path:
    other = {
        "通讯录": [["客户简称", "公司名称", "国家", "地址", "联系人", "邮箱"],
                 *[[o["customer"], f"{o['customer']} Ltd", o["country"], "1 Harbour Road", "Ms Lee", "a@b.example"]
                   for o in ORDERS]],
        "供货商名录": [["工厂简称", "工厂全称", "地址", "联系人", "税号", "开户行"],
                  *[[o["factory"], f"{o['factory']} 有限公司", "浙江宁波", "王", "91330203MA2H1KX01A", "中国银行"]
                    for o in ORDERS]],
        "船务": [["发票号", "订单号", "订舱号", "货代", "柜型", "柜号", "开船日", "提单号"],
               ["INV-1", "GD2026-001", "NGB123", "中外运", "40HQ", "TGHU1234567", date(2026, 5, 18), "COSU1"]],
        "水单": [["订单号", "到账日期", "到账金额", "币别", "款项类型", "水单号"],
               ["GD2026-001", date(2026, 3, 5), 1215.1, "USD", "订金 Deposit", "TT1"]],
        "报价单2025": [["客户", "货号", "单价", "币种", "日期"], ["HANSA", "KT-1001", 1.1, "USD", date(2025, 10, 1)]],
    }
    tracker = Tracker("roles", CN_MERGED.sheets, other=other)
    return tracker.write(tmp_path)


def test_other_sheets_are_recognised_by_their_columns(tmp_path: Path) -> None:
    path = _with_other_sheets(tmp_path)
    roles = {t.role: t.sheets for t in map_workbook(path).tables}
    assert roles == {"flat": ["2026跟单"], "customers": ["通讯录"], "factories": ["供货商名录"], "shipments": ["船务"],
                     "payments": ["水单"], "price_history": ["报价单2025"]}
    book = read_workbook(path)
    assert [c.code for c in book.customers][:2] == ["HANSA", "BRIGHTON"]
    assert book.shipments[0].bl_no == "COSU1" and book.payments[0].kind == "订金 Deposit"
    assert book.price_history[0].contract_date == date(2025, 10, 1)


def test_hidden_columns_and_autofilters_change_nothing(tmp_path: Path) -> None:
    plain = read_workbook(CN_MERGED.write(tmp_path))
    path = tmp_path / "hidden.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("2026跟单")
    for r, row in enumerate([["订单号", "客户", "秘密备注", "货号", "数量", "单价", "客人交期"],
                             ["GD-1", "HANSA", "x", "KT-1", 10, 1.5, date(2026, 5, 1)]]):
        for c, value in enumerate(row):
            if isinstance(value, date):
                sheet.write_datetime(r, c, value, book.add_format({"num_format": "yyyy-mm-dd"}))
            else:
                sheet.write(r, c, value)
    sheet.set_column(2, 2, None, None, {"hidden": True})
    sheet.autofilter(0, 0, 1, 6)
    sheet.filter_column(1, "x == HANSA")
    book.close()
    hidden = read_workbook(path)
    assert [(o.order_no, o.customer, o.delivery_date) for o in hidden.orders] == [("GD-1", "HANSA", date(2026, 5, 1))]
    assert len(plain.orders) == 4


def test_a_copy_beside_our_own_sheet_is_not_read_twice(make_xlsx: object, tmp_path: Path) -> None:
    from tests.builders import LINES_HEADER, minimal_sheets, write_xlsx

    sheets = minimal_sheets()
    sheets["订单明细 (2)"] = [LINES_HEADER, ["GD-001", "KT-1001", 100, 1.15]]
    book = read_workbook(write_xlsx(tmp_path / "copy.xlsx", sheets))
    assert len(book.lines) == 1 and book.sheets["lines"].name == "订单明细"
    assert "订单明细 (2)" in map_workbook(tmp_path / "copy.xlsx").unused


def test_samples_complaints_and_change_logs_are_recognised_by_their_columns(tmp_path: Path) -> None:
    other = {
        "寄样跟踪": [["编号", "单号", "货号", "类型", "寄样日期", "快递", "运单号", "结果", "确认日期", "修改意见"],
                 ["SP-1", "GD2026-001", "KT-1001", "PP sample", date(2026, 3, 20), "DHL", "1234567890", "OK",
                  date(2026, 3, 26), ""]],
        "Claims 2026": [["Order No.", "Claim Date", "Issue Type", "Problem", "Supplier", "Solution", "Claim",
                         "Ccy", "Compensation", "Closed Date"],
                        ["GD2026-002", date(2026, 7, 1), "shortage", "2 cartons short", "YW-CRAFT", "credit note",
                         120, "USD", 100, date(2026, 7, 9)]],
        "订单变动": [["订单号", "变更日期", "变更项目", "改前", "改后", "提出人", "客户确认日", "工厂确认日"],
                 ["GD2026-003", date(2026, 4, 2), "数量", "240", "300", "客户", date(2026, 4, 2), date(2026, 4, 3)]],
    }
    path = Tracker("lifecycle", CN_MERGED.sheets, other=other).write(tmp_path)
    roles = {t.role: t.sheets for t in map_workbook(path).tables}
    assert (roles["samples"], roles["complaints"], roles["changes"]) == (["寄样跟踪"], ["Claims 2026"], ["订单变动"])
    book = read_workbook(path)
    (sample,) = book.samples
    assert (sample.sample_no, sample.kind, sample.verdict, sample.tracking_no) == ("SP-1", "PP sample", "OK",
                                                                                   "1234567890")
    (complaint,) = book.complaints
    assert (complaint.complaint_type, complaint.resolution, complaint.agreed_amount) == ("shortage", "credit note", 100)
    (change,) = book.changes
    assert (change.what, change.old_value, change.new_value, change.factory_confirmed) == ("数量", "240", "300",
                                                                                            date(2026, 4, 3))
