"""When to act (issue 19): since when, collect from, register by, registrations held, crossings ahead."""
import json
from datetime import date, timedelta
from decimal import Decimal

import pytest

from conftest import book, make_rule
from nexus import datafiles, presence
from nexus.check import check
from nexus.findings import Context
from nexus.errors import InputError, Location, UnknownCode
from nexus.registrations import Registration, read_registrations
from nexus.rules import load_rules
from nexus.orders import Order
from nexus.ledger import Ledger
from nexus.timing import act_by
from nexus.timing_rules import Start, parse_timing


def ledger_of(*rows):
    """rows: (day, place, amount[, currency])."""
    ledger = Ledger()
    for day, place, amount, *rest in rows:
        ledger.add(Order("", day, place, Decimal(amount), rest[0] if rest else "USD", "direct", "sale", "no", "goods",
                         Location("t.csv")))
        ledger.rows_read += 1
    return ledger


def daily(start, end, amount, place="US-ZZ"):
    """One sale a day of ``amount`` from ``start`` to ``end``."""
    out, day = [], start
    while day <= end:
        out.append((day, place, amount))
        day += timedelta(days=1)
    return out


def timing_book(*rows):
    base = {"jurisdiction": "US-ZZ", "scheme": "", "establishment": "any", "effective_from": "2018-01-01",
            "effective_to": None, "collect": {"kind": "crossing_day"}, "register": {"kind": "same_as_collect"},
            "remains": {"kind": "while_met", "note": ""}, "wording": "", "sources": ["https://example.org/zz"],
            "last_verified": "2026-12-04", "confidence": "official", "notes": ""}
    return parse_timing({"rules": [{**base, **row} for row in rows]})


def finding(result, code="US-ZZ"):
    return next(f for f in result.findings if f.jurisdiction == code)


RULE = make_rule(transactions_threshold=None, transactions_comparison=None, combine=None)


# --- start kinds and their history -----------------------------------------------------------------

def test_a_start_rule_that_changes_kind_applies_by_the_crossing_day():
    starts = timing_book({"effective_to": "2020-12-31", "collect": {"kind": "first_of_next_month"}},
                         {"effective_from": "2021-01-01", "collect": {"kind": "first_of_month_after_days", "days": 90}})
    early = check(ledger_of((date(2020, 3, 10), "US-ZZ", "150000")), book(RULE), date(2020, 6, 30),
                  timed=Context(book=starts))
    late = check(ledger_of((date(2021, 3, 10), "US-ZZ", "150000")), book(RULE), date(2021, 6, 30),
                 timed=Context(book=starts))
    assert finding(early).timing.collect_from == date(2020, 4, 1)
    assert finding(late).timing.collect_from == date(2021, 7, 1)  # 90th day 2021-06-08, the month after: July


def test_the_sample_start_rules_give_the_sources_examples():
    colorado = Start("first_of_month_after_days", 90)
    assert colorado.when(date(2021, 6, 15), date(2021, 12, 31)) == date(2021, 10, 1)
    connecticut = Start("next_date", on="10-01")
    assert connecticut.when(date(2024, 5, 17), date(2024, 9, 30)) == date(2024, 10, 1)


def test_a_test_met_before_its_rule_took_effect_starts_the_duty_on_the_effective_date():
    rule = make_rule(effective_from="2026-03-01", transactions_threshold=None, transactions_comparison=None,
                     combine=None)
    result = check(ledger_of((date(2026, 1, 5), "US-ZZ", "150000")), book(rule), date(2026, 6, 30),
                   timed=Context(book=timing_book({"effective_from": "2026-03-01"})))
    timing = finding(result).timing
    assert timing.collect_from == date(2026, 3, 1)
    # and nexus itself: no nexus under a rule not yet in force, though the sales it counts came before
    assert timing.nexus_since == date(2026, 3, 1)
    assert timing.since_basis == ("the sales test was met on 2026-01-05 (calendar year 2026), and the rule took "
                                  "effect on 2026-03-01")


def test_a_rule_measured_at_quarter_ends_starts_its_duties_from_the_quarter_end_that_finds_the_test_met():
    """Minnesota's way: the 12 months to the last quarter end are measured, and collection begins on the first of
    a month within 60 days once nexus is established. Sales pass the threshold on 2026-01-10, but the rule finds
    the test met only on 2026-03-31; counting 60 days from the crossing gave 2026-03-01, a day on which the
    rule's own test was not yet met. From 2026-03-31: 2026-05-30, so 2026-05-01; registration likewise (a
    New York-like register-on-the-day rule: 2026-03-31, not 2026-01-10)."""
    rule = make_rule(period="preceding_12_months_at_quarter_end", transactions_threshold=None,
                     transactions_comparison=None, combine=None)
    ledger = ledger_of((date(2025, 4, 1), "US-ZZ", "10"), (date(2026, 1, 10), "US-ZZ", "150000"))
    starts = timing_book({"collect": {"kind": "month_start_within_days", "days": 60},
                          "register": {"kind": "crossing_day"}})
    t = finding(check(ledger, book(rule), date(2026, 6, 30), timed=Context(book=starts))).timing
    assert t.windows[0].crossed == date(2026, 1, 10)
    assert (t.collect_from, t.register_by) == (date(2026, 5, 1), date(2026, 3, 31))


def test_a_rule_measured_at_quarter_ends_gives_nexus_from_the_quarter_end_not_the_day_within_it():
    """86 Ill. Adm. Code 131.115(b): a remote retailer 'shall determine on a quarterly basis ... whether it meets
    the threshold ... for the preceding 12-month period', and is a retailer in Illinois if it does. USD 60,000 on
    2025-10-15 and USD 50,000 on 2025-11-27: USD 110,000 in the 12 months to 2025-12-31, so a retailer there from
    that determination, collecting from 2026-01-01. Nexus was dated 2025-11-27, a day on which the 12 months the
    rule measured (to 2025-09-30) held nothing."""
    ledger = ledger_of((date(2025, 10, 15), "US-IL", "60000"), (date(2025, 11, 27), "US-IL", "50000"))
    assert finding(check(ledger, load_rules(), date(2025, 12, 15)), "US-IL").nexus is None
    t = finding(check(ledger, load_rules(), date(2026, 1, 15)), "US-IL").timing
    assert (t.nexus_since, t.collect_from, t.register_by) == (date(2025, 12, 31), date(2026, 1, 1), date(2026, 1, 1))
    assert t.windows[0].crossed == date(2025, 11, 27)
    assert t.since_basis == ("the sales passed the threshold on 2025-11-27 (12 months to quarter end 2025-01-01 to "
                             "2025-12-31), and the rule, measured at each quarter end, finds the test met on 2025-12-31")


def test_a_rule_measuring_the_previous_calendar_year_gives_nexus_from_the_next_1_january():
    """Fla. Stat. 212.0596: a 'substantial number of remote sales' is taxable remote sales over USD 100,000 'in the
    previous calendar year'. USD 60,000 on 2025-03-10 and on 2025-07-29: USD 120,000 in 2025, past the threshold on
    2025-07-29, but the rest of 2025 was measured on 2024: nexus from 2026-01-01, when 2025 becomes the previous
    year, and tax from the same day. Nexus was dated 2025-07-29."""
    ledger = ledger_of((date(2025, 3, 10), "US-FL", "60000"), (date(2025, 7, 29), "US-FL", "60000"))
    assert finding(check(ledger, load_rules(), date(2025, 12, 31)), "US-FL").nexus is None
    t = finding(check(ledger, load_rules(), date(2026, 1, 15)), "US-FL").timing
    assert (t.nexus_since, t.collect_from, t.register_by) == (date(2026, 1, 1), date(2026, 1, 1), date(2026, 1, 1))
    assert t.windows[0].crossed == date(2025, 7, 29)
    assert t.since_basis == ("the sales passed the threshold on 2025-07-29 (calendar year 2025), a period the rule "
                             "measures from 2026-01-01")


def test_colorados_grace_period_puts_collection_for_a_crossing_in_january_2019_at_1_june():
    """The DOR's emergency rule from 2018-12-01 (USD 100,000 or 200 sales in the current or previous year) came with
    a grace period through 2019-05-31, and HB19-1240 'specifies that the economic nexus does not apply for sales made
    by such retailers prior to June 1, 2019'. USD 150,000 on 2019-01-15: the test is met that day, but no sale before
    2019-06-01 had to be taxed: collect and register from 2019-06-01. It said 2019-01-15."""
    ledger = ledger_of((date(2019, 1, 15), "US-CO", "150000"))
    t = finding(check(ledger, load_rules(), date(2019, 3, 31)), "US-CO").timing
    assert (t.nexus_since, t.collect_from, t.register_by, t.action) == (
        date(2019, 1, 15), date(2019, 6, 1), date(2019, 6, 1), "register-by")
    assert ("Collect from 2019-06-01: from the next sale after the one that meets the test, but not before "
            "2019-06-01, after a grace period set by law") in " ".join(t.reasons)


# --- actions and registrations -----------------------------------------------------------------------

def registrations(write, text):
    return read_registrations(write("regs.csv", text), load_rules().countries())


def test_registrations_cover_partly_cover_and_do_not_cover():
    ledger = ledger_of((date(2025, 3, 1), "US-ZZ", "150000"), (date(2025, 3, 1), "US-YY", "150000"),
                       (date(2025, 3, 1), "US-XX", "150000"))
    rules = book(RULE, {**RULE, "jurisdiction": "US-YY"}, {**RULE, "jurisdiction": "US-XX"})
    starts = timing_book({}, {"jurisdiction": "US-YY"}, {"jurisdiction": "US-XX"})
    # Test jurisdictions (US-ZZ...) are not real codes a registrations file accepts: build the rows directly.
    held = [Registration("US-ZZ", date(2025, 2, 1), date(2025, 2, 1), "AB-123456789", "", Location("r.csv", 2)),
            Registration("US-YY", date(2025, 5, 1), date(2025, 6, 1), "", "", Location("r.csv", 3))]
    result = check(ledger, rules, date(2026, 6, 30), timed=Context(held, book=starts))
    zz, yy, xx = finding(result, "US-ZZ"), finding(result, "US-YY"), finding(result, "US-XX")
    assert zz.timing.action == "registered" and zz.timing.gap is None
    assert zz.timing.registration.masked_id == "...6789"
    assert yy.timing.action == "registered" and (yy.timing.gap.start, yy.timing.gap.end, yy.timing.gap.days) == (
        date(2025, 3, 1), date(2025, 5, 31), 92)
    assert xx.timing.action == "register-now" and xx.timing.overdue_days == (date(2026, 6, 30) - date(2025, 3, 1)).days
    assert result.fails("overdue")
    assert not check(ledger_of((date(2025, 3, 1), "US-ZZ", "150000")), book(RULE), date(2026, 6, 30),
                     timed=Context(held[:1], book=starts)).fails("overdue")


def test_a_registration_made_after_the_as_of_date_is_not_held_on_it():
    """A check as of a past day, with today's registrations file: a registration made after the as-of date did
    not exist then. Georgia-like: tax due from 2025-03-02, registered 2025-09-01; as of 2025-07-31 the deadline
    is 151 days overdue, not a 'gap' of 183 days running a month past the as-of date."""
    ledger = ledger_of((date(2025, 3, 2), "US-ZZ", "150000"))
    later = [Registration("US-ZZ", date(2025, 9, 1), date(2025, 9, 1), "", "", Location("r.csv", 2))]
    result = check(ledger, book(RULE), date(2025, 7, 31), timed=Context(book=timing_book({}), registrations=later))
    t = finding(result).timing
    assert (t.action, t.overdue_days, t.gap, t.registration) == ("register-now", 151, None, None)
    assert result.unneeded_registrations == ()  # nor is it a registration nothing requires
    # The finding said only 'no registration in the registrations file covers it', with one there: a registration
    # dated 2027 for 2026 by a slip of the key read the same. It now says which, and why it is left out.
    assert t.reasons[-1] == ("The registrations file's registration for US-ZZ (r.csv:2) was made on 2025-09-01, "
                             "after the as-of date: it was not held on 2025-07-31 and is not counted.")
    # from the day it was made, it is held
    t = finding(check(ledger, book(RULE), date(2025, 9, 30),
                      timed=Context(book=timing_book({}), registrations=later))).timing
    assert t.action == "registered" and t.gap.days == 183


def test_a_gap_in_collection_ends_on_the_as_of_date_not_after_it():
    """Florida in the sample: tax due from 2026-01-01 (the previous calendar year measured), registered on
    2026-02-16, collecting from 2026-03-01. Checked as of 2026-02-16 the gap said '59 days (2026-01-01 to
    2026-02-28)', days after the as-of date. The gap so far is 2026-01-01 to 2026-02-16: 31 + 16 = 47 days, and
    collection is said to be still to begin. Once 2026-03-01 has passed the gap is the whole 59 days (31 + 28)."""
    rule = make_rule(period="previous_calendar_year", transactions_threshold=None, transactions_comparison=None,
                     combine=None)
    ledger = ledger_of((date(2025, 7, 29), "US-ZZ", "150000"))
    starts = timing_book({"collect": {"kind": "first_of_next_year"}})
    held = [Registration("US-ZZ", date(2026, 2, 16), date(2026, 3, 1), "", "", Location("r.csv", 5))]
    result = check(ledger, book(rule), date(2026, 2, 16), timed=Context(held, book=starts))
    t = finding(result).timing
    assert (t.action, t.collect_from, t.gap.start, t.gap.end, t.gap.days) == (
        "registered", date(2026, 1, 1), date(2026, 1, 1), date(2026, 2, 16), 47)
    assert act_by(t) == "gap 47 d"
    assert ("Registered on 2026-02-16 (r.csv:5), collecting from 2026-03-01; tax was due from 2026-01-01, so 47 days "
            "(2026-01-01 to 2026-02-16, the as-of date) are not covered by collection, which is to begin on "
            "2026-03-01.") in t.reasons
    assert "2026-02-28" not in " ".join(t.reasons)
    t = finding(check(ledger, book(rule), date(2026, 3, 31), timed=Context(held, book=starts))).timing
    assert (t.gap.end, t.gap.days, act_by(t)) == (date(2026, 2, 28), 59, "gap 59 d")
    assert ("Registered on 2026-02-16 (r.csv:5), collecting from 2026-03-01; tax was due from 2026-01-01, so 59 days "
            "(2026-01-01 to 2026-02-28) are not covered by collection.") in t.reasons


def test_a_registration_collecting_after_a_duty_still_ahead_has_no_gap_yet():
    """Tax due from 2026-07-01 (first of the next month after a crossing on 2026-06-20), a registration made on
    2026-06-22 collecting from 2026-08-01, checked on 2026-06-25: no day of tax due has passed, so no gap yet; the
    words say that July will not be covered unless collection begins earlier."""
    starts = timing_book({"collect": {"kind": "first_of_next_month"}})
    held = [Registration("US-ZZ", date(2026, 6, 22), date(2026, 8, 1), "", "", Location("r.csv", 2))]
    result = check(ledger_of((date(2026, 6, 20), "US-ZZ", "150000")), book(RULE), date(2026, 6, 25),
                   timed=Context(held, book=starts))
    t = finding(result).timing
    assert (t.action, t.gap, act_by(t)) == ("registered", None, "registered")
    assert ("Registered on 2026-06-22 (r.csv:2), collecting from 2026-08-01; tax is to be collected from 2026-07-01: "
            "unless collection begins earlier, the days from 2026-07-01 to 2026-07-31 will not be covered.") in t.reasons


def test_a_deadline_on_the_as_of_date_is_dated_not_undated():
    """Florida-like (the previous calendar year measured, tax from January 1): crossed on 2025-12-31, checked on
    2026-01-01, the deadline is that very day: 'due today', not 'now (undated)' as for presence with no date."""
    rule = make_rule(period="previous_calendar_year", transactions_threshold=None, transactions_comparison=None,
                     combine=None)
    ledger = ledger_of((date(2025, 1, 2), "US-ZZ", "10"), (date(2025, 12, 31), "US-ZZ", "100000"))
    starts = timing_book({"collect": {"kind": "first_of_next_year"}})
    t = finding(check(ledger, book(rule), date(2026, 1, 1), timed=Context(book=starts))).timing
    assert (t.action, t.register_by, t.overdue_days) == ("register-now", date(2026, 1, 1), 0)
    assert act_by(t) == "due today"


def test_a_registration_with_no_exposure_is_listed(write):
    held = registrations(write, "jurisdiction,registered_on\nUS-CO,2024-01-01\n")
    result = check(ledger_of((date(2026, 3, 1), "US-CO", "10")), load_rules(), date(2026, 6, 30), timed=Context(held))
    assert [r.jurisdiction for r in result.unneeded_registrations] == ["US-CO"]


def test_an_eu_registration_covers_the_member_states(write):
    """The non-Union OSS (EU) covers a non-EU seller's digital sales into France; its goods it does not
    (tests/test_registration_coverage.py)."""
    held = registrations(write, "jurisdiction,registered_on\nEU,2024-01-01\n")
    ledger = Ledger()
    ledger.add(Order("", date(2026, 3, 1), "FR", Decimal("10"), "EUR", "direct", "sale", "no", "digital",
                     Location("t.csv")))
    result = check(ledger, load_rules(), date(2026, 6, 30), timed=Context(held))
    assert finding(result, "EU").timing.action == "registered"
    assert finding(result, "FR").timing.action == "registered"


def test_a_register_by_deadline_ahead():
    starts = timing_book({"collect": {"kind": "first_of_next_month"}})
    result = check(ledger_of((date(2026, 6, 20), "US-ZZ", "150000")), book(RULE), date(2026, 6, 25),
                   timed=Context(book=starts))
    t = finding(result).timing
    assert (t.action, t.register_by, t.nexus_since) == ("register-by", date(2026, 7, 1), date(2026, 6, 20))


@pytest.mark.parametrize("text, message", [
    ("jurisdiction,registered_on\nXX,2024-01-01\n", "regs.csv:2: column 'jurisdiction' value 'XX': is not a "
                                                    "jurisdiction"),
    ("jurisdiction,registered_on\nTX,2024-01-01\nCA,2024-01-01\n", "regs.csv:3: column 'jurisdiction' value 'CA': "
                                                                   "is ambiguous: Canada (CA) or California (US-CA)"),
    ("jurisdiction,registered_on\nGB,2024-13-01\n", "regs.csv:2: column 'registered_on' value '2024-13-01'"),
    ("jurisdiction,registered_on\nGB,2024-01-01\nGB,2025-01-01\n", "GB is registered twice (lines 2 and 3)"),
    ("jurisdiction,registered_on,closed_on\nTX,2025-08-01,\nUS-TX,2021-01-01,2025-08-01\n",
     "regs.csv:2: column 'jurisdiction' value 'TX': US-TX is registered twice (lines 2 and 3) for the same days: line "
     "3's registration is closed on 2025-08-01, not before 2025-08-01. Where line 2 is a new registration after the "
     "first was closed, give line 3 its closed_on (the last day it was held); otherwise keep one row"),
    ("jurisdiction\nGB\n", "missing column(s) registered_on"),
    ("jurisdiction,registered_on,collecting_from,closed_on\nUS-TX,2025-01-01,2025-06-01,2025-03-31\n",
     "regs.csv:2: column 'collecting_from' value '2025-06-01': is after closed_on 2025-03-31: a permit collects only "
     "while it is held; correct one of the two dates"),
])
def test_bad_registration_rows_name_file_line_and_value(write, text, message):
    path = write("regs.csv", text)
    with pytest.raises((InputError, UnknownCode)) as caught:
        read_registrations(path, load_rules().countries())
    assert message in str(caught.value)


def test_registration_codes_read_as_decided(write):
    held = registrations(write, "jurisdiction,registered_on\nCO,2024-01-01\nUS-CA,2024-01-01\nEU-IOSS,2024-01-01\n")
    assert [r.jurisdiction for r in held] == ["US-CO", "US-CA", "EU-IOSS"]  # CO: Colombia has no rule
    countries = registrations(write, "jurisdiction,registered_on\nCA,2024-01-01\nDE,2024-01-01\n")
    assert [r.jurisdiction for r in countries] == ["CA", "DE"]  # a file of countries: Canada and Germany


# --- presence with and without dates -----------------------------------------------------------------

def item(since=None):
    return presence.Item("third-party-inventory", "US-NJ", "third-party", False, "storage", since, None, "",
                         Location("p.csv", 2))


def test_presence_dates_nexus_from_its_own_start_and_undated_presence_says_so():
    ledger = ledger_of((date(2026, 3, 1), "US-NJ", "10"))
    dated = check(ledger, load_rules(), date(2026, 6, 30), presence=presence.assess([item(date(2025, 4, 1))],
                                                                                    date(2026, 6, 30)))
    t = finding(dated, "US-NJ").timing
    assert (t.nexus_since, t.collect_from, t.action) == (date(2025, 4, 1), date(2025, 4, 1), "register-now")
    undated = finding(check(ledger, load_rules(), date(2026, 6, 30),
                            presence=presence.assess([item()], date(2026, 6, 30))), "US-NJ").timing
    assert undated.nexus_since is None and undated.action == "register-now" and undated.overdue_days is None
    assert "the presence file gives no start date" in " ".join(undated.reasons)


# --- nexus kept by the rule after the test is no longer met ------------------------------------------

def test_nexus_met_earlier_and_kept_for_the_next_year_is_nexus_today():
    rolling = make_rule(period="preceding_12_months", transactions_threshold=None, transactions_comparison=None,
                        combine=None)
    ledger = ledger_of((date(2025, 3, 10), "US-ZZ", "150000"), (date(2026, 5, 1), "US-ZZ", "10"))
    kept = timing_book({"remains": {"kind": "rest_of_year_and_next", "note": ""}})
    f = finding(check(ledger, book(rolling), date(2026, 6, 30), timed=Context(book=kept)))
    assert f.status == "below" and f.nexus == "economic" and f.timing.windows[0].until == date(2026, 12, 31)
    gone = finding(check(ledger, book(rolling), date(2026, 6, 30), timed=Context(book=timing_book({}))))
    assert gone.nexus is None and gone.timing.windows[0].until == date(2026, 3, 9)
    assert "no longer met" in " ".join(gone.timing.reasons)


def test_connecticuts_duty_lasts_to_the_30_september_that_ends_its_year_though_the_law_began_later():
    """Connecticut's statute (the wording its timing row quotes): each month's liability is decided by 'the
    12-month period ending on September 30 immediately preceding' it. USD 1,200 a day from 2018-01-05 to
    2018-09-11: 250 sales, USD 300,000 in the 12 months to 2018-09-30, over both USD 250,000 and 200. That year
    decides October 2018 to September 2019; the law applies from 2018-12-01, so nexus from 2018-12-01 to
    2019-09-30. The 12 months to 2019-09-30 hold no sale, so none after. The twelve months were counted from
    2018-12-01 and then from 2019-07-01 (the USD 100,000 version), giving nexus to 2020-06-30."""
    ledger = ledger_of(*daily(date(2018, 1, 5), date(2018, 9, 11), "1200", "US-CT"))
    f = finding(check(ledger, load_rules(), date(2019, 10, 1)), "US-CT")
    assert f.sales == Decimal(0) and f.nexus is None
    assert [(w.since, w.collect_from, w.until) for w in f.timing.windows] == [
        (date(2018, 12, 1), date(2018, 12, 1), date(2019, 9, 30))]
    assert finding(check(ledger, load_rules(), date(2019, 9, 30)), "US-CT").nexus == "economic"


def test_pennsylvanias_first_period_runs_from_july_2019_to_march_2020_on_2018_sales():
    """Act 13 of 2019 from 2019-07-01; Sales and Use Tax Bulletin 2019-01: the first period runs from 2019-07-01 to
    2020-03-31 on calendar year 2018's sales, then 1 April to 31 March on the previous year's. USD 10,000 on 15 days
    of 2018: USD 150,000, over USD 100,000. No sale in 2019, so no duty from 2020-04-01 (it ran to 2020-06-30)."""
    ledger = ledger_of(*[(date(2018, 2, 5) + timedelta(days=10 * i), "US-PA", "10000") for i in range(15)])
    f = finding(check(ledger, load_rules(), date(2020, 4, 1)), "US-PA")
    assert f.nexus is None
    assert [(w.since, w.collect_from, w.until) for w in f.timing.windows] == [
        (date(2019, 7, 1), date(2019, 7, 1), date(2020, 3, 31))]
    assert finding(check(ledger, load_rules(), date(2020, 3, 31)), "US-PA").nexus == "economic"


def windows_of(ledger, as_of, code):
    return [(w.since, w.collect_from, w.until) for w in finding(check(ledger, load_rules(), as_of), code).timing.windows]


def test_pennsylvanias_second_year_over_the_threshold_decides_the_next_april_to_march_period():
    """Bulletin 2019-01 as the Department's notice words it: 'For the April 1, 2020 - March 31, 2021 collection period,
    taxpayers should use calendar year 2019 sales'; later periods follow the same pattern. USD 10,000 on 15 days of
    2025 (USD 150,000) and on 12 days of 2026 (USD 120,000), nothing after. 2025 decides 2026-04-01 to 2027-03-31,
    2026 decides 2027-04-01 to 2028-03-31, 2027 (nothing) no period from 2028-04-01: nexus since 2026-01-01 (the
    previous calendar year is met from that day), collection from 2026-04-01, the last day 2028-03-31. Before, the
    window ended on 2027-12-31, the last day 2026's sales are the previous year's, three months short of the period
    they decide."""
    ledger = ledger_of(*[(date(2025, 2, 5) + timedelta(days=10 * i), "US-PA", "10000") for i in range(15)],
                       *[(date(2026, 2, 5) + timedelta(days=10 * i), "US-PA", "10000") for i in range(12)])
    assert windows_of(ledger, date(2028, 6, 30), "US-PA") == [(date(2026, 1, 1), date(2026, 4, 1), date(2028, 3, 31))]
    estimate = finding(check(ledger, load_rules(), date(2028, 6, 30)), "US-PA").exposure  # the tax at stake follows
    assert (estimate.start, estimate.end) == (date(2026, 4, 1), date(2028, 3, 31))
    assert finding(check(ledger, load_rules(), date(2028, 3, 31)), "US-PA").nexus == "economic"
    assert finding(check(ledger, load_rules(), date(2028, 4, 1)), "US-PA").nexus is None


def test_illinois_year_of_collection_is_determined_again_at_its_end_and_opens_the_next_year():
    """86 Ill. Adm. Code 131.115(b) and (c), as Sales Tax Institute words them: once a quarter's 12 months meet the
    test, the retailer collects 'for one year'; 'At the end of that one-year period, the retailer must determine whether
    they met either of the criteria during the preceding 12-month period, and if they do, they are required to collect
    and remit tax and file returns for the subsequent year.' USD 100,000 sold on 2026-02-10 and on 2026-11-20: the 12
    months to 2026-03-31 hold USD 100,000, so collection from 2026-04-01 to 2027-03-31; at its end the 12 months to
    2027-03-31 (2026-04-01 on) hold the November sale, USD 100,000: a second year, 2027-04-01 to 2028-03-31; at its end
    the 12 months to 2028-03-31 hold nothing. Before, nexus ended on 2027-12-31, the quarter the 12 months to
    2027-09-30 decide, three months into the second year."""
    ledger = ledger_of((date(2026, 2, 10), "US-IL", "100000"), (date(2026, 11, 20), "US-IL", "100000"))
    assert windows_of(ledger, date(2028, 6, 30), "US-IL") == [
        (date(2026, 3, 31), date(2026, 4, 1), date(2028, 3, 31))]


def test_illinois_test_met_again_within_its_year_of_collection_opens_no_new_year():
    """131.115(c): the retailer determines again 'At the end of that one-year period', not at each quarter within it.
    USD 60,000 on 2025-04-15 and USD 40,000 on 2026-03-10: the 12 months to 2026-03-31 hold USD 100,000, so collection
    from 2026-04-01 to 2027-03-31; the 12 months to 2026-06-30 hold USD 40,000 (not met), USD 70,000 more on
    2026-08-20 meet it again at 2026-09-30, inside that year. At its end the 12 months to 2027-03-31 hold USD 70,000:
    no second year, nexus ends on 2027-03-31. Before, the quarter end of 2026-09-30 opened a year of its own, to
    2027-09-30."""
    ledger = ledger_of((date(2025, 4, 15), "US-IL", "60000"), (date(2026, 3, 10), "US-IL", "40000"),
                       (date(2026, 8, 20), "US-IL", "70000"))
    assert windows_of(ledger, date(2028, 6, 30), "US-IL") == [
        (date(2026, 3, 31), date(2026, 4, 1), date(2027, 3, 31))]
    # Read on days within the year: between the quarter ends it is the year's end; with the test met again and still
    # met on the as-of date, the window is open (no last day), as for any test still met.
    assert windows_of(ledger, date(2026, 7, 15), "US-IL") == [(date(2026, 3, 31), date(2026, 4, 1), date(2027, 3, 31))]
    assert windows_of(ledger, date(2026, 11, 20), "US-IL") == [(date(2026, 3, 31), date(2026, 4, 1), None)]


def test_connecticuts_second_30_september_met_decides_the_next_october_to_september():
    """Conn. Gen. Stat. 12-407(a)(12) (the row's wording): each period's liability is decided by 'the 12-month period
    ending on September 30 immediately preceding'. USD 1,000 a day from 2025-01-05 for 150 days (USD 150,000 and 150
    sales) and from 2026-01-05 for 250 days: the 12 months to 2025-09-30 meet neither USD 100,000 AND 200 sales (150
    sales), those to 2026-09-30 do (USD 250,000, 250 sales): collection from 2026-10-01 to 2027-09-30; the 12 months
    to 2027-09-30 hold nothing. Then the same from 2027-01-05 (250 days): the 12 months to 2027-09-30 meet it again,
    a second period, 2027-10-01 to 2028-09-30."""
    once = ledger_of(*daily(date(2025, 1, 5), date(2025, 6, 3), "1000", "US-CT"),
                     *daily(date(2026, 1, 5), date(2026, 9, 11), "1000", "US-CT"))
    assert windows_of(once, date(2029, 6, 30), "US-CT") == [(date(2026, 9, 30), date(2026, 10, 1), date(2027, 9, 30))]
    twice = ledger_of(*daily(date(2026, 1, 5), date(2026, 9, 11), "1000", "US-CT"),
                      *daily(date(2027, 1, 5), date(2027, 9, 11), "1000", "US-CT"))
    assert windows_of(twice, date(2029, 6, 30), "US-CT") == [
        (date(2026, 9, 30), date(2026, 10, 1), date(2028, 9, 30))]


def test_missouri_collects_for_at_least_twelve_months_then_while_its_quarters_meet_the_test():
    """RSMo 144.605, in the words the Streamlined Sales Tax Governing Board's Missouri page quotes: the vendor 'shall
    collect and remit the tax ... for a period of not less than twelve months, beginning not more than three months
    following the close of the preceding calendar quarter, and shall continue to collect and remit the tax for as long
    as the vendor is engaged in business activities within this state, as provided for under this paragraph' (each
    quarter's 12 months). USD 100,000.01 on 2025-05-14 and on 2026-03-10: met at 2025-06-30, collection within three
    months of its close, 2025-09-30, for twelve months to 2026-09-29; the quarters to 2026-12-31 still meet it (the
    March 2026 sale), and that quarter end decides the quarter after it: nexus to 2027-03-31, not to 2027-09-29 (a
    second 12 months opened on 2026-09-30, as Illinois's year is: Missouri's words give no second period)."""
    ledger = ledger_of((date(2025, 5, 14), "US-MO", "100000.01"), (date(2026, 3, 10), "US-MO", "100000.01"))
    assert windows_of(ledger, date(2028, 6, 30), "US-MO") == [
        (date(2025, 6, 30), date(2025, 9, 30), date(2027, 3, 31))]


def test_tennessees_duty_stands_on_its_start_day_though_the_test_lapsed_before_it():
    """Rule 1320-05-01-.129(2)(b) and RS-6: a dealer that meets the threshold 'is required to register and begin
    collecting sales and use tax on the first day of the third month following the month in which it meets the
    threshold' ('if a dealer meets the threshold on January 15, 2020, the dealer is required to register, collect, and
    remit sales tax beginning on April 1, 2020'); nothing read says a fall below before that day undoes it. USD 60,000
    on 2025-10-20 and USD 40,000 on 2026-09-23: the 12 months to 2026-09-23 hold USD 100,000, met; collection from
    2026-12-01 (October, November, December); from 2026-10-20 the 12 months hold USD 40,000. Before, nexus ended on
    2026-10-19, before the duty began: as of 2026-11-15 no nexus and nothing to do, and the window's tax (none was due
    in it) 'may still be owed'. Now the duty begins on 2026-12-01 and, the test no longer met, ends that day: register
    by 2026-12-01, and the estimate holds the USD 5,000 sold on 2026-12-01, not the USD 7,000 of 2026-12-02."""
    ledger = ledger_of((date(2025, 10, 20), "US-TN", "60000"), (date(2026, 9, 23), "US-TN", "40000"),
                       (date(2026, 12, 1), "US-TN", "5000"), (date(2026, 12, 2), "US-TN", "7000"))
    soon = finding(check(ledger, load_rules(), date(2026, 11, 15)), "US-TN")
    assert (soon.nexus, soon.timing.action, soon.timing.register_by) == ("economic", "register-by", date(2026, 12, 1))
    assert any(r.startswith("The test was no longer met from 2026-10-20, before the duty from the crossing "
                            "(2026-09-23) began on 2026-12-01") for r in soon.timing.reasons)
    later = finding(check(ledger, load_rules(), date(2027, 6, 30)), "US-TN")
    assert [(w.since, w.collect_from, w.until) for w in later.timing.windows] == [
        (date(2026, 9, 23), date(2026, 12, 1), date(2026, 12, 1))]
    assert (later.exposure.start, later.exposure.end, later.exposure.taxable_sales) == (
        date(2026, 12, 1), date(2026, 12, 1), Decimal("5000"))


def test_iowas_transaction_test_keeps_no_nexus_after_hf_779_repealed_it():
    """SF 2417 from 2019-01-01: USD 100,000 or 200 sales in the current or preceding calendar year; HF 779 left
    the revenue test alone from 2019-07-01 ('Remote sellers must collect Iowa sales tax only if the remote seller
    has $100,000 or more in gross revenue', IDR). Two USD 10 sales a day from 2019-01-02: the 200th on 2019-04-11
    (day 100), collection from 2019-06-01 (the first month starting at least 30 days on), and nexus ends on
    2019-06-30. It was kept to 2020-12-31, the rest-of-year-and-next of the revenue test."""
    ledger = ledger_of(*[(date(2019, 1, 2) + timedelta(days=i // 2), "US-IA", "10") for i in range(250)])
    f = finding(check(ledger, load_rules(), date(2019, 7, 1)), "US-IA")
    assert (f.status, f.nexus, f.sales, f.transactions) == ("below", None, Decimal("2500.00"), 250)
    assert [(w.crossed, w.collect_from, w.until) for w in f.timing.windows] == [
        (date(2019, 4, 11), date(2019, 6, 1), date(2019, 6, 30))]
    # USD 110,000 on 2019-03-15 meets the revenue test, which stayed: nexus through 2020, the year after.
    revenue = finding(check(ledger_of((date(2019, 3, 15), "US-IA", "110000")), load_rules(), date(2021, 1, 1)),
                      "US-IA")
    assert [(w.since, w.collect_from, w.until) for w in revenue.timing.windows] == [
        (date(2019, 3, 15), date(2019, 5, 1), date(2020, 12, 31))]


def test_a_rolling_test_missed_for_days_before_its_duty_began_keeps_the_first_crossings_dates():
    # Met on 2025-12-05 (USD 110,000 in the 12 months to that day), missed on 10 and 11 January when the January
    # 2025 sale leaves the window, met again on 12 January: the rule's start date counts from the month the test
    # is met (1 March, Tennessee's kind), and the days missed before that day do not move it to 1 April.
    rolling = make_rule(period="preceding_12_months", transactions_threshold=None, transactions_comparison=None,
                        combine=None)
    ledger = ledger_of((date(2025, 1, 10), "US-ZZ", "60000"), (date(2025, 12, 5), "US-ZZ", "50000"),
                       (date(2026, 1, 12), "US-ZZ", "55000"))
    months = timing_book({"collect": {"kind": "first_of_month_after_months", "months": 3}})
    f = finding(check(ledger, book(rolling), date(2026, 2, 15), timed=Context(book=months)))
    t = f.timing
    assert (t.nexus_since, t.collect_from, t.register_by, t.action) == (date(2025, 12, 5), date(2026, 3, 1),
                                                                       date(2026, 3, 1), "register-by")
    assert [(w.since, w.until, w.missed) for w in t.windows] == [
        (date(2025, 12, 5), None, ((date(2026, 1, 10), date(2026, 1, 11)),))]
    assert ("The test was not met on 2026-01-10 to 2026-01-11, and was met again before 2026-03-01, the day the duty "
            "from the first crossing (2025-12-05) began") in " ".join(t.reasons)
    assert t.windows[0].as_dict()["missed"] == [["2026-01-10", "2026-01-11"]]
    # Met again only after the duty's day: a new crossing, with dates of its own. The first crossing's duty still
    # begins on its day, 2026-03-01, and ends there, the test no longer met (it ended on 2026-01-09, before the duty
    # began, until the test lapsing before the start day was read as undoing it).
    late = ledger_of((date(2025, 1, 10), "US-ZZ", "60000"), (date(2025, 12, 5), "US-ZZ", "50000"),
                     (date(2026, 3, 12), "US-ZZ", "55000"))
    t = finding(check(late, book(rolling), date(2026, 4, 15), timed=Context(book=months))).timing
    assert [(w.since, w.until, w.collect_from, w.lapsed_on) for w in t.windows] == [
        (date(2025, 12, 5), date(2026, 3, 1), date(2026, 3, 1), date(2026, 1, 10)),
        (date(2026, 3, 12), None, date(2026, 6, 1), None)]


# --- crossings ahead, on series whose crossing day is known exactly ----------------------------------

def test_a_straight_line_crosses_on_the_day_its_total_passes_the_threshold():
    ledger = ledger_of(*daily(date(2026, 1, 1), date(2026, 3, 31), "1000"))  # 90,000 by 31 March
    f = finding(check(ledger, book(RULE), date(2026, 3, 31), timed=Context(book=timing_book({}))))
    assert f.status == "approaching"
    assert f.timing.projected_crossing == date(2026, 4, 11)  # 101,000 > 100,000 on the 101st day
    assert "the daily pace of the 90 days to 2026-03-31 (USD 1000.00" in f.timing.projection


def test_a_step_is_projected_at_the_new_pace():
    rule = make_rule(sales_threshold="400000", transactions_threshold=None, transactions_comparison=None,
                     combine=None)
    ledger = ledger_of(*daily(date(2026, 1, 1), date(2026, 2, 28), "100"),
                       *daily(date(2026, 3, 1), date(2026, 6, 30), "1500"))  # 188,900 by 30 June
    f = finding(check(ledger, book(rule), date(2026, 6, 30), timed=Context(book=timing_book({}))))
    assert f.timing.projected_crossing == date(2026, 11, 18)  # 398,900 after 140 days, 400,400 on the 141st


def test_a_seasonal_series_crosses_in_its_busy_month_and_the_run_rate_does_not():
    rule = make_rule(sales_threshold="180000", transactions_threshold=None, transactions_comparison=None,
                     combine=None)
    ledger = ledger_of(*daily(date(2025, 1, 1), date(2025, 11, 30), "100"),
                       *daily(date(2025, 12, 1), date(2025, 12, 31), "4000"),
                       *daily(date(2026, 1, 1), date(2026, 6, 30), "300"))
    seasonal = finding(check(ledger, book(rule), date(2026, 6, 30), timed=Context(book=timing_book({}),
                                                                                projection="seasonal")))
    assert seasonal.timing.projected_crossing == date(2026, 12, 28)  # 69,600 by November, then 4,000 a day
    pace = finding(check(ledger, book(rule), date(2026, 6, 30), timed=Context(book=timing_book({}))))
    assert pace.timing.projected_crossing is None and "not met within 365 days" in pace.timing.projection


def test_a_worldwide_test_is_projected_at_the_worldwide_pace():
    """Switzerland's way: any sale there, and worldwide sales of at least 100,000. The worldwide pace is every
    sale of the 90 days, wherever made; it was counted only on days with a sale in the rule's own place (here
    one day), so the crossing was not projected at all."""
    rule = make_rule(sales_threshold="0", transactions_threshold=None, transactions_comparison=None, combine=None,
                     global_threshold="100000", global_comparison="at_least")
    ledger = ledger_of((date(2026, 1, 5), "US-ZZ", "10"),
                       *daily(date(2026, 1, 1), date(2026, 3, 31), "1000", place="US-YY"))  # 90,010 by 31 March
    f = finding(check(ledger, book(rule), date(2026, 3, 31), timed=Context(book=timing_book({}))))
    assert f.status == "approaching"
    # 90,010 / 90 = 1,000.11 a day: 99,011.0 after 9 days, 100,011.1 on 2026-04-10
    assert f.timing.projected_crossing == date(2026, 4, 10)


def test_the_horizon_bounds_the_projection():
    ledger = ledger_of(*daily(date(2026, 1, 1), date(2026, 3, 31), "1000"))
    f = finding(check(ledger, book(RULE), date(2026, 3, 31), timed=Context(horizon=10, book=timing_book({}))))
    assert f.timing.projected_crossing is None and "not met within 10 days" in f.timing.projection


def test_a_crossing_already_in_the_data_is_projected_on_the_quarter_end_that_measures_it():
    """A rule measured at quarter ends (12 months to the last quarter end) can have sales past its threshold
    before the as-of date and still be below: the quarter that holds them has not ended. Its projected
    crossing is the quarter end on which the test is first met as the rule measures it, never a past day."""
    rule = make_rule(period="preceding_12_months_at_quarter_end", transactions_threshold=None,
                     transactions_comparison=None, combine=None)
    ledger = ledger_of((date(2025, 4, 1), "US-ZZ", "10"), (date(2026, 4, 10), "US-ZZ", "60000"),
                       (date(2026, 5, 15), "US-ZZ", "50000"))
    f = finding(check(ledger, book(rule), date(2026, 5, 31), timed=Context(book=timing_book({}))))
    assert f.status == "below"  # 12 months to 2026-03-31: USD 10
    # 110,000 > 100,000 on 2026-05-15, but measured only from the quarter end of 2026-06-30
    assert f.timing.projected_crossing == date(2026, 6, 30)


@pytest.mark.parametrize("period, measured_on", [
    ("preceding_12_months_at_quarter_end", date(2026, 6, 30)),  # Illinois, Minnesota: the next quarter end
    ("preceding_12_months_at_month_end", date(2026, 4, 30)),  # Vermont, the UK's home test: the next month end
    ("ny_preceding_four_quarters", date(2026, 5, 31)),  # New York: its sales-tax quarter ending in May
    ("ct_12_months_ending_september_30", date(2026, 9, 30)),  # Connecticut: the next 30 September
    ("previous_calendar_year", date(2027, 1, 1)),  # Florida: 2026's sales are measured from 1 January 2027
])
def test_a_crossing_ahead_is_projected_on_the_day_the_rule_measures_it(period, measured_on):
    """'Crossing next' is the day the rule finds its test met, as 'Since' is: at 1,000 a day the running total
    passes 100,000 on 2026-04-10 or 04-11 (with or without the 10 sold on 2025-06-01, by the window), but a rule
    measured at a quarter end, a month end, on 30 September or on the previous calendar year finds it met only
    on that day. Worked by hand: 90,000 sold from 1 January to 31 March, 1,000 a day ahead."""
    rule = make_rule(period=period, transactions_threshold=None, transactions_comparison=None, combine=None)
    ledger = ledger_of((date(2025, 6, 1), "US-ZZ", "10"), *daily(date(2026, 1, 1), date(2026, 3, 31), "1000"))
    f = finding(check(ledger, book(rule), date(2026, 3, 31), timed=Context(book=timing_book({}))))
    assert f.status in ("approaching", "below") and f.sales > 0
    assert "USD 1000.00" in f.timing.projection  # 90,000 over the 90 days to 31 March
    assert f.timing.projected_crossing == measured_on


@pytest.mark.parametrize("period, as_of, measured_on, prior", [
    # Florida's way: USD 100,000.01 sold in 2025 (the last sale on 29 July), nothing in 2024 but a sale elsewhere;
    # 2025 is measured from 1 January 2026, whatever is sold after 30 September
    ("previous_calendar_year", date(2025, 12, 31), date(2026, 1, 1), (date(2024, 1, 5), "US-YY", "10")),
    ("previous_calendar_year", date(2025, 12, 31), date(2026, 1, 1), (date(2024, 1, 5), "US-ZZ", "10")),
    # Connecticut's: the 12 months to 30 September 2025 hold the sales; the last is more than 90 days back
    ("ct_12_months_ending_september_30", date(2025, 9, 15), date(2025, 9, 30), (date(2024, 1, 5), "US-ZZ", "10")),
    # a period the data does not reach at all (no order in 2024): 'not covered', and the crossing still certain
    ("previous_calendar_year", date(2025, 9, 30), date(2026, 1, 1), None),
])
def test_a_crossing_the_sales_already_made_decide_is_given_though_nothing_was_sold_lately(period, as_of, measured_on,
                                                                                          prior):
    """Sales already made can meet a test the rule measures only later (the previous calendar year on 1 January, the
    12 months to 30 September on that day): the crossing is then certain, not a projection at a pace, and is given
    whatever the pace of the last 90 days (none here) and whatever the period measured on the as-of date held. Worked
    by hand: USD 60,000 on 2025-03-01 and 40,000.01 on 2025-07-29 pass USD 100,000 on 29 July."""
    rule = make_rule(period=period, transactions_threshold=None, transactions_comparison=None, combine=None)
    rows = [(date(2025, 3, 1), "US-ZZ", "60000"), (date(2025, 7, 29), "US-ZZ", "40000.01")]
    ledger = ledger_of(*([prior] if prior else []), *rows)
    f = finding(check(ledger, book(rule), as_of, timed=Context(book=timing_book({}))))
    assert f.nexus is None
    assert f.timing is not None and f.timing.projected_crossing == measured_on
    assert f"met by the sales made to {as_of}" in f.timing.projection


# --- through the command line -----------------------------------------------------------------------

def test_cli_registrations_json_timeline_and_fail_on_overdue(write):
    import json

    from click.testing import CliRunner

    from nexus.cli import cli

    orders = write("o.csv", "date,country,region,amount,currency\n2025-03-02,US,FL,150000,USD\n"
                            "2025-03-02,US,GA,150000,USD\n2026-06-01,US,GA,10,USD\n")
    regs = write("r.csv", "jurisdiction,registered_on,collecting_from,id\nUS-FL,2026-01-01,2026-02-01,FL-12345678\n")
    args = ["check", "--sales", orders, "--as-of", "2026-06-30", "--registrations", regs, "--category", "goods"]
    data = json.loads(CliRunner().invoke(cli, args + ["--format", "json"], catch_exceptions=False).stdout)
    by = {f["jurisdiction"]: f for f in data["findings"]}
    fl, ga = by["US-FL"], by["US-GA"]
    assert (fl["action"], fl["collect_from"], fl["gap"]) == ("registered", "2026-01-01",
                                                            {"from": "2026-01-01", "to": "2026-01-31", "days": 31})
    assert fl["registration"]["id"] == "...5678" and "FL-12345678" not in json.dumps(data)
    assert ga["action"] == "register-now" and ga["nexus_since"] == "2025-03-02" and ga["overdue_days"] > 0
    events = [(e["date"], e["jurisdiction"], e["event"]) for e in data["summary"]["timeline"]]
    order = ("crossed", "nexus since", "collect from", "register by", "registered", "projected crossing")
    assert events == sorted(events, key=lambda e: (e[0], e[1], order.index(e[2])))
    assert ("2026-01-01", "US-FL", "registered") in events
    assert data["summary"]["actions"]["register-now"] == 1
    assert CliRunner().invoke(cli, args + ["--fail-on", "overdue"]).exit_code == 1
    screen = CliRunner().invoke(cli, args).stdout
    assert "overdue" in screen and "gap 31 d" in screen
    bad = write("bad.csv", "jurisdiction,registered_on\nXX,2026-01-01\n")
    result = CliRunner().invoke(cli, ["check", "--sales", orders, "--registrations", bad])
    assert result.exit_code == 2 and "bad.csv:2: column 'jurisdiction' value 'XX'" in result.stderr


def test_a_start_rule_names_its_month_in_english():
    """Tennessee's start rule read 'from the first day of the 3th month after the month the test is met'."""
    from nexus.timing_rules import Start

    assert Start("first_of_month_after_months", months=3).words() == (
        "from the first day of the 3rd month after the month the test is met")
    assert [Start("first_of_month_after_months", months=n).words().split()[6] for n in (1, 2, 4, 11, 21)] == [
        "1st", "2nd", "4th", "11th", "21st"]


def test_a_rolling_test_met_names_no_crossing_day_of_the_as_of_window_beside_an_earlier_nexus_since():
    # The 12 months to the as-of date reached the threshold on some day inside them, but nexus began when an
    # earlier 12 months met the test: the first reason names no 'crossed on' day that contradicts 'Nexus since'.
    rolling = make_rule(period="preceding_12_months", transactions_threshold=None, transactions_comparison=None,
                        combine=None)
    ledger = ledger_of(*daily(date(2025, 1, 1), date(2026, 6, 30), "300"))
    f = finding(check(ledger, book(rolling), date(2026, 6, 30), timed=Context(book=timing_book({}))))
    assert f.status == "exceeded" and f.timing.nexus_since == date(2025, 11, 30)
    assert f.crossed_on == date(2026, 5, 30)  # the as-of window's own running total, still in the JSON
    assert "crossed on" not in f.reasons[0]
    assert "Nexus since 2025-11-30" in " ".join(f.timing.reasons)
    # A calendar-year test keeps its day: the year's running total passed the threshold then.
    yearly = finding(check(ledger, book(make_rule(transactions_threshold=None, transactions_comparison=None,
                                                  combine=None)), date(2026, 6, 30)))
    assert "crossed on 2025-11-30" in yearly.reasons[0]


def test_presence_before_the_sales_test_leads_the_collect_from_reason_not_the_later_crossing():
    """Stock in New Jersey from 2025-04-01; USD 1,000 a day from 2025-09-01 passes New Jersey's '> USD 100,000' on
    2025-12-10 (the 101st day). The finding collects and registers from 2025-04-01 (the presence); its reasons
    said only 'Collect from 2025-12-10 ... register by 2026-01-09' beside 'the deadline was 2025-04-01'."""
    ledger = ledger_of(*daily(date(2025, 9, 1), date(2025, 12, 31), "1000", "US-NJ"))
    t = finding(check(ledger, load_rules(), date(2026, 6, 30),
                      presence=presence.assess([item(date(2025, 4, 1))], date(2026, 6, 30))), "US-NJ").timing
    assert (t.nexus_since, t.collect_from, t.register_by) == (date(2025, 4, 1), date(2025, 4, 1), date(2025, 4, 1))
    said = " ".join(t.reasons)
    assert "Collect from 2025-04-01: from the day the physical presence began" in said
    assert "Collect from 2025-12-10" not in said
    assert "The sales test alone would have collection start on 2025-12-10" in said


def test_a_us_test_removed_keeps_its_window_in_the_finding_and_says_the_version_is_no_longer_in_force():
    # South Dakota counted 200 transactions until 2023-06-30. 250 sales of USD 100 from 2022-03-01, one a day: the
    # 200th on 2022-09-16; nexus to 2023-06-30, the version's last day; tax on the 51 sales from 2022-09-16 (USD 5,100)
    # at 4.5%: USD 229.50. The rule is still in force (without the transaction test): its finding dates the window.
    rows = [(date(2022, 3, 1) + timedelta(days=i), "US-SD", "100", "USD", "goods") for i in range(250)]
    ledger = Ledger()
    for i, (day, place, amount, code, category) in enumerate(rows):
        ledger.add(Order(f"o{i}", day, place, Decimal(amount), code, "direct", "sale", "no", category,
                         Location("t.csv")))
    result = check(ledger, load_rules(), date(2026, 6, 30))
    sd, = [f for f in result.findings if f.jurisdiction == "US-SD"]
    w, = sd.timing.windows
    assert (w.since, w.until) == (date(2022, 9, 16), date(2023, 6, 30))
    assert sd.exposure.taxable_sales == Decimal("5100") and sd.exposure.uncollected.central == Decimal("229.5")
    assert any("which is no longer in force from 2023-07-01" in r and ">= 200 transactions" in r for r in sd.reasons)


def test_the_timeline_dates_an_ended_window_from_the_day_its_rule_found_the_test_met_not_before_the_rule(write):
    """Washington's first economic-nexus rule took effect on 2018-10-01 (>= USD 100,000 or 200 transactions), the
    next one on 2019-03-14 (> USD 100,000). USD 100,000.00 sold on 2018-02-01 meets the first from 2018-10-01 and
    not the second: nexus from 2018-10-01 to 2019-03-13, by hand. The timeline listed that window as a test met on
    2018-02-01, a day no rule of Washington's was in force; an auditor reads each date against the rule of its day."""
    import json

    from click.testing import CliRunner

    from nexus.cli import cli

    orders = write("o.csv", "date,country,region,amount,currency,category\n2018-02-01,US,WA,100000.00,USD,goods\n")
    data = json.loads(CliRunner().invoke(cli, ["check", "--sales", orders, "--as-of", "2019-06-30", "--format",
                                               "json"], catch_exceptions=False).stdout)
    wa = next(f for f in data["findings"] if f["jurisdiction"] == "US-WA")
    assert [(w["since"], w["until"]) for w in wa["nexus_windows"]] == [("2018-10-01", "2019-03-13")]
    events = [e for e in data["summary"]["timeline"] if e["jurisdiction"] == "US-WA"]
    assert [(e["date"], e["event"]) for e in events] == [("2018-10-01", "crossed")]
    assert events[0]["detail"] == ("test met (calendar year 2018): the sales test was met on 2018-02-01 (calendar "
                                   "year 2018), and the rule took effect on 2018-10-01; nexus ended 2019-03-13")


def test_a_wisconsin_duty_that_rested_on_the_transaction_test_ends_when_the_test_was_repealed(write):
    """2021 Wis. Act 1 removed the 200-transaction test from 2021-02-20; the DOR's Registration and Collection Dates
    page: a seller required to register only by the transaction count in the previous year collects through
    2021-02-19. 250 sales of USD 10 into Wisconsin, one a day from 2020-03-02: the 200th on 2020-09-17, nexus from
    that day. Sales from 2020-09-17 to 2021-02-19: the 51 of 2020-09-17 to 2020-11-06, USD 510. USD 1,000 sold on
    2021-06-01 is under the USD 100,000 test alone, not met. By hand, as of 2021-12-31: the window ends 2021-02-19,
    USD 510 taxable, no nexus now. The 'rest of the year and the next' of the start row kept it to 2021-12-31, taxed
    the June sale and said 'register now'."""
    import json

    from click.testing import CliRunner

    from nexus.cli import cli

    rows = [f"2020-{(date(2020, 3, 2) + timedelta(days=i)).strftime('%m-%d')},US,WI,10.00,USD,goods" for i in range(250)]
    orders = write("o.csv", "date,country,region,amount,currency,category\n" + "\n".join(rows)
                   + "\n2021-06-01,US,WI,1000.00,USD,goods\n")
    data = json.loads(CliRunner().invoke(cli, ["check", "--sales", orders, "--as-of", "2021-12-31", "--format",
                                               "json"], catch_exceptions=False).stdout)
    wi = next(f for f in data["findings"] if f["jurisdiction"] == "US-WI")
    assert [(w["since"], w["until"]) for w in wi["nexus_windows"]] == [("2020-09-17", "2021-02-19")]
    assert (wi["nexus"], wi["action"]) == (None, None)
    assert (wi["exposure"]["from"], wi["exposure"]["to"], wi["exposure"]["taxable_sales"]) == (
        "2020-09-17", "2021-02-19", "510.00")


def _japan(as_of, *rows, home=None):
    """Japan's finding for digital sales in JPY, (day, amount) each, by the bundled rules and start rules."""
    ledger = Ledger()
    for day, amount in rows:
        ledger.add(Order("", day, "JP", Decimal(amount), "JPY", "direct", "sale", "no", "digital", Location("t.csv")))
        ledger.rows_read += 1
    return finding(check(ledger, load_rules(), as_of, home=home), "JP").timing


@pytest.mark.parametrize("home", ["JP", None])
def test_japans_notification_is_due_after_the_period_that_meets_the_test_not_on_the_crossing_day(home):
    """Japan's test is made on the total of the specified period (January to June of the previous year) or the base
    period (the year before last), Consumption Tax Act arts. 9 and 9-2: refunds before the end can take it back below,
    and a specified period may be measured by salaries. The notification of becoming taxable is due 'promptly'
    (art. 57(1)), so the earliest day it can be due is the day after the period ends. Worked by hand: JPY 6,000,000 on
    2025-02-03 and 5,000,000 on 2025-03-10 pass JPY 10 million on 2025-03-10 in the specified period 2025-01-01 to
    2025-06-30: register by 2025-07-01 (was 2025-03-10, the crossing day), overdue on 2026-10-31 by 184 + 303 = 487
    days (2025-07-01 to 2025-12-31, then 2026-01-01 to 2026-10-31), not 600; tax from 2026-01-01 as before (the year
    the specified period decides), nexus since the crossing day as before. The same for a seller established in Japan
    and for one established elsewhere (the same articles, the same data row)."""
    specified = _japan(date(2026, 10, 31), (date(2025, 2, 3), "6000000"), (date(2025, 3, 10), "5000000"), home=home)
    assert (specified.nexus_since, specified.collect_from, specified.register_by, specified.action,
            specified.overdue_days) == (date(2025, 3, 10), date(2026, 1, 1), date(2025, 7, 1), "register-now", 487)
    assert "register by 2025-07-01 (due promptly, with no day count, once specified period 2025-01-01 to " \
        "2025-06-30 has ended: the day after it ends is used" in " ".join(specified.reasons)
    # Before the period ends, the notification is not yet due: on 2025-05-31 the deadline is ahead.
    ahead = _japan(date(2025, 5, 31), (date(2025, 2, 3), "6000000"), (date(2025, 3, 10), "5000000"), home=home)
    assert (ahead.register_by, ahead.action) == (date(2025, 7, 1), "register-by")
    # Passed in September, JPY 11,000,000 meets only the base period (calendar year 2025), which decides 2027: tax from
    # 2027-01-01 as before, register by 2026-01-01 (was 2025-09-10), 303 days before 2026-10-31.
    base = _japan(date(2026, 10, 31), (date(2025, 2, 3), "6000000"), (date(2025, 9, 10), "5000000"), home=home)
    assert (base.nexus_since, base.collect_from, base.register_by, base.overdue_days) == (
        date(2025, 9, 10), date(2027, 1, 1), date(2026, 1, 1), 303)


def _bundled_timing_with(jurisdiction, register):
    """The bundled start rules, with ``jurisdiction``'s registration deadlines replaced by ``register``."""
    document = json.loads(json.dumps(datafiles.document("registration-timing.json")))
    for row in document["rules"]:
        if row["jurisdiction"] == jurisdiction:
            row["register"] = register
    return parse_timing(document)


def test_japans_deadline_after_the_period_is_read_from_its_data_row_not_from_its_period():
    """The day after the period measured is Japan's data row's reading of art. 57(1) ('promptly', kind
    promptly_after_period_end), not a rule of code for Japan's periods: the same orders under a row that said
    'unknown' give the crossing day, the earliest possible date, as for any country whose sources are silent."""
    orders = (date(2025, 2, 3), "6000000"), (date(2025, 3, 10), "5000000")
    row = next(r for r in datafiles.document("registration-timing.json")["rules"] if r["jurisdiction"] == "JP")
    assert row["register"]["kind"] == "promptly_after_period_end"
    ledger = Ledger()
    for day, amount in orders:
        ledger.add(Order("", day, "JP", Decimal(amount), "JPY", "direct", "sale", "no", "digital", Location("t.csv")))
        ledger.rows_read += 1
    unknown = _bundled_timing_with("JP", {"kind": "unknown", "days": None, "months": None, "date": None})
    timing = finding(check(ledger, load_rules(), date(2026, 10, 31), home="JP", timed=Context(book=unknown)),
                     "JP").timing
    assert (timing.collect_from, timing.register_by) == (date(2026, 1, 1), date(2025, 3, 10))
    assert "register by 2025-03-10 (the sources say nothing usable" in " ".join(timing.reasons)


def test_a_deadline_due_promptly_after_the_period_reads_the_same_for_any_country_with_such_a_row():
    """One reading for every row of kind promptly_after_period_end, whatever the country: Testland's test on the
    previous calendar year, met by USD 500 a day from 2024-01-01 (past USD 100,000 on the 201st day, 2024-07-19), is
    due the day after calendar year 2024 ends, 2025-01-01, not on the crossing day."""
    book_ = timing_book({"register": {"kind": "promptly_after_period_end"}})
    rule = make_rule(transactions_threshold=None, transactions_comparison=None, combine=None,
                     period="previous_calendar_year")
    result = check(ledger_of(*daily(date(2024, 1, 1), date(2024, 12, 31), "500")), book(rule), date(2025, 3, 31),
                   timed=Context(book=book_))
    t = finding(result).timing
    assert t.register_by == date(2025, 1, 1)
    assert "register by 2025-01-01 (due promptly, with no day count, once calendar year 2024 has ended" in \
        " ".join(t.reasons)


def test_a_past_window_under_a_rule_no_longer_in_force_runs_its_12_month_cycles_too():
    """A rule no longer in force on the as-of date (nexus.lapsed) dates its windows as a finding does. Testland
    measures the previous calendar year (over USD 100,000), collects from the next 1 April for a 1 April to 31 March
    period (Pennsylvania's words), and ends on 2028-12-31. USD 150,000 in 2025 and in 2026 decide 2026-04-01 to
    2027-03-31 and 2027-04-01 to 2028-03-31: the past window, read as of 2029-06-30, ends on 2028-03-31 (it ended on
    2027-12-31), and its estimate's days with it."""
    rule = make_rule(period="previous_calendar_year", transactions_threshold=None, transactions_comparison=None,
                     combine=None, effective_to="2028-12-31")
    cycles = timing_book({"collect": {"kind": "next_date", "date": "04-01"},
                          "remains": {"kind": "next_12_months", "note": ""}})
    ledger = ledger_of((date(2025, 3, 10), "US-ZZ", "150000"), (date(2026, 3, 10), "US-ZZ", "150000"))
    result = check(ledger, book(rule), date(2029, 6, 30), timed=Context(book=cycles))
    past, = result.past_windows
    assert (past.window.since, past.window.collect_from, past.end) == (date(2026, 1, 1), date(2026, 4, 1),
                                                                       date(2028, 3, 31))
    assert (past.exposure.start, past.exposure.end) == (date(2026, 4, 1), date(2028, 3, 31))
