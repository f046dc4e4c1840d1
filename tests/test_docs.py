"""The hand-written docs: README's two quick-start commands, CI running the same test command, links."""

from __future__ import annotations

import os
import re
from pathlib import Path

from gendan_xl.cli import app

ROOT = Path(__file__).resolve().parents[1]


def quick_start_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```bash\n(.*?)```", section, re.DOTALL)]


def test_readme_has_exactly_two_one_line_commands() -> None:
    commands = quick_start_commands()
    assert len(commands) == 2
    assert all("\n" not in command for command in commands)
    install, test = commands
    assert install.startswith("python3 -m venv .venv && . .venv/bin/activate && pip install -e .")
    assert install.endswith("gendan demo")
    assert "pip install -e '.[test]'" in test and test.endswith("python -m pytest")


def test_ci_runs_the_readme_test_command() -> None:
    script = ROOT / ".ci" / "run"
    text = script.read_text(encoding="utf-8")
    assert os.access(script, os.X_OK)
    assert text.startswith("#!/usr/bin/env bash")
    assert "set -euo pipefail" in text
    assert quick_start_commands()[1] in text
    assert "ruff check ." in text and "mypy gendan_xl" in text
    assert "GENDAN_REQUIRE_SOFFICE=1" in text
    assert "venv --clear" in text  # a fresh environment every run
    assert "python -m build" in text and "twine check --strict" in text
    assert ".ci/wheel-smoke dist/gendan_xl-" in text  # the built wheel, not the source tree, is smoke-tested


def test_the_wheel_smoke_runs_the_commands_that_need_package_data() -> None:
    text = (ROOT / ".ci" / "wheel-smoke").read_text(encoding="utf-8")
    assert os.access(ROOT / ".ci" / "wheel-smoke", os.X_OK) and "set -euo pipefail" in text
    for step in ("setup-macos.command", '"$gendan" demo', '"$gendan" init --excel', '"$gendan" check',
                 '"$gendan" docs', '"$gendan" setup-kit', "Interpreter_Mac"):
        assert step in text, step


def pip_install_lines() -> list[tuple[str, str, str]]:
    """Every ``pip install`` in the README and the hand-written docs: the page, the command, its whole line."""
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    found = []
    for page in pages:
        for line in page.read_text(encoding="utf-8").splitlines():
            found += [(page.name, match.group(0), line) for match in re.finditer(r"pip install[^`]*", line)]
    return found


def test_every_install_line_works_without_pypi() -> None:
    """gendan_xl is not on PyPI yet: the docs install it from a wheel file or from the source tree."""
    lines = pip_install_lines()
    assert len(lines) >= 8
    for page, line, context in lines:
        if "it does not work yet" in context:  # the one line that says how it will be, once published
            continue
        words = line.split()
        targets = [w.strip("\"'") for w in words[2:] if not w.startswith("-") or w.startswith("-e")]
        for target in targets:
            if "gendan_xl" in target or target.startswith((".", "-e")):
                assert target.startswith(("-e", ".")) or re.search(r"gendan_xl-[\d.<>a-z]+-py3-none-any\.whl", target), (
                    page, line)
    published = (ROOT / "docs" / "install.md").read_text(encoding="utf-8")
    assert "not on PyPI yet" in published and 'pip install "gendan_xl[excel]"` will do the same; it does not work yet' \
        in published


def test_cli_page_covers_every_command_and_exit_code() -> None:
    page = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    names = [command.name for command in app.registered_commands]
    assert {"init", "demo", "read"} <= set(names)
    for name in names:
        assert f"### `gendan {name}" in page, name
    for code in ("| 0 |", "| 1 |", "| 2 |"):
        assert code in page
    assert "--debug" in page


def test_index_links_every_page_and_says_which_are_to_come() -> None:
    page = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    for name in ("install.md", "workbook.md", "checks.md", "documents.md", "excel.md", "batch.md", "notebook.md",
                 "cli.md"):
        assert f"({name})" in page
        row = next(line for line in page.splitlines() if line.startswith(f"| [{name}]"))
        exists = (ROOT / "docs" / name).exists()
        assert ("to come" in row) != exists, f"{name}: say 'to come' exactly when the page does not exist yet"
    assert "Excel" in page and "Jupyter" in page and "command line" in page.lower()


def test_the_readme_links_the_install_page() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(docs/install.md)" in readme
    install = (ROOT / "docs" / "install.md").read_text(encoding="utf-8")
    for heading in ("## 1. The set-up script", "## 2. pip, from the wheel", "## 3. From source", "## Upgrading",
                    "## Uninstalling"):
        assert heading in install, heading
