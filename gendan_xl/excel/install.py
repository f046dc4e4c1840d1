"""``gendan setup``: the Python side of the one-step set-up scripts, and the kit they ship in.

The scripts (``installer/setup-windows.cmd``, ``installer/setup-macos.command``; in the wheel
``gendan_xl.installer``) do only what needs no gendan_xl: find a Python ≥ 3.11, make the virtual
environment, install ``gendan_xl[excel]`` into it (from the wheel beside the script, else from
the package index). Then they run ``python -m gendan_xl setup --ask`` with that environment's
Python, which does the rest here, where CI tests it:

1. check that the Excel extra is installed (the xlwings version the workbook's modules are for);
2. on macOS, install xlwings' AppleScript runner (``xlwings runpython install``), without which
   Excel for Mac cannot start Python;
3. make or upgrade the workbook (:func:`prepare_workbook`): a new ``跟单总表.xlsm`` in Documents,
   an ``.xlsx`` given → its macro-enabled copy beside it, an ``.xlsm`` → its Python path set —
   always with this environment's Python on ``xlwings.conf``;
4. say what to click next (:func:`next_steps`), in Chinese and English.
"""

from __future__ import annotations

import os
import shlex
import stat
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from pathlib import Path

from gendan_xl.errors import ConfigError
from gendan_xl.excel.conf import configure_excel
from gendan_xl.excel.interpreter import Interpreters
from gendan_xl.excel.macros import read_macro
from gendan_xl.excel.setup import setup_excel
from gendan_xl.excel.xlsm import create_excel_workbook
from gendan_xl.excel.xlwings_vba import pinned_xlwings_version_in_module

__all__ = [
    "DEFAULT_WORKBOOK_NAME",
    "KIT_FILES",
    "SetupOutcome",
    "WorkbookAction",
    "check_excel_extra",
    "default_workbook",
    "install_runpython",
    "next_steps",
    "parse_dropped_path",
    "prepare_workbook",
    "write_setup_kit",
]

DEFAULT_WORKBOOK_NAME = "跟单总表.xlsm"
#: The files of the set-up kit, as shipped in ``gendan_xl.installer``; the scripts must be executable.
KIT_FILES = (("setup-windows.cmd", False), ("setup-macos.command", True), ("README.txt", False))


class WorkbookAction(StrEnum):
    """What set-up did to the workbook."""

    CREATED = "created"  # a new master workbook with the buttons
    MACROS_ADDED = "macros-added"  # an .xlsx given: its macro-enabled copy written beside it
    CONFIGURED = "configured"  # an existing .xlsm: its Python path set
    UNCHANGED = "unchanged"  # an existing .xlsm already starts this Python


@dataclass(frozen=True)
class SetupOutcome:
    """The workbook set-up made or upgraded, what it did, and from which ``.xlsx`` if one was given."""

    workbook: Path
    action: WorkbookAction
    interpreters: Interpreters
    source: Path | None = None


def check_excel_extra() -> str:
    """The installed xlwings version; a ConfigError unless it is the one the workbook's VBA modules are for."""
    from importlib import metadata

    pinned = pinned_xlwings_version_in_module(read_macro("xlwings.bas"))
    try:
        installed = metadata.version("xlwings")
    except metadata.PackageNotFoundError:
        raise ConfigError(f"此 Python 未安装 xlwings，按钮无法运行：请安装 gendan_xl[excel]（xlwings {pinned}）",
                          f"xlwings is not installed in this Python, so the buttons cannot run: install "
                          f"gendan_xl[excel] (xlwings {pinned})") from None
    if installed != pinned:
        raise ConfigError(f"xlwings 版本为 {installed}，工作簿的宏需要 {pinned}：请重新安装 gendan_xl[excel]",
                          f"xlwings is {installed} but the workbook's macros need {pinned}: reinstall gendan_xl[excel]")
    return installed


def install_runpython(install: Callable[[object], None] | None = None, home: Path | None = None) -> Path:
    """Do ``xlwings runpython install`` (macOS: Excel starts Python through that AppleScript); return its path.

    It calls the function behind that command (xlwings registers the command only on macOS),
    which copies xlwings' ``.applescript`` into ``~/Library/Application Scripts/com.microsoft.Excel``.
    """
    from importlib import metadata

    if install is None:
        from xlwings.cli import runpython_install

        install = runpython_install
    try:
        install(None)
    except OSError as exc:
        raise ConfigError(f"xlwings runpython install 未成功：{exc}",
                          f"xlwings runpython install did not succeed: {exc}") from exc
    script = ((home or Path.home()) / "Library" / "Application Scripts" / "com.microsoft.Excel"
              / f"xlwings-{metadata.version('xlwings')}.applescript")
    if not script.is_file():
        raise ConfigError(f"xlwings runpython install 未生成 {script}", f"xlwings runpython install did not write {script}")
    return script


def default_workbook(home: Path | None = None) -> Path:
    """Where set-up makes the workbook when none is given: ``跟单总表.xlsm`` in Documents (or the home folder)."""
    base = home or Path.home()
    documents = base / "Documents"
    return (documents if documents.is_dir() else base) / DEFAULT_WORKBOOK_NAME


def parse_dropped_path(text: str, *, posix: bool | None = None) -> Path | None:
    """A path typed or dragged into the terminal (quoted, or with ``\\ `` escapes on macOS); None for an empty answer."""
    answer = text.strip()
    if not answer:
        return None
    shell_style = (os.name != "nt") if posix is None else posix
    if shell_style and ("\\" in answer or answer[:1] in "'\""):
        try:
            parts = shlex.split(answer)
        except ValueError:
            parts = [answer]
        answer = " ".join(parts)
    elif len(answer) >= 2 and answer[0] == answer[-1] == '"':  # Windows quotes a dragged path with spaces
        answer = answer[1:-1]
    return Path(answer).expanduser()


def prepare_workbook(path: Path | None, interpreters: Interpreters, *, home: Path | None = None,
                     force: bool = False) -> SetupOutcome:
    """Make or upgrade the workbook (see the module docstring); never overwrite one."""
    target = default_workbook(home) if path is None else path
    suffix = target.suffix.lower()
    if suffix == ".xlsx":
        copy = target.with_suffix(".xlsm")
        if copy.exists():  # set up before: keep the .xlsm the user works in, only point it at this Python
            return _configure(copy, interpreters, force, source=target)
        result = setup_excel(target, interpreters=interpreters)
        return SetupOutcome(result.path, WorkbookAction.MACROS_ADDED, interpreters, source=target)
    if suffix != ".xlsm":
        raise ConfigError(f"请给出 .xlsx 或 .xlsm 工作簿：{target.name}",
                          f"give an .xlsx or .xlsm workbook: {target.name}", path=target)
    if target.exists():
        return _configure(target, interpreters, force)
    target.parent.mkdir(parents=True, exist_ok=True)
    return SetupOutcome(create_excel_workbook(target, interpreters=interpreters), WorkbookAction.CREATED, interpreters)


def _configure(path: Path, interpreters: Interpreters, force: bool, *, source: Path | None = None) -> SetupOutcome:
    result = configure_excel(path, interpreters, force=force)
    action = WorkbookAction.CONFIGURED if result.changed else WorkbookAction.UNCHANGED
    return SetupOutcome(path, action, interpreters, source=source)


def next_steps(workbook: Path, platform: str | None = None) -> list[tuple[str, str]]:
    """What to do with a workbook just set up, as (Chinese, English) lines, for Windows, macOS or a system without Excel."""
    system = sys.platform if platform is None else platform
    name = workbook.name
    steps = [(f"打开工作簿 {workbook}", f"open the workbook {workbook}")]
    if system == "win32":
        steps += [
            ("如出现黄色的“安全警告：宏已被禁用”栏，点“启用内容”",
             "if a yellow bar says “SECURITY WARNING Macros have been disabled”, click Enable Content"),
            (f"如出现红色栏“Microsoft 已阻止宏运行，因为此文件的来源不受信任”（文件来自邮件或下载）：关闭 Excel，在资源管理器中"
             f"右键 {name} → 属性 → 勾选“解除锁定” → 确定，再打开",
             f"if a red bar says “Microsoft has blocked macros from running because the source of this file is "
             f"untrusted” (the file came by e-mail or download): close Excel, right-click {name} in Explorer → "
             "Properties → tick Unblock → OK, and open it again"),
        ]
    elif system == "darwin":
        steps += [
            ("Excel 询问宏时点“启用宏”", "when Excel asks about macros, click Enable Macros"),
            ("第一次点按钮时 macOS 可能询问 Excel 能否控制其他应用或访问文件夹：点“好”，然后再点一次按钮",
             "the first click may ask whether Excel may control other apps or access a folder: allow it, then click "
             "the button again"),
        ]
    else:
        return [("此系统没有 Excel：把工作簿复制到装有 gendan_xl 的 Windows 或 Mac 电脑，在那里运行安装脚本或 "
                 "gendan excel-config 设置 Python 路径",
                 "there is no Excel on this system: copy the workbook to a Windows or Mac computer with gendan_xl "
                 "installed and run the set-up script or gendan excel-config there to set its Python")]
    steps += [
        ("点订单表表头右侧的“检查 Check”按钮", "click the 检查 Check button, right of the headers on the orders sheet"),
        ("以后移动或重装了 Python（gendan 文件夹）：再运行一次安装脚本", "after moving or reinstalling Python (the gendan "
         "folder): run this set-up script again"),
    ]
    return steps


def write_setup_kit(out: Path, wheel: Path | None = None) -> list[Path]:
    """Write the set-up scripts (and ``wheel``, if given) into folder ``out``, or into a zip when it ends in ``.zip``.

    A zip keeps the macOS script executable (Finder's Archive Utility restores the mode).
    """
    if wheel is not None and not (wheel.is_file() and wheel.name.startswith("gendan_xl-") and wheel.suffix == ".whl"):
        raise ConfigError(f"不是 gendan_xl 的 wheel 文件：{wheel}", f"not a gendan_xl wheel file: {wheel}", path=wheel)
    shipped = resources.files("gendan_xl.installer")
    files = [(name, shipped.joinpath(name).read_bytes(), executable) for name, executable in KIT_FILES]
    if wheel is not None:
        files.append((wheel.name, wheel.read_bytes(), False))
    if out.suffix.lower() == ".zip":
        folder = out.stem
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data, executable in files:
                info = zipfile.ZipInfo(f"{folder}/{name}", date_time=(2026, 1, 1, 0, 0, 0))
                info.external_attr = ((0o755 if executable else 0o644) | stat.S_IFREG) << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, data)
        return [out]
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data, executable in files:
        path = out / name
        path.write_bytes(data)
        if executable:
            path.chmod(0o755)
        written.append(path)
    return written
