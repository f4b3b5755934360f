"""Each ledger's import file, checked against that ledger's documented template (the rules are written here,
from the documentation pages docs/accounts.md cites, not read back from the writers), and the two ledgers this
machine can run, beancount and GnuCash, loading what nexus wrote."""
import csv
import re
from datetime import date

import pytest

from conftest import SAMPLES
from nexus import accounts, targets
from nexus.account_records import BookOptions, Jurisdiction, Proposal
from nexus.accounts import Plan
from nexus.chart import read_chart
from nexus.errors import InputError

CODES = ["USD", "EUR", "GBP", "JPY", "CAD", "AUD", "KRW", "BHD", "XCG", "SGD"]
PLACES = [Jurisdiction("US-TX", "Texas", "Sales tax", "USD", "nexus in Texas", True),
          Jurisdiction("JP", "Japan", "Consumption tax (JCT)", "JPY", "nexus in Japan", True),
          Jurisdiction("DE", "Germany", "VAT", "EUR", "home", False)]
OPTIONS = BookOptions(company="Nexus Demo Inc", company_abbr="ND", book_currency="USD", opened_on=date(2026, 1, 1))


def make(target, chart=None, places=PLACES, codes=CODES):
    chart = chart if chart is not None else read_chart(str(SAMPLES / "chart-of-accounts.csv"))
    module = targets.get(target)
    return module, accounts.make_plan(chart, codes, places, module.LEDGER, OPTIONS, "chart-of-accounts.csv")


def read(path):
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def header(path):
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return next(csv.reader(handle))


def test_registry_names_every_module_and_each_has_the_same_interface():
    assert targets.NAMES == ("generic", "xero", "quickbooks", "netsuite", "odoo", "erpnext", "beancount", "gnucash")
    for name in targets.NAMES:
        module = targets.get(name)
        assert module.NAME == name and module.DOCS and module.JOURNAL_DOCS and module.LEDGER.name == name
        assert all(callable(getattr(module, f)) for f in ("rows", "write_accounts", "write_journal"))


def test_generic(tmp_path):
    module, plan = make("generic")
    out = tmp_path / "generic.csv"
    module.write_accounts(plan, str(out))
    rows = read(out)
    assert header(out) == ["Number", "Name", "Type", "Currency", "Parent", "Parent name", "Reason"]
    assert {r["Type"] for r in rows} <= {"Bank", "Receivable", "Current asset", "Current liability", "Expense",
                                         "Other income", "Other expense"}
    assert [r["Number"] for r in rows] == [p.number for p in plan.proposals]


# Xero's chart import: https://help.xero.com (Import a chart of accounts; BankLink mapping rules for codes and names)
XERO_HEADER = ["*Code", "*Name", "*Type", "*Tax Code", "Description", "Dashboard", "Expense Claims",
               "Enable Payments", "Balance"]
XERO_TYPES = {"BANK", "CURRENT", "CURRLIAB", "DEPRECIATN", "DIRECTCOSTS", "EQUITY", "EXPENSE", "FIXED", "INVENTORY",
              "LIABILITY", "NONCURRENT", "OTHERINCOME", "OVERHEADS", "PREPAYMENT", "REVENUE", "SALES", "TERMLIAB"}


def test_xero_repeats_the_chart_and_follows_the_template(tmp_path):
    module, plan = make("xero")
    out = tmp_path / "xero.csv"
    module.write_accounts(plan, str(out))
    rows = read(out)
    assert header(out) == XERO_HEADER
    for r in rows:
        assert r["*Code"] and len(r["*Code"]) <= 10 and not re.match(r"[^0-9A-Za-z]", r["*Code"])
        assert r["*Name"] and len(r["*Name"]) <= 150 and not re.match(r"[^0-9A-Za-z]", r["*Name"])
        assert r["*Type"] in XERO_TYPES and r["*Tax Code"]
        assert r["Dashboard"] in ("Yes", "No") and r["Expense Claims"] in ("Yes", "No")
    codes = [r["*Code"] for r in rows]
    assert len(set(codes)) == len(codes) and len({r["*Name"].lower() for r in rows}) == len(rows)
    kept = {a.number for a in plan.chart if not a.group}
    assert kept <= set(codes)  # Xero archives the accounts a re-import leaves out
    assert "1000" not in codes  # a header account: Xero has none
    assert not any(p.purpose in ("fx-realized", "fx-unrealized", "rounding") for p in plan.proposals)


def test_xero_s_own_balances_are_written_back_as_numbers(tmp_path, write):
    """The re-import repeats a Xero export's own cells; the Balance column went through the formula guard for text,
    so -5000.00 came back as "'-5000.00", which Xero does not read as a number. A balance is a number and stays
    one; other text in the column ("=cmd") is still neutralised."""
    chart = read_chart(write("xero.csv", (
        "*Code,*Name,*Type,*Tax Code,Description,Dashboard,Expense Claims,Enable Payments,Balance\n"
        "090,Business Bank Account,BANK,Tax Exempt,,Yes,No,No,1250.00\n"
        "200,Sales,REVENUE,Tax on Sales,,No,No,No,-5000.00\n"
        "800,Accounts Payable,CURRLIAB,Tax Exempt,,No,No,No,=1+2\n"
        "820,Sales Tax,CURRLIAB,Tax Exempt,,No,No,No,\n")))
    module, plan = make("xero", chart, [], ["USD"])
    out = tmp_path / "x.csv"
    module.write_accounts(plan, str(out))
    assert [(r["*Code"], r["Balance"]) for r in read(out)][:4] == [
        ("090", "1250.00"), ("200", "-5000.00"), ("800", "'=1+2"), ("820", "")]


def test_xero_refuses_a_code_over_ten_characters(tmp_path, write):
    chart = read_chart(write("coa.csv", "Number,Name,Type,Currency\n10000000010,Bank - USD,Bank,USD\n"
                                        "10000000020,Bank - EUR,Bank,EUR\n"))
    module, plan = make("xero", chart, [], ["JPY"])
    with pytest.raises(InputError, match=r"account 10000000010 'Bank - USD': Xero codes are up to 10 characters"):
        module.write_accounts(plan, str(tmp_path / "x.csv"))



def test_xero_takes_a_japanese_or_chinese_name_and_still_refuses_a_symbol_first(tmp_path, write):
    """Xero refuses a code or name that starts with a symbol. A kanji or hanzi is a letter, not a symbol: before the
    fix a Japanese chart (111 普通預金, "ordinary deposit") stopped the Xero file with "Xero names are up to 150
    characters, not a symbol first", so no Japanese or Chinese chart could be planned for Xero at all."""
    chart = read_chart(write("coa.csv", "コード,勘定科目,区分,通貨\n111,普通預金 三菱UFJ,現金・預金,JPY\n"
                                        "112,银行存款-USD,現金・預金,USD\n"))
    module, plan = make("xero", chart, [], ["JPY", "USD", "EUR"])
    out = tmp_path / "x.csv"
    module.write_accounts(plan, str(out))
    rows = [(r["*Code"], r["*Name"]) for r in read(out)]
    assert rows[:2] == [("111", "普通預金 三菱UFJ"), ("112", "银行存款-USD")] and ("113", "外貨預金(EUR)") in rows
    chart = read_chart(write("coa.csv", "Number,Name,Type,Currency\n1010,【普通預金】,Bank,JPY\n"))
    module, plan = make("xero", chart, [], ["JPY", "USD"])
    with pytest.raises(InputError, match=r"account 1010 '【普通預金】': Xero names are up to 150 characters, not a "
                                         r"symbol first"):
        module.write_accounts(plan, str(tmp_path / "y.csv"))


# QuickBooks Online (US): Import Chart of Accounts; types and detail types as QuickBooks lists them
QBO_DETAIL = {
    "Bank": {"Cash on hand", "Checking", "Money Market", "Rents Held in Trust", "Savings", "Trust account"},
    "Accounts receivable (A/R)": {"Accounts Receivable (A/R)"},
    "Other Current Assets": {"Allowance for Bad Debts", "Development Costs", "Employee Cash Advances", "Inventory",
                             "Loans To Officers", "Loans to Others", "Loans to Stockholders", "Other Current Assets",
                             "Prepaid Expenses", "Retainage", "Undeposited Funds"},
    "Other Current Liabilities": {"Federal Income Tax Payable", "Insurance Payable", "Line of Credit",
                                  "Loan Payable", "Other Current Liabilities", "Payroll Clearing",
                                  "Payroll Tax Payable", "Prepaid Expenses Payable", "Sales Tax Payable",
                                  "State/Local Income Tax Payable", "Trust Accounts - Liabilities",
                                  "Undistributed Tips"},
    "Expenses": {"Taxes Paid", "Bank Charges", "Interest Paid", "Office/General Administrative Expenses",
                 "Other Miscellaneous Service Cost"},
    "Other Income": {"Other Miscellaneous Income", "Interest Earned"},
    "Other Expense": {"Exchange Gain or Loss", "Other Miscellaneous Expense", "Penalties & Settlements"},
}


def test_quickbooks_follows_the_template(tmp_path):
    module, plan = make("quickbooks")
    out = tmp_path / "qbo.csv"
    assert module.write_accounts(plan, str(out)) == [str(out)]
    rows = read(out)
    # Intuit's import maps no currency (Account Number, Account Name, Type, Detail Type): a Currency column was
    # written, which the import drops, for banks alone; the plan now gives none, and its screen says where to set it
    assert header(out) == ["Account Number", "Account Name", "Account Type", "Detail Type"]
    assert not any(p.currency for p in plan.proposals if p.kind in ("bank", "current-asset"))
    for r in rows:
        assert r["Detail Type"] in QBO_DETAIL[r["Account Type"]]
        assert r["Account Number"] and "." not in r["Account Number"]
        assert all(part and ":" not in part for part in r["Account Name"].split(":"))
    names = {r["Account Number"]: r["Account Name"] for r in rows}
    assert names["1040"] == "Cash and bank:Bank - GBP"  # sub-account of 1000 Cash and bank
    assert not any(p.purpose.startswith(("receivable", "fx-")) for p in plan.proposals)  # QuickBooks makes these


def test_quickbooks_splits_past_a_thousand_rows_and_refuses_colons(tmp_path):
    proposals = tuple(Proposal(str(100000 + i), f"Clearing {i}", "current-asset", "", "", "r", f"clearing:{i}")
                      for i in range(1500))
    module = targets.get("quickbooks")
    paths = module.write_accounts(Plan((), proposals), str(tmp_path / "qbo.csv"))
    assert paths == [str(tmp_path / "qbo.csv"), str(tmp_path / "qbo-2.csv")]
    assert [len(read(p)) for p in paths] == [1000, 500]
    bad = Plan((), (Proposal("1010", "Bank: JPY", "bank", "JPY", "", "r", "bank:JPY"),))
    with pytest.raises(InputError, match="QuickBooks names cannot hold a colon"):
        module.write_accounts(bad, str(tmp_path / "bad.csv"))



def test_quickbooks_blames_a_colon_in_a_parent_on_the_charts_line(tmp_path, write):
    """Before: a chart whose parent account is named 'Cash: bank' stopped the QuickBooks plan with "account 1040
    'Bank - GBP': QuickBooks names cannot hold a colon ('Cash: bank')", naming a new account whose name holds none
    and no line to fix. It now names the chart's file and line of the parent, as the Xero target does."""
    text = (SAMPLES / "chart-of-accounts.csv").read_text(encoding="utf-8").replace("1000,Cash and bank,",
                                                                                   "1000,Cash: bank,")
    path = write("coa.csv", text)
    module = targets.get("quickbooks")
    plan = accounts.make_plan(read_chart(path), CODES, PLACES, module.LEDGER, OPTIONS, path)
    with pytest.raises(InputError) as raised:
        module.write_accounts(plan, str(tmp_path / "qbo.csv"))
    assert str(raised.value) == f"{path}:2: account 1000 'Cash: bank': QuickBooks names cannot hold a colon " \
                                f"('Cash: bank')"

NETSUITE_TYPES = {"Bank", "Accounts Receivable", "Other Current Asset", "Fixed Asset", "Other Asset",
                  "Accounts Payable", "Credit Card", "Other Current Liability", "Long Term Liability", "Equity",
                  "Income", "Cost of Goods Sold", "Expense", "Other Income", "Other Expense"}


def test_netsuite_follows_the_template(tmp_path):
    module, plan = make("netsuite")
    out = tmp_path / "netsuite.csv"
    module.write_accounts(plan, str(out))
    rows = read(out)
    assert header(out) == ["External Id", "Account Number", "Account Name", "Account Type", "Description",
                           "Currency", "Subaccount of"]
    for r in rows:
        assert r["Account Type"] in NETSUITE_TYPES
        assert len(r["Account Number"]) <= 60 and len(r["Account Name"]) <= 60
        assert r["Account Type"] != "Bank" or r["Currency"]
    by_number = {r["Account Number"]: r for r in rows}
    japan = next(p.number for p in plan.proposals if p.purpose == "tax:JP")
    assert by_number["1040"]["Subaccount of"] == "1000 Cash and bank"
    assert by_number[japan]["Currency"] == "JPY"  # Japan's payable, in the currency its tax is owed in


def test_netsuite_keeps_its_own_fx_and_rounding_accounts_so_the_plan_proposes_none():
    """With Multiple Currencies on, NetSuite adds Realized Gain/Loss, Unrealized Gain/Loss and Rounding Gain/Loss to
    the chart itself and posts exchange differences there (Foreign Currency Revaluation, NetSuite's help,
    section_N1409370). The plan proposed 'Unrealized FX gain/loss' and 'Currency rounding' for NetSuite as for any
    ledger (and 'Realized FX gain/loss' where the chart lacks it): imported, accounts beside the system's own that
    NetSuite never posts to."""
    _, plan = make("netsuite")
    _, generic = make("generic")
    fx = {"fx-realized", "fx-unrealized", "rounding"}
    assert {"fx-unrealized", "rounding"} <= {p.purpose for p in generic.proposals}  # the sample has 7010 realized
    assert not fx & {p.purpose for p in plan.proposals}
    assert fx <= targets.get("netsuite").LEDGER.creates_itself


ODOO_TYPES = {"asset_receivable", "asset_cash", "asset_current", "asset_non_current", "asset_prepayments",
              "asset_fixed", "liability_payable", "liability_credit_card", "liability_current",
              "liability_non_current", "equity", "equity_unaffected", "income", "income_other", "expense",
              "expense_depreciation", "expense_direct_cost", "off_balance"}


def test_odoo_follows_the_template(tmp_path):
    module, plan = make("odoo")
    out = tmp_path / "odoo.csv"
    module.write_accounts(plan, str(out))
    rows = read(out)
    assert header(out) == ["code", "name", "account_type", "currency_id"]
    assert all(r["account_type"] in ODOO_TYPES and len(r["code"]) <= 64 for r in rows)
    assert {r["code"]: r["currency_id"] for r in rows}["1040"] == "GBP"


ERPNEXT_ACCOUNT_TYPES = {"", "Accumulated Depreciation", "Asset Received But Not Billed", "Bank", "Cash",
                         "Chargeable", "Capital Work in Progress", "Cost of Goods Sold", "Current Asset",
                         "Current Liability", "Depreciation", "Direct Expense", "Direct Income", "Equity",
                         "Expense Account", "Expenses Included In Asset Valuation", "Expenses Included In Valuation",
                         "Fixed Asset", "Income Account", "Indirect Expense", "Indirect Income", "Liability",
                         "Payable", "Receivable", "Round Off", "Stock", "Stock Adjustment",
                         "Stock Received But Not Billed", "Service Received But Not Billed", "Tax", "Temporary"}


def test_erpnext_names_every_parent_as_erpnext_does(tmp_path):
    module, plan = make("erpnext")
    out = tmp_path / "erpnext.csv"
    module.write_accounts(plan, str(out))
    rows = read(out)
    assert header(out) == ["Account Name", "Parent Account", "Account Number", "Is Group", "Company",
                           "Account Type", "Currency"]
    for r in rows:
        assert r["Account Name"] and r["Company"] == "Nexus Demo Inc" and r["Is Group"] == "0"
        assert r["Parent Account"].endswith(" - ND") and not r["Parent Account"].isdigit()
        assert r["Account Type"] in ERPNEXT_ACCOUNT_TYPES
    by_number = {r["Account Number"]: r for r in rows}
    assert by_number["1040"]["Parent Account"] == "1000 - Cash and bank - ND"
    assert by_number["1110"]["Parent Account"] == "Accounts Receivable - ND"  # receivables per currency
    japan = by_number[next(p.number for p in plan.proposals if p.purpose == "tax:JP")]
    assert japan["Parent Account"] == "Duties and Taxes - ND" and japan["Account Type"] == "Tax"
    assert erpnext_loads(plan.chart, rows) == []  # each parent a group by the time its row is read


ERPNEXT_EXPORT = """Account Name,Account Number,Parent Account,Is Group,Root Type,Account Type,Account Currency
Application of Funds (Assets),1000,,1,Asset,,
Bank Accounts,1100,1000 - Application of Funds (Assets) - ND,1,Asset,Bank,
Bank - USD,1110,1100 - Bank Accounts - ND,0,Asset,Bank,USD
Source of Funds (Liabilities),2000,,1,Liability,,
Duties and Taxes,2100,2000 - Source of Funds (Liabilities) - ND,1,Liability,Tax,
Sales tax payable - Texas (US-TX),2110,2100 - Duties and Taxes - ND,0,Liability,Tax,USD
Accrued sales tax exposure - Texas (US-TX),2210,2000 - Source of Funds (Liabilities) - ND,0,Liability,,USD
Expenses,5000,,1,Expense,,
Indirect Expenses,5200,5000 - Expenses - ND,1,Expense,Indirect Expense,
"""


def test_erpnext_accounts_with_a_root_type_only_are_read_and_new_ones_go_under_the_chart_s_own_group(write):
    """ERPNext fills Root Type and leaves Account Type blank on most accounts: such accounts were of kind "other",
    so Texas's accrued exposure was proposed again (and the journal posted to the copy). Blank Account Type reads
    Root Type. The expenses the chart lacks have no sibling to take a parent from: they went under "Indirect
    Expenses - ND", no account in a numbered chart, where the group is "5200 - Indirect Expenses - ND"."""
    chart = read_chart(write("erpnext.csv", ERPNEXT_EXPORT))
    assert [a.kind for a in chart if not a.group] == ["bank", "current-liability", "current-liability"]
    module, plan = make("erpnext", chart, [PLACES[0]], ["USD"])
    assert [(r["Account Number"], r["Account Name"], r["Parent Account"]) for r in module.rows(plan)] == [
        ("1200", "Provider clearing - USD", "Current Assets - ND"),
        ("1300", "Accounts receivable - USD", "Accounts Receivable - ND"),
        ("6000", "Tax exposure expense", "5200 - Indirect Expenses - ND"),
        ("8000", "Tax interest and penalties", "5200 - Indirect Expenses - ND")]


def erpnext_loads(chart, rows, abbr="ND"):
    """The rows ERPNext's Data Import (Insert New Records) would refuse, in file order, by Account.validate_parent
    (erpnext/accounts/doctype/account/account.py): a parent that does not exist yet, or is a ledger ("Parent account
    ... can not be a ledger"). The chart's accounts exist as exported (a header is a group); the standard chart's
    groups (Indirect Expenses, Accounts Receivable...) exist as groups; an inserted row exists from its line on."""
    from nexus.targets import erpnext

    groups = {erpnext.account_id(a.number, a.name, abbr): a.group for a in chart}
    groups.update({f"{name} - {abbr}": True for name in set(erpnext.STANDARD_GROUPS.values()) | {"Duties and Taxes"}})
    refused = []
    for r in rows:
        if not groups.get(r["Parent Account"], False):
            refused.append((r["Account Number"], r["Parent Account"]))
        groups[erpnext.account_id(r["Account Number"], r["Account Name"], abbr)] = r["Is Group"] == "1"
    return refused


def test_erpnext_s_file_loads_as_is_where_the_plan_puts_accounts_under_a_postable_one(tmp_path, write):
    """Under a Chinese chart's 6603 财务费用 and 1122 应收账款, which have no detail accounts, the plan puts 660301
    汇兑损益, 660302 折算尾差 and 112201, 112202. ERPNext's file named 6603 and 1122 as their parents: ERPNext refuses
    a parent that is a ledger, and an Insert New Records import cannot make an existing account a group (nor can
    anything make one with transactions a group). The file puts them beside it, under its own parent (here the
    standard group), and the header the plan opens, 1012 其他货币资金, comes as a group row before its children:
    every row loads in order. The plan's warning says where they went."""
    chart = read_chart(write("coa.csv", "科目代码,科目名称,科目类别,币种,上级科目\n1002,银行存款,货币资金,,\n"
                                        "100201,工商银行,银行存款,CNY,1002\n1122,应收账款,应收账款,CNY,\n"
                                        "2221,应交税费,应交税费,CNY,\n222101,应交增值税,应交税费,CNY,2221\n"
                                        "6603,财务费用,财务费用,,\n"))
    module, plan = make("erpnext", chart, [], ["CNY", "USD"])
    module.write_accounts(plan, str(tmp_path / "e.csv"))
    rows = read(tmp_path / "e.csv")
    assert erpnext_loads(chart, rows) == []
    assert {r["Account Number"]: r["Parent Account"] for r in rows if r["Account Number"].startswith(("66", "11"))} \
        == {"660301": "Indirect Expenses - ND", "660302": "Indirect Expenses - ND",
            "112201": "Accounts Receivable - ND", "112202": "Accounts Receivable - ND"}
    assert [p.parent for p in plan.proposals if p.number == "660301"] == ["6603"]  # the plan's tree is unchanged
    assert "the erpnext import file puts them beside each, under their own parent" in " ".join(plan.notices)


def test_erpnext_needs_the_company(tmp_path):
    module = targets.get("erpnext")
    plan = Plan((), (Proposal("1040", "Bank - GBP", "bank", "GBP", "", "r", "bank:GBP"),))
    with pytest.raises(InputError, match="give --company NAME and --company-abbr ABBR"):
        module.write_accounts(plan, str(tmp_path / "e.csv"))


def test_beancount_s_own_loader_and_checker_accept_the_accounts(tmp_path):
    import subprocess
    import sys

    from beancount import loader

    module, plan = make("beancount")
    out = tmp_path / "accounts.beancount"
    module.write_accounts(plan, str(out))
    entries, errors, _ = loader.load_file(str(out))
    assert errors == []
    opened = {e.account: e.currencies for e in entries if type(e).__name__ == "Open"}
    assert opened["Assets:1000-Cash-and-bank:1040-Bank-GBP"] == ["GBP"]
    assert opened["Liabilities:2130-Consumption-tax-JCT-payable-Japan-JP"] == ["JPY"]
    assert len(opened) == len(plan.proposals)
    checker = subprocess.run([sys.executable, "-m", "beancount.scripts.check", str(out)], capture_output=True,
                             text=True)
    assert checker.returncode == 0, checker.stdout + checker.stderr


def test_gnucash_book_holds_the_planned_accounts(tmp_path):
    import warnings

    import piecash

    module, plan = make("gnucash")
    book_path = tmp_path / "books.gnucash"
    module.write_accounts(plan, str(book_path))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = piecash.open_book(str(book_path), readonly=True, open_if_lock=True)
        found = {a.code: (a.name, a.type, a.commodity.mnemonic, a.parent.fullname) for a in book.accounts if a.code}
        placeholders = {a.fullname: a.placeholder for a in book.accounts}
        default = book.default_currency.mnemonic
        book.close()
    assert default == "USD"
    expected = {p.number: (p.name, module.TYPES[p.kind], p.currency or "USD",
                           ":".join([module.TOPS[module.TYPES[p.kind]]] + [n for _, n in p.parents]))
                for p in plan.proposals}
    assert {code: found[code] for code in expected} == expected
    assert found["1040"] == ("Bank - GBP", "BANK", "GBP", "Assets:Cash and bank")
    assert placeholders["Assets:Cash and bank"] == 1
    # written again into the same book: nothing is duplicated
    module.write_accounts(plan, str(book_path))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = piecash.open_book(str(book_path), readonly=True, open_if_lock=True)
        assert len([a for a in book.accounts if a.code == "1040"]) == 1
        book.close()


def test_gnucash_parents_take_their_own_types_not_the_first_child_s(tmp_path, write):
    """A new book's top accounts are of their own type, as GnuCash's templates make them: "Assets" was made BANK
    when the first account placed under it was a bank, so GnuCash listed the whole of Assets among the banks; and a
    chart's "Current assets" header took the type of the receivable proposed under it."""
    import warnings

    import piecash

    chart = read_chart(write("coa.csv", "Number,Name,Type,Currency,Parent\n1000,Cash and bank,Bank,,\n"
                                        "1010,Bank - USD,Bank,USD,1000\n1100,Current assets,Current asset,,\n"
                                        "1110,Accounts receivable - USD,Receivable,USD,1100\n"
                                        "2100,Sales tax payable - Texas (US-TX),Current liability,USD,\n"))
    module, plan = make("gnucash", chart, PLACES[:2], ["USD", "EUR"])
    book_path = tmp_path / "books.gnucash"
    module.write_accounts(plan, str(book_path))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = piecash.open_book(str(book_path), readonly=True, open_if_lock=True)
        types = {a.fullname: a.type for a in book.accounts}
        book.close()
    assert types["Assets:Cash and bank:Bank - EUR"] == "BANK"
    assert types["Assets:Current assets:Accounts receivable - EUR"] == "RECEIVABLE"
    assert {name: types[name] for name in ("Assets", "Assets:Cash and bank", "Assets:Current assets", "Liabilities",
                                           "Expenses")} == {
        "Assets": "ASSET", "Assets:Cash and bank": "BANK", "Assets:Current assets": "ASSET",
        "Liabilities": "LIABILITY", "Expenses": "EXPENSE"}


@pytest.mark.parametrize("target", [t for t in targets.NAMES if t not in ("beancount", "gnucash")])
def test_text_from_the_chart_never_becomes_a_formula(tmp_path, write, target):
    chart = read_chart(write("coa.csv", "Number,Name,Type,Currency\n1010,Bank - USD,Bank,USD\n"
                                        "2100,Sales tax payable - California,Current liability,USD\n"))
    hostile = Jurisdiction("US-TX", "Texas", "Sales tax", "USD", "=cmd|' /C calc'!A0", False)
    module, plan = make(target, chart, [hostile], ["USD"])
    out = tmp_path / "out.csv"
    module.write_accounts(plan, str(out))
    text = out.read_text(encoding="utf-8")
    assert not re.search(r"(^|,)\"?=", text, re.M)


def test_double_byte_names_stay_intact_in_beancount_and_gnucash(tmp_path, write):
    import warnings

    import piecash
    from beancount import loader

    chart = read_chart(write("coa.csv", "Number,Name,Type,Currency,Parent\n1000,現金及び預金,Bank,,\n"
                                        "1010,普通預金 - 円,Bank,JPY,1000\n"))
    module, plan = make("beancount", chart, [], ["JPY", "USD"])
    module.write_accounts(plan, str(tmp_path / "a.beancount"))
    entries, errors, _ = loader.load_file(str(tmp_path / "a.beancount"))
    assert errors == [] and "Assets:1000-現金及び預金:1020-外貨預金-USD" in {e.account for e in entries}
    module, plan = make("gnucash", chart, [], ["JPY", "USD"])
    module.write_accounts(plan, str(tmp_path / "b.gnucash"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = piecash.open_book(str(tmp_path / "b.gnucash"), readonly=True, open_if_lock=True)
        assert book.accounts(code="1020").fullname == "Assets:現金及び預金:外貨預金(USD)"
        book.close()


def test_gnucash_refuses_a_file_that_is_not_a_book(tmp_path):
    module, plan = make("gnucash")
    not_a_book = tmp_path / "notes.gnucash"
    not_a_book.write_text("not a database")
    with pytest.raises(InputError, match=r"notes.gnucash: is not a GnuCash SQLite book"):
        module.write_accounts(plan, str(not_a_book))


@pytest.mark.parametrize("hostile", ["＝HYPERLINK(\"http://x\",\"y\")", "＋1+1", "＠SUM(1)", "－1+1"])
def test_a_full_width_formula_in_a_parent_name_is_neutralised(tmp_path, write, hostile):
    # Japanese Excel reads a full-width ＝ as =: a chart typed on a Japanese system must not put a formula in the
    # import file's Parent name column
    quoted = '"' + hostile.replace('"', '""') + '"'
    chart = read_chart(write("coa.csv", f"Number,Name,Type,Currency,Parent\n1000,{quoted},Bank,,\n"
                                        "1010,Bank - USD,Bank,USD,1000\n"))
    module, plan = make("generic", chart, [], ["USD", "GBP"])
    out = tmp_path / "out.csv"
    module.write_accounts(plan, str(out))
    cells = [cell for row in read(out) for cell in row.values()]
    assert hostile not in cells and "'" + hostile in cells


def test_a_first_level_account_the_plan_opens_is_a_header_in_every_ledger(tmp_path, write):
    """A Chinese chart with no 1012 其他货币资金 gets it opened for the provider's clearing accounts (101201 under it).
    It is a header, as the chart's own first-level accounts with detail accounts are: ERPNext's Is Group, a GnuCash
    placeholder; each ledger puts the detail account under it, and beancount and GnuCash load both."""
    import warnings

    import piecash
    from beancount import loader

    chart = read_chart(write("coa.csv", "科目代码,科目名称,科目类别,币种,上级科目\n1001,库存现金,货币资金,CNY,\n"
                                        "1002,银行存款,货币资金,,\n100201,工商银行,银行存款,CNY,1002\n"
                                        "2221,应交税费,应交税费,CNY,\n"))
    module, plan = make("erpnext", chart, [], ["CNY"])
    module.write_accounts(plan, str(tmp_path / "e.csv"))
    rows = {r["Account Number"]: (r["Account Name"], r["Parent Account"], r["Is Group"]) for r in read(tmp_path / "e.csv")
            if r["Account Number"].startswith("1012")}
    assert rows == {"1012": ("其他货币资金", "Current Assets - ND", "1"),
                    "101201": ("第三方支付人民币存款", "1012 - 其他货币资金 - ND", "0")}
    module, plan = make("beancount", chart, [], ["CNY"])
    module.write_accounts(plan, str(tmp_path / "a.beancount"))
    entries, errors, _ = loader.load_file(str(tmp_path / "a.beancount"))
    assert errors == [] and "Assets:1012-其他货币资金:101201-第三方支付人民币存款" in {e.account for e in entries}
    module, plan = make("gnucash", chart, [], ["CNY"])
    module.write_accounts(plan, str(tmp_path / "b.gnucash"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = piecash.open_book(str(tmp_path / "b.gnucash"), readonly=True, open_if_lock=True)
        found = {a.code: (a.fullname, a.placeholder) for a in book.accounts if a.code.startswith("1012")}
        book.close()
    assert found == {"1012": ("Assets:其他货币资金", 1), "101201": ("Assets:其他货币资金:第三方支付人民币存款", 0)}


@pytest.mark.parametrize("target, code", [("xero", "*Code"), ("odoo", "code")])
def test_a_ledger_with_no_header_accounts_gets_no_opened_header(tmp_path, write, target, code):
    """Xero keeps no header accounts and Odoo groups accounts by their codes' prefixes: the 1012 其他货币资金 the plan
    opens for a Chinese chart's clearing accounts was written as an account of its own, one no one posts to. It is
    left out of their files (and of the workbook's Import sheet), and 101201 is there."""
    chart = read_chart(write("coa.csv", "科目代码,科目名称,科目类别,币种,上级科目\n1001,库存现金,货币资金,CNY,\n"
                                        "1002,银行存款,货币资金,,\n100201,工商银行,银行存款,CNY,1002\n"
                                        "2221,应交税费,应交税费,CNY,\n"))
    module, plan = make(target, chart, [], ["CNY"])
    assert [p.number for p in plan.proposals if p.group] == ["1012"]
    module.write_accounts(plan, str(tmp_path / "out.csv"))
    written = [r[code] for r in read(tmp_path / "out.csv")]
    assert "1012" not in written and "101201" in written


@pytest.mark.parametrize("target", [t for t in targets.NAMES if t != "gnucash"])
def test_each_import_file_starts_as_its_ledger_reads_it(tmp_path, write, target):
    """The generic CSV is read in Excel first, which opens a CSV as UTF-8 only after a byte-order mark: without
    one, 美元户 and 普通預金(USD) opened as mojibake. It starts with one now, and nexus reads it back as the chart
    it names. The ledgers' files have none: a mark stays in the first header of Odoo's import with utf-8 chosen and
    of ERPNext's Data Import before frappe#26183, and NetSuite's CSV parser page asks for it removed
    (docs/accounts.md, 'Encoding')."""
    chart = read_chart(write("coa.csv", "Number,Name,Type,Currency,Parent\n1000,現金及び預金,Bank,,\n"
                                        "1010,普通預金(JPY),Bank,JPY,1000\n"))
    module, plan = make(target, chart, [], ["JPY", "USD"])
    out = tmp_path / ("out.beancount" if target == "beancount" else "out.csv")
    module.write_accounts(plan, str(out))
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") == (target == "generic")
    assert "普通預金" in data.decode(module.ENCODING)
    if target == "generic":
        again = read_chart(str(out))
        assert [(a.number, a.name) for a in again] == [(p.number, p.name) for p in plan.proposals]


#: A US seller's chart that tags its foreign banks only (two in euros, one in pounds) and its payables in dollars.
FOREIGN_BANKS = ("Number,Name,Type,Currency,Parent\n1000,Cash and bank,Bank,,\n1010,Bank - USD operating,Bank,,1000\n"
                 "1020,Bank - EUR,Bank,EUR,1000\n1025,Bank - EUR savings,Bank,EUR,1000\n1030,Bank - GBP,Bank,GBP,1000\n"
                 "1100,Accounts receivable,Receivable,USD,\n2000,Accounts payable,Payable,USD,\n"
                 "2200,Accrued expenses,Current liability,,\n6000,Fees,Expense,,\n")


def _book_currencies(path):
    """The book's default currency and each account's commodity by code, as piecash reads them back."""
    import warnings

    import piecash

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = piecash.open_book(str(path), readonly=True, open_if_lock=True)
        try:
            return book.default_currency.mnemonic, {a.code: a.commodity.mnemonic for a in book.accounts if a.code}
        finally:
            book.close()


def test_a_new_gnucash_book_is_kept_in_the_payables_currency_not_the_banks(tmp_path, write):
    """The plan made the book in the commonest currency of every account, banks included: the chart above got a
    GnuCash book in EUR, its FX gain and loss and rounding accounts in EUR, for a company booking in dollars. The
    banks say which currencies it holds; its receivables and payables say which one it books in: USD."""
    chart = read_chart(write("coa.csv", FOREIGN_BANKS))
    module = targets.get("gnucash")
    plan = accounts.make_plan(chart, ["USD", "EUR", "GBP"], [], module.LEDGER, BookOptions(), "coa.csv")
    assert plan.book_currency == "USD"
    module.write_accounts(plan, str(tmp_path / "b.gnucash"))
    default, held = _book_currencies(tmp_path / "b.gnucash")
    named = {p.name: p.number for p in plan.proposals}
    assert default == "USD"
    assert {held[named[n]] for n in ("Realized FX gain/loss", "Unrealized FX gain/loss", "Currency rounding")} == {"USD"}
    # only where no other account names a currency do the banks tell it
    banks_only = read_chart(write("banks.csv", "\n".join(
        line for line in FOREIGN_BANKS.splitlines() if "USD" not in line.split(",")[3:4]) + "\n"))
    assert accounts.kept_in(banks_only) == ("EUR", accounts.BANKS_ONLY)


def test_a_gnucash_book_written_into_keeps_its_own_currency(tmp_path, write):
    """A yen book (its root account's currency, as GnuCash's new-book assistant sets it) written into from a chart
    whose payables are in dollars: the plan's rows said USD for the accounts the book then made in yen. The book's own
    currency now comes first; a --book-currency against it stops the plan; a book made before GnuCash kept a root
    currency is read as GnuCash reads it, by its top income account's."""
    import sqlite3
    import warnings

    import piecash

    path = tmp_path / "yen.gnucash"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = piecash.create_book(sqlite_file=str(path), currency="JPY")
        piecash.Account(name="Income", type="INCOME", commodity=book.default_currency, parent=book.root_account,
                        placeholder=1)
        book.save()
        book.close()
    module = targets.get("gnucash")
    assert module.own_currency(str(path)) == "JPY" and targets.own_currency(module, str(tmp_path / "none")) == ""
    chart = read_chart(write("coa.csv", FOREIGN_BANKS))
    plan = accounts.make_plan(chart, ["USD", "EUR"], [], module.LEDGER, BookOptions(own_currency="JPY"), "coa.csv")
    assert plan.book_currency == "JPY"
    module.write_accounts(plan, str(path))
    default, held = _book_currencies(path)
    rows = {r["Code"]: r["Commodity"] for r in module.rows(plan)}
    assert default == "JPY" and {code: held[code] for code in rows} == rows
    assert rows[next(p.number for p in plan.proposals if p.name == "Currency rounding")] == "JPY"
    with pytest.raises(InputError, match="book currency 'USD': the book written into is kept in JPY"):
        accounts.make_plan(chart, ["USD"], [], module.LEDGER, BookOptions(book_currency="USD", own_currency="JPY"))
    with sqlite3.connect(path) as db:  # a book converted from XML: no root currency
        db.execute("UPDATE accounts SET commodity_guid = NULL WHERE account_type = 'ROOT'")
    assert module.own_currency(str(path)) == "JPY"
