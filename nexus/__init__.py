"""nexus: see where a move to a new ecommerce provider creates tax exposure.

The library is usable without the command line (``nexus.cli`` is a thin click
wrapper over it). Where things are, in the order a check runs:

* reading orders: ``nexus.spreadsheets`` reads the rows of any CSV, TSV or
  XLSX file; ``nexus.sales`` folds order exports into daily totals (a
  ``Ledger``, ``nexus.ledger``), each cell read by ``nexus.cells``, nexus's
  own header by ``nexus.columns``, each order a ``nexus.orders`` record;
  one reader per platform in ``nexus.exports``;
  ``nexus.own_layout_fast`` and ``nexus.fast_exports`` do the same with
  DuckDB for large files (DuckDB run by ``nexus.duckdb_session``, on the
  input ``nexus.plain_input`` finds it reads as nexus's own reader does,
  its daily totals handed to the ledger by ``nexus.duckdb_totals``), and
  ``nexus.engine`` chooses the reader;
  ``nexus.aggregates`` reads daily totals made elsewhere;
* the rules, as dated data from ``data/``: ``nexus.rules`` (thresholds),
  ``nexus.timing_rules`` (start of collection, registration deadlines),
  ``nexus.tax_rates``, ``nexus.penalties``, ``nexus.fx`` (exchange rates);
* the check: ``nexus.measures`` measures each rule's test, ``nexus.presence``
  judges servers, clouds, CDNs, stock and people, ``nexus.check`` turns them
  into findings (their words in ``nexus.reasons``), dated by ``nexus.windows``
  and ``nexus.timing`` (the crossing ahead by ``nexus.projection``, every dated
  event in ``nexus.timeline``) and estimated by ``nexus.exposure`` (its
  records in ``nexus.exposure_records``, the returns and their due dates in
  ``nexus.returns``, the days it counts in ``nexus.days_due``, the voluntary
  disclosure in ``nexus.voluntary_disclosure``);
* outputs: ``nexus.terminal``, ``nexus.report`` (the sentences they share),
  ``nexus.text_safety`` (text made safe for a screen, a spreadsheet, JSON),
  ``nexus.report_json`` and ``nexus.report_csv`` (the check's JSON and CSV),
  ``nexus.books_report`` (the books commands' screens), ``nexus.workbooks``,
  ``nexus.memo`` (HTML), ``nexus.accrual`` and ``nexus.journal``;
* around the check: ``nexus.review`` (the quarterly currency review),
  ``nexus.chart`` (reading a chart of accounts), ``nexus.account_kinds`` (what
  each account of it is), ``nexus.accounts`` and ``nexus.numbering``
  (chart-of-accounts plans, their records in ``nexus.account_records``, what a
  chart lacks in ``nexus.account_needs``, from the places
  ``nexus.check_document`` reads in a check's JSON) with
  one module per ledger in ``nexus.targets``, ``nexus.products_check`` (SKUs
  against the ERP, one reader per ERP in ``nexus.erp_items``) and
  ``nexus.provider`` (candidate providers compared: the roles each takes in
  ``nexus.provider_roles``, what it changes in presence, the findings and the
  currencies in ``nexus.provider_presence``, ``nexus.provider_changes`` and
  ``nexus.provider_currencies``).
"""
__version__ = "0.1.0"
