"""A US state as home whose permit the registrations file holds from a day later than the one the business began
there: the sales of the days between carry tax not collected, estimated as the home without a permit is. The orders
are small and the figures worked by hand.

California's 2026 rates (data/tax-rates.json): 7.25% state, 1.74% average local (8.99% central), 11.25% highest
combined. Texas's: 6.25% state, 1.95% average local (8.20% central), 8.25% highest."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from nexus.check import Context, check
from nexus.errors import Location
from nexus.money import quantize
from nexus.registrations import Registration
from nexus.rules import load_rules
from nexus.sales import Ledger, Order

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
