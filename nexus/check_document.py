"""Reading a check's JSON document (``nexus check --format json``) for the accounts plan and the accrual.

:func:`check_document` refuses a file that is not one, naming it;
:func:`jurisdictions_from_check` gives each place where the check found nexus
as a :class:`nexus.account_records.Jurisdiction`, with its own tax's name and
the currency the tax is owed in, and whether the accrual needs an accrued
liability there; :func:`opening_date` is the day a plan's new accounts open.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any, Mapping, Sequence

from nexus import places
from nexus.account_kinds import in_sentence
from nexus.account_records import Jurisdiction
from nexus.errors import InputError, Location

#: What makes a finding call for a payable, when the check JSON has no ``nexus`` field (older files).
_NEXUS_STATUS = ("exceeded", "established")


def check_document(document: Any, path: str) -> Mapping[str, Any]:
    """``document`` where it holds what the plan reads of a 'nexus check --format json' result (an object with a
    list of findings, each an object), else an error naming the file: another JSON file gave a plan with no tax
    accounts (exit 0), and a list or a string a traceback."""
    findings = document.get("findings") if isinstance(document, Mapping) else None
    if not isinstance(findings, list) or not all(isinstance(f, Mapping) for f in findings):
        raise InputError("is not a 'nexus check --format json' file (an object with a list of 'findings')",
                         Location(path))
    for i, f in enumerate(findings, start=1):  # the words a plan names accounts with: text, or a traceback
        for key in ("jurisdiction", "name", "tax", "currency"):
            if f.get(key) is not None and not isinstance(f[key], str):
                raise InputError(f"finding {i}: {key} {f[key]!r} is not text: not a 'nexus check --format json' "
                                 f"file", Location(path))
    return document


def opening_date(document: Mapping[str, Any] | None, today: date | None = None) -> date:
    """The day a plan's new accounts open when none is given (beancount's ``open`` directives): today, or, for a
    plan made from a check dated earlier, the check's as-of date. The accrual of that check is dated its as-of
    date, and a ledger takes no posting to an account before the day it opens (beancount: "Invalid reference to
    inactive account")."""
    today = today or date.today()
    as_of = document.get("as_of") if isinstance(document, Mapping) else None
    try:
        day = date.fromisoformat(as_of) if isinstance(as_of, str) else None
    except ValueError:
        day = None
    return min(today, day) if day else today


def jurisdictions_from_check(document: Mapping[str, Any]) -> list[Jurisdiction]:
    """Each jurisdiction where the check found nexus, with its own tax name and the currency it is owed in.

    ``nexus`` (economic, presence, establishment) decides where the check
    JSON has it; older files are read from ``status`` and the presence
    verdict. The home country (establishment) gets a payable named for its own
    tax, and an accrued liability only where the check estimates its tax not
    collected (``exposure``: a home measured by its own registration test, past
    due), as the accrual journal credits one there; nor does a jurisdiction the
    findings say is registered and collecting.
    A place with two taxes (Malaysia's service tax and sales tax) is one
    jurisdiction per tax, each with its own payable and accrued liability.
    """
    found: dict[tuple[str, str], Jurisdiction] = {}
    for f in document.get("findings", []):
        code = f.get("jurisdiction")
        if not isinstance(code, str) or (code, _tax_of(code, f)[0].lower()) in found:
            continue
        if "nexus" in f:
            why_nexus = f.get("nexus")
        elif f.get("status") == "established":
            why_nexus = "establishment"
        elif f.get("status") == "exceeded":
            why_nexus = "economic"
        elif f.get("presence_verdict") == "creates":
            why_nexus = "presence"
        else:
            why_nexus = None
        if why_nexus not in ("economic", "presence", "establishment"):
            continue
        name = f.get("name") or places.name(code)
        tax, currency = _tax_of(code, f)
        because = {"economic": "sales over its threshold", "presence": "a physical presence that creates nexus",
                   "establishment": "the seller's home"}[why_nexus]
        # Registered and collecting since tax was due (the check's action "registered" with no gap): returns
        # settle the tax, nothing to accrue. A late registration (a gap) still owes the gap's tax: accrued; so does
        # a permit taken out after an earlier window of nexus had ended, whose tax the finding still estimates.
        registered = f.get("action") == "registered" and not f.get("gap") and not _estimates_tax(f)
        reason = f"Nexus in {places.in_prose(name)} ({because}): {in_sentence(tax)} collected there is owed to it."
        # The home accrues only what the check estimates there (its own test met, registration past due): the
        # journal credits that to an accrued liability, which the plan must propose with the others.
        estimated = why_nexus != "establishment" or f.get("exposure") is not None
        found[(code, tax.lower())] = Jurisdiction(code, name, tax, currency, reason,
                                                  accrue=estimated and not registered)
    return share_places(list(found.values()))


def _estimates_tax(finding: Mapping[str, Any]) -> bool:
    """Whether a finding's estimate holds tax not collected (its base scenario's total above zero): what the accrual
    journal credits to the place's accrued liability. A figure that is not a decimal reads as none: the journal
    names it."""
    exposure = finding.get("exposure")
    scenarios = exposure.get("scenarios") if isinstance(exposure, Mapping) else None
    base = scenarios.get("base") if isinstance(scenarios, Mapping) else None
    total = base.get("total") if isinstance(base, Mapping) else None
    try:
        return isinstance(total, str) and Decimal(total) > 0
    except ArithmeticError:
        return False


def share_places(jurisdictions: Sequence[Jurisdiction]) -> list[Jurisdiction]:
    """Each jurisdiction marked ``shared`` where its place has another tax among them."""
    taxes: dict[str, set[str]] = {}
    for j in jurisdictions:
        taxes.setdefault(j.code, set()).add(j.tax.lower())
    return [replace(j, shared=len(taxes[j.code]) > 1) for j in jurisdictions]


def _tax_of(code: str, finding: Mapping[str, Any]) -> tuple[str, str]:
    """The tax's own name (first letter capital) and currency: from the finding, else from the rules.

    A place without a rule of its own (a member state under the EU's rule)
    owes its tax in its own currency: Poland's VAT in PLN, not the EU rule's EUR.
    """
    tax, currency = finding.get("tax"), finding.get("currency")
    if not tax or not currency:
        rule_tax, rule_currency, own = _rule_tax(code)
        if not own and "-" not in code:
            rule_currency = _territory_currency(code) or rule_currency
        tax, currency = tax or rule_tax, currency or rule_currency
    tax = tax or "Sales tax"
    return tax[0].upper() + tax[1:], currency or ""


@lru_cache(maxsize=None)
def _rule_tax(code: str) -> tuple[str, str, bool]:
    """A rule's tax and currency for ``code``, and whether the rule is the place's own (else one covering it).

    A rule in force today comes first: Croatia's own rule ended in 2021, in kuna, a currency withdrawn since;
    the EU's rule in force covers it, and its VAT is owed in the currency it uses now.
    """
    from nexus.rules import load_rules

    today = date.today()
    rules = sorted(load_rules().rules, key=lambda r: (not r.in_force(today), r.jurisdiction != code,
                                                      -r.effective_from.toordinal()))
    for rule in rules:
        if rule.jurisdiction == code or rule.covers(code):
            return rule.tax, rule.currency, rule.jurisdiction == code
    return "", "", False


@lru_cache(maxsize=None)
def _territory_currency(country: str) -> str:
    """The currency a country uses today (CLDR, through babel): the currency a member state's VAT is owed in."""
    try:
        from babel.numbers import get_territory_currencies

        found = get_territory_currencies(country, date.today())
    except Exception:  # babel lacks a territory: leave the currency to the chart's owner
        return ""
    return found[0] if found else ""
