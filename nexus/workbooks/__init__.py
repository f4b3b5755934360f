"""The workbooks nexus writes, and the layer they share.

:mod:`nexus.workbooks.sheet` holds the layer: sheets declared from records,
styles, number formats and the print set-up, applied once for every workbook.
Each workbook is a module beside it that declares its sheets
(:mod:`nexus.workbooks.report` for ``nexus check``).
"""
