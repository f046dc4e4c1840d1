"""``gendan init --excel``: a ready .xlsm, proved with independent readers (olevba, LibreOffice, calamine)."""

from __future__ import annotations

import re
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

import gendan_xl.xl as xl
from gendan_xl.cli import app
from gendan_xl.excel.conf import CONF_SHEET, conf_rows
from gendan_xl.excel.interpreter import running_interpreters
from gendan_xl.excel.macros import BUTTONS, MACRO_FILES, read_macro
from gendan_xl.pipeline import check_workbook
from gendan_xl.workbook.reader import read_workbook
from gendan_xl.workbook.schema import SHEETS
from tests.checks.clean import TODAY
from tests.excel.xlsm_checks import MACROS, conf_values, expected_modules, libreoffice_view, olevba_modules

SHEET_CODE_NAMES = [f"Sheet{n}" for n in range(1, len(SHEETS) + 2)]  # the schema sheets and xlwings.conf


@pytest.fixture(scope="module")
def xlsm(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("init") / "跟单总表.xlsm"
    result = CliRunner().invoke(app, ["init", "--excel", str(path)])
    assert result.exit_code == 0, result.output
    return path


def test_the_gendan_module_is_one_runpython_line_per_sub_calling_an_entry_point() -> None:
    text = (MACROS / "gendan.bas").read_bytes().decode("ascii")
    subs = re.findall(r"^Sub (\w+)\(\)\r\n(.*?)\r\nEnd Sub", text, re.M | re.S)
    assert [name for name, _ in subs] == [b.sub for b in BUTTONS]
    for _, body in subs:
        m = re.fullmatch(r'    RunPython "import gendan_xl\.xl as g; g\.(\w+)\(\)"', body)
        assert m and m.group(1) in xl.__all__ and callable(getattr(xl, m.group(1)))
    assert all(read_macro(name) == (MACROS / name).read_bytes().decode("ascii") for name, _ in MACRO_FILES)


def test_the_package_parts_of_a_macro_enabled_workbook(xlsm: Path) -> None:
    with zipfile.ZipFile(xlsm) as archive:
        names = archive.namelist()
        types = archive.read("[Content_Types].xml").decode()
        workbook = archive.read("xl/workbook.xml").decode()
        rels = archive.read("xl/_rels/workbook.xml.rels").decode()
        sheets = [archive.read(f"xl/worksheets/sheet{n}.xml").decode() for n in range(1, len(SHEET_CODE_NAMES) + 1)]
        vml = "".join(archive.read(n).decode() for n in names if n.endswith(".vml"))
        orders_rels = archive.read("xl/worksheets/_rels/sheet1.xml.rels").decode()
    assert "xl/vbaProject.bin" in names and "vbaProject" in rels
    assert "application/vnd.ms-excel.sheet.macroEnabled.main+xml" in types
    assert 'codeName="ThisWorkbook"' in workbook
    assert [re.search(r'<sheetPr[^>]*codeName="(\w+)"', s).group(1) for s in sheets] == SHEET_CODE_NAMES  # type: ignore[union-attr]
    assert "vmlDrawing" in orders_rels  # the buttons are on the orders sheet
    for button in BUTTONS:
        assert f"<x:FmlaMacro>[0]!{button.sub}</x:FmlaMacro>" in vml and button.caption in vml


def test_olevba_extracts_exactly_the_module_sources(xlsm: Path) -> None:
    assert olevba_modules(xlsm) == expected_modules("ThisWorkbook", SHEET_CODE_NAMES)


def test_the_conf_sheet_and_the_template_read_back(xlsm: Path) -> None:
    book = CalamineWorkbook.from_path(str(xlsm))
    conf = book.get_sheet_by_name(CONF_SHEET).to_python(skip_empty_area=False)
    keys = [key for key, _, _ in conf_rows(running_interpreters())]
    assert [row[0] for row in conf[: len(keys) + 1]] == [*keys, ""]  # a blank row: xlwings stops there
    assert conf_values(xlsm) == {"Interpreter_Win": "", "Interpreter_Mac": sys.executable, "PYTHONPATH": "",
                                 "UDF Modules": "gendan_xl.udfs"}  # this (POSIX) Python starts the buttons
    workbook = read_workbook(xlsm)
    assert list(workbook.sheets) == [s.key for s in SHEETS] and not workbook.findings


def test_interpreter_and_portable_options(tmp_path: Path) -> None:
    runner = CliRunner()
    windows = r"C:\Users\Lina\gendan\Scripts\pythonw.exe"
    assert runner.invoke(app, ["init", "--excel", str(tmp_path / "w.xlsm"), "--interpreter", windows]).exit_code == 0
    assert conf_values(tmp_path / "w.xlsm")["Interpreter_Win"] == windows
    assert conf_values(tmp_path / "w.xlsm")["Interpreter_Mac"] == ""
    mac = "/Users/lina/gendan/bin/python"
    assert runner.invoke(app, ["init", "--excel", str(tmp_path / "m.xlsm"), "--interpreter", mac]).exit_code == 0
    assert conf_values(tmp_path / "m.xlsm")["Interpreter_Mac"] == mac
    assert runner.invoke(app, ["init", "--excel", str(tmp_path / "p.xlsm"), "--portable"]).exit_code == 0
    portable = conf_values(tmp_path / "p.xlsm")
    assert portable["Interpreter_Win"] == portable["Interpreter_Mac"] == ""
    both = runner.invoke(app, ["init", "--excel", str(tmp_path / "b.xlsm"), "--portable", "--interpreter", mac])
    assert both.exit_code == 2 and not (tmp_path / "b.xlsm").exists()
    relative = runner.invoke(app, ["init", "--excel", str(tmp_path / "r.xlsm"), "--interpreter", "python"])
    assert relative.exit_code == 2 and "full path" in relative.output
    plain = runner.invoke(app, ["init", str(tmp_path / "x.xlsx"), "--portable"])
    assert plain.exit_code == 2 and not (tmp_path / "x.xlsx").exists()


def test_a_workbook_made_from_a_venv_starts_that_venvs_python(tmp_path: Path) -> None:
    """The acceptance case: ``gendan init --excel`` run by a virtual environment's Python names that Python."""
    env = tmp_path / "env"
    venv.create(env, with_pip=False, symlinks=True)  # as `python -m venv` makes it on macOS and Linux
    python = env / "bin" / "python"
    # The new environment sees this one's packages (gendan_xl included, however it is installed) through
    # a .pth line, instead of installing them again; it is still its own environment, with its own
    # sys.executable.
    site = Path(subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    parents = dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
    (site / "parent.pth").write_text("".join(f"import site; site.addsitedir({p!r})\n" for p in parents),
                                     encoding="utf-8")
    target = tmp_path / "跟单总表.xlsm"
    done = subprocess.run([python, "-m", "gendan_xl", "init", "--excel", str(target)], capture_output=True, text=True,
                          cwd=tmp_path, check=False)
    assert done.returncode == 0, done.stderr
    assert conf_values(target)["Interpreter_Mac"] == str(python)  # the venv's own name, not the base it links to
    assert python.is_symlink() and python.resolve() != python


def test_the_same_version_writes_the_same_bytes(xlsm: Path, tmp_path: Path) -> None:
    again = tmp_path / xlsm.name
    assert CliRunner().invoke(app, ["init", "--excel", str(again)]).exit_code == 0
    assert again.read_bytes() == xlsm.read_bytes()


def test_refusals(xlsm: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    wrong = runner.invoke(app, ["init", "--excel", str(tmp_path / "book.xlsx")])
    assert wrong.exit_code == 2 and ".xlsm" in wrong.output
    exists = runner.invoke(app, ["init", "--excel", str(xlsm)])
    assert exists.exit_code == 2 and "already exists" in exists.output
    assert runner.invoke(app, ["init", "--excel", "--force", str(tmp_path / "x.xlsm")]).exit_code == 0


def test_the_command_line_check_keeps_the_macros_and_buttons(xlsm: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.xlsm"
    copy.write_bytes(xlsm.read_bytes())
    before = zipfile.ZipFile(copy).read("xl/vbaProject.bin")
    check_workbook(copy, today=TODAY, write=True)
    with zipfile.ZipFile(copy) as archive:
        assert archive.read("xl/vbaProject.bin") == before
        assert "GendanCheck" in "".join(archive.read(n).decode() for n in archive.namelist() if n.endswith(".vml"))


def test_libreoffice_opens_it_imports_the_modules_and_binds_the_buttons(xlsm: Path, soffice: str,
                                                                       tmp_path: Path) -> None:
    content, basic = libreoffice_view(soffice, xlsm, tmp_path)
    assert set(basic) == {"ThisWorkbook", *SHEET_CODE_NAMES, "gendan", "xlwings", "Dictionary"}
    assert "RunPython &quot;import gendan_xl.xl as g; g.check()&quot;" in basic["gendan"]
    for button in BUTTONS:
        assert f'form:label="{button.caption}"' in content
        assert f"vnd.sun.star.script:VBAProject.gendan.{button.sub}?language=Basic" in content
