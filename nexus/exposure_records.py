"""The records of an estimate of the tax at stake: a range of figures (:class:`Range`), a return's figures
(:class:`Month`), the returns it was worked by (:class:`Filing`), a scenario's figures (:class:`Scenario`), the
rates and other data it used (:class:`RateUsed`, :class:`DataUsed`), the estimate for one finding
(:class:`Exposure`), its days of tax due (:class:`Span`) and those after the last order (:class:`AfterOrders`), and
every estimate in one reporting currency (:class:`Total`).

:func:`nexus.exposure.estimate` makes them, :mod:`nexus.estimates` totals them, and the outputs (:mod:`nexus.report`,
:mod:`nexus.terminal`, :mod:`nexus.workbooks`, :mod:`nexus.memo`) read them. More information: docs/exposure.md.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from nexus.money import format_amount
from nexus.periods import add_months

#: Days of recent sales whose tax, a month's worth, is what registering now stops from growing.
RECENT_DAYS = 90
#: How many months each filing frequency's return covers (the registrations file's ``filing`` column).
RETURN_MONTHS = {"monthly": 1, "quarterly": 3, "annual": 12}
#: A return's period in words.
PERIOD_WORDS = {"monthly": "month", "quarterly": "quarter", "annual": "year"}


@dataclass(frozen=True)
class Range:
    """An estimate as a range: ``low``, ``central`` and ``high``."""

    low: Decimal
    central: Decimal
    high: Decimal

    def __add__(self, other: Range) -> Range:
        return Range(self.low + other.low, self.central + other.central, self.high + other.high)

    def scaled(self, factor: Decimal) -> Range:
        return Range(self.low * factor, self.central * factor, self.high * factor)

    def minus(self, amount: Decimal) -> Range:
        return Range(max(Decimal(0), self.low - amount), max(Decimal(0), self.central - amount),
                     max(Decimal(0), self.high - amount))

    def without_low(self, amount: Decimal) -> Range:
        """The range with ``amount`` taken off its low end alone: the tax of sales that may not be taxed at all (the
        crossing day's, :data:`nexus.exposure.NEXT_SALE`), which the central and high figures keep."""
        return Range(self.low - amount, self.central, self.high)

    def floored(self) -> Range:
        """Each level no lower than zero: a place's tax at stake, whose refunds may exceed its sales in the period, is
        never a credit (:data:`nexus.exposure.REFUNDS_EXCEED`)."""
        return Range(max(Decimal(0), self.low), max(Decimal(0), self.central), max(Decimal(0), self.high))

    @property
    def below_zero(self) -> bool:
        """Whether some level is negative: refunds in the period exceed the sales it taxes."""
        return min(self.low, self.central, self.high) < 0

    def less_charged(self, charged: Decimal) -> Range:
        """A period's tax less the tax charged in it, at each level: the charge takes it no lower than zero (tax
        charged above it is owed as collected, and pays no other period's), or than the period's own figure where
        refunds exceed its sales (those stay netted, as without a tax column). Tax refunded (a negative charge)
        adds back in full."""
        def left(tax: Decimal) -> Decimal:
            return max(min(Decimal(0), tax), tax - charged)
        return Range(left(self.low), left(self.central), left(self.high))


ZERO = Range(Decimal(0), Decimal(0), Decimal(0))


@dataclass(frozen=True)
class Month:
    """One calendar month of an exposure: the taxable sales, the tax at each rate, and the effective rates."""

    month: date
    start: date
    end: date
    taxable_sales: Decimal
    tax: Range
    #: The return's due date; None where the data hold none for the place's quarterly or annual returns.
    due: date | None
    penalty: Decimal | None
    interest: Decimal | None
    #: The tax the orders charged on the month's taxed sales (None where the orders carry no tax): the penalty and
    #: interest fall on the month's central tax less it.
    charged: Decimal | None = None
    #: The return the record is (:data:`RETURN_MONTHS`): a month's, or, where the place's registration row gives
    #: quarterly or annual returns, a quarter's or a year's, starting at ``month``.
    period: str = "monthly"

    def ends_after(self, day: date) -> bool:
        """Whether the return's period ends on or after ``day``, the first of a month (a month's: it is that month or
        later)."""
        return add_months(self.month, RETURN_MONTHS[self.period]) > day

    @property
    def label(self) -> str:
        """The return's period: ``2025-04``, ``2025-Q2``, ``2025``."""
        if self.period == "quarterly":
            return f"{self.month.year}-Q{(self.month.month - 1) // 3 + 1}"
        return str(self.month.year) if self.period == "annual" else f"{self.month:%Y-%m}"

    @property
    def uncollected(self) -> Range:
        """The month's tax less the tax charged on its sales, at each level, never below nothing by that charge
        (:meth:`Range.less_charged`). A month is a filing period (returns are assumed monthly): tax charged in it
        above its own tax pays no other month's, since a state credits no period's over-collection against
        another's under-collection."""
        return self.tax.less_charged(self.charged) if self.charged is not None else self.tax

    @property
    def charged_above(self) -> Decimal | None:
        """The tax charged on the month's sales above its central estimate (None where the orders carry no tax):
        owed as collected, not set against another month's tax."""
        return max(Decimal(0), self.charged - max(Decimal(0), self.tax.central)) if self.charged is not None else None

    @property
    def rate(self) -> Range:
        """The effective rates of the month (tax over taxable sales), for the workbook's ``=sales*rate``."""
        if not self.taxable_sales:
            return ZERO
        return Range(self.tax.low / self.taxable_sales, self.tax.central / self.taxable_sales,
                     self.tax.high / self.taxable_sales)


@dataclass(frozen=True)
class Filing:
    """How often the estimate takes a place's returns to be filed, and why: monthly, assumed (DECISIONS.md), where no
    registration row of the place says otherwise; else the frequency its row gives (``source``: the row, file:line)."""

    frequency: str = "monthly"
    source: str = ""
    #: What the estimate assumed of the returns, in a sentence (:func:`nexus.returns.filing_words`), once it is made.
    words: str = ""

    @property
    def period(self) -> str:
        return PERIOD_WORDS[self.frequency]

    @property
    def given(self) -> str:
        """The frequency a registration row gives; "" where monthly is assumed."""
        return self.frequency if self.source else ""

    def as_dict(self) -> dict[str, Any]:
        return {"frequency": self.frequency, "basis": "registration" if self.source else "assumed",
                "registration": self.source or None}


@dataclass(frozen=True)
class Scenario:
    """One scenario's figures: tax (a range), penalty and interest (central; None where not estimated)."""

    name: str
    start: date | None
    end: date | None
    tax: Range
    penalty: Decimal | None
    interest: Decimal | None
    note: str = ""
    #: ``registered_now`` only, where the duty to collect begins after the as-of date (Tennessee crossed in September
    #: with tax from December): nothing grows yet, so ``tax`` is zero, and this is the tax a month at the same pace
    #: from ``start``, the day the duty begins, unless registered by then. None otherwise.
    once_due: Range | None = None

    @property
    def total(self) -> Decimal:
        """Central tax plus the penalty and interest that could be estimated."""
        return self.tax.central + (self.penalty or Decimal(0)) + (self.interest or Decimal(0))


@dataclass(frozen=True)
class RateUsed:
    """A rate row the estimate used, for the finding's sources."""

    place: str
    category: str | None
    start: date
    end: date | None
    low: Decimal | None
    central: Decimal | None
    high: Decimal | None
    sources: tuple[str, ...]
    source_kind: str
    #: How sure the row's sources are (data/tax-rates.json's ``confidence``: official, secondary, conflict);
    #: ``user`` for the user's own rate.
    confidence: str = ""
    #: A bundled row without the average local rate that the table gives for the same place on other days (the Tax
    #: Foundation's editions read): the central figure of its days is the state rate alone, and the estimate says so.
    local_unknown: bool = False

    def local_words(self) -> str:
        """What the estimate assumes where the average local rate is not in the data for this row's days."""
        days = f"from {self.start} to {self.end}" if self.end is not None else f"from {self.start}"
        # High is central too where the table gives no highest combined rate either.
        which = ("central and high figures for those days are" if self.high == self.low
                 else "central figure for those days is")
        return (f"The average local rate of {self.place} is not in the data {days}: the {which} the state rate alone, "
                f"without local taxes.")

    @property
    def unverified(self) -> bool:
        """A bundled rate no primary text confirmed: the estimate built on it says so."""
        return self.source_kind == "bundled" and self.confidence != "official"


@dataclass(frozen=True)
class DataUsed:
    """A row of the data the estimate used besides the rates: a taxability, a marketplace-facilitator law, the
    penalties and interest, a voluntary disclosure programme; what it says, and its sources."""

    kind: str  # taxability, marketplace law, penalties and interest, voluntary disclosure
    place: str
    what: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Exposure:
    """The estimate for one finding, in its currency (``reporting`` in the reporting currency)."""

    currency: str
    start: date | None
    end: date | None
    taxable_sales: Decimal
    tax: Range
    tax_collected: Decimal | None
    uncollected: Range
    penalty: Decimal | None
    penalty_note: str
    interest: Decimal | None
    interest_note: str
    scenarios: dict[str, Scenario]
    months: tuple[Month, ...]
    rates: tuple[RateUsed, ...]
    assumptions: tuple[str, ...]
    not_estimated: dict[str, Decimal] = field(default_factory=dict)
    sources: tuple[str, ...] = ()
    reporting: Range | None = None
    reporting_currency: str = ""
    reporting_rate: Decimal | None = None
    reporting_rate_date: date | None = None
    #: Every other row of data the estimate used (taxability, laws, penalties, programmes), for the sources.
    data_used: tuple[DataUsed, ...] = ()
    #: What the taxability rows used say the estimate cannot tell apart (also among the assumptions).
    caveats: tuple[str, ...] = ()
    #: :data:`nexus.exposure.REFUNDS_EXCEED` where the months added up fell below zero at some level and ``tax``,
    #: ``uncollected`` and the scenarios were taken as nothing there; "" otherwise.
    uncollected_note: str = ""
    #: The refunds and chargebacks netted in the days estimated without a link to their sale (their taxable part, a
    #: positive figure) and the tax they took off ``uncollected``: the estimate with them left out, less the
    #: estimate. Nothing says which day such a refund's sale was made, and the refund of a sale made before tax was
    #: due is no credit, so this is the most the estimate may be understated by (before penalties and interest on
    #: it). A refund linked to its sale (the ledger's ``refund_links``) is left out where its sale was made on a day
    #: not taxed here, netted where it was, and in neither case counted here.
    refunds_netted: Decimal = Decimal(0)
    refunds_tax: Range = ZERO
    #: Where the duty begins with the sale after the one that met the test (:data:`nexus.exposure.NEXT_SALE`): the
    #: days the test was met on, the taxable sales of those days and their tax at each level. The low end of ``tax``
    #: and ``uncollected`` leaves that tax out (the sale that met the test is not taxed, and nexus cannot tell it from
    #: the day's later sales); the central and high figures keep it (:func:`nexus.exposure.crossing_day_words`).
    crossing_days: tuple[date, ...] = ()
    crossing_sales: Decimal = Decimal(0)
    crossing_tax: Range = ZERO
    #: Where tax was due before the first order read, from when ("from 2024-02-01", "from the day the business began
    #: there"): the estimate covers the days from the first order only (:func:`nexus.days_due.before_orders`); ""
    #: otherwise.
    before_orders: str = ""
    #: Days of tax at stake before a permit collected that lie after the last order read
    #: (:func:`nexus.days_due.after_orders`): their sales are not in the estimate, which says so.
    after_orders: tuple[AfterOrders, ...] = ()
    #: The returns the figures were worked by: monthly, assumed, or the place's registration row's frequency.
    filing: Filing = Filing()

    @property
    def charged_above(self) -> Decimal | None:
        """The tax the orders charged above each month's central estimate, summed (None where they carry no tax): owed
        as collected, said apart, and set against no other month's tax."""
        if self.tax_collected is None:
            return None
        return sum((m.charged_above or Decimal(0) for m in self.months), Decimal(0))

    @property
    def central(self) -> Decimal:
        return self.uncollected.central

    @property
    def low(self) -> Decimal:
        return self.uncollected.low

    @property
    def high(self) -> Decimal:
        return self.uncollected.high


@dataclass(frozen=True)
class Span:
    """Days of one window of nexus during which tax was due and not collected under a registration."""

    start: date
    end: date


@dataclass(frozen=True)
class AfterOrders:
    """Days a permit taken out after the last order read left uncollected: from the day after that order to the day
    before the permit collected. Tax was at stake on them, but their sales are not in the orders (unknown, not zero):
    the estimate counts the sales the file holds, and says so."""

    last_order: date
    start: date  # the first day not covered: the day after the last order, or the span's own start if later
    end: date  # the day before the permit collected
    due_from: date  # the first day of the span of tax at stake these days end

    def words(self) -> str:
        """The whole sentence: the JSON's assumptions, the workbook's Assumptions sheet, the screen and the memo."""
        tail = (f"; the tax at stake from {self.due_from} is estimated on the sales to {self.last_order} only"
                if self.due_from <= self.last_order else "")
        return (f"The orders end on {self.last_order}: the sales of {self.start} to {self.end}, before the permit "
                f"collected from {self.end + timedelta(days=1)}, are not covered by the data and not estimated "
                f"(supply the later orders){tail}.")

    def note(self) -> str:
        """The clause beside the figure (the CSV's ``est_note``, the Findings sheet's Estimate note)."""
        return (f"{self.start} to {self.end}, before the permit collected, is after the last order "
                f"({self.last_order}): not estimated")


@dataclass(frozen=True)
class Total:
    """Every estimate in one reporting currency, converted at the as-of date's rate."""

    currency: str
    tax: Range
    penalty: Decimal
    interest: Decimal
    vda: Decimal
    registered_now: Decimal
    not_estimated: tuple[str, ...]
    rates: tuple[tuple[str, Decimal, date], ...]
    #: The places whose estimates no exchange rate brings to ``currency`` on the as-of date: not in the figures, so
    #: whoever reads the total is told beside it.
    left_out: tuple[str, ...] = ()
    #: The part of ``tax`` from past windows under rules no longer in force (nexus.lapsed), and how many there are:
    #: the total is what may be owed, past windows included, and says how much of it they are.
    past: Range = ZERO
    past_windows: int = 0
    #: The part of ``past`` from windows whose period of limitation has run for every month on the as-of date (by
    #: nexus's data, nexus.limitation), and how many: still in the total, and said, since the data hold neither
    #: the extended periods' facts (fraud, a failure to notify) nor a waiver or an audit begun that would keep
    #: the tax assessable.
    past_run: Range = ZERO
    past_run_windows: int = 0
    #: The places with tax to disclose whose voluntary disclosure is not estimated (no programme, none of its terms
    #: in nexus's data, or terms read for remote sellers where the seller is established): ``vda`` carries their tax
    #: alone, without penalties or interest, so the words beside it say how many.
    vda_tax_alone: tuple[str, ...] = ()
    #: The places whose programme leaves a penalty or interest due that the data cannot estimate: ``vda`` leaves it
    #: out (as the base total does, "with the penalties and interest that could be estimated"), so it is said too.
    vda_not_estimated: tuple[str, ...] = ()
    #: What each month adds from the day collection is due in the places where that day is after the as-of date (not
    #: in ``registered_now``, since nothing grows there yet), and those places with the day: ((label, day), ...).
    registered_later: Decimal = Decimal(0)
    later_places: tuple[tuple[str, date], ...] = ()
    #: The tax the orders charged above a month's estimate, summed over the estimates that measured it (None where
    #: none did: no tax in the orders): owed as collected, not in ``tax`` and set against no other month's tax.
    charged_above: Decimal | None = None

    def past_words(self) -> str:
        """The past windows' part of the total, as a clause to put beside it ("" when none)."""
        if not self.past_windows:
            return ""
        words = (f"of which {self.currency} {format_amount(self.past.central, self.currency)} in "
                 f"{self.past_windows} past window{'s' * (self.past_windows != 1)} under rules no longer in force")
        if not self.past_run_windows:
            return words
        return (f"{words}, {self.currency} {format_amount(self.past_run.central, self.currency)} of it in "
                f"{self.past_run_windows} whose period of limitation has run, by nexus's data (no longer "
                f"assessable unless a longer period applies: see each window)")

    def vda_words(self) -> str:
        """The voluntary-disclosure total as a clause, saying where it is the tax alone: read bare, "USD 132,759.41
        through voluntary disclosure" would take places with no programme's terms for places that waive it all."""
        words = f"{self.currency} {format_amount(self.vda, self.currency)} through voluntary disclosure"
        caveat = self.vda_caveat()
        return f"{words} ({caveat})" if caveat else words

    def vda_caveat(self, named: bool = False) -> str:
        """What the voluntary-disclosure total leaves out: ``the tax alone in 5 places with no programme terms in
        nexus's data; interest or penalties due under the programme not estimated in 7 places`` ("" where nothing),
        each with the places where ``named``."""
        said = []
        for places, what in ((self.vda_tax_alone, "the tax alone in {} with no programme terms nexus can apply"),
                             (self.vda_not_estimated,
                              "interest or penalties due under the programme not estimated in {}")):
            if places:
                count = f"{len(places)} place{'s' * (len(places) != 1)}"
                said.append(what.format(count) + (f" ({', '.join(places)})" if named else ""))
        return "; ".join(said)

    def month_words(self, later_amount: bool = False) -> str:
        """What each month without registering adds, as a clause: where nothing does at the recent pace (every window
        has ended, as a past window's has; every place collects; no sales of late), "USD 0.00 more each month until
        registered" would read as a registration still to make, so it says that nothing accrues at that pace.

        ``later_amount`` also gives what the places due only after the as-of date will add a month from then (the
        workbook's 'More each month from 2026-12-01 (US-TN)'): the memo has the room, the one-screen check not."""
        later = self.later_words()
        amount = f"{self.currency} {format_amount(self.registered_later, self.currency)} a month more"
        if not self.registered_now:
            words = f"nothing more each month at the last {RECENT_DAYS} days' pace"
            if later and later_amount:
                return f"{words} until {later[1]}, then {amount} ({later[0]})"
            return f"{words} until {later[1]} ({later[0]})" if later else words
        words = f"{self.currency} {format_amount(self.registered_now, self.currency)} more each month until registered"
        if later and later_amount:
            return f"{words}, and from {later[1]} {amount} ({later[0]})"
        return f"{words} ({later[0]} from {later[1]})" if later else words

    def later_words(self) -> tuple[str, str] | None:
        """The places where collection is due only after the as-of date and their days ("US-TN", "2026-12-01"), or
        None where there are none: they grow nothing yet, so are not in the figure, and the words say from when they
        will (their tax a month from then is ``registered_later``, in the JSON and the workbook)."""
        if not self.later_places or not self.registered_later:
            return None
        labels = " and ".join(dict.fromkeys(label for label, _ in self.later_places))
        days = " and ".join(dict.fromkeys(str(day) for _, day in self.later_places))
        return labels, days

    def charged_above_words(self) -> str:
        """The tax charged above the estimate, as a clause to put beside the total ("" where there is none): it is
        not in the tax not collected, yet the seller holds it for the state."""
        if not self.charged_above:
            return ""
        return (f"tax charged above the estimate: {self.currency} {format_amount(self.charged_above, self.currency)}, "
                f"owed as collected")

    def left_out_words(self, as_of: date) -> str:
        """What the total leaves out, as a clause to put beside it ("" when nothing)."""
        if not self.left_out:
            return ""
        return (f"leaves out the estimate{'s' * (len(self.left_out) != 1)} for {', '.join(self.left_out)}, which no "
                f"exchange rate converts to {self.currency} on {as_of}")
