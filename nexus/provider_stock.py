"""Stock a candidate provider would hold in an EU member state: the domestic VAT registration it requires.

A seller not established in the EU whose stock sits in a member state, and that sells from it to customers in
that same state, makes domestic supplies there (the VAT Directive's Art. 32): they are not intra-Community distance
sales (Art. 14(4)(1)), so the Union OSS, which takes those, a marketplace's deemed supplies and services only
(Art. 369b), does not cover them; and no member state's exemption for small enterprises is open to a seller
established outside the EU (Art. 283(1)(c) to 2024, Art. 284 since), so registration is due from the first such
supply. The presence rules say that stock there creates presence (``data/presence-rules.json``); the check counts
the sales to customers there under the EU's scheme, whose registration covers them in its eyes
(``data/registration-coverage.json``). This module says, per member state where a candidate puts stock, what the
domestic registration needs, what an EU registration held does not cover, and the tax a year at stake on the
company's goods sold to customers there, estimated as the candidate's new nexus is
(:func:`nexus.provider_exposure.new_exposure`): the same rates, taxability and marketplace rules, over the same days.

The rules are data, ``data/stock-registration.json`` (read by :mod:`nexus.stock_rules`), each row with its articles
and the texts read; a date or a seller no row speaks for is ``unknown``, never a guess.
More information: docs/provider.md (Stock in an EU member state).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Callable, Sequence

from nexus import places
from nexus.check import STOCK_KINDS
from nexus.estimates import estimate_over
from nexus.findings import CheckResult, Context, Finding
from nexus.fx import Rates, RateTable
from nexus.presence import Verdict
from nexus.provider_exposure import YEAR_DAYS, NO_ORDERS, Place, _bare, _place, _sales, window
from nexus.registrations import Registration
from nexus.rules import RuleBook, eu_vat_member
from nexus.ledger import Ledger
from nexus.stock_rules import GOODS, StockRule, stock_rule


@dataclass(frozen=True)
class StockRegistration:
    """A member state where the candidate would hold the company's stock, and the domestic registration it requires.

    ``stock`` names the candidate's items there; ``already`` is true where today's presence, kept under the
    candidate, puts stock there too (the registration is required today as well). ``rule`` is the data row (None:
    unknown for the date). ``held`` is the member state's own registration held on the as-of date, which covers
    these supplies; ``scheme`` an EU (Union OSS) registration held, which does not. ``estimate`` is the tax a year at
    stake on the company's goods sold to customers there (a :class:`nexus.provider_exposure.Place`), or None
    without orders; ``role`` the candidate's role there (as merchant of record the sales there are its own).
    """

    jurisdiction: str
    name: str
    stock: tuple[str, ...]
    establishment: str
    rule: StockRule | None
    held: Registration | None
    scheme: Registration | None
    already: bool
    estimate: Place | None
    role: str | None = None
    note: str = ""
    #: The days the estimate runs over (the twelve months to the as-of date, from the first order where later).
    start: date | None = None
    end: date | None = None
    as_of: date | None = None

    @property
    def period_words(self) -> str:
        from nexus.provider_exposure import period_words

        return period_words(self.start, self.end)

    @property
    def as_of_words(self) -> str:
        """The date no row speaks for, as the 'unknown' says it."""
        return str(self.as_of) if self.as_of else "the date"

    @property
    def threshold_words(self) -> str:
        """``none: registration from the first supply`` or ``unknown`` (no row, or a row that leaves it open)."""
        if self.rule is None or self.rule.threshold is None:
            return "unknown"
        return "none: registration from the first supply"

    @property
    def registration_words(self) -> str:
        """Whether the registration is held: ``held (regs.csv:3)``, or that it is needed and what an EU registration
        held does not cover."""
        if self.held is not None:
            return f"held ({self.held.reference})"
        needed = ("needed" if self.rule is not None and self.rule.threshold == "none"
                  else "needed unless a threshold applies")
        if self.scheme is not None:
            return f"{needed}: the EU registration ({self.scheme.reference}) does not cover these supplies"
        return needed

    @property
    def reporting(self) -> Decimal | None:
        """The central tax a year at stake in the reporting currency (None: not estimated)."""
        found = self.estimate.reporting if self.estimate is not None else None
        return found.central if found is not None else None


def _establishment(home: str | None, on: date) -> str:
    """How the seller is established for the member states: outside the EU (or not said: --home not given, assessed
    as a seller established elsewhere), or in another member state (stock at home is not looked at)."""
    country = home.split("-")[0] if home else ""
    return "other_member_state" if country and eu_vat_member(country, on) else "outside_eu"


def _member_finding(result: CheckResult, member: str) -> Finding | None:
    """The check's finding for the member state under the candidate: its own under the union's scheme, with a rule
    (a place with stock and no sales has a presence-only finding, with none)."""
    return next((f for f in result.findings if f.jurisdiction == member and f.rule is not None), None)


def _goods(ledger: Ledger, member: str) -> Ledger:
    """The company's goods shipped to ``member`` alone: what leaves from stock there. The days with orders are kept,
    so the days before the first order stay 'not covered'."""
    series = {k: v for k, v in ledger.series.items() if k[0] == member and k[5] == GOODS}
    return replace(ledger, series=series, day_currency_totals=None, warnings=list(ledger.warnings),
                   assumptions=list(ledger.assumptions))


def stock_registrations(added: Sequence[Verdict], kept: Sequence[Verdict], after: CheckResult,
                        ledger: Ledger | None, book: RuleBook, as_of: date, registrations: Sequence[Registration] = (),
                        rates: Rates | RateTable | None = None, home: str | None = None, fx_policy: str = "daily",
                        timed: Context = Context(), role: Callable[[str], str | None] = lambda place: None,
                        rules: Sequence[StockRule] | None = None,
                        new: Sequence[str] = ()) -> tuple[StockRegistration, ...]:
    """Each member state where ``added`` (the candidate's presence, judged) puts stock in place on ``as_of``, for a
    seller not established there: the registration its domestic supplies need, and their tax a year.

    ``kept`` is today's presence the candidate keeps, judged (stock there too: required today as well); ``after`` the
    check under the candidate; ``ledger`` the company's sales with its role applied (None: no orders given); ``role``
    the candidate's role in a place (as merchant of record the sales there are its own); ``new`` the places where
    its nexus is new, whose tax a year the potential exposure already counts (not counted twice here). The tax
    is estimated as :func:`nexus.provider_exposure.new_exposure` estimates a new nexus's: over the twelve months to
    ``as_of`` (scaled to a year where the orders cover fewer days), on the goods shipped there, registrations set
    aside; the member state's own registration held makes none of it at stake.
    """
    members: dict[str, list[str]] = {}
    for v in added:
        country = v.jurisdiction.split("-")[0]
        if v.item.kind in STOCK_KINDS and v.item.active(as_of) and eu_vat_member(country, as_of) \
                and (not home or home.split("-")[0] != country):
            members.setdefault(country, []).append(v.item.location)
    days = window(ledger, as_of) if ledger is not None else None
    found = []
    for member, stock in members.items():
        establishment = _establishment(home, as_of)
        there = role(member)
        held = next((r for r in registrations if r.jurisdiction == member and r.registered_on <= as_of
                     and r.held_on(as_of)), None)
        scheme = next((r for r in registrations if r.jurisdiction == "EU" and r.registered_on <= as_of
                       and r.held_on(as_of)), None)
        already = any(v.item.kind in STOCK_KINDS and v.item.active(as_of) and v.jurisdiction.split("-")[0] == member
                      for v in kept)
        estimate, note = _estimate(member, after, ledger, days, book, as_of, held, rates, home, fx_policy, timed)
        if there == "merchant-of-record":
            # Its sales to the customers there are its own; the company's sales to it from the stock are supplies in
            # the member state too (to a business), at a price the contract sets: not estimated.
            estimate, note = None, ("the candidate would be merchant of record there: its sales to your customers are "
                                    "its own, and yours to it from the stock, at the price the contract sets, are "
                                    "supplies there too: not estimated")
        elif estimate is not None and member in new:
            estimate, note = None, ("the tax on your sales there is in the potential exposure a year of the new "
                                    "nexus there (above), not counted twice")
        start, end = days or (None, None)
        found.append(StockRegistration(member, places.name(member), tuple(dict.fromkeys(stock)), establishment,
                                       stock_rule(member, establishment, as_of, rules), held, scheme, already,
                                       estimate, there, note, start, end, as_of))
    return tuple(sorted(found, key=lambda s: s.jurisdiction))


def _estimate(member: str, after: CheckResult, ledger: Ledger | None, days: tuple[date, date] | None,
              book: RuleBook, as_of: date, held: Registration | None, rates: Rates | RateTable | None,
              home: str | None, fx_policy: str, timed: Context) -> tuple[Place | None, str]:
    """The tax a year on the company's goods sold to customers in ``member``, and a note where there is no figure."""
    why = f"domestic supplies from stock in {member}"
    if ledger is None:
        return None, NO_ORDERS
    if days is None:
        return None, (f"not estimated: the orders read ({ledger.first_day} to {ledger.last_day}) hold none of the "
                      f"twelve months to {as_of}; supply recent orders")
    start, end = days
    factor = Decimal(YEAR_DAYS) / Decimal((end - start).days + 1)
    goods = _goods(ledger, member)
    finding = _member_finding(after, member)
    if not goods.series:
        return None, (f"no goods sold to customers in {places.in_prose(places.name(member))} in the orders read: "
                      f"nothing at stake from them yet")
    if finding is None or finding.timing is None:
        return None, "not estimated: the check gives no dated finding there to estimate from"
    estimated = estimate_over(_bare(finding), goods, book, as_of, start, rates, home, fx_policy, timed)
    sold = _sales(finding, goods, start, end, rates, home, fx_policy)
    return _place(estimated, why, factor, as_of, sold, held), ""
