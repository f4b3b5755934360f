"""The records of a check: the verdict per jurisdiction (:class:`Finding`), the sales in places no rule covers
(:class:`Unassessed`), the whole result (:class:`CheckResult`), and what the dates and the estimates are given beyond
the orders and the rules (:class:`Context`); with the small readings of a finding that every output words alike (the
status shown, the screen's sections, what made an ended nexus).

How they are made is :mod:`nexus.check`. They are apart from it so that what only reads a finding (the screen, the
report, the workbooks, the memo) and what adds to one (:mod:`nexus.permits`, :mod:`nexus.estimates`) import the
records, not the check: every import points down, with no cycle.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Sequence

from nexus.categories import UNKNOWN
from nexus.exposure_records import Exposure, Total
from nexus.fx import Rates
from nexus.lapsed import PastWindow
from nexus.limitation import Limitation
from nexus.measures import ABROAD_KEYS, ZERO, Conversion, Measure
from nexus.money import quantize
from nexus.periods import Period
from nexus.presence import Verdict, strongest
from nexus.reasons import money
from nexus.registrations import Registration
from nexus.rules import Rule
from nexus.ledger import Ledger, Profile
from nexus.tax_rates import TaxBook
from nexus.timing import Timing, most_urgent_first
from nexus.timing_rules import PermitRule, TimingBook

#: Statuses of the sales test, most severe first. ``not-covered``: every period the rule measures lies before
#: the first order in the input, so the data cannot say. Whether nexus exists is :attr:`Finding.nexus`.
STATUSES = ("exceeded", "established", "approaching", "below", "not-covered", "no-rule", "no-sales-tax")
#: Why nexus exists, in the order a finding names it when several apply (DECISIONS: "Vocabulary").
NEXUS_KINDS = ("establishment", "economic", "presence")
#: What ``--fail-on`` can ask about: nexus from sales or presence; the sales test (exceeded, or approaching
#: too); presence that creates nexus (or the sales test exceeded).
FAIL_ON = ("nexus", "exceeded", "approaching", "creates", "overdue")
Row = tuple[Profile, dict[date, list]]  # a series of the ledger: (profile, {day: [amount, count]}), shared


@dataclass(frozen=True)
class CategoryCount:
    """Lines and sales (in the finding's currency, net of refunds) of one category from one source
    (:data:`nexus.categories.SOURCES`), and whether the finding's test counts them."""

    category: str
    source: str
    lines: int
    sales: Decimal
    counted: bool


@dataclass(frozen=True)
class Finding:
    """The verdict for one jurisdiction (and scheme) at the as-of date."""

    jurisdiction: str
    name: str
    status: str
    currency: str
    sales: Decimal
    transactions: int
    ratio: Decimal | None
    period: Period | None
    crossed_on: date | None
    reasons: tuple[str, ...]
    rule: Rule | None
    measures: tuple[Measure, ...] = ()
    excluded: dict[str, Decimal] = field(default_factory=dict)
    conversions: tuple[Conversion, ...] = ()
    scheme: str = ""
    presence: tuple[Verdict, ...] = ()
    #: A member state's finding under a union-wide test ("EU"): the test, its ratio and its crossing day
    #: belong to that jurisdiction's own finding; this one shows the member's own sales.
    part_of: str = ""
    #: For the seller's home when no rule measured it: the rule that names its tax and sources.
    home_basis: Rule | None = None
    #: Since when, by when, what to do (nexus.timing): None for findings with nothing to time.
    timing: Timing | None = None
    #: Money at stake (nexus.exposure): None where nexus is not from sales or presence, or nothing to estimate.
    exposure: Exposure | None = None
    #: Why there is no estimate where one would be expected ("estimated per member state"...).
    exposure_note: str = ""
    #: Shipping and handling included in the sales counted in ``period``, and the tax charged on them, in the
    #: rule's currency (None without a rule or period): shipping counts with the sale; tax charged never does.
    shipping: Decimal | None = None
    tax_charged: Decimal | None = None
    #: Platforms whose refunds in this jurisdiction came as a running total on the order, without a date, and
    #: were counted on the order's date.
    undated_refunds: tuple[str, ...] = ()
    #: The lines and sales of ``period`` in the places it covers, by category and where that came from
    #: (nexus.categories), in the rule's currency: what the category choice moves.
    categories: tuple[CategoryCount, ...] = ()
    #: A domestic test's sales abroad in ``period`` that no exchange rate converts to its currency, left out of its
    #: figure: (currency, amount in it), netted of their refunds.
    unconverted: tuple[tuple[str, Decimal], ...] = ()
    #: Whether the estimate's tax, declared on no return, can still be assessed on the as-of date (nexus.limitation,
    #: from the estimate's first to its last day); None where there is no estimate.
    limits: Limitation | None = None

    @property
    def unknown(self) -> CategoryCount | None:
        """Lines of unknown category in ``period`` (those ``--unknown-category`` decided included), summed."""
        found = [c for c in self.categories if c.source == "unknown"]
        if not found:
            return None
        sales = sum((c.sales for c in found), Decimal(0))
        return CategoryCount(UNKNOWN, "unknown", sum(c.lines for c in found), sales, all(c.counted for c in found))

    @property
    def unmeasured(self) -> bool:
        """Whether no test counted the sales there, so they have no figure (null, never 0): a place with no general
        sales tax, or with no rule in the data on the as-of date (South Dakota before 2018-11-01), however much was
        sold there."""
        return self.status in ("no-sales-tax", "no-rule")

    @property
    def uncovered(self) -> bool:
        """Whether the sales test's figures are unknown: every period it measures lies before the first order read.
        That is the status ``not-covered``, and a home (``established``, whatever the figures) whose measured periods
        the data do not reach: Japan's base and specified periods deciding 2025 (2023 and 2024's first half) in orders
        from 2025 on. Outputs then show no sales or share there, never 0 (DECISIONS: unknown, not zero)."""
        unreached = bool(self.measures) and all(m.covered == "none" for m in self.measures)
        return self.status == "not-covered" or (self.status == "established" and unreached)

    @property
    def presence_verdict(self) -> str | None:
        """The strongest verdict of the presence items in this jurisdiction, or None."""
        return strongest(v.verdict for v in self.presence)

    @property
    def nexus(self) -> str | None:
        """Whether nexus exists, and why: ``establishment`` (the seller's home), ``economic`` (the sales test
        is met), ``presence`` (physical presence creates it, whatever the sales), or None.

        ``status`` stays the sales test; tables, colours and ``--fail-on nexus`` read this.
        """
        if self.status == "no-sales-tax":
            return None
        if self.status == "established":
            return "establishment"
        if self.status == "exceeded" or (self.timing is not None and self.timing.economic_now):
            return "economic"
        if self.presence_verdict == "creates":
            return "presence"
        return None

    @property
    def sources(self) -> tuple[str, ...]:
        """The rule's sources, then those of the presence that creates nexus there: a place with presence only
        has no rule, and its finding cites what makes the presence nexus."""
        rule = self.rule or self.home_basis
        found = list(rule.sources) if rule else []
        abroad = rule.sales_abroad if rule is not None else None
        if abroad is not None and any(self.excluded.get(k) for k in ABROAD_KEYS.values()):
            found += [s for s in abroad.sources if s not in found]  # why sales abroad count, or do not
        for verdict in self.presence:
            if verdict.verdict == "creates":
                found += [s for s in verdict.sources if s not in found]
        return tuple(found)

    @property
    def tax(self) -> str | None:
        """The tax's own name (sales tax, VAT, GST/HST, consumption tax (JCT)...), where a rule names it."""
        rule = self.rule or self.home_basis
        return rule.tax if rule else None

    @property
    def label(self) -> str:
        """``DE (non-Union OSS / IOSS)``: the code, with the scheme where a place has several tests."""
        return f"{self.jurisdiction} ({self.scheme})" if self.scheme else self.jurisdiction

    def severity(self) -> tuple[int, Decimal]:
        """Nexus from sales or presence first, then the home, then the sales test's status; larger ratios first."""
        if self.nexus in ("economic", "presence"):
            rank = 0
        elif self.nexus == "establishment":
            rank = 1
        else:
            rank = 1 + STATUSES.index(self.status)
        return rank, -(self.ratio or Decimal(0))


@dataclass(frozen=True)
class Unassessed:
    """What the orders hold in a place nexus has no rule for, to the as-of date: a new market (Kuwait, sold to in
    KWD) is then seen with its figures, not only named."""

    place: str
    #: Sales net of refunds and chargebacks, per currency, each rounded once to its minor unit.
    sales: tuple[tuple[str, Decimal], ...]
    transactions: int

    def words(self) -> str:
        """``KW (KWD 27.750, 2 transactions)``."""
        amounts = " and ".join(money(amount, code) for code, amount in self.sales)
        return f"{self.place} ({amounts}, {self.transactions:,} transaction{'s' * (self.transactions != 1)})"


@dataclass(frozen=True)
class CheckResult:
    """Findings for one as-of date, and the account of the input."""

    as_of: date
    findings: tuple[Finding, ...]
    ledger: Ledger
    rates: Rates | None
    warn_at: Decimal
    outside_rules: tuple[str, ...]
    home: str | None = None
    fx_policy: str = "daily"
    warnings: tuple[str, ...] = ()
    #: Registrations held where no finding has nexus: registered but not required, worth knowing.
    unneeded_registrations: tuple[Registration, ...] = ()
    registrations: tuple[Registration, ...] = ()
    #: Every estimate in the reporting currency (None when nothing was estimated).
    exposure_total: Total | None = None
    #: Rows used that are dated after the as-of date, so counted in no period (:func:`nexus.input_warnings.rows_after`).
    rows_after_as_of: int = 0
    #: (jurisdiction, scheme) of the findings listed only because every jurisdiction was asked for: no sales
    #: there in the data, no presence, not the home. Counted apart, so that "below" means the same either way.
    without_sales: tuple[tuple[str, str], ...] = ()
    #: Windows of nexus in the orders under rules no longer in force on the as-of date (:mod:`nexus.lapsed`): kept
    #: apart from the findings (past tax only, nothing to act by), their estimates in ``exposure_total``.
    past_windows: tuple[PastWindow, ...] = ()
    #: Registrations held for places nexus has no rule for (Brazil, Puerto Rico): not assessed, so never said to be
    #: unneeded, which would read as leave to close them.
    unassessed_registrations: tuple[Registration, ...] = ()
    #: Of ``unneeded_registrations``, those in a state whose rule keeps a permit holder liable to collect until the
    #: permit is cancelled and says how to close it (Texas, North Carolina), each with that rule: no test requires
    #: the permit, but holding it does require collecting, so each is said with the state's words.
    kept_permits: tuple[tuple[Registration, PermitRule], ...] = ()

    def count(self, status: str) -> int:
        return sum(1 for f in self.findings if f.status == status)

    def unassessed(self) -> tuple[Unassessed, ...]:
        """The sales in each place of :attr:`outside_rules`, in the orders read to the as-of date."""
        return tuple(_unassessed(self.ledger, place, self.as_of) for place in self.outside_rules)

    def fails(self, fail_on: str) -> bool:
        """Whether the findings show what ``--fail-on`` asks about (:data:`FAIL_ON`). The home is not a failure."""
        return bool(self.failing(fail_on))

    def failing(self, fail_on: str) -> list[Finding]:
        """The findings that show what ``--fail-on`` asks about, most urgent first: what a CI log names beside
        exit code 1. ``exceeded`` fails every option but ``nexus`` and ``overdue``, which ask their own question."""
        def fails(f: Finding) -> bool:
            if fail_on == "nexus":
                return f.nexus in ("economic", "presence")
            if fail_on == "overdue":
                return f.timing is not None and f.timing.action == "register-now"
            return (f.status == "exceeded" or (fail_on == "approaching" and f.status == "approaching")
                    or (fail_on == "creates" and f.presence_verdict == "creates"))
        return [f for f in self.findings if fails(f)]


def _unassessed(ledger: Ledger, place: str, as_of: date) -> Unassessed:
    """The sales and transactions the ledger holds in ``place`` to ``as_of``, per currency, rounded once."""
    totals: dict[str, Decimal] = {}
    count = 0
    for (where, code, *_profile), days in ledger.series.items():
        if where == place:
            for day, (amount, transactions) in days.items():
                if day <= as_of:
                    totals[code] = totals.get(code, ZERO) + amount
                    count += transactions
    return Unassessed(place, tuple((code, quantize(total, code)) for code, total in sorted(totals.items())), count)


def domestic_test(rule: Rule | None) -> bool:
    """Whether ``rule`` is the registration test for businesses established there (Japan's), which dates a home."""
    return rule is not None and rule.establishment == "established"


#: A status in a sentence, where its code is not English ("the sales test is not-covered").
_STATUS_WORDS = {"not-covered": "not covered by the data", "no-rule": "not in force", "no-sales-tax": "not applied"}


def status_words(status: str) -> str:
    """The sales test's status as a sentence says it: 'below', 'approaching', 'not covered by the data'."""
    return _STATUS_WORDS.get(status, status)


@dataclass(frozen=True)
class Context:
    """What the dates and the estimates need beyond the findings: registrations held, how far ahead to project
    and how, the start rules and tax tables (the bundled ones when None), and the reporting currency."""

    registrations: Sequence[Registration] = ()
    horizon: int = 365
    projection: str = "run-rate"
    book: TimingBook | None = None
    tax_book: TaxBook | None = None
    report_currency: str = "USD"


def presence_only(f: Finding) -> bool:
    """A finding that exists because of presence alone: no rule measured any sales there."""
    return f.rule is None and bool(f.presence) and not f.measures


#: The status word of a place listed for its presence alone, where the orders show no sales there.
PRESENCE_ONLY = "presence only"


def shown_status(f: Finding) -> str:
    """The status as every output words it (screen, workbook, memo): 'presence only' where the orders show no sales
    there and no test was applied, rather than 'below' a test that was never applied; a place whose days all lie
    before the first order keeps 'not-covered' (its sales are unknown, not none). JSON keeps ``status`` as the
    sales test's field, with ``sales`` null beside it."""
    return PRESENCE_ONLY if presence_only(f) and f.status != "not-covered" else f.status


def owed_before(f: Finding) -> bool:
    """A place without nexus today where tax was due in a window that has ended, and some is estimated: it is
    listed with the places to act on (its money is in the totals)."""
    return f.nexus is None and f.exposure is not None and bool(f.exposure.months)


def act_now(result: CheckResult) -> tuple[list[Finding], list[Finding], list[Finding]]:
    """The screen's sections as lists: Act now (nexus from sales or presence, or tax owed from an earlier window,
    most urgent first), registered and collecting, and Watch (approaching, no nexus). One function, so that what
    'nexus history' keeps of a check names the places its screen put in Act now, not the sales test's count
    (here, not in nexus.terminal, which a JSON or CSV check does not load)."""
    # Registered and collecting now, but with tax estimated on an earlier window (a permit taken out after it had
    # ended): that money stays in Act now, not behind the one line.
    collecting = [f for f in result.findings if f.nexus in ("economic", "presence") and f.timing is not None
                  and f.timing.action == "registered" and f.timing.gap is None
                  and not (f.exposure is not None and f.exposure.months)]
    act = most_urgent_first([f for f in result.findings
                             if (f.nexus in ("economic", "presence") or owed_before(f))
                             and not any(f is c for c in collecting)])
    watch = [f for f in result.findings if f.nexus is None and f.status == "approaching"]
    return act, collecting, watch


def also_approaching(result: CheckResult) -> str:
    """The places whose sales test is approaching but which are in Act now for another reason (presence), as words
    to put after the Watch heading: the status table counts them as approaching, and Watch alone would list one
    fewer, which a reader reconciling the two would stop at. "" where there is none."""
    codes = [f.jurisdiction for f in result.findings if f.status == "approaching" and f.nexus is not None]
    return f"also approaching, in Act now: {', '.join(codes)}" if codes else ""


def ended_basis(f: Finding) -> str:
    """What made the nexus of the windows that have ended, in the Act now table's words: ``sales test``,
    ``presence`` (a server gone before the as-of date), or both."""
    bases = {w.basis for w in f.timing.windows if w.until is not None} if f.timing is not None else set()
    if "presence" not in bases:
        return "sales test"
    return "sales test, presence" if "economic" in bases else "presence"
