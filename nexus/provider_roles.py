"""The roles a candidate provider takes in the places it lists, and how they move the seller's sales.

Where the provider is marketplace facilitator, the seller's direct sales into the places listed become
marketplace-facilitated sales; where it is merchant of record, they become the provider's sales and leave the
seller's ledger (DECISIONS, "Provider compare"). :func:`role_in` says which role a profile gives a place,
:func:`apply_roles` what the ledger would be under the roles, and each :class:`Shift` what moved. The comparison
(:mod:`nexus.provider`) runs the check again on that ledger.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any, Sequence

from nexus.ledger import Ledger, add_days
from nexus.rules import eu_vat_member

ROLES = ("marketplace-facilitator", "merchant-of-record")


@dataclass(frozen=True)
class Shift:
    """Direct sales a provider's role takes from the seller in one place and currency (refunds netted)."""

    jurisdiction: str
    role: str  # marketplace-facilitator | merchant-of-record
    currency: str
    amount: Decimal
    transactions: int


def in_places(place: str, listed: Sequence[str], on: date) -> bool:
    """Whether a sale into ``place`` (``US-CA``, ``DE``, ``CA-QC``) falls in a role's places (``US``: every
    state; ``US-CA``; ``EU``: the member states on ``on``; ``GB``)."""
    country = place.split("-")[0]
    return any(code in (place, country) or (code == "EU" and eu_vat_member(country, on)) for code in listed)


def _reach(place: str, listed: Sequence[str], on: date) -> int:
    """How closely ``listed`` names ``place``: 3 the place itself, 2 its country, 1 the EU it is a member of, 0 not."""
    country = place.split("-")[0]
    if place in listed:
        return 3
    if country in listed:
        return 2
    return 1 if "EU" in listed and eu_vat_member(country, on) else 0


def role_in(place: str, facilitator: Sequence[str], merchant: Sequence[str], on: date) -> str | None:
    """The provider's role in ``place``: the one whose listing names it most closely (facilitator in US-CA beats
    merchant of record in the US), merchant of record where both name it as closely; None where neither does."""
    as_merchant, as_facilitator = _reach(place, merchant, on), _reach(place, facilitator, on)
    if as_merchant and as_merchant >= as_facilitator:
        return "merchant-of-record"
    return "marketplace-facilitator" if as_facilitator else None


def _merge(series: dict[Any, dict[date, list]], key: Any, days: dict[date, list],
           source: dict[Any, dict[date, list]]) -> None:
    """Add ``days`` into ``series[key]``: the input's own series where it is all there is (shared), a copy of it as
    soon as other days are added to it (so the input stays as it was)."""
    found = series.get(key)
    if found is None:
        series[key] = days if days is source.get(key) else {d: [a, n] for d, (a, n) in days.items()}
        return
    if found is source.get(key):
        found = series[key] = {d: [a, n] for d, (a, n) in found.items()}
    add_days(found, days)


def apply_roles(ledger: Ledger, facilitator: Sequence[str], merchant: Sequence[str],
                on: date) -> tuple[Ledger, tuple[Shift, ...]]:
    """The ledger as it would be had the provider acted so, and what moved.

    The roles apply to the seller's direct sales shipped to the places listed
    (DECISIONS, "Provider compare"): where the provider is marketplace
    facilitator they become marketplace sales, which each rule counts or leaves
    out (its ``marketplace`` field); where it is merchant of record they are the
    provider's sales, not the seller's, and leave the ledger. The ledger keeps
    affiliate and reseller orders under ``direct`` (:func:`nexus.ledger.profile`):
    affiliate orders are placed in the seller's own store and move with it;
    sales for resale (``exempt`` resale: the reseller rows) are made to
    resellers, not through the provider's checkout, and stay the seller's.
    Days with orders are unchanged, so periods before the first order stay
    "not covered by the data". The input ledger is not modified; the series no
    role touches are the input's own, shared rather than copied (the comparison
    only reads them; copying every one for every candidate cost a seventh of a
    comparison's time), so the result is for reading, not for adding orders to.
    """
    series: dict[Any, dict[date, list]] = {}
    moved: dict[tuple[str, str, str], list] = {}
    roles: dict[str, str | None] = {}

    for key, days in ledger.series.items():
        place, code, channel, kind, exempt, category = key
        role = None
        if channel == "direct" and exempt != "resale":
            if place not in roles:
                roles[place] = role_in(place, facilitator, merchant, on)
            role = roles[place]
        if role is None:
            _merge(series, key, days, ledger.series)
            continue
        total = moved.setdefault((place, role, code), [Decimal(0), 0])
        for amount, count in days.values():
            total[0] += amount
            total[1] += count
        if role == "marketplace-facilitator":
            _merge(series, (place, code, "marketplace", kind, exempt, category), days, ledger.series)
    shifted = replace(ledger, series=series, day_currency_totals=None, warnings=list(ledger.warnings),
                      assumptions=list(ledger.assumptions))
    shifts = tuple(Shift(place, role, code, amount, count)
                   for (place, role, code), (amount, count) in sorted(moved.items()))
    return shifted, shifts
