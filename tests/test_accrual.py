"""The accrual entry from a check's JSON (nexus.accrual): each figure worked out by hand in the test."""
from datetime import date
from decimal import Decimal

import pytest

from conftest import SAMPLES
from nexus import accounts, accrual, books_report, targets
from nexus.chart import Account, read_chart
from nexus.check_document import jurisdictions_from_check
from nexus.errors import InputError, NexusError
from nexus.voluntary_disclosure import VDA_NOT_ESTIMATED
from nexus.fx import Rates, parse_rates

D = Decimal
CHART = read_chart(str(SAMPLES / "chart-of-accounts.csv"))


def finding(code, name, tax_name, currency, base, vda=None, rate=None, reporting="USD", start="2025-06-01"):
    """A finding of a check's JSON with an estimate: base and vda are (tax, penalty, interest) as strings."""
    def scenario(figures, note=None):
        tax, penalty, interest = figures
        total = str(sum(D(v) for v in figures if v is not None))
        return {"from": start, "to": "2026-10-31", "tax": {"low": tax, "central": tax, "high": tax},
                "penalty": penalty, "interest": interest, "total": total, "note": note}

    return {"jurisdiction": code, "name": name, "tax": tax_name, "nexus": "economic", "status": "exceeded",
            "currency": currency, "exposure": {
                "currency": currency, "from": start, "to": "2026-10-31",
                "scenarios": {"base": scenario(base), "vda": scenario(vda or base, "look-back of 36 months"),
                              "registered_now": scenario(("1.00", None, None))},
                "reporting": None if rate is None and currency != reporting else {
                    "currency": reporting, "rate": rate or "1", "rate_date": "2026-10-30"}}}


def document(*findings, currency="USD"):
    return {"schema": 1, "as_of": "2026-10-31", "findings": list(findings),
            "summary": {"exposure_total": {"currency": currency}}}


TEXAS = finding("US-TX", "Texas", "sales tax", "USD", ("1000.10", "50.05", None), ("800.00", "0.00", None))
GERMANY = finding("DE", "Germany", "VAT", "EUR", ("200.00", "10.00", "2.50"), rate="1.1")
JAPAN = finding("JP", "Japan", "consumption tax (JCT)", "JPY", ("10001", None, None), rate="0.0066666")


def credits(found):
    return {line.account.name: line.credit for line in found.entry.lines if line.credit}


def test_the_base_accrual_debits_the_expenses_and_credits_each_jurisdiction_in_the_book_currency():
    found = accrual.accrue(document(TEXAS, GERMANY, JAPAN), CHART, "base")
    entry = found.entry
    assert entry.currency == "USD" and entry.date == date(2026, 10, 31) and entry.reference == "ACCR-20261031-BASE"
    assert entry.memo == ("Accrued tax exposure, base scenario, 2025-06-01 to 2026-10-31 "
                          "(nexus check as of 2026-10-31)")
    # Texas: 1,000.10 + 50.05 of penalty; Germany: (200 + 10 + 2.50) EUR x 1.1; Japan: 10,001 JPY x 0.0066666
    assert credits(found) == {"Accrued sales tax exposure - Texas (US-TX)": D("1050.15"),
                              "Accrued VAT exposure - Germany (DE)": D("233.75"),
                              "Accrued consumption tax (JCT) exposure - Japan (JP)": D("66.67")}
    debits = {line.account.name: line.debit for line in entry.lines if line.debit}
    assert debits == {"Tax exposure expense": D("1000.10") + D("220.00") + D("66.67"),
                      "Tax interest and penalties": D("50.05") + D("13.75")}
    assert entry.debits == entry.credits == D("1350.57")
    japan = next(a for a in found.lines if a.code == "JP")
    assert (japan.rate, japan.rate_date) == (D("0.0066666"), date(2026, 10, 30))
    assert japan.rate_source == "the check's reporting rate"
    assert japan.note == "penalty not estimated; interest not estimated"


def test_the_vda_scenario_books_the_look_back_and_what_the_programme_does_not_waive():
    found = accrual.accrue(document(TEXAS), CHART, "vda")
    assert found.entry.reference == "ACCR-20261031-VDA" and "vda scenario" in found.entry.memo
    assert [(line.account.name, line.debit, line.credit) for line in found.entry.lines] == [
        ("Tax exposure expense", D("800.00"), D(0)),
        ("Accrued sales tax exposure - Texas (US-TX)", D(0), D("800.00"))]  # penalty waived: no second debit


def test_the_screen_names_the_penalties_and_interest_left_out_of_the_entry_as_not_estimated():
    """Texas's interest and Japan's penalty and interest are null in the check (no figures in the data): the entry
    credits Texas 1,050.15 (tax and penalty) and Japan its tax alone, which a controller would read as the whole
    liability there. Germany's are all estimated. Before the fix the journal's screen said nothing of the charges
    it could not book; now it names them, by kind and place."""
    found = accrual.accrue(document(TEXAS, GERMANY, JAPAN), CHART, "base")
    assert found.not_estimated() == (("penalties", ("JP",)), ("interest", ("JP", "US-TX")))
    flat = " ".join(books_report.journal_table(found).split())
    assert ("Not in this entry, as they could not be estimated (nexus's data has no figures for them; the check's "
            "Assumptions say which and why), and the liability may be larger by them: penalties in JP; interest in JP, "
            "US-TX.") in flat
    # Waived by the programme is not unknown: the VDA books Texas's tax with its penalty at 0.00, interest unknown
    assert accrual.accrue(document(TEXAS), CHART, "vda").not_estimated() == (("interest", ("US-TX",)),)
    everything = finding("DE", "Germany", "VAT", "EUR", ("200.00", "10.00", "2.50"), rate="1.1")
    assert "Not in this entry" not in books_report.journal_table(accrual.accrue(document(everything), CHART, "base"))


def test_a_vda_line_whose_note_names_the_interest_not_estimated_does_not_say_it_twice():
    ohio = finding("US-OH", "Ohio", "sales tax", "USD", ("100.00", None, None), ("100.00", "0.00", None))
    note = f"look-back of 36 months: months from 2023-10-01; penalties waived; interest {VDA_NOT_ESTIMATED}"
    ohio["exposure"]["scenarios"]["vda"]["note"] = note
    assert accrual.accrue(document(ohio), CHART, "vda").lines[0].note == note
    base = accrual.accrue(document(ohio), CHART, "base")
    assert base.lines[0].note == "penalty not estimated; interest not estimated"


def test_the_credit_is_the_scenarios_total_rounded_once():
    # Penalty 2,234.904 and interest 327.811 are each rounded in the JSON; their sum, 2,562.715, is not
    georgia = finding("US-GA", "Georgia", "sales tax", "USD", ("11338.16", "2234.90", "327.81"))
    georgia["exposure"]["scenarios"]["base"]["total"] = "13900.88"
    found = accrual.accrue(document(georgia), CHART, "base")
    assert credits(found) == {"Accrued sales tax exposure - Georgia (US-GA)": D("13900.88")}
    assert [line.debit for line in found.entry.lines if line.debit] == [D("11338.16"), D("2562.72")]


def test_each_line_is_rounded_once_and_the_debits_are_the_sums_of_the_credits():
    # 0.005 of a dollar in each: rounded half up line by line, 1.01 three times, add to 3.03 where the estimates
    # converted are 3.015, 3.02 rounded once (the check's way): one line gives its half cent back (the last, all
    # being equal), and the entry is 3.02. It booked 3.03 before, a cent off the estimates' total.
    halves = [finding(f"US-{c}", c, "sales tax", "EUR", ("1.00", None, None), rate="1.005")
              for c in ("TX", "NY", "FL")]
    found = accrual.accrue(document(*halves), CHART, "base")
    assert sorted(credits(found).values()) == [D("1.00"), D("1.01"), D("1.01")]
    assert found.entry.debits == D("3.02")
    assert [line.debit for line in found.entry.lines if line.debit] == [D("3.02")]


def test_another_book_currency_converts_at_the_as_of_rate_from_the_rates_given():
    rates = Rates([parse_rates(b"Date,USD,JPY,\n2026-10-30,1.10,165,\n", "ecb.csv")])
    found = accrual.accrue(document(TEXAS, GERMANY, JAPAN), CHART, "base", book_currency="EUR", rates=rates)
    assert found.entry.currency == "EUR"
    assert credits(found) == {"Accrued sales tax exposure - Texas (US-TX)": D("954.68"),  # 1,050.15 / 1.10
                              "Accrued VAT exposure - Germany (DE)": D("212.50"),  # its own currency
                              "Accrued consumption tax (JCT) exposure - Japan (JP)": D("60.61")}  # 10,001 / 165
    with pytest.raises(InputError, match=r"finding 1 \(US-TX\): the estimate is in USD and no rate in the check "
                                         r"converts it to EUR: give --rates"):
        accrual.accrue(document(TEXAS), CHART, "base", book_currency="EUR")


def test_the_charts_own_accounts_are_used_where_it_has_them():
    chart = CHART + [
        Account("2250", "Accrued sales tax exposure - Texas (US-TX)", "Current liability", "", "", "current-"
                        "liability", 30),
        Account("6300", "Sales tax expense", "Expense", "", "", "expense", 31),
        Account("8100", "Late filing penalties", "Other expense", "", "", "other-expense", 32)]
    found = accrual.accrue(document(TEXAS), chart, "base")
    assert [line.account.number for line in found.entry.lines] == ["6300", "8100", "2250"]
    assert found.proposed == ()


def test_an_inactive_account_is_never_posted_to():
    """The journal credited Texas's accrual to 2250, an account closed in the ledger (NetSuite's Inactive=Yes),
    and debited the closed 6300: a ledger refuses a posting to an inactive account. The accrual goes to the accounts
    the plan proposes in their place, numbered beside the closed ones, whose numbers stay taken (2260 after 2250,
    6310 after 6300)."""
    chart = CHART + [
        Account("2250", "Accrued sales tax exposure - Texas (US-TX)", "Current liability", "", "", "current-"
                        "liability", 30, inactive=True),
        Account("6300", "Sales tax expense", "Expense", "", "", "expense", 31, inactive=True)]
    found = accrual.accrue(document(TEXAS), chart, "base")
    assert [(line.account.number, line.account.name) for line in found.entry.lines] == [
        ("6310", "Tax exposure expense"), ("8020", "Tax interest and penalties"),
        ("2260", "Accrued sales tax exposure - Texas (US-TX)")]
    assert "2250" not in {p.number for p in found.proposed}


def test_an_accrued_liability_is_never_taken_for_the_expense_it_balances():
    """"Accrued sales tax exposure" and "Accrued penalties" are liabilities: the expenses are debited, not them."""
    chart = CHART + [
        Account("2300", "Accrued sales tax exposure - Texas (US-TX)", "Current liability", "USD", "",
                        "current-liability", 30),
        Account("2310", "Accrued penalties", "Current liability", "USD", "", "current-liability", 31)]
    found = accrual.accrue(document(TEXAS), chart, "base")
    assert [(line.account.number, line.account.name, line.debit, line.credit) for line in found.entry.lines] == [
        ("6200", "Tax exposure expense", D("1000.10"), D(0)),
        ("8020", "Tax interest and penalties", D("50.05"), D(0)),
        ("2300", "Accrued sales tax exposure - Texas (US-TX)", D(0), D("1050.15"))]


def test_an_account_held_in_another_currency_than_the_book_is_refused_not_posted_to():
    """Beancount refuses JPY on an account opened in USD ("Invalid currency"), GnuCash a split in another commodity."""
    chart = CHART + [Account("2300", "Accrued sales tax exposure - Texas (US-TX)", "Current liability", "USD",
                                     "", "current-liability", 30)]
    rates = Rates([parse_rates(b"Date,USD,JPY,\n2026-10-30,1.10,165,\n", "ecb.csv")])
    with pytest.raises(NexusError, match=r"account 2300 Accrued sales tax exposure - Texas \(US-TX\) is held in USD; "
                                         r"the entry is in JPY"):
        accrual.accrue(document(TEXAS), chart, "base", book_currency="JPY", rates=rates)
    assert accrual.accrue(document(TEXAS), chart, "base").entry.lines[-1].account.number == "2300"


def test_two_taxes_of_one_place_are_kept_apart():
    """Malaysia's service tax (digital services) and sales tax (low-value goods) are two registrations and two
    liabilities: neither is credited to the other's account."""
    service = finding("MY", "Malaysia", "service tax", "MYR", ("1000.00", None, None), rate="0.25")
    goods = finding("MY", "Malaysia", "sales tax", "MYR", ("2000.00", None, None), rate="0.25")
    found = accrual.accrue(document(service, goods), CHART, "base")
    assert credits(found) == {"Accrued service tax exposure - Malaysia (MY)": D("250.00"),
                              "Accrued sales tax exposure - Malaysia (MY)": D("500.00")}
    assert len({line.account.number for line in found.entry.lines}) == 3
    payables = {p.name for p in found.plan.proposals if p.purpose.startswith("tax:")}
    assert payables == {"Service tax payable - Malaysia (MY)", "Sales tax payable - Malaysia (MY)"}
    assert found.entry.lines[0].memo == "Tax not collected in 1 jurisdiction, base scenario"


def test_a_header_account_is_never_posted_to():
    chart = CHART + [Account("6900", "Tax exposure", "Expense", "", "", "expense", 30, group=True),
                     Account("6910", "Legal fees", "Expense", "", "6900", "expense", 31)]
    with pytest.raises(InputError, match="the chart names a tax-exposure expense only on a header account"):
        accrual.accrue(document(TEXAS), chart, "base")


def test_zero_negative_and_unestimated_jurisdictions_are_left_out_and_said():
    zero = finding("US-WA", "Washington", "sales tax", "USD", ("0.00", "0.00", "0.00"))
    negative = finding("US-NY", "New York", "sales tax", "USD", ("-12.00", None, None))
    union = {"jurisdiction": "EU", "nexus": "economic", "exposure": None,
             "exposure_note": "estimated member state by member state"}
    found = accrual.accrue(document(zero, negative, union, TEXAS), CHART, "base")
    assert [line.account.name for line in found.entry.lines][2:] == ["Accrued sales tax exposure - Texas (US-TX)"]
    assert found.left_out == (
        ("US-WA", "nothing to accrue: the estimate is 0.00 USD"),
        ("US-NY", "the estimate is negative (-12.00 USD): refunds exceed sales; nothing accrued"),
        ("EU", "estimated member state by member state"))
    assert accrual.accrue(document(zero), CHART, "base").entry is None


def test_a_place_with_nothing_to_accrue_says_why_in_its_own_facts():
    """The README's check: Washington registered and collecting from the day tax was due, Tennessee crossed in
    September with collection due from 2026-12-01, after the check's date. Both were 'nothing to accrue: the estimate
    is 0.00 USD', which left the controller to work out whether a figure was missing. Each now says its reason."""
    zero = ("0.00", "0.00", "0.00")
    washington = {**finding("US-WA", "Washington", "sales tax", "USD", zero), "action": "registered", "gap": None,
                  "collect_from": "2025-12-09"}
    tennessee = {**finding("US-TN", "Tennessee", "sales tax", "USD", zero), "action": "register-by", "gap": None,
                 "collect_from": "2026-12-01"}
    late = {**finding("US-FL", "Florida", "sales tax", "USD", zero), "action": "registered", "gap": [
        "2026-01-01", "2026-02-28"], "collect_from": "2026-01-01"}
    found = accrual.accrue(document(washington, tennessee, late, TEXAS), CHART, "base")
    assert found.left_out == (
        ("US-WA", "nothing to accrue: registered and collecting since tax was due (from 2025-12-09)"),
        ("US-TN", "nothing to accrue: tax is to be collected from 2026-12-01, after the check's date"),
        ("US-FL", "nothing to accrue: the estimate is 0.00 USD"))


@pytest.mark.parametrize("broken, message", [
    ({"as_of": "2026-10-31"}, "the check: 'findings' is missing"),
    ({"findings": []}, "the check: 'as_of' is missing"),
    (document({"jurisdiction": "US-TX", "exposure": {"currency": "USD"}}), "finding 1 (US-TX): 'scenarios' is missing"),
    (document({**TEXAS, "exposure": {**TEXAS["exposure"], "scenarios": {"base": {"tax": {"central": 12.5}}}}}),
     "finding 1 (US-TX) tax: 12.5 is not an amount written as a decimal string"),
    # hand-edited or other JSON: each a one-line reason, not a traceback (AttributeError, TypeError)
    ({"as_of": "2026-10-31", "findings": [TEXAS, "US-NY"]},
     "is not a 'nexus check --format json' file (an object with a list of 'findings')"),
    (document({**TEXAS, "tax": 42}), "finding 1: tax 42 is not text"),
    (document(TEXAS, currency=7), "summary.exposure_total.currency: 7 is not a currency code"),
])
def test_a_file_that_is_not_a_check_with_estimates_stops_with_one_line(broken, message):
    with pytest.raises(InputError) as error:
        accrual.accrue(broken, CHART, "base", path="check.json")
    assert str(error.value).startswith("check.json: " + message)


def test_the_accounts_get_the_numbers_accounts_plan_gives_them():
    doc = document(TEXAS, GERMANY, JAPAN)
    codes = ["USD", "EUR", "GBP", "JPY"]
    for name in ("generic", "xero", "gnucash"):
        ledger = targets.get(name).LEDGER
        plan = accounts.make_plan(CHART, codes, jurisdictions_from_check(doc), ledger)
        numbers = {p.name: p.number for p in plan.proposals}
        found = accrual.accrue(doc, CHART, "base", ledger, currency_codes=codes)
        assert found.proposed and all(numbers[p.name] == p.number for p in found.proposed)
        assert {line.account.number for line in found.entry.lines} == {p.number for p in found.proposed}


def test_a_zero_estimate_needs_no_rate():
    """The sample's GB estimate is GBP 0.00: booked in BHD from an ECB file without GBP and a treasury BHD rate, it
    is left out ('nothing to accrue'), not a stop for want of a GBP rate that converts nothing."""
    britain = finding("GB", "United Kingdom", "VAT", "GBP", ("0.00", "0.00", "0.00"))
    rates = Rates([parse_rates(b"date,currency,per_eur\n2026-10-30,BHD,0.4\n2026-10-30,USD,1.1\n", "treasury.csv")])
    found = accrual.accrue(document(britain, TEXAS), CHART, "base", book_currency="BHD", rates=rates)
    assert credits(found) == {"Accrued sales tax exposure - Texas (US-TX)": D("381.873")}  # 1,050.15 x 0.4 / 1.1
    assert found.left_out == (("GB", "nothing to accrue: the estimate is 0.000 BHD"),)


def test_the_checks_total_is_the_one_it_printed_not_the_sum_of_its_rounded_parts():
    """Tax 10.00, penalty 0.006 and interest 0.006: the check prints 10.012 rounded once, USD 10.01; its JSON's
    rounded parts (10.00, 0.01, 0.01) add to 10.02. The accrual named 10.02 as 'the check's total', a figure the
    check never printed; the JSON now carries the base total, and the accrual reads it."""
    from nexus.exposure_records import Range, Total
    from nexus.report_json import _total

    summary = _total(Total("USD", Range(D("10"), D("10.00"), D("10")), D("0.006"), D("0.006"), D("10.00"), D(0), (),
                           ()))
    assert (summary["penalty"], summary["interest"], summary["base"]) == ("0.01", "0.01", "10.01")
    doc = document(finding("US-TX", "Texas", "sales tax", "USD", ("10.00", "0.006", "0.006")), currency="USD")
    doc["summary"]["exposure_total"] = summary
    assert accrual.accrue(doc, CHART, "base").check_total == D("10.01")


def test_a_place_with_a_finding_and_a_past_window_gets_one_credit_converted_and_rounded_once():
    """A place's finding and its past window under a lapsed rule are one jurisdiction: one credit to its accrued
    liability, the sum of their estimates converted and rounded once. Before the fix each was a line of its own,
    rounded apart: Texas's EUR 0.01 and 0.01 at 1.5 were USD 0.015 each, booked 0.02 + 0.02 = 0.04 where the
    place's EUR 0.02 is USD 0.03; Germany's two lines (EUR 1.00 of tax; EUR 2.00 and a 0.50 penalty, at 1.005)
    credited one account twice with the same memo. By hand, Germany is EUR 3.50 (tax 3.00, penalty 0.50):
    USD 3.5175, one credit of 3.52; its tax 3.015 is 3.02, the penalty the difference 0.50; the entry 3.55."""
    now = finding("DE", "Germany", "VAT", "EUR", ("1.00", "0.00", "0.00"), rate="1.005")
    past = finding("DE", "Germany", "VAT", "EUR", ("2.00", "0.50", "0.00"), rate="1.005", start="2020-09-01")
    past["exposure"]["scenarios"]["base"]["to"] = "2021-06-30"
    odd = finding("US-TX", "Texas", "sales tax", "EUR", ("0.01", "0.00", "0.00"), rate="1.5")
    odd_past = finding("US-TX", "Texas", "sales tax", "EUR", ("0.01", "0.00", "0.00"), rate="1.5")
    doc = document(now, odd)
    doc["past_windows"] = [past, odd_past]
    found = accrual.accrue(doc, CHART, "base")
    lines = [line for line in found.entry.lines if line.credit]
    # Texas: EUR 0.02 x 1.5 = USD 0.03 once, not 0.015 rounded twice (0.02 + 0.02 = 0.04)
    assert [(line.account.name, line.credit) for line in lines] == [
        ("Accrued VAT exposure - Germany (DE)", D("3.52")), ("Accrued sales tax exposure - Texas (US-TX)", D("0.03"))]
    germany = next(a for a in found.lines if a.code == "DE")
    assert (germany.tax, germany.penalty, germany.total) == (D("3.00"), D("0.50"), D("3.50"))
    assert (germany.book_tax, germany.book_extra, germany.start) == (D("3.02"), D("0.50"), date(2020, 9, 1))
    assert len(found.lines) == 2 and found.entry.debits == D("3.55")


def test_the_entry_adds_to_the_checks_total_and_its_tax_the_largest_remainders_taking_the_cent():
    """Three places of EUR 1.01 of tax and EUR 0.01 of penalty at 1.5: each is USD 1.515 of tax and 1.53 in all,
    booked 1.52 and 1.53; the check, rounding its sums once, printed tax 4.55 (4.545) and total 4.59. Before the fix
    the entry debited tax 4.56 and credited 4.59, the split a cent away from the report's; a controller ties the
    expense to the report's tax. Now one line's tax is 1.51 (the one whose remainder is smallest: all are equal,
    so the first place), and the expense is 4.55 as printed, penalties 0.04."""
    places = [finding(code, name, "VAT", "EUR", ("1.01", "0.01", None), rate="1.5")
              for code, name in (("DE", "Germany"), ("FR", "France"), ("NL", "Netherlands"))]
    doc = document(*places)
    doc["summary"]["exposure_total"] = {"currency": "USD", "tax": {"low": "4.55", "central": "4.55", "high": "4.55"},
                                        "penalty": "0.05", "interest": "0.00", "base": "4.59", "vda": "4.59"}
    found = accrual.accrue(doc, CHART, "base")
    debits = {line.account.name: line.debit for line in found.entry.lines if line.debit}
    assert debits == {"Tax exposure expense": D("4.55"), "Tax interest and penalties": D("0.04")}
    assert found.entry.credits == found.check_total == D("4.59")
    assert sorted((a.code, a.book_tax, a.tax_rounding) for a in found.lines) == [
        ("DE", D("1.51"), D("-0.01")), ("FR", D("1.52"), D(0)), ("NL", D("1.52"), D(0))]
    assert "The check's" not in books_report.journal_table(found)


def test_in_a_book_currency_the_check_does_not_report_in_the_entry_is_its_estimates_converted_and_rounded_once():
    """Three places of USD 1.01 booked in GBP at 1.5 GBP a USD: 1.515 each, rounded apart 1.52 x 3 = 4.56 where the
    estimates converted are 4.545, GBP 4.55 rounded once. Before the fix the entry was 4.56, a penny more than the
    check's figures converted; now one line gives the penny back."""
    places = [finding(code, name, "sales tax", "USD", ("1.01", None, None))
              for code, name in (("US-TX", "Texas"), ("US-NY", "New York"), ("US-IL", "Illinois"))]
    rates = Rates([parse_rates(b"date,currency,per_eur\n2026-10-30,USD,1\n2026-10-30,GBP,1.5\n", "treasury.csv")])
    found = accrual.accrue(document(*places), CHART, "base", book_currency="GBP", rates=rates)
    assert found.entry.debits == found.entry.credits == D("4.55")
    assert sorted(a.book_total for a in found.lines) == [D("1.51"), D("1.52"), D("1.52")]


def test_the_checks_total_is_met_within_the_rounding_of_its_json_figures():
    """A check reporting in KRW: its places' estimates are in USD, written to the cent in the JSON, and its total was
    converted from the unrounded figures. USD 10.00, 20.00, 30.00 at 1,335.27 are KRW 13,353 + 26,705 + 40,058 =
    80,116; the check's own total is 80,122, 6 won more: half a cent of USD is 6.7 won, so the figures the JSON
    rounded explain it. The entry books the check's 80,122, the 6 won spread over the lines; before, 80,116 and a
    note. A difference the rounding cannot explain (a place the check left out) is not spread: the screen says it."""
    places = [finding(code, name, "sales tax", "USD", (tax, None, None), rate="1335.27", reporting="KRW")
              for code, name, tax in (("US-TX", "Texas", "10.00"), ("US-NY", "New York", "20.00"),
                                      ("US-IL", "Illinois", "30.00"))]
    doc = document(*places, currency="KRW")
    doc["summary"]["exposure_total"] = {"currency": "KRW", "tax": {"low": "80122", "central": "80122",
                                                                   "high": "80122"},
                                        "penalty": "0", "interest": "0", "base": "80122", "vda": "80122"}
    found = accrual.accrue(doc, CHART, "base")
    assert found.entry.debits == found.entry.credits == D("80122")
    assert all(abs(a.book_total - a.total * a.rate) < 8 for a in found.lines)
    doc["summary"]["exposure_total"] = {**doc["summary"]["exposure_total"], "base": "90122",
                                        "tax": {"low": "90122", "central": "90122", "high": "90122"}}
    found = accrual.accrue(doc, CHART, "base")
    assert found.entry.debits == D("80116") and found.check_total == D("90122")
    assert all(a.total_rounding == a.tax_rounding == 0 for a in found.lines)
    assert "The check's total is KRW 90,122, KRW 10,006 more than this entry's" in " ".join(
        books_report.journal_table(found).split())


def test_the_vda_entry_takes_the_checks_tax_only_where_every_place_discloses_its_whole_tax():
    """New York's cent of tax is in the check's tax (100.01) but not in its voluntary disclosure (0.00: nothing
    accrued): the VDA entry's expense is Texas's 100.00, not the check's 100.01 with a cent taken from Texas's
    interest."""
    texas = finding("US-TX", "Texas", "sales tax", "USD", ("100.00", "5.00", None), ("100.00", None, "1.00"))
    new_york = finding("US-NY", "New York", "sales tax", "USD", ("0.01", None, None), ("0.00", None, None))
    doc = document(texas, new_york)
    doc["summary"]["exposure_total"] = {"currency": "USD", "tax": {"low": "100.01", "central": "100.01",
                                                                   "high": "100.01"},
                                        "penalty": "5.00", "interest": "0.00", "base": "105.01", "vda": "101.00"}
    found = accrual.accrue(doc, CHART, "vda")
    assert [line.debit for line in found.entry.lines if line.debit] == [D("100.00"), D("1.00")]
    assert found.entry.credits == D("101.00")
    base = accrual.accrue(doc, CHART, "base")
    assert [line.debit for line in base.entry.lines if line.debit] == [D("100.01"), D("5.00")]


def test_each_credits_memo_says_when_it_holds_the_penalty_and_interest_beside_the_tax():
    """The ledger shows each line's memo alone: Japan's credit of 6,816.96 read "consumption tax (JCT) not
    collected" where the check's tax there is 6,382.02 and the rest its penalty and interest."""
    memos = {line.account.name: line.memo for line in accrual.accrue(document(TEXAS, GERMANY, JAPAN), CHART,
                                                                      "base").entry.lines if line.credit}
    assert memos == {
        "Accrued sales tax exposure - Texas (US-TX)":
            "Texas (US-TX): sales tax not collected, with the penalty estimated, 2025-06-01 to 2026-10-31",
        "Accrued VAT exposure - Germany (DE)":
            "Germany (DE): VAT not collected, with the penalty and interest estimated, 2025-06-01 to 2026-10-31",
        "Accrued consumption tax (JCT) exposure - Japan (JP)":
            "Japan (JP): consumption tax (JCT) not collected, 2025-06-01 to 2026-10-31"}
    waived = accrual.accrue(document(TEXAS), CHART, "vda").entry.lines[-1].memo  # penalty 0.00: waived
    assert waived == "Texas (US-TX): sales tax not collected, 2025-06-01 to 2026-10-31"


def test_the_rate_the_screen_shows_gives_each_credit_when_multiplied_by_hand():
    """In yen, the sample's Texas credit of USD 45,113.23 books JPY 7,094,068 at 175.68 / 1.1172 =
    157.25026852...; the screen said '1 USD = 157.250 JPY', which by hand gives 7,094,055: 13 yen short. The rate
    is now shown to as many digits as reproduce every line (six at least)."""
    rates = Rates([parse_rates(b"Date,USD,JPY,\n2026-10-30,1.1172,175.68,\n", "ecb.csv")])
    texas = finding("US-TX", "Texas", "sales tax", "USD", ("40256.64", "4856.59", None))
    found = accrual.accrue(document(texas), CHART, "base", book_currency="JPY", rates=rates)
    assert credits(found) == {"Accrued sales tax exposure - Texas (US-TX)": D("7094068")}
    flat = " ".join(books_report.journal_table(found).split())
    shown = D(flat.split("1 USD = ")[1].split(" JPY")[0])
    assert (D("45113.23") * shown).quantize(D(1)) == D("7094068")
    assert (D("40256.64") * shown).quantize(D(1)) == D("6330367")  # the tax, debited to the expense
    assert len(shown.as_tuple().digits) <= 10  # digits enough, not the 28 of the division
    short = accrual.accrue(document(texas), CHART, "base", book_currency="JPY",
                           rates=Rates([parse_rates(b"Date,USD,JPY,\n2026-10-30,1.25,200,\n", "ecb.csv")]))
    assert "1 USD = 160.000 JPY" in " ".join(books_report.journal_table(short).split())  # six, as before


def test_the_entry_fits_the_terminal_its_account_names_wrapped_whole():
    """Before: 'nexus accounts journal' wrote its lines 100 columns wide whatever the terminal: on an 80-column one
    the memo, the notes and the table's rows (86 wide with Japan's accrued account) broke mid-word. Each account's
    name now wraps at a space in the room the number and the amounts leave; at 100 columns the screen is as it was."""
    found = accrual.accrue(document(TEXAS, GERMANY, JAPAN), CHART, "base")
    narrow = books_report.journal_table(found, width=80)
    assert max(len(line) for line in narrow.splitlines()) <= 80
    assert "Accrued consumption tax (JCT) exposure - Japan (JP)" in " ".join(narrow.split())
    japan = [line for line in narrow.splitlines() if "Accrued consumption tax" in line]
    assert japan[0].split()[-1] == "66.67"  # the credit on the name's first line, its rest on the next
    wide = books_report.journal_table(found)
    assert any("Accrued consumption tax (JCT) exposure - Japan (JP)" in line and line.endswith("66.67")
               for line in wide.splitlines())  # one line at 100
