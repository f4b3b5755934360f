"""The estimate by the returns a registration row gives (nexus.exposure, library level): a quarter's return holds its
months' tax, is late from its own due date, and a voluntary disclosure's look-back keeps a return that ends within it
whole. Figures by hand beside each assertion."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from nexus import exposure
from nexus.exposure_records import Filing
from nexus.errors import Location
from nexus.limitation import Due
from nexus.registrations import Registration
from test_exposure import CROSS, D, ledger_of, rate, run, tax_book, zz_terms

QUARTERLY = Due("quarterly", 1, 20, "Test Act s. 1", date(2018, 1, 1), ("https://example.org/due",))


@pytest.fixture
def terms(monkeypatch):
    """US-ZZ: 5% once if late, 10% a year simple interest; a programme looking back 3 months that waives penalties
    but not interest; quarterly returns due on the 20th of the month after the quarter."""
    zz_terms(monkeypatch)
    monkeypatch.setattr(exposure, "return_due", lambda place, frequency: QUARTERLY if frequency == "quarterly"
                        else None)


def estimate(filing: str):
    """Tax due from 2026-01-05 (USD 150,000 that day), USD 1,000 on 2026-03-10 and 2,000 on 2026-05-10, at 5%, as of
    2026-06-30; a permit taken out on 2026-06-01 that collects from 2026-07-01, its row's filing ``filing``."""
    held = [Registration("US-ZZ", date(2026, 6, 1), date(2026, 7, 1), "", "", Location("r.csv", 2), filing=filing)]
    ledger = ledger_of(CROSS, (date(2026, 3, 10), "US-ZZ", "1000"), (date(2026, 5, 10), "US-ZZ", "2000"))
    return run(ledger, tax_book([rate("US-ZZ", "0.05")]), registrations=held)[0]["US-ZZ"].exposure


def test_monthly_returns_where_the_row_gives_no_frequency(terms):
    e = estimate("")
    assert [(m.label, m.tax.central, m.due) for m in e.months] == [
        ("2026-01", D("7500.00"), date(2026, 2, 20)), ("2026-03", D("50.00"), date(2026, 4, 20)),
        ("2026-05", D("100.00"), date(2026, 6, 20))]
    assert e.penalty == D("7650") * D("0.05")  # every return late by 30 June
    # 130, 71 and 10 days late
    assert e.interest == (D("7500") * 130 + D("50") * 71 + D("100") * 10) * D("0.10") / 365
    vda = e.scenarios["vda"]  # look-back of 3 months from June: March onwards
    assert vda.tax.central == D("150.00") and vda.start == date(2026, 3, 1)
    assert vda.note == "look-back of 3 months: months from 2026-03-01; penalties waived"


def test_quarterly_returns_where_the_row_gives_them(terms):
    e = estimate("quarterly")
    assert [(m.label, m.tax.central, m.due) for m in e.months] == [
        ("2026-Q1", D("7550.00"), date(2026, 4, 20)), ("2026-Q2", D("100.00"), date(2026, 7, 20))]
    assert e.penalty == D("7550") * D("0.05")  # the second quarter's return is not due yet on 30 June
    assert e.interest == D("7550") * D("0.10") * 71 / 365  # 2026-04-20 to 2026-06-30
    assert e.filing == Filing("quarterly", "r.csv:2", e.filing.words)
    assert e.filing.words.startswith("Returns quarterly, as the registrations file's row r.csv:2 says: each "
                                     "quarter's tax on one return due with its payment on the 20th of the month "
                                     "after the quarter (Test Act s. 1, for periods from 2018-01)")
    vda = e.scenarios["vda"]  # the first quarter's return ends within the look-back: kept whole, with its interest
    assert vda.tax.central == D("7650.00") and vda.start == date(2026, 1, 5)
    assert vda.interest == e.interest and vda.penalty == Decimal(0)
    assert vda.note == ("look-back of 3 months: months from 2026-03-01 (the 2026-Q1 return, which ends within it, "
                        "kept whole); penalties waived")
