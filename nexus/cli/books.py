"""The accountants' commands: nexus currencies review, nexus history, nexus accounts plan."""
from __future__ import annotations

import sys

import click

from nexus import accounts, accrual, books_report, store, targets, terminal, text_safety
from nexus import review as review_module
from nexus.account_records import BookOptions
from nexus.chart import FIELDS, chart_notices, read_chart
from nexus.check_document import check_document, jurisdictions_from_check, opening_date
from nexus.errors import FetchError, NexusError
from nexus.cli import cli
from nexus.cli.common import (ColumnType, CurrencyType, DateType, Failure, echo, is_stdout, no_workbook_on_stdout,
                              refuse_overwriting_inputs, run_library, screen_width, store_input)


def _provider_list(provider, provider_name, db):
    """The provider's list, None and where each code is in it (:func:`nexus.review.load_listed`); if its URL cannot
    be fetched, the list kept from the last review, with a warning, that review (id, when, codes) and no places."""
    try:
        listed = review_module.load_listed(provider)
        return [item.code for item in listed], None, listed
    except FetchError as exc:
        if not store.exists(db):
            raise
        with store.opened(db) as connection:
            found = store.last_review(connection, provider_name)
        if found is None:
            raise
        echo(terminal.note(f"Warning: {exc}; using the list kept from review {found[0]} of {found[1][:10]}",
                           screen_width(err=True)), err=True)
        return found[2], found, []


def _history_summary(result):
    """What ``nexus history`` says of a review: its changes and what it found wrong in the list (withdrawn codes,
    codes ISO never had, codes that are not money). Kept with the added and removed alone, a review that found
    HRK withdrawn read 'no change' in the history."""
    return {"added": list(result.added), "removed": list(result.removed), "first_review": result.first,
            "withdrawn": [w.code for w in result.withdrawn], "unknown": list(result.unknown),
            "not_for_sale": list(result.not_for_sale)}


@cli.group(name="currencies")
def currencies_group():
    """Review the currencies the ecommerce provider sells in."""


@currencies_group.command(name="review", short_help="The provider's currencies against last quarter's and the chart.")
@click.option("--provider", required=True, metavar="FILE|URL",
              help="The provider's currency list: text or CSV (one code a line) or JSON.")
@click.option("--provider-name", default="provider", show_default=True,
              help="Name under which reviews of this provider are kept, to compare quarter with quarter.")
@click.option("--previous", type=click.Path(dir_okay=False), help="Compare with this list, not the last review.")
@click.option("--coa", type=click.Path(dir_okay=False), help="Chart of accounts: say which accounts are missing.")
@click.option("--target", type=click.Choice(targets.NAMES), default="generic", show_default=True,
              help="Accounting system (it decides whether receivables are kept per currency).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--workbook", type=click.Path(dir_okay=False), help="Also write the review workbook to FILE.xlsx.")
@click.option("--fail-on", type=click.Choice(review_module.FAIL_ON),
              help="Exit 1 if the list added or removed a currency (changed), the chart lacks an account to sell in "
                   "one (missing-accounts, with --coa), or the list holds a withdrawn, unknown or not-money code "
                   "(invalid-codes). The review is kept all the same.")
@click.option("--db", type=click.Path(dir_okay=False), help="The local store (default: in your user data folder).")
def currencies_review(provider, provider_name, previous, coa, target, fmt, workbook, fail_on, db):
    """Compare the provider's currency list with last quarter's, and keep this one for next quarter."""
    if fail_on == "missing-accounts" and not coa:
        raise click.UsageError("--fail-on missing-accounts reads the chart of accounts: give --coa")
    no_workbook_on_stdout("--workbook", workbook)
    refuse_overwriting_inputs([("--workbook", workbook)],
                              [("--provider", provider), ("--previous", previous), ("--coa", coa), store_input(db)])

    def work():
        codes, kept, listed = _provider_list(provider, provider_name, db)
        kept_from = f"review {kept[0]} of {kept[1][:10]}" if kept else None
        before, before_from = ((review_module.load_list(previous), previous) if previous
                               else store.compared_list(db, provider_name, codes, kept))
        rerun_of = store.earlier_run(db, provider_name, kept)
        chart = read_chart(coa) if coa else None
        ledger = targets.get(target).LEDGER
        missing = accounts.missing_accounts(chart, codes, ledger) if chart is not None else None
        fx = accounts.missing_fx_accounts(chart, review_module.sold_in(codes), ledger) if chart is not None else None
        result = review_module.review(provider, codes, before, before_from, missing, list_kept_from=kept_from,
                                      missing_fx=fx, provider_name=provider_name, listed=listed,
                                      rerun_of=rerun_of)
        if workbook:
            from nexus.workbooks.accounts import write_review_workbook  # openpyxl only when asked for

            write_review_workbook(result, workbook, coa)
        # kept last, once the run has done all it was asked: a review whose workbook could not be written (exit 2)
        # stayed in the history, and next quarter compared with a review no one received
        if kept_from is None:  # a kept list read again is no review of the provider's list: the store keeps none
            with store.opened(db) as connection:
                store.save_review(connection, provider_name, codes, _history_summary(result))
        return result, (chart_notices(chart, coa) + tuple(
            n for n in (accounts.no_currency_notice(chart, coa),) if n)) if chart is not None else ()

    result, notices = run_library(False, work)
    echo(text_safety.json_dumps(result.as_dict()) if fmt == "json"
         else books_report.review_table(result, screen_width()), nl=False)
    for notice in notices:  # rows of the chart read otherwise than written, as the plan and the journal say them
        echo(terminal.note(f"Warning: {notice}", screen_width(err=True)), err=True)  # in lines of the terminal's width
    if fail_on and result.fails(fail_on):
        sys.exit(1)


@cli.command(name="history")
@click.option("--db", type=click.Path(dir_okay=False), help="The local store (default: in your user data folder).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("-v", "--verbose", is_flag=True, help="Give each check's files with their whole paths.")
def history_command(db, fmt, verbose):
    """List past currency reviews and checks kept in the local store."""
    def work():
        with store.opened(db, existing="history") as connection:  # a mistyped --db is said, not made and shown empty
            return store.history(connection)

    events = run_library(False, work)
    if fmt == "json":
        echo(text_safety.json_dumps([e.__dict__ for e in events]), nl=False)
    else:
        echo(terminal.history_screen(events, screen_width(), verbose), nl=False)


@cli.group(name="accounts", short_help="Chart-of-accounts updates and the accrual of the tax at stake.")
def accounts_group():
    """Plan chart-of-accounts updates for new currencies and tax registrations."""


@accounts_group.command(name="plan", short_help="Propose new accounts, numbered in your chart's own scheme.")
@click.option("--coa", required=True, type=click.Path(dir_okay=False), help="Current chart of accounts (CSV or XLSX).")
@click.option("--currencies", "currency_list", required=True, metavar="FILE|URL",
              help="The provider's currency list (as for 'currencies review').")
@click.option("--nexus", "nexus_json", type=click.Path(dir_okay=False),
              help="A 'nexus check --format json' result: tax payables and accrual accounts where it found nexus.")
@click.option("--target", type=click.Choice(targets.NAMES), default="generic", show_default=True,
              help="Ledger whose import layout, types and limits to follow.")
@click.option("--workbook", required=True, type=click.Path(dir_okay=False), help="Write the plan workbook here.")
@click.option("--import-file", "--csv", "import_file", type=click.Path(dir_okay=False),
              help="Also write the target's import file (CSV; .beancount; a GnuCash book for gnucash).")
@click.option("--xero-tax-rate", default=BookOptions().xero_tax_rate, show_default=True, metavar="NAME",
              help="Xero: the tax rate of the new accounts and journal lines, named as in the organisation's tax "
                   "settings (No GST in New Zealand, BAS Excluded in Australia, No VAT in the UK).")
@click.option("--netsuite-subsidiary", default="", metavar="NAME",
              help="NetSuite OneWorld: the subsidiary of the new accounts (the import's Subsidiaries column), as "
                   "NetSuite lists it (Parent Company : US Subsidiary).")
@click.option("--company", default="", help="Company name (ERPNext needs it on every account).")
@click.option("--company-abbr", default="", help="Company abbreviation (ERPNext ends account names with it).")
@click.option("--book-currency", default="", metavar="CCY",
              help="Book currency (default: a GnuCash book's own, else the commonest of the chart's accounts other "
                   "than banks and clearing).")
@click.option("--opened-on", type=DateType(),
              help="Date of beancount's open directives (default: today, or the --nexus check's as-of date if "
                   "earlier: the accrual's date).")
@click.option("--column", "columns", multiple=True, type=ColumnType(FIELDS),
              help="Map a chart field to your header, e.g. --column number=\"Account Code\".")
@click.option("--provider-name", default="provider", show_default=True, help="As for 'currencies review'.")
@click.option("--db", type=click.Path(dir_okay=False), help="The local store (default: in your user data folder).")
def accounts_plan(coa, currency_list, nexus_json, target, workbook, import_file, xero_tax_rate, netsuite_subsidiary,
                  company, company_abbr, book_currency, opened_on, columns, provider_name, db):
    """Propose new accounts, numbered in your chart's own scheme, with the reason for each."""
    ledger = targets.get(target)
    no_workbook_on_stdout("--workbook", workbook)
    refuse_overwriting_inputs([("--workbook", workbook), ("--import-file", import_file)],
                              [("--coa", coa), ("--currencies", currency_list), ("--nexus", nexus_json),
                               store_input(db)])

    def work():
        chart = read_chart(coa, dict(columns))
        codes, kept, listed = _provider_list(currency_list, provider_name, db)
        before, before_from = store.compared_list(db, provider_name, codes, kept)
        usable = review_module.sold_in(codes)
        document = check_document(_read_json(nexus_json), nexus_json) if nexus_json else None
        places_found = jurisdictions_from_check(document) if document is not None else []
        options = BookOptions(company, company_abbr, book_currency.upper(),
                              opened_on or opening_date(document), xero_tax_rate,
                              netsuite_subsidiary=netsuite_subsidiary,
                              own_currency=targets.own_currency(ledger, import_file))
        plan = accounts.make_plan(chart, usable, places_found, ledger.LEDGER, options, coa)
        result = review_module.review(currency_list, codes, before, before_from,
                                      accounts.missing_accounts(chart, usable, ledger.LEDGER, plan),
                                      missing_fx=accounts.missing_fx_accounts(chart, usable, ledger.LEDGER),
                                      provider_name=provider_name, listed=listed)
        from nexus.workbooks.accounts import write_plan_workbook  # openpyxl only when asked for

        # The import file first: a ledger that refuses a row (Xero, a name starting with a symbol) stops the run
        # before the workbook is written, so no plan.xlsx of today sits beside the error
        text, imported = "", []
        if import_file and plan.proposals:
            if is_stdout(import_file):
                text = targets.as_text(ledger, "accounts", lambda path: ledger.write_accounts(plan, path))
            else:
                imported = ledger.write_accounts(plan, import_file)
        write_plan_workbook(plan, result, ledger, workbook)
        return plan, [workbook] + imported, text, books_report.plan_left_out(result)

    plan, written, text, left_out = run_library(False, work)
    if text:  # the import file on standard output: the plan's table goes to stderr, so the file stays clean
        echo(text, nl=False)
    width = screen_width() if not text else 100
    echo(books_report.plan_table(targets.imported(ledger, plan), target, written, width, left_out, ledger.LEDGER,
                                 targets.placement(ledger, plan)), nl=False, err=bool(text))
    for notice in plan.notices:  # rows of the chart whose type nexus did not understand: never passed over silently
        echo(terminal.note(f"Warning: {notice}", screen_width(err=True)), err=True)  # as the review's, wrapped


@accounts_group.command(name="journal", short_help="The accrual journal entry for the estimated tax at stake.")
@click.option("--check", "check_json", required=True, type=click.Path(dir_okay=False),
              help="A 'nexus check --format json' result: the estimates to accrue.")
@click.option("--coa", required=True, type=click.Path(dir_okay=False), help="Current chart of accounts (CSV or XLSX).")
@click.option("--target", type=click.Choice(targets.NAMES), default="generic", show_default=True,
              help="Ledger whose journal import layout to write.")
@click.option("--scenario", type=click.Choice(accrual.SCENARIOS), default="base", show_default=True,
              help="base: every period since tax was due; vda: the voluntary disclosure look-back, penalties and "
                   "interest waived where the programme waives them.")
@click.option("--book-currency", type=CurrencyType(), metavar="CODE",
              help="Currency of the entry (default: the check's reporting currency).")
@click.option("--rates", "rates", multiple=True, metavar="FILE|URL",
              help="Exchange rates, when the book currency is not the check's reporting currency.")
@click.option("--currencies", "currency_list", metavar="FILE|URL",
              help="The currency list given to 'accounts plan', so that the accounts proposed here get the same "
                   "numbers.")
@click.option("--import-file", "-o", "import_file", type=click.Path(dir_okay=False),
              help="Write the journal import file here (CSV; .beancount; a GnuCash book for gnucash, made or "
                   "posted into); '-': standard output.")
@click.option("--workbook", type=click.Path(dir_okay=False), help="Also write the accrual workbook to FILE.xlsx.")
@click.option("--xero-tax-rate", default=BookOptions().xero_tax_rate, show_default=True, metavar="NAME",
              help="Xero: the tax rate of the new accounts and journal lines, named as in the organisation's tax "
                   "settings (No GST in New Zealand, BAS Excluded in Australia, No VAT in the UK).")
@click.option("--netsuite-subsidiary", default="", metavar="NAME",
              help="NetSuite OneWorld: the subsidiary the entry is posted to (the import's Subsidiary column), as "
                   "NetSuite lists it (Parent Company : US Subsidiary).")
@click.option("--odoo-journal", default=BookOptions().odoo_journal, show_default=True, metavar="NAME",
              help="Odoo: the journal the entry goes to, named as in the company's Odoo (Opérations diverses in "
                   "French).")
@click.option("--company", default="", help="Company name (ERPNext needs it on every line).")
@click.option("--company-abbr", default="", help="Company abbreviation (ERPNext ends account names with it).")
@click.option("--column", "columns", multiple=True, type=ColumnType(FIELDS),
              help="Map a chart field to your header, e.g. --column number=\"Account Code\".")
@click.option("--reverse-on", type=DateType(), metavar="YYYY-MM-DD",
              help="Also write the entry that reverses the accrual on this day (usually the first of the next "
                   "period), so that the next check's accrual replaces it instead of adding to it.")
def accounts_journal(check_json, coa, target, scenario, book_currency, rates, currency_list, import_file, workbook,
                     xero_tax_rate, netsuite_subsidiary, odoo_journal, company, company_abbr, columns, reverse_on):
    """The accrual entry for the estimated tax at stake: debit the tax-exposure expense (and interest and
    penalties), credit each jurisdiction's accrued liability, in the book currency at the as-of rate."""
    ledger = targets.get(target)
    no_workbook_on_stdout("--workbook", workbook)
    if import_file == "-" and target == "gnucash":
        raise Failure("--import-file -: a GnuCash book cannot go to standard output; give a file name")
    refuse_overwriting_inputs([("--workbook", workbook), ("--import-file", import_file)],
                              [("--check", check_json), ("--coa", coa), ("--currencies", currency_list)]
                              + [("--rates", r) for r in rates])

    def work():
        from nexus.fx import Rates, load_rates

        chart = read_chart(coa, dict(columns))
        own = targets.own_currency(ledger, import_file)  # a book kept in another currency stops the entry
        codes = review_module.load_list(currency_list) if currency_list else []
        usable = review_module.sold_in(codes)
        converter = Rates([load_rates(r) for r in rates]) if rates else None
        found = accrual.accrue(_read_json(check_json), chart, scenario, ledger.LEDGER, book_currency, converter, usable,
                               BookOptions(company, company_abbr, xero_tax_rate=xero_tax_rate,
                                           odoo_journal=odoo_journal,
                                           netsuite_subsidiary=netsuite_subsidiary, own_currency=own),
                               check_json,
                               coa, reverse_on)
        text, written = "", []
        if import_file and found.entry is not None and is_stdout(import_file):  # first: refused, no workbook is left
            text = targets.as_text(ledger, "journal", lambda path: ledger.write_journal(
                found.entries, path, found.plan.options, found.plan))
        if workbook:
            from nexus.workbooks.journal import write_journal_workbook  # XlsxWriter only when asked for

            write_journal_workbook(found, ledger, workbook)
            written.append(workbook)
        if import_file and found.entry is not None and not is_stdout(import_file):
            written += _write_journal(ledger, found, import_file)
        overlaps = [o.words() for o in converter.overlaps()] if converter else []  # the currencies converted
        other_book = [] if book_currency else [accounts.book_currency_notice(chart, found.book_currency, coa)]
        return found, written, text, overlaps + list(chart_notices(chart, coa)) + [n for n in other_book if n]

    found, written, text, notices = run_library(False, work)
    if text:  # the journal on standard output: the entry's table goes to stderr, so the file stays clean
        echo(text, nl=False)
    echo(books_report.journal_table(found, target, written, screen_width() if not text else 100), nl=False,
         err=bool(text))
    for notice in notices:  # rates files that overlap; rows of the chart read otherwise than written: never silent
        echo(terminal.note(f"Warning: {notice}", screen_width(err=True)), err=True)  # as the review's, wrapped


def _write_journal(ledger, found, path):
    """The target's journal file; for GnuCash the book itself, with the accounts the entry needs added first."""
    import os

    if ledger.NAME == "gnucash":
        new = not os.path.exists(path)
        needed = found.posting_plan(new_book=new)
        if needed.proposals:
            ledger.write_accounts(needed, path)
    return ledger.write_journal(found.entries, path, found.plan.options, found.plan)


def _read_json(path):
    import json

    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except FileNotFoundError:
        raise NexusError(f"{path}: no such file") from None
    except json.JSONDecodeError as exc:
        where = "is empty" if not exc.doc.strip() else f"line {exc.lineno}, column {exc.colno}: {exc.msg}"
        raise NexusError(f"{path}: cannot be read as a nexus check JSON file ({where})") from None
    except UnicodeDecodeError:
        raise NexusError(f"{path}: cannot be read as a nexus check JSON file (not UTF-8 text: is it JSON?)") from None
    except (OSError, ValueError) as exc:
        raise NexusError(f"{path}: cannot be read as a nexus check JSON file ({exc.__class__.__name__})") from None
