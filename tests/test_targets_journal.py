"""The journal writers: a hand-made accrual in each ledger's journal layout, posted into beancount and GnuCash."""
import csv
from datetime import date
from decimal import Decimal

import pytest

from conftest import SAMPLES
from nexus import accounts, targets
from nexus.account_records import AccountRef, BookOptions, Jurisdiction, Proposal
from nexus.chart import read_chart
from nexus.errors import InputError
from nexus.journal import JournalEntry, JournalLine, UnbalancedEntry

OPTIONS = BookOptions(company="Nexus Demo Inc", company_abbr="ND", book_currency="USD", opened_on=date(2026, 1, 1))


@pytest.fixture(scope="module")
def plans():
    chart = read_chart(str(SAMPLES / "chart-of-accounts.csv"))
    places = [Jurisdiction("US-TX", "Texas", "Sales tax", "USD", "nexus in Texas", True),
              Jurisdiction("DE", "Germany", "VAT", "EUR", "nexus in Germany", True)]
    return {name: accounts.make_plan(chart, ["USD", "EUR"], places, targets.get(name).LEDGER, OPTIONS)
            for name in targets.NAMES}


def accrual(plan):
    """Debit the tax exposure expense, credit each accrued liability: the accrual DECISIONS 'Accounts' describes."""
    by = {p.purpose: p.number for p in plan.proposals}
    ref = plan.ref
    return JournalEntry(date(2026, 10, 31), "Accrued tax exposure 2025-01-01 to 2026-10-31, base scenario", (
        JournalLine(ref(by["tax-exposure"]), Decimal("150.25"), Decimal("0"), "USD"),
        JournalLine(ref(by["accrued:US-TX"]), Decimal("0"), Decimal("100.10"), "USD", "Texas"),
        JournalLine(ref(by["accrued:DE"]), Decimal("0"), Decimal("50.15"), "USD", "Germany"),
    ), reference="ACCR-2026-10")


def read(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_an_entry_must_balance_in_one_currency_to_the_minor_unit(plans):
    ref = plans["generic"].ref("6000")
    with pytest.raises(UnbalancedEntry, match="debits 10.00 and credits 9.99 USD differ"):
        JournalEntry(date(2026, 1, 1), "x", (JournalLine(ref, Decimal("10.00"), Decimal(0), "USD"),
                                             JournalLine(ref, Decimal(0), Decimal("9.99"), "USD")))
    with pytest.raises(UnbalancedEntry, match="not a non-negative amount in the currency's minor unit"):
        JournalLine(ref, Decimal("10.005"), Decimal(0), "USD")
    with pytest.raises(UnbalancedEntry, match="amounts must be Decimal, not float"):
        JournalLine(ref, 10.0, Decimal(0), "USD")
    with pytest.raises(UnbalancedEntry, match="one currency"):
        JournalEntry(date(2026, 1, 1), "x", (JournalLine(ref, Decimal(1), Decimal(0), "USD"),
                                             JournalLine(ref, Decimal(0), Decimal(1), "EUR")))


def total(rows, debit, credit):
    return sum(Decimal(r[debit] or 0) for r in rows), sum(Decimal(r[credit] or 0) for r in rows)


def test_generic_journal(plans, tmp_path):
    out = tmp_path / "j.csv"
    targets.get("generic").write_journal([accrual(plans["generic"])], str(out), OPTIONS)
    rows = read(out)
    assert [(r["Account"], r["Debit"], r["Credit"]) for r in rows] == [
        ("6200", "150.25", ""), ("2220", "", "100.10"), ("2210", "", "50.15")]
    assert total(rows, "Debit", "Credit") == (Decimal("150.25"), Decimal("150.25"))


def test_xero_manual_journal(plans, tmp_path):
    out = tmp_path / "j.csv"
    targets.get("xero").write_journal([accrual(plans["xero"])], str(out), OPTIONS)
    rows = read(out)
    assert list(rows[0]) == ["*Narration", "*Date", "Description", "*AccountCode", "*TaxRate", "*Amount",
                             "TrackingName1", "TrackingOption1", "TrackingName2", "TrackingOption2"]
    assert {r["*Date"] for r in rows} == {"31 Oct 2026"} and {r["*TaxRate"] for r in rows} == {"Tax Exempt"}
    assert sum(Decimal(r["*Amount"]) for r in rows) == 0 and Decimal(rows[0]["*Amount"]) == Decimal("150.25")


def test_quickbooks_journal(plans, tmp_path):
    out = tmp_path / "j.csv"
    targets.get("quickbooks").write_journal([accrual(plans["quickbooks"])], str(out), OPTIONS)
    rows = read(out)
    assert list(rows[0]) == ["Journal No.", "Journal Date", "Account Name", "Debits", "Credits", "Description",
                             "Name"]
    assert {r["Journal Date"] for r in rows} == {"10/31/2026"} and {r["Journal No."] for r in rows} == {"ACCR-2026-10"}
    assert total(rows, "Debits", "Credits") == (Decimal("150.25"), Decimal("150.25"))
    assert rows[1]["Account Name"] == "Accrued sales tax exposure - Texas (US-TX)"


def test_netsuite_journal(plans, tmp_path):
    out = tmp_path / "j.csv"
    targets.get("netsuite").write_journal([accrual(plans["netsuite"])], str(out), OPTIONS)
    rows = read(out)
    assert list(rows[0]) == ["External ID", "Date", "Currency", "Memo", "Account", "Debit", "Credit", "Line Memo"]
    assert rows[0]["Account"] == "6200 Tax exposure expense" and {r["Date"] for r in rows} == {"10/31/2026"}
    assert total(rows, "Debit", "Credit") == (Decimal("150.25"), Decimal("150.25"))


def test_a_netsuite_journal_in_a_three_decimal_currency_is_refused_not_written(plans, tmp_path):
    """NetSuite keeps a currency to 2 decimals or none (Currency Decimal Precision: 'The only values supported are 0
    and 2'). A journal booked in BHD was written with its 3 decimals (Debit 70323.698), which NetSuite rounds line by
    line, out of balance; it is now refused with one line naming the account, the amount and what to do."""
    ref = plans["netsuite"].ref
    entry = JournalEntry(date(2026, 10, 31), "Accrued tax exposure", (
        JournalLine(ref("6000"), Decimal("70323.698"), Decimal(0), "BHD"),
        JournalLine(ref("2200"), Decimal(0), Decimal("70323.698"), "BHD")), reference="ACCR-2026-10")
    out = tmp_path / "j.csv"
    with pytest.raises(InputError, match=r"^account 6000: 70323\.698 BHD has more decimals than NetSuite keeps "):
        targets.get("netsuite").write_journal([entry], str(out), OPTIONS)
    assert not out.exists()
    whole = JournalEntry(date(2026, 10, 31), "Accrued tax exposure", (
        JournalLine(ref("6000"), Decimal("70323.000"), Decimal(0), "BHD"),
        JournalLine(ref("2200"), Decimal(0), Decimal("70323.000"), "BHD")), reference="ACCR-2026-10")
    targets.get("netsuite").write_journal([whole], str(out), OPTIONS)  # 3 places, all zero: NetSuite's own 2
    assert total(read(out), "Debit", "Credit") == (Decimal("70323"), Decimal("70323"))


def three_decimals(plan, amount="70323.698", currency="BHD"):
    """An accrual booked in a currency of 3 decimals (BHD, KWD, OMR, JOD, TND)."""
    return JournalEntry(date(2026, 10, 31), "Accrued tax exposure", (
        JournalLine(plan.ref("6000"), Decimal(amount), Decimal(0), currency),
        JournalLine(plan.ref("2200"), Decimal(0), Decimal(amount), currency)), reference="ACCR-2026-10")


@pytest.mark.parametrize("currency", ["BHD", "KWD", "OMR", "JOD", "TND"])
def test_a_xero_journal_in_a_three_decimal_currency_is_refused_as_netsuite_s_is(plans, tmp_path, currency):
    """Xero keeps amounts to 2 decimals (Rounding in Xero: LineAmount and totals 'remain at two decimal places
    only'). A journal booked in a 3-decimal currency was written with its third decimal (*Amount 70323.698), for
    Xero to round line by line; it is refused now, naming the line's account, the amount and the ledger, through the
    check NetSuite's journal makes (nexus.targets.common.within_decimals)."""
    out = tmp_path / "j.csv"
    with pytest.raises(InputError) as raised:
        targets.get("xero").write_journal([three_decimals(plans["xero"], currency=currency)], str(out), OPTIONS)
    assert str(raised.value) == (
        f"account 6000: 70323.698 {currency} has more decimals than Xero keeps (every amount there is to 2 "
        f"decimals): book the entry in a currency of 2 decimals or none (--book-currency), or round its lines by "
        f"hand so that they still balance")
    assert not out.exists()
    targets.get("xero").write_journal([three_decimals(plans["xero"], "70323.690")], str(out), OPTIONS)
    assert [r["*Amount"] for r in read(out)] == ["70323.690", "-70323.690"]  # a third decimal of 0: Xero's own 2


def test_a_quickbooks_journal_in_a_three_decimal_currency_keeps_its_third_decimal(plans, tmp_path):
    """Intuit's JournalEntry reference takes a line's Amount to 5 decimals ('Max 15 digits in 10.5 format'), and its
    journal import names no precision: the third decimal of a BHD or KWD entry is written as booked, not rounded."""
    out = tmp_path / "j.csv"
    targets.get("quickbooks").write_journal([three_decimals(plans["quickbooks"], "70323.698", "KWD")], str(out),
                                            OPTIONS)
    rows = read(out)
    assert [(r["Debits"], r["Credits"]) for r in rows] == [("70323.698", ""), ("", "70323.698")]


def test_a_netsuite_oneworld_journal_names_its_subsidiary_on_every_line(plans, tmp_path):
    out = tmp_path / "j.csv"
    oneworld = BookOptions(netsuite_subsidiary="Nexus Demo Inc : Nexus Demo US")
    targets.get("netsuite").write_journal([accrual(plans["netsuite"])], str(out), oneworld)
    rows = read(out)
    assert list(rows[0])[:3] == ["External ID", "Subsidiary", "Date"]
    assert [(r["Subsidiary"], r["Account"], r["Debit"], r["Credit"]) for r in rows] == [
        ("Nexus Demo Inc : Nexus Demo US", "6200 Tax exposure expense", "150.25", ""),
        ("Nexus Demo Inc : Nexus Demo US", "2220 Accrued sales tax exposure - Texas (US-TX)", "", "100.10"),
        ("Nexus Demo Inc : Nexus Demo US", "2210 Accrued VAT exposure - Germany (DE)", "", "50.15")]
    with pytest.raises(Exception, match="with no space before or after"):
        targets.get("netsuite").write_journal([accrual(plans["netsuite"])], str(out),
                                              BookOptions(netsuite_subsidiary="Nexus Demo US "))


def test_an_odoo_journal_goes_to_the_company_s_own_journal(plans, tmp_path):
    out = tmp_path / "j.csv"
    french = BookOptions(odoo_journal="Opérations diverses")
    targets.get("odoo").write_journal([accrual(plans["odoo"])], str(out), french)
    assert [r["journal_id"] for r in read(out)] == ["Opérations diverses", "", ""]


def test_odoo_journal(plans, tmp_path):
    out = tmp_path / "j.csv"
    targets.get("odoo").write_journal([accrual(plans["odoo"])], str(out), OPTIONS)
    rows = read(out)
    assert list(rows[0]) == ["ref", "date", "journal_id", "line_ids/account_id", "line_ids/name", "line_ids/debit",
                             "line_ids/credit"]
    assert [r["date"] for r in rows] == ["2026-10-31", "", ""]  # the entry's fields on its first row only
    assert total(rows, "line_ids/debit", "line_ids/credit") == (Decimal("150.25"), Decimal("150.25"))


def test_erpnext_journal(plans, tmp_path):
    out = tmp_path / "j.csv"
    targets.get("erpnext").write_journal([accrual(plans["erpnext"])], str(out), OPTIONS)
    rows = read(out)
    assert rows[0]["Entry Type"] == "Journal Entry" and rows[0]["Company"] == "Nexus Demo Inc"
    assert rows[1]["Entry Type"] == "" and rows[0]["Account (Accounting Entries)"] == "6200 - Tax exposure expense - ND"
    assert total(rows, "Debit (Accounting Entries)", "Credit (Accounting Entries)") == (
        Decimal("150.25"), Decimal("150.25"))


def test_erpnext_journal_keeps_each_line_s_memo(plans, tmp_path):
    """Every ledger's journal carries each line's memo (which place, which tax, which period: "Texas" here,
    "Japan (JP): consumption tax (JCT) not collected, with the penalty and interest estimated, 2025-01-01 to
    2026-10-31" in the sample's accrual) but
    ERPNext's, which wrote the entry's remark alone: the accrued liabilities' lines arrived in ERPNext bare. The
    Journal Entry Account child table's own User Remark field (erpnext/accounts/doctype/journal_entry_account)
    now holds it, as Data Import names a child field: 'User Remark (Accounting Entries)'."""
    out = tmp_path / "j.csv"
    targets.get("erpnext").write_journal([accrual(plans["erpnext"])], str(out), OPTIONS)
    rows = read(out)
    assert [r["User Remark (Accounting Entries)"] for r in rows] == ["", "Texas", "Germany"]
    assert rows[0]["User Remark"].startswith("ACCR-2026-10: ") and rows[1]["User Remark"] == ""


def test_the_accrual_posts_and_balances_in_beancount(plans, tmp_path):
    from beancount import loader
    from beancount.core import realization

    module = targets.get("beancount")
    plan = plans["beancount"]
    opened = tmp_path / "accounts.beancount"
    journal = tmp_path / "journal.beancount"
    module.write_accounts(plan, str(opened))
    module.write_journal([accrual(plan)], str(journal), OPTIONS)
    main = tmp_path / "main.beancount"
    main.write_text(f'option "operating_currency" "USD"\ninclude "{opened.name}"\ninclude "{journal.name}"\n')
    entries, errors, _ = loader.load_file(str(main))
    assert errors == []
    tree = realization.realize(entries)
    balances = {account.account: account.balance.get_currency_units("USD").number
                for account in realization.iter_children(tree) if not account.balance.is_empty()}
    by = {p.purpose: p.number for p in plan.proposals}
    assert (by["tax-exposure"], by["accrued:DE"], by["accrued:US-TX"]) == ("6200", "2210", "2220")
    assert balances == {"Expenses:6200-Tax-exposure-expense": Decimal("150.25"),
                        "Liabilities:2220-Accrued-sales-tax-exposure-Texas-US-TX": Decimal("-100.10"),
                        "Liabilities:2210-Accrued-VAT-exposure-Germany-DE": Decimal("-50.15")}


def test_the_accrual_posts_and_balances_in_gnucash(plans, tmp_path):
    import warnings

    import piecash

    module = targets.get("gnucash")
    plan = plans["gnucash"]
    book_path = tmp_path / "books.gnucash"
    module.write_accounts(plan, str(book_path))
    module.write_journal([accrual(plan)], str(book_path), OPTIONS)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = piecash.open_book(str(book_path), readonly=True, open_if_lock=True)
        transactions = list(book.transactions)
        assert len(transactions) == 1 and sum(s.value for s in transactions[0].splits) == 0
        balances = {a.code: a.get_balance(natural_sign=False) for a in book.accounts if a.code in (
            "6200", "2220", "2210")}
        book.close()
    assert balances == {"6200": Decimal("150.25"), "2220": Decimal("-100.10"), "2210": Decimal("-50.15")}


def test_gnucash_journal_names_a_missing_account(plans, tmp_path):
    module = targets.get("gnucash")
    plan = plans["gnucash"]
    book_path = tmp_path / "books.gnucash"
    module.write_accounts(plan, str(book_path))
    entry = JournalEntry(date(2026, 10, 31), "x", (
        JournalLine(plan.ref("6000"), Decimal("1.00"), Decimal(0), "USD"),
        JournalLine(plan.ref("2200"), Decimal(0), Decimal("1.00"), "USD")))
    with pytest.raises(Exception, match="no account with code 6000"):
        module.write_journal([entry], str(book_path), OPTIONS)


def test_gnucash_never_posts_to_an_account_whose_code_the_book_gives_another(plans, tmp_path):
    """GnuCash codes need not be unique and nexus finds accounts by code: an entry line for "8020 Tax interest and
    penalties" where the book's 8020 is "Currency rounding" was posted to Currency rounding. Now it is refused,
    naming both, and nothing is posted; a plan whose number the book gives another account is refused too."""
    import warnings

    import piecash

    module = targets.get("gnucash")
    plan = plans["gnucash"]
    book_path = tmp_path / "books.gnucash"
    module.write_accounts(plan, str(book_path))
    rounding = next(p for p in plan.proposals if p.purpose == "rounding")
    taken = AccountRef(rounding.number, "Tax interest and penalties", "other-expense", "", ())
    entry = JournalEntry(date(2026, 10, 31), "x", (
        JournalLine(taken, Decimal("1.00"), Decimal(0), "USD"),
        JournalLine(plan.ref(next(p.number for p in plan.proposals if p.purpose == "accrued:US-TX")), Decimal(0),
                    Decimal("1.00"), "USD")), reference="ACCR-X")
    with pytest.raises(Exception, match=f"account {rounding.number} is 'Expenses:Currency rounding' in the book; the "
                                        f"entry posts to 'Tax interest and penalties' under that number"):
        module.write_journal([entry], str(book_path), OPTIONS)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = piecash.open_book(str(book_path), readonly=True, open_if_lock=True)
        assert list(book.transactions) == []
        book.close()
    clash = accounts.Plan(plan.chart, (Proposal(rounding.number, "Tax interest and penalties",
                                                "other-expense", "", "", "", "tax-penalties", ()),),
                          plan.options, plan.source)
    with pytest.raises(Exception, match=f"account {rounding.number} is 'Expenses:Currency rounding' in the book; "
                                        f"nexus numbers 'Tax interest and penalties' under that number"):
        module.write_accounts(clash, str(book_path))


def test_gnucash_names_a_placeholder_account_it_cannot_post_to(plans, tmp_path):
    """An account the book marks a placeholder takes no splits: piecash refused the entry with a traceback
    (GncValidationError). Now one line names the account and the fix, and nothing is posted."""
    import warnings

    import piecash

    module = targets.get("gnucash")
    plan = plans["gnucash"]
    book_path = tmp_path / "books.gnucash"
    module.write_accounts(plan, str(book_path))
    expense = next(p.number for p in plan.proposals if p.purpose == "tax-exposure")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = piecash.open_book(str(book_path), readonly=False, open_if_lock=True, do_backup=False)
        next(a for a in book.accounts if a.code == expense).placeholder = 1
        book.save()
        book.close()
    with pytest.raises(InputError, match=f"account {expense} 'Expenses:Tax exposure expense' is a "
                                         f"placeholder in the book, which takes no postings"):
        module.write_journal([accrual(plan)], str(book_path), OPTIONS)


def test_quickbooks_journal_blames_a_colon_in_a_parent_on_that_parent(tmp_path):
    """Before: a chart whose parent is named 'Tax: accruals' stopped the QuickBooks journal with "account 2920 ...:
    QuickBooks names cannot hold a colon ('Tax: accruals')", naming the new account whose own name holds none. It
    now names the parent to rename, by its number and name, as the plan names it with the chart's line."""
    from nexus.account_records import AccountRef

    under = (("2900", "Tax: accruals"),)
    entry = JournalEntry(date(2026, 10, 31), "Accrued tax exposure", (
        JournalLine(AccountRef("6200", "Tax exposure expense", "expense"), Decimal("10.00"), Decimal(0), "USD"),
        JournalLine(AccountRef("2920", "Accrued sales tax exposure - Texas (US-TX)", "current-liability", "USD",
                               under), Decimal(0), Decimal("10.00"), "USD")))
    with pytest.raises(InputError) as raised:
        targets.get("quickbooks").write_journal([entry], str(tmp_path / "journal.csv"))
    assert str(raised.value) == "account 2900 'Tax: accruals': QuickBooks names cannot hold a colon ('Tax: accruals')"


def test_gnucash_journal_in_another_currency_than_the_book_says_how_to_book_it(tmp_path):
    """A Japanese chart's book is opened in yen (the chart's commonest currency), while the journal is booked in the
    check's report currency (USD by default): GnuCash refused it with "account 6200: held in JPY, the entry is in
    USD", leaving the controller to guess. It names the book, the account and the option that books it in yen."""
    chart = read_chart(str(SAMPLES / "chart-of-accounts.csv"))
    places = [Jurisdiction("US-TX", "Texas", "Sales tax", "USD", "nexus in Texas", True),
              Jurisdiction("DE", "Germany", "VAT", "EUR", "nexus in Germany", True)]
    module = targets.get("gnucash")
    yen = accounts.make_plan(chart, ["USD", "EUR"], places, module.LEDGER,
                             BookOptions(book_currency="JPY", opened_on=date(2026, 1, 1)))
    book = tmp_path / "books.gnucash"
    module.write_accounts(yen, str(book))
    expense = next(p.number for p in yen.proposals if p.purpose == "tax-exposure")
    with pytest.raises(InputError) as raised:
        module.write_journal([accrual(yen)], str(book), yen.options)
    assert str(raised.value) == (f"{book}: account {expense} 'Expenses:Tax exposure expense' is held in JPY in the "
                                 f"book and the entry is in USD: book the entry in JPY (--book-currency JPY), or post "
                                 f"it to an account in USD")


@pytest.mark.parametrize("target", [t for t in targets.NAMES if t != "gnucash"])
def test_each_journal_file_starts_as_its_ledger_reads_it(plans, tmp_path, target):
    """The journal follows its target's ENCODING as the accounts file does (docs/accounts.md, 'Encoding'): the
    generic CSV, read in Excel first, starts with the byte-order mark Excel needs to open 東京 as written; each
    ledger's import starts with its first header, where a mark would be read as part of it."""
    plan = plans[target]
    entry = accrual(plan)
    entry = JournalEntry(entry.date, entry.memo, tuple(
        JournalLine(line.account, line.debit, line.credit, line.currency, "東京") for line in entry.lines),
        reference=entry.reference)
    out = tmp_path / ("j.beancount" if target == "beancount" else "j.csv")
    targets.get(target).write_journal([entry], str(out), OPTIONS)
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") == (target == "generic")
    assert "東京" in data.decode(targets.get(target).ENCODING)
