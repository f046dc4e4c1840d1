"""Macro-enabled master workbooks: compound files, VBA projects, xlwings modules, the Excel buttons.

:mod:`.cfb` and :mod:`.vba` build a ``vbaProject.bin`` without Office; :mod:`.xlwings_vba` keeps
xlwings' standalone modules in step with the pinned xlwings; :mod:`.macros` assembles the master
workbook's project; :mod:`.xlsm` writes a new workbook with buttons (``gendan init --excel``),
:mod:`.setup` upgrades an existing one (``gendan excel-setup``); :mod:`.livedocs` logs documents
made from the Excel button.
"""
