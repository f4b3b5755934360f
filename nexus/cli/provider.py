"""nexus provider compare: what each candidate ecommerce provider would change for tax, currencies and books."""
from __future__ import annotations

import os
import sys
from datetime import date

import click

from nexus import presence, text_safety
from nexus import provider as provider_module
from nexus.chart import read_chart
from nexus.cli import cli
from nexus.cli.check import _rates, _read_orders, read_catalogue
from nexus.cli.common import (DateType, Failure, ahead_of_today, echo, emit, no_workbook_on_stdout, parse_home,
                              refuse_overwriting_inputs, run_library, screen_width, store_input)
from nexus.provider_profile import read_profile
from nexus.registrations import read_registrations
from nexus.rules import load_rules
from nexus.read_options import ReadOptions


@cli.group(name="provider")
def provider_group():
    """Compare candidate ecommerce providers before signing."""


@provider_group.command(name="compare", short_help="Compare providers on presence, nexus, currencies and accounts.")
@click.argument("profiles", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--sales", "sales", multiple=True, type=click.Path(dir_okay=False),
              help="Today's order exports (CSV, TSV, XLSX or Parquet); repeat for several files. The check runs "
                   "on them today and under each candidate, and the tax a year each candidate's new nexus would put "
                   "at stake, the tax it would take off you to collect and the net change are estimated from their "
                   "last 12 months (without them they are not estimated).")
@click.option("--products", "products_file", type=click.Path(dir_okay=False),
              help="Products file (sku, category, tax_code, erp_item, name): each SKU's category, as for nexus check.")
@click.option("--presence", "presence_file", type=click.Path(dir_okay=False),
              help="Today's presence file (servers, cloud regions, CDNs, stock, people).")
@click.option("--coa", type=click.Path(dir_okay=False), help="Today's chart of accounts: the accounts each would add.")
@click.option("--registrations", "registrations_file", type=click.Path(dir_okay=False),
              help="Registrations the company holds (as for 'nexus check').")
@click.option("--rates", "rates", multiple=True, metavar="FILE|URL",
              help="Exchange rates (ECB files or a treasury CSV; repeat to combine). Default: the local store.")
@click.option("--as-of", type=DateType(), default=None, help="Date to assess, YYYY-MM-DD (default: today).")
@click.option("--home", metavar="CODE", help="Where the seller is established (DE, JP, US-CA).")
@click.option("--workbook", type=click.Path(dir_okay=False),
              help="Also write the comparison workbook (Summary, Presence delta, Nexus delta, Potential exposure, "
                   "Tax no longer yours, Stock in the EU where a candidate holds stock in a member state, "
                   "Currencies, Accounts, Checklist, Sources) to FILE.xlsx.")
@click.option("--html", type=click.Path(dir_okay=False),
              help="Also write the comparison's memo to FILE.html: one self-contained page for the person who signs "
                   "(verdicts side by side, maps of where nexus changes, currencies, accounts, checklist gaps).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--fail-on", type=click.Choice(provider_module.FAIL_ON),
              help="Exit 1 if any candidate would create nexus where there is none today (a go/no-go gate).")
@click.option("--db", type=click.Path(dir_okay=False), help="The local store (default: in your user data folder).")
@click.option("--debug", is_flag=True, help="Show a traceback for errors.")
def provider_compare(profiles, sales, products_file, presence_file, coa, registrations_file, rates, as_of, home,
                     workbook, html, fmt, fail_on, db, debug):
    """Compare candidate providers (one PROFILE each, YAML or JSON) with today's set-up.

    For each candidate: the presence its hosting, CDN and stock would add or
    take away; the check re-run with its marketplace-facilitator or
    merchant-of-record role; the estimated tax a year its new nexus would put
    at stake; the currencies it adds and drops; the accounts the plan would
    add; and its checklist answers with what each gap means.
    """
    on = as_of or date.today()
    no_workbook_on_stdout("--workbook", workbook)
    if html == "-":
        raise Failure("--html -: the memo is a file to open in a browser; give a file name such as providers.html")
    refuse_overwriting_inputs(
        [("--workbook", workbook), ("--html", html)],
        [("PROFILE", p) for p in profiles] + [("--sales", p) for p in sales] + [("--rates", r) for r in rates]
        + [("--presence", presence_file), ("--coa", coa), ("--registrations", registrations_file),
           ("--products", products_file), store_input(db)], workbooks=False)  # checked once profiles are read
    if products_file and not sales:
        raise click.UsageError("--products categorises the lines of --sales: give the orders too")
    seller = parse_home(home)

    def work():
        book = load_rules()
        candidates = [read_profile(p) for p in profiles]
        # A profile's currency list is an input too: a --workbook or --html naming it replaced it with the output.
        refuse_overwriting_inputs([("--workbook", workbook), ("--html", html)],
                                  [(f"{c.path}'s currencies", c.currency_source) for c in candidates
                                   if c.currency_source and not c.currency_source.startswith(("https://", "http://"))
                                   and os.path.exists(c.currency_source)])
        setup = provider_module.Setup(
            ledger=_read_orders(sales, ReadOptions(products=read_catalogue(products_file) if products_file else None),
                                "auto") if sales else None,
            presence=presence.read_presence(presence_file) if presence_file else (),
            chart=read_chart(coa) if coa else None, chart_source=coa or "",
            registrations=read_registrations(registrations_file, book.countries()) if registrations_file else (),
            home=seller, rates=_rates(rates, db), presence_source=presence_file or "",
            registrations_source=registrations_file or "")
        result = ahead_of_today(provider_module.compare(candidates, setup, book, on))
        if workbook:
            from nexus.workbooks.provider import write_comparison_workbook  # XlsxWriter only when asked for

            write_comparison_workbook(result, workbook)
        if html:
            from nexus.memo.provider import write_comparison_memo  # Jinja2 only when the memo is asked for

            write_comparison_memo(result, html)
        return result

    result = run_library(debug, work)
    from nexus import provider_report

    if fmt == "json":
        emit(text_safety.json_dumps(provider_report.comparison_dict(result)), None)
        for warning in result.warnings:
            echo(f"Warning: {warning}", err=True)
    else:
        emit(provider_report.comparison_screen(result, screen_width()), None)
    if fail_on and result.fails(fail_on):
        sys.exit(1)
