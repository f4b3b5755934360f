"""nexus.provider_lasting: the day nexus from the sales before a move ends, or why the data give none."""
from __future__ import annotations

from datetime import date

from nexus.provider_exposure import Removed
from nexus.provider_lasting import Lasting, lasting
from nexus.provider_report import lasts_words
from nexus.rules import load_rules
from nexus.ledger import Ledger
from nexus.windows import _year_from


def test_a_registration_until_cancelled_and_a_silent_source_give_no_day_and_say_why():
    """No check is run for them: the registration lasts until the company cancels it (a decision, not a date), and
    Chile's row says nothing on how long the duty lasts: 'unknown', with why."""
    said = lasting({"GB": "until_deregistered", "CL": "unknown"}, Ledger(), load_rules(), date(2026, 10, 31))
    assert said["GB"] == Lasting("until_deregistered", None, "no date: the registration lasts until you cancel it, a "
                                                             "decision the move does not make")
    assert said["CL"].until is None and said["CL"].note == (
        "unknown: the sources read say nothing on how long the duty lasts (data/registration-timing.json)")
    assert said["CL"].words == "the sources say nothing: while the test is met"


def _place(**lasts) -> Removed:
    return Removed("US-FL", "Florida", "facilitated", "marketplace-facilitator", False, "USD", None, None, None, None,
                   **lasts)


def test_the_words_give_the_day_where_there_is_one_and_else_why_not():
    met = "while a period the rule measures meets the test"
    assert lasts_words(_place(lasts=met, lasts_until=date(2027, 12, 31))) == (
        f"until 2027-12-31: {met}, counting your sales before the move and none after")
    unknown = "unknown: the sources read say nothing on how long the duty lasts (data/registration-timing.json)"
    assert lasts_words(_place(lasts="the sources say nothing: while the test is met", lasts_note=unknown)) == (
        f"the sources say nothing: while the test is met ({unknown})")
    cancelled = "until the registration is cancelled"
    assert lasts_words(_place(lasts=cancelled, lasts_note="no date: the registration lasts until you cancel it, a "
                                                          "decision the move does not make")) == cancelled


def test_a_cycle_is_twelve_months_from_its_first_day():
    """nexus.windows's cycle, whose last day provider compare gives as the day nexus from the sales ends."""
    assert _year_from(date(2026, 4, 1)) == date(2027, 3, 31)
    assert _year_from(date(2026, 1, 1)) == date(2026, 12, 31)
    assert _year_from(date(2018, 12, 1)) == date(2019, 11, 30)


def test_rates_that_cannot_measure_past_the_as_of_date_give_unknown_not_a_stopped_comparison(monkeypatch):
    """Before, a RateMissing from the check run past the as-of date stopped the whole comparison; now the places
    say their day is unknown, and why."""
    import nexus.provider_lasting as module
    from nexus.errors import RateMissing

    def no_rate(*args, **kwargs):
        raise RateMissing("no exchange rate for CAD on 2029-12-31")

    monkeypatch.setattr(module, "check", no_rate)
    said = lasting({"US-FL": "while_met"}, Ledger(), load_rules(), date(2026, 10, 31))
    assert said["US-FL"] == Lasting("while_met", None, "unknown: the sales cannot be measured past the as-of date "
                                                       "(no exchange rate for CAD on 2029-12-31)")
