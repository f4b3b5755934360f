"""A month's return is due on the place's own monthly due date where the data give it (data/limitation-periods.json,
the one source of a return's due date), the 20th of the next month assumed, and said, only where no row gives one.
Figures by hand beside each assertion."""
from __future__ import annotations

import copy
from datetime import date

import pytest

from conftest import book, make_rule
from nexus import datafiles, limitation, penalties
from nexus.check import check
from nexus.findings import Context
from nexus.errors import RulesError
from nexus.returns import FILING_ASSUMED, dues_used, monthly_due_words
from nexus.timing_rules import parse_timing
from test_exposure import D, ledger_of, rate, taxable, tax_book
from test_limitation import TABLE

NM_STARTS = parse_timing({"rules": [{"jurisdiction": "US-NM", "effective_from": "2018-01-01",
                                     "collect": {"kind": "crossing_day"}, "register": {"kind": "same_as_collect"},
                                     "remains": {"kind": "until_deregistered", "note": ""},
                                     "sources": ["https://example.org/t"], "last_verified": "2026-12-04"}]})


def new_mexico(as_of: date):
    """USD 150,000 to New Mexico on Monday 2025-01-06, which meets a USD 100,000 test that day (tax from that day) at
    5%, with New Mexico's own penalties, interest and monthly due date from nexus's data."""
    rule = make_rule(jurisdiction="US-NM", name="New Mexico", transactions_threshold=None,
                     transactions_comparison=None, combine=None)
    taxes = tax_book([rate("US-NM", "0.05")], taxes=(taxable("US-NM", "goods"),))
    result = check(ledger_of((date(2025, 1, 6), "US-NM", "150000")), book(rule), as_of,
                   timed=Context(book=NM_STARTS, tax_book=taxes))
    return next(f for f in result.findings if f.jurisdiction == "US-NM").exposure


def test_new_mexicos_monthly_return_is_late_from_the_25th_not_the_20th():
    """The TRD: monthly returns are due the 25th of the following month (the periods of limitation's row, US-NM).
    By hand, January 2025's tax, 150,000 x 5% = 7,500.00, is due Tuesday 2025-02-25 (the row moves no deadline). On
    2025-03-27 it is 30 days late: 3 days of February and 27 of March. The penalty, 2% a month or part of a month
    (the late-filing and late-payment lists alike, the greater applying), is one month's: 7,500 x 2% = 150.00.
    Interest at the 7% of 2025's first quarter runs from 2025-02-26 to 2025-03-27, 30 days:
    7,500 x 7% x 30 / 365 = 43.15. Before, the return was taken as due on 2025-02-20: 35 days late, two months'
    penalty (300.00) and 35 days of interest (50.34)."""
    e = new_mexico(date(2025, 3, 27))
    (january,) = e.months
    assert (january.label, january.tax.central, january.due) == ("2025-01", D("7500.00"), date(2025, 2, 25))
    assert january.penalty == D("150.00") and e.penalty == D("150.00")
    assert round(january.interest, 2) == D("43.15") and round(e.interest, 2) == D("43.15")
    assert e.filing.words == (
        "Returns assumed monthly (no registration row of the place gives a filing frequency, the registrations file's "
        "column filing): each month's tax due with its payment on the place's own day in nexus's data (given with "
        "each month; its statute among the penalties and interest sources), penalties charged per monthly return and "
        "interest run from each return's due date.")
    assert e.filing.words in e.assumptions and FILING_ASSUMED not in e.assumptions
    # the day, its weekend rule and its statute, with its sources, are among the data the estimate used (one sentence
    # for every place whose day the data give, so that the printed report does not grow a row a state)
    (due,) = [d for d in e.data_used if d.what.startswith("monthly returns due")]
    assert (due.kind, due.place, due.what) == (
        "penalties and interest", "US-NM", "monthly returns due on the 25th of the next month (TRD: monthly returns "
        "due the 25th of the following month), for tax periods from 2019-07; not moved off weekends or public "
        "holidays")
    assert due.sources[0].startswith("http://tax.newmexico.gov/")


def test_where_no_row_gives_the_monthly_due_date_the_20th_is_assumed_and_said():
    """Nevada holds no monthly due date in the data (NRS 372.355 was looked for and not read): January 2025's return
    is taken as due 2025-02-20, and the assumption says so."""
    assert penalties.due_date(date(2025, 1, 1), "US-NV") == date(2025, 2, 20)
    assert monthly_due_words("US-NV", [date(2025, 1, 1)]) == (
        "", "due date assumed the 20th of the next month: no row of the data gives it")
    assert FILING_ASSUMED.endswith("; due date assumed the 20th of the next month: no row of the data gives it.")


def test_months_before_the_due_date_rule_read_take_the_20th_and_say_from_when_the_data_give_the_day():
    """New Mexico's due date is held for tax periods from 2019-07: June 2019's return is taken as due 2019-07-20,
    July's on Sunday 2019-08-25 (New Mexico's row moves no deadline)."""
    assert penalties.due_date(date(2019, 6, 1), "US-NM") == date(2019, 7, 20)
    assert penalties.due_date(date(2019, 7, 1), "US-NM") == date(2019, 8, 25)
    given, assumed = monthly_due_words("US-NM", [date(2019, 6, 1), date(2019, 7, 1)])
    assert given == ("on the place's own day in nexus's data for tax periods from 2019-07 (given with each month; "
                     "its statute among the penalties and interest sources)")
    assert assumed == "before 2019-07, due date assumed the 20th of the next month: no row of the data gives it"


def test_a_due_date_moves_off_a_weekend_only_where_the_row_says_so():
    """Denmark's row says a deadline on a weekend moves (ML § 57(2)): September 2025's return, due Saturday
    2025-10-25, moves to Monday 2025-10-27; June's, due Sunday 17 August, to 2025-08-18. Czechia's row does not move
    it: its September 2025 return stays due on Saturday 2025-10-25."""
    assert penalties.due_date(date(2025, 9, 1), "DK") == date(2025, 10, 27)
    assert penalties.due_date(date(2025, 6, 1), "DK") == date(2025, 8, 18)
    assert penalties.due_date(date(2025, 9, 1), "CZ") == date(2025, 10, 25)
    (used,) = dues_used("DK", [date(2025, 6, 1)]).values()
    assert used.what == ("monthly returns due on the 25th of the next month, June's on the 17th of the 2nd month after "
                         "it (ML § 57(2)), for tax periods from 2020-01; moved off weekends, not off public holidays")


def test_north_dakotas_quarterly_due_date_is_never_a_months():
    """N.D.C.C. 57-39.2-11(1) gives the quarterly return's due date, the last day of the month after the quarter, and
    the Tax Commissioner's rule 81-04.1-01-08.1 the monthly return's, the last day of the next month: each is its own
    row. A monthly estimate takes January 2025's return as due on 2025-02-28 (its own row: before it was read, the 20th
    was assumed), never on the quarter's 30 April; the period of limitation still counts from the quarter's return:
    January's tax from 2025-04-30."""
    assert penalties.due_date(date(2025, 1, 1), "US-ND") == date(2025, 2, 28)
    assert penalties.due_date(date(2025, 3, 1), "US-ND") == date(2025, 4, 30)
    assert monthly_due_words("US-ND", [date(2025, 1, 1)]) == (
        "on the place's own day in nexus's data (given with each month; its statute among the penalties and interest "
        "sources)", "")
    rule = limitation.limitation_rule("US-ND", date(2026, 12, 7))
    assert rule.no_return.due.period == "quarterly" and rule.no_return.due.of(date(2025, 1, 1)) == date(2025, 4, 30)


def test_two_rows_giving_a_place_different_monthly_due_dates_are_an_error(monkeypatch):
    rows = copy.deepcopy([r for r in TABLE["rules"] if r["jurisdiction"] == "CZ"])
    other = copy.deepcopy(rows[0])
    other["effective_from"], other["effective_to"] = "2010-01-01", "2021-06-30"
    other["period"]["due"]["day"] = 20
    parsed = limitation.parse_rows({"rules": rows + [other]})
    monkeypatch.setattr(limitation, "limitation_rows", lambda: parsed)
    with pytest.raises(RulesError, match=r"\(CZ\): two monthly due dates for tax periods from 2013-09"):
        limitation._monthly_dues.__wrapped__()


#: The data files and the tables read from them, uncached, for the tests that give the returns table other rows.
DOCUMENT, RETURN_DUES, MONTHLY_DUES = (datafiles.document, limitation.return_dues.__wrapped__,
                                       limitation._monthly_dues.__wrapped__)


def _returns_table(monkeypatch, rows):
    """``data/penalties-interest.json`` with ``rows`` as its ``returns`` table, read afresh at each call."""
    def with_rows(name):
        found = DOCUMENT(name)
        if name == "penalties-interest.json":
            found["returns"] = rows
        return found

    monkeypatch.setattr(datafiles, "document", with_rows)
    monkeypatch.setattr(limitation, "return_dues", RETURN_DUES)
    monkeypatch.setattr(limitation, "_monthly_dues", MONTHLY_DUES)


def _monthly_row(place, day, **more):
    return {"jurisdiction": place, "return": "monthly", "months": 1, "day": day, "cite": f"{place} statute",
            "effective_from": "2019-10-01", "sources": ["https://example.org/s"], "last_verified": "2026-12-07",
            "notes": "read", **more}


def test_a_monthly_row_of_the_returns_table_gives_a_places_monthly_due_date(monkeypatch):
    """penalties-interest.json's returns table holds a monthly return's due date that is not a period of
    limitation's (Ohio's 23rd, say): January 2025's return is then due 2025-02-23, a Sunday, not moved (the row does
    not say the deadline moves); one moved off weekends is due Monday 2025-02-24. Before, the table took quarterly and
    annual rows only: a monthly one was an error, and the 20th was assumed."""
    _returns_table(monkeypatch, [_monthly_row("US-XO", 23), _monthly_row("US-XM", 23, next_working_day=True)])
    assert penalties.due_date(date(2025, 1, 1), "US-XO") == date(2025, 2, 23)
    assert penalties.due_date(date(2025, 1, 1), "US-XM") == date(2025, 2, 24)
    assert penalties.due_date(date(2019, 9, 1), "US-XO") == date(2019, 10, 20)  # before the row: the 20th, said
    given, assumed = monthly_due_words("US-XO", [date(2019, 9, 1), date(2025, 1, 1)])
    assert given == ("on the place's own day in nexus's data for tax periods from 2019-10 (given with each month; "
                     "its statute among the penalties and interest sources)")
    (used,) = dues_used("US-XO", [date(2019, 9, 1), date(2025, 1, 1)]).values()
    assert used.what == ("monthly returns due on the 23rd of the next month (US-XO statute), for tax periods from "
                         "2019-10; not moved off weekends or public holidays")
    assert assumed == "before 2019-10, due date assumed the 20th of the next month: no row of the data gives it"


def test_the_two_tables_giving_a_place_different_monthly_due_dates_are_an_error_naming_both(monkeypatch):
    """New Mexico's periods of limitation hold its monthly returns due on the 25th from 2019-07; a returns row
    saying the 20th from 2019-10 would silently decide the months from 2019-10: an error naming both tables and
    statutes. A row saying the same day is no conflict."""
    _returns_table(monkeypatch, [_monthly_row("US-NM", 20)])
    both = r"^limitation-periods\.json and penalties-interest\.json returns \(US-NM\): two monthly due dates"
    with pytest.raises(RulesError, match=both + r" for tax periods from 2019-10 \(TRD: .*; US-NM statute\)"):
        limitation.monthly_due("US-NM", date(2025, 1, 1))
    _returns_table(monkeypatch, [_monthly_row("US-NM", 25)])
    assert penalties.due_date(date(2025, 1, 1), "US-NM") == date(2025, 2, 25)


def test_a_returns_row_of_a_half_yearly_return_is_an_error_naming_it(monkeypatch):
    """A registration row's filing frequency is monthly, quarterly or annual: a half-yearly row would never be read,
    so it is an error naming the row rather than a row silently left unused."""
    _returns_table(monkeypatch, [_monthly_row("US-XO", 23, **{"return": "half_yearly"})])
    with pytest.raises(RulesError, match=r"returns row 1 \(US-XO\): a row gives a monthly, quarterly or annual"):
        limitation.return_dues()


def _one_sale(place: str, name: str, sold: date, as_of: date):
    """USD 150,000 to ``place`` on ``sold``, which meets a USD 100,000 test that day (tax from that day) at 5%, with
    the place's own penalties, interest and monthly due date from nexus's data."""
    rule = make_rule(jurisdiction=place, name=name, transactions_threshold=None, transactions_comparison=None,
                     combine=None)
    starts = parse_timing({"rules": [{"jurisdiction": place, "effective_from": "2018-01-01",
                                      "collect": {"kind": "crossing_day"}, "register": {"kind": "same_as_collect"},
                                      "remains": {"kind": "until_deregistered", "note": ""},
                                      "sources": ["https://example.org/t"], "last_verified": "2026-12-04"}]})
    taxes = tax_book([rate(place, "0.05")], taxes=(taxable(place, "goods"),))
    result = check(ledger_of((sold, place, "150000")), book(rule), as_of, timed=Context(book=starts, tax_book=taxes))
    return next(f for f in result.findings if f.jurisdiction == place).exposure


def test_connecticuts_monthly_return_is_late_from_the_last_day_of_the_next_month():
    """Conn. Gen. Stat. 12-414(a): monthly returns are due on the last day of the month after (the returns table's
    row, US-CT, not moved off weekends). By hand, January 2025's tax, 150,000 x 5% = 7,500.00, is due Friday
    2025-02-28. On 2025-03-31 it is 31 days late. The penalty, 15% of the tax once (at least USD 50), is
    7,500 x 15% = 1,125.00. Interest at 12% a year, simple, runs from 2025-03-01 to 2025-03-31, 31 days:
    7,500 x 12% x 31 / 365 = 76.44. Before, the return was taken as due on 2025-02-20, assumed: 39 days late, the same
    penalty and 39 days of interest, 7,500 x 12% x 39 / 365 = 96.16."""
    e = _one_sale("US-CT", "Connecticut", date(2025, 1, 6), date(2025, 3, 31))
    (january,) = e.months
    assert (january.label, january.tax.central, january.due) == ("2025-01", D("7500.00"), date(2025, 2, 28))
    assert january.penalty == D("1125.00") and e.penalty == D("1125.00")
    assert round(january.interest, 2) == D("76.44") and round(e.interest, 2) == D("76.44")
    assert "each month's tax due with its payment on the place's own day in nexus's data" in e.filing.words
    assert ("monthly returns due on the last day of the next month (Conn. Gen. Stat. 12-414(a), (b)(1)), for tax "
            "periods from 2018-12; not moved off weekends or public holidays") in [d.what for d in e.data_used]
    assert e.sources[-2:] == ("https://e.casetext.com/statute/general-statutes-of-connecticut/title-12-taxation/"
                              "chapter-219-sales-and-use-taxes/section-12-414-returns-and-payment",
                              "http://laws9.com/statutes/connecticut/title12/chap219/Sec12-414")
    assert FILING_ASSUMED not in e.assumptions


def test_vermonts_january_return_is_due_on_the_23rd_of_february_and_the_others_on_the_25th():
    """The Department of Taxes: monthly returns are due on the 25th of the next month, January's on 23 February, and
    a due date on a weekend or holiday moves to the next business day (the returns table's row, US-VT). By hand,
    January 2023's tax, 7,500.00, is due Thursday 2023-02-23; on 2023-03-24 it is 29 days late (5 days of February,
    24 of March): one month or part of a month, so 5% for filing late and 5% for paying late, added:
    375.00 + 375.00 = 750.00. Interest at 2023's 4% runs 29 days: 7,500 x 4% x 29 / 365 = 23.84. Before, the 20th
    assumed (Monday 2023-02-20) made it 32 days late: two months, 1,500.00, and 7,500 x 4% x 32 / 365 = 26.30.
    February 2023's return is due on the 25th, a Saturday, moved to Monday 2023-03-27."""
    e = _one_sale("US-VT", "Vermont", date(2023, 1, 6), date(2023, 3, 24))
    (january,) = e.months
    assert (january.label, january.tax.central, january.due) == ("2023-01", D("7500.00"), date(2023, 2, 23))
    assert january.penalty == D("750.00") and e.penalty == D("750.00")
    assert round(january.interest, 2) == D("23.84") and round(e.interest, 2) == D("23.84")
    assert penalties.due_date(date(2023, 2, 1), "US-VT") == date(2023, 3, 27)
    assert ("monthly returns due on the 25th of the next month, January's on the 23rd of the month after it (Vermont "
            "Department of Taxes: Sales and Use Tax due dates), for tax periods from 2018-07; moved off weekends, not "
            "off public holidays") in [d.what for d in e.data_used]


@pytest.mark.parametrize("place, month, due", [
    # Arizona: the Department's 'MONTHLY TPT return deadline', the 20th, moved off weekends as its page shows it:
    # March 2024's on Monday 'APR 22' (20 April a Saturday), September 2024's on Monday 'OCT 21' (a Sunday)
    ("US-AZ", date(2025, 1, 1), date(2025, 2, 20)),
    ("US-AZ", date(2024, 3, 1), date(2024, 4, 22)),
    ("US-AZ", date(2024, 9, 1), date(2024, 10, 21)),
    # Indiana: 20 days after the month for a seller averaging over $1,000 a month (IC 6-2.5-6-1(a)), the earlier day
    ("US-IN", date(2025, 2, 1), date(2025, 3, 20)),
    ("US-IN", date(2024, 6, 1), date(2024, 7, 22)),  # 20 July 2024 a Saturday
    # Wisconsin: early monthly filers on the 20th; 20 September 2025 a Saturday, so Monday the 22nd
    ("US-WI", date(2025, 8, 1), date(2025, 9, 22)),
    ("US-WI", date(2025, 9, 1), date(2025, 10, 20)),
    # Missouri's vendor's use tax: the first two months of a quarter by the 20th of the next month (RSMo 144.655.2),
    # the third with the quarter's return on the last day of the month after it (144.655.1); not moved
    ("US-MO", date(2025, 1, 1), date(2025, 2, 20)),
    ("US-MO", date(2025, 2, 1), date(2025, 3, 20)),
    ("US-MO", date(2025, 3, 1), date(2025, 4, 30)),
    ("US-MO", date(2024, 12, 1), date(2025, 1, 31)),
    ("US-MO", date(2024, 9, 1), date(2024, 10, 31)),
    # South Dakota: the return by the 20th (SDCL 10-45-27.3), moved off weekends (10-59-32): Sunday 20 October 2024
    ("US-SD", date(2025, 1, 1), date(2025, 2, 20)),
    ("US-SD", date(2024, 9, 1), date(2024, 10, 21)),
    # North Dakota: the last day of the next month (rule 81-04.1-01-08.1(1)); Sunday 31 March 2024, not moved
    ("US-ND", date(2024, 2, 1), date(2024, 3, 31)),
    ("US-ND", date(2024, 12, 1), date(2025, 1, 31)),
])
def test_the_due_days_read_on_2026_12_08(place, month, due):
    """Six states' monthly due dates read from their departments' pages, rules and statutes (the returns table's
    rows): each month's due date by hand from the calendar. Before, each was the 20th of the next month, assumed."""
    assert penalties.due_date(month, place) == due
    assert monthly_due_words(place, [month]) == (
        "on the place's own day in nexus's data (given with each month; its statute among the penalties and interest "
        "sources)", "")


def test_missouris_quarter_ending_months_are_said_as_exceptions():
    """Missouri's row gives the 20th with the quarter-ending months' tax due on the last day of the month after:
    the data used say so, in the words the estimate's sources column shows."""
    (used,) = dues_used("US-MO", [date(2025, 1, 1)]).values()
    assert used.what == (
        "monthly returns due on the 20th of the next month, March's on the last day of the month after it, June's on "
        "the last day of the month after it, September's on the last day of the month after it, December's on the "
        "last day of the month after it (RSMo 144.655.1-2; 12 CSR 10-4.600(2)), for tax periods from 2023-01; not "
        "moved off weekends or public holidays")


def test_before_a_states_first_economic_nexus_period_the_20th_stays_assumed_and_said():
    """Missouri's row is held from 2023-01, its economic-nexus rule's first month: December 2022's return takes the
    20th, assumed, and the words say from when the data give the day."""
    assert penalties.due_date(date(2022, 12, 1), "US-MO") == date(2023, 1, 20)
    given, assumed = monthly_due_words("US-MO", [date(2022, 12, 1), date(2023, 1, 1)])
    assert given.startswith("on the place's own day in nexus's data for tax periods from 2023-01")
    assert assumed == "before 2023-01, due date assumed the 20th of the next month: no row of the data gives it"


def test_the_us_states_still_on_the_assumed_20th_are_massachusetts_and_nevada():
    """Of the places with a US economic-nexus rule, only those without a general sales tax (Alaska's is local,
    Delaware, Montana, New Hampshire, Oregon) and Massachusetts and Nevada have no monthly due date in the data:
    Massachusetts' returns are due 30 days after the period from April 2021 by tax publishers' notes only (a day the
    table cannot hold beside the earlier 20th), and Nevada's statute was not found."""
    places = {r["jurisdiction"] for r in datafiles.document("us-economic-nexus.json")["rules"]}
    assumed = {p for p in places if limitation.monthly_due(p, date(2025, 1, 1)) is None}
    assert assumed == {"US-AK", "US-DE", "US-MT", "US-NH", "US-OR", "US-MA", "US-NV"}
