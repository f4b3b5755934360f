"""What nexus hands to a ledger, run as a controller would: the plan's files and the accrual loaded together, an
accrual posted twice, hostile text in a memo."""
import csv
import warnings
from datetime import date
from decimal import Decimal

import pytest
from click.testing import CliRunner

from conftest import SAMPLES
from nexus import targets
from nexus.account_records import AccountRef
from nexus.journal import JournalEntry, JournalLine

COA = str(SAMPLES / "chart-of-accounts.csv")
CURRENCIES = str(SAMPLES / "provider-currencies-2026-q4.txt")


def run(*args):
    return CliRunner().invoke(cli(), list(args), catch_exceptions=False)


def cli():
    from nexus.cli import cli as command

    return command


@pytest.fixture(scope="module")
def check(readme_check_json):
    return str(readme_check_json)


def transactions(book):
    import piecash

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        opened = piecash.open_book(str(book), readonly=True, open_if_lock=True)
        try:
            return [t.num for t in opened.transactions]
        finally:
            opened.close()


def test_the_accrual_run_twice_into_a_gnucash_book_is_posted_once(check, tmp_path):
    """Run again (to add --workbook, say), the journal posted the same accrual a second time: the liability and the
    expense doubled in the book. The second run is refused, naming the entry, and the book keeps one."""
    book = tmp_path / "books.gnucash"
    args = ("accounts", "journal", "--check", check, "--coa", COA, "--currencies", CURRENCIES, "--target",
            "gnucash", "--import-file", str(book))
    assert run(*args).exit_code == 0
    again = run(*args)
    assert again.exit_code == 2
    assert "entry ACCR-20261031-BASE is already in the book" in again.stderr
    assert len(again.stderr.strip().splitlines()) == 1
    assert transactions(book) == ["ACCR-20261031-BASE"]


def test_the_plans_beancount_accounts_are_open_on_the_accruals_date(check, tmp_path):
    """The documented order: 'accounts plan --nexus' opens the accrual's accounts, then 'accounts journal' posts the
    entry dated the check's as-of date. The plan opened them today (2026-12-05 or later), after the entry's
    2026-10-31: beancount refused every posting ('Invalid reference to inactive account')."""
    from beancount import loader

    plan, journal = tmp_path / "accounts.beancount", tmp_path / "accrual.beancount"
    planned = run("accounts", "plan", "--coa", COA, "--currencies", CURRENCIES, "--nexus", check, "--target",
                  "beancount", "--workbook", str(tmp_path / "plan.xlsx"), "--import-file", str(plan),
                  "--db", str(tmp_path / "store.sqlite3"))
    assert planned.exit_code == 0, planned.output
    assert run("accounts", "journal", "--check", check, "--coa", COA, "--currencies", CURRENCIES, "--target",
               "beancount", "--import-file", str(journal)).exit_code == 0
    main = tmp_path / "main.beancount"
    main.write_text(f'option "operating_currency" "USD"\ninclude "{plan.name}"\ninclude "{journal.name}"\n',
                    encoding="utf-8")
    entries, errors, _ = loader.load_file(str(main))
    assert [e.message for e in errors] == []
    assert plan.read_text(encoding="utf-8").splitlines()[1].startswith("2026-10-31 open ")
    # an explicit date is kept
    again = run("accounts", "plan", "--coa", COA, "--currencies", CURRENCIES, "--nexus", check, "--target",
                "beancount", "--workbook", str(tmp_path / "plan2.xlsx"), "--import-file", str(tmp_path / "b.beancount"),
                "--db", str(tmp_path / "store.sqlite3"), "--opened-on", "2026-01-01")
    assert again.exit_code == 0
    assert (tmp_path / "b.beancount").read_text(encoding="utf-8").splitlines()[1].startswith("2026-01-01 open ")


def test_a_memo_with_line_breaks_stays_one_comment_in_beancount(tmp_path):
    """A line's memo is written as a '; comment' after its posting. A finding's name from a check JSON with line
    breaks ("Texas\\n2026-01-02 * ...") ended the comment and wrote the rest as directives of the ledger: an
    account opened and a transaction of 1,000,000 USD that nexus never booked."""
    from beancount import loader

    expense = AccountRef("6200", "Tax exposure expense", "expense")
    accrued = AccountRef("2570", "Accrued sales tax exposure - Texas (US-TX)", "current-liability")
    hostile = ('Texas\n2026-01-01 open Assets:Evil USD\r\n2026-01-02 * "x"\n  Assets:Evil 1000000 USD\n'
               '  Equity:Evil -1000000 USD')
    entry = JournalEntry(date(2026, 10, 31), "Accrued tax exposure\r\n2026-01-01 open Assets:Memo USD", (
        JournalLine(expense, Decimal("10.00"), Decimal(0), "USD", "tax"),
        JournalLine(accrued, Decimal(0), Decimal("10.00"), "USD", hostile)), "ACCR-20261031-BASE")
    out = tmp_path / "journal.beancount"
    targets.get("beancount").write_journal([entry], str(out))
    opens = "".join(f"2026-01-01 open {targets.get('beancount').account_name(r)}\n" for r in (expense, accrued))
    main = tmp_path / "main.beancount"
    main.write_text(opens + f'include "{out.name}"\n', encoding="utf-8")
    entries, errors, _ = loader.load_file(str(main))
    assert errors == []
    assert [type(e).__name__ for e in entries] == ["Open", "Open", "Transaction"]
    assert "Evil" not in "".join(out.read_text(encoding="utf-8").split(";")[0])
    assert len(out.read_text(encoding="utf-8").strip().splitlines()) == 3


def test_escape_sequences_in_a_charts_names_do_not_reach_the_terminal(check, tmp_path, monkeypatch):
    """A name in the chart carrying terminal escapes (a hidden hyperlink, ESC ] 8, and a bell) was printed as is
    in the plan's and the journal's tables: the terminal ran them. They are shown as text (\\x1b), as the error
    line shows them."""
    chart = tmp_path / "chart.csv"
    chart.write_text(open(COA, encoding="utf-8").read().replace(
        "Cash and bank", "Cash\x1b]8;;http://evil.example/\x07and bank\x1b]8;;\x07").replace(
        "Accrued expenses", "Accrued expenses\x1b[2J\x9b31m") + "6150,Sales tax expense\x1b]0;owned\x07,Expense,,\n",
        encoding="utf-8")
    from nexus.cli import books
    monkeypatch.setattr(books, "screen_width", lambda: 160)  # wide enough for the Under column's escaped name
    plan = CliRunner().invoke(cli(), ["accounts", "plan", "--coa", str(chart), "--currencies", CURRENCIES, "--nexus",
                                      check, "--workbook", str(tmp_path / "plan.xlsx"),
                                      "--db", str(tmp_path / "store.sqlite3")])
    assert plan.exit_code == 0, plan.output
    journal = CliRunner().invoke(cli(), ["accounts", "journal", "--check", check, "--coa", str(chart)])
    assert journal.exit_code == 0, journal.output
    for shown in (plan.stdout, journal.stdout):
        assert not set(shown) & {"\x1b", "\x07", "\x9b"}
    assert "1000 Cash\\x1b]8;;http://evil.example/\\x07and bank" in plan.stdout
    assert "6150       Sales tax expense\\x1b]0;owned\\x07" in journal.stdout


def test_each_accrual_is_the_whole_liability_so_it_can_be_written_with_its_reversal(check, tmp_path):
    """An accrual is the whole liability estimated to the as-of date, not its change: booked quarter after quarter
    without a reversal, the liability counts twice. --reverse-on DATE writes the reversing entry beside it (swapped
    sides, dated that day); beancount then holds the liability on the as-of date and none after. Without it, the
    screen says to reverse it."""
    from beancount import loader
    from beancount.core import realization

    plan, journal = tmp_path / "accounts.beancount", tmp_path / "accrual.beancount"
    assert run("accounts", "plan", "--coa", COA, "--currencies", CURRENCIES, "--nexus", check, "--target",
               "beancount", "--workbook", str(tmp_path / "plan.xlsx"), "--import-file", str(plan),
               "--db", str(tmp_path / "store.sqlite3")).exit_code == 0
    written = run("accounts", "journal", "--check", check, "--coa", COA, "--currencies", CURRENCIES, "--target",
                  "beancount", "--import-file", str(journal), "--reverse-on", "2026-11-01")
    assert written.exit_code == 0, written.output
    assert "Reversed on 2026-11-01 by entry ACCR-20261031-BASE-R " in " ".join(written.stdout.split())
    main = tmp_path / "main.beancount"
    main.write_text(f'option "operating_currency" "USD"\ninclude "{plan.name}"\ninclude "{journal.name}"\n',
                    encoding="utf-8")
    entries, errors, _ = loader.load_file(str(main))
    assert [e.message for e in errors] == []
    reversal = [e for e in entries if getattr(e, "narration", "").startswith("Reversal of ACCR-20261031-BASE")]
    assert len(reversal) == 1 and str(reversal[0].date) == "2026-11-01"
    quickbooks = tmp_path / "qb.csv"  # a journal number of 21 characters at most, as QuickBooks Online takes
    assert run("accounts", "journal", "--check", check, "--coa", COA, "--currencies", CURRENCIES, "--target",
               "quickbooks", "--import-file", str(quickbooks), "--reverse-on", "2026-11-01").exit_code == 0
    with quickbooks.open(encoding="utf-8-sig") as handle:
        numbers = {row["Journal No."] for row in csv.DictReader(handle)}
    assert numbers == {"ACCR-20261031-BASE", "ACCR-20261031-BASE-R"} and max(map(len, numbers)) <= 21

    def liabilities(until):
        real = realization.realize([e for e in entries if e.date <= date.fromisoformat(until)])
        return sum((pos.units.number for account in realization.iter_children(real)
                    if account.account.startswith("Liabilities") for pos in account.balance), Decimal(0))

    # the sample's accrual, credited: 149,615.14 before Pennsylvania's penalty, whose line grew from 5,067.48 to
    # 5,772.00; 150,319.66 before Maryland's tax ran from its crossing day, 2025-12-05 (COMAR 03.06.01.33), whose
    # line grew from 3,565.66 to 3,855.71; 150,609.71 before Japan's and South Korea's penalties and interest (Japan's
    # line grew from 5,703.65 to 6,091.18, JPY 957,840 at 0.0063593; South Korea's from 307.20 to 383.56, KRW 512,158
    # at 0.00074891); 151,073.60 before Japan's marketplace services (and its e-books and SaaS before 2025-04-01) were
    # estimated as its own supplies (its line grew from 6,091.18 to 6,816.97, JPY 1,071,970); 151,799.39 before New
    # Jersey's central rate for 2026 was its 6.625% plus its average local -0.02% (its line fell from 14,293.75 to
    # 14,278.10); 151,783.74 before the refunds linked by order id to a sale made before tax was due were left out,
    # not netted (the lines of New York, Ohio, Maryland, Illinois, Michigan, Minnesota and Pennsylvania grew)
    assert liabilities("2026-10-31") == Decimal("-152054.32")
    assert liabilities("2026-11-01") == 0
    # a reversal on or before the accrual's own day is refused
    early = run("accounts", "journal", "--check", check, "--coa", COA, "--currencies", CURRENCIES, "--target",
                "beancount", "--import-file", str(tmp_path / "x.beancount"), "--reverse-on", "2026-10-31")
    assert early.exit_code == 2
    assert "--reverse-on 2026-10-31 is not after the accrual's date 2026-10-31" in early.stderr
    plain = run("accounts", "journal", "--check", check, "--coa", COA, "--currencies", CURRENCIES)
    assert ("the whole liability estimated to 2026-10-31, not its change: reverse it before booking a later "
            "check's accrual") in " ".join(plain.stdout.split())


def test_exchange_rates_print_with_their_places_not_eighteen_digits(check, tmp_path):
    """The accrual workbook's rate to book (a cross rate, won to dollars) printed 0.000748914034429131 in General
    format: rates are shown with up to ten places; the cell keeps the exact rate."""
    from openpyxl import load_workbook

    book = tmp_path / "accrual.xlsx"
    assert run("accounts", "journal", "--check", check, "--coa", COA, "--currencies", CURRENCIES, "--workbook",
               str(book)).exit_code == 0
    sheet = load_workbook(book)["Accrual"]
    header = next(row for row in sheet.iter_rows() if any(c.value == "Rate to book" for c in row))
    column = next(c.column for c in header if c.value == "Rate to book")
    rates = [sheet.cell(row, column) for row in range(header[0].row + 1, sheet.max_row + 1)
             if isinstance(sheet.cell(row, column).value, (int, float)) and sheet.cell(row, column).value < 0.001]
    assert rates and all(c.number_format == "0.0#########" for c in rates)
    assert any(len(repr(c.value)) > 12 for c in rates)  # the exact rate is kept in the cell
