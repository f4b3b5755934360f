"""nexus: see where a move to a new ecommerce provider creates tax exposure.

The library is usable without the command line: ``nexus.sales`` reads order
exports (``nexus.engine`` with DuckDB for large ones, ``nexus.aggregates``
for daily totals made elsewhere), ``nexus.rules`` holds the dated thresholds
(US states, VAT/GST abroad), ``nexus.presence`` judges servers, clouds, CDNs,
stock and people, ``nexus.check`` turns them into findings, and
``nexus.workbooks.report`` into the accountants' workbook. ``nexus.review`` and
``nexus.accounts`` serve the quarterly currency review and the chart of
accounts. ``nexus.cli`` is a thin click wrapper over them.
"""
__version__ = "0.1.0"
