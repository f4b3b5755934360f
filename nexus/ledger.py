"""The daily totals of the orders read, and the account of every row: the :class:`Ledger`.

Every reader (nexus's own, each platform's, the DuckDB fast paths, daily aggregates made elsewhere) folds its
orders into a Ledger: a series of daily totals for each :data:`Profile` of sale, with the shipping and tax
charged, the refunds linked to their sales, the lines per category source and SKU, and the rows read, used,
skipped, duplicated, left out or superseded. The check, the estimates and the provider comparison read it;
:func:`add_days` and :func:`add_series` are the one way series are added together, and :func:`file_account`
gives each file's part of the row account. (The ledgers and ERPs a chart-of-accounts plan is written for are
another thing: :class:`nexus.account_records.Ledger` and :mod:`nexus.targets`.)
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Callable, Iterator, Mapping

from nexus.errors import Location
from nexus.orders import SKU_EXAMPLES, ZERO, Conflict, Order, RowProblem, SkuSales
from nexus.read_options import ReadNotes
from nexus.skus import key as sku_key

Profile = tuple[str, str, str, str, str, str]
"""(jurisdiction, currency, channel, kind, exempt, category), as :func:`profile` makes it: what a rule
asks of a sale, and the key of a series of daily totals."""
DayKey = tuple[str, date, str, str, str, str, str]
"""(jurisdiction, day, currency, channel, kind, exempt, category): a daily total's key, profile and day."""


def profile(jurisdiction: str, currency: str, channel: str, kind: str, exempt: str, category: str) -> Profile:
    """The profile of a sale, keeping only the distinctions rules make.

    A channel is ``marketplace`` or ``direct`` (reseller and affiliate sales count as the seller's own),
    a kind ``sale`` or ``refund`` (a chargeback reduces sales as a refund does). Every reader keys its
    totals this way, so their ledgers agree, and a ledger holds fewer totals.
    """
    return (jurisdiction, currency, "marketplace" if channel == "marketplace" else "direct",
            "sale" if kind == "sale" else "refund", exempt, category)


@dataclass
class Ledger:
    """Daily totals of the orders read, and the account of every row.

    ``series`` maps each :data:`Profile` to its daily totals, ``{day: [amount,
    transactions]}``. Only sales count as transactions; refunds and chargebacks
    reduce the amount. A rule judges a profile once and then adds up its days,
    which is what makes a check of half a million daily totals quick.

    ``charges`` holds, under the same keys, the shipping and tax charged of each daily total, ``{day:
    [shipping, tax]}``, for the days that had any: shipping is part of the amount (it counts with the sale),
    tax charged is not. They are kept apart from ``series`` so that the series every rule walks stays two
    numbers a day, and a ledger of exports without shipping or tax columns holds none (zero).
    """

    series: dict[Profile, dict[date, list]] = field(default_factory=dict)
    files: list[tuple[str, int]] = field(default_factory=list)
    rows_by_day: dict[date, int] = field(default_factory=dict)
    rows_read: int = 0
    skipped: list[RowProblem] = field(default_factory=list)
    duplicates: list[RowProblem] = field(default_factory=list)
    #: Repeats counted but not listed: the fast path cannot say on which line, and the reference reader
    #: lists the first :data:`~nexus.row_account.LISTED_ROWS` only.
    unlisted_duplicates: int = 0
    #: Unreadable rows skipped beyond the first :data:`~nexus.row_account.LISTED_ROWS` (counted, not listed).
    unlisted_skipped: int = 0
    #: Every total's amount summed per (day, currency), for rules with a worldwide test, when the reader
    #: had it summed on the way (the fast path asks DuckDB); None: :meth:`by_day_and_currency` sums it.
    day_currency_totals: dict[tuple[date, str], Decimal] | None = None
    #: What reading assumed or passed over (see :class:`ReadNotes`): shown with the report.
    warnings: list[str] = field(default_factory=list)
    assumptions: list[str] = field(default_factory=list)
    #: Rows placed by their billing (or neutral) address because their ship-to country was empty.
    billing_fallbacks: int = 0

    @property
    def notes(self) -> ReadNotes:
        """The ledger's warnings and assumptions, for readers to add to."""
        return ReadNotes(self.warnings, self.assumptions)
    charges: dict[Profile, dict[date, list]] = field(default_factory=dict)
    #: Cancelled, voided, test and failed orders, and rows that are not sales, with the reason (listed up to
    #: :data:`~nexus.row_account.LISTED_ROWS`, counted beyond).
    left_out: list[RowProblem] = field(default_factory=list)
    unlisted_left_out: int = 0
    #: Order ids read again with different content, and how ``--repeated-orders`` treated each.
    conflicts: list[Conflict] = field(default_factory=list)
    unlisted_conflicts: int = 0
    #: Rows of orders replaced by a later copy (``--repeated-orders latest``).
    rows_superseded: int = 0
    #: Orders exported by two platforms (the same id but a leading '#', day, amount, currency and place):
    #: counted once; each is also in ``duplicates``.
    overlaps: list[RowProblem] = field(default_factory=list)
    unlisted_overlaps: int = 0
    #: The layout each file was read in: nexus's own (``nexus``) or a platform's name.
    layouts: dict[str, str] = field(default_factory=dict)
    #: Beside each of :attr:`files`, its rows skipped, duplicated, left out and superseded (see
    #: :func:`file_account`); None where a reader counted rows it cannot say the file of.
    file_rows: list[dict[str, int]] | None = None
    #: Per jurisdiction, the platforms whose refunds came as a running total on the order and were counted on
    #: the order's date, because the export gives no refund date.
    undated_refunds: dict[str, set[str]] = field(default_factory=dict)
    #: How many refunds counted on their order's date each (place, platform) holds (:meth:`_count_undated`).
    undated_counts: dict[tuple[str, str], int] = field(default_factory=dict)
    #: Where each line's category came from: ``(jurisdiction, currency, category, source) -> {day: [amount,
    #: lines]}``, amounts net of refunds, lines counted for sales (nexus.categories.SOURCES).
    category_sources: dict[tuple[str, str, str, str], dict[date, list]] = field(default_factory=dict)
    #: Refunds and chargebacks linked to their sale: ``{refund profile: {refund day: {sale day: [amount, tax]}}}``,
    #: summed as in :attr:`series` and :attr:`charges` (negative), for refund rows that name a sale in the files
    #: read: nexus's own layout's by order id, a platform's where its reader says LINKS_REFUNDS, a payment
    #: provider's refund of a store's order by the payment match (nexus.row_account.RowAccount.link_refunds). The
    #: estimate leaves out the refund of a sale made before tax was due (nexus.exposure); kept per day and sale
    #: day, not per order, it holds a few percent of the totals.
    refund_links: dict[Profile, dict[date, dict[date, list]]] = field(default_factory=dict)
    #: What was sold per SKU as written (``ReadOptions.collect_skus``; None when not asked for).
    skus: dict[str, SkuSales] | None = None
    #: Adds to the totals the rows a reader has counted and holds back (nexus's own reader sums them per spelling
    #: and day, nexus.own_layout._Quick.count), or None: called before anything is taken back out (:meth:`settle`).
    unsettled: Callable[[], None] | None = field(default=None, repr=False, compare=False)

    def settle(self) -> None:
        """Add in the rows a reader holds back, so that the totals hold every row read so far: before an order is
        taken back out, where a total that falls to nothing is removed."""
        if self.unsettled is not None:
            self.unsettled()

    def by_day_and_currency(self) -> dict[tuple[date, str], Decimal]:
        """All amounts (every place, category and kind, refunds negative) summed per day and currency."""
        if self.day_currency_totals is None:
            totals: dict[tuple[date, str], Decimal] = {}
            zero = Decimal(0)
            for key, days in self.series.items():
                for day, (amount, _count) in days.items():
                    totals[(day, key[1])] = totals.get((day, key[1]), zero) + amount
            self.day_currency_totals = totals
        return self.day_currency_totals

    @property
    def totals(self) -> dict[DayKey, list]:
        """Every daily total under its whole key (a copy: add with :meth:`total`)."""
        return {(key[0], day) + key[1:]: total for key, days in self.series.items() for day, total in days.items()}

    @property
    def charge_totals(self) -> dict[DayKey, list]:
        """The ``[shipping, tax]`` charged of every daily total that had any, under its whole key."""
        return {(key[0], day) + key[1:]: total for key, days in self.charges.items() for day, total in days.items()}

    def total(self, key: Profile, day: date) -> list:
        """The ``[amount, transactions]`` of one profile on one day, to add to (zero when new)."""
        self.day_currency_totals = None
        days = self.series.get(key)
        if days is None:
            days = self.series[key] = {}
        total = days.get(day)
        if total is None:
            total = days[day] = [Decimal(0), 0]
        return total

    def charge(self, key: Profile, day: date) -> list:
        """The ``[shipping, tax]`` charged of one profile on one day, to add to (zero when new)."""
        days = self.charges.get(key)
        if days is None:
            days = self.charges[key] = {}
        total = days.get(day)
        if total is None:
            total = days[day] = [Decimal(0), Decimal(0)]
        return total

    def link(self, key: Profile, day: date, sale_day: date, amount: Decimal, tax: Decimal) -> None:
        """Add a refund of ``key`` on ``day`` (its amount and tax charged, negative) to those of sales of
        ``sale_day`` (:attr:`refund_links`); a link that nets to nothing leaves none behind."""
        by_sale = self.refund_links.setdefault(key, {}).setdefault(day, {})
        found = by_sale.setdefault(sale_day, [Decimal(0), Decimal(0)])
        found[0] += amount
        found[1] += tax
        if not found[0] and not found[1]:
            del by_sale[sale_day]
            if not by_sale:
                del self.refund_links[key][day]
                if not self.refund_links[key]:
                    del self.refund_links[key]

    def _count_undated(self, order: Order, sign: int) -> None:
        """Note (``sign`` -1: take back) a refund counted on its order's date: a place whose every such refund was
        taken back (a migration overlap's other export dates it) no longer says its refunds come undated."""
        key = (order.jurisdiction, order.source)
        left = self.undated_counts[key] = self.undated_counts.get(key, 0) + sign
        sources = self.undated_refunds.setdefault(order.jurisdiction, set())
        if left > 0:
            sources.add(order.source)
        else:
            sources.discard(order.source)
            if not sources:
                del self.undated_refunds[order.jurisdiction]

    def add_summed(self, numbered: tuple, kind: str, source: str, totals: list[tuple]) -> None:
        """Add the daily totals of one profile and category source (``numbered``: the profile and where its
        category came from) as :meth:`add` adds an order, the days at once (the fast path for platform exports,
        nexus.fast_exports): each ``(day, amount, shipping, tax, transactions, rows, charged)``, one a day, amounts
        as DuckDB sums them (never a negative zero, at most 0 as exponent: each added to a zero as :meth:`add` adds
        it would be the same value, written alike). ``charged`` counts the orders that had shipping or tax charged:
        where those cancel out the day still has its charges (zero), as order by order. A refund (a platform's
        running total refunded, on its order's day, ``source`` the platform) counts no transaction and is noted as
        undated."""
        if not totals:
            return
        self.day_currency_totals = None
        key, said = numbered
        place, code, _channel, _kind, _exempt, category = key
        sale = kind == "sale"
        add_series(self.series, key, {day: [amount, count if sale else 0]
                                      for day, amount, _s, _t, count, _r, _c in totals})
        add_series(self.category_sources, (place, code, category, said),
                   {day: [amount, rows if sale else 0] for day, amount, _s, _t, _count, rows, _c in totals})
        charges = {day: [shipping, tax] if shipping or tax else [ZERO, ZERO]
                   for day, _amount, shipping, tax, _count, _rows, charged in totals if shipping or tax or charged}
        if charges:
            add_series(self.charges, key, charges)
        if sale:
            by_day = self.rows_by_day
            for day, _amount, _shipping, _tax, _count, rows, _charged in totals:
                if rows:
                    by_day[day] = by_day.get(day, 0) + rows
        else:
            undated = (place, source)
            self.undated_counts[undated] = self.undated_counts.get(undated, 0) + len(totals)
            self.undated_refunds.setdefault(place, set()).add(source)
            for day, amount, _shipping, tax, _count, _rows, _charged in totals:
                self.link(key, day, day, amount, tax)  # on their orders' day: linked to it, as in add

    def add(self, order: Order, transactions: int | None = None, sign: int = 1) -> None:
        """Count ``order`` (``sign`` -1 takes it back out). A sale is one transaction unless ``transactions``
        says otherwise (a further line item of an order already counted is none)."""
        if sign < 0:
            self.settle()
        key = profile(order.jurisdiction, order.currency, order.channel, order.kind, order.exempt, order.category)
        total = self.total(key, order.day)
        count = (order.transactions if order.kind == "sale" else 0) if transactions is None else transactions
        if sign > 0:
            total[0] += order.amount
            total[1] += count
        else:
            total[0] -= order.amount
            total[1] -= count
        if order.shipping or order.tax:
            charged = self.charge(key, order.day)
            charged[0] += sign * order.shipping
            charged[1] += sign * order.tax
        if order.rows:
            rows = self.rows_by_day.get(order.day, 0) + sign * order.rows
            if rows:
                self.rows_by_day[order.day] = rows
            else:
                del self.rows_by_day[order.day]
        if sign < 0 and not total[0] and not total[1]:
            del self.series[key][order.day]  # a replaced order leaves no empty total behind
            if not self.series[key]:
                del self.series[key]
        if order.undated:
            self._count_undated(order, sign)
            if order.kind != "sale":  # on its order's date: linked to that sale's day, its own (_link_undated)
                self.link(key, order.day, order.day, sign * order.amount, sign * order.tax)
        lines = sign * order.rows if order.kind == "sale" else 0
        source_key = (order.jurisdiction, order.currency, order.category, order.category_source)
        by_day = self.category_sources.get(source_key)
        if by_day is None:
            by_day = self.category_sources[source_key] = {}
        tally = by_day.get(order.day)
        if tally is None:
            tally = by_day[order.day] = [Decimal(0), 0]
        tally[0] += sign * order.amount
        tally[1] += lines
        if self.skus is not None:
            self._add_skus(order, sign)

    def _add_skus(self, order: Order, sign: int) -> None:
        """Fold an order's lines into :attr:`skus` (``sign`` -1 takes them back out)."""
        assert self.skus is not None
        sale = order.kind == "sale"
        seen: set[str] = set()
        for sku, name, amount, category, source, line in order.skus:
            found = self.skus.get(sku)
            if found is None:
                found = self.skus[sku] = SkuSales(sku, name)
            if sale:
                found.lines += sign
                # An order counts once per SKU however it spells it (KYUSU-1 and ＫＹＵＳＵ－１ in one order: one
                # order), so that the spellings' counts add up to the SKU's orders.
                folded = sku_key(sku)
                if folded not in seen:
                    found.orders += sign
                    seen.add(folded)
                found.categories[(category, source)] = found.categories.get((category, source), 0) + sign
                found.places[order.jurisdiction] = found.places.get(order.jurisdiction, 0) + sign
            if not found.name and name:
                found.name = name
            at = (order.currency, order.day)
            found.amounts[at] = found.amounts.get(at, Decimal(0)) + sign * amount
            if sign > 0:
                found.first = order.day if found.first is None else min(found.first, order.day)
                found.last = order.day if found.last is None else max(found.last, order.day)
                if len(found.examples) < SKU_EXAMPLES:
                    found.examples.append(Location(order.location.file, line))

    @property
    def rows_used(self) -> int:
        """Rows counted (each repeated order once), whatever their day."""
        return sum(self.rows_by_day.values())

    @property
    def first_day(self) -> date | None:
        return min(self.rows_by_day, default=None)

    @property
    def last_day(self) -> date | None:
        return max(self.rows_by_day, default=None)

    def jurisdictions(self) -> set[str]:
        return {key[0] for key in self.series}

    def currencies(self) -> set[str]:
        return {key[1] for key in self.series}

    def summary(self) -> dict[str, int]:
        """The row account: ``rows_read = rows_used + rows_skipped + duplicates + rows_left_out +
        rows_superseded``; ``conflicts`` and ``migration_overlaps`` count orders, not rows."""
        return {"rows_read": self.rows_read, "rows_used": self.rows_used,
                "rows_skipped": sum(p.rows for p in self.skipped) + self.unlisted_skipped,
                "duplicates": sum(p.rows for p in self.duplicates) + self.unlisted_duplicates,
                "rows_left_out": sum(p.rows for p in self.left_out) + self.unlisted_left_out,
                "rows_superseded": self.rows_superseded,
                "conflicts": len(self.conflicts) + self.unlisted_conflicts,
                "migration_overlaps": len(self.overlaps) + self.unlisted_overlaps}


FILE_ROWS = ("skipped", "duplicates", "left_out", "superseded")


def file_account(ledger: Ledger) -> list[dict[str, object]]:
    """Each file's row account, ``rows = used + skipped + duplicates + left_out + superseded``, with its layout:
    where a file's late copies, overlaps and cancelled orders are. The parts are None where the reader could not
    say which file a row was in (daily aggregates, nexus.aggregates): the whole account holds all the same."""
    known = ledger.file_rows is not None and len(ledger.file_rows) == len(ledger.files)
    out: list[dict[str, object]] = []
    for index, (path, rows) in enumerate(ledger.files):
        parts = ledger.file_rows[index] if known else {}  # type: ignore[index]
        used = rows - sum(parts.get(k, 0) for k in FILE_ROWS) if known else None
        out.append({"file": path, "rows": rows, "layout": ledger.layouts.get(path), "used": used,
                    **{k: parts.get(k, 0) if known else None for k in FILE_ROWS}})
    return out


def file_rows(account: Mapping[str, object]) -> str:
    """One file's row account in words (``7 rows: 3 used + 3 duplicates + 1 left out``), as the screen and the
    workbook say it; its rows alone where the parts are not known."""
    rows = f"{account['rows']:,} row{'s' * (account['rows'] != 1)}"
    if account["used"] is None:
        return rows
    parts = [f"{account['used']:,} used"] + [f"{account[k]:,} {words}" for k, words in (
        ("skipped", "skipped"), ("duplicates", "duplicate" + "s" * (account["duplicates"] != 1)),
        ("left_out", "left out"), ("superseded", "superseded")) if account[k]]
    return f"{rows}: {' + '.join(parts)}"


def add_days(target: dict[date, list], days: Mapping[date, list]) -> None:
    """Add one daily series (day -> [amount, transactions]) into another, in place: the one way the check
    and the provider comparison merge series, so that neither shares a list with its source."""
    for day, (amount, count) in days.items():
        total = target.get(day)
        if total is None:
            target[day] = [amount, count]
        else:
            total[0] += amount
            total[1] += count


def add_series(series: dict[Any, dict[date, list]], key: Any, days: dict[date, list]) -> None:
    """Add one key's daily series (day -> [amount, count]) to ``series`` (a ledger's :attr:`Ledger.series`, or its
    :attr:`Ledger.category_sources`): taken whole where the key has none yet, ``days`` and its lists then the
    ledger's own, else added day by day. The fast paths build each profile's days at once this way, where
    :meth:`Ledger.add` takes an order at a time."""
    found = series.get(key)
    if found is None:
        series[key] = days
    else:
        add_days(found, days)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause Python's cycle collector while daily totals are built or summed.

    Half a million totals are a million small tuples and lists with no reference cycles; the collector's
    repeated passes over them cost a third of a large check and find nothing to free.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
