"""Building blocks for macro-enabled workbooks: compound files, VBA projects, xlwings modules."""
