"""nexus check: the main job."""
from __future__ import annotations

import gc
import os
import sys
import time
from dataclasses import replace
from datetime import date
from decimal import Decimal, InvalidOperation

import click

from nexus import exports, presence, report_csv, report_json, store, timestamps
from nexus import engine as fast
from nexus.check import DEFAULT_WARN_AT, check
from nexus.findings import FAIL_ON, Context, act_now
from nexus.registrations import read_registrations
from nexus.projection import PROJECTIONS
from nexus.errors import FetchError, NexusError
from nexus.fx import FX_POLICIES, STORED, Rates, load_rates
from nexus.rules import CATEGORIES, load_rules
from nexus.read_options import ReadOptions
from nexus.ledger import paused_gc
from nexus.sales import REPEATED_ORDERS
from nexus.tax_rates import load_tax_book, with_user_rates
from nexus.cli import cli
from nexus.cli.common import (ColumnType, CurrencyType, DateType, Failure, OrderCurrencyType, OrderStatusType,
                              ahead_of_today, echo, emit, is_stdout, no_workbook_on_stdout, parse_home,
                              refuse_overwriting_inputs, run_library, screen_width, store_input)


class DelimiterType(click.ParamType):
    """A CSV field separator by name (comma, semicolon, tab, pipe) or as the character itself."""

    name = "comma|semicolon|tab|pipe"
    NAMES = {"comma": ",", ",": ",", "semicolon": ";", ";": ";", "tab": "\t", "\\t": "\t", "pipe": "|", "|": "|"}

    def convert(self, value, param, ctx):
        found = "\t" if value == "\t" else self.NAMES.get(value.strip().lower())
        if found is None:
            self.fail(f"{value!r} is not a delimiter nexus reads: comma, semicolon, tab or pipe", param, ctx)
        return found


@cli.command(name="check", short_help="Assess tax nexus and the tax at stake from order exports.")
@click.option("--sales", "sales", multiple=True, type=click.Path(dir_okay=False),
              help="Order export (CSV, TSV, XLSX or Parquet). Repeat for several files.")
@click.option("--aggregates", "aggregate_files", multiple=True, type=click.Path(dir_okay=False),
              help="Daily aggregates (CSV or Parquet) made by the query 'nexus sql' prints, instead of orders.")
@click.option("--as-of", type=DateType(), default=None, help="Date to assess, YYYY-MM-DD (default: today).")
@click.option("--rates", "rates", multiple=True, metavar="FILE|URL",
              help="Rates: ECB files (eurofxref-hist.csv/.zip or XML) or a treasury CSV; repeat to combine, "
                   "first wins; then the local store ('nexus rates fetch').")
@click.option("--fx-policy", type=click.Choice(FX_POLICIES), default="daily", show_default=True,
              help="Rate for each sale: its day's, its month's average, or the period's last.")
@click.option("--home", metavar="CODE",
              help="Where the seller is established: a country (DE, JP) or a state or province (US-CA, CA-QC).")
@click.option("--db", type=click.Path(dir_okay=False), help="The local store (default: in your user data folder).")
@click.option("--presence", "presence_file", type=click.Path(dir_okay=False),
              help="Servers, cloud regions, CDNs, warehouses, people (CSV or XLSX): the physical-presence test.")
@click.option("--warn-at", default=str(DEFAULT_WARN_AT), show_default=True, metavar="SHARE",
              help="Share of a threshold at which a jurisdiction is 'approaching'.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False),
              help="Write to FILE instead of standard output ('-': standard output).")
@click.option("--workbook", type=click.Path(dir_okay=False),
              help="Also write the report workbook to FILE.xlsx: Summary, Chart, Findings, Timeline, Presence, "
                   "Rules, Assumptions, and hidden appendices (Monthly detail, Exposure, Rejected rows...), ready "
                   "to print.")
@click.option("--html", type=click.Path(dir_okay=False),
              help="Also write the memo to FILE.html: one self-contained page with the headline, maps, timeline, "
                   "jurisdictions, presence, rules and sources, for a browser or its Save as PDF.")
@click.option("--fail-on", type=click.Choice(FAIL_ON),
              help="Exit 1 if nexus exists outside the home (nexus: from sales or presence), or if the sales test "
                   "is exceeded (exceeded; approaching: or approaching), or presence creates nexus (creates), or a "
                   "registration deadline has passed with no registration (overdue).")
@click.option("--registrations", "registrations_file", type=click.Path(dir_okay=False),
              help="Registrations the company holds (CSV or XLSX: jurisdiction, registered_on, collecting_from, id, "
                   "note, optional closed_on and filing): registered places need no action, and gaps in collection are "
                   "shown.")
@click.option("--tax-rates", "tax_rates_file", type=click.Path(dir_okay=False),
              help="Your own tax rates (CSV or XLSX: jurisdiction, from, to, rate, optional category), ahead of the "
                   "bundled ones in the estimate of the tax at stake; a rate as 0.0625 or 6.25%.")
@click.option("--report-currency", type=CurrencyType(), default="USD", show_default=True, metavar="CODE",
              help="Currency of the estimate's totals, converted at the as-of date's rate.")
@click.option("--horizon", type=click.IntRange(min=1, max=3660), default=365, show_default=True, metavar="DAYS",
              help="How far ahead to project crossings at the recent pace.")
@click.option("--projection", type=click.Choice(PROJECTIONS), default="run-rate", show_default=True,
              help="The pace projected: the daily average of the last 90 days, or last year's same days (seasonal).")
@click.option("--all", "all_", is_flag=True,
              help="List every jurisdiction: those below the warning level too, and those without sales.")
@click.option("--verbose", "-v", is_flag=True, help="Show each finding's reasons, sources and source conflicts.")
@click.option("--column", "columns", multiple=True, type=ColumnType(),
              help="Map a field to your export's header, e.g. --column amount=\"Net Sales\".")
@click.option("--currency", type=OrderCurrencyType(), metavar="CODE",
              help="Currency of rows (or files) that have no currency column.")
@click.option("--category", type=click.Choice(CATEGORIES), default=None,
              help="Category of every row without one of its own, for a file of one category throughout. Without it "
                   "a line's category comes from --products, a product tax code or the platform's signal, else it "
                   "is unknown (counted and shown).")
@click.option("--products", "products_file", type=click.Path(dir_okay=False),
              help="Products file (CSV or XLSX: sku, category, tax_code, erp_item, name): each SKU's category.")
@click.option("--unknown-category", type=click.Choice(CATEGORIES), default=None,
              help="What the rules count lines with no category signal as (they stay 'unknown' in the counts by "
                   "source). Without it, rules that count only some categories leave them out, and say so.")
@click.option("--sheet", metavar="NAME", help="XLSX sheet to read (default: the active sheet, as Excel opens it).")
@click.option("--encoding", default="auto", show_default=True, metavar="NAME",
              help="Text encoding of CSV files: auto detects UTF-8/16, Shift-JIS (cp932), GB18030, Big5, EUC-KR, "
                   "Latin-1.")
@click.option("--decimal-comma", is_flag=True, help="Amounts are written 1.234,56 (comma for decimals).")
@click.option("--delimiter", type=DelimiterType(), default=None,
              help="CSV field separator: comma, semicolon, tab or pipe (default: a sep= first line, else detected "
                   "from the header).")
@click.option("--date-format", metavar="FORMAT",
              help="strptime format for dates that are not YYYY-MM-DD, e.g. %d/%m/%Y.")
@click.option("--time-zone", metavar="ZONE", callback=lambda _ctx, _param, value: _zone(value),
              help="The seller's time zone (IANA name, e.g. America/New_York): a time written with its zone "
                   "(Amazon's +00:00) or in a UTC column (Stripe's) counts on its day there. Default: every date "
                   "as written.")
@click.option("--skip-bad-rows", is_flag=True, help="Skip unreadable rows, listing each, instead of stopping.")
@click.option("--source-format", type=click.Choice(exports.names()), default="auto", show_default=True,
              help="Layout of the --sales files: a platform's export or nexus's own (auto: each file's header "
                   "decides).")
@click.option("--repeated-orders", type=click.Choice(REPEATED_ORDERS), default="error", show_default=True,
              help="An order id repeated with different content: stop naming both lines (error), read the rows as "
                   "line items of one order (lines), or keep the later copy (latest).")
@click.option("--order-status", "order_statuses", multiple=True, type=OrderStatusType(),
              help="How to read an order status a platform export writes that the platform does not define (a "
                   "plugin's 'shipped'), or to read one of its own otherwise: --order-status shipped=paid counts its "
                   "orders as sales, =unpaid leaves them out. Without it, unknown statuses are counted and said.")
@click.option("--engine", type=click.Choice(fast.ENGINES), default="auto", show_default=True,
              help="Who aggregates the orders: nexus's own reader, or DuckDB (auto: DuckDB from about "
                   f"{fast.FAST_FROM_ROWS:,} rows and for Parquet, nexus's own reader below and for workbooks).")
@click.option("--debug", is_flag=True, help="Show a traceback for errors.")
def check_command(sales, aggregate_files, as_of, rates, fx_policy, home, db, presence_file, warn_at, fmt, output,
                  workbook, html, fail_on, registrations_file, tax_rates_file, report_currency, horizon, projection,
                  all_, verbose, columns, currency, category, products_file, unknown_category, sheet, encoding,
                  decimal_comma, delimiter, date_format, time_zone,
                  skip_bad_rows, source_format, repeated_orders, order_statuses, engine, debug):
    """Assess tax nexus (US states, VAT/GST abroad) from order exports.

    For each jurisdiction with sales, applies the rule in force on the as-of
    date, over the period that jurisdiction measures, counting the sales it
    counts, and reports exceeded, established, approaching, below, no-rule or
    no-sales-tax, with reasons and sources.
    """
    if bool(sales) == bool(aggregate_files):
        raise click.UsageError("give the orders with --sales, or daily aggregates with --aggregates (not both)")
    warn = _share(warn_at)
    if not Decimal(0) < warn <= Decimal(1):
        raise click.BadParameter("must be more than 0 and at most 1", param_hint="--warn-at")
    if products_file and aggregate_files:
        raise click.UsageError("--products categorises order lines by SKU: daily aggregates carry no SKUs (give the "
                               "orders with --sales)")
    if aggregate_files:
        # Options that say how to read orders: given with aggregates, they were passed over without a word.
        ignored = [name for name, given in (("--column", columns), ("--currency", currency), ("--sheet", sheet),
                                            ("--encoding", encoding != "auto"), ("--decimal-comma", decimal_comma),
                                            ("--delimiter", delimiter), ("--date-format", date_format),
                                            ("--time-zone", time_zone), ("--skip-bad-rows", skip_bad_rows),
                                            ("--source-format", source_format != "auto"),
                                            ("--repeated-orders", repeated_orders != "error"),
                                            ("--order-status", order_statuses),
                                            ("--engine", engine != "auto")) if given]
        if ignored:
            raise click.UsageError(f"{', '.join(ignored)} {'says' if len(ignored) == 1 else 'say'} how to read "
                                   f"orders (--sales); daily aggregates are read as 'nexus sql' writes them")
    options = ReadOptions(columns=dict(columns), currency=currency, category=category, sheet=sheet,
                          encoding=encoding, date_format=date_format, skip_bad_rows=skip_bad_rows,
                          decimal_comma=decimal_comma, delimiter=delimiter, source_format=source_format,
                          repeated_orders=repeated_orders, unknown_category=unknown_category, time_zone=time_zone,
                          order_statuses=dict(order_statuses))

    on = as_of or date.today()
    no_workbook_on_stdout("--workbook", workbook)
    if html == "-":
        raise Failure("--html -: the memo is a file to open in a browser; give a file name such as memo.html")
    refuse_overwriting_inputs(
        [("--output", output), ("--workbook", workbook), ("--html", html)],
        [("--sales", p) for p in sales] + [("--aggregates", p) for p in aggregate_files]
        + [("--rates", r) for r in rates]
        + [("--presence", presence_file), ("--registrations", registrations_file), ("--tax-rates", tax_rates_file),
           ("--products", products_file),
           store_input(db)])

    def work():
        read = replace(options, products=read_catalogue(products_file)) if products_file else options
        with paused_gc():
            if aggregate_files:
                from nexus.aggregates import read_aggregates  # loads only when aggregates are given, as below

                ledger = read_aggregates(list(aggregate_files), category, unknown_category)
            else:
                ledger = _read_orders(sales, read, engine)
            _keep_to_the_end()
        items = presence.assess(presence.read_presence(presence_file), on) if presence_file else ()
        book = load_rules()
        held = (read_registrations(registrations_file, book.countries()) if registrations_file else ())
        taxes = with_user_rates(load_tax_book(), tax_rates_file, book) if tax_rates_file else None
        return check(ledger, book, on, _rates(rates, db), warn, all_, parse_home(home), fx_policy, items,
                     Context(held, horizon, projection, tax_book=taxes, report_currency=report_currency))

    result = ahead_of_today(run_library(debug, work))
    if workbook:
        from nexus.workbooks.report import write_check_workbook  # XlsxWriter loads only when a workbook is asked for

        run_library(debug, lambda: write_check_workbook(result, workbook))
    if html:
        from nexus.memo import write_memo  # Jinja2 loads only when the memo is asked for

        run_library(debug, lambda: write_memo(result, html))
    if fmt == "table":
        from nexus import terminal  # the screen's module loads only for the screen, not for a JSON or CSV report

        emit(terminal.check_screen(result, verbose, all_, screen_width() if not output else terminal.DEFAULT_WIDTH),
             output)
    else:
        emit({"json": report_json.to_json, "csv": report_csv.to_csv}[fmt](result), output)
    for warning in result.warnings:
        if fmt != "table" or not is_stdout(output):
            echo(f"Warning: {warning}", err=True)
    _remember_check(result, sales or aggregate_files, db)
    if fmt == "table":
        for problem in result.ledger.skipped:
            echo(f"skipped {problem.file}:{problem.line}: column {problem.column!r} "
                 f"value {problem.value!r}: {problem.reason}", err=True)
        if result.ledger.unlisted_skipped:
            echo(f"skipped {result.ledger.unlisted_skipped:,} more rows, counted but not listed", err=True)
    failing = result.failing(fail_on) if fail_on else []
    if failing:
        echo(f"--fail-on {fail_on}: {len(failing):,} jurisdiction{'s' * (len(failing) != 1)} {FAILED[fail_on]} "
             f"({', '.join(f.label for f in failing)}): exit 1", err=True)
        sys.exit(1)


#: What each ``--fail-on`` found, as the line beside exit code 1 says it (a CI job's log).
FAILED = {"nexus": "with nexus outside the home", "exceeded": "exceeding a sales test",
          "approaching": "approaching or exceeding a threshold",
          "creates": "where presence creates nexus or the sales test is exceeded",
          "overdue": "past a registration deadline, not registered"}


def _zone(name: str | None) -> str | None:
    """``--time-zone`` as a zone this machine knows (nexus.timestamps), or a one-line error."""
    if name is None:
        return None
    try:
        timestamps.zone(name)
    except timestamps.UnknownZone as exc:
        raise click.BadParameter(str(exc), param_hint="--time-zone") from None
    return name


def _share(text: str) -> Decimal:
    """``--warn-at`` as a finite number: Decimal reads 'nan' too, which no comparison accepts (it raised, exit 1)."""
    try:
        share = Decimal(text)
    except InvalidOperation:
        share = None
    if share is None or share.is_nan():
        raise click.BadParameter(f"{text!r} is not a number such as 0.8", param_hint="--warn-at")
    return share


def read_catalogue(path):
    """The products file, refused (one line, exit 2) where it gives a SKU two categories: nexus will not choose."""
    from nexus.products import read_products, require_no_conflicts  # loads only with --products

    catalogue = read_products(path)
    require_no_conflicts(catalogue)
    return catalogue


def _remember_check(result, sales, db):
    """Keep a summary of the check in the local store, for 'nexus history'; never fail the run over it.

    Called once the report is out: a store that is locked, read-only or on a full disk costs one warning.
    """
    statuses = {s: result.count(s) for s in ("exceeded", "established", "approaching")}
    act, collecting, watch = act_now(result)
    summary = {**result.ledger.summary(), "statuses": statuses,
               "exceeded": [f.label for f in result.findings if f.status == "exceeded"],
               "act_now": [f.label for f in act], "collecting": [f.label for f in collecting],
               "watch": [f.label for f in watch]}
    try:
        with store.opened(db) as connection:
            store.save_check(connection, result.as_of, list(sales), summary)
    except NexusError as exc:
        echo(f"Warning: this check was not kept for 'nexus history': {exc}", err=True)


def _rates(sources, db):
    """The rates to use: those given, then the local store's, or none (an error only if one is needed).

    A rates URL that cannot be fetched falls back to the last good rates in the store, with a warning. The store
    comes after the files given, not instead of them: a treasury CSV for the currencies the ECB does not publish
    (BHD, as the currency review asks) left the store's ECB rates out, and the check stopped on a JPY sale.
    """
    def stored(behind=None):
        """The store's rates; ``behind``: the currencies of the files given, before which it comes (None where
        nothing is loaded because the store adds none of its own)."""
        if not store.exists(db):  # looking for rates does not make a store (nor one of an empty file)
            return None
        try:
            with store.opened(db) as connection:
                if behind is not None and not store.rate_currencies(connection) - behind:
                    return None  # the files given hold every currency the store does: it adds nothing to load
                return store.load_rates(connection)
        except store.StoreError as exc:  # locked or unreadable: the check may need no stored rates at all
            if isinstance(exc, store.StoreDamaged) and behind is None:
                raise  # a damaged store behind the files given is said, as one that cannot be opened is
            echo(f"Warning: {exc}; its rates are not used", err=True)
            return None

    if not sources:
        table = stored()
        return Rates([table]) if table else None
    tables = []
    for source in sources:
        try:
            tables.append(load_rates(source))
        except FetchError as exc:
            fallback = stored()
            if fallback is None:
                raise
            echo(f"Warning: {exc}; using the rates kept in the local store instead (newest "
                 f"{fallback.latest()})", err=True)
            tables.append(fallback)
    after = store.exists(db) and not any(t.source.endswith(STORED) for t in tables)
    kept = stored(behind=set().union(*(t.currencies() for t in tables))) if after else None
    return Rates(tables + [kept] if kept else tables)


def _keep_to_the_end():
    """Set what is alive now (the ledger: a million small lists for a large file) outside the cycle collector.

    The ledger lives until the process ends, yet each later pass of the collector walked it again (three passes
    in a check of the 2M-row wide Parquet file, 0.2 to 0.3 CPU-seconds, freeing nothing): frozen, the collector
    passes it over. The reading runs with the collector paused, so that none of its passes comes before the
    freeze. When the command ends the objects are handed back, so that a process running more than one command
    (as the tests do) frees them as before.
    """
    gc.freeze()
    click.get_current_context().call_on_close(gc.unfreeze)


def _read_orders(paths, options, engine):
    """The orders, read by the engine the library chooses (nexus.engine.choose), with a progress bar on a terminal
    and, always, one line on stderr when a large input is read row by row and why."""
    choice = fast.choose(paths, options, engine)
    size = sum(os.path.getsize(p) for p in paths if os.path.isfile(p))
    started = time.monotonic()

    def slow(text):
        # Always said, terminal or not: a large file read row by row takes longer.
        echo(f"Warning: {text}", err=True)

    if not sys.stderr.isatty():
        ledger = fast.read_orders(paths, options, choice, slow=slow)
    else:
        with _Bars(paths, size) as bars:
            ledger = fast.read_orders(paths, options, choice, bars.to, slow)
        took = max(time.monotonic() - started, 1e-6)
        if bars.reader == "duckdb":
            echo(f"Read {ledger.rows_read:,} rows in {took:.1f} s ({ledger.rows_read / took:,.0f} rows/s, "
                 f"{size / 2**20 / took:,.0f} MB/s).", err=True)
    return ledger


class _Bars:
    """A progress bar for each reader that reads (DuckDB, then nexus's own reader if it hands over)."""

    LABELS = {"duckdb": "Aggregating orders with DuckDB", "python": "Reading orders"}

    def __init__(self, paths, size):
        self.paths, self.size, self.reader, self.bar = paths, size, None, None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.bar is not None:
            return self.bar.__exit__(*exc)

    def to(self, reader, share):
        if reader != self.reader:
            if self.bar is not None:
                self.bar.__exit__(None, None, None)
            self.reader = reader
            self.bar = _Bar(self.LABELS[reader], self.paths, self.size).__enter__()
        self.bar.to(int(share * self.size))


class _Bar:
    """click's progress bar over the bytes of the order files, with rows and MB per second and time left.

    Rows per second are estimated from the bytes read and the files' rows (counted in Parquet metadata,
    estimated from the first lines of a CSV); the exact count is printed when the read ends.
    """

    def __init__(self, label, paths, size):
        self.label, self.size, self.done = label, size, 0
        self.rows = fast.estimated_rows(paths)
        self.started = time.monotonic()

    def __enter__(self):
        self.bar = click.progressbar(length=self.size, label=self.label, file=sys.stderr, show_eta=True,
                                     item_show_func=self._speed)
        self.bar.__enter__()
        return self

    def __exit__(self, *exc):
        return self.bar.__exit__(*exc)

    def to(self, done):
        self.bar.update(done - self.done)
        self.done = done

    def _speed(self, _):
        took = max(time.monotonic() - self.started, 1e-6)
        rows = f"~{self.rows * self.done / max(self.size, 1) / took:,.0f} rows/s, " if self.rows else ""
        return f"{rows}{self.done / 2**20 / took:,.1f} MB/s"
