"""Chart-of-accounts plans: reading charts, what is proposed and what is already there, names from the rule's tax."""
import json

import pytest
from click.testing import CliRunner

from conftest import SAMPLES
from nexus import accounts
from nexus.account_kinds import for_place
from nexus.account_records import GENERIC, BookOptions, Jurisdiction, Ledger
from nexus.chart import Account, kind_of, read_chart
from nexus.check_document import jurisdictions_from_check
from nexus.cli import cli
from nexus.errors import InputError, MissingColumns


def chart(write, text, name="coa.csv"):
    return read_chart(write(name, text))


def place(code, name, tax="VAT", currency="EUR", accrue=False):
    return Jurisdiction(code, name, tax, currency, f"nexus in {name}", accrue)


def by_purpose(plan):
    return {p.purpose: p.number for p in plan}


def test_parents_resolve_to_numbers_and_mark_headers(write):
    coa = chart(write, """
        Number,Name,Type,Currency,Parent
        1000,Cash and bank,Bank,,
        1010,Bank - USD,Bank,USD,1000
        1020,Bank - EUR,Bank,EUR,Cash and bank
        1030,Bank - JPY,Bank,JPY,1000 - Cash and bank - ND
    """)
    assert [(a.number, a.parent, a.group) for a in coa] == [
        ("1000", "", True), ("1010", "1000", False), ("1020", "1000", False), ("1030", "1000", False)]


def test_a_group_column_or_a_header_type_marks_headers(write):
    coa = chart(write, """
        Account Number,Account Name,Account Type,Is Group
        1000,Current assets,Header,0
        1100,Banks,Bank,1
        1110,Bank - USD,Bank,0
    """)
    assert [a.group for a in coa] == [True, True, False]


# ---- issue 14 item 1: a payable counts only when it is a tax account for that very place

NEAR_MISSES = """
    Number,Name,Type,Currency
    1030,Bank - JPY (Mizuho),Bank,JPY
    2050,Payroll tax payable,Current liability,USD
    2060,expenses payable,Current liability,USD
    2100,Sales tax payable - West Virginia (US-WV),Current liability,USD
    2110,GST/HST payable - Canada (CA),Current liability,CAD
    2120,Sales tax payable - Arkansas,Current liability,USD
    2130,Sales tax payable - New Mexico,Current liability,USD
    2140,Italian suppliers payable,Current liability,EUR
    2200,Accrued VAT exposure - Japan (JP),Current liability,
    2210,JPY loan,Current liability,JPY
    3000,Share capital,Equity,
    3100,Seed capital - AT investors,Equity,
    6000,Expenses - SE office,Expense,
"""


def test_near_misses_are_not_taken_for_payables(write):
    coa = chart(write, NEAR_MISSES)
    wanted = [place("JP", "Japan", "Consumption tax (JCT)", "JPY"), place("IT", "Italy"), place("SE", "Sweden"),
              place("AT", "Austria"), place("PL", "Poland", currency="PLN"),
              place("US-VA", "Virginia", "Sales tax", "USD"), place("US-CA", "California", "Sales tax", "USD"),
              place("US-KS", "Kansas", "Sales tax", "USD"), place("MX", "Mexico", "VAT (IVA)", "MXN")]
    plan = accounts.plan(coa, [], wanted)
    assert sorted(p.name for p in plan if p.purpose.startswith("tax:")) == sorted([
        "Consumption tax (JCT) payable - Japan (JP)", "VAT payable - Italy (IT)", "VAT payable - Sweden (SE)",
        "VAT payable - Austria (AT)", "VAT payable - Poland (PL)", "Sales tax payable - Virginia (US-VA)",
        "Sales tax payable - California (US-CA)", "Sales tax payable - Kansas (US-KS)",
        "VAT (IVA) payable - Mexico (MX)"])


def test_a_payable_for_another_tax_of_the_place_hides_no_sales_tax_payable(write):
    """Germany's corporate income tax payable and Texas's state unemployment tax payable name their places beside
    the word "tax", and were taken for the VAT and sales-tax payables the check's findings need: none was
    proposed. A payable counts only when it names the finding's own tax (VAT, sales tax...), and a tax on income,
    payroll or wages is never a sales tax, so both payables are proposed after the sales-tax payables (Austria's,
    written as its Umsatzsteuer, is VAT and counts)."""
    coa = chart(write, """
        Number,Name,Type
        2100,Sales tax payable - California (US-CA),Current liability
        2150,Corporate income tax payable - Germany (DE),Current liability
        2160,State unemployment tax payable - Texas (US-TX),Current liability
        2170,Umsatzsteuer - Österreich (AT),Current liability
    """)
    wanted = [place("DE", "Germany"), place("US-TX", "Texas", "Sales tax", "USD"), place("AT", "Austria"),
              place("US-CA", "California", "Sales tax", "USD")]
    assert [(p.number, p.name) for p in accounts.plan(coa, [], wanted)] == [
        ("2180", "VAT payable - Germany (DE)"), ("2190", "Sales tax payable - Texas (US-TX)")]


def test_payables_for_the_place_are_recognised_by_code_parens_or_name(write):
    coa = chart(write, """
        Number,Name,Type,Currency
        2100,Sales tax payable (TX),Current liability,USD
        2110,JCT payable JP,Current liability,JPY
        2120,VAT payable - Italy,Current liability,EUR
        2130,Sales tax payable - California,Current liability,USD
        2140,GST/HST payable - Canada (CA),Current liability,CAD
        2150,Sales tax payable - West Virginia,Current liability,USD
    """)
    wanted = [place("US-TX", "Texas", "Sales tax", "USD"), place("JP", "Japan", "Consumption tax (JCT)", "JPY"),
              place("IT", "Italy"), place("US-CA", "California", "Sales tax", "USD"),
              place("CA", "Canada", "GST/HST", "CAD"), place("US-WV", "West Virginia", "Sales tax", "USD")]
    assert [p.name for p in accounts.plan(coa, [], wanted) if p.purpose.startswith("tax:")] == []


def test_a_state_code_that_is_a_country_s_too_is_read_by_the_name_beside_it(write):
    """"(IL)", "(PA)", "(GA)" and "(IN)" are Israel's, Panama's, Gabon's and India's codes as well as the states':
    the code in parentheses decided alone and was read as the country, so Illinois, Pennsylvania and Georgia got a
    second sales tax payable each. The name beside an ambiguous code decides ("India (IN)" stays India's). And
    "Washington DC" was read as Washington state, so Washington (US-WA) got none: it is the District of Columbia's."""
    coa = chart(write, """
        Number,Name,Type
        2100,Sales tax payable - Texas (TX),Current liability
        2110,Sales tax payable - Illinois (IL),Current liability
        2120,Sales tax payable - Pennsylvania (PA),Current liability
        2130,Sales tax payable - Washington DC,Current liability
        2140,Sales tax payable - Georgia (GA),Current liability
        2150,GST payable - India (IN),Current liability
    """)
    wanted = [place(code, name, "Sales tax", "USD") for code, name in (
        ("US-TX", "Texas"), ("US-IL", "Illinois"), ("US-PA", "Pennsylvania"), ("US-WA", "Washington"),
        ("US-DC", "District of Columbia"), ("US-GA", "Georgia"), ("US-IN", "Indiana"))] + [
        place("IN", "India", "IGST (OIDAR)", "INR")]
    assert [(p.number, p.name) for p in accounts.plan(coa, [], wanted)] == [
        ("2160", "Sales tax payable - Indiana (US-IN)"), ("2170", "Sales tax payable - Washington (US-WA)")]
    assert [for_place(coa[1], code, name) for code, name in (("IL", "Israel"), ("US-IL", "Illinois"))] == [
        False, True]


def test_a_japanese_or_korean_chart_s_payable_in_its_own_script_is_recognised(write):
    """仮受消費税 is Japan's JCT payable and 부가세예수금 Korea's VAT payable, with no English word or code; Taiwan's
    消費稅 and a prepaid 仮払消費税 (an asset) are neither."""
    coa = chart(write, """
        Number,Name,Type,Currency
        1150,仮払消費税,Other current asset,JPY
        2150,仮受消費税,Current liability,JPY
        2160,부가세예수금,Current liability,KRW
    """)
    wanted = [place("JP", "Japan", "Consumption tax (JCT)", "JPY"), place("KR", "South Korea", "VAT", "KRW")]
    assert [p.name for p in accounts.plan(coa, [], wanted) if p.purpose.startswith("tax:")] == []
    taiwan = chart(write, "Number,Name,Type,Currency\n2150,消費稅,Current liability,TWD\n")
    assert [p.name for p in accounts.plan(taiwan, [], wanted) if p.purpose.startswith("tax:")] == [
        "Consumption tax (JCT) payable - Japan (JP)", "VAT payable - South Korea (KR)"]


def test_a_japanese_or_chinese_chart_s_headers_and_type_words_are_read(write):
    """A Japanese export (コード, 勘定科目, 区分, 通貨) writes its types as 現金・預金 and 流動負債: they were kind
    "other", so its yen and dollar banks and its 仮受消費税 payable were not seen and were proposed again. The
    common type words of Japanese and Chinese charts are known: only the clearing accounts are missing."""
    coa = chart(write, """
        コード,勘定科目,区分,通貨
        1110,普通預金 三菱UFJ,現金・預金,JPY
        1120,普通預金 USD,現金・預金,USD
        1200,売掛金,売上債権,JPY
        2150,仮受消費税,流動負債,JPY
        3000,資本金,純資産,
        4000,主营业务收入,营业收入,
        6100,租税公課,販売費及び一般管理費,
        7100,受取利息,営業外収益,
        8100,支払利息,営業外費用,
    """)
    assert [a.kind for a in coa] == ["bank", "bank", "receivable", "current-liability", "equity", "income",
                                     "expense", "other-income", "other-expense"]
    japan = place("JP", "Japan", "Consumption tax (JCT)", "JPY")
    plan = accounts.make_plan(coa, ["JPY", "USD"], [japan], GENERIC, source="coa.csv")
    # one 為替差損益 for both sides, as a Japanese chart keeps it (below), not realized and unrealized apart
    assert sorted(p.purpose for p in plan.proposals) == ["clearing:JPY", "clearing:USD", "fx-realized", "rounding"]
    assert plan.notices == ()


def test_a_parent_column_headed_in_japanese_chinese_or_korean_is_read(write):
    """A Japanese chart's 親 (parent) column was not read: its accounts had no parent, and the new bank accounts
    went under none. 親, 上位科目 (Japanese), 上级科目 (Chinese) and 상위계정 (Korean) now read as the parent."""
    for header in ("親", "上位科目", "上级科目", "상위계정"):
        coa = chart(write, f"コード,勘定科目,区分,通貨,{header}\n1100,現金・預金,現金・預金,,\n"
                           f"1110,普通預金 みずほ,現金・預金,JPY,1100\n")
        assert [(a.number, a.parent) for a in coa] == [("1100", ""), ("1110", "1100")], header


def test_a_japanese_korean_or_chinese_chart_s_fx_gain_and_loss_in_its_own_script_is_recognised(write):
    """A Japanese company's chart keeps its exchange gains and losses in 為替差損益 (or 為替差益 and 為替差損): the
    plan did not see it and proposed "Realized FX gain/loss" beside it, a second account for the same postings.
    Korea's 외환차손익 (on settlement) and 외화환산손익 (translation at period end: the unrealized one) and
    China's 汇兑损益 are read the same way. 為替差損益 books the period-end translation too (外貨建取引等会計処理基準 一 2
    (2)): no "Unrealized FX gain/loss" beside it either (tests below); Korea's 외환차손익 is settlement only, so the
    unrealized one is still proposed beside it where the chart has no 외화환산손익."""
    japanese = chart(write, """
        コード,勘定科目,区分,通貨
        1110,普通預金 みずほ,現金・預金,JPY
        1120,普通預金 USD,現金・預金,USD
        7000,受取利息,営業外収益,
        7010,為替差損益,営業外収益,
        8000,支払利息,営業外費用,
    """)
    assert {p.purpose: (p.number, p.name) for p in accounts.plan(japanese, ["JPY", "USD"], [])
            if p.purpose.startswith("fx-")} == {}
    settlement_only = chart(write, "Number,Name,Type,Currency\n1000,Bank - KRW,Bank,KRW\n7010,외환차손익,Other income,\n")
    assert {p.purpose: (p.number, p.name) for p in accounts.plan(settlement_only, ["KRW", "USD"], [])
            if p.purpose.startswith("fx-")} == {"fx-unrealized": ("7020", "Unrealized FX gain/loss")}
    for name in ("為替差益", "為替差損", "汇兑损益", "匯兌損益", "외환차손익"):
        coa = chart(write, f"Number,Name,Type,Currency\n1000,Bank - JPY,Bank,JPY\n7010,{name},Other income,\n")
        assert "fx-realized" not in by_purpose(accounts.plan(coa, ["JPY", "USD"], [])), name
    korean = chart(write, """
        Number,Name,Type,Currency
        1000,보통예금,Bank,KRW
        7010,외환차손익,Other income,
        7020,외화환산손익,Other income,
    """)
    assert [p for p in by_purpose(accounts.plan(korean, ["KRW", "USD"], [])) if p.startswith("fx-")] == []
    only_translation = chart(write, "Number,Name,Type,Currency\n1000,Bank - KRW,Bank,KRW\n7020,외화환산이익,Other income,\n")
    assert [p for p in by_purpose(accounts.plan(only_translation, ["KRW", "USD"], [])) if p.startswith("fx-")] == [
        "fx-realized"]


@pytest.mark.parametrize("fx_accounts", [
    "7010,為替差損益,営業外収益,",
    "7010,為替差益,営業外収益,\n8010,為替差損,営業外費用,",
    "6603,财务费用,财务费用,,\n660301,汇兑损益,财务费用,,6603\n660302,手续费,财务费用,,6603",
    "7010,匯兌損益,營業外收入,",
    "7010,Foreign exchange gain/loss,Other income,",
    "7010,Exchange gains and losses,Other income,",
], ids=["japanese", "japanese-gain-and-loss", "chinese", "traditional-chinese", "english", "english-words"])
def test_one_fx_account_for_settlement_and_period_end_is_the_combined_one(write, fx_accounts):
    """A Japanese chart books the differences on settlement and the translation at the balance sheet date both to
    為替差損益 (外貨建取引等会計処理基準 一 3 and 一 2 (2): each 当期の為替差損益), a Chinese one to 6603 财务费用-汇兑损益
    (企业会计准则第19号 第十一条), an IFRS one to one "Foreign exchange gain/loss" (IAS 21.28). The plan read each as
    the realized account alone and proposed "Unrealized FX gain/loss" beside it (7020, 660304): a second account for
    postings the chart already makes. Now neither FX account is proposed; the rounding account still is."""
    coa = chart(write, f"Number,Name,Type,Currency,Parent\n1000,Bank - JPY,Bank,JPY,\n1010,Bank - USD,Bank,USD,\n"
                       f"{fx_accounts}\n8000,Bank charges,Other expense,,\n")
    proposed = [p for p in accounts.plan(coa, ["JPY", "USD"], []) if not p.purpose.startswith("clearing:")]
    assert [p.purpose for p in proposed] == ["rounding"]
    # named as the plan names it: 折算尾差 beside 汇兑损益 under the Chinese chart's 财务费用, else in English
    assert proposed[0].name == ("折算尾差" if "财务费用" in fx_accounts else "Currency rounding")
    assert accounts.missing_fx_accounts(coa, ["JPY", "USD"]) == [
        (proposed[0].name, "Conversions between currencies leave rounding differences, and so do minor units "
                           "(JPY no decimals).")]


@pytest.mark.parametrize("name", ["Exchange rate differences", "Foreign exchange differences", "FX differences"])
def test_an_fx_account_named_exchange_differences_is_the_chart_s_fx_account(write, name):
    """IAS 21.28 calls them exchange differences, and charts name the account so, with no gain or loss in it
    ("Exchange rate differences", "Foreign exchange differences"): the plan read such a chart as lacking FX accounts
    and proposed "Realized FX gain/loss" and "Unrealized FX gain/loss" beside it. Now it is the combined account, as
    "Foreign exchange gain/loss" is; the translation of foreign operations (equity, IAS 21.39) is not one."""
    coa = chart(write, f"Number,Name,Type,Currency,Parent\n1000,Bank - JPY,Bank,JPY,\n1010,Bank - USD,Bank,USD,\n"
                       f"7010,{name},Other income,,\n8000,Bank charges,Other expense,,\n")
    proposed = [p.purpose for p in accounts.plan(coa, ["JPY", "USD"], []) if not p.purpose.startswith("clearing:")]
    assert proposed == ["rounding"]
    equity = chart(write, "Number,Name,Type,Currency,Parent\n1000,Bank - JPY,Bank,JPY,\n1010,Bank - USD,Bank,USD,\n"
                          "3200,Exchange differences on translation of foreign operations,Equity,,\n")
    assert {"fx-realized", "fx-unrealized"} <= {p.purpose for p in accounts.plan(equity, ["JPY", "USD"], [])}


def test_a_chart_with_an_unrealized_fx_account_reads_its_other_fx_account_as_the_realized_one(write):
    """Where the chart keeps an unrealized account beside 為替差損益 or "Foreign exchange gain/loss", that one is the
    realized account, as before: nothing proposed. A chart with an account named for the realized side only
    ("Realized FX gain/loss", the sample's 7010) still gets the unrealized one, after it: 7020."""
    both = chart(write, "Number,Name,Type,Currency\n1000,Bank - JPY,Bank,JPY\n7010,為替差損益,営業外収益,\n"
                        "7020,Unrealized FX gain/loss,Other income,\n")
    assert [p.purpose for p in accounts.plan(both, ["JPY", "USD"], []) if p.purpose.startswith("fx-")] == []
    realized = chart(write, "Number,Name,Type,Currency\n1000,Bank - JPY,Bank,JPY\n7010,Realized FX gain/loss,"
                            "Other income,\n")
    assert {p.purpose: p.number for p in accounts.plan(realized, ["JPY", "USD"], [])
            if p.purpose.startswith("fx-")} == {"fx-unrealized": "7020"}


@pytest.mark.parametrize("accrued_expenses", ["Accrued expenses", "未払費用", "미지급비용", "预提费用", "應計費用"])
def test_the_first_accrued_exposure_goes_after_the_accrued_expenses_in_any_script(write, accrued_expenses):
    """The first accrued exposure goes after the chart's accrued expenses (2200, step 10: 2210). A Japanese
    chart's 未払費用 (accrued expenses) was not seen as one: Japan's accrued JCT exposure went after the last
    current liability, 2300 預り金, at 2350, away from the accruals. Korean 미지급비용 and Chinese 预提费用 /
    應計費用 likewise."""
    coa = chart(write, f"""
        コード,勘定科目,区分,通貨
        1110,普通預金 みずほ,現金・預金,JPY
        2150,仮受消費税,流動負債,JPY
        2200,{accrued_expenses},流動負債,
        2300,預り金,流動負債,JPY
    """)
    japan = place("JP", "Japan", "Consumption tax (JCT)", "JPY", True)
    assert [(p.number, p.name) for p in accounts.plan(coa, ["JPY"], [japan]) if p.purpose.startswith("accrued:")] == [
        ("2210", "Accrued consumption tax (JCT) exposure - Japan (JP)")]


def test_accounts_of_a_type_nexus_does_not_know_are_named_not_passed_over_silently(write):
    """A type nexus does not know made the account kind "other" without a word: a bank typed "Kasse" is no bank to
    the plan, which proposes a EUR bank beside it. The plan's notices name each such row, with its line and type."""
    coa = chart(write, """
        Number,Name,Type,Currency
        1000,Bank - USD,Bank,USD
        1010,Bank - EUR,Kasse,EUR
        1020,Petty cash,,USD
    """)
    plan = accounts.make_plan(coa, ["USD", "EUR"], [], source="coa.csv")
    assert "bank:EUR" in {p.purpose for p in plan.proposals}
    assert plan.notices == (
        "coa.csv: 2 accounts of a type nexus does not know, counted as no bank, clearing, receivable or payable "
        "(one the chart has may be proposed again): line 3 (1010 Bank - EUR: 'Kasse'), line 4 (1020 Petty cash: "
        "'no type')",)


def test_a_parent_the_chart_does_not_hold_is_named_not_passed_over_silently(write):
    """A parent written 'Cash and bnak' (or a number the export left out) matched no account: the banks were read as
    top-level accounts without a word, and the new banks went under no parent (NetSuite, QuickBooks) or under
    ERPNext's standard Bank Accounts group instead of their siblings' header. The plan's notices name each row."""
    coa = chart(write, """
        Number,Name,Type,Currency,Parent
        1000,Cash and bank,Bank,,
        1010,Bank - USD,Bank,USD,Cash and bnak
        1020,Bank - EUR,Bank,EUR,9999
        1030,Bank - JPY,Bank,JPY,Cash and bank
    """)
    plan = accounts.make_plan(coa, ["USD", "EUR", "JPY"], [], source="coa.csv")
    assert plan.notices == (
        "coa.csv: 2 accounts under a parent that is no account of the chart, read as accounts with no parent (new "
        "accounts beside them go under none either): line 3 (1010 Bank - USD: parent 'Cash and bnak'), line 4 "
        "(1020 Bank - EUR: parent '9999')",)


def test_a_formula_saved_without_its_value_is_named_not_read_as_empty(tmp_path):
    """A chart written by a program (openpyxl) with formulas Excel never saved values for: the currency formula read
    as an empty cell, so the EUR bank was an account in no currency and a EUR bank was proposed beside it; the name
    formula was said to be 'empty'. Each now stops naming the cell and its formula, as the orders reader does."""
    from openpyxl import Workbook

    for row, column, formula in ((["1020", "Bank - EUR", "Bank", '=UPPER("eur")'], "currency", '=UPPER("eur")'),
                                 (["1020", '="Bank - "&"EUR"', "Bank", "EUR"], "name", '="Bank - "&"EUR"')):
        book = Workbook()
        book.active.append(["Number", "Name", "Type", "Currency"])
        book.active.append(["1010", "Bank - USD", "Bank", "USD"])
        book.active.append(row)
        path = tmp_path / "coa.xlsx"
        book.save(path)
        with pytest.raises(InputError) as caught:
            read_chart(str(path))
        assert str(caught.value) == (f"{path}:3: column {column!r} value {formula!r}: holds a formula without a saved "
                                     f"value: open the file in Excel and save it (Excel saves the values), or export "
                                     f"values only")


def test_payables_carry_the_tax_currency_where_the_ledger_can_hold_it(write):
    coa = chart(write, "Number,Name,Type,Currency\n2100,Sales tax payable - California (US-CA),Current liability,"
                       "USD\n")
    jp = [place("JP", "Japan", "Consumption tax (JCT)", "JPY")]
    assert [(p.number, p.name, p.currency) for p in accounts.plan(coa, [], jp)] == [
        ("2110", "Consumption tax (JCT) payable - Japan (JP)", "JPY")]
    no_currency = Ledger("x", currency_kinds=frozenset({"bank"}))
    assert [p.currency for p in accounts.plan(coa, [], jp, no_currency)] == [""]


# ---- issue 14 item 2: the tax's own name, from the check JSON

def test_jurisdictions_from_a_check_use_each_rule_s_tax_and_currency():
    document = {"findings": [
        {"jurisdiction": "NL", "name": "Netherlands", "tax": "VAT", "currency": "EUR", "status": "exceeded"},
        {"jurisdiction": "CA", "name": "Canada", "tax": "GST/HST", "currency": "CAD", "status": "exceeded"},
        {"jurisdiction": "JP", "name": "Japan", "tax": "consumption tax (JCT)", "currency": "JPY",
         "status": "below", "presence_verdict": "creates"},
        {"jurisdiction": "DE", "name": "Germany", "tax": "VAT", "currency": "EUR", "status": "established"},
        {"jurisdiction": "US-TX", "name": "Texas", "tax": "sales tax", "currency": "USD", "status": "approaching",
         "nexus": "presence"},
        {"jurisdiction": "US-CA", "name": "California", "tax": "sales tax", "currency": "USD", "status": "exceeded",
         "nexus": None},
        {"jurisdiction": "AU", "name": "Australia", "tax": "GST", "currency": "AUD", "status": "below"},
        {"jurisdiction": "IT", "status": "below", "presence_verdict": "creates", "tax": None, "currency": ""},
        {"jurisdiction": "PL", "status": "below", "presence_verdict": "creates", "tax": None, "currency": ""},
    ]}
    found = {j.code: (j.tax, j.currency, j.accrue) for j in jurisdictions_from_check(document)}
    assert found == {"NL": ("VAT", "EUR", True), "CA": ("GST/HST", "CAD", True),
                     "JP": ("Consumption tax (JCT)", "JPY", True), "DE": ("VAT", "EUR", False),
                     "US-TX": ("Sales tax", "USD", True), "IT": ("VAT", "EUR", True), "PL": ("VAT", "PLN", True)}
    coa = chart_of([])
    names = {p.name for p in accounts.plan(coa, [], jurisdictions_from_check(document))}
    assert {"VAT payable - Netherlands (NL)", "GST/HST payable - Canada (CA)",
            "Consumption tax (JCT) payable - Japan (JP)", "VAT payable - Germany (DE)",
            "Sales tax payable - Texas (US-TX)", "VAT payable - Italy (IT)",
            "Accrued sales tax exposure - Texas (US-TX)", "Accrued VAT exposure - Netherlands (NL)",
            "Accrued consumption tax (JCT) exposure - Japan (JP)", "Accrued GST/HST exposure - Canada (CA)",
            "Tax exposure expense", "Tax interest and penalties"} <= names
    assert "Accrued VAT exposure - Germany (DE)" not in names  # the home country is not an exposure


def test_a_member_states_payable_is_in_the_currency_it_uses_now_not_a_withdrawn_one():
    """Croatia and Bulgaria own rules ended in 2021, in kuna and lev; their VAT is owed in euro now."""
    document = {"findings": [
        {"jurisdiction": code, "status": "below", "presence_verdict": "creates", "tax": None, "currency": ""}
        for code in ("HR", "BG")]}
    found = {j.code: (j.tax, j.currency) for j in jurisdictions_from_check(document)}
    assert found == {"HR": ("VAT", "EUR"), "BG": ("VAT", "EUR")}
    payables = {p.name: p.currency for p in accounts.plan(chart_of([]), [], jurisdictions_from_check(document))
                if p.purpose.startswith("tax:")}
    assert payables == {"VAT payable - Croatia (HR)": "EUR", "VAT payable - Bulgaria (BG)": "EUR"}


def test_a_places_second_tax_gets_its_own_payable_beside_the_first():
    """Malaysia's service tax payable is in the chart; its sales tax on low-value goods is another liability."""
    document = {"findings": [
        {"jurisdiction": "MY", "name": "Malaysia", "tax": tax, "currency": "MYR", "nexus": "economic"}
        for tax in ("service tax", "sales tax")]}
    coa = chart_of([("2100", "Service tax payable - Malaysia (MY)", "Current liability", "MYR")])
    found = accounts.plan(coa, [], jurisdictions_from_check(document))
    assert [p.name for p in found if p.kind == "current-liability"] == [
        "Sales tax payable - Malaysia (MY)", "Accrued service tax exposure - Malaysia (MY)",
        "Accrued sales tax exposure - Malaysia (MY)"]


def chart_of(rows):
    return [Account(n, name, t, c, "", kind_of(t), i + 2) for i, (n, name, t, c) in
            enumerate([("1000", "Bank - USD", "Bank", "USD"), ("2000", "Accounts payable", "Payable", "USD"),
                       ("6000", "Rent", "Expense", ""), ("8000", "Bank charges", "Other expense", "")] + rows)]


# ---- DECISIONS "Accounts": what the accrual needs, apart from the payables

def test_every_new_account_of_a_group_goes_under_the_same_parent(write):
    """With no accrued exposure yet, the first goes beside the accrued expenses, under their header: so do the rest."""
    coa = chart(write, """
        Number,Name,Type,Currency,Parent
        2000,Current liabilities,Header,,
        2100,Sales tax payable - California (US-CA),Current liability,USD,2000
        2200,Accrued expenses,Current liability,,2000
        6000,Payment processing fees,Expense,,
        8000,Bank charges,Other expense,,
    """)
    plan = accounts.plan(coa, [], [place(code, name, "Sales tax", "USD", accrue=True)
                                   for code, name in (("US-CA", "California"), ("US-NY", "New York"),
                                                      ("US-TX", "Texas"))])
    accrued = [(p.number, p.parent, p.parents) for p in plan if p.purpose.startswith("accrued:")]
    assert accrued == [(n, "2000", (("2000", "Current liabilities"),)) for n in ("2210", "2220", "2230")]


def test_accrual_accounts_are_kept_apart_from_the_payables(write):
    coa = chart(write, """
        Number,Name,Type,Currency
        2100,Sales tax payable - California (US-CA),Current liability,USD
        2200,Accrued expenses,Current liability,
        6000,Payment processing fees,Expense,
        6100,Hosting,Expense,
        8000,Bank charges,Other expense,
    """)
    plan = accounts.plan(coa, [], [place("US-TX", "Texas", "Sales tax", "USD", accrue=True),
                                   place("US-CA", "California", "Sales tax", "USD", accrue=True)])
    assert [(p.number, p.name) for p in plan] == [
        ("2110", "Sales tax payable - Texas (US-TX)"),
        ("2210", "Accrued sales tax exposure - California (US-CA)"),
        ("2220", "Accrued sales tax exposure - Texas (US-TX)"),
        ("6200", "Tax exposure expense"),
        ("8010", "Tax interest and penalties")]


def test_running_again_on_an_updated_chart_proposes_nothing(write):
    coa = chart(write, (SAMPLES / "chart-of-accounts.csv").read_text())
    wanted = [place("US-TX", "Texas", "Sales tax", "USD", True), place("DE", "Germany", accrue=True),
              place("JP", "Japan", "Consumption tax (JCT)", "JPY", True)]
    ledger = Ledger("erpnext", receivables_per_currency=True)
    first = accounts.plan(coa, ["USD", "KRW", "BHD"], wanted, ledger)
    assert len({p.number for p in first}) == len(first) and len({p.name for p in first}) == len(first)
    updated = list(coa) + [Account(p.number, p.name, p.kind, p.currency, p.parent, p.kind, 0) for p in first]
    assert accounts.plan(updated, ["USD", "KRW", "BHD"], wanted, ledger) == []


def test_receivables_per_currency_only_where_the_ledger_keeps_them(write):
    coa = chart(write, "Number,Name,Type,Currency\n1000,Bank - USD,Bank,USD\n1010,Bank - EUR,Bank,EUR\n"
                       "1100,Debtors,Receivable,USD\n")
    assert by_purpose(accounts.plan(coa, ["JPY"], [], Ledger("erpnext", receivables_per_currency=True)))[
        "receivable:JPY"] == "1110"
    assert "receivable:JPY" not in by_purpose(accounts.plan(coa, ["JPY"], []))


def test_system_accounts_a_ledger_creates_itself_are_not_proposed(write):
    coa = chart(write, "Number,Name,Type,Currency\n1000,Bank - USD,Bank,USD\n8000,Bank charges,Other expense,\n")
    xero_like = Ledger("xero", creates_itself=frozenset({"fx-realized", "fx-unrealized", "rounding"}))
    assert sorted(by_purpose(accounts.plan(coa, ["EUR"], [], xero_like))) == ["bank:EUR", "clearing:EUR"]
    assert sorted(by_purpose(accounts.plan(coa, ["EUR"], []))) == [
        "bank:EUR", "clearing:EUR", "fx-realized", "fx-unrealized", "rounding"]


def test_rounding_and_unrealized_fx_are_named_so_not_merely_containing_the_words(write):
    """"Background checks" holds "round" and "Unrealized gain on investments" is unrealized but not on currencies:
    they were taken for the chart's rounding and unrealized FX accounts, and neither was proposed for a second
    currency. "round" must be a word of its own, and an unrealized account must name FX, exchange or currency;
    the new accounts go after 7010 Realized FX gain/loss and after 8000 Bank charges, the other expenses."""
    coa = chart(write, """
        Number,Name,Type,Currency
        1010,Bank - USD,Bank,USD
        1020,Bank - EUR,Bank,EUR
        1200,Stripe clearing - USD,Current asset,USD
        1210,Stripe clearing - EUR,Current asset,EUR
        6100,Background checks,Expense,
        6200,Unrealized gain on investments,Other income,
        7010,Realized FX gain/loss,Other income,
        8000,Bank charges,Other expense,
    """)
    assert [(p.number, p.name) for p in accounts.plan(coa, ["USD", "EUR"], [])] == [
        ("7020", "Unrealized FX gain/loss"), ("8010", "Currency rounding")]
    named = chart(write, """
        Number,Name,Type,Currency
        1010,Bank - USD,Bank,USD
        1020,Bank - EUR,Bank,EUR
        1200,Stripe clearing - USD,Current asset,USD
        1210,Stripe clearing - EUR,Current asset,EUR
        7010,Exchange Gain/Loss,Other income,
        7020,Unrealised foreign exchange gains,Other income,
        8000,Round Off,Other expense,
    """, "named.csv")
    assert accounts.plan(named, ["USD", "EUR"], []) == []


NETSUITE_INACTIVE = """
    Internal ID,Number,Name,Account Type,Currency,Inactive,Subaccount of
    1,1000,Cash and bank,Bank,USD,No,
    2,1010,Bank - USD,Bank,USD,No,1000 Cash and bank
    3,1020,Bank - GBP (closed 2019),Bank,GBP,Yes,1000 Cash and bank
    4,1100,Stripe clearing - USD,Other Current Asset,USD,No,
    5,1110,Stripe clearing - GBP,Other Current Asset,GBP,No,
    6,2100,Sales tax payable - Texas (US-TX),Other Current Liability,USD,No,
    7,2200,Accrued sales tax exposure - Texas (US-TX),Other Current Liability,USD,Yes,
    8,6200,Tax exposure expense,Expense,USD,Yes,
    9,6300,Tax exposure expense (new),Expense,USD,No,
    10,7000,Realized FX gain/loss,Other Income,,No,
    11,7010,Unrealized FX gain/loss,Other Income,,No,
    12,8000,Currency rounding,Other Expense,USD,No,
    13,8010,Tax interest and penalties,Other Expense,USD,No,
"""


def test_an_inactive_account_keeps_its_number_but_is_not_the_account_the_chart_has(write):
    """NetSuite's Inactive=Yes accounts were taken as live: the closed GBP bank stood for the GBP bank the store
    needs, and the inactive accrued exposure for Texas's. Neither is the account the chart has now, so both are
    proposed; their numbers stay taken, so the new bank goes after 1020 (1030) and the accrual after 2200 (2210).
    The live "Tax exposure expense (new)" is the expense, not the inactive one."""
    coa = chart(write, NETSUITE_INACTIVE)
    assert [a.number for a in coa if a.inactive] == ["1020", "2200", "6200"]
    texas = place("US-TX", "Texas", "Sales tax", "USD", accrue=True)
    assert [(p.number, p.name) for p in accounts.plan(coa, ["USD", "GBP"], [texas])] == [
        ("1030", "Bank - GBP"), ("2210", "Accrued sales tax exposure - Texas (US-TX)")]
    assert accounts.missing_for_currency(coa, "GBP") == ["Bank - GBP"]


@pytest.mark.parametrize("header, closed, live", [("Active", "No", "Yes"), ("Disabled", "1", "0"),
                                                  ("Archived", "true", "false"), ("Status", "ARCHIVED", "ACTIVE")])
def test_every_ledger_s_way_of_closing_an_account_is_read(write, header, closed, live):
    """NetSuite's Inactive, Active=No, ERPNext's Disabled=1, an Archived flag and Xero's Status ARCHIVED all close
    an account; a value that says neither is an error naming the cell."""
    coa = chart(write, f"Number,Name,Type,{header}\n1010,Bank - USD,Bank,{live}\n1020,Bank - GBP,Bank,{closed}\n")
    assert [a.inactive for a in coa] == [False, True]
    with pytest.raises(InputError, match=f"coa.csv:2: column '{header}' value 'maybe'"):
        chart(write, f"Number,Name,Type,{header}\n1010,Bank - USD,Bank,maybe\n")


def test_missing_accounts_per_currency_in_one_pass(write):
    coa = chart(write, """
        Number,Name,Type,Currency
        1010,Bank - USD,Bank,USD
        1200,Shopify clearing - USD,Current asset,USD
        1020,Bank - EUR,Bank,EUR
    """)
    assert accounts.missing_accounts(coa, ["USD", "EUR", "JPY"]) == {
        "USD": [], "EUR": [("clearing", "Provider clearing - EUR")],
        "JPY": [("bank", "Bank - JPY"), ("clearing", "Provider clearing - JPY")]}


@pytest.mark.parametrize("text, problem", [
    ("Number,Name\n1000,Bank\n", "missing column\\(s\\) type"),
    ("Number,Name,Type\n1000,Bank,Bank\n1000,Cash,Bank\n", "is used twice \\(also on line 2\\)"),
    ("Number,Name,Type\n,Bank,Bank\n", "column 'number' value '': is empty"),
    # an unquoted comma in a name moved the type and currency one column on: read as "Bank" of type " EUR"
    ("Number,Name,Type,Currency\n1010,Bank - USD,Bank,USD\n1020,Bank, EUR,Bank,EUR\n",
     "coa.csv:3: has 5 fields where the header has 4"),
    # the same comma on a row whose last field (the parent) is empty: the extra field is empty too, and the error
    # said only that 'Bank' is no currency, which sent the accountant to the currency column
    ("Number,Name,Type,Currency,Parent\n1010,Bank - USD,Bank,USD,\n1020,Bank, EUR,Bank,EUR,\n",
     "coa.csv:3: column 'currency' value 'Bank': is not an ISO 4217 currency code: .* \\(the line has 6 fields where "
     "the header has 5: an unquoted comma in a name\\?\\)"),
])
def test_bad_charts(write, text, problem):
    with pytest.raises((InputError, MissingColumns), match=problem):
        read_chart(write("coa.csv", text))


# ---- the sample chart with the sample check: the plan an accountant would write (docs/accounts.md explains each)

SAMPLE_PLAN = {
    # currency banks after 1030, step 10, under 1000 Cash and bank; 1000-1099 is then full: SGD opens 1500-1599
    "bank:GBP": "1040", "bank:CAD": "1050", "bank:AUD": "1060", "bank:KRW": "1070", "bank:BHD": "1080",
    "bank:XCG": "1090", "bank:SGD": "1510",
    # clearing accounts after 1210 Stripe clearing; 1200-1299 full after XCG: SGD opens the next empty block, 1600
    "clearing:EUR": "1220", "clearing:GBP": "1230", "clearing:JPY": "1240", "clearing:CAD": "1250",
    "clearing:AUD": "1260", "clearing:KRW": "1270", "clearing:BHD": "1280", "clearing:XCG": "1290",
    "clearing:SGD": "1600",
    # 7010 Realized FX gain/loss exists: unrealized goes beside it; rounding and penalties after 8000 Bank charges
    "fx-unrealized": "7020", "rounding": "8010", "tax-penalties": "8020",
    # tax payables after 2110, in order of code, 2120-2190; then 2300-2399 and 2400-2499 (2200 holds accruals)
    "tax:DE": "2120", "tax:EU": "2130", "tax:FR": "2140", "tax:GB": "2150", "tax:JP": "2160", "tax:KR": "2170",
    "tax:NL": "2180", "tax:US-FL": "2190", "tax:US-GA": "2300", "tax:US-IL": "2310", "tax:US-MD": "2320",
    "tax:US-MI": "2330", "tax:US-MN": "2340", "tax:US-NC": "2350", "tax:US-NJ": "2360", "tax:US-NY": "2370",
    "tax:US-OH": "2380", "tax:US-PA": "2390", "tax:US-TN": "2400", "tax:US-TX": "2410",
    # accrued exposure after 2200 Accrued expenses (at offset 10 under it); then the closest empty blocks 2500 and
    # 2600 (2300 and 2400 now hold payables), at the same offset 10
    "accrued:DE": "2210", "accrued:EU": "2220", "accrued:FR": "2230", "accrued:GB": "2240", "accrued:JP": "2250",
    "accrued:KR": "2260", "accrued:NL": "2270", "accrued:US-FL": "2280", "accrued:US-GA": "2290",
    "accrued:US-IL": "2510", "accrued:US-MD": "2520", "accrued:US-MI": "2530", "accrued:US-MN": "2540",
    "accrued:US-NC": "2550", "accrued:US-NJ": "2560", "accrued:US-NY": "2570", "accrued:US-OH": "2580",
    "accrued:US-PA": "2590", "accrued:US-TN": "2610", "accrued:US-TX": "2620", "accrued:US-WA": "2630",
    # after 6000 and 6100, at the expenses' step of 100
    "tax-exposure": "6200",
}


@pytest.fixture(scope="module")
def sample_check(presence_check_json):
    """The sample's check with its presence file, as JSON: the same command's run as test_cli_accounts.py's and
    test_cli_check.py's (conftest.presence_check_json, made once per test run)."""
    return json.loads(presence_check_json.read_text(encoding="utf-8"))


def test_an_xlsx_chart_keeps_account_numbers_as_excel_shows_them(tmp_path):
    """Account 0100 typed in Excel as a number formatted "0000" was read as 100, and sub-account 4000.10 (a number
    formatted "0.00") as 4000.1, beside 4000.1 itself: numbers formatted to pad or fix their places are read as
    shown; a number in Excel's General format as Excel shows it too."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in (["Number", "Name", "Type", "Parent"], [100, "Cash", "Bank", None], [4000, "Sales", "Income", None],
                [4000.1, "Sales - goods", "Income", 4000], [4000.2, "Sales - digital", "Income", 4000],
                [1200.0, "Receivables", "Receivable", None]):
        sheet.append(row)
    sheet["A2"].number_format = "0000"
    sheet["A4"].number_format = "0.00"
    path = tmp_path / "chart.xlsx"
    book.save(path)
    chart = read_chart(str(path))
    assert [(a.number, a.parent) for a in chart] == [("0100", ""), ("4000", ""), ("4000.10", "4000"),
                                                    ("4000.2", "4000"), ("1200", "")]


@pytest.mark.parametrize("number_format, sub, shown", [("0.00", 4000.1, ["4000.00", "4000.10"]),
                                                       ("00000", 4001, ["04000", "04001"])])
def test_an_xlsx_chart_s_parents_are_found_whatever_the_number_column_s_format(tmp_path, number_format, sub, shown):
    """The whole Number column formatted "0.00" (to show sub-account 4000.10) shows 4000 as 4000.00, and a Parent
    column left in General shows it as 4000: the parent was not found, and Sales was not marked a header (so an
    account to post to). A parent written as the same number as one account, and as no account's text, is it."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in (["Number", "Name", "Type", "Parent"], [4000, "Sales", "Income", None],
                [sub, "Sales - goods", "Income", 4000]):
        sheet.append(row)
    for row in (2, 3):
        sheet.cell(row, 1).number_format = number_format
    path = tmp_path / "chart.xlsx"
    book.save(path)
    chart = read_chart(str(path))
    assert [(a.number, a.parent, a.group) for a in chart] == [(shown[0], "", True), (shown[1], shown[0], False)]


def test_an_xlsx_number_column_formatted_0_00_with_whole_numbers_only_reads_plain_numbers(tmp_path):
    """Excel's "0.00" number format on a column of whole numbers shows 1010.00, 1020.00...: read as shown, they
    looked like sub-accounts, and the plan proposed "1010.01 Bank - JPY" under them, and a parent of 1000 was
    1000.00. Where every number is whole, they are the plain numbers 1010, 1020: the JPY bank is 1030."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in (["Number", "Name", "Type", "Currency", "Parent"], [1000, "Cash and bank", "Bank", None, None],
                [1010, "Bank - USD", "Bank", "USD", 1000], [1020, "Bank - EUR", "Bank", "EUR", 1000]):
        sheet.append(row)
    for row in (2, 3, 4):
        sheet.cell(row, 1).number_format = "0.00"
    path = tmp_path / "chart.xlsx"
    book.save(path)
    chart = read_chart(str(path))
    assert [(a.number, a.parent) for a in chart] == [("1000", ""), ("1010", "1000"), ("1020", "1000")]
    assert [(p.number, p.name, p.parent) for p in accounts.plan(chart, ["JPY"], []) if p.kind == "bank"] == [
        ("1030", "Bank - JPY", "1000")]


def test_the_sample_chart_s_plan(sample_check):
    coa = read_chart(str(SAMPLES / "chart-of-accounts.csv"))
    codes = [c.strip().upper() for c in (SAMPLES / "provider-currencies-2026-q4.txt").read_text().splitlines()
             if c.strip() and not c.startswith("#") and c.strip().upper() != "HRK"]  # HRK: withdrawn
    plan = accounts.plan(coa, codes, jurisdictions_from_check(sample_check))
    assert by_purpose(plan) == SAMPLE_PLAN
    assert [p.number for p in plan] == sorted(SAMPLE_PLAN.values(), key=int)
    banks = [p for p in plan if p.kind == "bank"]
    assert {p.parent for p in banks} == {"1000"} and banks[0].parents == (("1000", "Cash and bank"),)
    names = {p.purpose: p.name for p in plan}
    assert names["tax:JP"] == "Consumption tax (JCT) payable - Japan (JP)"
    assert names["tax:NL"] == "VAT payable - Netherlands (NL)"
    assert names["accrued:US-TX"] == "Accrued sales tax exposure - Texas (US-TX)"
    assert {p.purpose: p.currency for p in plan if p.purpose.startswith("tax:")}["tax:JP"] == "JPY"
    assert next(p for p in plan if p.number == "1510").numbering == (
        "block 1000-1099 is full at step 10: the closest empty block in 1000-1999, 1500-1599, at offset 10")


EARLIER_WINDOW = {"scenarios": {"base": {"from": "2024-04-30", "to": "2025-12-31", "total": "94.50"}}}


@pytest.mark.parametrize("action, gap, exposure, accrue", [
    ("registered", None, None, False),
    ("registered", {"from": "2025-07-29", "to": "2025-09-25", "days": 59}, None, True),
    ("register-now", None, None, True),
    # A permit taken out after an earlier window had ended (North Carolina, SD-24-1): registered and collecting now,
    # the earlier window's tax still estimated, and credited by the accrual journal to the accrued liability.
    ("registered", None, EARLIER_WINDOW, True),
    ("registered", None, {"scenarios": {"base": {"total": "0.00"}}}, False)])
def test_a_place_registered_and_collecting_since_tax_was_due_gets_no_accrual(action, gap, exposure, accrue):
    """As the check JSON writes it (action, gap, exposure): a late registration still owes its gap's tax, a late
    permit its earlier window's; one collecting from the first day owes nothing to accrue. The plan once read fields
    the check never writes."""
    finding = {"jurisdiction": "US-TX", "name": "Texas", "status": "exceeded", "nexus": "economic",
               "tax": "sales tax", "currency": "USD", "action": action, "gap": gap, "exposure": exposure}
    [texas] = jurisdictions_from_check({"findings": [finding]})
    assert texas.accrue is accrue


def test_accounts_plan_says_which_rows_of_the_chart_it_did_not_understand(write, tmp_path):
    """The plan's notices reach the screen (stderr), not only the library: in lines of the terminal's width, as the
    review's and the check's warnings are (a notice of 180 columns ran on one line, which the terminal broke
    mid-word)."""
    coa = write("coa.csv", "Number,Name,Type,Currency\n1000,Bank - USD,Bank,USD\n1010,Bank - EUR,Kasse,EUR\n")
    currencies = write("currencies.txt", "USD\nEUR\n")
    result = CliRunner().invoke(cli, ["accounts", "plan", "--coa", coa, "--currencies", currencies, "--workbook",
                                      str(tmp_path / "plan.xlsx"), "--db", str(tmp_path / "store.sqlite3")])
    assert result.exit_code == 0, result.output
    said = " ".join(line.strip() for line in result.stderr.splitlines())
    assert said.startswith("Warning: " + coa + ": 1 account of a type nexus does not know")
    assert said.endswith("line 3 (1010 Bank - EUR: 'Kasse')")
    assert max(len(line) for line in result.stderr.splitlines()) <= 100  # the width of a screen that is no terminal


@pytest.mark.parametrize("name", ["Caisse d'épargne", "Sparkasse München", "Banco Pichincha Quito - Cuenta Única"])
def test_a_chart_in_a_western_encoding_keeps_its_names(tmp_path, name):
    """A French or German ledger exports in Windows-1252: é and ü stand alone among ASCII letters, which a
    two-byte Asian encoding would also read (as 駱 or 黱, with the letter after as its second byte). No two
    bytes above ASCII side by side is no two-byte text: the names are kept as written."""
    path = tmp_path / "coa.csv"
    path.write_bytes(f"Number,Name,Type,Currency\n1010,{name},Bank,EUR\n".encode("cp1252"))
    assert [a.name for a in read_chart(str(path))] == [name]


def test_an_account_without_a_name_is_an_error_naming_the_cell(write):
    """Every import file and the journal name the account: a blank name would be written as one (Xero and QuickBooks
    refuse it, and a proposal's parent would print as a bare number)."""
    path = write("coa.csv", "Number,Name,Type,Currency\n1010,Bank - USD,Bank,USD\n1020,  ,Bank,EUR\n")
    with pytest.raises(InputError) as found:
        read_chart(path)
    assert str(found.value) == f"{path}:3: column 'name' value '': is empty: every account needs its name"


def test_a_currency_that_is_no_iso_code_is_an_error_naming_the_cell(write):
    """'Euros' on the EUR bank made it no EUR bank: the plan proposed a second 'Bank - EUR' (Xero then refused the
    file for a name used twice). A code ISO 4217 never had is an error naming the cell; a withdrawn one is read, and
    so is a current currency's ISO name ('US Dollar')."""
    path = write("coa.csv", "Number,Name,Type,Currency\n1010,Bank - HRK (closed),Bank,HRK\n1020,Bank - EUR,Bank,Euros\n")
    with pytest.raises(InputError) as found:
        read_chart(path)
    assert str(found.value) == (f"{path}:3: column 'currency' value 'Euros': is not an ISO 4217 currency code: write "
                                f"the account's currency as its three-letter code (EUR, USD, JPY)")
    named = write("named.csv", "Number,Name,Type,Currency\n1010,Bank - USD,Bank,US Dollar\n1020,Bank - EUR,Bank,EURO\n")
    assert [a.currency for a in read_chart(named)] == ["USD", "EUR"]  # ISO's names, as some ledgers export


def test_the_rounding_account_s_reason_names_the_list_s_own_odd_minor_units(write):
    """The reason is written into the ledger (NetSuite's Description, the generic file, the workbook): it named JPY
    and BHD for a company selling in USD, EUR and GBP, which has neither. It names the list's own currencies whose
    minor unit is not two, or none."""
    coa = chart(write, "Number,Name,Type,Currency\n1010,Bank - USD,Bank,USD\n")
    reason = {p.purpose: p.reason for p in accounts.plan(coa, ["USD", "EUR", "GBP"], [])}["rounding"]
    assert reason == "Conversions between currencies leave rounding differences."
    reason = {p.purpose: p.reason for p in accounts.plan(coa, ["USD", "JPY", "KWD", "CLF"], [])}["rounding"]
    assert reason == ("Conversions between currencies leave rounding differences, and so do minor units (JPY no "
                      "decimals, KWD 3 decimals, CLF 4 decimals).")


def test_a_home_whose_tax_the_check_estimates_gets_an_accrued_liability_as_the_journal_credits():
    """Before: 'nexus accounts plan --nexus' on a 'nexus check --home JP' result proposed 'Consumption tax (JCT)
    payable - Japan (JP)' and no accrued liability, though the check estimates JPY 2,962,486 not collected at home
    (registration past due) and 'nexus accounts journal' credits it to 'Accrued consumption tax (JCT) exposure -
    Japan (JP)'. A home with no estimate (California's permit, the test not met) gets the payable alone."""
    estimated = {"jurisdiction": "JP", "name": "Japan", "tax": "consumption tax (JCT)", "currency": "JPY",
                 "status": "established", "nexus": "establishment", "action": "register-now", "gap": None,
                 "exposure": {"currency": "JPY", "uncollected": {"central": "2962486"}}}
    quiet = {"jurisdiction": "US-CA", "name": "California", "tax": "sales tax", "currency": "USD",
             "status": "established", "nexus": "establishment", "action": None, "gap": None, "exposure": None}
    found = {j.code: j.accrue for j in jurisdictions_from_check({"findings": [estimated, quiet]})}
    assert found == {"JP": True, "US-CA": False}
    names = {p.name for p in accounts.plan(chart_of([]), [], jurisdictions_from_check(
        {"findings": [estimated, quiet]}))}
    assert {"Consumption tax (JCT) payable - Japan (JP)", "Accrued consumption tax (JCT) exposure - Japan (JP)",
            "Sales tax payable - California (US-CA)"} <= names
    assert "Accrued sales tax exposure - California (US-CA)" not in names


def test_a_tax_payable_under_a_chinese_chart_s_2221_is_named_as_its_sub_accounts_are(write):
    """Under 2221 应交税费 the sub-accounts are named 应交 and the tax (应交增值税, 应交城市维护建设税): the plan named
    Germany's "VAT payable - Germany (DE)" among them. It is now 应交德国增值税 (DE): 应交, the place (CLDR's 德国;
    a state after its country, iso-codes' 得克萨斯州), the tax (data/tax-names-zh.csv), the code; in traditional
    characters under 應交稅費. Booked so, it is read back as that place's payable and not proposed again."""
    rows = """
        科目代码,科目名称,科目类别,币种,上级科目
        2221,{header},应交税费,CNY,
        222101,应交增值税,应交税费,CNY,2221
        222102,未交增值税,应交税费,CNY,2221
    """
    wanted = [place("DE", "Germany"), place("US-TX", "Texas", "Sales tax", "USD"),
              place("JP", "Japan", "Consumption tax (JCT)", "JPY")]
    simplified = chart(write, rows.format(header="应交税费"))
    assert [(p.number, p.name, p.parent) for p in accounts.plan(simplified, [], wanted)] == [
        ("222103", "应交德国增值税 (DE)", "2221"), ("222104", "应交日本消费税 (JP)", "2221"),
        ("222105", "应交美国得克萨斯州销售税 (US-TX)", "2221")]
    traditional = chart(write, rows.format(header="應交稅費"))
    assert [p.name for p in accounts.plan(traditional, [], wanted)] == [
        "應交德國增值稅 (DE)", "應交日本消費稅 (JP)", "應交美國德克薩斯銷售稅 (US-TX)"]
    booked = chart(write, rows.format(header="应交税费") + "    222103,应交德国增值税 (DE),应交税费,EUR,2221\n"
                   "    222104,应交日本消费税 (JP),应交税费,JPY,2221\n    222105,应交美国得克萨斯州销售税 (US-TX),应交税费,USD,2221\n")
    assert [p.name for p in accounts.plan(booked, [], wanted) if p.purpose.startswith("tax:")] == []
    china_s_own = chart(write, rows.format(header="应交税费") + "    222103,应交消费税,应交税费,CNY,2221\n")
    assert [p.name for p in accounts.plan(china_s_own, [], wanted[2:])] == ["应交日本消费税 (JP)"]


def test_a_korean_chart_is_read_with_its_own_headers_and_type_words(write):
    """A Korean export (계정코드, 계정과목, 구분, 통화, 상위계정) stopped with "missing column(s) number, name, type",
    and its type words (당좌자산, 유동부채, 판매비와관리비, 영업외수익...) were unknown. Both are read now; a deposit
    typed 당좌자산 (quick assets: cash, deposits and receivables) is a bank by its name (보통예금, 외화예금), so only
    the yen bank is missing: 105 after 104; clearing accounts after 135 (no round step: the chart's 1), the JCT
    payable after 255 부가세예수금, rounding after 955 외화환산손실, and no FX account (외환차익/손, 외화환산이익/손실)."""
    coa = chart(write, """
        계정코드,계정과목,구분,통화,상위계정
        101,현금,당좌자산,KRW,
        103,보통예금,당좌자산,KRW,
        104,외화예금 USD,당좌자산,USD,
        108,외상매출금,당좌자산,KRW,
        135,부가세대급금,당좌자산,KRW,
        251,외상매입금,유동부채,KRW,
        255,부가세예수금,유동부채,KRW,
        262,미지급비용,유동부채,KRW,
        331,자본금,자본금,KRW,
        401,상품매출,매출액,KRW,
        831,지급수수료,판매비와관리비,KRW,
        907,외환차익,영업외수익,KRW,
        910,외화환산이익,영업외수익,KRW,
        931,이자비용,영업외비용,KRW,
        952,외환차손,영업외비용,KRW,
        955,외화환산손실,영업외비용,KRW,
    """)
    wanted = [place("KR", "South Korea", "VAT", "KRW"), place("JP", "Japan", "Consumption tax (JCT)", "JPY")]
    plan = accounts.make_plan(coa, ["KRW", "USD", "JPY"], wanted, source="coa.csv")
    assert by_purpose(plan.proposals) == {"bank:JPY": "105", "clearing:KRW": "136", "clearing:USD": "137",
                                          "clearing:JPY": "138", "rounding": "956", "tax:JP": "256"}
    assert plan.notices == ()


def test_a_chinese_chart_without_an_fx_account_gets_one_汇兑损益_under_财务费用(write):
    """企业会计准则第19号 第十一条 books exchange differences at the balance sheet date to profit or loss as on settlement,
    and the 应用指南 keeps them in 6603 财务费用 as 汇兑损益. A Chinese chart without one got "Realized FX gain/loss"
    and "Unrealized FX gain/loss" (700000 and on, in no class of a Chinese chart). It gets one 汇兑损益 under 6603 now,
    after its last sub-account (660302 手续费: 660303), 匯兌損益 under 財務費用."""
    rows = """
        科目代码,科目名称,科目类别,币种,上级科目
        100201,工商银行基本户,银行存款,CNY,
        100202,中国银行美元户,银行存款,USD,
        6603,{header},财务费用,,
        660301,利息支出,财务费用,,6603
        660302,手续费,财务费用,,6603
    """
    for header, name in (("财务费用", "汇兑损益"), ("財務費用", "匯兌損益")):
        coa = chart(write, rows.format(header=header))
        assert {p.purpose: (p.number, p.name, p.parent) for p in accounts.plan(coa, ["CNY", "USD"], [])
                if p.purpose.startswith("fx-")} == {"fx-realized": ("660303", name, "6603")}


def test_the_union_oss_payable_under_2221_is_named_for_the_eu_in_chinese(write):
    """The Union OSS payable was the one English name among Chinese ones ("VAT payable - European Union (EU)"):
    data/place-names-zh.csv had only ISO 3166-1 countries. CLDR names the EU too: 应交欧盟增值税 (EU)."""
    coa = chart(write, "科目代码,科目名称,科目类别,币种,上级科目\n2221,应交税费,应交税费,CNY,\n"
                       "222101,应交增值税,应交税费,CNY,2221\n")
    assert [(p.number, p.name) for p in accounts.plan(coa, [], [place("EU", "European Union")])] == [
        ("222102", "应交欧盟增值税 (EU)")]


def test_maryland_and_yukon_are_named_in_chinese_as_every_other_state_and_province(write):
    """A Chinese chart's Maryland payable was "Sales tax payable - Maryland (US-MD)" among 应交美国得克萨斯州销售税
    (US-TX) and the like: iso-codes gives Maryland no simplified name, and Yukon no name at all. CLDR's subdivision
    names do (马里兰州, 育空): every US state, DC and Canadian province and territory now has a simplified name."""
    from nexus import chinese_names, places

    coa = chart(write, "科目代码,科目名称,科目类别,币种,上级科目\n2221,应交税费,应交税费,CNY,\n"
                       "222101,应交增值税,应交税费,CNY,2221\n")
    assert [p.name for p in accounts.plan(coa, [], [place("US-MD", "Maryland", "Sales tax", "USD")])] == [
        "应交美国马里兰州销售税 (US-MD)"]
    codes = [c for c in places._table("iso3166-2-us.csv") if c[3:] not in ("AS", "GU", "MP", "PR", "UM", "VI")]
    codes += list(places._table("iso3166-2-ca.csv"))
    assert len(codes) == 51 + 13
    assert [c for c in codes if not chinese_names.place_name(c, "hans")] == []
    # in traditional characters, the names iso-codes' zh_TW lacks where CLDR's both scripts write alike
    assert [c for c in codes if not chinese_names.place_name(c, "hant")] == ["US-IN", "US-NY", "US-WA", "US-WY"]


def test_a_chinese_chart_s_rounding_goes_under_财务费用_and_tax_penalties_under_营业外支出(write):
    """Rounding differences of conversions sit beside 汇兑损益 under 6603 财务费用; tax late-payment charges and fines
    are 营业外支出 (小企业会计准则 第六十八条: 税收滞纳金, 罚金, 罚款). The plan put rounding under whichever parent held
    the highest six-digit other expense (671103 under 营业外支出). Now 660303 under 6603 and 671103 under 6711."""
    coa = chart(write, """
        科目代码,科目名称,科目类别,币种,上级科目
        1002,银行存款,货币资金,,
        100201,工商银行基本户,银行存款,CNY,1002
        100202,中国银行美元户,银行存款,USD,1002
        6603,财务费用,财务费用,,
        660301,汇兑损益,财务费用,,6603
        660302,手续费,财务费用,,6603
        6711,营业外支出,营业外支出,,
        671101,非流动资产处置损失,营业外支出,,6711
        671102,捐赠支出,营业外支出,,6711
    """)
    got = {p.purpose: (p.number, p.parent) for p in accounts.plan(coa, ["CNY", "USD"], [place("DE", "Germany",
                                                                                              accrue=True)])}
    # the exposure expense, proposed first, is 营业外支出's too (a provision's debit: 应用指南 2801 预计负债): 671103
    assert (got["rounding"], got["tax-exposure"], got["tax-penalties"]) == (
        ("660303", "6603"), ("671103", "6711"), ("671104", "6711"))


def test_a_currency_code_written_against_kanji_in_a_name_counts(write):
    """A Japanese chart without a currency column names its dollar deposit 外貨預金USD, with no space: the code was
    not found in the name (a regex word boundary sees none between 金 and U), and a USD bank was proposed beside it.
    It counts now, as 普通預金 USD does; EUR, written nowhere, is still proposed."""
    coa = chart(write, """
        コード,勘定科目,区分
        1120,普通預金 三菱UFJ,現金・預金
        1130,外貨預金USD,現金・預金
        1140,外貨預金(GBP),現金・預金
    """)
    assert [p.purpose for p in accounts.plan(coa, ["USD", "GBP", "EUR"], []) if p.purpose.startswith("bank:")] == [
        "bank:EUR"]


def test_a_tax_name_written_against_kanji_names_the_payable(write):
    """A Japanese chart names its foreign payables 未払VAT(DE) and 仮受GST シンガポール (SG): VAT and GST were looked for
    between regex word boundaries, none of which lies between 払 and V, so Germany's and Singapore's payables were
    proposed again beside them (2420, 2430). They are read as those places' payables now; "Private fund (DE)" is
    still not Germany's VAT ("vat" inside a Latin word)."""
    coa = chart(write, """
        コード,勘定科目,区分,通貨
        2400,仮受消費税,流動負債,JPY
        2410,未払VAT(DE),流動負債,EUR
        2411,仮受GST シンガポール (SG),流動負債,SGD
        2412,Private fund (FR),流動負債,EUR
    """)
    wanted = [place("DE", "Germany"), place("SG", "Singapore", "GST", "SGD"), place("FR", "France")]
    assert [p.purpose for p in accounts.plan(coa, [], wanted) if p.purpose.startswith("tax:")] == ["tax:FR"]


def test_a_chinese_chart_s_accrued_exposure_is_a_provision_under_2801_预计负债(write):
    """An estimated liability for a possible tax assessment is a provision (企业会计准则第13号——或有事项 第四条: a
    present obligation, probably settled with an outflow, reliably measured), kept in 2801 预计负债 and named there by
    the matter provided for, as 未决诉讼 is. The plan named it in English, "Accrued VAT exposure - Germany (DE)", and
    put it under 2801 only because 280101 happened to be the chart's last six-digit liability (with 2801 alone, under
    2221 应交税费: tests/test_accounts_numbering.py). Now 280102, named as 2801's own detail account:
    预计负债-德国增值税风险 (DE) where that one is 预计负债-未决诉讼, 預計負債-德國增值稅風險 (DE) in traditional
    characters. Read back, it is Germany's accrued exposure (none proposed again, the accrual credits it) and not its
    VAT payable (应交德国增值税 (DE) is still proposed)."""
    rows = """
        科目代码,科目名称,科目类别,币种,上级科目
        1002,银行存款,货币资金,,
        100201,工商银行基本户,银行存款,CNY,1002
        2221,{taxes},应交税费,CNY,
        222101,应交增值税,应交税费,CNY,2221
        222102,未交增值税,应交税费,CNY,2221
        2801,{provisions},流动负债,CNY,
        280101,{provisions}-未决诉讼,流动负债,CNY,2801
    """
    germany = place("DE", "Germany", accrue=True)
    for taxes, provisions, name in (("应交税费", "预计负债", "预计负债-德国增值税风险 (DE)"),
                                    ("應交稅費", "預計負債", "預計負債-德國增值稅風險 (DE)")):
        coa = chart(write, rows.format(taxes=taxes, provisions=provisions))
        got = {p.purpose: (p.number, p.parent, p.name) for p in accounts.plan(coa, ["CNY"], [germany])}
        assert got["accrued:DE"] == ("280102", "2801", name)
        assert got["tax:DE"][:2] == ("222103", "2221")
    booked = chart(write, rows.format(taxes="应交税费", provisions="预计负债")
                   + "    280102,德国增值税风险 (DE),流动负债,CNY,2801\n")
    plan = accounts.make_plan(booked, ["CNY"], [germany])
    assert "accrued:DE" not in by_purpose(plan.proposals) and by_purpose(plan.proposals)["tax:DE"] == "222103"
    assert accounts.accrual_account(plan, "accrued", germany).number == "280102"


#: A chart following 企业会计准则, its detail accounts named without their parent's name ({dash} empty) or with it
#: ("银行存款-"), in simplified or traditional characters; no currency column on the banks a plan's accounts join.
CHINESE_SIBLINGS = """
    科目代码,科目名称,科目类别,币种,上级科目
    1002,{bank},货币资金,,
    100201,{bank_}工商银行基本户,银行存款,CNY,1002
    100202,{bank_}中国银行港元户,银行存款,HKD,1002
    1012,{funds},货币资金,,
    101201,{funds_}支付宝,货币资金,CNY,1012
    2221,{taxes},应交税费,CNY,
    222101,{taxes_}应交增值税,应交税费,CNY,2221
    2801,{provisions},流动负债,CNY,
    280101,{provisions_}未决诉讼,流动负债,CNY,2801
    6603,{finance},财务费用,,
    660301,{finance_}利息支出,财务费用,,6603
    6711,{other},营业外支出,,
    671101,{other_}捐赠支出,营业外支出,,6711
"""


#: The type a detail account of each first-level account of the chart above is written with.
CHINESE_SIBLING_TYPES = {"1002": "银行存款", "1012": "货币资金", "2221": "应交税费", "2801": "流动负债", "6603": "财务费用",
                         "6711": "营业外支出"}


def chinese_siblings(write, names, dashed, added=""):
    """The chart above with the first-level names ``names`` (bank, funds, taxes, provisions, finance, other), the
    detail accounts named with their parent's name before a dash where ``dashed``, and the rows ``added``."""
    keys = ("bank", "funds", "taxes", "provisions", "finance", "other")
    filled = dict(zip(keys, names)) | {f"{k}_": f"{n}-" if dashed else "" for k, n in zip(keys, names)}
    return chart(write, CHINESE_SIBLINGS.format(**filled) + added)


@pytest.mark.parametrize("names, dashed, expected", [
    (("银行存款", "其他货币资金", "应交税费", "预计负债", "财务费用", "营业外支出"), False,
     {"bank:USD": ("100203", "1002", "美元户"),
      "clearing:USD": ("101202", "1012", "第三方支付美元存款"),
      "fx-realized": ("660302", "6603", "汇兑损益"),
      "rounding": ("660303", "6603", "折算尾差"),
      "tax:DE": ("222102", "2221", "应交德国增值税 (DE)"),
      "tax-exposure": ("671102", "6711", "税务风险损失"),
      "tax-penalties": ("671103", "6711", "税收滞纳金及罚款"),
      "accrued:DE": ("280102", "2801", "德国增值税风险 (DE)")}),
    (("銀行存款", "其他貨幣資金", "應交稅費", "預計負債", "財務費用", "營業外支出"), True,
     {"bank:USD": ("100203", "1002", "銀行存款-美元戶"),
      "clearing:USD": ("101202", "1012", "其他貨幣資金-第三方支付美元存款"),
      "fx-realized": ("660302", "6603", "財務費用-匯兌損益"),
      "rounding": ("660303", "6603", "財務費用-折算尾差"),
      "tax:DE": ("222102", "2221", "應交稅費-應交德國增值稅 (DE)"),
      "tax-exposure": ("671102", "6711", "營業外支出-稅務風險損失"),
      "tax-penalties": ("671103", "6711", "營業外支出-稅收滯納金及罰款"),
      "accrued:DE": ("280102", "2801", "預計負債-德國增值稅風險 (DE)")}),
])
def test_every_account_under_a_chinese_parent_is_named_as_its_siblings_are(write, names, dashed, expected):
    """Under a Chinese chart's 银行存款, 其他货币资金, 财务费用 and 营业外支出 the plan proposed "Bank - USD", "Provider
    clearing - USD", "Currency rounding", "Tax exposure expense" and "Tax interest and penalties" in English beside
    工商银行基本户 and 捐赠支出. Each is named in Chinese now (data/account-names-zh.csv, the currency's name CLDR's):
    美元户, 第三方支付美元存款, 折算尾差, 税务风险损失, 税收滞纳金及罚款 (小企业会计准则 第六十八条); in traditional
    characters under 銀行存款 and the others, and, where the siblings carry their parent's name before a dash
    (銀行存款-工商銀行基本戶), so does every new account, the payable and the provision too."""
    coa = chinese_siblings(write, names, dashed)
    got = {p.purpose: (p.number, p.parent, p.name) for p in accounts.plan(coa, ["CNY", "USD"],
                                                                          [place("DE", "Germany", accrue=True)])}
    assert got == expected


@pytest.mark.parametrize("names, dashed", [
    (("银行存款", "其他货币资金", "应交税费", "预计负债", "财务费用", "营业外支出"), False),
    (("銀行存款", "其他貨幣資金", "應交稅費", "預計負債", "財務費用", "營業外支出"), True)])
def test_a_chinese_chart_with_the_plans_own_accounts_added_needs_nothing_more(write, names, dashed):
    """The plan reads its own Chinese names back: the chart with the first plan's accounts added (with no currency
    written: 美元户 is the USD bank by its name) gets no proposal, and the accrual posts to the accounts added."""
    germany = place("DE", "Germany", accrue=True)
    first = accounts.plan(chinese_siblings(write, names, dashed), ["CNY", "USD"], [germany])
    added = "".join(f"    {p.number},{p.name},{CHINESE_SIBLING_TYPES[p.parent]},,{p.parent}\n" for p in first)
    updated = chinese_siblings(write, names, dashed, added)
    again = accounts.make_plan(updated, ["CNY", "USD"], [germany])
    assert again.proposals == ()
    numbers = {p.purpose: p.number for p in first}
    assert {purpose: accounts.accrual_account(again, purpose, germany).number
            for purpose in ("tax-exposure", "tax-penalties", "accrued")} == {
        "tax-exposure": numbers["tax-exposure"], "tax-penalties": numbers["tax-penalties"],
        "accrued": numbers["accrued:DE"]}


@pytest.mark.parametrize("deposits, expected", [
    # no deposit named by its currency: 外貨預金(USD); 普通預金 三菱UFJ with no currency column is the yen deposit
    # (普通預金 is yen's, 外貨預金 a foreign currency's), so no 普通預金(JPY) beside it
    ("1110,普通預金 三菱UFJ,現金・預金\n    1120,当座預金 みずほ,現金・預金\n",
     {"bank:USD": "外貨預金(USD)", "bank:EUR": "外貨預金(EUR)"}),
    # a chart with foreign deposits alone gets its yen one as 普通預金(JPY)
    ("1130,外貨預金(USD),現金・預金\n", {"bank:JPY": "普通預金(JPY)", "bank:EUR": "外貨預金(EUR)"}),
    # the chart's own foreign deposit is the pattern: 外貨預金EUR beside 外貨預金USD
    ("1110,普通預金 三菱UFJ,現金・預金,JPY\n    1130,外貨預金USD,現金・預金\n", {"bank:EUR": "外貨預金EUR"}),
    ("1110,普通預金 三菱UFJ,現金・預金,JPY\n    1120,普通預金 USD,現金・預金,USD\n", {"bank:EUR": "普通預金 EUR"}),
])
def test_a_japanese_chart_s_new_bank_is_named_as_its_deposits_are(write, deposits, expected):
    """Beside 普通預金 三菱UFJ and 当座預金 みずほ the plan proposed "Bank - USD". A Japanese chart keeps a deposit in a
    foreign currency as 外貨預金 (data/account-names-ja.csv): the new bank is 外貨預金(USD), or follows the chart's own
    deposit named by its currency (外貨預金USD: 外貨預金EUR). Read back by its code, none is proposed again. A 普通預金
    or 当座預金 with no currency is the yen deposit: the plan proposed 普通預金(JPY) beside 普通預金 三菱UFJ, a second
    yen bank; it does not now."""
    header = "コード,勘定科目,区分" + (",通貨" if "JPY" in deposits else "")
    coa = chart(write, f"{header}\n    {deposits}")
    first = [p for p in accounts.plan(coa, ["JPY", "USD", "EUR"], []) if p.purpose.startswith("bank:")]
    assert {p.purpose: p.name for p in first} == expected
    added = "".join(f"    {p.number},{p.name},現金・預金{',' if ',通貨' in header else ''}\n" for p in first)
    again = accounts.plan(chart(write, f"{header}\n    {deposits}{added}"), ["JPY", "USD", "EUR"], [])
    assert [p.purpose for p in again if p.purpose.startswith("bank:")] == []


JAPANESE_CHART = """
    コード,勘定科目,区分,通貨
    1110,普通預金 三菱UFJ,現金・預金,JPY
    1200,売掛金,売上債権,JPY
    2200,未払費用,流動負債,JPY
    2300,預り金,流動負債,JPY
    6100,租税公課,販売費及び一般管理費,
    7100,受取利息,営業外収益,
    8100,支払利息,営業外費用,
"""
JAPANESE_TYPES = {"clearing": "売上債権", "bank": "現金・預金", "current-liability": "流動負債", "expense":
                  "販売費及び一般管理費", "other-income": "営業外収益", "other-expense": "営業外費用"}


def test_a_japanese_chart_s_clearing_fx_rounding_penalties_and_jct_accounts_are_named_in_japanese(write):
    """In a chart written in Japanese the plan proposed "Provider clearing - USD", "Realized FX gain/loss" and
    "Unrealized FX gain/loss", "Currency rounding", "Tax interest and penalties" and "Consumption tax (JCT) payable
    - Japan (JP)". A Japanese accountant books them as 売掛金 (a receivable from the payment agent, beside 売掛金), one
    為替差損益 for both sides (外貨建取引等会計処理基準), 雑損失, 租税公課 (延滞税 and 加算税, kept apart: 損金不算入)
    and 仮受消費税等 (data/account-names-ja.csv, each with its source). The tax exposure expense, the accrued
    exposures and foreign payables have no sourced Japanese name and stay English. Read back, nothing is proposed
    again and the accrual finds its accounts."""
    coa = chart(write, JAPANESE_CHART)
    japan = place("JP", "Japan", "Consumption tax (JCT)", "JPY", True)
    germany = place("DE", "Germany", "VAT", "EUR", True)
    first = accounts.plan(coa, ["JPY", "USD"], [germany, japan])
    assert [(p.number, p.name) for p in first] == [
        ("1120", "外貨預金(USD)"),
        ("1210", "売掛金(決済代行・JPY)"), ("1220", "売掛金(決済代行・USD)"),
        ("2210", "Accrued VAT exposure - Germany (DE)"),
        ("2220", "Accrued consumption tax (JCT) exposure - Japan (JP)"),
        ("2400", "VAT payable - Germany (DE)"), ("2410", "仮受消費税等"),
        ("6110", "Tax exposure expense"),
        ("7110", "為替差損益"),
        ("8110", "雑損失"), ("8120", "租税公課(延滞税・加算税)")]
    added = "".join(f"    {p.number},{p.name},{JAPANESE_TYPES.get(p.purpose.split(':')[0], JAPANESE_TYPES.get(p.kind))},"
                    f"{p.currency}\n" for p in first)
    again = accounts.make_plan(chart(write, JAPANESE_CHART + added), ["JPY", "USD"], [germany, japan])
    assert again.proposals == ()
    assert {purpose: accounts.accrual_account(again, purpose, japan).name
            for purpose in ("tax-exposure", "tax-penalties", "accrued")} == {
        "tax-exposure": "Tax exposure expense", "tax-penalties": "租税公課(延滞税・加算税)",
        "accrued": "Accrued consumption tax (JCT) exposure - Japan (JP)"}


def test_a_yonyou_chart_s_科目编码_header_is_its_number_column(write):
    """Yonyou (用友) exports head the account code 科目编码 (科目編碼 in traditional characters), where Kingdee writes 科目代码:
    the chart was refused with 'missing column(s) number', and 'currencies review --coa' has no --column to map it."""
    for header in ("科目编码", "科目編碼"):
        coa = read_chart(write("coa.csv", f"""
            {header},科目名称,科目类别,币种
            1002,银行存款,货币资金,
            100201,工商银行基本户,银行存款,CNY
        """))
        assert [(a.number, a.name) for a in coa] == [("1002", "银行存款"), ("100201", "工商银行基本户")]


def test_a_bank_typed_with_the_word_for_bank_is_a_bank(write):
    """'Bank' is a type nexus reads; its translation was not: a chart typing its deposits 銀行 (Japanese, traditional
    Chinese), 银行 or 은행 had them counted as no bank, and the plan proposed 'Bank - USD' beside 普通預金 USD, the
    review asked to open one. They are banks now, as 'Bank' is."""
    for word in ("銀行", "银行", "은행"):
        coa = read_chart(write("coa.csv", f"""
            勘定科目コード,勘定科目,区分,通貨
            110,普通預金 USD,{word},USD
        """))
        assert [a.kind for a in coa] == ["bank"]
        assert [p.purpose for p in accounts.plan(coa, ["USD"], []) if p.purpose.startswith("bank:")] == []


def test_a_japanese_chart_s_clearing_accounts_and_receivables_are_numbered_apart_not_interleaved(write):
    """For ERPNext, which keeps a receivable per currency, a Japanese chart's clearing accounts (売掛金(決済代行・USD))
    and receivables (売掛金(USD)) both follow its 売掛金; numbered currency by currency they interleaved: 1210
    clearing USD, 1220 receivable USD, 1230 clearing EUR... Each sort is numbered in turn now. And a provider's
    balance is no customers' receivable: a chart holding 売掛金(決済代行・USD) still gets 売掛金(USD)."""
    erpnext = Ledger("erpnext", receivables_per_currency=True)
    coa = chart(write, JAPANESE_CHART)
    got = [(p.number, p.name) for p in accounts.plan(coa, ["JPY", "USD", "EUR"], [], erpnext)
           if p.purpose.startswith(("clearing:", "receivable:"))]
    assert got == [("1210", "売掛金(決済代行・JPY)"), ("1220", "売掛金(決済代行・USD)"), ("1230", "売掛金(決済代行・EUR)"),
                   ("1240", "売掛金(USD)"), ("1250", "売掛金(EUR)")]
    held = chart(write, JAPANESE_CHART + "    1210,売掛金(決済代行・USD),売上債権,USD\n")
    assert [p.name for p in accounts.plan(held, ["USD"], [], erpnext) if p.purpose.startswith("receivable:")] == [
        "売掛金(USD)"]


def test_a_chinese_chart_s_basic_account_is_its_rmb_bank_without_a_currency_column(write):
    """A Chinese chart exported without a currency column names its RMB account by its kind, 工商银行基本户 (基本存款账户
    and 一般存款账户 are RMB settlement accounts: 人民币银行结算账户管理办法), and its dollar one 中国银行美元户. The plan
    read the dollar one by its name, but proposed 100203 人民币户 beside the 基本户, a second RMB bank; it does not now."""
    coa = chart(write, "科目代码,科目名称,科目类别,上级科目\n1002,银行存款,货币资金,\n100201,工商银行基本户,银行存款,1002\n"
                       "100202,中国银行美元户,银行存款,1002\n100203,建设银行一般户,银行存款,1002\n")
    assert [(p.number, p.name) for p in accounts.plan(coa, ["CNY", "USD", "EUR"], []) if p.purpose.startswith("bank:")] \
        == [("100204", "欧元户")]


@pytest.mark.parametrize("chart_text", [
    "number,name,type,currency\n1000,Cash,bank,USD\n1200,Accounts receivable,receivable,USD\n",
    "コード,勘定科目,区分,通貨\n1110,普通預金 みずほ,現金・預金,JPY\n1200,売掛金,売上債権,JPY\n",
], ids=["english", "japanese"])
def test_the_accounts_a_currency_lacks_are_named_from_a_plan_made_of_the_same_chart(tmp_path, chart_text):
    """``accounts plan`` hands the plan it made to the review beside it, instead of numbering the chart a second
    time: the names are the ones the plan proposes, a plan made of other currencies is not used, and the answer is
    what numbering for the currencies alone gives."""
    path = tmp_path / "coa.csv"
    path.write_text(chart_text, encoding="utf-8")
    chart = read_chart(str(path), {})
    codes = ["USD", "BHD", "JPY"]
    made = accounts.make_plan(chart, codes)
    alone = accounts.missing_accounts(chart, codes)
    assert accounts.missing_accounts(chart, codes, made=made) == alone
    named = {p.purpose: p.name for p in made.proposals}
    assert [name for _, name in alone["BHD"]] == [named["bank:BHD"], named["clearing:BHD"]]
    other = accounts.make_plan(chart, ["EUR"])  # proposes EUR's accounts, none of BHD's: not taken for them
    assert accounts.missing_accounts(chart, codes, made=other) == alone


# ---- a bank or provider account without a currency: the book currency's (docs/accounts.md)

NO_CURRENCY = """
    Number,Name,Type,Currency
    1010,Bank - USD,Bank,USD
    1020,Bank - EUR,Bank,EUR
    1200,Stripe clearing,Current asset,
    2000,Accounts payable,Payable,USD
    7010,Realized FX gain/loss,Other income,
    7020,Unrealized FX gain/loss,Other income,
    8010,Currency rounding,Other expense,
"""


def test_a_provider_account_without_a_currency_is_the_book_currency_s_and_said(write):
    """1200 Stripe clearing has no currency: it counted for none, so the plan proposed 'Provider clearing - USD'
    beside it in books kept in dollars (the payables' currency), a second dollar clearing account, and said nothing
    of it. In the ledgers nexus writes for, an account without a currency is in the book's own (Xero's and
    QuickBooks Online's home currency, NetSuite's base currency): it is the USD clearing account, only the EUR one is
    proposed, and the plan says so, naming the row; with --book-currency EUR it is the EUR one."""
    coa = chart(write, NO_CURRENCY)
    plan = accounts.make_plan(coa, ["USD", "EUR"], [], source="coa.csv")
    assert [(p.number, p.name) for p in plan.proposals] == [("1210", "Provider clearing - EUR")]
    assert plan.notices == (
        "coa.csv: 1 bank or provider clearing account without a currency, counted as the book currency's, USD (the "
        "currency of the chart's other accounts; where it holds another, give it that currency in the chart): line 4 "
        "(1200 Stripe clearing: no currency)",)
    euro_books = accounts.make_plan(coa, ["USD", "EUR"], [], options=BookOptions(book_currency="EUR"),
                                    source="coa.csv")
    assert [(p.number, p.name) for p in euro_books.proposals] == [("1210", "Provider clearing - USD")]
    assert "counted as the book currency's, EUR (--book-currency;" in euro_books.notices[0]
    assert accounts.missing_accounts(coa, ["USD", "EUR"]) == {
        "USD": [], "EUR": [("clearing", "Provider clearing - EUR")]}


def test_without_a_book_currency_an_account_without_one_counts_for_none_and_is_said(write):
    """A chart that tags only its foreign banks (Bank - EUR, Bank - GBP), its other accounts blank, says which
    currencies the company holds, not which it books in: 'Bank - operating' and 'Stripe clearing' are not taken for
    euro accounts. Each currency sold in gets its accounts, as before, and the plan says why and how to count them for
    the book's; with --book-currency USD they are the dollar ones."""
    coa = chart(write, "Number,Name,Type,Currency\n1010,Bank - operating,Bank,\n1020,Bank - EUR,Bank,EUR\n"
                       "1030,Bank - GBP,Bank,GBP\n1200,Stripe clearing,Current asset,\n"
                       "2000,Accounts payable,Payable,\n")
    plan = accounts.make_plan(coa, ["USD"], [], source="coa.csv")
    assert _holdings(plan) == ["Bank - USD", "Provider clearing - USD"]
    assert plan.notices == (
        "coa.csv: 2 bank or provider clearing accounts without a currency, and no book currency known (the chart's "
        "accounts other than banks and clearing name none): counted for no currency, each currency sold in proposed "
        "its own (give each its currency in the chart, or the plan --book-currency): line 2 (1010 Bank - operating: "
        "no currency), line 5 (1200 Stripe clearing: no currency)",)
    books = accounts.make_plan(coa, ["USD"], [], options=BookOptions(book_currency="USD"))
    assert _holdings(books) == []


def _holdings(plan):
    """The names of the banks and clearing accounts a plan proposes (not its FX accounts)."""
    return [p.name for p in plan.proposals if p.purpose.split(":")[0] in ("bank", "clearing")]
