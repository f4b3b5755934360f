"""A US state as home whose permit the registrations file holds from a day later than the one the business began
there: the sales of the days between carry tax not collected, estimated as the home without a permit is. The orders
are small and the figures worked by hand.

California's 2026 rates (data/tax-rates.json): 7.25% state, 1.74% average local (8.99% central), 11.25% highest
combined. Texas's: 6.25% state, 1.95% average local (8.20% central), 8.25% highest."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from nexus.check import check
from nexus.findings import Context
from nexus.errors import Location
from nexus.money import quantize
from nexus.presence import assess, read_presence
from nexus.registrations import Registration
from nexus.rules import load_rules
from nexus.orders import Order
from nexus.ledger import Ledger

AS_OF = date(2026, 6, 30)


def ledger_of(state: str) -> Ledger:
    """Two sales of USD 333.33 in March 2026 and one of USD 500.00 in May, shipped to ``state``."""
    ledger = Ledger()
    for day, amount in (("2026-03-02", "333.33"), ("2026-03-20", "333.33"), ("2026-05-10", "500.00")):
        ledger.add(Order("", date.fromisoformat(day), state, Decimal(amount), "USD", "direct", "sale", "no", "goods",
                         Location("orders.csv")))
        ledger.rows_read += 1
    return ledger


def permit(state: str, registered: str, collecting: str | None = None) -> Registration:
    return Registration(state, date.fromisoformat(registered), date.fromisoformat(collecting or registered), "",
                        "", Location("regs.csv", 2))


def cents(r) -> tuple[Decimal, Decimal, Decimal]:
    """An estimate's range as the outputs give it: rounded once, at the end, to the cent."""
    return quantize(r.low, "USD"), quantize(r.central, "USD"), quantize(r.high, "USD")


def home_finding(state: str, *registrations: Registration, presence=()):
    result = check(ledger_of(state), load_rules(), AS_OF, home=state, presence=presence,
                   timed=Context(registrations=registrations))
    return next(f for f in result.findings if f.jurisdiction == state), result


def test_a_permit_taken_after_the_first_order_leaves_the_days_before_it_at_stake():
    # Permit from 2026-04-15, orders from 2026-03-02, no office in a presence file: the days from the first order to
    # 2026-04-14 (30 in March, 14 in April: 44) are the gap. Their sales, USD 333.33 + 333.33 = 666.66, times the
    # rate, rounded once: 48.33285 -> 48.33 low, 59.932734 -> 59.93 central, 74.99925 -> 75.00 high (each sale
    # rounded alone would give 48.34 and 59.94). The sale of 2026-05-10 is collected under the permit.
    f, result = home_finding("US-CA", permit("US-CA", "2026-04-15"))
    assert (f.timing.action, f.timing.gap.start, f.timing.gap.end, f.timing.gap.days) == (
        "registered", date(2026, 3, 2), date(2026, 4, 14), 44)
    e = f.exposure
    assert (e.start, e.end) == (date(2026, 3, 2), date(2026, 4, 14))
    assert cents(e.uncollected) == (Decimal("48.33"), Decimal("59.93"), Decimal("75.00"))
    assert cents(result.exposure_total.tax) == (Decimal("48.33"), Decimal("59.93"), Decimal("75.00"))
    said = [r for r in f.reasons if r.startswith("Permit taken late:")]
    assert said == ["Permit taken late: the registrations file's sales tax permit for California (regs.csv:2) was "
                    "registered on 2026-04-15, after the first order on 2026-03-02; a seller with a place of business "
                    "there must hold one and collect from the start. The sales tax on its sales there from the first "
                    "order to 2026-04-14 (44 days) is at stake; the day the business began there is not given to "
                    "nexus (list the office in the presence file with its since date), so any earlier days are not "
                    "estimated."]
    # as the home without a permit: the programme terms in the data were read for sellers outside the state
    assert e.scenarios["vda"].note.startswith("not estimated: the state's voluntary disclosure terms")


def test_the_office_in_the_presence_file_dates_the_day_the_business_began(tmp_path):
    # Office since 2026-01-05: the gap is 2026-01-05 to 2026-04-14 (27 + 28 + 31 + 14 = 100 days); the orders
    # start on 2026-03-02, so the estimate is the same USD 59.93 and the days before the first order are said.
    where = tmp_path / "presence.csv"
    where.write_text('kind,location,ownership,dedicated,function,since,until,note\n'
                     'office,"Los Angeles, US-CA",owned,yes,core,2026-01-05,,head office\n')
    f, _ = home_finding("US-CA", permit("US-CA", "2026-04-15"), presence=assess(read_presence(str(where)), AS_OF))
    assert (f.timing.gap.start, f.timing.gap.end, f.timing.gap.days) == (date(2026, 1, 5), date(2026, 4, 14), 100)
    assert cents(f.exposure.uncollected)[1] == Decimal("59.93")
    assert ("Tax was due from 2026-01-05, but the orders start on 2026-03-02: 2026-01-05 to 2026-03-01 is not "
            "covered by the data and not estimated (supply the earlier orders).") in f.exposure.assumptions
    assert any(r.startswith("Permit taken late:") and "after the business began there on 2026-01-05, the day the "
               "presence file gives for the seller's presence there" in r and "The sales tax on its sales there from "
               "2026-01-05 to 2026-04-14 (100 days) is at stake." in r for r in f.reasons)


def test_a_permit_held_from_the_first_day_changes_nothing():
    # Registered on the day of the first order: nothing at stake, no gap, no action, as before.
    f, result = home_finding("US-CA", permit("US-CA", "2026-03-02"))
    assert (f.timing.action, f.timing.gap, f.exposure) == (None, None, None)
    assert result.exposure_total is None or result.exposure_total.tax.central == 0


def test_a_permit_registered_in_time_that_collects_later_leaves_the_days_before_collection_at_stake():
    # Registered 2026-01-01, collecting from 2026-04-15: the same 44 days and USD 59.93, said as collection late.
    f, _ = home_finding("US-CA", permit("US-CA", "2026-01-01", "2026-04-15"))
    assert f.timing.gap.days == 44 and cents(f.exposure.uncollected)[1] == Decimal("59.93")
    assert any(r.startswith("Collection began late: the registrations file's sales tax permit for California "
                            "(regs.csv:2) was registered on 2026-01-01 but collects only from 2026-04-15") for r in
               f.reasons)


def test_a_permit_collecting_after_the_as_of_date_leaves_every_day_to_it_at_stake():
    # Collecting from 2026-09-01: every sale to the as-of date is at stake, 1,166.66 x 8.99% = 104.882734 -> 104.88.
    f, _ = home_finding("US-CA", permit("US-CA", "2026-03-10", "2026-09-01"))
    assert (f.timing.gap.end, f.timing.gap.days) == (AS_OF, 121)
    assert cents(f.exposure.uncollected)[1] == Decimal("104.88")
    assert any("from the first order to 2026-06-30, the as-of date (121 days) is at stake" in r for r in f.reasons)


def test_another_us_home_works_the_same():
    # Texas: 666.66 x 8.20% = 54.66612 -> 54.67; 6.25% low 41.66625 -> 41.67; 8.25% high 54.99945 -> 55.00.
    f, _ = home_finding("US-TX", permit("US-TX", "2026-04-15"))
    assert f.timing.gap.days == 44
    assert cents(f.exposure.uncollected) == (Decimal("41.67"), Decimal("54.67"), Decimal("55.00"))


def test_a_home_state_with_no_sales_tax_has_nothing_to_estimate_and_says_so():
    # Oregon levies no sales tax. With a registrations file that holds no Oregon permit (a Texas one only), the home
    # read 'must hold a sales tax permit', 'Register now: ... holds no sales tax permit for Oregon' and an estimate
    # of USD 0.00 put in the total: a permit that does not exist, and a duty to act on it. Now it says there is
    # none, and nothing is estimated, with or without a permit row in the file.
    for held in (permit("US-TX", "2024-01-01"), permit("US-OR", "2026-04-15")):
        f, result = home_finding("US-OR", held)
        assert f.reasons[1] == ("A seller with a place of business in Oregon has no sales tax permit to hold and no "
                                "sales tax to collect there: no tax at home is estimated.")
        assert not any(r.startswith(("Register now", "Permit taken late")) for r in f.reasons)
        assert (f.timing.action if f.timing else None, f.exposure, result.exposure_total) == (None, None, None)


def test_a_permit_row_for_a_home_state_with_no_sales_tax_is_said_to_be_not_needed():
    # --home US-OR with an Oregon row in the registrations file read 'Registered on 2026-04-15 (regs.csv:2), collecting
    # from 2026-04-15.', a permit that does not exist. Now the row is said to be not needed, and is not a permit held:
    # the home has no registration, and the row is among those nothing in the data requires.
    f, result = home_finding("US-OR", permit("US-OR", "2026-04-15"))
    assert not any(r.startswith("Registered on") for r in f.reasons)
    assert [r for r in f.reasons if r.startswith("Row not needed")] == [
        "Row not needed: the registrations file holds a row for Oregon (regs.csv:2), but a seller there has no sales "
        "tax permit to hold."]
    assert (f.timing.registration if f.timing else None) is None
    assert [r.jurisdiction for r in result.unneeded_registrations] == ["US-OR"]
    # the same row with a number names it as the file gives it, its last four characters only
    f, _ = home_finding("US-OR", Registration("US-OR", date(2026, 4, 15), date(2026, 4, 15), "OR-55501234", "",
                                              Location("regs.csv", 3)))
    assert ("Row not needed: the registrations file holds a row for Oregon (regs.csv:3, number ...1234), but a seller "
            "there has no sales tax permit to hold.") in f.reasons


def test_every_us_home_the_data_knows_dates_the_same_gap_and_estimates_it_or_says_there_is_no_tax():
    # Each state in the rules data as home, its permit from 2026-04-15: the same 44 days from the first order, and an
    # estimate of those days' sales alone; the four states without a sales tax have no permit and nothing estimated.
    states = sorted({r.jurisdiction for r in load_rules().rules if r.jurisdiction.startswith("US-")})
    assert len(states) == 51
    for state in states:
        f, _ = home_finding(state, permit(state, "2026-04-15"))
        if state in ("US-DE", "US-MT", "US-NH", "US-OR"):
            assert (f.timing.action if f.timing else None, f.exposure) == (None, None), state
            continue
        assert (f.timing.action, f.timing.gap.days) == ("registered", 44), state
        assert (f.exposure.start, f.exposure.end) == (date(2026, 3, 2), date(2026, 4, 14)), state
        assert quantize(f.exposure.taxable_sales, "USD") == Decimal("666.66"), state
