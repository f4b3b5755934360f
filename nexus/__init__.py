"""nexus: see where a move to a new ecommerce provider creates tax exposure.

The library is usable without the command line: ``nexus.sales`` reads order
exports, ``nexus.rules`` holds the dated thresholds, ``nexus.check`` turns the
two into findings. ``nexus.cli`` is a thin click wrapper over them.
"""
__version__ = "0.1.0"
