"""Which Python the Excel buttons start: the values of ``Interpreter_Win`` and ``Interpreter_Mac``.

xlwings' VBA module reads ``Interpreter_Win`` on Windows and ``Interpreter_Mac`` on macOS from the
``xlwings.conf`` sheet; empty, it falls back to the user's xlwings config file and then to
``python`` on the PATH, which is seldom the Python gendan_xl is installed in. So gendan writes the
Python it runs in, shaped the way that system needs it:

* Windows: ``pythonw.exe`` beside ``sys.executable`` (in a virtual environment both sit in
  ``Scripts\\``): it starts without a console window flashing up on every click.
* macOS: ``sys.executable`` as it is named, never resolved: a virtual environment's ``bin/python``
  is a link to the base Python, which does not have gendan_xl.
* Elsewhere (Linux: no Excel, but the tests and CI run there) the POSIX shape of macOS.

Only the key of the running system is set; the other one is left as it is (a colleague on the
other system may have set it), or empty in a new workbook.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath

from gendan_xl.errors import ConfigError

__all__ = ["PORTABLE", "Interpreters", "interpreters_for", "running_interpreters"]

_WINDOWS_SHAPE = re.compile(r"^(?:[A-Za-z]:[\\/]|\\\\|%)|\\|\.exe$", re.IGNORECASE)


@dataclass(frozen=True)
class Interpreters:
    """The values for ``Interpreter_Win`` and ``Interpreter_Mac``; None leaves that key as it is ("" empties it)."""

    win: str | None = None
    mac: str | None = None

    def shown(self) -> str:
        """One line for the user: the keys that are set and their values."""
        parts = [f"{key} = {value or '（空 empty）'}" for key, value in (("Interpreter_Win", self.win),
                                                                      ("Interpreter_Mac", self.mac))
                 if value is not None]
        return "; ".join(parts)


#: ``--portable``: both keys empty, so every computer uses its own xlwings settings or ``python`` on the PATH.
PORTABLE = Interpreters(win="", mac="")


def running_interpreters(executable: str | None = None, platform: str | None = None) -> Interpreters:
    """The running Python (or ``executable``) as the buttons on this system (or ``platform``) must name it."""
    exe = sys.executable if executable is None else executable
    system = sys.platform if platform is None else platform
    if not exe:
        raise ConfigError("无法确定当前 Python 的路径，请用 --interpreter 指定",
                          "cannot tell the path of the running Python; give it with --interpreter")
    if system == "win32":
        return Interpreters(win=_windowless(exe, check=sys.platform == "win32"))
    return Interpreters(mac=exe)


def _windowless(exe: str, *, check: bool) -> str:
    """``pythonw.exe`` beside ``python.exe`` (when ``check``, only if it is there)."""
    path = PureWindowsPath(exe)
    if path.name.lower() != "python.exe":
        return exe
    quiet = path.with_name("pythonw.exe")
    if check and not Path(str(quiet)).exists():
        return exe
    return str(quiet)


def interpreters_for(path: str) -> Interpreters:
    """``--interpreter PATH``: a Windows path sets ``Interpreter_Win``, a POSIX path ``Interpreter_Mac``.

    A path is Windows-shaped when it starts with a drive (``C:\\``), ``\\\\server`` or an
    ``%VARIABLE%`` (xlwings expands those on Windows), contains a backslash or ends in ``.exe``;
    otherwise it must be absolute (``/…``, or ``$HOME/…``, which xlwings expands on macOS).
    """
    text = path.strip()
    if not text:
        raise ConfigError("--interpreter 不能为空（要留空请用 --portable）",
                          "--interpreter cannot be empty (use --portable to leave the Python path empty)")
    if _WINDOWS_SHAPE.search(text):
        return Interpreters(win=text)
    if not text.startswith(("/", "$")):
        raise ConfigError(f"--interpreter 需要完整路径：{text}（如 C:\\Users\\you\\gendan\\Scripts\\pythonw.exe 或 "
                          "/Users/you/gendan/bin/python）",
                          f"--interpreter needs a full path: {text} (such as C:\\Users\\you\\gendan\\Scripts\\pythonw.exe "
                          "or /Users/you/gendan/bin/python)")
    return Interpreters(mac=text)
