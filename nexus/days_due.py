"""The days an estimate counts: those tax was due and not collected under a registration (:func:`spans`), each
category's days within the rule's scope (:func:`in_scope`), and the days the orders read do not cover, said rather
than estimated: before the first order (:func:`before_orders`, :func:`not_covered`) and after the last one, before a
permit collected (:func:`after_orders`).

:func:`nexus.exposure.estimate` taxes the sales of these days; :mod:`nexus.estimates` asks :func:`not_covered` first,
and the outputs say :data:`NOT_COVERED` where nothing could be estimated. More information: docs/exposure.md.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any, Iterable, Sequence

from nexus.exposure_records import AfterOrders, Span

#: How a finding's estimate note begins when every day tax was due lies before the first order read.
NOT_COVERED = "not covered by the data"
#: The total's words where no estimate could be made because every day tax was due lies before the first order: the
#: screen's line, the memo's headline and the workbook's Summary say it alike (never a zero, never silence).
NOT_COVERED_TOTAL = (f"not estimated: every day tax was due lies before the first order read, {NOT_COVERED} (supply "
                     f"the earlier orders)")


def spans(windows: Iterable[Any], as_of: date, collecting_from: date | None, data_from: date | None = None,
          collecting: Sequence[tuple[date, date | None]] = ()) -> tuple[list[Span], list[str]]:
    """The days tax was due and not yet collected: from each window's ``collect_from`` to its end (or the as-of
    date), stopping the day before a registration started collecting; overlapping windows merged. ``collecting``
    are the days permits held collected on, each from its ``collecting_from`` to its ``closed_on`` (None: still
    held): a permit closed before a later duty began covers the days it was held, not the later duty's, and one
    closed before its own window ended leaves the days after the closing to that window's end. Days
    before the first order (``data_from``) are not covered by the data: left out, and said."""
    found: list[Span] = []
    notes: list[str] = []
    # A registration whose days ``collecting`` gives with a closing date is cut by those days, not by its start
    # alone: a permit closed before its window ended leaves the days after the closing owed.
    if collecting_from is not None and any(first == collecting_from and last is not None
                                           for first, last in collecting):
        collecting_from = None
    for w in windows:
        if w.collect_from is None and w.basis == "establishment" and data_from is not None:
            # The seller's home, the day its business began there not given: what the orders show, from the first.
            notes.append(f"Tax at home was due from the day the business began there, which nexus is not given: "
                         f"estimated from the first order on {data_from}; earlier sales are not covered by the data "
                         f"(list the office in the presence file with its since date).")
            w = replace(w, collect_from=data_from)
        if w.collect_from is None:
            notes.append(f"{w.label}: the presence file gives no start date, so tax from presence is not estimated "
                         f"(give its since date)")
            continue
        end = min(w.until or as_of, as_of)
        if collecting_from is not None:
            end = min(end, collecting_from - timedelta(days=1))
        start = w.collect_from
        if data_from is not None and start < data_from:
            notes.append(f"Tax was due from {start}, but the orders start on {data_from}: {start} to "
                         f"{data_from - timedelta(days=1)} is not covered by the data and not estimated (supply "
                         f"the earlier orders).")
            start = data_from
        found += [Span(a, b) for a, b in _outside(start, end, collecting)]
    found.sort(key=lambda s: s.start)
    merged: list[Span] = []
    for s in found:
        if merged and s.start <= merged[-1].end + timedelta(days=1):
            merged[-1] = Span(merged[-1].start, max(merged[-1].end, s.end))
        else:
            merged.append(s)
    return merged, notes


def after_orders(periods: Sequence[Span], data_to: date | None, collecting_from: date | None,
                 collecting: Sequence[tuple[date, date | None]] = ()) -> tuple[AfterOrders, ...]:
    """The days of tax at stake that a permit's collection ends and that lie after the last order read
    (``data_to``). A span of :func:`spans` ending the day before a permit began collecting was not collected on to
    that day, whenever the orders stop; the file's sales after its last order are unknown, so those days are said,
    never read as days without sales. A span ending on the as-of date or a window's end is not a permit's."""
    if data_to is None:
        return ()
    starts = {first for first, _last in collecting} | ({collecting_from} if collecting_from else set())
    return tuple(AfterOrders(data_to, max(s.start, data_to + timedelta(days=1)), s.end, s.start)
                 for s in periods if s.end > data_to and s.end + timedelta(days=1) in starts)


def before_orders(windows: Iterable[Any], data_from: date | None, collecting_from: date | None = None) -> str:
    """From when tax was due where that was before the first order read (``data_from``), in words, or "": the days
    :func:`spans` leaves out as not covered by the data, so that whoever reads the figure is told it starts later
    than the duty (a presence since 2024 on orders from 2025; a home whose business began on a day not given). A
    registration collecting from the duty's first day leaves nothing out."""
    if data_from is None:
        return ""
    early = sorted(w.collect_from for w in windows if w.collect_from is not None and w.collect_from < data_from
                   and (collecting_from is None or collecting_from > w.collect_from))
    if early:
        return f"from {early[0]}"
    if any(w.collect_from is None and w.basis == "establishment" for w in windows) and (
            collecting_from is None or collecting_from > data_from):
        return "from the day the business began there"
    return ""


def _outside(start: date, end: date, collecting: Sequence[tuple[date, date | None]]) -> list[tuple[date, date]]:
    """The days from ``start`` to ``end`` on which none of the ``collecting`` periods collected (none: []), in order."""
    left = [(start, end)] if start <= end else []
    for first, last in collecting:
        cut = []
        for a, b in left:
            if (last is not None and last < a) or first > b:
                cut.append((a, b))
                continue
            if a < first:
                cut.append((a, first - timedelta(days=1)))
            if last is not None and last < b:
                cut.append((last + timedelta(days=1), b))
        left = cut
    return left


def not_covered(windows: Iterable[Any], as_of: date, collecting_from: date | None,
                data_from: date | None, collecting: Sequence[tuple[date, date | None]] = ()) -> str:
    """Why nothing can be estimated when every day tax was due lies before the first order, or "" when some day is
    covered. An estimate of zero would say nothing is at stake where the data simply cannot tell (DECISIONS: days
    before the first order are "not covered by the data", never 0)."""
    due, _ = spans(windows, as_of, collecting_from, collecting=collecting)
    if not due or data_from is None or any(s.end >= data_from for s in due):
        return ""
    return (f"{NOT_COVERED}: tax was due from {due[0].start}, before the first order on {data_from} "
            f"(supply the earlier orders)")


def in_scope(periods: list[Span], scope: Sequence[tuple[date, date, frozenset[str]]] | None,
             category: str) -> list[Span]:
    """The days of ``periods`` on which ``category`` is in the rule's scope (``scope``: each version's first and last
    day and categories). Lines of unknown category keep every day: the estimate lists them as not estimated."""
    if scope is None or category == "unknown":
        return periods
    found = [Span(max(p.start, a), min(p.end, b)) for p in periods for a, b, categories in scope
             if category in categories and max(p.start, a) <= min(p.end, b)]
    return sorted(found, key=lambda s: s.start)
