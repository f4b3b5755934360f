"""nexus accounts plan and nexus currencies review through the CLI: what a controller reads, what the workbooks hold."""
import csv
import io
import json

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from conftest import SAMPLES
from nexus import targets
from nexus.cli import cli

COA = str(SAMPLES / "chart-of-accounts.csv")
Q4 = str(SAMPLES / "provider-currencies-2026-q4.txt")


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def check_json(presence_check_json):
    return presence_check_json  # the sample's check with its presence file, made once per test process


def test_the_sample_plan_reads_for_a_controller_in_a_hurry(tmp_path, check_json):
    book = tmp_path / "plan.xlsx"
    result = run("accounts", "plan", "--coa", COA, "--currencies", Q4, "--nexus", check_json, "--workbook", book)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == ("61 new accounts for generic: 7 bank, 9 clearing, 20 tax payable, 21 accrued tax exposure, "
                        "4 other")
    body = [line.split()[0] for line in lines[4:65]]
    assert body == sorted(body, key=int) and len(body) == 61
    assert "2160      Consumption tax (JCT) payable - Japan (JP)" in result.stdout
    assert "1510      Bank - SGD" in result.stdout and "1000 Cash and bank" in result.stdout
    assert "Opened a new block (the siblings' block was full): 1510 Bank - SGD, 1600 Provider clearing - SGD" \
        in result.stdout
    sheets = load_workbook(book)
    assert sheets.sheetnames == ["New accounts", "Numbering", "Import - generic", "Review", "Currencies", "Sources"]
    rows = list(sheets["New accounts"].iter_rows(values_only=True))
    assert rows[0] == ("Number", "Name", "Type", "Currency", "Under", "Reason")
    by_number = {r[0]: r for r in rows[1:]}
    assert by_number["1510"][2] == "Bank" and by_number["1510"][4] == "1000 Cash and bank"
    assert by_number["2160"][2:4] == ("Current liability", "JPY")
    why = {r[0]: r[2] for r in sheets["Numbering"].iter_rows(min_row=2, values_only=True)}
    assert why["1040"] == "after 1030, step 10, in block 1000-1099"
    assert why["1510"] == ("block 1000-1099 is full at step 10: the closest empty block in 1000-1999, 1500-1599, "
                           "at offset 10")
    links = [c.hyperlink.target for c in sheets["Sources"]["B"] if c.hyperlink]
    assert any("six-group.com" in link for link in links)


def test_the_plan_says_which_listed_codes_get_no_accounts(tmp_path, write):
    """The Q4 list holds HRK, withdrawn in 2023: the plan gave it no accounts and the screen said nothing of it, so
    the accountant could take the list as covered. The screen now says what was left out and why, as the review
    does (a code that is not ISO 4217 and a metal too)."""
    listed = write("list.txt", "USD\nHRK\nXAU\nABC\n")
    result = run("accounts", "plan", "--coa", COA, "--currencies", listed, "--workbook", tmp_path / "plan.xlsx",
                 "--db", tmp_path / "store.sqlite3")
    assert result.exit_code == 0
    said = " ".join(result.stdout.split())
    # each with the list's line where it says what is wrong with the code (a metal is what it is, wherever listed)
    assert (f"No accounts for 3 codes of the provider's list: HRK (Kuna, withdrawn 2023-01; {listed}:2): use EUR "
            f"from 2023-01-01; XAU: not money a store is paid in (ISO 4217 gives no minor unit); ABC ({listed}:4): "
            f"not an ISO 4217 code") in said


@pytest.mark.parametrize("target", targets.NAMES)
def test_every_target_writes_its_import_file(tmp_path, check_json, target):
    out = tmp_path / ("books.gnucash" if target == "gnucash" else
                      "accounts.beancount" if target == "beancount" else "import.csv")
    result = run("accounts", "plan", "--coa", COA, "--currencies", Q4, "--nexus", check_json, "--target", target,
                 "--workbook", tmp_path / "plan.xlsx", "--import-file", out, "--company", "Nexus Demo Inc",
                 "--company-abbr", "ND", "--opened-on", "2026-01-01")
    assert result.exit_code == 0, result.output
    assert out.exists() and f"Written: {tmp_path / 'plan.xlsx'}, {out}" in " ".join(result.stdout.split())
    sheet = load_workbook(tmp_path / "plan.xlsx")[f"Import - {target}"]
    header = [c.value for c in sheet[1]]
    if out.suffix == ".csv":  # the sheet shows the new accounts as the import file has them
        assert header[1:] == out.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    else:
        assert header[1:] == {"beancount": ["Account", "Currency"],
                              "gnucash": ["Full name", "Code", "Type", "Commodity"]}[target]
    if target == "gnucash":  # a new book's tables are made unsynced (targets/gnucash.py): nothing after them is
        import sqlalchemy

        engine = sqlalchemy.create_engine(f"sqlite:///{out}")
        with engine.connect() as connection:  # SQLite's default, FULL (2): the process's later connections wait
            assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2
        engine.dispose()


def test_the_plan_for_a_gnucash_book_kept_in_yen_says_yen(tmp_path):
    """The sample chart's payables are in dollars; written into a GnuCash book kept in yen, the plan's Import sheet
    said USD for the accounts without a currency (Currency rounding, the FX accounts), which the book then made in
    yen. The plan now reads the book's own currency first: its sheet says what the book holds."""
    import warnings

    import piecash

    book = tmp_path / "yen.gnucash"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        piecash.create_book(sqlite_file=str(book), currency="JPY").close()
    result = run("accounts", "plan", "--coa", COA, "--currencies", Q4, "--target", "gnucash", "--workbook",
                 tmp_path / "plan.xlsx", "--import-file", book, "--db", tmp_path / "store.sqlite3")
    assert result.exit_code == 0, result.output
    rows = list(load_workbook(tmp_path / "plan.xlsx")["Import - gnucash"].iter_rows(min_row=2, values_only=True))
    assert {r[4] for r in rows if r[1] == "Expenses:Currency rounding"} == {"JPY"}


def test_erpnext_without_its_company_stops_with_one_line(tmp_path):
    result = CliRunner().invoke(cli, ["accounts", "plan", "--coa", COA, "--currencies", Q4, "--target", "erpnext",
                                      "--workbook", str(tmp_path / "p.xlsx"), "--import-file",
                                      str(tmp_path / "e.csv")])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "Error: ERPNext names every account after its company: give --company NAME and --company-abbr ABBR "
        "(Setup > Company > Abbr)"]


def test_a_book_currency_that_is_no_currency_stops_with_one_line(tmp_path):
    result = CliRunner().invoke(cli, ["accounts", "plan", "--coa", COA, "--currencies", Q4, "--book-currency", "usd$",
                                      "--workbook", str(tmp_path / "p.xlsx")])
    assert (result.exit_code, result.stderr) == (2, "Error: book currency 'USD$' is not an ISO 4217 currency code\n")


def test_a_withdrawn_book_currency_stops_as_the_journal_stops_it(tmp_path):
    """A GnuCash book was made in kuna, withdrawn in 2023, while 'accounts journal' refused the same code."""
    book = tmp_path / "books.gnucash"
    result = CliRunner().invoke(cli, ["accounts", "plan", "--coa", COA, "--currencies", Q4, "--book-currency", "hrk",
                                      "--target", "gnucash", "--workbook", str(tmp_path / "p.xlsx"),
                                      "--import-file", str(book)])
    assert (result.exit_code, result.stderr) == (
        2, "Error: book currency 'HRK' was withdrawn (2023-01): use EUR, its successor\n")
    assert not book.exists()


@pytest.mark.parametrize("code", ["XXX", "XAU", "XTS"])
def test_a_book_currency_that_is_not_money_stops_as_the_journal_stops_it(tmp_path, code):
    """'accounts journal --book-currency XAU' is refused, but the plan opened a GnuCash book in gold (or in XXX, 'no
    currency') and wrote every beancount account in it, exit 0. It stops now, saying why."""
    book = tmp_path / "books.gnucash"
    result = CliRunner().invoke(cli, ["accounts", "plan", "--coa", COA, "--currencies", Q4, "--book-currency", code,
                                      "--target", "gnucash", "--workbook", str(tmp_path / "p.xlsx"),
                                      "--import-file", str(book)])
    assert (result.exit_code, result.stderr) == (
        2, f"Error: book currency '{code}' is not money books are kept in: ISO 4217 gives it no minor unit (a metal, "
           f"a fund or testing code, or XXX, no currency)\n")
    assert not book.exists()


def test_a_fund_code_is_no_book_currency_for_the_plan_nor_the_journal(tmp_path, check_json):
    """CLF, Chile's Unidad de Fomento, is a unit of account: 'accounts plan --book-currency CLF' opened a GnuCash book
    in it and 'accounts journal --book-currency CLF' took it too. Both refuse it now."""
    book = tmp_path / "books.gnucash"
    plan = CliRunner().invoke(cli, ["accounts", "plan", "--coa", COA, "--currencies", Q4, "--book-currency", "CLF",
                                    "--target", "gnucash", "--workbook", str(tmp_path / "p.xlsx"),
                                    "--import-file", str(book)])
    assert (plan.exit_code, plan.stderr) == (
        2, "Error: book currency 'CLF' is not money books are kept in: an ISO 4217 fund code, a unit of account: "
           "customers there pay in CLP\n")
    assert not book.exists()
    journal = CliRunner().invoke(cli, ["accounts", "journal", "--check", str(check_json), "--coa", COA,
                                       "--book-currency", "CLF"])
    assert journal.exit_code == 2 and "'CLF' is not a current ISO 4217 currency code" in journal.stderr


def test_nothing_to_add_says_so(tmp_path, write):
    coa = write("coa.csv", "Number,Name,Type,Currency\n1000,Bank - USD,Bank,USD\n1200,Provider clearing - USD,"
                           "Current asset,USD\n")
    result = run("accounts", "plan", "--coa", coa, "--currencies", write("list.txt", "USD\n"), "--workbook",
                 tmp_path / "p.xlsx")
    assert result.stdout == "The chart already has every account needed: nothing to add.\n"


def test_column_mapping_for_charts(write, tmp_path):
    coa = write("coa.csv", "Konto,Bezeichnung,Art,Waehrung\n1000,Bank USD,Bank,USD\n")
    result = run("accounts", "plan", "--coa", coa, "--currencies", write("list.txt", "USD\nEUR\n"), "--workbook",
                 tmp_path / "p.xlsx", "--column", "number=Konto", "--column", "name=Bezeichnung", "--column",
                 "type=Art", "--column", "currency=Waehrung", "--import-file", tmp_path / "g.csv")
    assert result.exit_code == 0 and "Bank - EUR" in result.stdout
    rows = list(csv.DictReader(io.StringIO((tmp_path / "g.csv").read_text(encoding="utf-8-sig"))))
    assert [r["Number"] for r in rows] == sorted(r["Number"] for r in rows)


def test_a_first_review_compares_with_nothing_and_says_what_to_do(tmp_path, write):
    coa = write("coa.csv", "Number,Name,Type,Currency\n1010,Bank - USD,Bank,USD\n1200,Stripe clearing - USD,"
                           "Current asset,USD\n")
    book = tmp_path / "review.xlsx"
    result = run("currencies", "review", "--provider", write("list.txt", "USD\nJPY\nXCG\n"), "--coa", coa,
                 "--workbook", book, "--provider-name", "shop")
    assert "(first review: nothing to compare with)" in " ".join(result.stdout.split("\n\n")[0].split())
    assert "Listed: USD, JPY, XCG" in result.stdout and "Added" not in result.stdout
    sheets = load_workbook(book)
    review = [tuple(c for c in row) for row in sheets["Review"].iter_rows(values_only=True)]
    assert review[1][0] == "Provider" and review[1][2].endswith("list.txt")
    assert review[2][0] == "Reviewed on" and review[3] == ("Compared with", None,
                                                           "first review: nothing to compare with", None)
    actions = {r[1]: r[3] for r in review[4:]}
    assert actions["JPY"] == "open a JPY bank account and a JPY clearing account; JPY has no minor unit"
    assert actions["USD"] == "the chart has the USD accounts"
    assert actions["XCG"] == ("open an XCG bank account and an XCG clearing account; no ECB rate: supply XCG rates "
                              "(a treasury CSV to nexus check --rates)")
    statuses = {row[0]: row[1] for row in sheets["Currencies"].iter_rows(min_row=2, values_only=True)}
    assert set(statuses.values()) == {"first review"}
    again = run("currencies", "review", "--provider", write("list2.txt", "USD\nJPY\nXCG\nBHD\n"), "--provider-name",
                "shop", "--format", "json")
    document = json.loads(again.stdout)
    assert document["first_review"] is False and document["previous_from"].startswith("the review of ")
    assert [d["code"] for d in document["added"]] == ["BHD"] and document["listed"] == []
    assert document["added"][0]["action"] == ("check the chart has a BHD bank account and a BHD clearing account "
                                              "(give --coa); BHD has 3 decimals; no ECB rate: supply BHD rates "
                                              "(a treasury CSV to nexus check --rates)")


@pytest.mark.parametrize("text, said", [
    ("[1, 2, 3]", "is not a 'nexus check --format json' file"),
    ('{"schema": 1}', "is not a 'nexus check --format json' file"),
    ('{"findings": "x", "as_of": "2026-10-31"}', "is not a 'nexus check --format json' file"),
    ('{"findings": [{"jurisdiction": "US-TX", "nexus": "economic", "tax": 42}]}', "finding 1: tax 42 is not text"),
    ('{"as_of": "2026', "cannot be read as a nexus check JSON file (line 1, column 11"),
    ("", "cannot be read as a nexus check JSON file (is empty)"),
])
def test_accounts_plan_refuses_a_nexus_file_that_is_not_a_check(tmp_path, text, said):
    """Another JSON file as --nexus gave a plan with no tax accounts (exit 0), and a list or a string a
    traceback (exit 1)."""
    given = tmp_path / "check.json"
    given.write_text(text)
    result = CliRunner().invoke(cli, ["accounts", "plan", "--coa", str(SAMPLES / "chart-of-accounts.csv"),
                                      "--currencies", str(SAMPLES / "provider-currencies-2026-q3.json"),
                                      "--workbook", str(tmp_path / "plan.xlsx"), "--nexus", str(given),
                                      "--db", str(tmp_path / "store.sqlite3")])
    assert result.exit_code == 2 and said in result.stderr


def test_a_column_mapping_to_a_header_the_chart_lacks_is_an_error_not_passed_over(tmp_path):
    """accounts plan --column number=Nope read the chart by its aliases and exited 0, as if the mapping held."""
    result = CliRunner().invoke(cli, ["accounts", "plan", "--coa", str(SAMPLES / "chart-of-accounts.csv"),
                                      "--currencies", str(SAMPLES / "provider-currencies-2026-q3.json"),
                                      "--workbook", str(tmp_path / "plan.xlsx"), "--column", "number=Nope",
                                      "--db", str(tmp_path / "store.sqlite3")])
    assert result.exit_code == 2 and "--column number=Nope: the chart has no such column" in result.stderr


def test_a_plan_for_every_state_runs_and_names_the_numbers_to_review(tmp_path):
    """A check with nexus in every state and DC (100 liabilities for the sample chart's 2000-2999) stopped with
    'no empty block of 100 numbers is left in 2000-2999' (exit 2) though 2010-2090 were free. The plan now runs,
    and the screen names the accounts numbered outside their siblings' blocks, by how, for the accountant to review
    (the numbers themselves: tests/test_accounts_numbering.py)."""
    rows = [line for line in (SAMPLES.parent / "data" / "iso3166-2-us.csv").read_text().splitlines()
            if not line.startswith("#")]
    states = [r for r in csv.DictReader(rows) if r["type"] in ("State", "District")]
    check = tmp_path / "check.json"
    check.write_text(json.dumps({"as_of": "2026-10-31", "findings": [
        {"jurisdiction": r["code"], "name": r["name"], "tax": "Sales tax", "currency": "USD", "nexus": "economic"}
        for r in states]}), encoding="utf-8")
    result = run("accounts", "plan", "--coa", COA, "--currencies", Q4, "--nexus", check, "--workbook",
                 tmp_path / "plan.xlsx")
    assert result.exit_code == 0, result.output
    out = " ".join(result.stdout.split())
    assert "49 tax payable, 51 accrued tax exposure" in out
    assert ("Numbered in free places of the range (the siblings' block was full and no empty block was left): "
            "2010 Accrued sales tax exposure - Oklahoma (US-OK), 2710 Accrued sales tax exposure - North Carolina "
            "(US-NC), 2800 Accrued sales tax exposure - Vermont (US-VT), 2900 Accrued sales tax exposure - Virginia "
            "(US-VA)") in out
    assert ("Numbered at a finer step than the chart's (no number at its step was left in the range; free a block and "
            "run the plan again for numbers in step): 2991 Accrued sales tax exposure - Washington (US-WA), 2992 "
            "Accrued sales tax exposure - Wisconsin (US-WI), 2993 Accrued sales tax exposure - West Virginia (US-WV), "
            "2994 Accrued sales tax exposure - Wyoming (US-WY)") in out


def test_a_chinese_plan_names_its_sub_accounts_and_lists_where_their_words_come_from(tmp_path):
    """A Chinese chart's plan: Germany's VAT payable 222102 应交德国增值税 (DE) under 2221 应交税费 on the screen, and
    the Sources sheet names the tables its Chinese words come from (data/tax-names-zh.csv, data/place-names-zh.csv)."""
    coa = tmp_path / "coa.csv"
    coa.write_text("科目代码,科目名称,科目类别,币种,上级科目\n1002,银行存款,货币资金,,\n100201,工商银行,银行存款,CNY,1002\n"
                   "2221,应交税费,应交税费,CNY,\n222101,应交增值税,应交税费,CNY,2221\n", encoding="utf-8")
    provider = tmp_path / "provider.txt"
    provider.write_text("CNY\n", encoding="utf-8")
    check = tmp_path / "check.json"
    check.write_text(json.dumps({"as_of": "2026-10-31", "findings": [
        {"jurisdiction": "DE", "name": "Germany", "nexus": "economic", "tax": "VAT", "currency": "EUR",
         "action": "registered"}]}), encoding="utf-8")
    result = run("accounts", "plan", "--coa", coa, "--currencies", provider, "--nexus", check,
                 "--workbook", tmp_path / "plan.xlsx")
    assert result.exit_code == 0, result.output
    assert [line.split() for line in result.stdout.splitlines() if line.startswith("222102")] == [
        ["222102", "应交德国增值税", "(DE)", "Current", "liability", "EUR", "2221", "应交税费"]]
    sources = [row for row in load_workbook(tmp_path / "plan.xlsx")["Sources"].iter_rows(values_only=True)]
    assert ("Chinese names of taxes (应交德国增值税)", "data/tax-names-zh.csv (国家税务总局 country tax guides)") in sources
    # the chart follows 企业会计准则 (1002 银行存款, 2221 应交税费): the codes its numbering kept free come from here
    assert ("Chinese first-level account codes (1012 其他货币资金, 2801 预计负债)",
            "data/cn-account-codes.csv (财政部: 企业会计准则——应用指南 附录; 小企业会计准则 附录)") in sources


def test_a_chinese_plan_s_banks_and_expenses_are_named_in_chinese_and_their_words_sourced(tmp_path):
    """Under 1002 银行存款 (its detail accounts 银行存款-工商银行) and 6711 营业外支出 the plan printed "Bank - USD" and
    "Tax interest and penalties". It prints 100202 银行存款-美元户 and 671104 营业外支出-税收滞纳金及罚款 now, and the
    Sources sheet names data/account-names-zh.csv and data/currency-names-zh.csv."""
    coa = tmp_path / "coa.csv"
    coa.write_text("科目代码,科目名称,科目类别,币种,上级科目\n1002,银行存款,货币资金,,\n"
                   "100201,银行存款-工商银行,银行存款,CNY,1002\n2221,应交税费,应交税费,CNY,\n"
                   "222101,应交税费-应交增值税,应交税费,CNY,2221\n6711,营业外支出,营业外支出,,\n"
                   "671101,营业外支出-捐赠支出,营业外支出,,6711\n", encoding="utf-8")
    provider = tmp_path / "provider.txt"
    provider.write_text("CNY\nUSD\n", encoding="utf-8")
    check = tmp_path / "check.json"
    check.write_text(json.dumps({"as_of": "2026-10-31", "findings": [
        {"jurisdiction": "DE", "name": "Germany", "nexus": "economic", "tax": "VAT", "currency": "EUR"}]}),
        encoding="utf-8")
    result = run("accounts", "plan", "--coa", coa, "--currencies", provider, "--nexus", check,
                 "--workbook", tmp_path / "plan.xlsx")
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line.split()[1] for line in result.stdout.splitlines() if line[:4] in ("1002", "6711")}
    # with no 6603 财务费用 in the chart, the rounding goes under 营业外支出 too, named there: 折算尾差
    assert (lines["100202"], lines["671102"], lines["671103"], lines["671104"]) == (
        "银行存款-美元户", "营业外支出-折算尾差", "营业外支出-税务风险损失", "营业外支出-税收滞纳金及罚款")
    sources = [row for row in load_workbook(tmp_path / "plan.xlsx")["Sources"].iter_rows(values_only=True)]
    assert ("Chinese names of currencies (美元, 欧元)", "data/currency-names-zh.csv (Unicode CLDR)") in sources
    assert any(row[1].startswith("data/account-names-zh.csv") for row in sources if row[1])


@pytest.mark.parametrize("command", [["currencies", "review", "--provider", Q4, "--coa"],
                                     ["accounts", "plan", "--currencies", Q4, "--workbook", "plan.xlsx", "--coa"]])
def test_a_chart_with_only_its_header_row_is_an_error(tmp_path, write, command):
    """A chart export cut to its header row was read as a company with no accounts: the review said to open a bank
    and a clearing account for every currency, and the plan proposed a whole chart numbered from 1000, as if the
    export had worked. It is an error naming the file now, as a currency list with no codes is."""
    coa = write("coa.csv", "Number,Name,Type,Currency,Parent\n")
    args = [str(tmp_path / a) if a.endswith(".xlsx") else a for a in command]
    result = run(*args, coa, "--db", tmp_path / "store.sqlite3")
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {coa}: has a header row and no accounts: export the chart again with its "
                             f"accounts\n")
    assert not (tmp_path / "plan.xlsx").exists()


def test_the_review_warns_of_chart_rows_it_could_not_read_as_the_plan_does(tmp_path, write):
    """A chart whose USD bank is typed '口座' (a type word nexus does not know) made the review say 'USD: open a USD
    bank account' with no word of why, while 'accounts plan' on the same chart warned that the row was counted as no
    bank. The review warns the same now, naming the row, its line and its type."""
    coa = write("coa.csv", """
        勘定科目コード,勘定科目,区分,通貨
        110,普通預金 USD,口座,USD
        140,決済代行 USD clearing,流動資産,USD
    """)
    result = run("currencies", "review", "--provider", write("q.txt", "USD\n"), "--coa", coa,
                 "--db", tmp_path / "store.sqlite3")
    assert result.exit_code == 0
    assert "USD: open a USD bank account" in result.stdout or "open a USD bank account" in result.stdout
    said = " ".join(line.strip() for line in result.stderr.splitlines())  # wrapped to the screen's width
    assert said == (f"Warning: {coa}: 1 account of a type nexus does not know, counted as no bank, clearing, "
                    f"receivable or payable (one the chart has may be proposed again): line 2 (110 普通預金 "
                    f"USD: '口座')")


def test_a_chart_row_xero_cannot_take_is_named_by_its_file_and_line(tmp_path, write):
    """Xero's import repeats the whole chart, so a row of the chart Xero refuses stops the import file. The error named
    the account alone ("account 1010 '=HYPERLINK(...)': ..."), not the file and line to fix; it names both now."""
    coa = write("coa.csv", """
        Number,Name,Type,Currency
        1000,Bank - USD,Bank,USD
        1010,"=HYPERLINK(""http://x"",""y"")",Bank,EUR
    """)
    result = run("accounts", "plan", "--coa", coa, "--currencies", write("q.txt", "USD\nEUR\n"), "--target", "xero",
                 "--workbook", tmp_path / "plan.xlsx", "--import-file", tmp_path / "xero.csv",
                 "--db", tmp_path / "store.sqlite3")
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {coa}:3: account 1010 '=HYPERLINK(\"http://x\",\"y\")': Xero names are up to "
                             f"150 characters, not a symbol first\n")
    assert not (tmp_path / "xero.csv").exists()


def test_the_review_workbook_names_the_chart_its_missing_accounts_come_from(tmp_path):
    """With --coa the Review sheet lists the accounts the chart lacks, but its Sources sheet named the provider's list
    alone: a reader of the workbook could not tell which chart was read (the plan's workbook names it). It does now;
    without --coa no chart is named."""
    for coa in (COA, None):
        book = tmp_path / "review.xlsx"
        result = run("currencies", "review", "--provider", Q4, *(["--coa", coa] if coa else []), "--workbook", book,
                     "--db", tmp_path / "store.sqlite3")
        assert result.exit_code == 0
        sources = {r[0]: r[1] for r in load_workbook(book)["Sources"].iter_rows(min_row=2, values_only=True)}
        assert sources.get("Chart of accounts") == coa and sources["Provider currency list"] == Q4


def test_the_review_workbook_lists_only_the_successors_of_the_withdrawn_currencies_listed(tmp_path):
    """The Sources sheet listed the successor of each of the twelve withdrawn currencies the data knows (ANG's XCG,
    BGN's EUR, ... ZWL's ZWG) whatever the provider listed: beside Q3's list, which holds none, a reader looked for
    the withdrawn currency the review had not found. Now only those of the list: Q4's HRK (its successor EUR), none
    for Q3's."""
    for provider, successors in ((Q4, [("Successor of HRK: EUR",
                                        "https://www.ecb.europa.eu/euro/changeover/croatia/html/index.en.html")]),
                                 (str(SAMPLES / "provider-currencies-2026-q3.json"), [])):
        book = tmp_path / "review.xlsx"
        result = run("currencies", "review", "--provider", provider, "--workbook", book, "--db",
                     tmp_path / "store.sqlite3")
        assert result.exit_code == 0
        rows = load_workbook(book)["Sources"].iter_rows(min_row=2, values_only=True)
        assert [(r[0], r[1]) for r in rows if str(r[0]).startswith("Successor")] == successors


def test_an_import_file_the_ledger_refuses_leaves_no_plan_workbook_behind(tmp_path, write):
    """Xero refuses a chart row (a name starting with a symbol): the run stopped with exit 2, but the plan workbook
    had been written first, so a plan.xlsx dated today sat beside an error, read as the plan of a run that worked.
    The import file is written first now: on its refusal nothing is written."""
    coa = write("coa.csv", """
        Number,Name,Type,Currency
        1000,Bank - USD,Bank,USD
        1010,【EUR】 Bank,Bank,EUR
    """)
    book = tmp_path / "plan.xlsx"
    result = run("accounts", "plan", "--coa", coa, "--currencies", write("q.txt", "USD\nEUR\nGBP\n"), "--target",
                 "xero", "--workbook", book, "--import-file", tmp_path / "xero.csv", "--db", tmp_path / "s.sqlite3")
    assert result.exit_code == 2 and "Xero names are up to 150 characters, not a symbol first" in result.stderr
    assert not book.exists() and not (tmp_path / "xero.csv").exists()
    kept = run("accounts", "plan", "--coa", COA, "--currencies", Q4, "--target", "xero", "--workbook", book,
               "--import-file", tmp_path / "xero.csv", "--db", tmp_path / "s.sqlite3")
    assert kept.exit_code == 0 and book.exists() and (tmp_path / "xero.csv").exists()
    assert f"Written: {book}, {tmp_path / 'xero.csv'}" in " ".join(kept.stdout.split())


def test_the_plan_warns_of_chart_accounts_it_makes_headers(tmp_path):
    """A Chinese chart's 6603 财务费用 with no detail accounts gets 660301 汇兑损益 and 660302 折算尾差 under it; ERPNext
    refuses a sub-account under a ledger ("parent account can not be a ledger") and the import stopped there with no
    word from the plan. The plan now names each such account and what to do (ERPNext's own file puts them beside
    it instead: tests/test_targets.py)."""
    coa = tmp_path / "coa.csv"
    coa.write_text("科目代码,科目名称,科目类别,币种,上级科目\n1001,库存现金,货币资金,CNY,\n1002,银行存款,货币资金,,\n"
                   "100201,工商银行,银行存款,CNY,1002\n100202,中国银行美元户,银行存款,USD,1002\n"
                   "1012,其他货币资金,货币资金,,\n101201,支付宝,货币资金,CNY,1012\n101202,Stripe USD,货币资金,USD,1012\n"
                   "6603,财务费用,财务费用,CNY,\n", encoding="utf-8")
    provider = tmp_path / "provider.txt"
    provider.write_text("CNY\nUSD\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["accounts", "plan", "--coa", str(coa), "--currencies", str(provider),
                                      "--workbook", str(tmp_path / "plan.xlsx"), "--db", str(tmp_path / "db")],
                                catch_exceptions=False)
    assert result.exit_code == 0
    assert f"Warning: {coa}: 1 account of the chart with no sub-accounts gets new ones under it and becomes a " \
           f"header: mark it a group in the ledger (a header, a placeholder) before the import, and move its balance to " \
           f"a sub-account: line 9 (6603 财务费用: new sub-accounts 660301, 660302)" in " ".join(result.stderr.split())


def test_a_japanese_plan_lists_where_its_japanese_names_come_from_and_no_chinese_table(tmp_path):
    """A Japanese chart's plan names its accounts in Japanese (外貨預金(USD), 為替差損益, 雑損失, 仮受消費税等): the
    Sources sheet listed the Chinese tables for them (any name not in Latin letters was taken for Chinese) and
    data/account-names-ja.csv only where a bank was named 預金. It lists the Japanese file, and no Chinese table."""
    coa = tmp_path / "coa.csv"
    coa.write_text("コード,勘定科目,区分,通貨\n1110,普通預金 三菱UFJ,現金・預金,JPY\n1200,売掛金,売上債権,JPY\n"
                   "8100,支払利息,営業外費用,\n", encoding="utf-8")
    provider = tmp_path / "provider.txt"
    provider.write_text("JPY\nUSD\n", encoding="utf-8")
    check = tmp_path / "check.json"
    check.write_text(json.dumps({"as_of": "2026-10-31", "findings": [
        {"jurisdiction": "JP", "name": "Japan", "nexus": "establishment", "tax": "Consumption tax (JCT)",
         "currency": "JPY", "action": "registered"}]}), encoding="utf-8")
    result = run("accounts", "plan", "--coa", coa, "--currencies", provider, "--nexus", check,
                 "--workbook", tmp_path / "plan.xlsx")
    assert result.exit_code == 0, result.output
    names = [row[1] for row in load_workbook(tmp_path / "plan.xlsx")["New accounts"].iter_rows(min_row=2,
                                                                                                values_only=True)]
    assert {"外貨預金(USD)", "売掛金(決済代行・USD)", "為替差損益", "雑損失", "仮受消費税等"} <= set(names)
    sources = [row[1] for row in load_workbook(tmp_path / "plan.xlsx")["Sources"].iter_rows(values_only=True)]
    assert any(s.startswith("data/account-names-ja.csv") for s in sources if s)
    assert not any("-zh.csv" in s for s in sources if s)


@pytest.mark.parametrize("receivable, listed", [("売掛金 Stripe", True), ("売掛金(決済代行・JPY)", False),
                                                ("売掛金 ABC商事", False)])
def test_the_plan_lists_the_providers_names_where_one_made_an_account_its_clearing_account(tmp_path, receivable,
                                                                                          listed):
    """売掛金 Stripe is read as Stripe's balance, by data/payment-providers.csv: the Sources sheet named every other
    table the plan read its names by, not that one. A clearing account named by its own words (決済代行) or a
    customer's receivable needs no provider's name, and the file is not listed."""
    coa = tmp_path / "coa.csv"
    coa.write_text("コード,勘定科目,区分,通貨\n1110,普通預金 三菱UFJ,現金・預金,JPY\n1200,売掛金,売上債権,JPY\n"
                   f"1210,{receivable},売上債権,JPY\n", encoding="utf-8")
    provider = tmp_path / "provider.txt"
    provider.write_text("JPY\n", encoding="utf-8")
    result = run("accounts", "plan", "--coa", coa, "--currencies", provider, "--workbook", tmp_path / "plan.xlsx")
    assert result.exit_code == 0, result.output
    sources = [row[1] for row in load_workbook(tmp_path / "plan.xlsx")["Sources"].iter_rows(values_only=True)]
    assert any(s.startswith("data/payment-providers.csv") for s in sources if s) is listed


def test_the_plan_workbook_says_what_the_screen_warns_of(tmp_path):
    """The screen warned that ERPNext's file puts 660301 汇兑损益 beside 6603 财务费用 (a ledger ERPNext makes no
    group), but the workbook the controller files with the plan said nothing: its New accounts sheet showed 660301
    under 6603 while its hidden Import sheet had it under Indirect Expenses. The plan's notices lead the sheet now."""
    coa = tmp_path / "coa.csv"
    coa.write_text("科目代码,科目名称,科目类别,币种,上级科目\n1002,银行存款,货币资金,,\n100201,工商银行,银行存款,CNY,1002\n"
                   "6603,财务费用,财务费用,,\n", encoding="utf-8")
    provider = tmp_path / "provider.txt"
    provider.write_text("CNY\nUSD\n", encoding="utf-8")
    result = run("accounts", "plan", "--coa", coa, "--currencies", provider, "--target", "erpnext", "--company",
                 "Nexus Demo Inc", "--company-abbr", "ND", "--workbook", tmp_path / "plan.xlsx", "--db", tmp_path / "db")
    assert result.exit_code == 0, result.output
    cells = [c for row in load_workbook(tmp_path / "plan.xlsx")["New accounts"].iter_rows(max_row=4, values_only=True)
             for c in row if c]
    assert any("the erpnext import file puts them beside it, under its own parent" in str(c) for c in cells)


JAPANESE_CHART = """コード,勘定科目,区分,通貨
1110,普通預金 みずほ,現金・預金,JPY
1120,外貨預金(USD),現金・預金,USD
1200,売掛金,売上債権,JPY
1210,売掛金(決済代行・USD),売上債権,USD
1211,売掛金(決済代行・JPY),売上債権,JPY
2150,仮受消費税等,流動負債,JPY
7010,為替差損益,営業外収益,
8100,雑損失,営業外費用,
"""
CHINESE_CHART = """科目代码,科目名称,科目类别,币种,上级科目
1001,库存现金,货币资金,CNY,
1002,银行存款,货币资金,,
100201,银行存款-工商银行,银行存款,CNY,1002
100202,银行存款-美元户,银行存款,USD,1002
1122,应收账款,应收账款,CNY,
6603,财务费用,财务费用,,
660301,汇兑损益,财务费用,,6603
660302,折算尾差,财务费用,,6603
"""


@pytest.mark.parametrize("chart, bank, clearing", [
    (JAPANESE_CHART, "外貨預金(BHD)", "売掛金(決済代行・BHD)"),
    (CHINESE_CHART, "银行存款-巴林第纳尔户", "第三方支付巴林第纳尔存款"),
], ids=["japanese", "chinese"])
def test_the_review_names_the_missing_accounts_as_the_plan_names_them(tmp_path, chart, bank, clearing):
    """On a Japanese or Chinese chart the plan (and provider compare) proposed 外貨預金(BHD) or 银行存款-巴林第纳尔户
    for a new BHD, while the review of the same chart asked for 'Bank - BHD' and 'Provider clearing - BHD': two
    names for one account. The review's JSON, screen and Review sheet now give the plan's names."""
    coa = tmp_path / "coa.csv"
    coa.write_text(chart, encoding="utf-8")
    now, before = tmp_path / "q4.txt", tmp_path / "q3.txt"
    now.write_text("USD\nEUR\nBHD\n", encoding="utf-8")
    before.write_text("USD\nEUR\n", encoding="utf-8")
    plan = run("accounts", "plan", "--coa", coa, "--currencies", now, "--workbook", tmp_path / "plan.xlsx",
               "--db", tmp_path / "s.sqlite3")
    proposed = {line.split()[1] for line in plan.stdout.splitlines()[4:] if line.strip()}
    assert {bank, clearing} <= proposed
    args = ["currencies", "review", "--provider", now, "--previous", before, "--coa", coa,
            "--db", tmp_path / "review.sqlite3"]
    added = json.loads(run(*args, "--format", "json").stdout)["added"]
    assert added[0]["missing_accounts"] == [bank, clearing]
    action = f"open a BHD bank account ({bank}) and a BHD clearing account ({clearing}); BHD has 3 decimals"
    screen = run(*args, "--workbook", tmp_path / "review.xlsx").stdout
    joined = "".join(screen.split())  # the Action column wraps
    assert f"bankaccount({bank})" in joined and f"clearingaccount({clearing})" in joined
    # the unchanged EUR the chart has no accounts for is indented under its heading, as in English
    assert any(line.startswith("  EUR: open an EUR bank account (") for line in screen.splitlines())
    rows = {r[1]: r[3] for r in load_workbook(tmp_path / "review.xlsx")["Review"].iter_rows(values_only=True)}
    assert rows["BHD"].startswith(action)


def test_every_sheet_of_the_review_workbook_prints_one_page_wide(tmp_path):
    """The Currencies sheet's columns came to about 1,800 pixels against a landscape page's 1,280 at the smallest
    scale the workbooks print at: Successor and Countries printed on a page of their own, away from the codes they
    belong to. Each sheet now has one print area, every column on the page, the country lists wrapped."""
    book = tmp_path / "review.xlsx"
    run("currencies", "review", "--provider", Q4, "--previous", SAMPLES / "provider-currencies-2026-q3.json",
        "--coa", COA, "--workbook", book, "--db", tmp_path / "s.sqlite3")
    sheets = load_workbook(book)
    for sheet in sheets:
        assert "," not in sheet.print_area, f"{sheet.title} prints in column groups: {sheet.print_area}"
    countries = [row[-1] for row in sheets["Currencies"].iter_rows(min_row=2)]
    assert countries[0].value.startswith("United States of America (the);") and countries[0].alignment.wrap_text


def test_the_review_counts_a_clearing_account_without_a_currency_as_the_book_s_and_says_so(tmp_path, write):
    """'1200 Stripe clearing' with no currency, in books whose payables are in dollars: the review said 'open a USD
    clearing account' beside it. It is the dollar clearing account now, only the euro one is asked for, and the screen
    names the row and what it was counted as, as the plan does."""
    coa = write("coa.csv", "Number,Name,Type,Currency\n1010,Bank - USD,Bank,USD\n1020,Bank - EUR,Bank,EUR\n"
                           "1200,Stripe clearing,Current asset,\n2000,Accounts payable,Payable,USD\n")
    result = run("currencies", "review", "--provider", write("list.txt", "USD\nEUR\n"), "--coa", coa,
                 "--db", tmp_path / "store.db", "--format", "json")
    assert result.exit_code == 0, result.output
    listed = {c["code"]: (c["missing_accounts"], c["action"]) for c in json.loads(result.stdout)["listed"]}
    assert listed == {"USD": ([], "the chart has the USD accounts"),  # was 'open a USD clearing account'
                      "EUR": (["Provider clearing - EUR"], "open an EUR clearing account")}
    assert " ".join(result.stderr.split()) == (
        f"Warning: {coa}: 1 bank or provider clearing account without a currency, counted as the book currency's, USD (the "
        f"currency of the chart's other accounts; where it holds another, give it that currency in the chart): line "
        f"4 (1200 Stripe clearing: no currency)")


def test_the_screen_says_the_accruals_opened_a_block_of_their_own(tmp_path, write, check_json):
    """A plain chart without headers nor accrued expenses: the first accrued exposure opens a block beside the tax
    payables' (tests/test_accounts_numbering.py); the screen lists it for review under its own heading, not as a
    full block of siblings ("the siblings' block was full"), which it never had."""
    coa = write("coa.csv", "Number,Name,Type,Currency\n1010,Bank - USD,Bank,USD\n2000,Accounts payable,Payable,USD\n"
                           "2100,Sales tax payable - California (US-CA),Current liability,USD\n"
                           "2300,Short-term loans,Current liability,USD\n6000,Fees,Expense,\n")
    result = run("accounts", "plan", "--coa", coa, "--currencies", Q4, "--nexus", check_json, "--workbook",
                 tmp_path / "plan.xlsx", "--db", tmp_path / "store.sqlite3")
    said = " ".join(result.stdout.split())
    own = said.split("Opened a block of their own beside the accounts they are kept apart from (the accrued "
                     "exposures beside the tax payables): ")[1].split(" Opened")[0].split(" Written")[0]
    assert own.startswith("2") and "Accrued" in own and "," not in own  # the first one alone: the rest follow it
    assert own not in said.split("Opened a new block (the siblings' block was full): ")[1]


def test_the_generic_csv_on_standard_output_starts_with_its_header_not_a_byte_order_mark(tmp_path, check_json):
    """The generic import file has the byte-order mark Excel needs to open it as UTF-8; sent to standard output it
    had it too, and the program it was piped into (csvkit, a database loader) read its first header as
    '\\ufeffNumber'. Standard output goes to a program: no mark there; the file keeps its own."""
    args = ["accounts", "plan", "--coa", COA, "--currencies", Q4, "--nexus", check_json, "--workbook",
            tmp_path / "plan.xlsx", "--db", tmp_path / "store.sqlite3", "--import-file"]
    result = run(*args, "-")
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.startswith(b"Number,Name,Type,Currency,Parent,Parent name,Reason\n")
    assert next(csv.DictReader(io.StringIO(result.stdout)))["Number"] == "1040"
    run(*args, tmp_path / "accounts.csv")
    written = (tmp_path / "accounts.csv").read_bytes()
    assert written.startswith(b"\xef\xbb\xbfNumber,")
    assert written.decode("utf-8-sig").replace("\r\n", "\n") == result.stdout  # the same rows


def test_the_plan_piped_into_another_program_reads_as_csv(tmp_path, check_json):
    """`nexus accounts plan ... --import-file - | program`: a real pipe into a program reading UTF-8 CSV, as a
    database loader does; its first header is 'Number' (it read '\\ufeffNumber')."""
    import subprocess
    import sys

    reader = subprocess.Popen([sys.executable, "-c", "import csv, sys; print(repr(next(csv.reader(sys.stdin))))"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8")
    nexus = subprocess.run([sys.executable, "-m", "nexus", "accounts", "plan", "--coa", COA, "--currencies", Q4,
                            "--nexus", str(check_json), "--workbook", str(tmp_path / "plan.xlsx"), "--db",
                            str(tmp_path / "store.sqlite3"), "--import-file", "-"], stdout=reader.stdin,
                           stderr=subprocess.PIPE, text=True)
    reader.stdin.close()
    assert nexus.returncode == 0, nexus.stderr
    assert reader.stdout.read() == repr(["Number", "Name", "Type", "Currency", "Parent", "Parent name", "Reason"]) + "\n"
    assert reader.wait() == 0 and "Written:" in nexus.stderr


def test_an_import_over_the_ledger_s_row_limit_is_refused_on_standard_output(tmp_path, check_json, monkeypatch):
    """QuickBooks takes 1,000 rows an import: a longer plan is written as accounts.csv, accounts-2.csv... On standard
    output the parts were joined, the header repeated mid-stream, which no importer reads. It is refused now, on one
    line naming the limit and the files a file name gives, with nothing written (the limit made 10 here: the
    sample's plan has 60 accounts for QuickBooks)."""
    monkeypatch.setitem(targets.get("quickbooks").ROWS_PER_FILE, "accounts", 10)
    book = tmp_path / "plan.xlsx"
    args = ["accounts", "plan", "--coa", COA, "--currencies", Q4, "--nexus", check_json, "--target", "quickbooks",
            "--workbook", book, "--db", tmp_path / "store.sqlite3", "--import-file"]
    result = run(*args, "-")
    assert result.exit_code == 2 and result.stdout == "" and not book.exists()
    assert result.stderr == (
        "Error: --import-file -: quickbooks takes at most 10 accounts an import file and these 60 accounts need 6 "
        "files, which standard output cannot keep apart; give a file name (--import-file accounts.csv writes "
        "accounts.csv, accounts-2.csv ... accounts-6.csv)\n")
    written = run(*args, tmp_path / "accounts.csv")
    assert written.exit_code == 0 and book.exists()
    parts = [tmp_path / "accounts.csv"] + [tmp_path / f"accounts-{i}.csv" for i in range(2, 7)]
    assert [len(list(csv.DictReader(io.StringIO(p.read_text(encoding="utf-8"))))) for p in parts] == [10] * 6


def test_the_plan_says_what_the_ledgers_import_leaves_to_the_ledger(tmp_path, check_json):
    """Before: the Xero plan listed the new GBP, CAD... banks with an empty Currency column, and had no FX gain/loss
    or rounding accounts where the generic plan has them, with nothing on the screen to say why (docs/accounts.md and
    the target's docstring did: Xero sets a bank's currency on its import's confirmation screen, and keeps FX gains
    and rounding as system accounts)."""
    said = {}
    for target in ("xero", "quickbooks", "generic"):
        result = run("accounts", "plan", "--coa", COA, "--currencies", Q4, "--nexus", check_json, "--target", target,
                     "--workbook", tmp_path / f"{target}.xlsx")
        said[target] = " ".join(result.stdout.split())
    assert ("For xero: its import carries no account currency: give each new bank account the currency its name ends "
            "with (GBP, CAD, AUD, KRW, BHD, XCG, SGD) on the import's confirmation screen; its chart keeps no parent "
            "accounts: each new account goes in by its type, under none; it keeps realized FX "
            "gain/loss, unrealized FX gain/loss and currency rounding as system accounts of its own, so the plan "
            "proposes none.") in said["xero"]
    # QuickBooks' chart import maps no currency either (Intuit's import articles): its new bank and clearing accounts
    # were written with a Currency column the import drops (banks) or none at all (clearing), unsaid
    assert ("For quickbooks: its import carries no account currency: give each new bank and clearing account the "
            "currency its name ends with (GBP, CAD, AUD, KRW, BHD, XCG, EUR, JPY, SGD) in the account's own Currency "
            "field in QuickBooks before anything is posted to it (QuickBooks cannot change it after); it keeps "
            "realized FX gain/loss, unrealized FX gain/loss and a receivable per currency as system accounts of its "
            "own, so the plan proposes none.") in said["quickbooks"]
    assert "For generic" not in said["generic"]
    # the workbook the accountant imports from says it above the new accounts too: its Currency column was blank
    # for QuickBooks' and Xero's banks with no word why
    first = [row[0] for row in load_workbook(tmp_path / "quickbooks.xlsx")["New accounts"].iter_rows(
        max_row=3, values_only=True)]
    assert any(str(cell).startswith("For quickbooks: its import carries no account currency: give each new bank and "
                                    "clearing account") for cell in first if cell)


def test_the_review_workbook_names_a_currencys_own_country_first_in_isos_words(tmp_path):
    """Before: the Currencies sheet's Countries read USD 'American Samoa; Bonaire, Sint Eustatius And Saba; British
    Indian Ocean Territory (The) and 16 more' (ISO's alphabetical order, the United States among the 16) and GBP
    'Guernsey; Isle Of Man; Jersey and 1 more' (str.title()'s capitals in the data)."""
    book = tmp_path / "review.xlsx"
    reviewed = run("currencies", "review", "--provider", Q4, "--workbook", book, "--db", tmp_path / "s.sqlite3")
    assert reviewed.exit_code == 0
    sheet = load_workbook(book)["Currencies"]
    header = [c.value for c in sheet[1]]
    countries = {row[0]: row[header.index("Countries")] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert countries["USD"] == ("United States of America (the); United States Minor Outlying Islands (the); "
                                "American Samoa and 16 more")
    assert countries["GBP"] == ("United Kingdom of Great Britain and Northern Ireland (the); Guernsey; Isle of Man "
                                "and 1 more")
    assert countries["KRW"] == "Korea (the Republic of)"


@pytest.mark.parametrize("target, heading, bank", [("xero", "Xero type", "BANK"), ("odoo", "Odoo type", "asset_cash")])
def test_a_plan_for_a_ledger_without_parent_accounts_puts_none_under_one(tmp_path, target, heading, bank):
    """Before: the Xero plan's screen and workbook showed the new banks 'Under' 1000 Cash and bank, a parent Xero's
    chart cannot hold (no header accounts, no sub-accounts; Odoo likewise groups by code prefix); the import file puts
    them in by type. Now the column gives that type, and the screen says the chart keeps no parents."""
    book = tmp_path / "plan.xlsx"
    result = run("accounts", "plan", "--coa", COA, "--currencies", Q4, "--target", target, "--workbook", book,
                 "--db", tmp_path / "db")
    assert result.exit_code == 0
    assert "Cash and bank" not in result.stdout and heading in result.stdout.splitlines()[2]
    assert "keeps no parent accounts: each new account goes in by its type, under none" in " ".join(
        result.stdout.split())
    rows = list(load_workbook(book)["New accounts"].iter_rows(values_only=True))
    header = next(r for r in rows if r and r[0] == "Number")
    assert header[4] == heading
    assert {r[4] for r in rows[rows.index(header) + 1:] if r[0] == "1040"} == {bank}


def test_an_odoo_plan_asks_no_account_made_a_header(tmp_path):
    """Before: the Chinese chart's 6603 财务费用, given 660301 汇兑损益 beneath it, was 'a header: mark it a group in the
    ledger' on the Odoo plan's screen too, where no account is a header (Odoo groups accounts by code prefix) and new
    ones go in by type."""
    coa = tmp_path / "coa.csv"
    coa.write_text("科目代码,科目名称,科目类别,币种,上级科目\n1001,库存现金,货币资金,CNY,\n1002,银行存款,货币资金,,\n"
                   "100201,工商银行,银行存款,CNY,1002\n100202,中国银行美元户,银行存款,USD,1002\n"
                   "6603,财务费用,财务费用,CNY,\n", encoding="utf-8")
    provider = tmp_path / "provider.txt"
    provider.write_text("CNY\nUSD\n", encoding="utf-8")
    said = {}
    for target in ("generic", "odoo"):
        result = CliRunner().invoke(cli, ["accounts", "plan", "--coa", str(coa), "--currencies", str(provider),
                                          "--target", target, "--workbook", str(tmp_path / f"{target}.xlsx"),
                                          "--db", str(tmp_path / "db")], catch_exceptions=False)
        assert result.exit_code == 0
        said[target] = " ".join(result.stderr.split())
    assert "6603 财务费用: new sub-accounts 660301" in said["generic"]
    assert "6603" not in said["odoo"] and "header" not in said["odoo"]


def test_a_xero_plan_lists_no_header_its_import_leaves_out(tmp_path):
    """Before: on a Chinese chart the Xero plan's screen and workbook listed '1012 其他货币资金', the header the plan
    opens over the provider's clearing accounts, among '4 new accounts', while the Xero file left it out (Xero has no
    header accounts). The screen and the New accounts sheet now list what the import carries."""
    coa = tmp_path / "coa.csv"
    coa.write_text("科目代码,科目名称,科目类别,币种,上级科目\n1001,库存现金,货币资金,CNY,\n1002,银行存款,货币资金,,\n"
                   "100201,工商银行,银行存款,CNY,1002\n1122,应收账款,应收账款,CNY,\n", encoding="utf-8")
    provider = tmp_path / "provider.txt"
    provider.write_text("CNY\nUSD\n", encoding="utf-8")
    book = tmp_path / "plan.xlsx"
    result = run("accounts", "plan", "--coa", coa, "--currencies", provider, "--target", "xero", "--workbook", book,
                 "--import-file", tmp_path / "xero.csv", "--db", tmp_path / "db")
    assert result.exit_code == 0
    assert "其他货币资金" not in result.stdout and result.stdout.startswith("3 new accounts for xero")
    codes = {r["*Code"] for r in csv.DictReader(open(tmp_path / "xero.csv", encoding="utf-8"))}
    rows = list(load_workbook(book)["New accounts"].iter_rows(values_only=True))
    listed = {r[0] for r in rows[next(i for i, r in enumerate(rows) if r and r[0] == "Number") + 1:] if r[0]}
    assert "1012" not in listed and listed <= codes and {"101201", "101202", "100202"} <= listed


def test_an_erpnext_plan_names_the_group_its_file_puts_each_account_under(tmp_path):
    """ERPNext's file puts an account the chart gives no group under the standard chart's group (a receivable under
    'Accounts Receivable - ND'), and names a parent as ERPNext does ('1000 - Cash and bank - ND'); the plan's Under
    column showed the chart's parent, or nothing, instead of what the import does."""
    book = tmp_path / "plan.xlsx"
    result = run("accounts", "plan", "--coa", COA, "--currencies", Q4, "--target", "erpnext", "--workbook", book,
                 "--import-file", tmp_path / "erpnext.csv", "--company", "Nexus Demo Inc", "--company-abbr", "ND",
                 "--db", tmp_path / "db")
    assert result.exit_code == 0
    parents = {r["Account Number"]: r["Parent Account"] for r in csv.DictReader(open(tmp_path / "erpnext.csv",
                                                                                      encoding="utf-8"))}
    rows = list(load_workbook(book)["New accounts"].iter_rows(values_only=True))
    header = next(r for r in rows if r and r[0] == "Number")
    under = {r[0]: r[4] for r in rows[rows.index(header) + 1:] if r[0]}
    assert under == parents and under["1040"] == "1000 - Cash and bank - ND"
    assert "Accounts Receivable - ND" in set(under.values())
