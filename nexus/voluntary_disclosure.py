"""The voluntary-disclosure scenario of an estimate: the tax of the months a programme's look-back reaches, with
penalties and interest waived where the programme waives them and kept, said, where it does not
(:func:`vda_scenario`), and the programme's terms in words among the data an estimate used (:func:`programme_words`).

The programmes' terms are nexus's data (:func:`nexus.penalties.disclosure`, data/voluntary-disclosure.json);
:func:`nexus.exposure.estimate` makes the scenario beside the base and ``registered_now``, and :mod:`nexus.accrual`
reads its note. More information: docs/exposure.md.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Iterable, Sequence

from nexus import penalties
from nexus.exposure_records import ZERO, Month, Range, Scenario, Span
from nexus.periods import add_months

#: Why a voluntary disclosure's charge is kept in full where the programme's row does not say it is waived.
KEPT = {"unknown": "whether the programme waives them is not known",
        "partial": "the programme reduces them in part, by terms not estimated"}
#: What a voluntary disclosure's note says of a charge the programme leaves due and the data cannot estimate (its
#: figure is null, and the scenario's total leaves it out): read bare, the total would take it for waived.
VDA_NOT_ESTIMATED = "due, not estimated"
#: :data:`nexus.exposure.REFUNDS_EXCEED`, said of a voluntary disclosure's months kept, where their refunds exceed
#: their sales (its scenario's note).
REFUNDS_EXCEED_KEPT = ("refunds in the months kept exceed their sales: no tax to disclose; the refunds of sales made "
                       "before them are not a credit")


def vda_scenario(jurisdiction: str, months: Sequence[Month], as_of: date, uncollected: Range,
                 due: Sequence[Span] = (), established: bool = False) -> Scenario:
    """Tax limited to the programme's look-back; penalties and interest waived where it waives them. Its period is
    the days of tax due (``due``) from the look-back's first day, not the first and last days with a sale: the base
    runs to the as-of date, and a disclosure of the same months that ended on the last sale's day would date the
    same liability otherwise (the accrual's lines carry these dates)."""
    programme = penalties.disclosure(jurisdiction, as_of)
    if established and jurisdiction.startswith("US-") and programme is not None and programme.established != "yes":
        # The states' programmes were read for remote sellers (California's is its Out-of-State Voluntary
        # Disclosure Program, R&TC 6487.05): their terms are not applied to a seller established in the state.
        return Scenario("vda", None, None, uncollected, None, None,
                        "not estimated: the state's voluntary disclosure terms in nexus's data were read for sellers "
                        "outside the state; whether they apply to a seller established there was not read")
    if programme is None or programme.programme in ("none", "unknown"):
        why = "no voluntary disclosure programme" if programme and programme.programme == "none" else \
            "nexus has no voluntary disclosure terms for this jurisdiction"
        return Scenario("vda", None, None, uncollected, None, None, f"not estimated: {why}")
    if established and programme.established != "yes":
        # A home's disclosure uses only terms the data says are the country's rules for every taxpayer (its row's
        # ``established``): Japan's late-return reduction is, a programme read for foreign sellers would not be.
        return Scenario("vda", None, None, uncollected, None, None,
                        "not estimated: whether the voluntary disclosure terms in nexus's data apply to a seller "
                        "established there was not read")
    since = date.min
    if programme.lookback_months is None:
        kept = list(months)
        note = ("no look-back of its own: every month of tax due is kept" if programme.lookback == "none"
                else "the programme's look-back is not known: every month is kept")
    else:
        since = add_months(as_of, -programme.lookback_months)
        # A return whose period began before the look-back's first month but ends within it is kept whole: its
        # tax is declared on one return, which the look-back reaches (the cautious reading; by months it is split).
        kept = [m for m in months if m.ends_after(since)]
        note = f"look-back of {programme.lookback_months} months: months from {since}"
        if kept and kept[0].month < since:
            note += f" (the {kept[0].label} return, which ends within it, kept whole)"
            since = kept[0].month  # the disclosure's days start with that return's
    penalty = (Decimal(0) if programme.penalties_waived == "yes"
               else _known(m.penalty for m in kept))
    interest = Decimal(0) if programme.interest_waived == "yes" else _known(m.interest for m in kept)
    waived = [w for w, v in (("penalties", programme.penalties_waived), ("interest", programme.interest_waived))
              if v == "yes"]
    if waived:
        note += f"; {' and '.join(waived)} waived"
    # Where the sources do not say the programme waives a charge, it is kept in full and the note says why: a VDA
    # total equal to the base would otherwise read as a programme that saves nothing. A charge the data cannot
    # estimate is not kept (the total leaves it out): the clause below says it is due and not estimated.
    for what, value, figure in (("penalties", programme.penalties_waived, penalty),
                                ("interest", programme.interest_waived, interest)):
        if value in KEPT and figure is not None:
            note += f"; {what} kept in full: {KEPT[value]}"
    # A charge the programme leaves due that the data cannot estimate is said: the total counts it as nothing.
    unknown = [what for what, value in (("penalties", penalty), ("interest", interest)) if value is None]
    if unknown:
        note += f"; {' and '.join(unknown)} {VDA_NOT_ESTIMATED}"
    inside = [s for s in due if s.end >= since]
    start = max(inside[0].start, since) if kept and inside else kept[0].start if kept else None
    end = inside[-1].end if kept and inside else kept[-1].end if kept else None
    # The months kept, each its own tax less its own tax charged: no month's over-charge pays another's; their refunds
    # net against their sales, the tax disclosed no lower than zero.
    disclosed = sum((m.uncollected for m in kept), ZERO)
    if disclosed.below_zero:
        note += f"; {REFUNDS_EXCEED_KEPT}"
    return Scenario("vda", start, end, disclosed.floored(), penalty, interest, note)


def _known(values: Iterable[Decimal | None]) -> Decimal | None:
    items = list(values)
    if any(v is None for v in items):
        return None
    return sum(items, Decimal(0))  # type: ignore[arg-type, type-var]


def programme_words(row: penalties.Disclosure) -> str:
    if row.programme in ("none", "unknown"):
        return {"none": "no voluntary disclosure programme", "unknown": "programme not known"}[row.programme]
    kind = {"state": "the authority's own programme", "mtc": "through the Multistate Tax Commission only",
            "both": "its own programme and the Multistate Tax Commission's"}.get(row.programme, row.programme)
    back = (f"look-back {row.lookback_months} months" if row.lookback_months is not None
            else "no look-back of its own" if row.lookback == "none" else "no look-back limit in the sources")
    return f"{kind}, {back}; penalties waived: {row.penalties_waived}; interest waived: {row.interest_waived}"
