"""The tolerant reader on messy workbooks: every case is a workbook built in tmp_path."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from gendan_xl import SchemaError, read_workbook
from gendan_xl.findings import RULES, Severity
from gendan_xl.models import Order, OrderLine, Workbook
from gendan_xl.vocab import OrderStatus
from gendan_xl.workbook.template import Formula
from tests.builders import LINES_HEADER, ORDERS_HEADER, MakeXlsx, minimal_sheets

ONE_ORDER = [ORDERS_HEADER, ["GD-001", "HANSA"]]


def read_lines(make_xlsx: MakeXlsx, rows: list[list[Any]], merges: list[tuple[str, Any]] | None = None) -> Workbook:
    """Read a workbook whose 订单明细 sheet is ``rows`` (and a one-order 订单 sheet)."""
    path = make_xlsx({"订单": ONE_ORDER, "订单明细": rows}, merges={"订单明细": merges or []})
    return read_workbook(path)


def read_orders(make_xlsx: MakeXlsx, rows: list[list[Any]], merges: list[tuple[str, Any]] | None = None) -> Workbook:
    """Read a workbook whose 订单 sheet is ``rows`` (and a minimal 订单明细 sheet)."""
    path = make_xlsx(minimal_sheets(**{"订单": rows}), merges={"订单": merges or []})
    return read_workbook(path)


def codes(workbook: Workbook) -> list[tuple[str, str]]:
    """(code, address) of every finding, sorted."""
    return sorted((f.code, f.address) for f in workbook.findings)


# --- headers -----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "header",
    [
        ["订单号", "货号", "数量", "单价"],
        ["Order No.", "Item No.", "Quantity", "Unit Price"],
        ["订单号\nOrder No.", "货号\nItem No.", "数量\nQuantity", "单价\nUnit Price"],
        ["order no.", "ITEM NO.", "quantity", "unit PRICE"],
        ["  Order   No. ", " Item  No.", " Quantity ", "Unit  Price  "],
        ["ＯＲＤＥＲ　ＮＯ．", "Model No.", "ＱＴＹ", "单价（ＵＳＤ）"],
        ["Order #", "Part Number", "数量（ＰＣＳ）", "Unit Price (CIF, USD)"],
        ["订单编号", "料号", "Q'TY", "FOB单价"],
        ["SO No.", "产品编号", "QUANTITY \n（数量）", "U/Price"],
    ],
    ids=["chinese", "english", "bilingual-cell", "any-case", "spaces", "full-width", "real-1", "real-2", "real-3"],
)
def test_header_variants(make_xlsx: MakeXlsx, header: list[str]) -> None:
    workbook = read_lines(make_xlsx, [header, ["GD-001", "KT-1", 120, 1.15]])
    assert workbook.findings == []
    [line] = workbook.lines
    assert (line.order_no, line.item_no, line.qty, line.unit_price) == ("GD-001", "KT-1", Decimal(120), Decimal("1.15"))
    assert workbook.sheets["lines"].columns == {"order_no": 1, "item_no": 2, "qty": 3, "unit_price": 4}


def test_real_world_packing_headers(make_xlsx: MakeXlsx) -> None:
    header = ["Order No.", "Model No.", "DESCRIPTION\n(系统英文品名)", "QUANTITY \n（数量）", "Unit Price (CIF, USD)",
              "N.W.(KGS)净重", "G.W.(KGS)毛重", "HS CODE", "件箱系数"]
    workbook = read_lines(make_xlsx, [header, ["GD-001", "KT-1", "Tongs", 1200, 1.15, 9.5, 10.5, 8215990000, 100]])
    [line] = workbook.lines
    assert line.description == "Tongs"
    assert (line.nw_per_carton, line.gw_per_carton) == (Decimal("9.5"), Decimal("10.5"))
    assert line.hs_code == "8215990000"
    assert line.pcs_per_carton == Decimal(100)


def test_two_row_bilingual_header(make_xlsx: MakeXlsx) -> None:
    rows = [["Order No.", "Item No.", "Quantity", "Unit Price", "Amount"],
            ["订单号", "货号", "数量", "单价", "金额"],
            ["GD-001", "KT-1", 10, 2, 20]]
    workbook = read_lines(make_xlsx, rows)
    info = workbook.sheets["lines"]
    assert (info.header_row, info.last_header_row) == (1, 2)
    [line] = workbook.lines
    assert (line.row, line.amount) == (3, Decimal(20))


def test_two_row_header_with_merged_carton_size_over_l_w_h(make_xlsx: MakeXlsx) -> None:
    rows = [["Order No.", "Item No.", "Quantity", "Unit Price", None, None, None, "Gross Weight"],
            ["订单号", "货号", "数量", "单价", "长(L)", "宽(W)", "高(H)", "毛重"],
            ["GD-001", "KT-1", 10, 2, 29, 21, 12, 5.5]]
    workbook = read_lines(make_xlsx, rows, merges=[("E1:G1", "外箱尺寸")])
    info = workbook.sheets["lines"]
    assert (info.header_row, info.last_header_row) == (1, 2)
    [line] = workbook.lines
    assert (line.carton_l, line.carton_w, line.carton_h) == (Decimal(29), Decimal(21), Decimal(12))
    assert line.gw_per_carton == Decimal("5.5")
    assert line.carton_cbm == Decimal(29 * 21 * 12) / Decimal(1_000_000)


@pytest.mark.parametrize(("size", "expected"), [("29*21*12", (29, 21, 12)), ("108x20x20", (108, 20, 20)),
                                                ("26.5×26×32", ("26.5", 26, 32))])
def test_carton_size_in_one_cell(make_xlsx: MakeXlsx, size: str, expected: tuple[Any, Any, Any]) -> None:
    workbook = read_lines(make_xlsx, [[*LINES_HEADER, "外箱尺寸"], ["GD-001", "KT-1", 10, 2, size]])
    [line] = workbook.lines
    assert (line.carton_l, line.carton_w, line.carton_h) == tuple(Decimal(str(x)) for x in expected)
    assert workbook.findings == []


def test_hs_codes_stay_text(make_xlsx: MakeXlsx) -> None:
    rows = [[*LINES_HEADER, "HS Code"], ["GD-001", "KT-1", 1, 1, 9403609990.0], ["GD-001", "KT-2", 1, 1, "0102030405"],
            ["GD-001", 7001.0, 1, 1, "９４０３６０９９９０"]]
    workbook = read_lines(make_xlsx, rows)
    assert [line.hs_code for line in workbook.lines] == ["9403609990", "0102030405", "9403609990"]
    assert workbook.lines[2].item_no == "7001"


def test_columns_in_any_order(make_xlsx: MakeXlsx) -> None:
    rows = [["Unit Price", "Remarks", "数量", "货号", "订单号"], [1.5, "rush", 10, "KT-9", "GD-001"]]
    workbook = read_lines(make_xlsx, rows)
    [line] = workbook.lines
    assert (line.order_no, line.item_no, line.qty, line.unit_price, line.remarks) == (
        "GD-001", "KT-9", Decimal(10), Decimal("1.5"), "rush")
    assert workbook.sheets["lines"].columns["order_no"] == 5


def test_extra_columns_are_reported_and_the_file_is_untouched(make_xlsx: MakeXlsx) -> None:
    rows = [["订单号", "Our Note", "货号", "数量", "单价", "HS US Code", "CBM"],
            ["GD-001", "keep me", "KT-1", 10, 2, "9403609000", 0.5]]
    path = make_xlsx({"订单": ONE_ORDER, "订单明细": rows})
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    workbook = read_workbook(path)
    info = workbook.sheets["lines"]
    assert info.extra_columns == {2: "Our Note", 6: "HS US Code", 7: "CBM"}
    assert info.last_column == 7
    assert "hs_code" not in info.columns
    assert workbook.lines[0].model_dump(exclude_none=True) == {
        "row": 2, "order_no": "GD-001", "item_no": "KT-1", "qty": Decimal(10), "unit_price": Decimal(2)}
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert workbook.findings == []


@pytest.mark.parametrize("title_rows", [2, 11], ids=["header-on-row-3", "header-on-row-12"])
def test_title_rows_and_merged_title_above_the_header(make_xlsx: MakeXlsx, title_rows: int) -> None:
    titles: list[list[Any]] = [["NINGBO HUANYU IMPORT & EXPORT CO., LTD."], ["PACKING LIST 装箱单"]]
    titles += [[]] * (title_rows - 2)
    titles[-1] = ["Invoice No.: HY-INV-001", None, "Date: 2026-03-05"] if title_rows > 2 else titles[-1]
    rows = [*titles, LINES_HEADER, ["GD-001", "KT-1", 10, 2]]
    workbook = read_lines(make_xlsx, rows, merges=[("A1:D1", "NINGBO HUANYU IMPORT & EXPORT CO., LTD.")])
    info = workbook.sheets["lines"]
    assert info.header_row == title_rows + 1
    [line] = workbook.lines
    assert line.row == title_rows + 2
    assert workbook.findings == []


def test_blank_rows_and_a_total_row_are_skipped(make_xlsx: MakeXlsx) -> None:
    rows = [[*LINES_HEADER, "金额"], ["GD-001", "KT-1", 10, 2, 20], [], [None, None, None, None, None],
            ["GD-001", "KT-2", 5, 4, 20], [], ["", "TOTAL:", "15", "", 40]]
    workbook = read_lines(make_xlsx, rows)
    assert [line.row for line in workbook.lines] == [2, 5]
    assert workbook.findings == []


@pytest.mark.parametrize("word", ["合计", "TOTAL:", "Total", "总计：", "Grand Total"])
def test_total_row_with_the_word_in_the_key_column(make_xlsx: MakeXlsx, word: str) -> None:
    rows = [[*ORDERS_HEADER, "订单金额"], ["GD-001", "HANSA", 100], ["GD-002", "BRIGHTON", 50], [word, None, 150]]
    workbook = read_orders(make_xlsx, rows)
    assert [o.order_no for o in workbook.orders] == ["GD-001", "GD-002"]
    assert workbook.findings == []


def test_order_no_merged_down_over_its_lines(make_xlsx: MakeXlsx) -> None:
    rows = [LINES_HEADER, ["GD-001", "KT-1", 1, 1], [None, "KT-2", 2, 2], [None, "KT-3", 3, 3], ["GD-002", "KT-4", 4, 4]]
    path = make_xlsx({"订单": [ORDERS_HEADER, ["GD-001", "A"], ["GD-002", "B"]], "订单明细": rows},
                     merges={"订单明细": [("A2:A4", "GD-001")]})
    workbook = read_workbook(path)
    assert [(line.order_no, line.item_no) for line in workbook.lines] == [
        ("GD-001", "KT-1"), ("GD-001", "KT-2"), ("GD-001", "KT-3"), ("GD-002", "KT-4")]
    assert workbook.findings == []


# --- values ------------------------------------------------------------------------------------

def test_excel_dates_and_text_dates(make_xlsx: MakeXlsx) -> None:
    rows = [[*ORDERS_HEADER, "下单日期", "客户交期"],
            ["GD-1", "A", date(2026, 3, 5), "2026-03-05"],
            ["GD-2", "A", "2026/3/5", "2026.3.5"],
            ["GD-3", "A", "2026年3月5日", "２０２６年３月５日"],
            ["GD-4", "A", 46086, "5-Mar-2026"]]
    workbook = read_orders(make_xlsx, rows)
    assert workbook.findings == []
    for order in workbook.orders:
        assert order.order_date == order.delivery_date == date(2026, 3, 5)
        assert type(order.order_date) is date


def test_numbers_stored_as_text(make_xlsx: MakeXlsx) -> None:
    rows = [[*LINES_HEADER, "金额", "采购单价"],
            ["GD-001", "KT-1", "1,200", "US$1.15", "1,380.00", "¥7.10"],
            ["GD-001", "KT-2", "１２０", "￥３．５", "$420", "RMB 20"],
            ["GD-001", "KT-3", " 48 ", "€2", "96 USD", "12元"]]
    workbook = read_lines(make_xlsx, rows)
    assert workbook.findings == []
    got = [(line.qty, line.unit_price, line.amount, line.purchase_price) for line in workbook.lines]
    assert got == [(Decimal(1200), Decimal("1.15"), Decimal("1380.00"), Decimal("7.10")),
                   (Decimal(120), Decimal("3.5"), Decimal(420), Decimal(20)),
                   (Decimal(48), Decimal(2), Decimal(96), Decimal(12))]


def test_money_and_quantities_are_decimal_never_float(make_xlsx: MakeXlsx) -> None:
    rows = [[*LINES_HEADER, "金额", "每箱净重(kg)"], ["GD-001", "KT-1", 3.0, 0.1, 0.3, 9.5]]
    workbook = read_lines(make_xlsx, rows)
    [line] = workbook.lines
    for value in (line.qty, line.unit_price, line.amount, line.nw_per_carton):
        assert type(value) is Decimal
    assert line.unit_price == Decimal("0.1")  # exact: not 0.1000000000000000055…
    assert line.computed_amount == Decimal("0.30")


def test_percentages_in_every_form(make_xlsx: MakeXlsx) -> None:
    rows = [[*ORDERS_HEADER, "订金比例"], ["GD-1", "A", "30%"], ["GD-2", "A", 0.3], ["GD-3", "A", 30], ["GD-4", "A", "30"],
            ["GD-5", "A", "３０％"]]
    workbook = read_orders(make_xlsx, rows)
    assert workbook.findings == []
    assert [o.deposit_pct for o in workbook.orders] == [Decimal("0.3")] * 5


def test_formulas_give_their_cached_values(make_xlsx: MakeXlsx) -> None:
    rows = [[*LINES_HEADER, "金额"], ["GD-001", "KT-1", 10, 1.5, Formula("=C2*D2", 15)],
            ["GD-001", Formula('="KT-"&2', "KT-2"), 4, 2.5, Formula("=ROUND(C3*D3,2)", 10)]]
    workbook = read_lines(make_xlsx, rows)
    assert workbook.findings == []
    assert [(line.item_no, line.amount) for line in workbook.lines] == [("KT-1", Decimal(15)), ("KT-2", Decimal(10))]


@pytest.mark.parametrize("error", ["#N/A", "#REF!", "#DIV/0!", "#VALUE!"])
def test_error_values_become_cell_error_findings(make_xlsx: MakeXlsx, error: str) -> None:
    rows = [[*LINES_HEADER, "金额"]] + [["GD-001", f"KT-{i}", 1, 1, 1] for i in range(14)]
    rows.append(["GD-001", "KT-X", 2, 3, Formula("=NA()", error)])  # row 16
    rows.append(["GD-001", "KT-Y", 2, 3, Formula("=B99", error)])  # row 17
    workbook = read_lines(make_xlsx, rows)
    assert codes(workbook) == [("cell-error", "订单明细!E16"), ("cell-error", "订单明细!E17")]
    finding = workbook.findings[0]
    assert finding.data["error"] == error
    assert error in finding.message_zh and error in finding.message_en
    assert finding.order_no == "GD-001"
    assert [line.amount for line in workbook.lines[-2:]] == [None, None]


def test_cell_error_address_in_a_wide_sheet(make_xlsx: MakeXlsx) -> None:
    # domain example: 订单明细!I17 — the amount in column I, row 17
    header = ["订单号", "货号", "品名", "规格", "HS编码", "数量", "单位", "单价", "金额"]
    rows: list[list[Any]] = [header] + [["GD-001", f"KT-{i}", "x", "y", "1", 1, "PCS", 1, 1] for i in range(16)]
    rows[16][8] = Formula("=F17*H17", "#N/A")
    workbook = read_lines(make_xlsx, rows)
    [finding] = workbook.findings
    assert (finding.code, finding.address, finding.row, finding.sheet) == ("cell-error", "订单明细!I17", 17, "订单明细")


def test_five_bad_cells_give_five_findings(make_xlsx: MakeXlsx) -> None:
    rows = [[*ORDERS_HEADER, "下单日期", "订金比例", "客户交期", "订单金额", "状态"],
            ["GD-1", "A", "next week", "130%", "2026-02-30", "about 500", "half done"],
            ["GD-2", "B", "2026-03-05", "30%", "2026-04-01", 100, "生产中"]]
    workbook = read_orders(make_xlsx, rows)
    assert codes(workbook) == [("bad-percent", "订单!D2"), ("invalid-date", "订单!E2"), ("not-a-date", "订单!C2"),
                               ("not-a-number", "订单!F2"), ("unknown-status", "订单!G2")]
    assert [o.order_no for o in workbook.orders] == ["GD-1", "GD-2"]  # the bad row is still read
    assert workbook.orders[0].deposit_pct is None
    assert workbook.orders[1].status is OrderStatus.IN_PRODUCTION


def test_every_finding_is_complete(make_xlsx: MakeXlsx) -> None:
    rows = [[*LINES_HEADER, "金额", "外箱尺寸"],
            ["GD-001", "KT-1", "about 500", "$1.2.3", Formula("=NA()", "#N/A"), "40 by 30"],
            ["GD-001", "KT-2", None, 1, 1, None]]
    workbook = read_lines(make_xlsx, rows)
    assert codes(workbook) == [("bad-dimensions", "订单明细!F2"), ("cell-error", "订单明细!E2"),
                               ("missing-value", "订单明细!C3"), ("not-a-number", "订单明细!C2"),
                               ("not-a-number", "订单明细!D2")]
    for finding in workbook.findings:
        assert finding.code in RULES
        assert finding.severity is RULES[finding.code].severity
        assert finding.sheet == "订单明细"
        assert finding.cell and finding.address == f"订单明细!{finding.cell}"
        assert finding.message_zh.startswith(finding.address) and finding.message_en.startswith(finding.address)
        assert finding.message_zh != finding.message_en
        assert "{" not in finding.message_zh + finding.message_en  # every template field filled
        assert finding.order_no == "GD-001"


def test_missing_key_skips_the_row_and_says_so(make_xlsx: MakeXlsx) -> None:
    rows = [LINES_HEADER, ["GD-001", None, 1, 1], ["GD-001", "KT-2", 1, None]]
    workbook = read_lines(make_xlsx, rows)
    assert codes(workbook) == [("missing-value", "订单明细!B2"), ("missing-value", "订单明细!D3")]
    assert [line.item_no for line in workbook.lines] == ["KT-2"]
    skipped = next(f for f in workbook.findings if f.cell == "B2")
    assert "skipped" in skipped.message_en
    assert all(f.severity is Severity.ERROR for f in workbook.findings)


def test_sheet_found_by_english_name_and_alias(make_xlsx: MakeXlsx) -> None:
    path = make_xlsx({"Order List": ONE_ORDER, "Order Details": [LINES_HEADER, ["GD-001", "K", 1, 1]],
                      "Sheet3": [["anything"]]})
    workbook = read_workbook(path)
    assert workbook.sheets["orders"].name == "Order List"
    assert workbook.sheets["lines"].name == "Order Details"
    assert len(workbook.lines) == 1


def test_duplicate_sheet_and_duplicate_column_are_warnings(make_xlsx: MakeXlsx) -> None:
    path = make_xlsx({"订单": ONE_ORDER, "Orders": ONE_ORDER,
                      "订单明细": [[*LINES_HEADER, "Qty"], ["GD-001", "K", 1, 1, 2]]})
    workbook = read_workbook(path)
    assert codes(workbook) == [("duplicate-column", "订单明细!E1"), ("duplicate-sheet", "Orders")]
    assert all(f.severity is Severity.WARNING for f in workbook.findings)
    assert workbook.lines[0].qty == Decimal(1)  # the leftmost column is read


def test_settings_sheet(make_xlsx: MakeXlsx) -> None:
    settings = [["参数", "值", "说明"], ["预警天数", 5, ""], ["Price Tolerance %", "1%", ""], ["汇率 USD", 7.1, ""],
                ["tolerence", 3, ""], ["订舱提前天数", "three", ""]]
    workbook = read_workbook(make_xlsx(minimal_sheets(设置=settings)))
    assert workbook.settings.warning_days == 5
    assert workbook.settings.price_tolerance_pct == Decimal("0.01")
    assert workbook.settings.exchange_rates == {"USD": Decimal("7.1")}
    assert workbook.settings.booking_days == 10  # the default, because "three" is not a number
    assert codes(workbook) == [("bad-setting", "设置!B6"), ("unknown-setting", "设置!A5")]


# --- schema errors -----------------------------------------------------------------------------

def test_missing_sheet_and_columns_are_one_error_listing_all(make_xlsx: MakeXlsx) -> None:
    path = make_xlsx({"订单明细": [["Order No.", "Description"], ["A", "b"]], "收款": [["订单号", "金额"], ["A", 1]]})
    with pytest.raises(SchemaError) as caught:
        read_workbook(path)
    error = caught.value
    assert len(error.problems) == 5
    text = str(error)
    for expected in ("订单", "Orders", "跟单总表", "Order List",  # the missing sheet and its accepted names
                     "货号", "Model No.", "Part Number", "数量", "Q'TY", "单价", "Unit Price", "收款日", "Payment Date"):
        assert expected in text
    assert error.path == path


def test_sheet_without_any_header(make_xlsx: MakeXlsx) -> None:
    path = make_xlsx(minimal_sheets(订单明细=[["hello", "world"], [1, 2]]))
    with pytest.raises(SchemaError) as caught:
        read_workbook(path)
    assert "no header row" in str(caught.value)
    assert "Item No." in str(caught.value)


# --- models ------------------------------------------------------------------------------------

def test_rows_are_validated_models(make_xlsx: MakeXlsx) -> None:
    rows = [[*ORDERS_HEADER, "下单日期", "币种", "贸易术语", "目的国", "状态", "需商检"],
            ["GD-1", "HANSA", "2026-03-05", "usd", "fob ningbo", "德国", "生产中", "是"]]
    workbook = read_orders(make_xlsx, rows)
    [order] = workbook.orders
    assert isinstance(order, Order)
    assert (order.currency, order.incoterm, order.destination_country) == ("USD", "FOB", "DE")
    assert order.status is OrderStatus.IN_PRODUCTION
    assert order.inspection_required is True
    assert Order.model_validate(order.model_dump()) == order
    assert isinstance(workbook.lines[0], OrderLine)


def test_read_accepts_str_paths(make_xlsx: MakeXlsx) -> None:
    path: Path = make_xlsx(minimal_sheets())
    workbook = read_workbook(str(path))
    assert workbook.path == path
    assert workbook.counts()["orders"] == 1


def test_1904_date_system(tmp_path: Path) -> None:
    """Workbooks from old Mac Excel count days from 1904: date cells and bare serials both come out right."""
    import datetime as dt

    import xlsxwriter

    path = tmp_path / "mac.xlsx"
    book = xlsxwriter.Workbook(str(path), {"date_1904": True})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    orders = book.add_worksheet("订单")
    orders.write_row(0, 0, ["订单号", "客户", "下单日期", "客户交期"])
    orders.write_row(1, 0, ["GD-1", "A"])
    orders.write_datetime(1, 2, dt.datetime(2026, 3, 5), day)
    orders.write_number(1, 3, 46086 - 1462)  # the 1904-system serial of 2026-03-05, without a date format
    book.add_worksheet("订单明细").write_row(0, 0, LINES_HEADER)
    book.close()
    workbook = read_workbook(path)
    assert workbook.findings == []
    assert (workbook.orders[0].order_date, workbook.orders[0].delivery_date) == (date(2026, 3, 5), date(2026, 3, 5))


def test_merged_range_running_past_the_header_scan(make_xlsx: MakeXlsx) -> None:
    """A merge that starts in the first 40 rows (scanned for the header) and ends far below them."""
    rows: list[list[Any]] = [LINES_HEADER] + [[None, f"KT-{i}", 1, 1] for i in range(60)]
    rows[1][0] = "GD-001"
    rows.append(["GD-002", "KT-last", 1, 1])
    path = make_xlsx({"订单": [ORDERS_HEADER, ["GD-001", "A"], ["GD-002", "B"]], "订单明细": rows},
                     merges={"订单明细": [("A2:A61", "GD-001")]})
    workbook = read_workbook(path)
    assert [line.order_no for line in workbook.lines] == ["GD-001"] * 60 + ["GD-002"]
    assert workbook.lines[-1].row == 62
    assert workbook.findings == []
