"""Saved mappings: the 映射 Mapping sheet (with drop-downs) and PATH.gendan.toml; every face reads through them."""

from __future__ import annotations

import json
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from gendan_xl import read_workbook
from gendan_xl.cli import app
from gendan_xl.errors import MappingError
from gendan_xl.pipeline import map_workbook, save_mapping
from gendan_xl.workbook.mapstore import MAPPING_SHEET, sidecar_path
from tests.trackers import CN_MERGED, ORDERS, OrderSheet, Tracker, lc, ln, o, oc

QUOTED = Tracker("quoted", [OrderSheet("Sheet1", [
    oc("Order No.", "orders.order_no", o("order_no")),
    oc("Customer", "orders.customer", o("customer")),
    lc("Item No.", "lines.item_no", ln("item_no")),
    lc("Quantity", "lines.qty", ln("qty")),
    lc("Quoted Price", "lines.unit_price", ln("price")),
    lc("Retail", None, lambda order, line: round(line["price"] * 1.2, 2)),
], ORDERS)])


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {n: archive.read(n) for n in archive.namelist()}


def test_a_doubtful_required_field_stops_the_read_and_names_it(tmp_path: Path) -> None:
    path = QUOTED.write(tmp_path)
    with pytest.raises(MappingError) as caught:
        read_workbook(path)
    assert "Quoted Price" in str(caught.value) and "gendan map" in str(caught.value)
    result = CliRunner().invoke(app, ["read", str(path)])
    assert result.exit_code == 2 and "Quoted Price" in result.output and "Traceback" not in result.output
    report = map_workbook(path)
    assert not report.usable and [f.key for f in report.doubtful] == ["lines.unit_price"]


def test_saving_the_mapping_sheet_settles_it_and_keeps_every_other_part(tmp_path: Path) -> None:
    path = QUOTED.write(tmp_path)
    before = _members(path)
    save_mapping(path)
    after = _members(path)
    changed = {n for n in before if before[n] != after[n]}
    assert changed <= {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml", "xl/styles.xml",
                       "docProps/app.xml"}
    sheet = openpyxl.load_workbook(path)[MAPPING_SHEET]
    rows = {r[3]: r for r in sheet.iter_rows(min_row=2, values_only=True) if r[3]}
    assert rows["lines.unit_price"][5] == "Quoted Price" and rows["lines.unit_price"][4] == "Sheet1"
    validations = sheet.data_validations.dataValidation
    assert validations and all(v.type == "list" for v in validations)
    headers = [c.value for c in sheet[validations[0].formula1.replace("$", "").split(":")[0][0]]][1:7]
    assert headers == ["Order No.", "Customer", "Item No.", "Quantity", "Quoted Price", "Retail"]
    book = read_workbook(path)
    assert [line.unit_price for line in book.lines][:1] == [Decimal("1.15")]
    assert not [f for f in book.findings if f.code.startswith("mapping-")]
    assert map_workbook(path).source == "sheet"


def test_a_correction_on_the_mapping_sheet_is_followed(tmp_path: Path) -> None:
    path = QUOTED.write(tmp_path)
    save_mapping(path)
    edited = openpyxl.load_workbook(path)  # the user picks another header from the drop-down (a test copy)
    sheet = edited[MAPPING_SHEET]
    for row in sheet.iter_rows(min_row=2):
        if row[3].value == "lines.unit_price":
            row[5].value = "Retail"
    edited.save(path)
    book = read_workbook(path)
    assert book.lines[0].unit_price == Decimal("1.38")
    assert book.sheets["lines"].letter("unit_price") == "F"


def test_the_sidecar_file_is_read_and_its_edits_followed(tmp_path: Path) -> None:
    path = QUOTED.write(tmp_path)
    before = path.read_bytes()
    written = save_mapping(path, sidecar=True)
    assert written == sidecar_path(path) and path.read_bytes() == before  # no change to the workbook
    assert read_workbook(path).lines[0].unit_price == Decimal("1.15")
    text = written.read_text(encoding="utf-8").replace('"lines.unit_price" = "Quoted Price"',
                                                       '"lines.unit_price" = "Retail"')
    written.write_text(text, encoding="utf-8")
    assert read_workbook(path).lines[0].unit_price == Decimal("1.38")
    assert map_workbook(path).source == "sidecar"


def test_a_saved_header_or_sheet_that_disappeared_is_named(tmp_path: Path) -> None:
    path = CN_MERGED.write(tmp_path)
    save_mapping(path, sidecar=True)
    sidecar = sidecar_path(path)
    sidecar.write_text(sidecar.read_text(encoding="utf-8").replace('"进价"', '"成本价"').replace(
        '"以往成交价"', '"旧价格"'), encoding="utf-8")
    book = read_workbook(path)
    codes = {(f.code, f.data.get("field") or f.data.get("sheet_name")) for f in book.findings}
    assert ("mapping-header-missing", "lines.purchase_price") in codes
    assert ("mapping-sheet-missing", "旧价格") in codes
    assert all(line.purchase_price is None for line in book.lines)


def test_map_command_table_json_and_save(tmp_path: Path) -> None:
    path = CN_MERGED.write(tmp_path)
    runner = CliRunner()
    shown = runner.invoke(app, ["map", str(path)], env={"COLUMNS": "80"})
    assert shown.exit_code == 0, shown.output
    assert "客户评价" in shown.output and "订单号" in shown.output and "--add-sheets" in shown.output
    data = json.loads(runner.invoke(app, ["map", str(path), "--format", "json"]).output)
    flat = next(t for t in data["tables"] if t["role"] == "flat")
    customer = next(f for f in flat["fields"] if f["key"] == "orders.customer")
    assert (customer["column"], customer["header"]) == ("C", "客户") and customer["confidence"] >= 0.8
    assert "客户评价" in flat["unclaimed"]["2026跟单"]
    purchase = next(f for f in flat["fields"] if f["key"] == "lines.hs_code")
    assert purchase["column"] is None and "HS" in purchase["missing_costs"][1]
    saved = runner.invoke(app, ["map", str(path), "--save"])
    assert saved.exit_code == 0 and "映射 Mapping" in saved.output
    assert json.loads(runner.invoke(app, ["map", str(path), "--format", "json"]).output)["source"] == "sheet"
    doubtful = runner.invoke(app, ["map", str(QUOTED.write(tmp_path))])
    assert doubtful.exit_code == 1 and "Quoted Price" in doubtful.output
