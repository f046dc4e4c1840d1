"""The one-step set-up scripts, shipped with gendan_xl (``gendan_xl.installer``).

In the repository this is the top-level ``installer/`` folder, mapped to the package
``gendan_xl.installer`` in ``pyproject.toml`` (as ``macros/`` is), so the scripts are in the
wheel and ``gendan setup-kit`` can hand them out. The scripts only find Python, make the
virtual environment and install gendan_xl; the rest is ``gendan setup``
(:mod:`gendan_xl.excel.install`), which the tests and CI run.
"""
