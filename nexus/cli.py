"""The ``nexus`` command: parse options, call the library, render.

Exit codes, as linters use them: 0 ran; 1 ran and found what ``--fail-on``
asks about; 2 could not run (bad usage or bad input), with a one-line reason
on stderr and no traceback (``--debug`` shows one).
"""
from __future__ import annotations

import os
import re
import sys
from datetime import date
from decimal import Decimal, InvalidOperation

import click
from tabulate import tabulate

from nexus import __version__, report
from nexus.check import DEFAULT_WARN_AT, check
from nexus.errors import FetchError, NexusError
from nexus import accounts, currencies, places, presence, store
from nexus import review as review_module
from nexus.accounts_workbook import write_plan_workbook, write_review_workbook
from nexus import engine as fast
from nexus.aggregates import read_aggregates
from nexus import sql as sql_module
from nexus.fx import FX_POLICIES, Rates, load_rates
from nexus.report_workbook import write_check_workbook
from nexus.rules import load_rules
from nexus.sales import CATEGORIES, FIELDS, ReadOptions, read_sales


class Failure(click.ClickException):
    """A foreseeable error: printed as ``Error: ...`` on one line, exit code 2."""

    exit_code = 2

    def __init__(self, message: str):
        # Text quoted from the input may hold line breaks or control characters: the reason stays on one line.
        super().__init__(re.sub(r"[\x00-\x1f\x7f\x85\u2028\u2029]", lambda m: repr(m.group())[1:-1], message))


class DateType(click.ParamType):
    name = "DATE"

    def convert(self, value, param, ctx):
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.fail(f"{value!r} is not a date in the form YYYY-MM-DD", param, ctx)


class ColumnType(click.ParamType):
    """``ours=theirs``: a nexus field and the header an export uses for it."""

    name = "FIELD=HEADER"

    def __init__(self, fields=FIELDS):
        self.fields = fields

    def convert(self, value, param, ctx):
        field, sep, header = value.partition("=")
        if not sep or not header.strip():
            self.fail(f"{value!r} is not FIELD=HEADER, e.g. --column amount=\"Net Sales\"", param, ctx)
        if field.strip() not in self.fields:
            self.fail(f"{field!r} is not a nexus field ({', '.join(self.fields)})", param, ctx)
        return field.strip(), header.strip()


def _run(debug: bool, work):
    """Call the library; turn its errors into one line and exit code 2."""
    try:
        return work()
    except NexusError as exc:
        if debug:
            raise
        raise Failure(str(exc)) from None
    except OSError as exc:  # a disk full, a folder not writable, a file vanished mid-run
        if debug:
            raise
        raise Failure(f"{exc.filename or 'a file'}: {exc.strerror or exc}") from None


def _emit(text: str, output: str | None) -> None:
    """Print, or write ``output`` under a temporary name then rename it: never a half-written file."""
    if not output:
        click.echo(text, nl=False)
        return
    tmp = f"{output}.tmp"
    try:
        with open(tmp, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, output)
    except OSError as exc:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise Failure(f"cannot write {output}: {exc.strerror or exc}") from None


@click.group()
@click.version_option(__version__, prog_name="nexus")
def cli():
    """See where a move to a new ecommerce provider creates tax exposure."""


@cli.command(name="check")
@click.option("--sales", "sales", multiple=True, type=click.Path(dir_okay=False),
              help="Order export (CSV, TSV or XLSX). Repeat for several files.")
@click.option("--aggregates", "aggregate_files", multiple=True, type=click.Path(dir_okay=False),
              help="Daily aggregates (CSV or Parquet) made by the query 'nexus sql' prints, instead of orders.")
@click.option("--as-of", type=DateType(), default=None, help="Date to assess, YYYY-MM-DD (default: today).")
@click.option("--rates", "rates", multiple=True, metavar="FILE|URL",
              help="Rates: ECB files (eurofxref-hist.csv/.zip or XML) or a treasury CSV; repeat to combine, "
                   "first wins. Default: the local store ('nexus rates fetch').")
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
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write to FILE instead of standard output.")
@click.option("--workbook", type=click.Path(dir_okay=False),
              help="Also write the report workbook (Summary, Findings, Monthly, Rules, Rejected rows) to FILE.xlsx.")
@click.option("--fail-on", type=click.Choice(["exceeded", "approaching", "creates"]),
              help="Exit 1 if any jurisdiction is exceeded (approaching: or approaching; creates: or has "
                   "presence that creates nexus).")
@click.option("--all", "all_", is_flag=True, help="List every jurisdiction, not only those with sales.")
@click.option("--column", "columns", multiple=True, type=ColumnType(),
              help="Map a field to your export's header, e.g. --column amount=\"Net Sales\".")
@click.option("--currency", metavar="CODE", help="Currency of rows (or files) that have no currency column.")
@click.option("--category", type=click.Choice(CATEGORIES), default="goods", show_default=True,
              help="Category of rows that have no category column.")
@click.option("--sheet", metavar="NAME", help="XLSX sheet to read (default: the first).")
@click.option("--encoding", default="auto", show_default=True, metavar="NAME",
              help="Text encoding of CSV files: auto detects UTF-8/16, Shift-JIS (cp932), GB18030, Big5, EUC-KR, "
                   "Latin-1.")
@click.option("--decimal-comma", is_flag=True, help="Amounts are written 1.234,56 (comma for decimals).")
@click.option("--date-format", metavar="FORMAT", help="strptime format for dates that are not YYYY-MM-DD, e.g. %d/%m/%Y.")
@click.option("--skip-bad-rows", is_flag=True, help="Skip unreadable rows, listing each, instead of stopping.")
@click.option("--engine", type=click.Choice(["auto", "python", "duckdb"]), default="auto", show_default=True,
              help="Who aggregates the orders: nexus's own reader, or DuckDB for large plain files (auto: "
                   "DuckDB from 64 MB when installed).")
@click.option("--debug", is_flag=True, help="Show a traceback for errors.")
def check_command(sales, aggregate_files, as_of, rates, fx_policy, home, db, presence_file, warn_at, fmt, output, workbook, fail_on,
                  all_, columns, currency, category, sheet, encoding, decimal_comma, date_format, skip_bad_rows,
                  engine, debug):
    """Assess tax nexus (US states, VAT/GST abroad) from order exports.

    For each jurisdiction with sales, applies the rule in force on the as-of
    date, over the period that jurisdiction measures, counting the sales it
    counts, and reports exceeded, established, approaching, below, no-rule or
    no-sales-tax, with reasons and sources.
    """
    if bool(sales) == bool(aggregate_files):
        raise click.UsageError("give the orders with --sales, or daily aggregates with --aggregates (not both)")
    try:
        warn = Decimal(warn_at)
    except InvalidOperation:
        raise click.BadParameter(f"{warn_at!r} is not a number such as 0.8", param_hint="--warn-at") from None
    if not Decimal(0) < warn <= Decimal(1):
        raise click.BadParameter("must be more than 0 and at most 1", param_hint="--warn-at")
    options = ReadOptions(columns=dict(columns), currency=currency, category=category, sheet=sheet,
                          encoding=encoding, date_format=date_format, skip_bad_rows=skip_bad_rows,
                          decimal_comma=decimal_comma)

    on = as_of or date.today()

    def work():
        ledger = read_aggregates(list(aggregate_files)) if aggregate_files else _read_orders(sales, options, engine)
        items = presence.assess(presence.read_presence(presence_file), on) if presence_file else ()
        return check(ledger, load_rules(), on, _rates(rates, db), warn, all_, _home(home), fx_policy, items)

    result = _run(debug, work)
    _remember_check(result, sales or aggregate_files, db)
    if workbook:
        _run(debug, lambda: write_check_workbook(result, workbook))
    render = {"table": report.to_table, "json": report.to_json, "csv": report.to_csv}[fmt]
    _emit(render(result), output)
    for warning in result.warnings:
        if fmt != "table" or output:
            click.echo(f"Warning: {warning}", err=True)
    if fmt == "table":
        for problem in result.ledger.skipped:
            click.echo(f"skipped {problem.file}:{problem.line}: column {problem.column!r} "
                       f"value {problem.value!r}: {problem.reason}", err=True)
    if _failed(result, fail_on):
        sys.exit(1)


def _remember_check(result, sales, db):
    """Keep a summary of the check in the local store, for 'nexus history'; never fail the run over it."""
    summary = {**result.ledger.summary(), "statuses": {s: result.count(s) for s in ("exceeded", "established",
                                                                                     "approaching")},
               "exceeded": [f.label for f in result.findings if f.status == "exceeded"]}
    try:
        connection = store.connect(db)
        try:
            store.save_check(connection, result.as_of, list(sales), summary)
        finally:
            connection.close()
    except NexusError as exc:
        click.echo(f"Warning: the check was not kept in the store: {exc}", err=True)


def _failed(result, fail_on):
    """Whether the findings meet what --fail-on asks about."""
    if not fail_on:
        return False
    found = {f.status for f in result.findings}
    presence_found = {f.presence_verdict for f in result.findings}
    return ("exceeded" in found or (fail_on == "approaching" and "approaching" in found)
            or (fail_on == "creates" and "creates" in presence_found))


def _home(code):
    """A country (``DE``) or an ISO 3166-2 subdivision (``US-CA``, ``CA-QC``): ``CA`` is Canada, not California."""
    if not code:
        return None
    text = code.strip().upper()
    if text in places.countries() or text in places.us_regions() or text in places.subdivisions("CA"):
        return text
    raise Failure(f"--home {code!r} is not a country (ISO 3166-1, e.g. DE) or a US state or Canadian "
                  f"province (ISO 3166-2, e.g. US-CA, CA-QC)")


def _rates(sources, db):
    """The rates to use: those given, or else the local store's, or none (an error only if one is needed).

    A rates URL that cannot be fetched falls back to the last good rates in the store, with a warning.
    """
    def stored():
        connection = store.connect(db)
        try:
            return store.load_rates(connection)
        finally:
            connection.close()

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
            click.echo(f"Warning: {exc}; using the rates kept in the local store instead (newest "
                       f"{fallback.latest()})", err=True)
            tables.append(fallback)
    return Rates(tables)


def _read_orders(paths, options, engine):
    """The fast path when asked for (or, with auto, for large files), else nexus's own reader."""
    if engine == "duckdb" and not fast.available():
        raise Failure("--engine duckdb needs DuckDB: pip install 'nexus-advisor[fast]'")
    big = sum(os.path.getsize(p) for p in paths if os.path.isfile(p)) >= fast.AUTO_BYTES
    if engine == "duckdb" or (engine == "auto" and big and fast.available()):
        ledger = fast.read_sales_fast(paths, options)
        if ledger is not None:
            return ledger
    return _read_with_progress(paths, options)


def _read_with_progress(paths, options):
    """Read sales with a progress bar on stderr when it is a terminal."""
    if not sys.stderr.isatty():
        return read_sales(paths, options)
    total = sum(os.path.getsize(p) for p in paths if os.path.isfile(p))
    with click.progressbar(length=total, label="Reading orders", file=sys.stderr) as bar:
        return read_sales(paths, options, progress=bar.update)


@cli.command(name="rules")
@click.argument("codes", nargs=-1)
@click.option("--as-of", type=DateType(), default=None, help="Show the rules in force on DATE (default: today).")
@click.option("--home", metavar="CODE", help="Show the rules for a seller established in CODE (DE, US-CA).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def rules_command(codes, as_of, home, fmt):
    """Show the rules in force, with their sources.

    CODES are states (CO or US-CO), countries (JP), EU or provinces (CA-QC);
    none means every jurisdiction.
    """
    on = as_of or date.today()
    rules = _run(False, lambda: load_rules().select(on, codes, _home(home)))
    text = report.rules_json(rules, on.isoformat()) if fmt == "json" else report.rules_table(rules)
    click.echo(text, nl=False)


@cli.group(name="rates")
def rates_group():
    """Keep exchange rates in the local store, so checks work offline."""


@rates_group.command(name="fetch")
@click.option("--source", type=click.Choice(["ecb"]), default="ecb", show_default=True,
              help="Who publishes the rates.")
@click.option("--since", type=DateType(), help="Keep only rates from DATE on (the 90-day file if recent).")
@click.option("--url", "urls", multiple=True, metavar="URL",
              help="Fetch from URL instead of the ECB's addresses (a mirror or proxy); repeat for several.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=30.0, show_default=True, metavar="SECONDS",
              help="Give up on a connection or a silent server after this long (each of 3 retries).")
@click.option("--db", type=click.Path(dir_okay=False), help="The local store (default: in your user data folder).")
def rates_fetch(source, since, urls, timeout, db):
    """Download reference rates (history and daily) into the local store."""
    def work():
        connection = store.connect(db)
        try:
            return store.fetch_rates(connection, source, since, list(urls) or None,
                                     timeout=(min(timeout, 10.0), timeout))
        finally:
            connection.close()

    for fetch in _run(False, work):
        click.echo(f"Stored {fetch.rates:,} rates from {fetch.first_day} to {fetch.last_day} ({fetch.url}).")


@rates_group.command(name="status")
@click.option("--db", type=click.Path(dir_okay=False), help="The local store (default: in your user data folder).")
def rates_status(db):
    """Show what the local store holds and when it was fetched."""
    def work():
        connection = store.connect(db)
        try:
            return store.fetches(connection), store.load_rates(connection), store.default_path() if not db else db
        finally:
            connection.close()

    fetches, table, path = _run(False, work)
    click.echo(f"Store: {path}")
    if table is None:
        click.echo("No rates stored: run 'nexus rates fetch'.")
        return
    click.echo(f"Rates for {len(table.per_eur)} currencies, newest {table.latest()}.")
    rows = [[f.fetched_at, f.source, f.url, f.rates, f.first_day, f.last_day] for f in fetches]
    click.echo(tabulate(rows, headers=["Fetched (UTC)", "Source", "URL", "Rates", "From", "To"],
                        disable_numparse=True))


@cli.command(name="presence")
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option("--cdn", "cdns", multiple=True, type=click.Choice(presence.CDNS, case_sensitive=False),
              help="Compare where CDNs' points of presence would put your data; repeat for each CDN.")
@click.option("--as-of", type=DateType(), default=None, help="Date to assess (default: today).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def presence_command(file, cdns, as_of, fmt):
    """Where servers, cloud regions, CDNs, stock and people create a physical presence.

    FILE has one row per item: kind, location (a country, US-XX, 'City, CC' or a
    provider code such as aws:us-west-2 or cloudflare:NRT), ownership, dedicated,
    function, since, until, note. With --cdn, compare CDNs before signing.
    """
    on = as_of or date.today()
    if not file and not cdns:
        raise click.UsageError("give a presence FILE, or --cdn to compare CDNs")
    if cdns:
        providers = [c.lower() for c in cdns]
        rows = _run(False, lambda: presence.compare_cdns(providers, on))
        text = (report.json_dumps({"as_of": on.isoformat(), "jurisdictions": rows}) if fmt == "json"
                else report.cdn_table(rows, providers))
        click.echo(text, nl=False)
    if file:
        verdicts = _run(False, lambda: presence.assess(presence.read_presence(file), on))
        click.echo(report.presence_json(verdicts, on.isoformat()) if fmt == "json"
                   else report.presence_table(verdicts), nl=False)


def _provider_list(provider, provider_name, db):
    """The provider's list; if its URL cannot be fetched, the list kept from the last review, with a warning."""
    try:
        return review_module.load_list(provider)
    except FetchError as exc:
        connection = store.connect(db)
        try:
            found = store.last_review(connection, provider_name)
        finally:
            connection.close()
        if found is None:
            raise
        click.echo(f"Warning: {exc}; using the list kept from review {found[0]} of {found[1]}", err=True)
        return found[2]


def _previous_codes(provider_name, previous, db):
    """Last quarter's list: --previous, else the last review kept in the store, else none."""
    if previous:
        return review_module.load_list(previous), previous
    connection = store.connect(db)
    try:
        found = store.last_review(connection, provider_name)
    finally:
        connection.close()
    return (found[2], f"review {found[0]} of {found[1]}") if found else (None, None)


@cli.group(name="currencies")
def currencies_group():
    """Review the currencies the ecommerce provider sells in."""


@currencies_group.command(name="review")
@click.option("--provider", required=True, metavar="FILE|URL",
              help="The provider's currency list: text or CSV (one code a line) or JSON.")
@click.option("--provider-name", default="provider", show_default=True,
              help="Name under which reviews of this provider are kept, to compare quarter with quarter.")
@click.option("--previous", type=click.Path(dir_okay=False), help="Compare with this list, not the last review.")
@click.option("--coa", type=click.Path(dir_okay=False), help="Chart of accounts: say which accounts are missing.")
@click.option("--target", type=click.Choice(accounts.TARGETS), default="generic", show_default=True,
              help="Accounting system (it decides whether receivables are kept per currency).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--workbook", type=click.Path(dir_okay=False), help="Also write the review workbook to FILE.xlsx.")
@click.option("--db", type=click.Path(dir_okay=False), help="The local store (default: in your user data folder).")
def currencies_review(provider, provider_name, previous, coa, target, fmt, workbook, db):
    """Compare the provider's currency list with last quarter's, and keep this one for next quarter."""
    def work():
        codes = _provider_list(provider, provider_name, db)
        before, before_from = _previous_codes(provider_name, previous, db)
        chart = accounts.read_chart(coa) if coa else None
        missing = {c: accounts.missing_for_currency(chart, c, target) for c in codes} if chart is not None else None
        result = review_module.review(provider, codes, before, before_from, missing)
        connection = store.connect(db)
        try:
            store.save_review(connection, provider_name, codes, {"added": list(result.added),
                                                                 "removed": list(result.removed)})
        finally:
            connection.close()
        if workbook:
            write_review_workbook(result, workbook)
        return result

    result = _run(False, work)
    click.echo(report.json_dumps(result.as_dict()) if fmt == "json" else report.review_table(result), nl=False)


@cli.command(name="history")
@click.option("--db", type=click.Path(dir_okay=False), help="The local store (default: in your user data folder).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def history_command(db, fmt):
    """List past currency reviews and checks kept in the local store."""
    def work():
        connection = store.connect(db)
        try:
            return store.history(connection)
        finally:
            connection.close()

    events = _run(False, work)
    if fmt == "json":
        click.echo(report.json_dumps([e.__dict__ for e in events]), nl=False)
    else:
        click.echo(tabulate([[e.at, e.kind, e.id, e.subject, report.short_summary(e.summary)] for e in events],
                            headers=["When (UTC)", "What", "Id", "Subject", "Summary"], disable_numparse=True))


@cli.group(name="accounts")
def accounts_group():
    """Plan chart-of-accounts updates for new currencies and tax registrations."""


@accounts_group.command(name="plan")
@click.option("--coa", required=True, type=click.Path(dir_okay=False), help="Current chart of accounts (CSV or XLSX).")
@click.option("--currencies", "currency_list", required=True, metavar="FILE|URL",
              help="The provider's currency list (as for 'currencies review').")
@click.option("--nexus", "nexus_json", type=click.Path(dir_okay=False),
              help="A 'nexus check --format json' result: tax-payable accounts where it found exposure.")
@click.option("--target", type=click.Choice(accounts.TARGETS), default="generic", show_default=True,
              help="Accounting system whose import columns to write.")
@click.option("--workbook", required=True, type=click.Path(dir_okay=False), help="Write the plan workbook here.")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False), help="Also write the target's import CSV.")
@click.option("--column", "columns", multiple=True, type=ColumnType(accounts.FIELDS),
              help="Map a chart field to your header, e.g. --column number=\"Account Code\".")
@click.option("--provider-name", default="provider", show_default=True, help="As for 'currencies review'.")
@click.option("--db", type=click.Path(dir_okay=False), help="The local store (default: in your user data folder).")
def accounts_plan(coa, currency_list, nexus_json, target, workbook, csv_path, columns, provider_name, db):
    """Propose new accounts, numbered in your chart's own scheme, with the reason for each."""
    def work():
        chart = accounts.read_chart(coa, dict(columns))
        codes = _provider_list(currency_list, provider_name, db)
        before, before_from = _previous_codes(provider_name, None, db)
        result = review_module.review(currency_list, codes, before, before_from,
                                      {c: accounts.missing_for_currency(chart, c, target) for c in codes})
        places_found = accounts.jurisdictions_from_check(_read_json(nexus_json)) if nexus_json else []
        usable = [c for c in codes if currencies.facts(c) and currencies.facts(c).current]
        proposals = accounts.plan(chart, usable, places_found, target)
        write_plan_workbook(proposals, result, target, workbook, coa)
        if csv_path:
            _emit(report.rows_csv(accounts.import_rows(target, proposals)), csv_path)
        return proposals

    proposals = _run(False, work)
    click.echo(report.plan_table(proposals), nl=False)


def _read_json(path):
    import json

    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError) as exc:
        raise NexusError(f"{path}: cannot be read as a nexus check JSON file ({exc.__class__.__name__})") from None


@cli.command(name="sql")
@click.option("--dialect", type=click.Choice(sql_module.DIALECTS), default="duckdb", show_default=True,
              help="The engine that will run the query.")
@click.option("--table", default="orders", show_default=True, help="The orders table (with nexus's field names).")
def sql_command(dialect, table):
    """Print the SQL that turns an orders table into the daily aggregates 'check --aggregates' reads."""
    try:
        click.echo(sql_module.render(dialect, table), nl=False)
    except ImportError:
        raise Failure("nexus sql needs sqlglot: pip install 'nexus-advisor[fast]'") from None
