"""Header matching: the header texts of real exporters' files, and header-row detection."""

from __future__ import annotations

import pytest

from gendan_xl.vocab import squash
from gendan_xl.workbook.headers import STATUS_PREFIX, HeaderMatcher, detect_header
from gendan_xl.workbook.schema import SHEETS, sheet_spec

LINES = HeaderMatcher(sheet_spec("lines"))
ORDERS = HeaderMatcher(sheet_spec("orders"))

# domain.md §6: header cells seen in real files for the same few fields.
REAL_WORLD_LINES = [
    ("Model No.", "item_no"), ("型号", "item_no"), ("货号", "item_no"), ("Part Number", "item_no"), ("料号", "item_no"),
    ("Item No.", "item_no"), ("产品编号", "item_no"),
    ("Description", "description"), ("DESCRIPTION\n(系统英文品名)", "description"), ("品名", "description"),
    ("报关中文品名", "description"), ("Commodity Description", "description"),
    ("Quantity", "qty"), ("QUANTITY \n（数量）", "qty"), ("Qty", "qty"), ("Q'TY", "qty"), ("数量", "qty"),
    ("ＱＴＹ", "qty"), ("数量（ＰＣＳ）", "qty"), ("qty", "qty"), ("  Q T Y  ", "qty"),
    ("Unit", "unit"), ("单位", "unit"), ("(PCS)", "unit"),
    ("Unit Price", "unit_price"), ("Unit Price (CIF, USD)", "unit_price"), ("单价", "unit_price"),
    ("FOB单价", "unit_price"), ("UNIT PRICE", "unit_price"), ("采购单价", "purchase_price"),
    ("Amount", "amount"), ("Total Amount", "amount"), ("金额", "amount"),
    ("N.W.(KGS)", "nw_per_carton"), ("N.W.(KGS)净重", "nw_per_carton"), ("Net Weight", "nw_per_carton"),
    ("G.W.(KGS)毛重", "gw_per_carton"), ("Gross Weight", "gw_per_carton"),
    ("件箱系数", "pcs_per_carton"), ("装箱量", "pcs_per_carton"),
    ("外箱尺寸", "carton_size"), ("长(L)", "carton_l"), ("宽(W)", "carton_w"), ("高(H)", "carton_h"),
    ("H.S. Code", "hs_code"), ("HS CODE", "hs_code"), ("HScode", "hs_code"),
    ("订单号\nOrder No.", "order_no"), ("ORDER NO.", "order_no"), ("ｏｒｄｅｒ　ｎｏ．", "order_no"),
]


@pytest.mark.parametrize(("text", "field"), REAL_WORLD_LINES)
def test_real_world_line_headers(text: str, field: str) -> None:
    assert LINES.match(text) == field


@pytest.mark.parametrize("text", ["HS US Code", "CTNS", "CBM", "Measurement", "Whatever", "", "   "])
def test_headers_that_are_not_line_columns(text: str) -> None:
    # "HS US Code" is the separate US tariff code, not the Chinese HS code: it must not steal hs_code.
    assert LINES.match(text) is None


@pytest.mark.parametrize(("text", "field"), [("Order No.", "order_no"), ("客户", "customer"), ("CUSTOMER", "customer"),
                                             ("订金比例", "deposit_pct"), ("Deposit %", "deposit_pct"),
                                             ("客户交期", "delivery_date"), ("状态\nStatus", "status")])
def test_order_headers(text: str, field: str) -> None:
    assert ORDERS.match(text) == field


def test_status_columns_are_recognised_as_gendan_columns() -> None:
    assert ORDERS.match("价格检查\nPrice Check") == STATUS_PREFIX + "price_check"
    assert ORDERS.match("下一步") == STATUS_PREFIX + "next_action"


@pytest.mark.parametrize("spec", SHEETS, ids=lambda s: s.key)
def test_every_name_of_every_column_matches_its_own_column(spec: object) -> None:
    matcher = HeaderMatcher(spec)  # type: ignore[arg-type]
    for column in spec.columns:  # type: ignore[attr-defined]
        for name in column.names:
            assert matcher.match(name) == column.field, (spec.key, name)  # type: ignore[attr-defined]
            assert matcher.match(name.upper()) == column.field, (spec.key, name)  # type: ignore[attr-defined]


@pytest.mark.parametrize("spec", SHEETS, ids=lambda s: s.key)
def test_no_alias_names_two_columns_of_one_sheet(spec: object) -> None:
    owner: dict[str, str] = {}
    for column in spec.columns:  # type: ignore[attr-defined]
        for name in column.names:
            previous = owner.setdefault(squash(name), column.field)
            assert previous == column.field, f"{spec.key}: {name!r} names both {previous} and {column.field}"  # type: ignore[attr-defined]
    for status in spec.status_columns:  # type: ignore[attr-defined]
        for name in status.names:
            previous = owner.setdefault(squash(name), "status:" + status.key)
            assert previous == "status:" + status.key, f"{spec.key}: {name!r}"  # type: ignore[attr-defined]


def test_header_below_title_rows() -> None:
    rows = [["ACME TRADING CO., LTD."], [], ["订单号", "客户", "备注"], ["GD-1", "HANSA", "x"]]
    layout = detect_header(ORDERS, rows, 0)
    assert layout is not None
    assert (layout.header_row, layout.last_header_row) == (2, 2)
    assert layout.fields == {"order_no": 0, "customer": 1, "remarks": 2}


def test_two_row_bilingual_header_english_row_first() -> None:
    rows = [["Order No.", "Item No.", "Quantity", "Unit Price", "Carton Size", "Carton Size", "Carton Size"],
            ["订单号", "货号", "数量", "单价", "长(L)", "宽(W)", "高(H)"],
            ["GD-1", "K1", 1, 2, 3, 4, 5]]
    layout = detect_header(LINES, rows, 0)
    assert layout is not None
    assert (layout.header_row, layout.last_header_row) == (0, 1)
    assert layout.fields == {"order_no": 0, "item_no": 1, "qty": 2, "unit_price": 3, "carton_l": 4, "carton_w": 5,
                             "carton_h": 6}


def test_info_block_above_the_header_is_not_a_header_row() -> None:
    rows = [["Customer: HANSA", "Order No.: GD-1"], ["订单号", "客户", "备注"], ["GD-1", "HANSA", ""]]
    layout = detect_header(ORDERS, rows, 0)
    assert layout is not None
    assert layout.header_row == layout.last_header_row == 1
    assert layout.fields == {"order_no": 0, "customer": 1, "remarks": 2}
    assert not layout.duplicates


def test_unknown_columns_are_extras_and_duplicates_are_noted() -> None:
    rows = [["订单号", "Whatever", "客户", "Customer Name", "", "价格检查"]]
    layout = detect_header(ORDERS, rows, 2)  # the sheet's used range starts in column C
    assert layout is not None
    assert layout.fields == {"order_no": 2, "customer": 4}
    assert layout.extras == {3: "Whatever"}
    assert layout.duplicates == [(5, "Customer Name", 4)]
    assert layout.status == {"price_check": 7}
    assert layout.last_column == 7


def test_no_header_at_all() -> None:
    assert detect_header(ORDERS, [["hello", "world"], [1, 2]], 0) is None
