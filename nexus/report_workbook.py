"""Moved to :mod:`nexus.workbooks.report`. This name stays, as that very module, while branches written
before the move are merged; import from ``nexus.workbooks.report``."""
import sys

from nexus.workbooks import report

sys.modules[__name__] = report
