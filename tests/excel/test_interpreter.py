"""Which Python the buttons start: the running one shaped for each system, or a path given with --interpreter."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from gendan_xl.errors import ConfigError
from gendan_xl.excel.interpreter import PORTABLE, Interpreters, interpreters_for, running_interpreters


@pytest.mark.parametrize(("executable", "expected"), [
    (r"C:\Users\Lina\gendan\Scripts\python.exe", r"C:\Users\Lina\gendan\Scripts\pythonw.exe"),  # a venv
    (r"C:\Users\李娜\AppData\Local\Programs\Python\Python312\PYTHON.EXE",
     r"C:\Users\李娜\AppData\Local\Programs\Python\Python312\pythonw.exe"),  # a base install, any case
    (r"C:\Users\Lina\gendan\Scripts\pythonw.exe", r"C:\Users\Lina\gendan\Scripts\pythonw.exe"),
    (r"D:\tools\python3.12.exe", r"D:\tools\python3.12.exe"),  # no pythonw beside an unusual name: kept
])
def test_windows_gets_pythonw_beside_the_running_python(executable: str, expected: str) -> None:
    assert running_interpreters(executable, "win32") == Interpreters(win=expected, mac=None)


@pytest.mark.parametrize("platform", ["darwin", "linux"])
def test_posix_systems_get_the_venv_python_as_named(platform: str) -> None:
    exe = "/Users/lina/gendan/bin/python"  # a link to the base Python: it must not be resolved
    assert running_interpreters(exe, platform) == Interpreters(win=None, mac=exe)


def test_an_unknown_executable_is_an_error() -> None:
    with pytest.raises(ConfigError, match="--interpreter"):
        running_interpreters("", "darwin")


@pytest.mark.parametrize("path", [r"C:\Python312\pythonw.exe", "C:/Python312/pythonw.exe", r"\\server\py\pythonw.exe",
                                  r"%USERPROFILE%\gendan\Scripts\pythonw.exe", r"relative\python.exe"])
def test_windows_shaped_paths_set_interpreter_win(path: str) -> None:
    assert interpreters_for(path) == Interpreters(win=path)


@pytest.mark.parametrize("path", ["/Users/lina/gendan/bin/python", "$HOME/gendan/bin/python", " /opt/py/bin/python3 "])
def test_posix_paths_set_interpreter_mac(path: str) -> None:
    assert interpreters_for(path) == Interpreters(mac=path.strip())


@pytest.mark.parametrize("path", ["", "   ", "python", "gendan/bin/python", "~/gendan/bin/python"])
def test_a_path_that_is_not_full_is_refused(path: str) -> None:
    with pytest.raises(ConfigError):
        interpreters_for(path)


@given(st.lists(st.text(st.characters(blacklist_characters="/\\\x00%", blacklist_categories=["Cs"]), min_size=1),
                min_size=1, max_size=5))
def test_any_absolute_posix_path_without_backslash_sets_the_mac_key(parts: list[str]) -> None:
    path = "/" + "/".join(parts)
    assume(path.strip() == path and not path.lower().endswith(".exe"))
    assert interpreters_for(path) == Interpreters(mac=path)


def test_portable_empties_both_and_shown_says_so() -> None:
    assert Interpreters("", "") == PORTABLE
    assert "Interpreter_Win" in PORTABLE.shown() and "Interpreter_Mac" in PORTABLE.shown()
    assert Interpreters(mac="/x/python").shown() == "Interpreter_Mac = /x/python"
