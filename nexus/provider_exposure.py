"""The money a candidate provider puts at stake: the tax a year its new nexus would bring.

A candidate's warehouse, data centre, cloud region or CDN cache can create nexus where the company has none
today (:mod:`nexus.provider`'s nexus delta). Each such place means registering there and collecting its tax on
every taxable sale shipped there; whatever is not collected is potential exposure. This module puts a figure on
it per place and per candidate, with nexus's own estimate (:func:`nexus.estimates.estimate_over`, the rates and
taxability of ``data/``): the tax on the company's sales there over the twelve months to the as-of date, as
though the nexus had stood on each of those days, after the candidate's role is applied (sales it takes as
merchant of record, or collects on as marketplace facilitator where the state's law makes it collect, are not
the company's). Where the orders cover fewer than twelve of those months the figure is scaled to a year, and
says so. It is a run-rate estimate of the tax going forward, not a forecast and not a return.

A candidate can also take tax off the company (:func:`removals`): where its nexus goes (facilitated sales a
state's test leaves out, sales the candidate makes itself as merchant of record, presence that goes with the old
provider), or where nexus stays but the candidate collects on the sales it facilitates. That figure is worked out
the same way, over the same days, and the net change (:func:`net`) is the one less the other, each rounded once as
shown: the difference of the two figures a reader sees. It moves who collects; it is not a saving for customers,
and it does not take away the potential exposure accrued before.

Without orders there is nothing to estimate from: the figure is "not estimated", never zero.
More information: docs/provider.md.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Sequence, cast, overload

from nexus.estimates import estimate_over
from nexus.findings import Context, Finding
from nexus.errors import RateMissing
from nexus.exposure_records import ZERO, Range
from nexus.fx import Rates, RateTable
from nexus.measures import Converter
from nexus.money import format_amount, quantize
from nexus.periods import Period
from nexus.provider_lasting import lasting, remains_kind
from nexus.registrations import Registration
from nexus.rules import RuleBook
from nexus.ledger import Ledger
from nexus.timing_rules import REMAINS_KINDS
from nexus.trailing import Trail, trail

#: Days in the year the estimate runs over: the twelve months to the as-of date, as the currency delta counts them.
YEAR_DAYS = 365
#: Why a candidate's new nexus has no figure without orders (the screen, JSON, workbook and memo say it so).
#: The kinds of data rows (:class:`nexus.exposure_records.DataUsed`) a year's tax rests on besides the rates.
FIGURE_DATA = ("taxability", "marketplace law")
NO_ORDERS = "not estimated: no orders given (--sales), so the sales there are not known"


@dataclass(frozen=True)
class Place:
    """One place where the candidate creates nexus, and the tax a year it would put at stake.

    ``sales`` (every sale shipped there, net of refunds; None where no exchange rate converts them) and
    ``taxable_sales`` (those the place taxes and the company would collect on) are those of the days estimated
    (``start`` to ``end`` of :class:`NewExposure`), in ``currency``; ``tax`` is a year's tax in ``currency`` and
    ``reporting`` in the reporting currency (low, central, high: in the US from the state rate to the highest
    combined rate), both None with ``note`` saying why where nothing could be estimated.
    """

    jurisdiction: str
    name: str
    why: str
    currency: str
    sales: Decimal | None
    taxable_sales: Decimal | None
    tax: Range | None
    reporting: Range | None
    #: Sales there whose taxability or rate the data does not give, in ``currency``: left out of the figure.
    not_estimated: Decimal = Decimal(0)
    note: str = ""
    assumptions: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class NewExposure:
    """The potential exposure a candidate's new nexus would bring in a year, estimated from recent sales."""

    #: Whether orders were given; without them nothing is estimated (never zero).
    orders: bool
    currency: str
    start: date | None
    end: date | None
    #: A year over the days the orders cover (1 when they cover all twelve months).
    factor: Decimal
    places: tuple[Place, ...]

    @property
    def estimated(self) -> tuple[Place, ...]:
        return tuple(p for p in self.places if p.reporting is not None)

    @property
    def left_out(self) -> tuple[Place, ...]:
        """Places with new nexus but no figure in the total (not covered, no rate, no exchange rate)."""
        return tuple(p for p in self.places if p.reporting is None)

    @property
    def total(self) -> Range | None:
        """The year's tax over every place estimated, in ``currency``: the sum of the places' figures as every table
        shows them (:func:`footed`); None where nothing could be estimated (no new nexus, no orders, or no place with
        a figure)."""
        found = self.estimated
        if not found:
            return None
        return footed([p.reporting for p in found if p.reporting is not None], self.currency)

    @property
    def period_words(self) -> str:
        return period_words(self.start, self.end)


def period_words(start: date | None, end: date | None) -> str:
    """``2025-11-01 to 2026-10-31`` and, where the orders cover less, how the figure was scaled to a year."""
    if start is None or end is None:
        return ""
    said = f"{start} to {end}"
    days = (end - start).days + 1
    return said if days >= YEAR_DAYS else f"{said}, {days} days scaled to a year"


def window(ledger: Ledger | None, as_of: date) -> tuple[date, date] | None:
    """The days the year's estimate runs over: the twelve months to ``as_of``, from the first order where it is
    later; None where the orders cover none of them."""
    if ledger is None or ledger.first_day is None or ledger.first_day > as_of:
        return None
    if ledger.last_day is not None and ledger.last_day < as_of - timedelta(days=YEAR_DAYS - 1):
        return None
    return max(as_of - timedelta(days=YEAR_DAYS - 1), ledger.first_day), as_of


def new_exposure(new: Sequence[tuple[Finding, str]], ledger: Ledger | None, book: RuleBook, as_of: date,
                 rates: Rates | RateTable | None = None, home: str | None = None, fx_policy: str = "daily",
                 timed: Context = Context()) -> NewExposure:
    """The year's tax at stake in each place where a candidate creates nexus.

    ``new`` holds the candidate's findings there (the check under the candidate) with why nexus arises, in a few
    words; ``ledger`` is the company's sales with the candidate's role applied
    (:func:`nexus.provider_roles.apply_roles`).
    """
    currency = timed.report_currency
    if ledger is None:
        places = tuple(Place(f.label, f.name, why, f.currency, None, None, None, None, note=NO_ORDERS)
                       for f, why in new)
        return NewExposure(False, currency, None, None, Decimal(1), places)
    days = window(ledger, as_of)
    if days is None:
        said = (f"not estimated: the orders read ({ledger.first_day} to {ledger.last_day}) hold none of the twelve "
                f"months to {as_of}; supply recent orders")
        places = tuple(Place(f.label, f.name, why, f.currency, None, None, None, None, note=said) for f, why in new)
        return NewExposure(True, currency, None, None, Decimal(1), places)
    start, end = days
    factor = Decimal(YEAR_DAYS) / Decimal((end - start).days + 1)
    found = []
    for f, why in new:
        # The tax on the year's sales is worked out as if no registration collected it; where one does, none of it
        # is at stake (_place says so, with the figure collected).
        held = f.timing.registration if f.timing is not None else None
        # Only the registration goes: a scheme's coverage still cuts the sales it collects on, which are not at stake.
        bare = replace(f, timing=replace(f.timing, registration=None, collecting=())) if held is not None else f
        estimated = estimate_over(bare, ledger, book, as_of, start, rates, home, fx_policy, timed)
        if estimated.exposure_note.startswith("estimated member state by member state"):
            continue  # a union's own finding: its members' places carry the figures
        sold = _sales(f, ledger, start, end, rates, home, fx_policy)
        found.append(_place(estimated, why, factor, as_of, sold, held))
    return NewExposure(True, currency, start, end, factor, tuple(found))


def _sales(f: Finding, ledger: Ledger, start: date, end: date, rates: Rates | RateTable | None, home: str | None,
           fx_policy: str) -> Decimal | None:
    """Every sale shipped to the finding's places from ``start`` to ``end``, net of refunds, in its currency (None
    where no exchange rate converts them): what the taxable sales are a part of."""
    code = f.currency or "USD"
    table = Rates([rates]) if isinstance(rates, RateTable) else rates
    convert = Converter(table, code, fx_policy, [Period(start, end, "")])
    rule = f.rule if not f.part_of else None
    total = Decimal(0)
    try:
        for (place, currency, *_rest), days in ledger.series.items():
            if place != f.jurisdiction and not (rule is not None and rule.covers(place, home)):
                continue
            for day, (amount, *_count) in days.items():
                if start <= day <= end:
                    total += convert(amount, currency, day)
    except RateMissing:
        return None
    return total


def _place(f: Finding, why: str, factor: Decimal, as_of: date, sold: Decimal | None,
           registration: Registration | None) -> Place:
    e = f.exposure
    if e is None:
        return Place(f.label, f.name, why, f.currency, sold, None, None, None, note=f.exposure_note or "not estimated")
    # The rates, taxability and marketplace laws the figure rests on; not the penalties and disclosure programmes
    # the check's estimate also reads (a year ahead, nothing is late yet).
    sources = tuple(dict.fromkeys([s for r in e.rates for s in r.sources]
                                  + [s for d in e.data_used if d.kind in FIGURE_DATA for s in d.sources]))
    tax = e.uncollected.scaled(factor)
    reporting = e.reporting.scaled(factor) if e.reporting is not None else None
    note = "" if reporting is not None else f"no exchange rate converts {e.currency} on {as_of}: left out of the total"
    if registration is not None and registration.collecting_from and registration.collecting_from <= as_of:
        note = (f"registered and collecting there from {registration.collecting_from}: the tax on these sales, est. "
                f"{e.currency} {format_amount(tax.central, e.currency)} a year, is collected already, none at stake")
        tax = ZERO
        reporting = ZERO
    return Place(f.label, f.name, why, e.currency, sold, e.taxable_sales, tax, reporting,
                 sum(e.not_estimated.values(), Decimal(0)), note, e.assumptions, sources)


# ---------------------------------------------------------------- the tax the company would no longer collect itself

#: Who collects, under the candidate, the tax the company collects itself today (``Removed.collector``).
COLLECTORS = ("marketplace-facilitator", "merchant-of-record", "no-one")


@dataclass(frozen=True)
class Removed:
    """One place where the company would collect less tax itself under the candidate, a year, and who would.

    ``today`` is the tax a year on the company's own taxable sales there (``taxable_sales``) as it sells today,
    ``under`` what it would still collect itself under the candidate (zero where it keeps neither nexus nor a
    registration there), both in ``currency``; ``reporting`` is the difference in the reporting currency, the
    figure the net change counts. ``nexus_kept``: nexus stays (a state whose test counts facilitated sales) and only
    the collection moves. ``registration``: a registration held there, which stays until the company deregisters.
    ``accrued``: the potential exposure today's check finds there to date (reporting currency), which the move does
    not take away.
    """

    jurisdiction: str
    name: str
    why: str
    collector: str
    nexus_kept: bool
    currency: str
    taxable_sales: Decimal | None
    today: Range | None
    under: Range | None
    reporting: Range | None
    registration: Registration | None = None
    #: How long the nexus from sales made before the move lasts, in the rule's words (data/registration-timing.json).
    lasts: str = ""
    accrued: Decimal | None = None
    note: str = ""
    sources: tuple[str, ...] = ()
    #: Whether the company has nexus there today (False: a registration held where nothing requires it).
    had_nexus: bool = True
    #: Where nexus stays, what keeps it under the candidate: ``economic`` (a sales test) or ``presence``.
    kept_by: str = ""
    #: Nexus today comes from presence alone, which the move takes away: nexus's data do not say how long such
    #: nexus lasts once the presence ends (they give it for nexus from sales only).
    from_presence: bool = False
    #: The last day of the nexus ``lasts`` speaks of, with the orders read and none after the move
    #: (:mod:`nexus.provider_lasting`), or None with ``lasts_note`` saying why (until the registration is cancelled,
    #: unknown...).
    lasts_until: date | None = None
    lasts_note: str = ""
    #: Where nexus today comes from presence alone (``from_presence``): what the state's trailing-nexus row makes of
    #: that presence ending with the move (nexus.trailing: Washington's rest of the year and the next, Texas's none),
    #: None outside the places the table covers.
    trail: Trail | None = None
    #: Why ``accrued`` is None: today's check estimates nothing there (its finding's note), or no rate converts its
    #: estimate into the reporting currency; "" where it is a figure, 0.00 included (registered and collecting).
    accrued_note: str = ""

    @property
    def nexus_word(self) -> str:
        """The place's nexus in a word, as every output's Nexus column says it: ``stays``, ``removed``, or ``none``
        where there is none today (registered only), so none to remove."""
        return "stays" if self.nexus_kept else "removed" if self.had_nexus else "none"

    @property
    def shift(self) -> Range | None:
        """The year's tax the company would no longer collect itself, in ``currency`` (None: not estimated)."""
        if self.today is None or self.under is None:
            return None
        return _less(self.today, self.under)


@dataclass(frozen=True)
class Removals:
    """The tax a year the company would no longer collect itself under a candidate, place by place."""

    orders: bool
    currency: str
    start: date | None
    end: date | None
    factor: Decimal
    places: tuple[Removed, ...]

    @property
    def left_out(self) -> tuple[Removed, ...]:
        return tuple(p for p in self.places if p.reporting is None)

    @property
    def period_words(self) -> str:
        return period_words(self.start, self.end)

    @property
    def total(self) -> Range | None:
        """The year's tax over every place estimated, in ``currency``: the sum of the places' figures as shown
        (:func:`footed`); None where nothing was estimated."""
        found = [p.reporting for p in self.places if p.reporting is not None]
        return footed(found, self.currency) if found else None


@dataclass(frozen=True)
class Net:
    """A candidate's net change in the tax a year the company would collect itself: the new nexus's tax at stake
    less the tax it would no longer collect itself (``added`` and ``removed``, the two totals, unrounded and rounded
    once when shown); None figures where either side cannot be estimated."""

    currency: str
    added: Range | None
    removed: Range | None
    #: Whether a place on either side has no figure (the net is then in part).
    partial: bool

    @property
    def change(self) -> Range | None:
        """The difference of the two totals as shown, each rounded once from its full figures to the currency's minor
        unit: the net change a reader quotes beside them is their difference to the cent (the difference of the full
        figures, rounded, could differ from it by a cent: 822.0411 - 3,600.036 rounds to -2,777.99, where the two
        figures shown, 822.04 and 3,600.04, differ by -2,778.00)."""
        if self.added is None or self.removed is None:
            return None
        return _less(_shown(self.added, self.currency), _shown(self.removed, self.currency))


def _shown(figures: Range, code: str) -> Range:
    """A total as the outputs show it: each level rounded once to the minor unit of ``code``."""
    return Range(quantize(figures.low, code), quantize(figures.central, code), quantize(figures.high, code))


@overload
def footed(figures: Sequence[Range], code: str) -> Range: ...


@overload
def footed(figures: Sequence[Decimal], code: str) -> Decimal: ...


def footed(figures: Sequence[Range] | Sequence[Decimal], code: str) -> Range | Decimal:
    """The total of a table's rows as a reader adds them: each row's figure rounded once to the minor unit of
    ``code`` (half up), as the row shows it, then summed, so that the rows shown add to the total shown to the cent.
    Rounding the sum of the full figures instead could differ from that sum: three places of 0.005 each show 0.01
    apiece, 0.03 together, where their full sum, 0.015, rounds to 0.02.

    The one door for footing: ranges (a year's tax, low to high) are footed level by level, single figures (the
    potential exposure accrued to date, place by place) as they are; no figures foot to 0 (the totals of ranges are
    asked of places with a figure only)."""
    if figures and isinstance(figures[0], Range):
        ranges = cast(Sequence[Range], figures)
        return Range(footed([f.low for f in ranges], code), footed([f.central for f in ranges], code),
                     footed([f.high for f in ranges], code))
    return sum((quantize(f, code) for f in cast(Sequence[Decimal], figures)), Decimal(0))


def _less(a: Range, b: Range) -> Range:
    """``a`` less ``b`` scenario by scenario (state rates with state rates): may be negative, unlike Range.minus."""
    return Range(a.low - b.low, a.central - b.central, a.high - b.high)


def net(new: NewExposure, gone: Removals) -> Net:
    """The net change a year: zero on a side with no place, None on a side that cannot be estimated."""
    def side(places: Sequence[object], total: Range | None) -> Range | None:
        return ZERO if not places else total

    if not new.orders or not gone.orders or (gone.start is None and (new.places or gone.places)):
        return Net(new.currency, None, None, bool(new.places or gone.places))
    return Net(new.currency, side(new.places, new.total), side(gone.places, gone.total),
               bool(new.left_out or gone.left_out))


@dataclass(frozen=True)
class Touched:
    """A place where the candidate may take collection off the company: today's finding there (with nexus or a
    registration), the finding under the candidate (None: no finding), the provider's roles there, and why."""

    today: Finding
    under: Finding | None
    roles: frozenset[str]
    why: str


def removals(touched: Sequence[Touched], today_ledger: Ledger | None, under_ledger: Ledger | None, book: RuleBook,
             as_of: date, registrations: Sequence[Registration] = (), rates: Rates | RateTable | None = None,
             home: str | None = None, fx_policy: str = "daily", timed: Context = Context()) -> Removals:
    """The year's tax the company would no longer collect itself in each place a candidate touches.

    Today's figure is the tax on the company's own taxable sales there in the year to ``as_of`` as it sells today
    (``today_ledger``), worked out as the new nexus's is (:func:`nexus.estimates.estimate_over`, registrations set
    aside); under the candidate it is the same estimate over ``under_ledger`` (the candidate's role applied:
    facilitated sales the state's marketplace law has it collect, and merchant-of-record sales, are not the
    company's) where the company keeps nexus or a registration there, else zero. A registration stays until the
    company deregisters, so a place where nexus goes but the sales stay the company's counts nothing.
    """
    currency = timed.report_currency
    days = window(today_ledger, as_of) if today_ledger is not None else None
    if today_ledger is None or under_ledger is None or days is None:
        note = NO_ORDERS if today_ledger is None else "not estimated: the orders hold none of the year"
        places = tuple(Removed(t.today.jurisdiction, t.today.name, t.why, _collector(t.roles), _real(t.under),
                               t.today.currency, None, None, None, None, note=note) for t in touched)
        return Removals(today_ledger is not None, currency, None, None, Decimal(1), places)
    start, end = days
    factor = Decimal(YEAR_DAYS) / Decimal((end - start).days + 1)
    found = []
    kinds = {t.today.jurisdiction: remains_kind(t.today) for t in touched}
    for t in touched:
        if t.today.timing is None:
            continue  # nothing timed today (no nexus, no registration): nothing collected today to move
        held = _held(t.today, registrations, as_of)
        bare = _bare(t.today)
        now = estimate_over(bare, today_ledger, book, as_of, start, rates, home, fx_policy, timed)
        if now.exposure_note.startswith("estimated member state by member state"):
            continue  # a union's own finding: its members' places carry the figures
        kept = _real(t.under) or held is not None
        after = estimate_over(bare, under_ledger, book, as_of, start, rates, home, fx_policy, timed) if kept else None
        place = _removed(t, now, after, kept, held, factor, as_of)
        if place is not None:
            found.append(place)
    found = _dated(found, kinds, today_ledger, book, as_of, rates, home, fx_policy, timed)
    return Removals(True, currency, start, end, factor, tuple(found))


def _real(f: Finding | None) -> bool:
    return f is not None and f.nexus in ("economic", "presence", "establishment")


def _collector(roles: frozenset[str]) -> str:
    if "merchant-of-record" in roles:
        return "merchant-of-record"
    return "marketplace-facilitator" if "marketplace-facilitator" in roles else "no-one"


def _bare(f: Finding) -> Finding:
    """The finding with no registration: the tax is worked out whoever collects it."""
    if f.timing is None or (f.timing.registration is None and f.timing.coverage is None and not f.timing.collecting):
        return f
    # The coverage goes too: a scheme registration's (the EU's OSS) would cut the days it collected on; and so do
    # the days the place's own permits collected on, closed ones included.
    return replace(f, timing=replace(f.timing, registration=None, coverage=None, collecting=()))


def _held(f: Finding, registrations: Sequence[Registration], as_of: date) -> Registration | None:
    """The registration held on ``as_of`` that covers the finding's place, if any (a permit closed before it is not:
    nothing stays to deregister)."""
    held = f.timing.registration if f.timing is not None else None
    if held is not None and held.held_on(as_of):
        return held
    return next((r for r in registrations if r.registered_on <= as_of and r.held_on(as_of)
                 and r.covers(f.jurisdiction, f.part_of)), None)


def _lasts(f: Finding) -> str:
    """How long nexus from sales lasts once the test is met, in the rule's words: sales made before the move keep it
    until then."""
    return REMAINS_KINDS.get(remains_kind(f), "")


def _dated(found: list[Removed], kinds: dict[str, str], ledger: Ledger, book: RuleBook, as_of: date,
           rates: Rates | RateTable | None, home: str | None, fx_policy: str, timed: Context) -> list[Removed]:
    """The places whose nexus from sales outlasts the move with the day it ends, or why the data give none."""
    kept = {p.jurisdiction: kinds[p.jurisdiction] for p in found if p.lasts and p.jurisdiction in kinds}
    if not kept:
        return found
    days = lasting(kept, ledger, book, as_of, rates, home, fx_policy, timed)
    return [replace(p, lasts_until=days[p.jurisdiction].until, lasts_note=days[p.jurisdiction].note)
            if p.jurisdiction in days else p for p in found]


def _removed(t: Touched, now: Finding, after: Finding | None, kept: bool, held: Registration | None,
             factor: Decimal, as_of: date) -> Removed | None:
    f = t.today
    nexus_kept = _real(t.under)
    accrued = f.exposure.reporting.central if f.exposure is not None and f.exposure.reporting is not None else None
    accrued_note = "" if accrued is not None else (
        f"no exchange rate converts {f.exposure.currency} on {as_of}" if f.exposure is not None
        else f.exposure_note or "today's check estimates none there")
    lasts = "" if nexus_kept else _lasts(f)
    collector = _collector(t.roles)
    e = now.exposure
    if e is None:
        return Removed(f.jurisdiction, f.name, t.why, collector, nexus_kept, f.currency, None, None, None, None, held,
                       lasts, accrued, now.exposure_note or "not estimated", accrued_note=accrued_note)
    today = e.tax.scaled(factor)
    later = after.exposure.tax.scaled(factor) if after is not None and after.exposure is not None else ZERO
    if kept and after is not None and after.exposure is None:
        later = today  # nothing estimated under the candidate: nothing is claimed to move
    shift = _less(today, later)
    if nexus_kept and shift.central <= 0:
        return None  # nexus stays and the company collects as much as today: nothing moves
    reporting = shift.scaled(e.reporting_rate) if e.reporting_rate is not None else None
    note = "" if reporting is not None else f"no exchange rate converts {e.currency} on {as_of}: left out of the total"
    sources = tuple(dict.fromkeys([s for r in e.rates for s in r.sources]
                                  + [s for d in e.data_used if d.kind in FIGURE_DATA for s in d.sources]))
    return Removed(f.jurisdiction, f.name, t.why, collector, nexus_kept, e.currency, e.taxable_sales, today, later,
                   reporting, held, lasts, accrued, note, sources, _real(f),
                   (t.under.nexus or "") if nexus_kept and t.under is not None else "",
                   not nexus_kept and f.nexus == "presence",
                   trail=trail(f.jurisdiction, as_of) if not nexus_kept and f.nexus == "presence" else None,
                   accrued_note=accrued_note)
