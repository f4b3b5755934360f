"""Reference data and engines: nexus rules, nexus rates, nexus sql."""
from __future__ import annotations

from datetime import date

import click

from nexus import fx, report_json, store, terminal
from nexus import sql as sql_module
from nexus.rules import load_rules
from nexus.cli import cli
from nexus.cli.common import DateType, Failure, echo, parse_home, run_library, screen_width


def _finite(_ctx, param, value):
    """A number option that is a number: FloatRange lets 'nan' through (every comparison with it is false), and
    nan seconds stopped the download with a traceback."""
    if value is not None and value != value:
        raise click.BadParameter("is not a number of seconds", param=param)
    return value


@cli.command(name="rules")
@click.argument("codes", nargs=-1)
@click.option("--as-of", type=DateType(), default=None, help="Show the rules in force on DATE (default: today).")
@click.option("--home", metavar="CODE", help="Show the rules for a seller established in CODE (DE, US-CA).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--verbose", "-v", is_flag=True,
              help="Every field of each rule, with its sources (as when CODES are named).")
def rules_command(codes, as_of, home, fmt, verbose):
    """Show the rules in force, with their sources.

    CODES are states (CO or US-CO), countries (JP), EU or provinces (CA-QC);
    a code that is both (CA, IN) shows both. None means every jurisdiction,
    one line each. Named rules are shown whole.
    """
    on = as_of or date.today()
    book = run_library(False, load_rules)
    rules = run_library(False, lambda: book.select(on, codes, parse_home(home)))
    missing = book.not_in_force(on, codes, parse_home(home))
    for line in missing:  # said, never an empty screen
        echo(terminal.note(line, screen_width(err=True)), err=True)
    if fmt == "json":
        text = report_json.rules_json(rules, on.isoformat(), missing)
    elif codes or verbose:
        text = terminal.rule_detail(rules, screen_width())
    else:
        # the day the list is for, first: the table alone (the note of places left out goes to stderr) said no date,
        # and which row is in force is the whole of what it shows
        text = (terminal.note(f"Rules in force on {on}; all fields: nexus rules CODE",
                              screen_width()) + "\n" + terminal.rules_screen(rules, screen_width())
                if rules else "")  # no empty table: stderr says why
    echo(text, nl=False)


@cli.group(name="rates", short_help="Keep exchange rates in the local store for offline checks.")
def rates_group():
    """Keep exchange rates in the local store, so checks work offline."""


@rates_group.command(name="fetch")
@click.option("--source", type=click.Choice(["ecb"]), default="ecb", show_default=True,
              help="Who publishes the rates.")
@click.option("--since", type=DateType(), help="Keep only rates from DATE on (the 90-day file if recent).")
@click.option("--url", "urls", multiple=True, metavar="URL",
              help="Fetch from URL instead of the ECB's addresses (a mirror or proxy); repeat for several.")
@click.option("--timeout", type=click.FloatRange(min=0.1, max=3600), default=30.0, callback=_finite,
              show_default=True, metavar="SECONDS",
              help="Give up on a connection or a silent server after this long (each of 3 retries).")
@click.option("--db", type=click.Path(dir_okay=False), help="The local store (default: in your user data folder).")
def rates_fetch(source, since, urls, timeout, db):
    """Download reference rates (history and daily) into the local store."""
    def work():
        with store.opened(db) as connection:
            return store.fetch_rates(connection, source, since, list(urls) or None,
                                     timeout=(min(timeout, 10.0), timeout))

    try:
        fetched = run_library(False, work)
    except Failure as exc:
        if "could not fetch" in exc.message:  # offline, or the ECB out of reach: say what to do instead
            raise Failure(f"{exc.message}; on a machine without access, download eurofxref-hist.zip from the ECB "
                          f"elsewhere and load it with: nexus rates import FILE") from None
        raise
    for fetch in fetched:
        echo(f"Stored {fetch.rates:,} rates from {fetch.first_day} to {fetch.last_day} ({fetch.url}) in "
             f"{db or store.default_path()}.")


@rates_group.command(name="import", short_help="Load a downloaded ECB rates file into the local store.")
@click.argument("file", type=click.Path(dir_okay=False, exists=True))
@click.option("--since", type=DateType(), help="Keep only rates from DATE on.")
@click.option("--db", type=click.Path(dir_okay=False), help="The local store (default: in your user data folder).")
def rates_import(file, since, db):
    """Load a downloaded ECB rates file (eurofxref-hist.zip or .csv, or the XML) into the local store.

    For a machine that cannot reach the ECB: download the file where you can and import it here.
    """
    def work():
        store.refuse_inputs(db, [("FILE", file)])  # SQLite would make its tables in an empty FILE before it is read
        prepared = store.read_import(file, since)  # a file that cannot be imported leaves no store behind
        with store.opened(db) as connection:
            return store.keep_import(connection, prepared)

    fetch = run_library(False, work)
    echo(f"Stored {fetch.rates:,} rates from {fetch.first_day} to {fetch.last_day} ({file}) in "
         f"{db or store.default_path()}.")


@rates_group.command(name="status")
@click.option("--db", type=click.Path(dir_okay=False), help="The local store (default: in your user data folder).")
def rates_status(db):
    """Show what the local store holds and when it was fetched."""
    def work():
        with store.opened(db, existing=True) as connection:
            return store.fetches(connection), store.load_rates(connection), store.default_path() if not db else db

    fetches, table, path = run_library(False, work)
    echo(terminal.rates_status_screen(str(path), fx.coverage(table, date.today()) if table else None, fetches,
                                      screen_width()), nl=False)


@cli.command(name="sql", short_help="The SQL for the daily aggregates 'check --aggregates' reads.")
@click.option("--dialect", type=click.Choice(sql_module.DIALECTS), default="duckdb", show_default=True,
              help="The engine that will run the query.")
@click.option("--table", default="orders", show_default=True, help="The orders table (with nexus's field names).")
@click.option("--charges", is_flag=True,
              help="The table has shipping and tax columns: count shipping with the sale and write both, as "
                   "--sales reads them.")
def sql_command(dialect, table, charges):
    """Print the SQL that turns an orders table into the daily aggregates 'check --aggregates' reads.

    The table needs nexus's field names: order_id, date, country, region,
    amount, currency, channel, kind, exempt, category (and shipping, tax with
    --charges); a view that renames your columns will do (docs/scale.md).
    """
    try:
        echo(run_library(False, lambda: sql_module.render(dialect, table, charges)), nl=False)
    except ImportError:
        raise Failure("nexus sql needs sqlglot, which installs with nexus: reinstall it "
                      "(pip install nexus-advisor)") from None
