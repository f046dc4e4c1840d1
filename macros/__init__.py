"""The VBA modules of the master workbook, shipped with gendan_xl (``gendan_xl.macros``).

In the repository this is the top-level ``macros/`` folder, mapped to the package
``gendan_xl.macros`` in ``pyproject.toml`` so ``importlib.resources`` finds the ``.bas`` and
``.cls`` files in wheels and editable installs alike.
"""
