"""A period of limitation counted from a return's due date follows the filing frequency a registration row gives: the
due date of that return where nexus's data hold it (data/penalties-interest.json's ``returns``), ``unknown`` where
they do not, never the monthly due date nexus otherwise assumes."""
from __future__ import annotations

from datetime import date

from nexus.limitation import assess, return_due

START, END, AS_OF = date(2025, 1, 15), date(2025, 6, 30), date(2025, 8, 31)


def test_virginia_counts_six_years_from_the_monthly_return_assumed_where_no_row_gives_a_frequency():
    found = assess("US-VA", START, END, AS_OF)
    assert (found.status, found.first_ends, found.last_ends) == ("running", date(2031, 2, 20), date(2031, 7, 20))
    assert "(assumed monthly filing;" in found.words


def test_virginia_counts_from_the_quarterly_return_the_registration_row_gives():
    # Va. Code 58.1-615(A): less frequent returns are due on the 20th of the month after the period. January's tax,
    # on the first quarter's return due 2025-04-20, stays assessable to 2031-04-20, not 2031-02-20.
    found = assess("US-VA", START, END, AS_OF, filing="quarterly")
    assert (found.status, found.first_ends, found.last_ends) == ("running", date(2031, 4, 20), date(2031, 7, 20))
    assert ("The return for 2025-Q1 was due 2025-04-20 and the one for 2025-Q2 on 2025-07-20 (not moved off weekends "
            "or public holidays; Va. Code 58.1-615(A)). Counted from the quarterly returns the registration row gives "
            "(Va. Code 58.1-615(A)).") in found.words
    assert "assumed monthly filing" not in found.words


def test_a_frequency_whose_due_date_is_not_held_leaves_the_period_unknown():
    # Rhode Island lets a small seller file quarterly (280-RICR-20-70-61), but the day was not read.
    assert return_due("US-RI", "quarterly") is None
    found = assess("US-RI", START, END, AS_OF, filing="quarterly")
    assert (found.status, found.first_ends, found.last_ends) == ("unknown", None, None)
    assert ("the registration row gives quarterly returns, and nexus's data hold no due date for US-RI's quarterly "
            "return, so no date can be worked out.") in found.words


def test_a_statutory_quarterly_period_is_not_changed_by_the_frequency():
    # Pennsylvania's period counts from the quarterly return, the statute's default, whatever the row says.
    assert assess("US-PA", START, END, AS_OF, filing="annual") == assess("US-PA", START, END, AS_OF)
