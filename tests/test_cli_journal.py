"""`nexus accounts journal`: the sample check's accrual in each ledger's layout, posted into beancount and GnuCash."""
import csv
import json
import warnings
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SAMPLES
from nexus import accrual, targets
from nexus.chart import read_chart
from nexus.cli import cli

D = Decimal
COA = str(SAMPLES / "chart-of-accounts.csv")
CURRENCIES = str(SAMPLES / "provider-currencies-2026-q4.txt")


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def sample_check(readme_check_json):
    """The README's first check (orders, presence, registrations) as JSON, and what the library accrues from it."""
    return str(readme_check_json), json.loads(readme_check_json.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def planned(sample_check, tmp_path_factory):
    """The numbers 'accounts plan' gives the accrued exposures from the same check, by place: the journal posts
    to them. With the registrations, US-WA, the EU's members and GB collect from the day tax was due: no
    accrual for them, so the others come earlier than in the plan without registrations (test_accounts.py)."""
    path, _ = sample_check
    result = run("accounts", "plan", "--coa", COA, "--currencies", str(SAMPLES / "provider-currencies-2026-q4.txt"),
                 "--nexus", path, "--workbook", str(tmp_path_factory.mktemp("plan") / "plan.xlsx"))
    assert result.exit_code == 0, result.output
    found = {line.rsplit("(", 1)[1].split(")")[0]: line.split()[0] for line in result.output.splitlines()
             if " exposure - " in line and line.split()[:1] and line.split()[0].isdigit()}
    assert found and not {"US-WA", "GB", "DE", "FR"} & set(found)
    return found


@pytest.fixture(scope="module")
def texas(planned):
    return planned["US-TX"]


def journal(check, target, out, *more):
    result = run("accounts", "journal", "--check", check, "--coa", COA, "--target", target, "--import-file",
                 str(out), "--company", "Nexus Demo Inc", "--company-abbr", "ND", *more)
    assert result.exit_code == 0, result.output
    return result


def read(path):
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def expected(document, target="generic", scenario="base"):
    return accrual.accrue(document, read_chart(COA), scenario, targets.get(target).LEDGER)


def test_the_screen_shows_the_entry_balanced_and_what_to_import_first(sample_check, planned, texas, tmp_path):
    path, document = sample_check
    screen = journal(path, "generic", tmp_path / "j.csv").stdout
    found = expected(document)
    lines = screen.splitlines()
    assert lines[0].startswith("Accrued tax exposure, base scenario, ")
    assert lines[1] == "Entry ACCR-20261031-BASE on 2026-10-31, in USD, for generic:"
    total = next(line for line in lines if line.split()[:1] == ["Total"])
    assert total.split()[1:] == [f"{found.entry.debits:,}", f"{found.entry.credits:,}"]
    line = next(line for line in lines if "Texas (US-TX)" in line)
    assert line.split()[0] == texas  # the number 'accounts plan' gives it
    flat = " ".join(screen.split())
    assert "Not accrued: US-WA: nothing to accrue: registered and collecting since tax was due (from 2025-12-09);" \
        in flat
    assert (f"import them before the entry: {planned['JP']} Accrued consumption tax (JCT) exposure - Japan (JP),"
            in flat)
    assert max(len(line) for line in lines) <= 100


def test_the_journal_totals_the_check_estimates(sample_check):
    """Every estimate with money in it has its line; each line is the estimate converted and rounded once, and the
    rounding difference to the check's totals (rounded once) sits on the lines nearest the next unit, said."""
    _, document = sample_check
    found = expected(document)
    estimates = {f["jurisdiction"]: f["exposure"] for f in document["findings"] if f.get("exposure")}
    for a in found.lines:
        base = estimates[a.code]["scenarios"]["base"]
        rate = D(estimates[a.code]["reporting"]["rate"])
        assert a.book_tax - a.tax_rounding == (D(base["tax"]["central"]) * rate).quantize(D("0.01"), "ROUND_HALF_UP")
        assert a.book_total - a.total_rounding == (D(base["total"]) * rate).quantize(D("0.01"), "ROUND_HALF_UP")
        assert abs(a.tax_rounding) <= D("0.01") and abs(a.total_rounding) <= D("0.01")
    accrued = {a.code for a in found.lines} | {code for code, _ in found.left_out}
    # Left out, and said: the EU (estimated member state by member state) and Virginia (nexus from the server of
    # 2021-05-01 to 2024-06-30, every day of it before the first order: not covered by the data).
    noted = {f["jurisdiction"] for f in document["findings"] if f.get("exposure") is None and f.get("exposure_note")}
    assert noted == {"EU", "US-VA"} and accrued == set(estimates) | noted
    total = document["summary"]["exposure_total"]
    assert found.entry.debits == D(total["base"])


def test_the_entry_ties_to_the_checks_tax_and_total_to_the_cent_in_beancount(sample_check, tmp_path):
    """A controller ties the accrual to the check: the README's screen says USD 129,903.51 of tax and USD 151,783.74
    with penalties and interest (19,856.77 and 2,023.46). Each line converted and rounded apart, the entry debited
    129,903.50 of tax and 21,880.24 of penalties and interest: the right total, split a cent off the report. Now
    Korea's tax, the line whose conversion lay nearest the next cent (KRW 410,197 = USD 307.2022), takes the cent;
    loaded into beancount, the expense is the check's tax and the liabilities its total. The VDA entry debits the
    same tax (its look-back reaches every place's whole period) and credits the check's VDA total. Since the refunds
    linked to sales made before tax was due are left out (USD 130,105.63 of tax, 152,054.32 in all), the lines' taxes
    add to the check's, and the liabilities nearest the other way, Texas's and Japan's, each give up a cent."""
    from beancount import loader
    from beancount.core import realization

    path, document = sample_check
    total = document["summary"]["exposure_total"]
    module = targets.get("beancount")
    for scenario, expected_total in (("base", total["base"]), ("vda", total["vda"])):
        out = tmp_path / f"{scenario}.beancount"
        screen = journal(path, "beancount", out, "--scenario", scenario).stdout
        found = expected(document, "beancount", scenario)
        opened = tmp_path / f"{scenario}-accounts.beancount"
        opened.write_text(module.open_directives(list(found.used), found.as_of), encoding="utf-8")
        main = tmp_path / f"{scenario}-main.beancount"
        main.write_text(f'include "{opened.name}"\ninclude "{out.name}"\n', encoding="utf-8")
        entries, errors, _ = loader.load_file(str(main))
        assert errors == []
        tree = realization.realize(entries)
        balances = {a.account: a.balance.get_currency_units("USD").number
                    for a in realization.iter_children(tree) if not a.balance.is_empty()}
        liabilities = sum(v for k, v in balances.items() if k.startswith("Liabilities:"))
        assert balances["Expenses:6200-Tax-exposure-expense"] == D(total["tax"]["central"]) == D("130105.63")
        assert -liabilities == D(expected_total)
        if scenario == "base":
            assert balances["Expenses:8020-Tax-interest-and-penalties"] == D(total["penalty"]) + D(
                total["interest"]) == D("21948.69")
            assert "take the difference: credit US-TX -0.01, JP -0.01" in " ".join(screen.split())


@pytest.mark.parametrize("target", ["generic", "xero", "quickbooks", "netsuite", "odoo", "erpnext"])
def test_each_ledgers_file_has_its_journal_layout_and_balances(sample_check, tmp_path, target):
    path, document = sample_check
    out = tmp_path / "journal.csv"
    journal(path, target, out)
    module = targets.get(target)
    rows = [r for p in sorted(tmp_path.glob("journal*.csv")) for r in read(p)]
    assert list(rows[0]) == list(module.JOURNAL_COLUMNS)
    found = expected(document, target)
    assert len(rows) == len(found.entry.lines)
    debit, credit = {"generic": ("Debit", "Credit"), "quickbooks": ("Debits", "Credits"),
                     "netsuite": ("Debit", "Credit"), "odoo": ("line_ids/debit", "line_ids/credit"),
                     "erpnext": ("Debit (Accounting Entries)", "Credit (Accounting Entries)")}.get(target, (None, None))
    if target == "xero":  # one signed column
        amounts = [D(r["*Amount"]) for r in rows]
        assert sum(amounts) == 0 and sum(a for a in amounts if a > 0) == found.entry.debits
    else:
        assert sum(D(r[debit] or 0) for r in rows) == sum(D(r[credit] or 0) for r in rows) == found.entry.debits
    text = "\n".join(",".join(r.values()) for r in rows)
    texas = next(a for a in found.lines if a.code == "US-TX").account
    assert texas.number in text or texas.name in text


def test_the_accrual_posts_and_balances_in_beancount(sample_check, texas, tmp_path):
    from beancount import loader
    from beancount.core import realization

    path, document = sample_check
    out = tmp_path / "journal.beancount"
    journal(path, "beancount", out)
    found = expected(document, "beancount")
    module = targets.get("beancount")
    opened = tmp_path / "accounts.beancount"  # the accounts the entry posts to, as 'accounts plan' opens them
    opened.write_text(module.open_directives(list(found.used), found.as_of.replace(day=1)), encoding="utf-8")
    main = tmp_path / "main.beancount"
    main.write_text(f'option "operating_currency" "USD"\ninclude "{opened.name}"\ninclude "{out.name}"\n',
                    encoding="utf-8")
    entries, errors, _ = loader.load_file(str(main))
    assert errors == []
    tree = realization.realize(entries)
    balances = {a.account: a.balance.get_currency_units("USD").number
                for a in realization.iter_children(tree) if not a.balance.is_empty()}
    assert sum(balances.values()) == 0
    assert balances["Expenses:6200-Tax-exposure-expense"] == sum(a.book_tax for a in found.lines)
    assert balances[f"Liabilities:{texas}-Accrued-sales-tax-exposure-Texas-US-TX"] == -next(
        a.book_total for a in found.lines if a.code == "US-TX")
    assert len([b for b in balances.values() if b < 0]) == len(found.lines)


def read_book(path):
    import piecash

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = piecash.open_book(str(path), readonly=True, open_if_lock=True)
        try:
            transactions = [(t.num, t.description, sum(s.value for s in t.splits)) for t in book.transactions]
            balances = {a.code: a.get_balance(recurse=False, natural_sign=False) for a in book.accounts if a.code}
        finally:
            book.close()
    return transactions, balances


def test_the_accrual_posts_and_balances_in_a_new_gnucash_book(sample_check, tmp_path):
    path, document = sample_check
    book = tmp_path / "books.gnucash"
    journal(path, "gnucash", book)
    found = expected(document, "gnucash")
    transactions, balances = read_book(book)
    assert transactions == [("ACCR-20261031-BASE", found.entry.memo, 0)]
    assert balances["6200"] == sum(a.book_tax for a in found.lines)
    assert balances["8020"] == sum(a.book_extra for a in found.lines)
    assert {code: balances[a.account.number] for a in found.lines for code in [a.code]} == {
        a.code: -a.book_total for a in found.lines}


def test_the_accrual_posts_into_a_book_that_has_the_plans_accounts(sample_check, tmp_path):
    """The usual order: 'accounts plan' writes the new accounts into the book, then the journal posts to them."""
    path, document = sample_check
    book = tmp_path / "books.gnucash"
    planned = run("accounts", "plan", "--coa", COA, "--currencies", CURRENCIES, "--nexus", path, "--target",
                  "gnucash", "--workbook", str(tmp_path / "plan.xlsx"), "--import-file", str(book),
                  "--db", str(tmp_path / "store.sqlite3"))
    assert planned.exit_code == 0, planned.output
    _, before = read_book(book)
    journal(path, "gnucash", book, "--currencies", CURRENCIES)
    transactions, after = read_book(book)
    assert set(after) == set(before)  # every account was there: none added, none duplicated
    assert len(transactions) == 1 and sum(after.values()) == 0 and after["6200"] > 0


def test_a_journal_numbered_otherwise_than_the_plan_is_not_posted_to_the_books_other_account(sample_check, tmp_path):
    """A chart in USD alone: 'accounts plan' with the provider's currencies numbers Currency rounding 8010 and Tax
    interest and penalties 8020, and writes both into the GnuCash book. 'accounts journal' without --currencies has
    no new currency, so no rounding account, and numbers the penalties 8010: before the fix it posted the sample's
    USD 21,880.23 of penalties and interest to the book's 8010 Currency rounding, found by its code. Now it stops,
    naming both accounts and the fix, and posts nothing; with the plan's --currencies it posts to 8020."""
    path, _ = sample_check
    chart = tmp_path / "usd.csv"
    chart.write_text("".join(line for line in (SAMPLES / "chart-of-accounts.csv").read_text(encoding="utf-8")
                             .splitlines(keepends=True) if "EUR" not in line and "JPY" not in line), encoding="utf-8")
    book = tmp_path / "books.gnucash"
    planned = run("accounts", "plan", "--coa", str(chart), "--currencies", CURRENCIES, "--nexus", path, "--target",
                  "gnucash", "--workbook", str(tmp_path / "plan.xlsx"), "--import-file", str(book),
                  "--db", str(tmp_path / "store.sqlite3"))
    assert planned.exit_code == 0, planned.output
    _, before = read_book(book)
    result = CliRunner().invoke(cli, ["accounts", "journal", "--check", path, "--coa", str(chart), "--target",
                                      "gnucash", "--import-file", str(book)])
    assert result.exit_code == 2
    assert ("account 8010 is 'Expenses:Currency rounding' in the book; nexus numbers 'Tax interest and penalties' "
            "under that number: the chart given with --coa lacks the book's account") in " ".join(result.stderr.split())
    transactions, after = read_book(book)
    assert transactions == [] and after == before
    journal(path, "gnucash", book, "--coa", str(chart), "--currencies", CURRENCIES)
    transactions, after = read_book(book)
    assert len(transactions) == 1 and after["8010"] == 0 and after["8020"] == D("21948.69")


def test_a_journal_numbered_without_the_plans_currency_list_says_which_numbers_differ(sample_check, tmp_path):
    """A chart in USD alone: the plan given the provider's list numbers Currency rounding 8010 and the penalties
    8020; the journal with no list numbered the penalties 8010 and said only 'numbered as accounts plan numbers
    them'. Into a ledger holding the plan's accounts and finding them by code (Odoo's "8010 ...", GnuCash) the
    penalties would go to Currency rounding. Now the screen warns, naming the number the plan gives; with the list,
    nothing is said. (Xero keeps rounding as a system account: no plan numbers one, so no warning for it.)"""
    path, _ = sample_check
    chart = tmp_path / "usd.csv"
    chart.write_text("".join(line for line in (SAMPLES / "chart-of-accounts.csv").read_text(encoding="utf-8")
                             .splitlines(keepends=True) if "EUR" not in line and "JPY" not in line), encoding="utf-8")
    screen = " ".join(journal(path, "odoo", tmp_path / "j.csv", "--coa", str(chart)).stdout.split())
    assert ("Warning: numbered without --currencies; a plan given a currency list numbers Tax interest and penalties "
            "8020 (here 8010), after a currency rounding account") in screen
    listed = journal(path, "odoo", tmp_path / "j.csv", "--coa", str(chart), "--currencies", CURRENCIES).stdout
    assert "Warning" not in listed and "8020 Tax interest and penalties" in listed
    assert "Warning" not in journal(path, "odoo", tmp_path / "j.csv").stdout  # the sample chart: three currencies
    assert "Warning" not in journal(path, "xero", tmp_path / "j.csv", "--coa", str(chart)).stdout


def test_the_entry_s_reference_is_found_in_every_ledger_the_reversal_names_it_in(sample_check, tmp_path):
    """The screen, the workbook and the reversal's memo ("Reversal of ACCR-20261031-BASE") name the accrual by its
    reference; Xero's narration, ERPNext's remark and beancount's transaction carried the memo alone, so the
    accrual the reversal names could not be searched for in those ledgers. Now Xero's narration and ERPNext's
    remark lead with it, and beancount links the accrual and its reversal by it."""
    from beancount import loader

    path, _ = sample_check
    more = ("--currencies", CURRENCIES, "--reverse-on", "2026-11-01")
    journal(path, "xero", tmp_path / "x.csv", *more)
    assert {r["*Narration"].split(": ")[0] for r in read(tmp_path / "x.csv")} == {"ACCR-20261031-BASE",
                                                                                  "ACCR-20261031-BASE-R"}
    # the reversal's day as Xero reads it in any region: "01/11/2026" is January 11 to a US locale
    assert {r["*Date"] for r in read(tmp_path / "x.csv")} == {"31 Oct 2026", "01 Nov 2026"}
    journal(path, "erpnext", tmp_path / "e.csv", *more)
    assert [r["User Remark"].split(": ")[0] for r in read(tmp_path / "e.csv") if r["User Remark"]] == [
        "ACCR-20261031-BASE", "ACCR-20261031-BASE-R"]
    journal(path, "beancount", tmp_path / "j.beancount", *more)
    found = expected(json.loads(Path(path).read_text(encoding="utf-8")), "beancount")
    opened = tmp_path / "accounts.beancount"
    opened.write_text(targets.get("beancount").open_directives(list(found.used), found.as_of), encoding="utf-8")
    main = tmp_path / "main.beancount"
    main.write_text('include "accounts.beancount"\ninclude "j.beancount"\n', encoding="utf-8")
    entries, errors, _ = loader.load_file(str(main))
    assert errors == []
    links = {str(e.date): e.links for e in entries if type(e).__name__ == "Transaction"}
    assert links == {"2026-10-31": {"ACCR-20261031-BASE"},
                     "2026-11-01": {"ACCR-20261031-BASE-R", "ACCR-20261031-BASE"}}


def test_the_journal_goes_to_standard_output_and_its_table_to_stderr(sample_check):
    path, _ = sample_check
    result = run("accounts", "journal", "--check", path, "--coa", COA, "--target", "beancount", "--import-file", "-")
    assert result.exit_code == 0
    assert result.stdout.startswith('2026-10-31 * "Accrued tax exposure, base scenario')
    assert "Entry ACCR-20261031-BASE" in result.stderr


def test_the_generic_journal_on_standard_output_has_no_byte_order_mark(sample_check, tmp_path):
    """The generic journal file starts with the mark Excel needs; on standard output it did too, and a program
    reading the pipe as UTF-8 CSV named its first column '\ufeffEntry'. The pipe gets none, the file keeps it."""
    path, _ = sample_check
    result = run("accounts", "journal", "--check", path, "--coa", COA, "--import-file", "-")
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.startswith(b"Entry,Date,Account,Account name,Debit,Credit,Currency,Memo\n")
    assert next(csv.DictReader(result.stdout.splitlines()))["Entry"] == "ACCR-20261031-BASE"
    journal(path, "generic", tmp_path / "j.csv")
    written = (tmp_path / "j.csv").read_bytes()
    assert written.startswith(b"\xef\xbb\xbfEntry,")
    assert written.decode("utf-8-sig").replace("\r\n", "\n") == result.stdout  # the same rows


def test_a_journal_over_the_ledger_s_line_limit_is_refused_on_standard_output(sample_check, tmp_path, monkeypatch):
    """Xero takes 300 manual journal lines a file: a longer journal is written as j.csv, j-2.csv. On standard output
    the parts were joined with the header repeated mid-stream, which Xero's import does not read. It is refused now
    (exit 2, one line naming the limit and the files a file name gives), before the workbook is written (the limit
    made 20 here: the sample's accrual and its reversal are 16 lines each)."""
    path, _ = sample_check
    monkeypatch.setitem(targets.get("xero").ROWS_PER_FILE, "journal", 20)
    book = tmp_path / "accrual.xlsx"
    result = run("accounts", "journal", "--check", path, "--coa", COA, "--target", "xero", "--reverse-on",
                 "2026-11-01", "--workbook", str(book), "--import-file", "-")
    assert result.exit_code == 2 and result.stdout == "" and not book.exists()
    assert result.stderr == (
        "Error: --import-file -: xero takes at most 20 journal lines an import file and these 32 journal lines need "
        "2 files, which standard output cannot keep apart; give a file name (--import-file journal.csv writes "
        "journal.csv and journal-2.csv)\n")


def test_the_refusal_reaches_a_pipe_as_one_line_and_exit_2(sample_check, tmp_path):
    """The same through a real process whose output is piped: nothing on standard output for the program reading
    it, the one line on standard error, exit 2 (Xero's limit made 20 in the process, as above)."""
    import subprocess
    import sys

    path, _ = sample_check
    code = ("import sys; from nexus.targets import xero; xero.ROWS_PER_FILE['journal'] = 20; "
            "from nexus.cli import cli; cli(sys.argv[1:], prog_name='nexus')")
    done = subprocess.run([sys.executable, "-c", code, "accounts", "journal", "--check", path, "--coa", COA,
                           "--target", "xero", "--reverse-on", "2026-11-01", "--import-file", "-"],
                          capture_output=True, text=True, encoding="utf-8")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.splitlines() == [
        "Error: --import-file -: xero takes at most 20 journal lines an import file and these 32 journal lines need "
        "2 files, which standard output cannot keep apart; give a file name (--import-file journal.csv writes "
        "journal.csv and journal-2.csv)"]


def test_the_vda_scenario_in_another_book_currency(sample_check, tmp_path):
    path, document = sample_check
    out = tmp_path / "j.csv"
    missing = run("accounts", "journal", "--check", path, "--coa", COA, "--book-currency", "EUR", "-o", str(out))
    assert missing.exit_code == 2 and "no rate in the check converts it to EUR: give --rates" in missing.stderr
    journal(path, "generic", out, "--scenario", "vda", "--book-currency", "EUR", "--rates",
            str(SAMPLES / "eurofxref-hist.csv"))
    rows = read(out)
    assert {r["Currency"] for r in rows} == {"EUR"} and rows[0]["Entry"] == "ACCR-20261031-VDA"
    usd = expected(document, scenario="vda")
    eur = sum(D(r["Debit"] or 0) for r in rows)
    assert abs(eur * D("1.1172") - usd.entry.debits) < D("0.01") * len(rows)  # EUR 1 = USD 1.1172 on 2026-10-30


def test_the_workbook_holds_the_entry_the_accrual_and_the_accounts(sample_check, texas, tmp_path):
    import openpyxl

    path, document = sample_check
    journal(path, "netsuite", tmp_path / "j.csv", "--workbook", str(tmp_path / "accrual.xlsx"))
    found = expected(document, "netsuite")
    book = openpyxl.load_workbook(tmp_path / "accrual.xlsx")
    assert book.sheetnames == ["Journal entry", "Accrual", "Accounts"]
    entry = book["Journal entry"]
    total = next(row for row in entry.iter_rows(values_only=True) if row[2] == "Total")
    assert total[3].startswith("=SUM(D") and total[4].startswith("=SUM(E")
    values = openpyxl.load_workbook(tmp_path / "accrual.xlsx", data_only=True)
    total = next(row for row in values["Journal entry"].iter_rows(values_only=True) if row[2] == "Total")
    assert D(str(total[3])) == D(str(total[4])) == found.entry.debits
    # every account's name on one line of its column: at 40 wide, 'Accrued sales tax exposure - North Carolina (US-'
    # printed over 'NC)', and Japan's over '(JP)'
    names = [row[2] for row in entry.iter_rows(values_only=True) if row[1]]
    assert entry.column_dimensions["C"].width >= max(len(str(name)) for name in names) >= 51
    row = next(row for row in book["Accrual"].iter_rows(values_only=True) if row[0] == "US-TX")
    # a wrapped cell holding a place's code ends its printed lines itself (nexus.workbooks.sheet.unbroken)
    assert row[11].startswith("=ROUND(F") and row[14].replace("\n", " ") == (
        f"{texas} Accrued sales tax exposure - Texas (US-TX)")
    proposed = [row[0] for row in book["Accounts"].iter_rows(min_row=3, values_only=True) if row[4] == "no: proposed"]
    assert proposed == [r.number for r in found.used]


def test_the_xero_accrual_workbook_places_its_accounts_by_type_not_under_a_parent(sample_check, tmp_path):
    """The accrual workbook's Accounts sheet, the accounts to import before the entry, put each 'Under' its chart
    parent for Xero too (2100 ... under the chart's header), a parent Xero's chart cannot hold; it now gives the Xero
    type the import files each by, as the plan does."""
    import openpyxl

    path, _ = sample_check
    journal(path, "xero", tmp_path / "j.csv", "--workbook", str(tmp_path / "accrual.xlsx"))
    rows = list(openpyxl.load_workbook(tmp_path / "accrual.xlsx")["Accounts"].iter_rows(values_only=True))
    header = next(r for r in rows if r and r[0] == "Number")
    assert header[3] == "Xero type" and "Under" not in header
    body = [r for r in rows[rows.index(header) + 1:] if r[0]]
    assert body and {r[3] for r in body} <= {"EXPENSE", "CURRLIAB"}


def test_no_output_may_overwrite_the_check_or_the_chart(sample_check, tmp_path):
    path, _ = sample_check
    before = open(path, encoding="utf-8").read()
    result = run("accounts", "journal", "--check", path, "--coa", COA, "--import-file", path)
    assert result.exit_code == 2 and "--check" in result.stderr
    assert open(path, encoding="utf-8").read() == before


def test_an_accrual_in_one_currency_totals_its_estimates_in_it(sample_check, tmp_path):
    """Estimates all in USD add up in their own columns too: one Total row, in USD and in the book currency
    (the sample's USD lines summed by hand: tax 123,227.55, penalties 18,794.15 + Pennsylvania's 704.51 = 19,498.66
    (72 P.S. 7266(a), 5% a month up to 25%: test_workbook_print works it out), New York's and Georgia's interest
    1,604.13 + 268.52 = 1,872.65, credits 143,894.34 + 704.52 = 144,598.86: Pennsylvania's tax and penalty, rounded
    once together, credit 5,772.00; Maryland's tax from its crossing day, 2025-12-05, not 2026-01-01 (COMAR
    03.06.01.33): 3,529.86 where it was 3,266.18, its penalty 325.85 where it was 299.48; New Jersey's central rate
    for 2026 the state's 6.625% plus its average local -0.02%, 6.605%, not the state rate: its tax 9,925.52 where it
    was 9,938.79 and its penalty 4,352.57 where it was 4,354.96, so tax 123,214.28, penalties 19,496.27, credits
    144,583.21, and booked penalty and interest 21,368.93, New Jersey's 14,278.10 less 9,925.52 being 4,352.58), and
    no per-currency rows."""
    import openpyxl

    from nexus.workbooks.journal import write_journal_workbook

    _, document = sample_check
    usd = {**document, "findings": [f for f in document["findings"] if f["jurisdiction"] not in ("JP", "KR")]}
    found = expected(usd)
    assert {a.currency for a in found.lines} == {"USD"}
    write_journal_workbook(found, targets.get("generic"), str(tmp_path / "accrual.xlsx"))
    sheet = openpyxl.load_workbook(tmp_path / "accrual.xlsx", data_only=True)["Accrual"]
    totals = [row for row in sheet.iter_rows(values_only=True) if row[0] in ("Total", "USD total", "Total in USD")]
    assert len(totals) == 1 and totals[0][:2] == ("Total", "12 estimates") and totals[0][4] == "USD"
    assert [D(str(v)).quantize(D("0.01")) for v in totals[0][5:9] + totals[0][11:14]] == [
        D("123416.41"), D("19538.27"), D("1899.10"), D("144853.81"), D("123416.41"), D("21437.40"), D("144853.81")]


def test_the_accrual_sheet_says_which_rows_do_not_add_across_and_why(sample_check, tmp_path):
    """Pennsylvania's USD 5,072.00 tax and 705.64 penalty are 5,777.64, its total 5,777.65; Michigan's 3,991.13 and
    559.29 are 4,550.42 against 4,550.43; South Korea's KRW 410,197, 76,420 and 25,540 are 512,157 against 512,158:
    each total is the unrounded sum rounded once, each part rounded on its own. The sheet did not say so, and an
    accountant adding across found a cent or a won missing. New Jersey's too, since its central rate for 2026 is
    6.605%: 9,925.52 and 4,352.57 are 14,278.09 against 14,278.10."""
    import openpyxl

    from nexus.workbooks.journal import write_journal_workbook

    _, document = sample_check
    write_journal_workbook(expected(document), targets.get("generic"), str(tmp_path / "accrual.xlsx"))
    sheet = openpyxl.load_workbook(tmp_path / "accrual.xlsx", data_only=True)["Accrual"]
    said = " ".join(str(row[0]).replace("\n", " ") for row in sheet.iter_rows(max_row=3, values_only=True) if row[0])
    assert ("A total is the unrounded tax, penalty and interest rounded once; each of them is rounded on its own, so "
            "they can add to one minor unit (a cent, a yen) more or less than it: US-NJ, US-PA, US-MI, KR.") in said


def test_xero_files_take_the_organisation_s_own_no_tax_rate(sample_check, tmp_path):
    """Xero's manual journal import needs the tax rate's name as the organisation's tax settings have it: 'Tax
    Exempt' is the US edition's; an Australian organisation's is 'BAS Excluded' (help.xero.com/au/Tax-SetDefaults),
    and a file naming a rate it lacks is refused. --xero-tax-rate names it, in the journal and in the chart."""
    path, _ = sample_check
    journal, chart = tmp_path / "journal.csv", tmp_path / "accounts.csv"
    assert run("accounts", "journal", "--check", path, "--coa", COA, "--target", "xero", "--xero-tax-rate",
               "BAS Excluded", "-o", str(journal)).exit_code == 0
    with open(journal, newline="", encoding="utf-8") as f:
        assert {row["*TaxRate"] for row in csv.DictReader(f)} == {"BAS Excluded"}
    assert run("accounts", "plan", "--coa", COA, "--currencies", CURRENCIES, "--target", "xero", "--xero-tax-rate",
               "BAS Excluded", "--workbook", str(tmp_path / "plan.xlsx"), "--import-file", str(chart)).exit_code == 0
    with open(chart, newline="", encoding="utf-8") as f:
        assert {row["*Tax Code"] for row in csv.DictReader(f)} == {"BAS Excluded"}


def test_netsuite_oneworld_files_name_the_subsidiary(sample_check, tmp_path):
    """A OneWorld account posts every journal entry to a subsidiary and refuses a chart-of-accounts import whose
    Subsidiaries field is not mapped (NetSuite's Chart of Accounts Import and Journal Entry CSV Files pages): the
    files had no such column, and the import assistant stopped. --netsuite-subsidiary names it, as NetSuite lists
    it ('Parent : Child'), on every journal line and every new account; without it the files are as before."""
    path, document = sample_check
    name = "Nexus Demo Inc : Nexus Demo US"
    journal, chart = tmp_path / "journal.csv", tmp_path / "accounts.csv"
    result = run("accounts", "journal", "--check", path, "--coa", COA, "--target", "netsuite",
                 "--netsuite-subsidiary", name, "-o", str(journal))
    assert result.exit_code == 0, result.output
    rows = read(journal)
    assert list(rows[0]) == ["External ID", "Subsidiary", "Date", "Currency", "Memo", "Account", "Debit", "Credit",
                             "Line Memo"]
    assert {r["Subsidiary"] for r in rows} == {name} and len(rows) == len(expected(document, "netsuite").entry.lines)
    assert sum(D(r["Debit"] or 0) for r in rows) == sum(D(r["Credit"] or 0) for r in rows) > 0
    result = run("accounts", "plan", "--coa", COA, "--currencies", CURRENCIES, "--target", "netsuite",
                 "--netsuite-subsidiary", name, "--workbook", str(tmp_path / "plan.xlsx"), "--import-file", str(chart))
    assert result.exit_code == 0, result.output
    accounts_rows = read(chart)
    assert list(accounts_rows[0])[-1] == "Subsidiaries" and {r["Subsidiaries"] for r in accounts_rows} == {name}


def test_odoo_files_take_the_company_s_own_journal(sample_check, tmp_path):
    """Odoo finds a journal entry's journal by its name, and a company whose miscellaneous journal is named
    otherwise (a French company's 'Opérations diverses') could not import the entry: the file always said
    'Miscellaneous Operations'. --odoo-journal names it, on the entry's first row, where Odoo reads it."""
    path, document = sample_check
    journal = tmp_path / "journal.csv"
    result = run("accounts", "journal", "--check", path, "--coa", COA, "--target", "odoo", "--odoo-journal",
                 "Opérations diverses", "-o", str(journal))
    assert result.exit_code == 0, result.output
    rows = read(journal)
    assert [r["journal_id"] for r in rows] == ["Opérations diverses"] + [""] * (len(rows) - 1)
    assert len(rows) == len(expected(document, "odoo").entry.lines)
    assert sum(D(r["line_ids/debit"]) for r in rows) == sum(D(r["line_ids/credit"]) for r in rows) > 0
    blank = run("accounts", "journal", "--check", path, "--coa", COA, "--target", "odoo", "--odoo-journal", " ",
                "-o", str(tmp_path / "blank.csv"))
    assert blank.exit_code == 2 and not (tmp_path / "blank.csv").exists()
    assert "--odoo-journal: give the name of the Odoo journal to post to" in blank.output


def test_a_withdrawn_book_currency_names_its_successor_as_the_plan_does(sample_check, tmp_path):
    """docs/accounts.md: a withdrawn --book-currency stops the journal as it stops the plan, naming its successor.
    The journal said only "'HRK' is not a current ISO 4217 currency code (USD, EUR, JPY...)", leaving the
    accountant to find out that Croatia's books are now in euros."""
    path, _ = sample_check
    result = run("accounts", "journal", "--check", path, "--coa", COA, "--book-currency", "hrk",
                 "-o", str(tmp_path / "journal.csv"))
    assert result.exit_code == 2 and not (tmp_path / "journal.csv").exists()
    assert "Invalid value for '--book-currency': 'HRK' was withdrawn (2023-01): use EUR, its successor" in result.output


def test_two_rates_files_that_both_give_a_days_rate_say_whose_the_journal_used(sample_check, tmp_path, write):
    """Before: 'accounts journal --rates treasury.csv --rates eurofxref-hist.csv --book-currency EUR', both files
    giving USD on 2026-10-30 (1.2000 and the ECB's 1.1172), booked at the treasury's rate without a word, the ECB's
    ignored; in the other order, the ECB's, the treasury's ignored. It now says once which file's rates were used and
    on how many days both gave one (and on how many they differ); one file alone, or files apart, say nothing."""
    path, _ = sample_check
    ecb = str(SAMPLES / "eurofxref-hist.csv")
    treasury = write("treasury.csv", "date,currency,per_eur\n2026-10-30,USD,1.2000\n2026-10-29,USD,1.113\n")
    first = journal(path, "generic", tmp_path / "a.csv", "--book-currency", "EUR", "--rates", treasury, "--rates", ecb)
    # each warning in lines of the terminal's width, as the review's and the check's (it ran on one line of 250
    # columns), read back as the words it says
    warnings = " ".join(line.strip() for line in first.stderr.splitlines()).split("Warning: ")
    said = [w.strip() for w in warnings if "both give" in w]
    assert said == [f"{treasury} and {ecb} both give rates for USD on 2 days (different on 1 day): "
                    f"{treasury}'s are used, the first given"]
    assert max(len(line) for line in first.stderr.splitlines()) <= 100  # no terminal: the default width
    other = journal(path, "generic", tmp_path / "b.csv", "--book-currency", "EUR", "--rates", ecb, "--rates", treasury)
    assert f"Warning: {ecb} and {treasury} both give rates for USD on 2 days (different on 1 day): {ecb}'s are " \
           f"used" in " ".join(line.strip() for line in other.stderr.splitlines())
    alone = journal(path, "generic", tmp_path / "c.csv", "--book-currency", "EUR", "--rates", ecb)
    apart = write("xcg.csv", "date,currency,per_eur\n2026-10-30,XCG,2.0\n")
    both = journal(path, "generic", tmp_path / "d.csv", "--book-currency", "EUR", "--rates", ecb, "--rates", apart)
    assert "both give" not in alone.stderr + both.stderr



def test_each_rate_names_the_file_that_gave_it(sample_check, tmp_path, write):
    """Before: with '--rates treasury.csv --rates eurofxref-hist.csv' (the treasury file holding USD alone), every
    rate read '(2026-10-30, treasury.csv, eurofxref-hist.csv)', KRW's too, which only the ECB's file holds: the
    reader could not tell which file to check a rate against. Each rate now names the file it came from."""
    path, _ = sample_check
    ecb = str(SAMPLES / "eurofxref-hist.csv")
    treasury = write("treasury.csv", "date,currency,per_eur\n2026-10-30,USD,1.2000\n")
    said = " ".join(journal(path, "generic", tmp_path / "a.csv", "--book-currency", "EUR", "--rates", treasury,
                            "--rates", ecb).stdout.split())
    assert f"1 KRW = 0.000670349 EUR (2026-10-30, {ecb});" in said
    assert f"1 USD = 0.8333333333 EUR (2026-10-30, {treasury})." in said  # 1 / 1.2 to ten digits: six reproduced
    # not every line's euros by hand


def test_the_quickbooks_journal_names_the_chart_line_of_a_parent_named_with_a_colon(sample_check, tmp_path):
    """The journal refused a chart whose accrued exposures hang under 'Tax: accruals' with "account 2900 'Tax:
    accruals': QuickBooks names cannot hold a colon", where the plan names the file and line to fix. The journal
    reads the same chart (--coa): it names them too."""
    path, _ = sample_check
    coa = tmp_path / "coa.csv"
    coa.write_text(Path(COA).read_text(encoding="utf-8")
                   + "2900,Tax: accruals,Current liability,,\n"
                   + "2910,Accrued sales tax exposure - Texas (US-TX),Current liability,USD,2900\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["accounts", "journal", "--check", path, "--coa", str(coa), "--target",
                                      "quickbooks", "--currencies", CURRENCIES, "--import-file",
                                      str(tmp_path / "journal.csv")])
    assert result.exit_code == 2
    assert f"{coa}:27: account 2900 'Tax: accruals': QuickBooks names cannot hold a colon ('Tax: accruals')" \
        in " ".join(result.output.split())


def test_a_journal_for_a_chart_kept_in_another_currency_says_so(sample_check, tmp_path):
    """A Japanese chart whose accounts are in yen took the sample check's accrual in USD, the check's reporting
    currency, without a word: the entry went into a yen ledger's import in dollars (GnuCash alone refused it). The
    journal now warns, naming the chart's currency and the option; with --book-currency given, nothing is said."""
    path, _ = sample_check
    coa = tmp_path / "coa.csv"
    coa.write_text("コード,勘定科目,区分,通貨\n1110,普通預金 三菱UFJ,現金・預金,JPY\n1200,売掛金,売上債権,JPY\n"
                   "2200,未払費用,流動負債,JPY\n", encoding="utf-8")
    args = ["accounts", "journal", "--check", path, "--coa", str(coa), "--target", "generic", "--import-file",
            str(tmp_path / "journal.csv")]
    said = " ".join(CliRunner().invoke(cli, args, catch_exceptions=False).stderr.split())
    assert (f"Warning: {coa}: the chart keeps its accounts other than banks and clearing in JPY, and the entry is "
            f"booked in USD, the check's reporting currency: where the books are kept in JPY, give --book-currency "
            f"JPY") in said
    given = CliRunner().invoke(cli, args + ["--book-currency", "USD"], catch_exceptions=False).stderr
    assert "--book-currency JPY" not in given


def test_a_journal_is_not_told_to_book_in_the_currency_of_the_chart_s_foreign_banks(sample_check, tmp_path):
    """A US seller's chart tags its payables and receivables in dollars and its banks in euros (two) and pounds: the
    warning counted the banks with the rest and told the accountant the books were kept in EUR ("give
    --book-currency EUR") for a dollar entry in dollar books. The banks say which currencies are held, not which
    one the books are kept in: nothing is said now."""
    path, _ = sample_check
    coa = tmp_path / "coa.csv"
    coa.write_text("Number,Name,Type,Currency,Parent\n1000,Cash and bank,Bank,,\n1020,Bank - EUR,Bank,EUR,1000\n"
                   "1025,Bank - EUR savings,Bank,EUR,1000\n1030,Bank - GBP,Bank,GBP,1000\n"
                   "1100,Accounts receivable,Receivable,USD,\n2000,Accounts payable,Payable,USD,\n"
                   "2200,Accrued expenses,Current liability,,\n", encoding="utf-8")
    args = ["accounts", "journal", "--check", path, "--coa", str(coa), "--target", "generic", "--import-file",
            str(tmp_path / "journal.csv")]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0 and "--book-currency" not in result.stderr


def test_a_journal_into_a_gnucash_book_kept_in_another_currency_stops_before_writing(sample_check, tmp_path):
    """A dollar entry posted into a GnuCash book kept in yen: the accounts the entry needed were added to the book
    (in yen) before the posting was refused, so the book was changed by a run that said it failed. The book's own
    currency is now read first, and the run stops naming it, the book as it was."""
    import piecash

    path, _ = sample_check
    book = tmp_path / "yen.gnucash"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        piecash.create_book(sqlite_file=str(book), currency="JPY").close()
    before = read_book(book)
    result = CliRunner().invoke(cli, ["accounts", "journal", "--check", path, "--coa", COA, "--target", "gnucash",
                                      "--import-file", str(book)])
    assert result.exit_code == 2
    assert ("book currency 'USD': the book written into is kept in JPY, in which it keeps every new account without "
            "a currency of its own; give --book-currency JPY") in " ".join(result.stderr.split())
    assert read_book(book) == before
