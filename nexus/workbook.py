"""Moved to :mod:`nexus.workbooks.sheet`. This name stays, as that very module, while branches written
before the move are merged; import from ``nexus.workbooks.sheet``."""
import sys

from nexus.workbooks import sheet

sys.modules[__name__] = sheet
