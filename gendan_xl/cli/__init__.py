"""The ``gendan`` command line: parse options, call the pipeline, print with rich, set the exit code.

Exit codes: 0 — done, no errors in the data; 1 — done, the data has errors (findings of
severity error); 2 — could not run (file missing, not a workbook, encrypted, damaged, missing
sheets or columns, bad option). ``--debug`` shows the traceback of a run that could not go on.

Each command lives in its own module and registers itself on :data:`gendan_xl.cli.app.app`.
"""

from __future__ import annotations

from gendan_xl.cli import basic, check, documents, excel, install, mapping, plan  # noqa: F401 - each module registers its commands
from gendan_xl.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    """Entry point of the ``gendan`` console script."""
    app()
