"""The domestic VAT registration that stock held in an EU member state requires: ``data/stock-registration.json``.

A seller not established in the EU whose stock sits in a member state, and that sells from it to customers in that
same state, makes domestic supplies there (the VAT Directive's Art. 32): they are not intra-Community distance sales
(Art. 14(4)(1)), so the Union OSS, which takes those, a marketplace's deemed supplies and services only (Art. 369b),
does not cover them. Read by ``nexus check`` (an EU registration held does not make such a member state's finding
registered: nexus.check) and by ``nexus provider compare`` (nexus.provider_stock). A date or a seller no row speaks
for is ``unknown``, never a guess.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any, Sequence

from nexus import datafiles
from nexus.errors import RulesError

STOCK_FILE = "stock-registration.json"
#: Whose establishment a row speaks for: a seller established outside the EU, or in another member state.
ESTABLISHMENTS = ("outside_eu", "other_member_state")
#: The category whose sales leave from stock: digital products, SaaS and services are not sent from a warehouse.
GOODS = "goods"
_FIELDS = ("jurisdiction", "establishment", "effective_from", "threshold", "threshold_basis", "not_covered",
           "legal_basis", "sources", "last_verified", "confidence")


@dataclass(frozen=True)
class StockRule:
    """One row of ``data/stock-registration.json``: for a seller established so, with stock in the member state
    (``EU``: every one), the registration threshold of its domestic supplies (``none``, or None: unknown), why, and
    what a Union OSS registration does not cover."""

    jurisdiction: str
    establishment: str
    effective_from: date
    effective_to: date | None
    threshold: str | None
    threshold_basis: str
    not_covered: tuple[str, ...]
    marketplace: str
    legal_basis: str
    sources: tuple[str, ...]
    confidence: str
    notes: str = ""

    def in_force(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)


def _rule(row: dict[str, Any], where: str) -> StockRule:
    missing = [k for k in _FIELDS if k not in row or row[k] in ("", [])]
    if missing and missing != ["threshold"]:
        raise RulesError(f"{where}: missing {', '.join(missing)}")
    if row["establishment"] not in ESTABLISHMENTS:
        raise RulesError(f"{where}: establishment {row['establishment']!r} is not one of {', '.join(ESTABLISHMENTS)}")
    if row.get("threshold") not in ("none", None):
        raise RulesError(f"{where}: threshold {row['threshold']!r} is not 'none' or null (unknown)")
    return StockRule(row["jurisdiction"], row["establishment"], date.fromisoformat(row["effective_from"]),
                     date.fromisoformat(row["effective_to"]) if row.get("effective_to") else None,
                     row.get("threshold"), row["threshold_basis"], tuple(row["not_covered"]),
                     row.get("marketplace", ""), row["legal_basis"], tuple(row["sources"]), row["confidence"],
                     row.get("notes", ""))


@lru_cache(maxsize=1)
def load_stock_rules() -> tuple[StockRule, ...]:
    """Every row of ``data/stock-registration.json``, checked: each names its establishment, dates, articles and
    sources."""
    rows = datafiles.document(STOCK_FILE)["rules"]
    return tuple(_rule(row, f"data/{STOCK_FILE} rule {i + 1}") for i, row in enumerate(rows))


def stock_rule(member: str, establishment: str, on: date,
               rules: Sequence[StockRule] | None = None) -> StockRule | None:
    """The row in force on ``on`` for a seller established so with stock in ``member``: the member state's own,
    else the EU's; None where no row speaks for that date (the output says 'unknown')."""
    found = [r for r in (load_stock_rules() if rules is None else rules)
             if r.establishment == establishment and r.in_force(on) and r.jurisdiction in (member, "EU")]
    return next((r for r in found if r.jurisdiction == member), None) or next(iter(found), None)
