"""``gendan excel-setup``: a macro-enabled copy through the lossless writer; everything else byte-identical."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
import xlsxwriter
from typer.testing import CliRunner

from gendan_xl.cli import app
from gendan_xl.excel.conf import CONF_SHEET
from gendan_xl.excel.interpreter import Interpreters
from gendan_xl.excel.macros import BUTTONS
from gendan_xl.excel.setup import setup_excel
from gendan_xl.ooxml.package import Package
from gendan_xl.ooxml.vbaproject import MACRO_MAIN_CT, VBA_CT
from gendan_xl.pipeline import check_workbook
from gendan_xl.workbook.reader import read_workbook
from tests.checks.clean import TODAY
from tests.excel.fakebook import load_xlsx
from tests.excel.xlsm_checks import expected_modules, libreoffice_view, olevba_modules
from tests.featured import members, raw_members, row_slices
from tests.workbook.test_writeback_features import build


@pytest.fixture
def master(tmp_path: Path) -> Path:
    """The template layout plus a chart, a picture, a text box, a user's note, a table, hidden sheets."""
    return build(tmp_path, macro=False)


@pytest.fixture
def upgraded(master: Path) -> tuple[Path, Path, bytes]:
    before = master.read_bytes()
    result = CliRunner().invoke(app, ["excel-setup", str(master)])
    assert result.exit_code == 0, result.output
    return master, master.with_suffix(".xlsm"), before


def parts(path: Path) -> dict[str, str]:
    pkg = Package.open(path)
    return {s.name: s.part for s in pkg.sheets() if s.part}


def test_the_original_is_untouched_and_every_other_member_is_byte_identical(upgraded: tuple[Path, Path, bytes]) -> None:
    source, xlsm, before = upgraded
    assert source.read_bytes() == before
    old_raw, new_raw = raw_members(before), raw_members(xlsm.read_bytes())
    old, new = members(before), members(xlsm.read_bytes())
    sheets = parts(source)
    orders = sheets["订单"]
    orders_rels = f"xl/worksheets/_rels/{orders.rsplit('/', 1)[1]}.rels"
    vml = [n for n in old if n.endswith(".vml")]
    allowed = {"xl/workbook.xml", "[Content_Types].xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml", orders_rels,
               *vml, *sheets.values()}
    for name, raw in old_raw.items():
        if name not in allowed:
            assert new_raw[name] == raw, name  # compressed bytes and zip metadata unchanged
    added = set(new) - set(old)
    assert "xl/vbaProject.bin" in added
    assert all(n.startswith(("xl/worksheets/", "xl/customProperty", "xl/vbaProject")) for n in added), added
    for name, part in sheets.items():
        assert row_slices(new[part]) == row_slices(old[part]), name  # every cell keeps its XML
        without = re.sub(rb'<sheetPr codeName="Sheet\d+"/>|(?<=<sheetPr) codeName="Sheet\d+"', b"", new[part])
        if name != "订单":
            assert without == old[part], name  # only the code name was added
    assert b'codeName="ThisWorkbook"' in new["xl/workbook.xml"]
    types = new["[Content_Types].xml"].decode()
    assert MACRO_MAIN_CT in types and VBA_CT in types and "sheet.main+xml" not in types


def test_buttons_join_the_users_note_in_the_same_drawing(upgraded: tuple[Path, Path, bytes]) -> None:
    _, xlsm, before = upgraded
    old, new = members(before), members(xlsm.read_bytes())
    (vml,) = [n for n in old if n.endswith(".vml")]
    assert new[vml].startswith(old[vml][: old[vml].rfind(b"</xml>")])  # the user's shapes keep their bytes
    for button in BUTTONS:
        assert f"[0]!{button.sub}".encode() in new[vml] and button.caption.encode() in new[vml]
    ids = re.findall(rb'id="_x0000_s(\d+)"', new[vml])
    assert len(ids) == len(set(ids)) == 1 + len(BUTTONS)
    comments = [n for n in old if n.startswith("xl/comments")]
    assert all(new[n] == old[n] for n in comments)


def test_olevba_finds_exactly_the_modules_for_the_code_names(master: Path) -> None:
    result = setup_excel(master)
    names = list(result.code_names)
    assert names == [f"Sheet{n}" for n in range(1, len(names) + 1)]
    assert olevba_modules(result.path) == expected_modules("ThisWorkbook", names)


def test_the_copy_reads_checks_and_runs_like_the_original(upgraded: tuple[Path, Path, bytes]) -> None:
    source, xlsm, _ = upgraded
    original, copy = read_workbook(source), read_workbook(xlsm)
    assert copy.orders == original.orders and copy.lines == original.lines and copy.sheets == original.sheets
    conf = load_xlsx(xlsm).sheets[CONF_SHEET]._values
    assert conf[(1, 1)] == "Interpreter_Win" and conf[(4, 2)] == "gendan_xl.udfs" and (5, 1) not in conf
    assert conf[(2, 1)] == "Interpreter_Mac" and conf[(2, 2)] == sys.executable  # the Python that ran excel-setup
    assert (1, 2) not in conf  # Windows' key stays empty on this system
    report = check_workbook(xlsm, today=TODAY, write=True)
    assert {f.code for f in report.findings} == {"price-mismatch"}
    assert b"GendanCheck" in b"".join(v for k, v in members(xlsm.read_bytes()).items() if k.endswith(".vml"))


def test_existing_code_names_are_kept_and_new_ones_do_not_clash(tmp_path: Path) -> None:
    from gendan_xl.workbook.template import write_workbook
    from tests.checks.clean import clean_rows

    def name_sheets(book: xlsxwriter.Workbook, sheets: dict) -> None:  # type: ignore[type-arg]
        sheets["orders"].set_vba_name("Sheet2")  # as a workbook that was once macro-enabled may have
        sheets["lines"].set_vba_name("Lines")

    path = write_workbook(tmp_path / "named.xlsx", clean_rows(), decorate=name_sheets)
    result = setup_excel(path)
    assert result.code_names[:3] == ("Sheet2", "Lines", "Sheet1")
    assert len(set(result.code_names)) == len(result.code_names)
    assert set(olevba_modules(result.path)) >= {"Sheet2", "Lines", "Sheet1", "ThisWorkbook"}


def test_an_existing_conf_sheet_is_kept_and_only_its_interpreter_set(tmp_path: Path) -> None:
    from gendan_xl.workbook.template import write_workbook
    from tests.checks.clean import clean_rows

    def own_conf(book: xlsxwriter.Workbook, sheets: dict) -> None:  # type: ignore[type-arg]
        conf = book.add_worksheet("xlwings.conf")
        for row, pair in enumerate([("Interpreter_Win", r"C:\old\pythonw.exe"), ("INTERPRETER_MAC", "/old/python"),
                                    ("My_Key", "mine")]):
            conf.write_row(row, 0, pair)

    path = write_workbook(tmp_path / "own.xlsx", clean_rows(), decorate=own_conf)
    result = setup_excel(path, interpreters=Interpreters(mac="/Users/lina/gendan/bin/python"))
    conf = load_xlsx(result.path).sheets[CONF_SHEET]._values
    assert conf[(1, 2)] == r"C:\old\pythonw.exe"  # a colleague's Windows path is not ours to change
    assert conf[(2, 1)] == "INTERPRETER_MAC" and conf[(2, 2)] == "/Users/lina/gendan/bin/python"
    assert conf[(3, 1)] == "My_Key" and conf[(3, 2)] == "mine" and (4, 1) not in conf
    assert [s.name for s in Package.open(result.path).sheets()].count(CONF_SHEET) == 1


def test_refusals(upgraded: tuple[Path, Path, bytes], tmp_path: Path) -> None:
    source, xlsm, _ = upgraded
    runner = CliRunner()
    again = runner.invoke(app, ["excel-setup", str(source)])
    assert again.exit_code == 2 and "--force" in again.output
    assert runner.invoke(app, ["excel-setup", str(source), "--force"]).exit_code == 0
    macro = runner.invoke(app, ["excel-setup", str(xlsm)])
    assert macro.exit_code == 2 and "gendan init --excel" in macro.output
    other = runner.invoke(app, ["excel-setup", str(source), "-o", str(tmp_path / "other.xlsx")])
    assert other.exit_code == 2 and ".xlsm" in other.output
    missing = runner.invoke(app, ["excel-setup", str(tmp_path / "nope.xlsx")])
    assert missing.exit_code == 2 and "Traceback" not in missing.output


def test_a_sheet_without_a_drawing_gets_one_in_schema_order(tmp_path: Path) -> None:
    from lxml import etree

    from gendan_xl.demo import write_demo_workbook
    from gendan_xl.ooxml.sheetxml import WORKSHEET_ORDER

    path, _ = write_demo_workbook(tmp_path, today=TODAY)
    assert not any(n.endswith(".vml") for n in members(path.read_bytes()))
    result = setup_excel(path)
    xml = members(result.path.read_bytes())[parts(result.path)["订单"]]
    order = [etree.QName(child).localname.encode() for child in etree.fromstring(xml)]
    assert b"legacyDrawing" in order
    assert [WORKSHEET_ORDER.index(name) for name in order] == sorted(WORKSHEET_ORDER.index(name) for name in order)


def test_libreoffice_opens_the_copy_with_its_modules_and_buttons(upgraded: tuple[Path, Path, bytes], soffice: str,
                                                                 tmp_path: Path) -> None:
    _, xlsm, _ = upgraded
    content, basic = libreoffice_view(soffice, xlsm, tmp_path / "lo")
    assert {"gendan", "xlwings", "Dictionary", "ThisWorkbook"} <= set(basic)
    for button in BUTTONS:
        assert f'form:label="{button.caption}"' in content
        assert f"vnd.sun.star.script:VBAProject.gendan.{button.sub}?language=Basic" in content
    assert "大客户 key account" in content  # the user's note survived
