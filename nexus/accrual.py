"""The accrual of the estimated liability: one balanced journal entry from a ``nexus check`` JSON file.

For a scenario (``base``: everything since tax was due; ``vda``: limited to the voluntary disclosure
look-back, penalties and interest waived where the programme waives them), each jurisdiction's estimate
(:mod:`nexus.exposure`, as the check's JSON gives it in the jurisdiction's currency) is converted to the book
currency at the as-of date's rate and rounded once, to the book currency's minor unit. The entry
(DECISIONS "Accounts"):

* debits the tax-exposure expense with the tax, and the interest-and-penalties expense with the penalty and
  interest where they could be estimated;
* credits each jurisdiction's accrued liability ("Accrued sales tax exposure - Texas (US-TX)") with its tax,
  penalty and interest: one line per jurisdiction, kept apart from the tax payable its returns reconcile
  against.

The debits are the sums of the rounded credits, so the entry balances to the minor unit by construction
(:class:`nexus.journal.JournalEntry` checks it again). Rounded apart, the lines can add to a unit or two more or less
than the check's total, which is rounded once: the difference is given back one minor unit at a time to the lines
whose conversion lay nearest the other way (the largest remainders), so that the credits add to the check's total
and the tax-exposure debit to its tax, as a controller ties them (:func:`spread`).

The accounts are the chart's own where it has them, else those ``nexus accounts plan`` proposes, numbered as it
numbers them (the same chart, check and currencies give the same numbers). The rate converting each estimate is the
check's own reporting rate where the book currency is the reporting currency, else one read from ``rates`` on the
as-of date.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_CEILING, Decimal
from typing import Any, Mapping, Sequence

from nexus import accounts
from nexus.account_kinds import in_sentence
from nexus.account_records import GENERIC, AccountRef, BookOptions, Jurisdiction, Ledger, Proposal
from nexus.accounts import Plan
from nexus.chart import Account
from nexus.check_document import check_document, jurisdictions_from_check, share_places
from nexus.errors import InputError, Location, RateMissing
from nexus.journal import JournalEntry, JournalLine
from nexus.money import format_amount, minor_units, parse_amount, quantize
from nexus.voluntary_disclosure import REFUNDS_EXCEED_KEPT, VDA_NOT_ESTIMATED

#: The scenarios an accrual can book (registered-now is a run-rate going forward, not a liability).
SCENARIOS = ("base", "vda")


@dataclass(frozen=True)
class Accrued:
    """One jurisdiction's part of the accrual: the estimate in its currency, the rate, and the booked amounts."""

    code: str
    name: str
    tax_name: str
    currency: str
    start: date | None
    end: date | None
    tax: Decimal
    penalty: Decimal | None
    interest: Decimal | None
    total: Decimal  # the scenario's total in the estimate's currency: tax, and penalty and interest estimated
    rate: Decimal
    rate_date: date
    rate_source: str
    book_tax: Decimal
    book_extra: Decimal
    account: AccountRef
    note: str = ""
    #: What the line's tax and credit carry beyond their conversion rounded once (a unit more or less, or none), so
    #: that the entry adds to the check's total and tax (:func:`spread`); the workbook's formulas show it.
    tax_rounding: Decimal = Decimal(0)
    total_rounding: Decimal = Decimal(0)

    @property
    def book_total(self) -> Decimal:
        return self.book_tax + self.book_extra


@dataclass(frozen=True)
class Accrual:
    """The entry (None when nothing is to be accrued), each jurisdiction's part, what was left out and why,
    and the accounts it posts to (``proposed``: those the chart lacks, to import before the entry)."""

    as_of: date
    scenario: str
    book_currency: str
    entry: JournalEntry | None
    lines: tuple[Accrued, ...]
    left_out: tuple[tuple[str, str], ...]
    plan: Plan
    used: tuple[AccountRef, ...]
    proposed: tuple[Proposal, ...]
    memo: str
    #: The entry that reverses it (:func:`reversal`), where asked for: the accrual is the whole liability to the
    #: as-of date, so the next one is booked after this one is reversed, never on top of it.
    reversal: JournalEntry | None = None
    #: The check's own total for the scenario where it is in the book currency. The entry adds to it, its lines
    #: rounded apart and the difference spread (:func:`spread`), unless they differ by more than rounding explains.
    check_total: Decimal | None = None
    #: Likewise the check's tax (its ``tax.central``; for the VDA scenario, where every place's tax is the base's).
    check_tax: Decimal | None = None
    #: Without a currency list, the proposed accounts a plan given one would number otherwise: (number here, number
    #: there, name). A ledger holding the plan's numbers would take these lines on other accounts.
    renumbered: tuple[tuple[str, str, str], ...] = ()

    @property
    def entries(self) -> tuple[JournalEntry, ...]:
        """What a journal file holds: the accrual, and its reversal where there is one."""
        return tuple(e for e in (self.entry, self.reversal) if e is not None)

    def not_estimated(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """The charges the entry leaves out because the check could not estimate them (``penalties`` and
        ``interest``), each with the places: a line credited with the tax alone would otherwise read as the whole
        liability there, the figure the data lacks booked as nothing."""
        found = (("penalties", tuple(sorted(a.code for a in self.lines if a.penalty is None))),
                 ("interest", tuple(sorted(a.code for a in self.lines if a.interest is None))))
        return tuple((what, codes) for what, codes in found if codes)

    def in_chart(self, ref: AccountRef) -> bool:
        return any(a.number == ref.number for a in self.plan.chart)

    def posting_plan(self, new_book: bool) -> Plan:
        """The accounts a ledger needs before the entry can post: the proposed ones, and for a new book
        (GnuCash, written from nothing) the chart's own accounts the entry uses too."""
        extra = [] if not new_book else [
            Proposal(r.number, r.name, r.kind, r.currency, "", "an account of the chart the accrual posts to",
                     f"chart:{r.number}", r.parents) for r in self.used if self.in_chart(r)]
        return Plan(self.plan.chart, tuple(sorted(extra, key=lambda p: p.number)) + self.proposed,
                    self.plan.options, self.plan.source)


def _field(item: Mapping[str, Any], key: str, path: str, where: str) -> Any:
    if not isinstance(item, Mapping) or key not in item:
        raise InputError(f"{where}: {key!r} is missing: not a 'nexus check --format json' file with estimates",
                         Location(path))
    return item[key]


def _amount(value: Any, path: str, where: str) -> Decimal | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(f"{where}: {value!r} is not an amount written as a decimal string", Location(path))
    return parse_amount(value, Location(path, None, where, value))


def _day(value: Any, path: str, where: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise InputError(f"{where}: {value!r} is not a date (YYYY-MM-DD)", Location(path)) from None


def accrue(document: Mapping[str, Any], chart: Sequence[Account], scenario: str = "base",
           ledger: Ledger = GENERIC, book_currency: str | None = None, rates: Any = None,
           currency_codes: Sequence[str] = (), options: BookOptions = BookOptions(), path: str = "CHECK.json",
           source: str = "", reverse_on: date | None = None) -> Accrual:
    """The accrual entry for ``scenario`` from a check's JSON ``document`` (read from ``path``), posting to the
    accounts of ``chart`` or of the plan for it (``currency_codes`` as given to ``accounts plan``, so that
    numbers match); in ``book_currency`` (default the check's reporting currency), converted with the check's
    reporting rates or, for another currency, ``rates`` (:class:`nexus.fx.Rates`) on the as-of date; with its
    reversal dated ``reverse_on`` where given (after the as-of date)."""
    found = _accrue(document, chart, scenario, ledger, book_currency, rates, currency_codes, options, path, source)
    if reverse_on is None or found.entry is None:
        return found
    if reverse_on <= found.as_of:
        raise InputError(f"--reverse-on {reverse_on} is not after the accrual's date {found.as_of}: a reversal is "
                         f"booked on a later day, usually the first of the next period")
    return replace(found, reversal=reversal(found.entry, reverse_on))


def reversal(entry: JournalEntry, on: date) -> JournalEntry:
    """``entry`` reversed on ``on``: every line's debit and credit swapped, the reference marked ``-R``
    (``ACCR-20261031-BASE-R``: QuickBooks takes a journal number of 21 characters at most). An accrual is the whole
    liability estimated to its date; reversed at the start of the next period, the next check's accrual replaces it
    instead of adding to it."""
    lines = tuple(JournalLine(line.account, line.credit, line.debit, line.currency, f"Reversal: {line.memo}")
                  for line in entry.lines)
    return JournalEntry(on, f"Reversal of {entry.reference}: {entry.memo}", lines,
                        f"{entry.reference}-R" if entry.reference else "", entry.reference)


def _accrue(document: Mapping[str, Any], chart: Sequence[Account], scenario: str, ledger: Ledger,
            book_currency: str | None, rates: Any, currency_codes: Sequence[str], options: BookOptions, path: str,
            source: str) -> Accrual:
    if scenario not in SCENARIOS:
        raise ValueError(f"scenario must be one of {SCENARIOS}")
    if not isinstance(document, Mapping):
        raise InputError("is not a 'nexus check --format json' file (no JSON object)", Location(path))
    as_of = _day(_field(document, "as_of", path, "the check"), path, "as_of")
    assert as_of is not None
    summary = document.get("summary") or {}
    total = summary.get("exposure_total") if isinstance(summary, Mapping) else None
    reporting = total.get("currency") if isinstance(total, Mapping) else None
    if reporting is not None and not isinstance(reporting, str):
        raise InputError(f"summary.exposure_total.currency: {reporting!r} is not a currency code", Location(path))
    book = (book_currency or reporting or "USD").upper()
    findings = _field(document, "findings", path, "the check")
    check_document(document, path)  # a list of objects, their names and taxes text: not a traceback
    places = jurisdictions_from_check(document)
    parts: list[dict[str, Any]] = []
    left_out: list[tuple[str, str]] = []
    # Past windows under rules no longer in force are in the check's total (docs/exposure.md): accrued with the rest.
    past = document.get("past_windows")
    items = [("finding", f) for f in (findings if isinstance(findings, list) else [])]
    items += [("past window", p) for p in (past if isinstance(past, list) else [])]
    counts: dict[str, int] = {}
    every: list[dict[str, Any]] = []  # every estimate, those left out too: the check's tax counts them all
    for kind, f in items:
        counts[kind] = i = counts.get(kind, 0) + 1
        code = f.get("jurisdiction") if isinstance(f, Mapping) else None
        where = f"{kind} {i} ({code or '?'})"
        exposure = f.get("exposure") if isinstance(f, Mapping) else None
        if exposure is None:
            if isinstance(f, Mapping) and f.get("exposure_note"):
                left_out.append((str(code), f["exposure_note"]))
            continue
        part = _part(f, exposure, scenario, book, rates, as_of, path, where)
        every.append(part)
        if part["total"] < 0:
            left_out.append((str(code), f"the estimate is negative ({format_amount(part['total'], book)} {book}): "
                                        f"refunds exceed sales; nothing accrued"))
        elif part["total"] == 0:
            left_out.append((str(code), "nothing to accrue: " + (part["refunds"] or _why_nothing(f, book, as_of))))
        else:
            parts.append(part)
    parts = _per_place(parts, book)
    jurisdictions = [replace(j, accrue=True) if any(_is_for(j, p) for p in parts) else j for j in places]
    for p in parts:  # a place the check's nexus field does not list still needs its accrued account
        if not any(_is_for(j, p) for j in jurisdictions):
            jurisdictions.append(Jurisdiction(p["code"], p["name"], p["tax_name"], p["currency"],
                                              f"The accrual for {p['name']}.", True))
    jurisdictions = share_places(jurisdictions)
    plan = accounts.make_plan(chart, list(currency_codes), jurisdictions, ledger, replace(options, book_currency=book),
                              source)
    check_total = _check_total(total, scenario, book, path)
    check_tax = _check_tax(total, scenario, book, path, every)
    lines: list[Accrued] = []
    for p, (book_tax, book_total) in zip(parts, _booked(parts, book, check_total, check_tax)):
        place = next(j for j in jurisdictions if _is_for(j, p))
        account = _account(plan, "accrued", place)
        rounded_tax, rounded_total = p["book_tax"], p["book_tax"] + p["book_extra"]
        lines.append(Accrued(p["code"], p["name"], p["tax_name"], p["currency"], p["start"], p["end"], p["tax"],
                             p["penalty"], p["interest"], p["own_total"], p["rate"], p["rate_date"], p["rate_source"],
                             book_tax, book_total - book_tax, account, p["note"], book_tax - rounded_tax,
                             book_total - rounded_total))
    found = _entry(as_of, scenario, book, tuple(lines), tuple(left_out), plan)
    booked = replace(options, book_currency=book)
    renumbered = () if currency_codes else _renumbered(found, jurisdictions, ledger, booked, source)
    return replace(found, check_total=check_total, check_tax=check_tax, renumbered=renumbered)


def _renumbered(found: Accrual, jurisdictions: Sequence[Jurisdiction], ledger: Ledger, options: BookOptions,
                source: str) -> tuple[tuple[str, str, str], ...]:
    """The proposed accounts of ``found`` (numbered with no currency list) that a plan given one would number
    otherwise. A list adding a currency to a chart of one adds a Currency rounding account, which takes the number
    the tax interest and penalties get without it (8010 after 8000 Bank charges): posted by number, the entry's
    penalties would land on the ledger's rounding account. Worked out with one currency the chart lacks."""
    if not found.proposed:
        return ()
    held = {a.currency for a in found.plan.chart} | {options.book_currency}
    other = next((c for c in ("USD", "EUR", "JPY", "GBP", "CHF", "CAD", "AUD") if c not in held), None)
    if other is None:
        return ()
    there = {p.purpose: p.number for p in accounts.make_plan(found.plan.chart, [other], jurisdictions, ledger, options,
                                                             source).proposals}
    return tuple((p.number, there[p.purpose], p.name) for p in found.proposed
                 if there.get(p.purpose, p.number) != p.number)


def spread(exact: Sequence[Decimal], rounded: Sequence[Decimal], target: Decimal, unit: Decimal,
           bounds: Sequence[tuple[Decimal, Decimal]]) -> tuple[Decimal, ...] | None:
    """``rounded`` made to add to ``target``: the difference given one ``unit`` at a time to the amount whose
    ``exact`` figure lies furthest beyond it that way (the largest remainder, as an accountant spreads a rounding
    difference; on a tie the larger amount, then the earlier), each amount kept within its ``bounds`` (lowest,
    highest). None where the bounds leave no room: the difference is more than rounding."""
    amounts = list(rounded)
    steps = int((target - sum(amounts, Decimal(0))) / unit)
    step = unit if steps > 0 else -unit
    for _ in range(abs(steps)):
        room = [i for i, a in enumerate(amounts) if bounds[i][0] <= a + step <= bounds[i][1]]
        if not room:
            return None
        i = max(room, key=lambda i: ((exact[i] - amounts[i]) * step, abs(exact[i]), -i))
        amounts[i] += step
    return tuple(amounts)


def _booked(parts: Sequence[Mapping[str, Any]], book: str, check_total: Decimal | None,
            check_tax: Decimal | None) -> list[tuple[Decimal, Decimal]]:
    """Each part's tax and credit in the book currency: its conversions rounded once, then (:func:`spread`) made to
    add to the check's total and tax where the check reports in the book currency, else to the parts' conversions
    summed and rounded once. A line moves by no more than rounding explains: half a unit of the book currency, and
    half a unit of the estimate's own currency (the JSON's figures are rounded; the check summed them unrounded)
    converted, so a line in USD booked in KRW may take up to 8 won, one in JPY booked in USD a cent. A check's
    figure further away than that (a place it could not convert) is not met: the screen says by how much."""
    unit = Decimal(1).scaleb(-minor_units(book))
    tax_exact = [p["tax"] * p["rate"] for p in parts]
    total_exact = [p["own_total"] * p["rate"] for p in parts]
    tax_rounded = [p["book_tax"] for p in parts]
    total_rounded = [p["book_tax"] + p["book_extra"] for p in parts]
    reach = [(Decimal("0.5") + Decimal("0.5").scaleb(-minor_units(p["currency"])) * p["rate"] / unit)
             .to_integral_value(ROUND_CEILING) * unit for p in parts]

    def aim(exact: list[Decimal], rounded: list[Decimal], check: Decimal | None,
            bounds: list[tuple[Decimal, Decimal]]) -> list[Decimal]:
        for target in (check, quantize(sum(exact, Decimal(0)), book)):
            found = None if target is None else spread(exact, rounded, target, unit, bounds)
            if found is not None:
                return list(found)
        return rounded

    totals = aim(total_exact, total_rounded, check_total,
                 [(max(unit, r - d), r + d) for r, d in zip(total_rounded, reach)])
    # A line with no penalty or interest keeps its tax equal to its credit; the others move their tax within the
    # credit, so that no line's penalty and interest turns negative.
    fixed = [p["own_total"] == p["tax"] for p in parts]
    taxes = [t if f else min(r, t) for r, t, f in zip(tax_rounded, totals, fixed)]
    bounds = [(t, t) if f else (max(Decimal(0), r - d), min(t, r + d))
              for r, t, d, f in zip(tax_rounded, totals, reach, fixed)]
    taxes = aim(tax_exact, taxes, check_tax, bounds)
    return list(zip(taxes, totals))


def _check_tax(total: Any, scenario: str, book: str, path: str, every: Sequence[Mapping[str, Any]]) -> Decimal | None:
    """The check's tax where it reports in the book currency: its ``tax.central``, for the VDA scenario only where
    every estimate's tax (``every``: those accrued and those left out) is the base scenario's (the look-back reaches
    the whole period), else None (nothing printed to match: the lines' tax converted and rounded once)."""
    if not isinstance(total, Mapping) or str(total.get("currency", "")).upper() != book:
        return None
    if scenario == "vda" and any(p["tax"] != p["base_tax"] for p in every):
        return None
    tax = total.get("tax")
    return _amount(tax.get("central") if isinstance(tax, Mapping) else None, path, "summary.exposure_total.tax.central")


def _check_total(total: Any, scenario: str, book: str, path: str) -> Decimal | None:
    """The check's total for ``scenario`` (tax with the penalties and interest estimated, or the VDA figure) where
    the check reports in the book currency; None otherwise."""
    if not isinstance(total, Mapping) or str(total.get("currency", "")).upper() != book:
        return None
    where = "summary.exposure_total"
    if scenario == "vda":
        return _amount(total.get("vda"), path, f"{where}.vda")
    if total.get("base") is not None:  # the total the check printed, rounded once
        return _amount(total.get("base"), path, f"{where}.base")
    tax = total.get("tax")
    central = _amount(tax.get("central") if isinstance(tax, Mapping) else None, path, f"{where}.tax.central")
    if central is None:
        return None
    extra = [_amount(total.get(k), path, f"{where}.{k}") for k in ("penalty", "interest")]
    return central + sum((x for x in extra if x is not None), Decimal(0))


def _is_for(place: Jurisdiction, part: Mapping[str, Any]) -> bool:
    """Whether ``part`` (a finding's estimate) is accrued on ``place``: the same code and, where the place has
    two taxes (Malaysia's service tax and sales tax), the same tax, so neither is credited to the other's account."""
    return place.code == part["code"] and (not place.shared or place.tax.lower() == part["tax_name"].lower())


def _why_nothing(f: Mapping[str, Any], book: str, as_of: date) -> str:
    """Why a finding's estimate is zero, in its own facts where the check gives them: registered and collecting
    since tax was due (its returns settle the tax), or collection due only after the check's date; else the figure."""
    collect_from = f.get("collect_from")
    since = f" (from {collect_from})" if isinstance(collect_from, str) and collect_from else ""
    if f.get("action") == "registered" and not f.get("gap"):
        return f"registered and collecting since tax was due{since}"
    if isinstance(collect_from, str) and collect_from > as_of.isoformat():
        return f"tax is to be collected from {collect_from}, after the check's date"
    return f"the estimate is {format_amount(Decimal(0), book)} {book}"


def _part(f: Mapping[str, Any], exposure: Mapping[str, Any], scenario: str, book: str, rates: Any, as_of: date,
          path: str, where: str) -> dict[str, Any]:
    """One finding's figures for the scenario, converted to the book currency and rounded once."""
    code = str(_field(f, "jurisdiction", path, where))
    currency = str(_field(exposure, "currency", path, where)).upper()
    figures = _field(_field(exposure, "scenarios", path, where), scenario, path, where)
    tax = _amount(_field(_field(figures, "tax", path, where), "central", path, where), path, f"{where} tax")
    base = exposure["scenarios"].get("base") if isinstance(exposure["scenarios"], Mapping) else None
    base_tax = _amount(base["tax"].get("central"), path, f"{where} base tax") if isinstance(base, Mapping) and \
        isinstance(base.get("tax"), Mapping) else None
    penalty = _amount(figures.get("penalty"), path, f"{where} penalty")
    interest = _amount(figures.get("interest"), path, f"{where} interest")
    total = _amount(figures.get("total"), path, f"{where} total")
    assert tax is not None
    if total is None:
        total = tax + (penalty or Decimal(0)) + (interest or Decimal(0))
    # nothing to accrue converts nothing: a GBP 0.00 estimate needs no GBP rate to be left out
    rate, rate_date, rate_source = (Decimal(1), as_of, "nothing to convert") if tax == total == 0 else \
        _rate(exposure, currency, book, rates, as_of, path, where)
    said = figures.get("note") or ""
    # A voluntary disclosure's note already names the charges it could not estimate
    # (voluntary_disclosure.VDA_NOT_ESTIMATED)
    named = VDA_NOT_ESTIMATED in said
    refunds = _refunds(exposure, said, tax)
    notes = [n for n in (said, None if refunds in said else refunds,
                         None if penalty is not None or named else "penalty not estimated",
                         None if interest is not None or named else "interest not estimated") if n]
    # The scenario's total is its unrounded sum rounded once (penalty and interest are each rounded in the
    # JSON): the credit is that total converted and rounded, and the penalty and interest what it adds to the tax.
    book_tax, book_total = quantize(tax * rate, book), quantize(total * rate, book)
    book_extra = book_total - book_tax
    start = _day(figures.get("from"), path, where) or _day(exposure.get("from"), path, where)
    end = _day(figures.get("to"), path, where) or _day(exposure.get("to"), path, where)
    return {"code": code, "name": f.get("name") or code, "tax_name": f.get("tax") or "Sales tax",
            "currency": currency, "start": start, "end": end,
            "tax": tax, "base_tax": base_tax, "penalty": penalty, "interest": interest, "own_total": total,
            "rate": rate,
            "rate_date": rate_date, "rate_source": rate_source, "book_tax": book_tax, "book_extra": book_extra,
            "total": book_tax + book_extra, "note": "; ".join(notes), "refunds": refunds}


def _refunds(exposure: Mapping[str, Any], said: str, tax: Decimal) -> str:
    """Why the scenario's tax is nothing where refunds exceed the sales ("" otherwise): the voluntary disclosure's
    months kept (its note says so), else the place's whole period (the estimate's ``uncollected_note``). The check
    takes such a place's tax as nothing, not negative: there is no tax to book for it, and it is said."""
    if REFUNDS_EXCEED_KEPT in said:
        return REFUNDS_EXCEED_KEPT
    note = exposure.get("uncollected_note")
    return note if isinstance(note, str) and not tax else ""


def _per_place(parts: list[dict[str, Any]], book: str) -> list[dict[str, Any]]:
    """One part per place and tax: a place's finding and its past windows under rules no longer in force (or two
    schemes of one tax) are one jurisdiction, credited on one line with their estimates summed in their currency,
    converted and rounded once, as each jurisdiction's credit is (docs/exposure.md). Rounded apart, two windows of
    USD 0.015 would book 0.04 where the place's 0.03 is owed. Parts in different currencies or at different rates
    are not summed before converting, and stay lines of their own."""
    groups: dict[tuple[str, str, str, Decimal], list[dict[str, Any]]] = {}
    for p in parts:
        groups.setdefault((p["code"], p["tax_name"].lower(), p["currency"], p["rate"]), []).append(p)
    return [group[0] if len(group) == 1 else _summed(group, book) for group in groups.values()]


def _summed(group: list[dict[str, Any]], book: str) -> dict[str, Any]:
    """The parts of one place, tax, currency and rate as one: amounts added, a charge unknown in any part unknown
    (None, said in the notes), the period from the first start to the last end."""
    def add(key: str) -> Decimal | None:
        values = [p[key] for p in group]
        return None if any(v is None for v in values) else sum(values, Decimal(0))

    first = group[0]
    tax, own_total, base_tax = add("tax"), add("own_total"), add("base_tax")
    assert tax is not None and own_total is not None
    book_tax, book_total = quantize(tax * first["rate"], book), quantize(own_total * first["rate"], book)
    starts, ends = [p["start"] for p in group if p["start"]], [p["end"] for p in group if p["end"]]
    notes = list(dict.fromkeys(n for p in group for n in p["note"].split("; ") if n))
    return {**first, "tax": tax, "base_tax": base_tax, "penalty": add("penalty"), "interest": add("interest"),
            "own_total": own_total, "start": min(starts, default=None), "end": max(ends, default=None),
            "book_tax": book_tax, "book_extra": book_total - book_tax, "total": book_total, "note": "; ".join(notes)}


def _rate(exposure: Mapping[str, Any], currency: str, book: str, rates: Any, as_of: date, path: str,
          where: str) -> tuple[Decimal, date, str]:
    """Units of the book currency per unit of the estimate's: 1, the check's reporting rate, or ``rates``."""
    if currency == book:
        return Decimal(1), as_of, "same currency"
    reported = exposure.get("reporting")
    if isinstance(reported, Mapping) and str(reported.get("currency", "")).upper() == book and reported.get("rate"):
        rate = _amount(reported["rate"], path, f"{where} reporting rate")
        assert rate is not None
        return rate, _day(reported.get("rate_date"), path, where) or as_of, "the check's reporting rate"
    if rates is None:
        raise InputError(f"{where}: the estimate is in {currency} and no rate in the check converts it to {book}: "
                         f"give --rates (an ECB file or a treasury CSV) or --book-currency "
                         f"{reported.get('currency') if isinstance(reported, Mapping) else currency}", Location(path))
    try:
        factor, legs = rates.factor(currency, book, as_of)
    except RateMissing as exc:
        raise InputError(f"{where}: {exc}", Location(path)) from None
    # the sources that gave the legs' rates, not every file given: GBP read 'treasury.csv, eurofxref-hist.csv' where
    # only the ECB's file holds GBP
    used = ", ".join(dict.fromkeys(source for source, _ in legs))
    return factor, max((d for _, d in legs), default=as_of), used or rates.source


def _account(plan: Plan, purpose: str, place: Jurisdiction | None = None) -> AccountRef:
    found = accounts.accrual_account(plan, purpose, place)
    if found is None:
        what = {"tax-exposure": "a tax-exposure expense", "tax-penalties": "an interest-and-penalties expense",
                "accrued": f"an accrued liability for {place.name if place else ''}"}[purpose]
        raise InputError(f"the chart names {what} only on a header account, which cannot be posted to: add an "
                         f"account under it, or rename the header", Location(plan.source or "the chart"))
    return found


def _with_extra(line: Accrued) -> str:
    """What a credit holds beyond the tax, for its memo: the ledger shows the line alone, and a liability memo that
    said "VAT not collected" over the tax, penalty and interest did not reconcile with the check's tax."""
    named = [word for word, value in (("penalty", line.penalty), ("interest", line.interest)) if value]
    if not line.book_extra and not named:
        return ""
    return f", with the {' and '.join(named or ['penalty and interest'])} estimated"


def _entry(as_of: date, scenario: str, book: str, lines: tuple[Accrued, ...], left_out: tuple[tuple[str, str], ...],
           plan: Plan) -> Accrual:
    starts = [a.start for a in lines if a.start]
    ends = [a.end for a in lines if a.end]
    period = f"{min(starts)} to {max(ends)}" if starts and ends else f"to {as_of}"
    memo = f"Accrued tax exposure, {scenario} scenario, {period} (nexus check as of {as_of})"
    if not lines:
        return Accrual(as_of, scenario, book, None, lines, left_out, plan, (), (), memo)
    expense = _account(plan, "tax-exposure")
    places = len({a.code for a in lines})
    journal: list[JournalLine] = [JournalLine(expense, sum((a.book_tax for a in lines), Decimal(0)), Decimal(0), book,
                                              f"Tax not collected in {places} jurisdiction"
                                              f"{'s' * (places != 1)}, {scenario} scenario")]
    extra = sum((a.book_extra for a in lines), Decimal(0))
    used = [expense]
    if extra:
        penalties = _account(plan, "tax-penalties")
        journal.append(JournalLine(penalties, extra, Decimal(0), book,
                                   f"Interest and penalties estimated, {scenario} scenario"))
        used.append(penalties)
    for a in sorted(lines, key=lambda a: a.code):
        dates = f", {a.start} to {a.end}" if a.start and a.end else ""
        journal.append(JournalLine(a.account, Decimal(0), a.book_total, book, f"{a.name} ({a.code}): "
                                   f"{in_sentence(a.tax_name)} not collected{_with_extra(a)}{dates}"))
        used.append(a.account)
    reference = f"ACCR-{as_of:%Y%m%d}-{scenario.upper()}"
    entry = JournalEntry(as_of, memo, tuple(journal), reference)
    proposed = tuple(p for p in plan.proposals if any(p.number == r.number for r in used))
    return Accrual(as_of, scenario, book, entry, lines, left_out, plan, tuple(used), proposed, memo)
