"""Periods of limitation (nexus.limitation, data/limitation-periods.json), worked by hand from the statutes' words.

Tax periods are months (nexus assumes monthly returns). A past window's tax is tax no return declared, so each
answer follows what the statute says of a seller that filed no return.
"""
import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from data_sources import kind, unmarked
from nexus.errors import RulesError
from nexus.limitation import Due, assess, limitation_rows, parse_rows

TABLE = json.loads((Path(__file__).resolve().parent.parent / "data" / "limitation-periods.json").read_text())
#: Sweden: goods over SEK 320,000 from 2019-03-01, the window open to the end of 2020 (tax years 2019 and 2020).
SWEDEN_2019 = ("SE", date(2019, 3, 1), date(2020, 12, 31))


def test_a_swedish_2019_window_checked_after_six_years_from_the_end_of_2020_has_run():
    # SFL 66 kap. 27 §: six years from the end of the calendar year the tax year ended: 2020's tax to 2026-12-31.
    said = assess(*SWEDEN_2019, date(2027, 3, 1))
    assert (said.status, said.first_ends, said.last_ends) == ("run", date(2025, 12, 31), date(2026, 12, 31))
    assert said.words.startswith("run on 2027-03-01: the last day to assess the window's tax was 2026-12-31")
    assert "SFL 66 kap. 27 §" in said.words and "no separate rule for a seller that filed no return" in said.words
    assert said.sources[0].startswith("https://www4.skatteverket.se/") and said.short == "ran 2026-12-31"


def test_a_swedish_2019_window_in_2026_has_run_for_2019_and_not_for_2020():
    said = assess(*SWEDEN_2019, date(2026, 3, 1))
    assert (said.status, said.first_ends, said.last_ends) == ("partly run", date(2025, 12, 31), date(2026, 12, 31))
    assert "tax of the periods to 2019-12 could be assessed until 2025-12-31 at the latest" in said.words
    assert "later periods until 2026-12-31" in said.words and said.short == "part ran, to 2026-12-31"


def test_the_last_day_itself_is_still_inside_the_period():
    said = assess(*SWEDEN_2019, date(2025, 12, 31))
    assert (said.status, said.short) == ("running", "open to 2026-12-31")
    assert "until 2025-12-31 for its first tax period and 2026-12-31 for its last" in said.words


def test_a_south_dakota_window_of_a_seller_that_never_filed_has_no_period_running():
    # SDCL 10-59-16: three years from the filing of the return; no bar for a period with no return filed.
    said = assess("US-SD", date(2019, 1, 1), date(2023, 6, 30), date(2026, 12, 6))
    assert (said.status, said.first_ends, said.last_ends, said.short) == ("not running", None, None, "open, no bar")
    assert said.words.startswith("not running: South Dakota has no bar to assessing tax of a period for which the "
                                 "seller neither registered nor filed a return (SDCL 10-59-16)")
    assert "once a return is filed, 3 years from the filing of its return" in said.words


def test_germany_defers_the_start_three_years_for_a_seller_that_filed_no_return():
    # AO § 169(2): four years; § 170(2) no. 1: start at the end of the third year after the tax arose at the latest.
    # May 2019's VAT: 2019 + 3 + 4 = the end of 2026; June 2021's: the end of 2028. Evaded: 2021 + 3 + 10 = 2034.
    said = assess("DE", date(2019, 5, 1), date(2021, 6, 30), date(2026, 12, 6))
    assert (said.status, said.first_ends, said.last_ends) == ("running", date(2026, 12, 31), date(2028, 12, 31))
    assert "7 years from the end of the calendar year of its tax period, AO §§ 169-170" in said.words
    assert "to 2034-12-31 for its last tax period" in said.words
    assert assess("DE", date(2019, 5, 1), date(2019, 12, 31), date(2027, 1, 1)).status == "run"


def test_a_uk_seller_that_never_registered_has_twenty_years_and_the_footing_is_said():
    # VATA 1994 s. 77(4) and HMRC's CH51530: 20 years from the end of the period where the person failed to notify a
    # relevant obligation: May 2019's VAT to 2039-05-31, December 2020's to 2040-12-31.
    said = assess("GB", date(2019, 5, 1), date(2020, 12, 31), date(2026, 12, 6))
    assert (said.status, said.first_ends, said.last_ends) == ("running", date(2039, 5, 31), date(2040, 12, 31))
    assert "20 years from the end of its tax period, VATA 1994 s. 77(1), (4), for a seller that filed no return" \
        in said.words
    assert "on the footing that not registering was a failure to notify" in said.words


def test_without_a_no_return_rule_the_answer_is_unknown_and_gives_the_period_for_returns_filed():
    # Colorado: three years after the return was filed (C.R.S. 39-21-107(1)); the non-filer's rule was not read.
    said = assess("US-CO", date(2019, 1, 1), date(2019, 12, 31), date(2026, 12, 6))
    assert (said.status, said.last_ends) == ("unknown", None)
    assert said.words.startswith("unknown: the statute read gives no period for a seller that filed no return")
    assert "Where returns were filed: 3 years from the filing of its return, C.R.S. 39-21-107(1)." in said.words


def test_a_place_without_a_row_is_unknown_and_says_so():
    said = assess("BR", date(2019, 1, 1), date(2021, 6, 30), date(2026, 12, 6))
    assert (said.status, said.sources) == ("unknown", ())
    assert said.words == ("unknown: nexus's data hold no period of limitation for BR; the window is listed however "
                          "old it is.")


def test_france_gives_ten_years_for_a_seller_that_never_filed_nor_made_itself_known():
    # LPF art. L176: three years from the end of the year the tax became chargeable; ten for an 'activité occulte'
    # (no return filed in time, the activity not made known): May 2019's VAT to 2029-12-31, June 2021's to 2031.
    said = assess("FR", date(2019, 5, 1), date(2021, 6, 30), date(2026, 12, 6))
    assert (said.status, said.first_ends, said.last_ends) == ("running", date(2029, 12, 31), date(2031, 12, 31))
    assert "activité occulte" in said.words and "three years from the end of the year" in said.words


def test_the_netherlands_five_years_have_run_for_2020_and_not_for_2021():
    # AWR art. 20(3): five years after the end of the calendar year the tax debt arose.
    said = assess("NL", date(2019, 5, 1), date(2021, 6, 30), date(2026, 12, 6))
    assert (said.status, said.first_ends, said.last_ends) == ("partly run", date(2024, 12, 31), date(2026, 12, 31))
    assert "tax of the periods to 2020-12 could be assessed until 2025-12-31 at the latest" in said.words


def test_a_period_counted_from_a_due_date_nexus_does_not_hold_is_unknown_and_says_why():
    # Hungary: five years from the end of the year the return was due (Art. § 202); the monthly return's deadline was
    # read only in a secondary summary, so no due date is held.
    said = assess("HU", date(2019, 5, 1), date(2021, 6, 30), date(2026, 12, 6))
    assert (said.status, said.last_ends, said.short) == ("unknown", None, "unknown")
    assert said.words.startswith("unknown: 5 years from the end of the calendar year in which its return was due, "
                                 "Art. (Act CL of 2017) § 202")
    assert "nexus's data do not hold that day, so no date can be worked out" in said.words


def test_spain_counts_four_years_from_the_30th_of_the_next_month_in_2021_moved_off_weekends():
    # LGT arts. 66-67: four years from the day after the end of the filing period; the Tax Agency's Manual IVA 2021:
    # a monthly return from the 1st to the 30th of the next month, January's until the last day of February. January
    # 2021's: 2021-02-28, a Sunday, so Monday 2021-03-01, to 2025-03-01; April's: 2021-05-30, a Sunday, so 2021-05-31,
    # to 2025-05-31; May's: 2021-06-30, to 2025-06-30; June's: 2021-07-30, a Friday, to 2025-07-30.
    said = assess("ES", date(2021, 1, 1), date(2021, 6, 30), date(2025, 6, 1))
    assert (said.status, said.first_ends, said.last_ends, said.confidence) == (
        "partly run", date(2025, 3, 1), date(2025, 7, 30), "secondary")
    assert said.words.startswith("partly run on 2025-06-01: tax of the periods to 2021-04 could be assessed until "
                                 "2025-05-31 at the latest, that of later periods until 2025-07-30 (4 years from the "
                                 "due date of its return, LGT arts. 66-67;")
    assert ("The return for 2021-01 was due 2021-03-01 and the one for 2021-06 on 2021-07-30 (assumed monthly filing; "
            "moved off weekends, not off public holidays; AEAT Manual práctico IVA 2021).") in said.words
    assert any(s.startswith("https://sede.agenciatributaria.gob.es/") for s in said.sources)
    assert assess("ES", date(2021, 1, 1), date(2021, 6, 30), date(2025, 7, 31)).status == "run"
    # The deadlines of 2019 and 2020 were not read in a primary text: a window starting then gets no date.
    before = assess("ES", date(2019, 5, 1), date(2021, 6, 30), date(2026, 12, 6))
    assert (before.status, before.last_ends) == ("unknown", None)
    assert ("nexus's data hold that due date (AEAT Manual práctico IVA 2021) for tax periods from 2021-01 only, and "
            "the window starts in 2019-05") in before.words


def test_poland_counts_five_years_from_the_end_of_the_year_the_25th_of_the_next_month_fell_in():
    # Ordynacja podatkowa art. 70 § 1: five years from the end of the year the payment deadline passed; VAT Act
    # art. 103 ust. 1: the tax for a month is paid by the 25th of the next month. May 2019's: 2019-06-25, to
    # 2024-12-31; November 2020's: 2020-12-25, to 2025-12-31; December 2020's: 2021-01-25, so with June 2021's
    # (2021-07-25): to 2026-12-31. On 2026-12-06 the periods to November 2020 have run.
    said = assess("PL", date(2019, 5, 1), date(2021, 6, 30), date(2026, 12, 6))
    assert (said.status, said.first_ends, said.last_ends, said.confidence) == (
        "partly run", date(2024, 12, 31), date(2026, 12, 31), "official")
    assert said.words.startswith("partly run on 2026-12-06: tax of the periods to 2020-11 could be assessed until "
                                 "2025-12-31 at the latest, that of later periods until 2026-12-31 (5 years from the "
                                 "end of the calendar year in which its tax fell due for payment, Ordynacja podatkowa "
                                 "art. 70 § 1;")
    assert ("The tax for 2019-05 fell due for payment on 2019-06-25 and the one for 2021-06 on 2021-07-25 (assumed "
            "monthly filing; ustawa o VAT art. 103 ust. 1).") in said.words
    assert "https://dlajurysty.pl/prawo/art/103podatek-od-towarow-i-uslug" in said.sources
    assert assess("PL", date(2021, 1, 1), date(2021, 6, 30), date(2027, 1, 1)).status == "run"


def test_denmark_counts_three_years_from_the_monthly_deadline_the_25th_and_june_17_august():
    # SFL § 31(1): three years after the filing deadline; ML § 57(2): a month's return by the 25th of the next month,
    # June's 1 month and 17 days after its end. January 2020's return was due 2020-02-25 (a Tuesday): to 2023-02-25;
    # June 2021's 2021-08-17 (a Tuesday): to 2024-08-17. Both have passed on 2026-12-06.
    said = assess("DK", date(2020, 1, 1), date(2021, 6, 30), date(2026, 12, 6))
    assert (said.status, said.first_ends, said.last_ends, said.short) == (
        "run", date(2023, 2, 25), date(2024, 8, 17), "ran 2024-08-17")
    assert said.words.startswith("run on 2026-12-06: the last day to assess the window's tax was 2024-08-17 (3 years "
                                 "from the due date of its return, SFL § 31(1);")
    assert ("The return for 2020-01 was due 2020-02-25 and the one for 2021-06 on 2021-08-17 (assumed monthly filing; "
            "moved off weekends, not off public holidays; ML § 57(2)).") in said.words
    assert "https://elov.dk/momsloven/paragraf/57/" in said.sources


def test_denmark_moves_a_deadline_on_a_saturday_to_the_monday():
    # March 2020's return was due on the 25th of April 2020, a Saturday: the Monday, 2020-04-27; three years to
    # 2023-04-27.
    said = assess("DK", date(2020, 3, 1), date(2020, 3, 31), date(2023, 4, 27))
    assert (said.status, said.first_ends, said.last_ends) == ("running", date(2023, 4, 27), date(2023, 4, 27))
    assert "The return for 2020-03 was due 2020-04-27 (assumed monthly filing;" in said.words
    assert assess("DK", date(2020, 3, 1), date(2020, 3, 31), date(2023, 4, 28)).status == "run"


def test_a_tax_period_before_the_due_date_rule_read_is_unknown_and_says_why():
    # ML § 57(2)'s days are held for tax periods from 2020-01 only: a window from May 2019 gets no date at all.
    said = assess("DK", date(2019, 5, 1), date(2021, 6, 30), date(2026, 12, 6))
    assert (said.status, said.first_ends, said.last_ends) == ("unknown", None, None)
    assert said.words.startswith("unknown: 3 years from the due date of its return, SFL § 31(1)")
    assert ("nexus's data hold that due date (ML § 57(2)) for tax periods from 2020-01 only, and the window starts in "
            "2019-05, so no date can be worked out.") in said.words


def test_czechia_counts_three_years_from_the_25th_of_the_next_month():
    # daňový řád § 148(1): three years from the day the deadline for the return passed; ZDPH § 101(1): within 25 days
    # after the tax period. May 2019's return: 2019-06-25, to 2022-06-25; November 2020's: 2020-12-25, to 2023-12-25;
    # December 2020's: 2021-01-25, to 2024-01-25; June 2021's: 2021-07-25, to 2024-07-25. On 2024-01-01 the periods
    # to November 2020 have run.
    said = assess("CZ", date(2019, 5, 1), date(2021, 6, 30), date(2024, 1, 1))
    assert (said.status, said.first_ends, said.last_ends) == ("partly run", date(2022, 6, 25), date(2024, 7, 25))
    assert said.words.startswith("partly run on 2024-01-01: tax of the periods to 2020-11 could be assessed until "
                                 "2023-12-25 at the latest, that of later periods until 2024-07-25")
    assert ("The return for 2019-05 was due 2019-06-25 and the one for 2021-06 on 2021-07-25 (assumed monthly filing; "
            "not moved off weekends or public holidays; ZDPH § 101(1); daňový řád § 136(4)).") in said.words


def test_italy_counts_seven_years_from_the_year_the_annual_return_was_due():
    # DPR 633/1972 art. 57(2): no return filed, 31 December of the seventh year after the year the return was due;
    # DPR 322/1998 art. 8(1): the annual return for a year's VAT is due by 30 April of the next year. 2019's VAT:
    # return due 2020-04-30, to 2027-12-31; 2021's: due 2022-04-30, to 2029-12-31.
    said = assess("IT", date(2019, 5, 1), date(2021, 6, 30), date(2026, 12, 6))
    assert (said.status, said.first_ends, said.last_ends) == ("running", date(2027, 12, 31), date(2029, 12, 31))
    assert ("The annual return for 2019 was due 2020-04-30 and the one for 2021 on 2022-04-30 "
            "(DPR 322/1998 art. 8(1)).") in said.words
    assert "assumed monthly filing" not in said.words  # the law ties the period to the annual return
    later = assess("IT", date(2019, 5, 1), date(2021, 6, 30), date(2028, 3, 1))
    assert later.status == "partly run" and "periods to 2019-12 could be assessed until 2027-12-31" in later.words
    # 2016's return was due in February 2017, not on the day held: no date.
    assert assess("IT", date(2016, 5, 1), date(2021, 6, 30), date(2026, 12, 6)).status == "unknown"


def test_slovakia_counts_five_years_from_the_end_of_the_year_the_return_was_due():
    # daňový poriadok § 69: five years from the end of the year the return was due; VAT Act § 78: within 25 days
    # after the tax period. December 2019's and every 2020 return but December's were due in 2020: to 2025-12-31;
    # December 2020's was due 2021-01-25, so with 2021's: to 2026-12-31.
    said = assess("SK", date(2019, 12, 1), date(2021, 6, 30), date(2026, 12, 6))
    assert (said.status, said.first_ends, said.last_ends) == ("partly run", date(2025, 12, 31), date(2026, 12, 31))
    assert ("tax of the periods to 2020-11 could be assessed until 2025-12-31 at the latest, that of later periods "
            "until 2026-12-31") in said.words
    assert "The return for 2019-12 was due 2020-01-25 and the one for 2021-06 on 2021-07-25" in said.words
    # Periods running during the pandemic period were extended by 203 days, which nexus does not model: no date.
    before = assess("SK", date(2019, 5, 1), date(2021, 6, 30), date(2026, 12, 6))
    assert before.status == "unknown" and "203 days" in before.words


def test_illinois_says_its_exceptions_for_reasonable_cause_and_voluntary_disclosure():
    said = assess("US-IL", date(2019, 1, 1), date(2019, 12, 31), date(2026, 12, 6))
    assert said.status == "not running" and "reasonable cause for not filing, six years" in said.words


def test_massachusetts_has_no_bar_for_a_non_filer_and_says_its_seven_year_policy():
    # G.L. c. 62C § 26: three years from filing or the due date; TIR 96-2: a non-filer at any time, by policy seven.
    said = assess("US-MA", date(2017, 10, 1), date(2019, 9, 30), date(2026, 12, 6))
    assert said.status == "not running" and said.words.startswith("not running: Massachusetts has no bar")
    assert "most recent seven years (TIR 96-2)" in said.words


def test_ireland_has_no_bar_where_no_return_was_made():
    # VATCA 2010 s. 113(2): 'neglect' includes a failure to make a return; then an assessment may be made at any time.
    said = assess("IE", date(2019, 5, 1), date(2021, 6, 30), date(2026, 12, 6))
    assert said.status == "not running" and "(VATCA 2010 s. 113); once a return is filed, 4 years" in said.words


def test_romania_counts_five_years_from_july_1_of_the_next_year():
    # Codul de procedură fiscală art. 110: five years from July 1 of the year after the tax year: May 2020's VAT
    # to 2026-07-01, June 2021's to 2027-07-01; checked on 2026-12-06, 2020's periods have run and 2021's not.
    said = assess("RO", date(2020, 5, 1), date(2021, 6, 30), date(2026, 12, 6))
    assert (said.status, said.first_ends, said.last_ends) == ("partly run", date(2026, 7, 1), date(2027, 7, 1))
    assert "tax of the periods to 2020-12 could be assessed until 2026-07-01 at the latest" in said.words


def test_croatia_six_years_from_the_end_of_the_year_the_tax_arose():
    # General Tax Act (2017): six years from the end of the year the tax obligation arose (a secondary reading).
    said = assess("HR", date(2019, 5, 1), date(2021, 6, 30), date(2026, 12, 6))
    assert (said.status, said.first_ends, said.last_ends, said.confidence) == (
        "partly run", date(2025, 12, 31), date(2027, 12, 31), "secondary")
    assert said.words.startswith("partly run on 2026-12-06: tax of the periods to 2019-12 could be assessed until "
                                 "2025-12-31 at the latest, that of later periods until 2027-12-31")


def test_washington_says_its_practice_beside_the_statute():
    said = assess("US-WA", date(2019, 1, 1), date(2019, 12, 31), date(2026, 12, 6))
    assert said.status == "not running" and "seven years plus the current year" in said.words


def test_every_row_is_sourced_and_official_only_on_a_primary_source():
    assert unmarked(TABLE["rules"], "limitation-periods") == []
    assert {r.jurisdiction for r in limitation_rows()} >= {"SE", "DE", "GB", "US-SD"}
    for row in TABLE["rules"]:
        assert row["last_verified"] and row["effective_from"] and row["cite"] and row["notes"], row["jurisdiction"]


def test_every_due_date_rests_on_the_statute_or_the_authority_and_is_dated():
    dues = [(row["jurisdiction"], term["due"]) for row in TABLE["rules"] for term in
            (row["period"], row["no_return"], row["extended"]) if isinstance(term, dict) and "due" in term]
    assert {place for place, _ in dues} == {"CZ", "DK", "ES", "IT", "JP", "KR", "PL", "SK", "US-CA", "US-ID",
                                            "US-ND", "US-NM", "US-PA", "US-RI", "US-VA"}
    for place, due in dues:
        assert kind(due["sources"][0]) in ("primary", "copy"), place
        assert "unclassified" not in {kind(s) for s in due["sources"]}, place
        assert due["effective_from"] and due["cite"] and due["notes"], place


DUE = {"return": "monthly", "months": 1, "day": 25, "cite": "ML § 57(2)", "effective_from": "2020-01-01",
       "sources": ["https://elov.dk/momsloven/paragraf/57/"]}


@pytest.mark.parametrize("override, message", [
    ({"period": "unlimited"}, "say the period, or 'unknown'"),
    ({"period": {"years": 4, "starts": "end_of_calendar_year", "due": DUE}}, "a due date is said only for a period"),
    ({"period": {"years": 3, "starts": "return_due", "due": dict(DUE, **{"return": "weekly"})}},
     "'return' must be one of monthly, annual"),
    ({"period": {"years": 3, "starts": "return_due", "due": dict(DUE, day=32)}}, "day 32 is not a day of the month"),
    ({"period": {"years": 3, "starts": "return_due", "due": dict(DUE, sources=[])}}, "needs 'cite' and 'sources'"),
    ({"period": {"years": 4}}, "a period needs years or months and 'starts'"),
    ({"no_return": "forever"}, "'forever' is not a period"),
    ({"sources": []}, "no sources"),
    ({"effective_from": "2019-13-01"}, "is not a date")])
def test_the_loader_refuses_a_bad_row_and_names_it(override, message):
    row = dict(next(r for r in TABLE["rules"] if r["jurisdiction"] == "DE"), **override)
    with pytest.raises(RulesError, match=message) as caught:
        parse_rows({"rules": [row]})
    assert "limitation-periods.json row 1 (DE)" in str(caught.value)


def test_bulgaria_counts_five_years_from_the_year_after_payment_fell_due_and_says_it_has_no_date():
    # ДОПК чл. 171(1): public claims are extinguished five years from 1 January of the year after the year in which
    # they should have been paid; the VAT payment deadline is not in nexus's data, so no last day can be worked out.
    # (2): ten years from the same day whatever suspends or interrupts it.
    said = assess("BG", date(2020, 1, 1), date(2021, 6, 30), date(2026, 12, 6))
    assert (said.status, said.first_ends, said.last_ends, said.confidence) == ("unknown", None, None, "official")
    assert said.words.startswith("unknown: 5 years from the end of the calendar year in which its tax fell due for "
                                 "payment, ДОПК чл. 171; the sources read give no separate rule for a seller that "
                                 "filed no return; nexus's data do not hold that day")
    assert "ten years from the same 1 January" in said.words and said.sources[0].startswith("https://staging.egov.bg/")


def test_finland_three_years_from_the_start_of_the_year_after_the_tax_period_have_run_by_2026():
    # OVML 768/2016 § 44: three years from the point in § 4, the beginning of the year after the calendar year of the
    # tax period. May 2019's VAT: from 2020-01-01 to 2022-12-31; June 2021's: to 2024-12-31. No separate rule for a
    # seller that filed no return (assessment by estimate, § 43, has no period of its own).
    said = assess("FI", date(2019, 5, 1), date(2021, 6, 30), date(2026, 12, 6))
    assert (said.status, said.first_ends, said.last_ends, said.short) == (
        "run", date(2022, 12, 31), date(2024, 12, 31), "ran 2024-12-31")
    assert "OVML 768/2016 §§ 4, 44; the sources read give no separate rule" in said.words
    assert "(§ 46)" in said.words and said.sources[0].startswith("https://github.com/eliask/finlex-data/")
    mid = assess("FI", date(2019, 5, 1), date(2021, 6, 30), date(2024, 6, 30))
    assert (mid.status, mid.short) == ("partly run", "part ran, to 2024-12-31")
    assert "tax of the periods to 2020-12 could be assessed until 2023-12-31 at the latest" in mid.words


def test_lithuania_gives_the_current_and_three_preceding_years_where_returns_were_filed():
    # MAĮ 68 str. 1 d. (from 2020-01-01): the current and three preceding calendar years, counted back from 1 January
    # of the year the calculation begins: June 2021's VAT in a calculation begun by 2024-12-31. Whether a seller that
    # filed no return falls in the five-year cases of 4 d. was not read, so it gets no date.
    said = assess("LT", date(2019, 5, 1), date(2021, 6, 30), date(2026, 12, 6))
    assert (said.status, said.last_ends, said.short) == ("unknown", None, "unknown")
    assert said.words.startswith("unknown: the statute read gives no period for a seller that filed no return "
                                 "(Lithuania)")
    assert ("Where returns were filed: 3 years from the end of the calendar year of its tax period, MAĮ 68 str. 1 d., "
            "to 2024-12-31 for its last tax period.") in said.words
    # 4 d.: the current and five preceding years for a taxpayer failing the reliable-taxpayer criteria: to 2026-12-31.
    assert "minimum criteria of a reliable taxpayer" in said.words
    assert ("5 years from the end of the calendar year of its tax period, to 2026-12-31 for its last tax period"
            in said.words)


def test_estonia_counts_three_years_from_the_due_date_of_the_unfiled_return_and_says_it_has_no_date():
    # MKS § 98(1): three years from the due date of the return that was not filed; the VAT return's due date is not
    # in nexus's data, so no last day is worked out.
    said = assess("EE", date(2019, 5, 1), date(2021, 6, 30), date(2026, 12, 6))
    assert (said.status, said.first_ends, said.last_ends) == ("unknown", None, None)
    assert said.words.startswith("unknown: 3 years from the due date of its return, MKS § 98(1), for a seller that "
                                 "filed no return; nexus's data do not hold that day")
    assert "six years in the 2013 text" in said.words


def test_louisiana_says_its_three_years_from_the_end_of_the_year_due_and_the_local_non_filer_rule():
    # R.S. 47:337.67(A) and the Constitution: three years from 31 December of the year the tax became due; the state's
    # rule for a failure to file was not read, (D)(1)'s for local taxes is said beside it.
    said = assess("US-LA", date(2020, 7, 1), date(2021, 12, 31), date(2026, 12, 6))
    assert (said.status, said.last_ends) == ("unknown", None)
    assert ("Where returns were filed: 3 years from the end of the calendar year in which its tax fell due for "
            "payment, R.S. 47:1580; 47:337.67.") in said.words
    assert "interrupts prescription until the return is filed (R.S. 47:337.67(D)(1))" in said.words


def test_wyoming_three_year_audit_period_is_given_for_returns_filed_only():
    # W.S. 39-15-108(a)(iii): an audit covers at most the three years before the reporting period in which it is
    # engaged, so December 2020's tax can be reached by an audit engaged in December 2023; its exceptions were not
    # read, so a seller that never filed gets no date.
    said = assess("US-WY", date(2019, 2, 1), date(2020, 12, 31), date(2026, 12, 6))
    assert (said.status, said.short) == ("unknown", "unknown")
    assert ("Where returns were filed: 3 years from the end of its tax period, W.S. 39-15-108(a)(iii), to 2023-12-31 "
            "for its last tax period.") in said.words


def test_cyprus_six_years_from_the_end_of_the_tax_period_have_run_for_2019_and_2020_to_november():
    # VAT Law 95(I)/2000 art. 50(1): six years from the end of the tax period; (2) twelve for fraud or deliberate
    # omission. May 2019's VAT to 2025-05-31; November 2020's to 2026-11-30 (run on 2026-12-06), December 2020's to
    # 2026-12-31; June 2021's to 2027-06-30. Fraud: June 2021 + 12 years = 2033-06-30.
    said = assess("CY", date(2019, 5, 1), date(2021, 6, 30), date(2026, 12, 6))
    assert (said.status, said.first_ends, said.last_ends, said.short) == (
        "partly run", date(2025, 5, 31), date(2027, 6, 30), "part ran, to 2027-06-30")
    assert "tax of the periods to 2020-11 could be assessed until 2026-11-30 at the latest" in said.words
    assert "12 years from the end of its tax period, to 2033-06-30 for its last tax period" in said.words
    assert "a quarterly period ends up to two months later" in said.words


def test_alaska_gives_the_uniform_codes_two_years_from_the_due_date_where_returns_were_filed():
    # ARSSTC Uniform Code as enacted in Bethel (BMC 4.16A.120(C), .140(E)): a return may be adjusted within two years
    # of its original due date; nothing read for a seller that filed no return, and no due dates in nexus's data.
    said = assess("US-AK", date(2020, 4, 1), date(2021, 12, 31), date(2026, 12, 6))
    assert (said.status, said.last_ends) == ("unknown", None)
    assert ("Where returns were filed: 2 years from the due date of its return, ARSSTC Uniform Code .120(C), .140(E) "
            "(BMC 4.16A).") in said.words


def test_connecticut_has_no_bar_for_a_seller_that_never_filed_as_the_court_read_its_statutes():
    # Duval v. Brown (Conn. Super. Ct. 1974): no provision limits the time to collect sales tax where no return was
    # ever filed; the three years where one was filed read only in a vendor's summary, so the row is secondary.
    said = assess("US-CT", date(2018, 12, 1), date(2019, 12, 31), date(2026, 12, 6))
    assert (said.status, said.short, said.confidence) == ("not running", "open, no bar", "secondary")
    assert said.words.startswith("not running: Connecticut has no bar to assessing tax of a period for which the "
                                 "seller neither registered nor filed a return (Conn. Gen. Stat. 12-415 (Duval v. "
                                 "Brown, 1974)); once a return is filed, 3 years from the filing of its return or its "
                                 "due date, whichever is later.")


def test_north_dakota_counts_six_years_from_the_quarterly_returns_due_date_for_a_non_filer():
    # N.D.C.C. 57-39.2-15 (as quoted): six years after the due date of the return where none was filed; 57-39.2-11(1):
    # the quarterly return is due the last day of the month after the quarter. October 2018 is on the return for
    # October to December, due 2019-01-31: to 2025-01-31. July to September 2020: due 2020-10-31, to 2026-10-31 (run
    # on 2026-12-06); October 2020: due 2021-01-31, to 2027-01-31; June 2021: due 2021-07-31, to 2027-07-31.
    said = assess("US-ND", date(2018, 10, 1), date(2021, 6, 30), date(2026, 12, 6))
    assert (said.status, said.first_ends, said.last_ends, said.confidence) == (
        "partly run", date(2025, 1, 31), date(2027, 7, 31), "secondary")
    assert said.words.startswith("partly run on 2026-12-06: tax of the periods to 2020-09 could be assessed until "
                                 "2026-10-31 at the latest, that of later periods until 2027-07-31 (6 years from the "
                                 "due date of its return, N.D.C.C. 57-39.2-15, for a seller that filed no return).")
    assert "The return for 2018-Q4 was due 2019-01-31 and the one for 2021-Q2 on 2021-07-31" in said.words
    assert "No period runs where the return was fraudulent or the tax evaded." in said.words


def test_utah_has_no_bar_where_no_return_was_filed_and_no_period_read_for_returns_filed():
    # The Tax Commission: no statute of limitations for assessing the tax if no return is filed; 59-1-1410 not read.
    said = assess("US-UT", date(2019, 1, 1), date(2019, 12, 31), date(2026, 12, 6))
    assert (said.status, said.short, said.confidence) == ("not running", "open, no bar", "official")
    assert "once a return is filed" not in said.words
    assert said.sources[0] == "https://tax.utah.gov/index.php?page_id=3881"


def test_maryland_has_no_bar_on_the_footing_of_gross_negligence_and_says_so():
    # Tax-General 13-1102: four years from the date the tax is due; at any time on proof of fraud or gross negligence,
    # of which an underpayment of 25% or more is prima facie evidence: a seller that paid none underpaid 100%.
    said = assess("US-MD", date(2018, 10, 1), date(2019, 12, 31), date(2026, 12, 6))
    assert (said.status, said.short) == ("not running", "open, no bar")
    assert "(Tax-General § 13-1102); once a return is filed, 4 years from the due date of its return." in said.words
    assert "prima facie evidence of gross negligence" in said.words
    assert "where the seller rebuts it, 4 years from the date the tax was due apply" in said.words


def test_missouri_has_no_bar_for_neglect_to_file_and_says_the_good_faith_exception():
    # RSMo 144.220: no limitation for neglect or refusal to make a return; otherwise three years from filing or due.
    said = assess("US-MO", date(2023, 1, 1), date(2023, 12, 31), date(2026, 12, 6))
    assert said.status == "not running" and said.words.startswith("not running: Missouri has no bar")
    assert "(RSMo 144.220); once a return is filed, 3 years from the filing of its return or its due date" in said.words
    assert "Lora v. Director of Revenue" in said.words


def test_nebraska_uses_the_higher_of_two_secondary_readings_six_years_from_the_end_of_the_next_month():
    # Six years after the last day of the month following the period (a vendor's summary; five in a firm's 2013 note):
    # January 2019 to 2025-02-28; October 2020 to 2026-11-30 (run on 2026-12-06); November 2020 to 2026-12-31;
    # December 2020 to 2027-01-31.
    said = assess("US-NE", date(2019, 1, 1), date(2020, 12, 31), date(2026, 12, 6))
    assert (said.status, said.first_ends, said.last_ends, said.confidence) == (
        "partly run", date(2025, 2, 28), date(2027, 1, 31), "conflict")
    assert "tax of the periods to 2020-10 could be assessed until 2026-11-30 at the latest" in said.words
    assert "(6 years and 1 month from the end of its tax period, Neb. Rev. Stat. 77-2709" in said.words


def test_nevada_eight_year_look_back_for_an_unregistered_seller_and_the_month_it_may_add():
    # The Department of Taxation: an unregistered business's audit can go back 8 years (NRS 360.355). October 2018 to
    # 2026-10-31, November 2018 to 2026-11-30 (both run on 2026-12-06), December 2018 to 2026-12-31, June 2021 to
    # 2029-06-30.
    said = assess("US-NV", date(2018, 10, 1), date(2021, 6, 30), date(2026, 12, 6))
    assert (said.status, said.first_ends, said.last_ends) == ("partly run", date(2026, 10, 31), date(2029, 6, 30))
    assert "tax of the periods to 2018-11 could be assessed until 2026-11-30 at the latest" in said.words
    assert "each period stays assessable a month longer" in said.words


def test_new_mexico_seven_years_from_the_end_of_the_year_the_tax_fell_due_december_a_year_later():
    # NMSA 7-1-18(C): seven years from the end of the calendar year in which the tax was due; monthly tax is due the
    # 25th of the next month. July 2019 (due 2019-08-25) to 2026-12-31; December 2019 (due 2020-01-25) to 2027-12-31;
    # June 2021 to 2028-12-31. Fraud (B): ten years, to 2031-12-31. On 2027-01-05 July to November 2019 have run.
    window = ("US-NM", date(2019, 7, 1), date(2021, 6, 30))
    said = assess(*window, date(2026, 12, 6))
    assert (said.status, said.first_ends, said.last_ends) == ("running", date(2026, 12, 31), date(2028, 12, 31))
    assert "The tax for 2019-07 fell due for payment on 2019-08-25" in said.words
    assert "assumed monthly filing" in said.words and "to 2031-12-31 for its last tax period" in said.words
    later = assess(*window, date(2027, 1, 5))
    assert later.status == "partly run"
    assert "tax of the periods to 2019-11 could be assessed until 2026-12-31 at the latest" in later.words


def test_california_gives_eight_years_from_the_month_after_the_quarter_to_a_seller_that_never_filed():
    # R&TC 6487(a): failure to make a return, eight years after the last day of the calendar month following the
    # quarterly period. April 2019 is in 2019-Q2: from 2019-07-31 to 2027-07-31; June 2021 in 2021-Q2: to 2029-07-31.
    said = assess("US-CA", date(2019, 4, 1), date(2021, 6, 30), date(2026, 12, 6))
    assert (said.status, said.first_ends, said.last_ends, said.short) == (
        "running", date(2027, 7, 31), date(2029, 7, 31), "open to 2029-07-31")
    assert "(8 years from the due date of its return, R&TC 6487, for a seller that filed no return)" in said.words
    assert ("The return for 2019-Q2 was due 2019-07-31 and the one for 2021-Q2 on 2021-07-31 (not moved off weekends "
            "or public holidays; R&TC 6487(a)).") in said.words
    assert "three years instead of eight (R&TC 6487.05)" in said.words and said.confidence == "official"


def test_california_counts_the_months_of_a_quarter_together_and_the_next_quarter_later():
    # April to June 2019 (Q2) run from 2019-07-31 to 2027-07-31; July 2019 (Q3) from 2019-10-31 to 2027-10-31. On
    # 2027-08-15 the second quarter has run and July has not.
    said = assess("US-CA", date(2019, 4, 1), date(2019, 7, 31), date(2027, 8, 15))
    assert (said.status, said.first_ends, said.last_ends) == ("partly run", date(2027, 7, 31), date(2027, 10, 31))
    assert ("tax of the periods to 2019-06 could be assessed until 2027-07-31 at the latest, that of later periods "
            "until 2027-10-31") in said.words
    assert assess("US-CA", date(2019, 4, 1), date(2019, 6, 30), date(2027, 7, 31)).status == "running"
    assert assess("US-CA", date(2019, 4, 1), date(2019, 6, 30), date(2027, 8, 1)).status == "run"


def test_a_quarterly_due_date_refuses_days_for_single_months():
    row = dict(next(r for r in TABLE["rules"] if r["jurisdiction"] == "US-CA"))
    due = dict(row["no_return"]["due"], **{"except": {"6": {"months": 2, "day": "last"}}})
    row["no_return"] = dict(row["no_return"], due=due)
    with pytest.raises(RulesError, match="'except' names tax months 1 to 12 of a monthly return"):
        parse_rows({"rules": [row]})


def test_texas_has_no_bar_where_no_report_was_filed_and_four_years_once_one_is():
    # Tax Code 111.205(a)(2): no report filed, assessment at any time; 111.201: four years from due and payable.
    said = assess("US-TX", date(2019, 10, 1), date(2021, 6, 30), date(2026, 12, 6))
    assert (said.status, said.short) == ("not running", "open, no bar")
    assert said.words.startswith("not running: Texas has no bar to assessing tax of a period for which the seller "
                                 "neither registered nor filed a return (Tax Code 111.201, 111.205); once a return "
                                 "is filed, 4 years from the due date of its return.")
    assert "No period runs where the return was fraudulent or the tax evaded." in said.words


def test_new_york_has_no_bar_where_no_return_was_filed_and_three_years_from_filing_or_due_date():
    # 20 NYCRR 535.3(a): three years from filing, an early return deemed filed on its last day; no return filed, no
    # time period limits assessment; (b)(1) neither does a willfully false or fraudulent return.
    said = assess("US-NY", date(2018, 6, 21), date(2020, 12, 31), date(2026, 12, 6))
    assert said.status == "not running" and said.words.startswith("not running: New York has no bar")
    assert ("(Tax Law 1147(b); 20 NYCRR 535.3); once a return is filed, 3 years from the filing of its return or its "
            "due date, whichever is later.") in said.words


def test_ohio_has_no_bar_for_a_vendor_that_failed_to_file_and_says_the_rule_for_tax_collected():
    # R.C. 5739.16(A)(2): the four years do not bar an assessment where the vendor failed to file a return; (A)(1)
    # nor where tax collected from consumers was not returned. Fraud is not named, so no 'longer' sentence.
    said = assess("US-OH", date(2019, 8, 1), date(2020, 12, 31), date(2026, 12, 6))
    assert said.status == "not running" and "once a return is filed, 4 years from the filing" in said.words
    assert "tax collected from customers and not returned (R.C. 5739.16(A)(1)" in said.words
    assert "fraudulent" not in said.words


def test_new_jersey_assesses_a_non_filer_at_any_time():
    # N.J.S.A. 54:49-6(b): four years from filing; failure to file or fraud: at any time.
    said = assess("US-NJ", date(2018, 11, 1), date(2019, 12, 31), date(2026, 12, 6))
    assert said.status == "not running" and "(N.J.S.A. 54:49-6(b)); once a return is filed, 4 years" in said.words


def test_michigan_and_florida_give_the_period_for_returns_filed_only():
    # MCL 205.27a(2): four years from the later of the filing date set and the filing (Treasury's RAB 1988-20); the
    # rule for a sales tax non-filer was not read. F.S. 95.091(3)(a): three years, read only in a summary.
    michigan = assess("US-MI", date(2018, 10, 1), date(2019, 12, 31), date(2026, 12, 6))
    assert (michigan.status, michigan.last_ends, michigan.confidence) == ("unknown", None, "official")
    assert ("Where returns were filed: 4 years from the filing of its return or its due date, whichever is later, "
            "MCL 205.27a(2).") in michigan.words
    florida = assess("US-FL", date(2021, 7, 1), date(2022, 6, 30), date(2026, 12, 6))
    assert (florida.status, florida.confidence) == ("unknown", "secondary")
    assert "Where returns were filed: 3 years from the filing of its return or its due date" in florida.words


def test_virginia_gives_six_years_from_the_20th_of_the_next_month_to_a_seller_that_never_filed():
    # Va. Code 58.1-634: failure to file a return, six years from the date the tax became due and payable;
    # 58.1-615(A): the return for a month by the 20th of the next. October 2020's: due 2020-11-20, to 2026-11-20 (run
    # on 2026-12-06); November 2020's: due 2020-12-20, to 2026-12-20; June 2021's: due 2021-07-20, to 2027-07-20.
    said = assess("US-VA", date(2019, 7, 1), date(2021, 6, 30), date(2026, 12, 6))
    assert (said.status, said.first_ends, said.last_ends) == ("partly run", date(2025, 8, 20), date(2027, 7, 20))
    assert said.words.startswith("partly run on 2026-12-06: tax of the periods to 2020-10 could be assessed until "
                                 "2026-11-20 at the latest, that of later periods until 2027-07-20 (6 years from the "
                                 "due date of its return, Va. Code 58.1-634, for a seller that filed no return)")
    assert ("The return for 2019-07 was due 2019-08-20 and the one for 2021-06 on 2021-07-20 (assumed monthly filing; "
            "not moved off weekends or public holidays; Va. Code 58.1-615(A)).") in said.words


@pytest.mark.parametrize("place, name, cite", [
    ("US-DC", "District of Columbia", "D.C. Code § 47-4301"),
    ("US-SC", "South Carolina", "S.C. Code § 12-54-85"),
    ("US-WV", "West Virginia", "W. Va. Code § 11-10-15")])
def test_no_bar_for_a_non_filer_and_three_years_from_the_later_of_filing_and_due_date_once_filed(place, name, cite):
    # D.C. Code § 47-4301(a), (b), (d)(1); S.C. Code § 12-54-85(A), (C)(2); W. Va. Code § 11-10-15(a), (b)(1): three
    # years (thirty-six months) from the filing, an early return counting as filed on its due date; a failure to
    # file: at any time. A window of 2019 to 2021 never filed is still open on 2026-12-06, with no date.
    said = assess(place, date(2019, 7, 1), date(2021, 6, 30), date(2026, 12, 6))
    assert (said.status, said.first_ends, said.last_ends, said.confidence) == ("not running", None, None, "official")
    assert said.words.startswith(f"not running: {name} has no bar to assessing tax of a period for which the seller "
                                 f"neither registered nor filed a return ({cite}); once a return is filed, 3 years "
                                 f"from the filing of its return or its due date, whichever is later.")
    assert "No period runs where the return was fraudulent or the tax evaded." in said.words


def test_hawaii_counts_three_years_from_the_annual_return_and_has_no_bar_without_it():
    # HRS § 237-40(a): three years after the annual return was filed or its due date, whichever is later; (b) a
    # failure to file the annual return: at any time. The answer says the period runs from the annual return.
    said = assess("US-HI", date(2018, 7, 1), date(2020, 12, 31), date(2026, 12, 6))
    assert (said.status, said.short) == ("not running", "open, no bar")
    assert "Hawaii has no bar to assessing tax of a period for which the seller neither registered" in said.words
    assert "counts the three years from the annual general excise return of the year" in said.words
    assert said.sources[0] == "https://library.partnertax.ai/us-hi/stat/237-40"
    # Before the row's first day (Hawaii's economic-nexus rule from 2018-07-01) there is no row: unknown.
    assert assess("US-HI", date(2018, 7, 1), date(2018, 12, 31), date(2018, 6, 30)).status == "unknown"


def test_idaho_gives_a_non_filer_seven_years_from_the_20th_of_the_next_month():
    # Idaho Code § 63-3633(c): where no return was filed, seven years from the time it should have been filed;
    # § 63-3623(a), (c): the month's return on or before the 20th of the next month. June 2019's return was due
    # 2019-07-20 (a Saturday, not moved): to 2026-07-20; October 2019's 2019-11-20: to 2026-11-20 (run on 2026-12-06);
    # November 2019's 2019-12-20: to 2026-12-20; December 2021's 2022-01-20: to 2029-01-20. Fraud: no bar, (b).
    said = assess("US-ID", date(2019, 6, 1), date(2021, 12, 31), date(2026, 12, 6))
    assert (said.status, said.first_ends, said.last_ends, said.short) == (
        "partly run", date(2026, 7, 20), date(2029, 1, 20), "part ran, to 2029-01-20")
    assert said.words.startswith("partly run on 2026-12-06: tax of the periods to 2019-10 could be assessed until "
                                 "2026-11-20 at the latest, that of later periods until 2029-01-20 (7 years from the "
                                 "due date of its return, Idaho Code § 63-3633, for a seller that filed no return).")
    assert ("The return for 2019-06 was due 2019-07-20 and the one for 2021-12 on 2022-01-20 (assumed monthly filing; "
            "not moved off weekends or public holidays; Idaho Code § 63-3623(a), (c)).") in said.words
    assert "No period runs where the return was fraudulent or the tax evaded." in said.words
    assert "https://www.keepinglawsimple.org/states/idaho/bills/2026/H0891" in said.sources
    assert assess("US-ID", date(2019, 6, 1), date(2019, 10, 31), date(2026, 11, 21)).status == "run"


def test_rhode_island_bars_every_determination_ten_years_after_the_return_was_due():
    # R.I. Gen. Laws § 44-19-13(b): no deficiency determination more than ten years after the return was filed or
    # was due to be filed; § 44-19-10(a): the month's return by the 20th of the next month. July 2019's return was
    # due 2019-08-20: to 2029-08-20; June 2021's 2021-07-20: to 2031-07-20. The same ten years bar fraud.
    said = assess("US-RI", date(2019, 7, 1), date(2021, 6, 30), date(2026, 12, 6))
    assert (said.status, said.first_ends, said.last_ends) == ("running", date(2029, 8, 20), date(2031, 7, 20))
    assert said.words.startswith("running on 2026-12-06: the window's tax can be assessed until 2029-08-20 for its "
                                 "first tax period and 2031-07-20 for its last (10 years from the due date of its "
                                 "return, R.I. Gen. Laws § 44-19-13, for a seller that filed no return).")
    assert "The return for 2019-07 was due 2019-08-20 and the one for 2021-06 on 2021-07-20" in said.words
    assert "10 years from the due date of its return, to 2031-07-20 for its last tax period." in said.words
    # The row is used from 2019-07-15, the day the 2019 acts that read so were enacted: before it, unknown.
    assert assess("US-RI", date(2019, 7, 1), date(2019, 7, 31), date(2019, 7, 14)).status == "unknown"


def test_rhode_islands_three_years_for_a_return_filed_count_from_the_15th_of_the_next_month_or_the_filing():
    # § 44-19-13(a): three years after the 15th day of the month following the month, or after the return is filed,
    # whichever expires later. Said in words (a filing date is never known), here where no non-filer rule is read.
    row = dict(next(r for r in TABLE["rules"] if r["jurisdiction"] == "US-RI"), no_return="unknown")
    said = assess("US-RI", date(2019, 7, 1), date(2021, 6, 30), date(2026, 12, 6), rows=parse_rows({"rules": [row]}))
    assert said.status == "unknown"
    assert ("Where returns were filed: 3 years from the filing of its return or the 15th day of the month after its "
            "tax period, whichever is later, R.I. Gen. Laws § 44-19-13.") in said.words


def test_arkansas_gives_three_years_from_the_later_of_filing_and_due_date_only_where_returns_were_filed():
    # Ark. Code § 26-18-306(a)(1): three years from the date the return was required to be filed or was filed,
    # whichever expires later; the copies read stop before the rule for a failure to file, so a seller that never
    # filed gets no date and the answer says the period for returns filed.
    said = assess("US-AR", date(2019, 7, 1), date(2021, 6, 30), date(2026, 12, 6))
    assert (said.status, said.first_ends, said.last_ends, said.confidence) == ("unknown", None, None, "official")
    assert said.words.startswith("unknown: the statute read gives no period for a seller that filed no return "
                                 "(Arkansas)")
    assert ("Where returns were filed: 3 years from the filing of its return or its due date, whichever is later, "
            "Ark. Code § 26-18-306(a)(1).") in said.words


def test_slovenia_counts_five_years_from_the_day_the_tax_was_to_be_declared_and_says_it_has_no_date():
    # ZDavP-2 125. člen, as the Administrative Court states it: five years from the day the tax should have been
    # declared; the VAT return's deadline is not in nexus's data, so no last day is worked out ('secondary').
    said = assess("SI", date(2021, 7, 1), date(2021, 12, 31), date(2026, 12, 6))
    assert (said.status, said.last_ends, said.confidence) == ("unknown", None, "secondary")
    assert said.words.startswith("unknown: 5 years from the due date of its return, ZDavP-2 125. člen; the sources "
                                 "read give no separate rule for a seller that filed no return; nexus's data do not "
                                 "hold that day")


def test_canada_sets_no_bar_for_a_seller_that_filed_no_return_and_says_the_four_years_once_one_is():
    # ETA s. 298(1)(a): four years after the later of the return's due date and the day it was filed; with no return
    # filed there is no filing day, so the four years never start. (4): at any time for misrepresentation or fraud.
    said = assess("CA", date(2021, 7, 1), date(2022, 6, 30), date(2026, 12, 6))
    assert (said.status, said.first_ends, said.last_ends, said.short) == ("not running", None, None, "open, no bar")
    assert said.words.startswith("not running: Canada has no bar to assessing tax of a period for which the seller "
                                 "neither registered nor filed a return (ETA s. 298(1)(a), (4)); once a return is "
                                 "filed, 4 years from the filing of its return or its due date, whichever is later.")
    assert said.sources[0].startswith("https://github.com/justicecanada/") and said.confidence == "official"


def test_quebec_counts_four_years_from_the_later_of_payment_and_filing_and_so_none_without_a_return():
    # Tax Administration Act s. 25(a): not more than four years after the later of the date the duties should have
    # been paid and the date the return was filed; no return, no filing date: no bar. Art. 25.1 (fraud) not read.
    said = assess("CA-QC", date(2019, 1, 1), date(2019, 12, 31), date(2026, 12, 6))
    assert (said.status, said.short) == ("not running", "open, no bar")
    assert "Quebec has no bar" in said.words and "(Tax Administration Act (CQLR c. A-6.002) s. 25)" in said.words
    assert "No period runs where the return was fraudulent" not in said.words  # the longer period is unknown


def test_australia_has_no_period_of_review_without_a_lodged_return():
    # TAA 1953 Sch. 1 s. 155-15: a GST return lodged is the assessment; s. 155-35: four years of review from its
    # notice; without one, s. 155-5(1): the Commissioner may assess at any time.
    said = assess("AU", date(2017, 7, 1), date(2018, 6, 30), date(2026, 12, 6))
    assert (said.status, said.last_ends) == ("not running", None)
    assert "(TAA 1953 Sch. 1 ss. 155-5, 155-15, 155-35); once a return is filed, 4 years from the filing of its " \
        "return." in said.words


def test_japan_gives_five_years_from_the_consumption_tax_deadline_moved_off_a_weekend():
    # 国税通則法 70条1項1号: a 決定 (the assessment of a person who filed no return) cannot be made once five years have
    # passed from the statutory filing deadline; 10条1項: the count starts the day after, so the last day is the
    # deadline's day five years on. 消費税法 45条1項: the return is due two months from the day after the taxable period
    # (a calendar-year business year): the last day of February; 10条2項: a Saturday or Sunday deadline moves on.
    # 2019's: 2020-02-29, a Saturday, so 2020-03-02, to 2025-03-02; 2020's: 2021-02-28, a Sunday, so 2021-03-01, to
    # 2026-03-01; 2021's: 2022-02-28, a Monday, to 2027-02-28 (seven years for evasion: 2029-02-28).
    said = assess("JP", date(2019, 1, 1), date(2021, 6, 30), date(2026, 12, 6))
    assert (said.status, said.first_ends, said.last_ends, said.confidence) == (
        "partly run", date(2025, 3, 2), date(2027, 2, 28), "official")
    assert said.words.startswith("partly run on 2026-12-06: tax of the periods to 2020-12 could be assessed until "
                                 "2026-03-01 at the latest, that of later periods until 2027-02-28 (5 years from the "
                                 "due date of its return, 国税通則法 70条, for a seller that filed no return).")
    assert ("The annual return for 2019 was due 2020-03-02 and the one for 2021 on 2022-02-28 (moved off weekends, not "
            "off public holidays; 消費税法 45条1項; 国税通則法 10条2項).") in said.words
    assert "7 years from the due date of its return, to 2029-02-28 for its last tax period." in said.words
    assert "an individual's return for a calendar year is due on 31 March" in said.words
    assert "https://www.nta.go.jp/taxes/shiraberu/taxanswer/shohi/6610.htm" in said.sources


def test_japan_2025_tax_due_on_saturday_2026_02_28_runs_five_years_from_monday_2026_03_02():
    # 2025's return: two months from 2026-01-01 end on 2026-02-28, a Saturday, so the deadline is Monday 2026-03-02
    # (10条2項; Sunday 1 March too); five years counted from 2026-03-03 end on 2031-03-02.
    said = assess("JP", date(2025, 1, 1), date(2025, 12, 31), date(2026, 12, 7))
    assert (said.status, said.first_ends, said.last_ends) == ("running", date(2031, 3, 2), date(2031, 3, 2))
    assert "The annual return for 2025 was due 2026-03-02" in said.words
    assert assess("JP", date(2025, 1, 1), date(2025, 12, 31), date(2031, 3, 2)).status == "running"
    assert assess("JP", date(2025, 1, 1), date(2025, 12, 31), date(2031, 3, 3)).status == "run"
    # Tax periods before 2018 are under no due-date text read: no date, said.
    before = assess("JP", date(2017, 1, 1), date(2021, 6, 30), date(2026, 12, 6))
    assert (before.status, before.last_ends) == ("unknown", None)
    assert "for tax periods from 2018-01 only, and the window starts in 2017-01" in before.words


def test_korea_gives_a_foreign_seller_that_filed_no_return_ten_years_from_each_half_years_final_return():
    # 국세기본법 제26조의2(2)(i): no return filed by the statutory deadline, seven years, ten for an offshore transaction
    # (역외거래: an international transaction, a foreign seller's supply to Korean customers); (1) five and seven where
    # returns were filed; (2)(ii) fraud ten and fifteen. Counted from the day after the final return's deadline:
    # 부가가치세법 제53조의2제4항 sends a foreign supplier of electronic services to 제49조제1항, the final return 25 days
    # after each half-year (제5조제1항: January to June, July to December). 2021's first half was due on Sunday
    # 2021-07-25, moved to Monday 2021-07-26 (국세기본법 제5조제1항); the second on 2022-01-25.
    # Before: 'unknown: 10 years from the due date of its return ... nexus's data do not hold that day, so no date can
    # be worked out.'
    said = assess("KR", date(2021, 1, 1), date(2021, 12, 31), date(2026, 12, 7))
    assert (said.status, said.first_ends, said.last_ends, said.confidence) == (
        "running", date(2031, 7, 26), date(2032, 1, 25), "official")
    assert said.words.startswith("running on 2026-12-07: the window's tax can be assessed until 2031-07-26 for its "
                                 "first tax period and 2032-01-25 for its last (10 years from the due date of its "
                                 "return, 국세기본법 제26조의2, for a seller that filed no return). The return for "
                                 "2021-H1 was due 2021-07-26 and the one for 2021-H2 on 2022-01-25 (moved off "
                                 "weekends and public holidays; 부가가치세법 제5조제1항, 제49조제1항, 제53조의2제4항")
    assert "in an offshore transaction: 15 years from the due date of its return, to 2037-01-25" in said.words
    assert "seven years where no return was filed, five where returns were filed and ten for fraud" in said.words
    assert "For tax that arose before 2019-01-01 the earlier text" in said.words
    # January to March 2020 are on the half-year's return due 2020-07-25, a Saturday: to 2030-07-27, run in 2031.
    ran = assess("KR", date(2020, 1, 1), date(2020, 3, 31), date(2031, 1, 1))
    assert (ran.status, ran.last_ends) == ("run", date(2030, 7, 27))
    # The text read is in force from 2020-01-01 (Act No. 16841's addendum); the row is not used before.
    before = assess("KR", date(2021, 1, 1), date(2021, 12, 31), date(2019, 12, 31))
    assert before.status == "unknown" and "no period of limitation for KR" in before.words


def test_korea_moves_a_deadline_past_its_public_holidays_as_well_as_the_weekend():
    # 국세기본법 제5조제1항: a deadline on a Saturday, Sunday or public holidays (「공휴일에 관한 법률」, substitute and
    # temporary holidays included) moves to the next day. The second half of 2024 was due on Saturday 2025-01-25;
    # Monday 2025-01-27 was a temporary holiday and 2025-01-28 to 01-30 설날 (data/public-holidays.json): due Friday
    # 2025-01-31, and the ten years of a seller that filed no return run to 2035-01-31 (before: due 2025-01-27, moved
    # off the weekend only, to 2035-01-27).
    said = assess("KR", date(2024, 7, 1), date(2024, 12, 31), date(2026, 12, 7))
    assert (said.first_ends, said.last_ends) == (date(2035, 1, 31), date(2035, 1, 31))
    assert "The return for 2024-H2 was due 2025-01-31 (moved off weekends and public holidays;" in said.words
    # A deadline in a year whose holidays nexus does not hold is moved off the weekend only, and the answer says so.
    later = assess("KR", date(2028, 7, 1), date(2028, 12, 31), date(2029, 12, 7))
    assert later.last_ends == date(2039, 1, 25)
    assert "(moved off weekends and public holidays, those of 2029 not known: off weekends only there;" in later.words


def test_a_place_whose_holidays_nexus_does_not_hold_still_says_they_are_not_modelled():
    """Denmark's deadline moves off weekends (its row says so) and nexus holds no Danish holidays: said as before."""
    rule = next(r for r in limitation_rows() if r.jurisdiction == "DK")
    assert rule.period.due.holidays is None
    assert rule.period.due.moves((date(2021, 6, 1),)) == "moved off weekends, not off public holidays"


def test_a_half_yearly_return_is_due_after_june_or_december():
    due = Due("half_yearly", 1, 25, "VAT Act 49(1)", date(2020, 1, 1), ())
    assert [(due.label(date(2021, m, 1)), due.of(date(2021, m, 1))) for m in (1, 6, 7, 12)] == [
        ("2021-H1", date(2021, 7, 25)), ("2021-H1", date(2021, 7, 25)),
        ("2021-H2", date(2022, 1, 25)), ("2021-H2", date(2022, 1, 25))]


def test_norway_five_years_from_the_end_of_each_term_have_run_for_2020_by_january_2026():
    # Skatteforvaltningsloven § 12-6(1): five years after the end of the tax period, also where no return was filed
    # (§ 12-1(1)); (2) ten years for aggravated additional tax or a fraud report. April 2020's tax to 2025-04-30,
    # December 2020's to 2025-12-31 (run on 2026-01-15), January 2021's to 2026-01-31, June 2021's to 2026-06-30.
    said = assess("NO", date(2020, 4, 1), date(2021, 6, 30), date(2026, 1, 15))
    assert (said.status, said.first_ends, said.last_ends) == ("partly run", date(2025, 4, 30), date(2026, 6, 30))
    assert "tax of the periods to 2020-12 could be assessed until 2025-12-31 at the latest" in said.words
    assert "skatteforvaltningsloven § 12-6, for a seller that filed no return" in said.words
    assert "10 years from the end of its tax period, to 2031-06-30 for its last tax period" in said.words
    assert "a term ends up to two months later" in said.words
    assert assess("NO", date(2020, 4, 1), date(2021, 6, 30), date(2026, 7, 1)).status == "run"


def test_switzerland_five_years_from_the_end_of_the_calendar_year_and_the_absolute_ten():
    # MWSTG Art. 42(1): five years after the end of the tax period (the calendar year) the claim arose in; (6) ten in
    # any case. 2019's tax to 2024-12-31, 2020's to 2025-12-31, 2021's to 2026-12-31.
    said = assess("CH", date(2019, 1, 1), date(2021, 6, 30), date(2026, 12, 6))
    assert (said.status, said.first_ends, said.last_ends) == ("partly run", date(2024, 12, 31), date(2026, 12, 31))
    assert "tax of the periods to 2020-12 could be assessed until 2025-12-31 at the latest" in said.words
    assert "MWSTG Art. 42; the sources read give no separate rule for a seller that filed no return" in said.words
    assert "lapses ten years after the end of the tax period" in said.words


def test_south_africa_counts_five_years_only_from_an_assessment_so_a_non_filer_has_no_bar():
    # Tax Administration Act s. 99(1)(b): five years after the original assessment, the taxpayer's own return or, if no
    # return is received, SARS's, which nothing limits; (2)(b): no limit for fraud or misrepresentation.
    said = assess("ZA", date(2019, 4, 1), date(2020, 3, 31), date(2026, 12, 6))
    assert (said.status, said.short) == ("not running", "open, no bar")
    assert said.words.startswith("not running: South Africa has no bar to assessing tax of a period for which the "
                                 "seller neither registered nor filed a return (Tax Administration Act 28 of 2011 "
                                 "s. 99); once a return is filed, 5 years from the filing of its return.")


def test_chile_gives_six_years_where_no_return_was_filed_and_says_it_has_no_date():
    # Código Tributario art. 200: three years from the end of the legal term for payment; six where the return was not
    # filed or was maliciously false. The term for payment is not in nexus's data: no date.
    said = assess("CL", date(2020, 6, 1), date(2021, 6, 30), date(2026, 12, 6))
    assert (said.status, said.first_ends, said.last_ends) == ("unknown", None, None)
    assert said.words.startswith("unknown: 6 years from the due date of its return, Código Tributario art. 200, for a "
                                 "seller that filed no return; nexus's data do not hold that day")


def test_mexico_gives_ten_years_to_a_seller_never_registered_and_says_it_has_no_date():
    # CFF art. 67: five years from the day after the return was filed or was due; ten where the taxpayer never applied
    # for registration in the RFC (read only in a firm's list of the cases). The monthly due date is not held: no date.
    said = assess("MX", date(2020, 6, 1), date(2021, 6, 30), date(2026, 12, 6))
    assert (said.status, said.first_ends, said.last_ends, said.confidence) == ("unknown", None, None, "secondary")
    assert said.words.startswith("unknown: 10 years from the due date of its return, CFF art. 67, for a seller that "
                                 "filed no return; nexus's data do not hold that day")


def test_india_counts_five_years_from_the_annual_returns_due_date_for_an_unregistered_seller():
    # CGST Act s. 63: an unregistered person's tax assessed within five years from the date the annual return for the
    # financial year was due (s. 44: 31 December after the year); s. 73(10): three years for a registered filer. The
    # financial year's due date is not held, so no date; s. 74(10)'s five years for fraud are no longer: nothing said.
    said = assess("IN", date(2019, 4, 1), date(2020, 3, 31), date(2026, 12, 6))
    assert (said.status, said.first_ends, said.last_ends, said.confidence) == ("unknown", None, None, "official")
    assert said.words.startswith("unknown: 5 years from the due date of its return, CGST Act 2017 ss. 63, 73(10), "
                                 "74(10), for a seller that filed no return; nexus's data do not hold that day")
    assert "the annual return for the financial year (April to March)" in said.words and "Longer" not in said.words


def test_the_uae_counts_fifteen_years_from_the_day_registration_was_due_and_says_it_has_no_date():
    # Tax Procedures Decree-Law art. 46: five years from the end of the tax period; fifteen for a failure to register,
    # from the day registration was due (the 2017 law's start, as quoted), and for evasion from the end of the period:
    # December 2023's tax to 2038-12-31.
    said = assess("AE", date(2023, 3, 1), date(2023, 12, 31), date(2026, 12, 6))
    assert (said.status, said.first_ends, said.last_ends, said.confidence) == ("unknown", None, None, "secondary")
    assert said.words.startswith("unknown: 15 years from the day its registration was due, Tax Procedures Decree-Law "
                                 "(FDL 28/2022) art. 46, for a seller that filed no return; nexus's data do not hold "
                                 "that day, so no date can be worked out.")
    assert "Longer where tax was evaded: 15 years from the end of its tax period, to 2038-12-31" in said.words


def test_a_period_from_the_day_registration_was_due_is_read_and_said_in_words():
    row = dict(next(r for r in TABLE["rules"] if r["jurisdiction"] == "DE"),
               no_return={"years": 15, "starts": "registration_due"}, extended="unknown")
    said = assess("DE", date(2021, 7, 1), date(2021, 12, 31), date(2026, 12, 6), rows=parse_rows({"rules": [row]}))
    assert (said.status, said.last_ends) == ("unknown", None)
    assert said.words.startswith("unknown: 15 years from the day its registration was due, AO §§ 169-170, for a "
                                 "seller that filed no return")


def test_saudi_arabia_gives_twenty_years_from_the_end_of_the_year_to_a_seller_never_registered():
    # VAT Implementing Regulations art. 64(3)-(4) as a firm sets them out: five years from the end of the calendar year
    # of the tax period; twenty where a person required to register did not. 2019's tax to 2039-12-31, 2020's to
    # 2040-12-31: running in 2026, run on 2041-01-01.
    said = assess("SA", date(2019, 1, 1), date(2020, 12, 31), date(2026, 12, 6))
    assert (said.status, said.first_ends, said.last_ends, said.confidence) == (
        "running", date(2039, 12, 31), date(2040, 12, 31), "secondary")
    assert ("(20 years from the end of the calendar year of its tax period, VAT Implementing Regulations art. 64, for "
            "a seller that filed no return)") in said.words
    assert assess("SA", date(2019, 1, 1), date(2020, 12, 31), date(2041, 1, 1)).status == "run"


@pytest.mark.parametrize("place, start, name, cite, confidence", [
    ("US-VT", date(2018, 7, 1), "Vermont", "32 V.S.A. § 9815(b)", "official"),
    ("US-MS", date(2018, 9, 1), "Mississippi", "Miss. Code § 27-65-42", "secondary"),
    ("US-OK", date(2019, 11, 1), "Oklahoma", "68 O.S. § 223", "secondary")])
def test_no_bar_for_a_non_filer_and_three_years_from_the_later_of_filing_and_due_date_once_filed_too(
        place, start, name, cite, confidence):
    # 32 V.S.A. § 9815(b): three years from the later of the filing and the due date; no return filed, at any time.
    # Miss. Code § 27-65-42 (1993 text: no return, at any time; 2013's three years from the later of due date and
    # filing, read only in summaries) and 68 O.S. § 223 (as the Tax Commission's rule 710:50-5-12 states it): the
    # same. A window from the row's first day to 2021-06 never filed is open on 2026-12-06, with no date.
    said = assess(place, start, date(2021, 6, 30), date(2026, 12, 6))
    assert (said.status, said.first_ends, said.last_ends, said.short) == ("not running", None, None, "open, no bar")
    assert said.confidence == confidence
    assert said.words.startswith(f"not running: {name} has no bar to assessing tax of a period for which the seller "
                                 f"neither registered nor filed a return ({cite}); once a return is filed, 3 years "
                                 f"from the filing of its return or its due date, whichever is later.")
    assert "No period runs where the return was fraudulent or the tax evaded." in said.words
    # Before the first day of the state's economic-nexus rule there is no row: unknown.
    assert assess(place, start, date(2021, 6, 30), start.replace(day=1) - timedelta(days=1)).status == "unknown"


def test_vermont_says_the_three_years_for_returns_filed_and_the_six_for_a_fifth_under_reported():
    # § 9815(b): the three years run from the later of the filing and the due date, so with a filing date unknown no
    # day is worked out: said in words where a non-filer rule is taken away. Under-reported by 20%: six years.
    row = dict(next(r for r in TABLE["rules"] if r["jurisdiction"] == "US-VT"), no_return="unknown")
    said = assess("US-VT", date(2018, 7, 1), date(2021, 6, 30), date(2026, 12, 6), rows=parse_rows({"rules": [row]}))
    assert (said.status, said.last_ends) == ("unknown", None)
    assert ("Where returns were filed: 3 years from the filing of its return or its due date, whichever is later, "
            "32 V.S.A. § 9815(b).") in said.words
    assert "under-reported by 20 percent or more, Vermont may assess within six years" in said.words
    assert said.sources[0] == "http://laws9.com/statutes/vermont/title-32/chapter-233/9815"


def test_pennsylvania_gives_a_non_filer_ten_years_from_the_20th_of_the_month_after_the_quarter():
    # 72 P.S. § 10003.23(a)(1): a nonfiled tax period is assessed within ten years of the tax return due date; § 7217(a)
    # (1): the quarterly return by the 20th of April, July, October and January. 2019-07's tax (third quarter) was due
    # 2019-10-20: to 2029-10-20; 2021-06's (second quarter) 2021-07-20: to 2031-07-20. § 10003.23(b)(1): no limit where
    # the failure to file was wilful or the return fraudulent, said beside the answer.
    said = assess("US-PA", date(2019, 7, 1), date(2021, 6, 30), date(2026, 12, 6))
    assert (said.status, said.first_ends, said.last_ends, said.confidence) == (
        "running", date(2029, 10, 20), date(2031, 7, 20), "official")
    assert said.words.startswith("running on 2026-12-06: the window's tax can be assessed until 2029-10-20 for its "
                                 "first tax period and 2031-07-20 for its last (10 years from the due date of its "
                                 "return, 72 P.S. § 10003.23, for a seller that filed no return).")
    assert "The return for 2019-Q3 was due 2019-10-20 and the one for 2021-Q2 on 2021-07-20" in said.words
    assert "wilfully failed to file a return" in said.words
    # The ten years of a quarter end together: July to September 2019 run out on 2029-10-20, October 2019 on 2030-01-20.
    assert assess("US-PA", date(2019, 7, 1), date(2019, 9, 30), date(2029, 10, 20)).status == "running"
    assert assess("US-PA", date(2019, 7, 1), date(2019, 9, 30), date(2029, 10, 21)).status == "run"
    later = assess("US-PA", date(2019, 7, 1), date(2019, 10, 31), date(2029, 10, 21))
    assert (later.status, later.last_ends) == ("partly run", date(2030, 1, 20))
    # Before the first day of Pennsylvania's economic-nexus rule (2019-07-01) there is no row: unknown.
    assert assess("US-PA", date(2019, 7, 1), date(2019, 9, 30), date(2019, 6, 30)).status == "unknown"
