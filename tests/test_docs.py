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
    for name in ("workbook.md", "checks.md", "documents.md", "excel.md", "batch.md", "notebook.md", "cli.md"):
        assert f"({name})" in page
        row = next(line for line in page.splitlines() if line.startswith(f"| [{name}]"))
        exists = (ROOT / "docs" / name).exists()
        assert ("to come" in row) != exists, f"{name}: say 'to come' exactly when the page does not exist yet"
    assert "Excel" in page and "Jupyter" in page and "command line" in page.lower()
