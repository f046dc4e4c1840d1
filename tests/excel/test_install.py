"""``gendan setup`` (what the set-up scripts run) and ``gendan setup-kit``: the tested Python side of the install."""

from __future__ import annotations

import sys
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gendan_xl.cli import app
from gendan_xl.errors import ConfigError
from gendan_xl.excel import install
from gendan_xl.excel.install import (
    DEFAULT_WORKBOOK_NAME,
    WorkbookAction,
    check_excel_extra,
    default_workbook,
    install_runpython,
    next_steps,
    parse_dropped_path,
    prepare_workbook,
    write_setup_kit,
)
from gendan_xl.excel.interpreter import Interpreters
from gendan_xl.excel.xlwings_vba import installed_xlwings_dir
from gendan_xl.pipeline import create_workbook
from tests.excel.xlsm_checks import conf_values

ROOT = Path(__file__).resolve().parents[2]
MAC = "/Users/lina/gendan/bin/python"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fake home folder with Documents, as on Windows and macOS."""
    folder = tmp_path / "home"
    (folder / "Documents").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(folder))
    monkeypatch.setenv("USERPROFILE", str(folder))
    return folder


def test_no_workbook_given_makes_one_in_documents_then_only_updates_it(home: Path) -> None:
    made = prepare_workbook(None, Interpreters(mac=MAC), home=home)
    assert made.workbook == home / "Documents" / DEFAULT_WORKBOOK_NAME and made.action is WorkbookAction.CREATED
    assert conf_values(made.workbook)["Interpreter_Mac"] == MAC
    before = made.workbook.read_bytes()
    again = prepare_workbook(None, Interpreters(mac=MAC), home=home)
    assert again.action is WorkbookAction.UNCHANGED and made.workbook.read_bytes() == before
    moved = prepare_workbook(None, Interpreters(mac="/Users/lina/new/bin/python"), home=home)
    assert moved.action is WorkbookAction.CONFIGURED
    assert conf_values(made.workbook)["Interpreter_Mac"] == "/Users/lina/new/bin/python"
    assert len(list(made.workbook.parent.glob("*.xlsm"))) == 1  # updated in place, never a second workbook


def test_without_documents_the_home_folder_is_used(tmp_path: Path) -> None:
    assert default_workbook(tmp_path) == tmp_path / DEFAULT_WORKBOOK_NAME


def test_an_xlsx_gets_its_copy_once_then_the_copy_is_updated(tmp_path: Path) -> None:
    source = create_workbook(tmp_path / "现有总表.xlsx")
    before = source.read_bytes()
    first = prepare_workbook(source, Interpreters(mac=MAC))
    assert first.action is WorkbookAction.MACROS_ADDED and first.workbook == source.with_suffix(".xlsm")
    assert source.read_bytes() == before and conf_values(first.workbook)["Interpreter_Mac"] == MAC
    second = prepare_workbook(source, Interpreters(win=r"C:\gendan\Scripts\pythonw.exe"))
    assert second.action is WorkbookAction.CONFIGURED and second.source == source
    assert conf_values(first.workbook)["Interpreter_Win"] == r"C:\gendan\Scripts\pythonw.exe"


def test_other_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"xlsx or \.xlsm"):
        prepare_workbook(tmp_path / "orders.xls", Interpreters(mac=MAC))


@pytest.mark.parametrize(("typed", "posix", "expected"), [
    ("", True, None),
    ("   \n", False, None),
    ("/Users/lina/Documents/跟单\\ 总表.xlsx ", True, "/Users/lina/Documents/跟单 总表.xlsx"),  # Terminal escapes
    ("'/Users/lina/My Files/总表.xlsm'", True, "/Users/lina/My Files/总表.xlsm"),
    ('"C:\\Users\\Lina\\My Files\\总表.xlsx"', False, "C:\\Users\\Lina\\My Files\\总表.xlsx"),  # Windows quotes
    ("C:\\Users\\Lina\\总表.xlsx", False, "C:\\Users\\Lina\\总表.xlsx"),
])
def test_a_dragged_or_typed_path(typed: str, posix: bool, expected: str | None) -> None:
    result = parse_dropped_path(typed, posix=posix)
    assert (None if result is None else str(result)) == expected


def test_the_excel_extra_must_be_the_pinned_xlwings(monkeypatch: pytest.MonkeyPatch) -> None:
    assert check_excel_extra() == "0.37.8" == metadata.version("xlwings")
    real = metadata.version

    def missing(name: str) -> str:
        if name == "xlwings":
            raise metadata.PackageNotFoundError(name)
        return real(name)

    monkeypatch.setattr(metadata, "version", missing)
    with pytest.raises(ConfigError, match=r"gendan_xl\[excel\]"):
        check_excel_extra()
    monkeypatch.setattr(metadata, "version", lambda name: "0.30.0" if name == "xlwings" else real(name))
    with pytest.raises(ConfigError, match=r"0\.30\.0"):
        check_excel_extra()


def test_runpython_install_puts_xlwings_applescript_where_excel_for_mac_looks(home: Path) -> None:
    script = install_runpython(home=home)  # xlwings' own function; on Linux it copies the file all the same
    assert script == home / "Library" / "Application Scripts" / "com.microsoft.Excel" / "xlwings-0.37.8.applescript"
    assert script.read_bytes() == (installed_xlwings_dir() / "xlwings-0.37.8.applescript").read_bytes()


def test_a_failing_runpython_install_is_a_clear_error(home: Path) -> None:
    def denied(args: object) -> None:
        raise PermissionError(13, "Permission denied")

    with pytest.raises(ConfigError, match="Permission denied"):
        install_runpython(denied, home=home)
    with pytest.raises(ConfigError, match="did not write"):
        install_runpython(lambda args: None, home=home)


def test_next_steps_say_what_to_click_on_each_system(tmp_path: Path) -> None:
    book = tmp_path / "跟单总表.xlsm"
    windows = " ".join(zh + en for zh, en in next_steps(book, "win32"))
    assert "启用内容" in windows and "Enable Content" in windows and "解除锁定" in windows and "Unblock" in windows
    mac = " ".join(zh + en for zh, en in next_steps(book, "darwin"))
    assert "启用宏" in mac and "Enable Macros" in mac and "Unblock" not in mac
    assert all(str(book) in steps[0][0] and str(book) in steps[0][1]
               for steps in (next_steps(book, "win32"), next_steps(book, "darwin")))
    (linux,) = next_steps(book, "linux")
    assert "Excel" in linux[0] and "excel-config" in linux[1]


def test_the_setup_command_without_a_terminal_makes_the_default_workbook(home: Path) -> None:
    result = CliRunner().invoke(app, ["setup", "--ask"], input="")  # no terminal: nothing is asked
    assert result.exit_code == 0, result.output
    workbook = home / "Documents" / DEFAULT_WORKBOOK_NAME
    assert conf_values(workbook)["Interpreter_Mac"] == sys.executable
    flat = result.output.replace("\n", "")  # rich wraps long paths
    assert "xlwings 0.37.8" in flat and "Created" in flat and str(workbook) in flat


def test_the_setup_command_on_macos_installs_the_runner(home: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    source = create_workbook(tmp_path / "现有总表.xlsx")
    monkeypatch.setattr(sys, "platform", "darwin")
    result = CliRunner().invoke(app, ["setup", str(source)])
    assert result.exit_code == 0, result.output
    assert (home / "Library" / "Application Scripts" / "com.microsoft.Excel" / "xlwings-0.37.8.applescript").is_file()
    assert "Enable Macros" in result.output
    assert conf_values(source.with_suffix(".xlsm"))["Interpreter_Mac"] == sys.executable


def test_the_setup_command_asks_in_a_terminal(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from gendan_xl.cli import install as cli_install

    source = create_workbook(tmp_path / "我的 总表.xlsx")
    answers = iter(["/no/such/file.xlsx", str(source).replace(" ", "\\ ")])  # a typo, then a dragged file
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    assert cli_install.ask_for_workbook(default_workbook()) == source
    monkeypatch.setattr("builtins.input", lambda prompt="": "")
    assert cli_install.ask_for_workbook(default_workbook()) is None

    def ended(prompt: str = "") -> str:
        raise EOFError

    monkeypatch.setattr("builtins.input", ended)
    assert cli_install.ask_for_workbook(default_workbook()) is None


def test_the_setup_command_stops_without_xlwings(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_xlwings() -> str:
        raise ConfigError("此 Python 未安装 xlwings", "xlwings is not installed in this Python")

    monkeypatch.setattr(install, "check_excel_extra", no_xlwings)
    result = CliRunner().invoke(app, ["setup"])
    assert result.exit_code == 2 and "xlwings is not installed" in result.output
    assert not (home / "Documents" / DEFAULT_WORKBOOK_NAME).exists()


def fake_wheel(folder: Path) -> Path:
    wheel = folder / "gendan_xl-0.1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("gendan_xl/__init__.py", "")
    return wheel


def test_the_kit_holds_the_shipped_scripts_and_the_wheel(tmp_path: Path) -> None:
    wheel = fake_wheel(tmp_path)
    result = CliRunner().invoke(app, ["setup-kit", str(tmp_path / "kit"), "--wheel", str(wheel)])
    assert result.exit_code == 0, result.output
    kit = tmp_path / "kit"
    assert sorted(p.name for p in kit.iterdir()) == sorted(["README.txt", "setup-macos.command", "setup-windows.cmd",
                                                             wheel.name])
    for name in ("README.txt", "setup-macos.command", "setup-windows.cmd"):
        assert (kit / name).read_bytes() == (ROOT / "installer" / name).read_bytes()
    assert (kit / "setup-macos.command").stat().st_mode & 0o111
    assert (kit / wheel.name).read_bytes() == wheel.read_bytes()


def test_a_zipped_kit_keeps_the_macos_script_executable(tmp_path: Path) -> None:
    wheel = fake_wheel(tmp_path)
    (out,) = write_setup_kit(tmp_path / "gendan-setup.zip", wheel)
    with zipfile.ZipFile(out) as archive:
        modes = {info.filename: info.external_attr >> 16 for info in archive.infolist()}
        assert archive.read("gendan-setup/setup-windows.cmd") == (ROOT / "installer" / "setup-windows.cmd").read_bytes()
    assert modes["gendan-setup/setup-macos.command"] & 0o777 == 0o755
    assert modes["gendan-setup/setup-windows.cmd"] & 0o777 == 0o644
    assert f"gendan-setup/{wheel.name}" in modes


def test_the_kit_refuses_what_is_not_a_gendan_wheel(tmp_path: Path) -> None:
    other = tmp_path / "other-1.0-py3-none-any.whl"
    other.write_bytes(b"")
    result = CliRunner().invoke(app, ["setup-kit", str(tmp_path / "kit"), "--wheel", str(other)])
    assert result.exit_code == 2 and not (tmp_path / "kit").exists()
    without = CliRunner().invoke(app, ["setup-kit", str(tmp_path / "kit2")])
    assert without.exit_code == 0 and "not published" in without.output
