"""Comparing candidate ecommerce providers before signing: what each would change for tax, currencies and books.

Each candidate (a :class:`nexus.provider_profile.Profile`) is compared with
today's set-up: the presence file, the sales read, the chart of accounts and the
registrations held. For each candidate :func:`compare` works out

* the **presence delta**: today's presence items the move takes away (the old
  provider's third-party hosting, by default) and the provider's hosting, data
  storage, backups, CDN caches and stock put in their place, each judged by the
  presence rules, per jurisdiction (:mod:`nexus.provider_presence`);
* the **nexus delta** (:mod:`nexus.provider_changes`): the check run again on the same sales with the
  provider's role applied (:func:`nexus.provider_roles.apply_roles`: the seller's direct sales into
  the places it lists become marketplace-facilitated sales, or, where it is
  merchant of record, leave the seller's own sales; the home's own test, which
  counts the seller's sales to a merchant of record, is measured without that
  role: :func:`_home_as_seller`) and with the new presence, finding by finding
  against today's check;
* the **currency delta**: currencies it adds, with their ISO facts and, for
  each country using one, whether the company sells there and the registration
  rule there (a currency opens a country only if the company sells there:
  DECISIONS, "Provider compare"); currencies it drops; the sales that would be
  converted into its settlement currency (:mod:`nexus.provider_currencies`);
* the **accounts** the chart-of-accounts plan would add for it, and which of
  them today's set-up needs already;
* the **checklist**: each integration answer, and what a ``no``, ``partial`` or
  ``unknown`` means for tax and books;

and a one-line verdict. Candidates come out most consequential first.

More information: docs/provider.md.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Sequence

from nexus import account_records, accounts, places, presence
from nexus.check import DEFAULT_WARN_AT, check, in_order
from nexus.findings import CheckResult, Context
from nexus.errors import InputError, Location
from nexus.fx import Rates
from nexus.input_warnings import home_warnings
from nexus.presence import Item
from nexus.provider_changes import NexusChange, money_words, nexus_changes, real_nexus
from nexus.provider_currencies import CurrencyDelta, book_currency, currency_delta, home_currency
from nexus.provider_exposure import (Net, NewExposure, Removals, Touched, footed, net, new_exposure,
                                     removals)
from nexus.provider_presence import KIND_WORDS, PresenceChange, presence_changes, replaced
from nexus.provider_profile import Answer, Profile, Question, questions
from nexus.provider_roles import Shift, apply_roles, role_in
from nexus.provider_stock import StockRegistration, stock_registrations
from nexus.registrations import Registration
from nexus.review import sold_in
from nexus.chart import Account, chart_notices
from nexus.check_document import jurisdictions_from_check
from nexus.rules import RuleBook
from nexus.ledger import Ledger
from nexus.remembered import remembered

#: What ``--fail-on`` can ask about: a candidate that would create nexus where there is none today.
FAIL_ON = ("new-nexus",)


# ---------------------------------------------------------------- accounts and checklist

@dataclass(frozen=True)
class AccountLine:
    """An account the plan proposes under the candidate; ``needed_today`` if today's set-up needs it already."""

    proposal: account_records.Proposal
    needed_today: bool


def _in_book(proposal: account_records.Proposal, book: str,
             ledger: account_records.Ledger) -> account_records.Proposal:
    """``proposal`` with the book currency where it is an accrued liability the plan gives none: the accrual journal
    books it in the book currency (docs/accounts.md), so the comparison's accounts table says so rather than leave
    the cell blank beside the tax payable's currency; as the payables, only where the ledger keeps a currency on a
    liability."""
    if (proposal.purpose.startswith("accrued:") and not proposal.currency and book
            and "current-liability" in ledger.currency_kinds):
        return replace(proposal, currency=book)
    return proposal


def _jurisdictions(result: CheckResult) -> list[account_records.Jurisdiction]:
    """The places with nexus, as the accounts plan takes them from a check."""
    return jurisdictions_from_check({"findings": [
        {"jurisdiction": f.jurisdiction, "name": f.name, "nexus": f.nexus, "tax": f.tax, "currency": f.currency,
         "action": f.timing.action if f.timing else None, "gap": bool(f.timing and f.timing.gap),
         "exposure": {} if f.exposure is not None else None}
        for f in result.findings]})


@dataclass(frozen=True)
class ChecklistLine:
    """One question, the candidate's answer, and what it means for tax and books."""

    question: Question
    answer: Answer

    @property
    def open(self) -> bool:
        return self.answer.answer != "yes"

    @property
    def meaning(self) -> str:
        said = self.question.if_not[0].upper() + self.question.if_not[1:]
        return {"yes": "", "no": f"{said}.", "partial": f"In part: {self.question.if_not}.",
                "unknown": f"Unknown, so read as no until the provider answers: {self.question.if_not}."
                }[self.answer.answer]


# ---------------------------------------------------------------- a candidate, and the comparison

@dataclass(frozen=True)
class Candidate:
    """Everything that changes under one candidate provider."""

    profile: Profile
    result: CheckResult
    shifts: tuple[Shift, ...]
    presence: tuple[PresenceChange, ...]
    nexus: tuple[NexusChange, ...]
    currencies: CurrencyDelta
    accounts: tuple[AccountLine, ...] | None
    checklist: tuple[ChecklistLine, ...]
    replaced: tuple[Item, ...]
    #: The tax a year the new nexus would put at stake (:mod:`nexus.provider_exposure`).
    exposure: NewExposure | None = None
    #: The tax a year the company would no longer collect itself: nexus removed, or collection moved to the provider.
    removed: Removals | None = None
    #: Member states where it would hold the company's stock: the domestic VAT registration each requires of a seller
    #: established elsewhere, which the EU's one-stop shop does not cover (:mod:`nexus.provider_stock`).
    stock: tuple[StockRegistration, ...] = ()

    @property
    def net(self) -> Net | None:
        """The net change in the tax a year the company would collect itself: added less removed."""
        if self.exposure is None or self.removed is None:
            return None
        return net(self.exposure, self.removed)

    @property
    def name(self) -> str:
        return self.profile.name

    @property
    def new_nexus(self) -> tuple[NexusChange, ...]:
        """Jurisdictions where nexus exists under the candidate and not today (a union's members counted once,
        in the union's own finding, where that finding's nexus is new too; a member whose nexus is new while the
        union's is not, its own stock in Frankfurt for a seller below the union-wide threshold, counts on its own:
        it was left out of the count, the verdict and --fail-on new-nexus, while its tax was in the net change)."""
        return self._counted("new-nexus")

    @property
    def nexus_removed(self) -> tuple[NexusChange, ...]:
        """Jurisdictions where nexus exists today and not under the candidate, a union's members as for new nexus."""
        return self._counted("nexus-removed")

    def _counted(self, change: str) -> tuple[NexusChange, ...]:
        unions = {r.jurisdiction for r in self.nexus if r.change == change and not r.part_of}
        return tuple(r for r in self.nexus if r.change == change and (not r.part_of or r.part_of not in unions))

    @property
    def nexus_changed(self) -> tuple[NexusChange, ...]:
        """Places where nexus stays but rests on another ground under the candidate (presence added beside the
        sales test, or gone from under it). A member state counts here on its own: stock in Germany is a German
        registration, whatever the union's scheme."""
        return tuple(r for r in self.nexus if r.change == "nexus-changed")

    @property
    def new_accounts(self) -> tuple[AccountLine, ...] | None:
        """Accounts needed because of this candidate (None without a chart)."""
        return None if self.accounts is None else tuple(a for a in self.accounts if not a.needed_today)

    @property
    def open_items(self) -> tuple[ChecklistLine, ...]:
        return tuple(c for c in self.checklist if c.open)

    def presence_effects(self, effect: str) -> tuple[PresenceChange, ...]:
        return tuple(p for p in self.presence if p.effect == effect)

    def consequence(self) -> tuple[bool, bool, Decimal, int, int, int, int]:
        """Sort key, most consequential first (:data:`ORDER_WORDS`). A candidate with new nexus comes first: each is
        a registration to make and returns to file, and potential exposure where the tax is not collected, which no
        figure a year offsets. Then the larger net change a year in the tax the company collects itself, less or
        more: the money a controller weighs; a net change that cannot be estimated is not put below a figure it may
        exceed. Then the counts: new nexus, presence it creates, open checklist items, new accounts."""
        change = self.net.change if self.net is not None else None
        return (not self.new_nexus, change is not None, -abs(change.central) if change is not None else Decimal(0),
                -len(self.new_nexus), -len(self.presence_effects("creates")), -len(self.open_items),
                -len(self.new_accounts or ()))

    def verdict(self) -> str:
        """One line that counts what a controller weighs: nexus gained and lost, accounts, open questions."""
        def codes(rows: Sequence[NexusChange], place: bool = False) -> str:
            shown = list(dict.fromkeys(r.jurisdiction if place else r.counted_label for r in rows))
            return f" ({', '.join(shown[:6])}{', ...' if len(shown) > 6 else ''})" if shown else ""

        kinds: dict[str, int] = {}
        for line in self.open_items:
            kinds[line.answer.answer] = kinds.get(line.answer.answer, 0) + 1
        open_words = ", ".join(f"{n} {k}" for k, n in kinds.items())
        new_accounts = self.new_accounts
        accounts_words = ("accounts not assessed (no --coa)" if new_accounts is None
                          else f"{len(new_accounts)} new account{'s' * (len(new_accounts) != 1)}")
        money = self.exposure_words()
        moved = self.removed_words()
        return (f"{self.name}: {len(self.new_nexus)} new nexus{codes(self.new_nexus)}, {money + ', ' if money else ''}"
                f"{len(self.nexus_removed)} nexus removed{codes(self.nexus_removed)}, {moved + ', ' if moved else ''}"
                + (f"nexus on another ground in {len({r.jurisdiction for r in self.nexus_changed})}"
                   f"{codes(self.nexus_changed, True)}, "
                   if self.nexus_changed else "") +
                (f"{self.stock_words()}, " if self.stock_words() else "") +
                f"{accounts_words}, "
                f"{len(self.open_items)} open checklist item{'s' * (len(self.open_items) != 1)}"
                + (f" ({open_words})" if open_words else ""))

    def stock_words(self) -> str:
        """The member states where its stock needs a VAT registration of their own that is not held, for the verdict:
        ``a VAT registration for stock in 1 (DE), est. USD 5,973.31 a year of VAT to declare there``; "" where none."""
        needed = [s for s in self.stock if s.held is None]
        if not needed:
            return ""
        said = f"a VAT registration for stock in {len(needed)} ({', '.join(s.jurisdiction for s in needed)})"
        figures = [s.reporting for s in needed]
        code = self.exposure.currency if self.exposure is not None else "USD"
        if figures and all(f is not None for f in figures):
            said += (f", est. {money_words(footed(figures, code), code)} a year of VAT "  # type: ignore
                     f"to declare there")
        return said

    def exposure_words(self) -> str:
        """The money the new nexus puts at stake, for the verdict: ``est. potential exposure USD 5,803.71 a year``;
        that it is not estimated, and why (never a zero for want of orders); "" where no nexus is new."""
        found = self.exposure
        if not self.new_nexus or found is None:
            return ""
        if not found.orders:
            return "potential exposure not estimated (no orders given)"
        total = found.total
        left = ", ".join(p.jurisdiction for p in found.left_out)
        if total is None:
            return f"potential exposure not estimated ({left})" if left else ""
        return (f"est. potential exposure {money_words(total.central, found.currency)} a year"
                + (f" ({left} not estimated)" if left else ""))

    def removed_words(self) -> str:
        """The tax the company would no longer collect itself, and the net change, for the verdict: ``est. USD
        25,201.88 a year no longer yours to collect, net est. USD 21,819.45 a year less to collect yourself``; ""
        where nothing moves and no nexus is new."""
        gone, change = self.removed, self.net
        roles = bool(self.profile.facilitator or self.profile.merchant)
        if gone is not None and not gone.orders and not gone.places and roles:
            # Without orders, whose sales its role would take is not known: not estimated, never nothing (the
            # screen's and the workbook's side by side say so; the verdict said nothing of it).
            return f"tax no longer yours to collect not estimated ({self.unestimated_reason()})"
        if gone is None or change is None or not (gone.places or self.new_nexus):
            return ""
        if not gone.orders or change.change is None:
            return f"tax no longer yours to collect not estimated ({self.unestimated_reason()})" if gone.places else ""
        removed = change.removed.central if change.removed is not None else Decimal(0)
        said = f"est. {money_words(removed, gone.currency)} a year no longer yours to collect" if gone.places else ""
        return ", ".join(w for w in (said, "net " + net_words(change.change.central, gone.currency)) if w)

    def unestimated_reason(self) -> str:
        """Why the money a year has no figure, in a few words: no orders given; orders that hold none of the twelve
        months to the as-of date (an as-of date before the first order); or no place with a figure."""
        sides = [s for s in (self.exposure, self.removed) if s is not None]
        if not sides or any(not s.orders for s in sides):
            return "no orders given"
        if any(s.start is None and s.places for s in sides):
            return "the orders read hold none of the twelve months to the as-of date"
        return "no place has a figure"


def home_words(home: str | None) -> str:
    """Where the seller is established, as the memo's set-up and the workbook's Summary say it: ``Japan (JP)``; or
    that no --home was given, so every place is compared as for a seller established elsewhere."""
    return (f"{places.name(home)} ({home})" if home
            else "not given (--home): assessed as a seller established elsewhere")


#: The rule the candidates are ordered by, as the screen's heading and the docs say it.
ORDER_WORDS = "new nexus first, then the larger net change a year"


def net_words(amount: Decimal, code: str, what: str = " to collect yourself") -> str:
    """A net change a year in words a reader cannot misread the sign of: ``est. USD 21,819.45 a year less to collect
    yourself``, ``est. USD 3,382.42 a year more to collect yourself``; ``no change`` where it rounds to nothing."""
    from nexus.money import quantize

    rounded = quantize(amount, code)
    if not rounded:
        return "no change in the tax you collect yourself" if what else "no change"
    more = "more" if rounded > 0 else "less"
    return f"est. {money_words(abs(rounded), code)} a year {more}{what}"


@dataclass(frozen=True)
class Setup:
    """Today's set-up every candidate is compared with."""

    ledger: Ledger | None = None
    presence: Sequence[Item] = ()
    chart: Sequence[Account] | None = None
    chart_source: str = ""
    registrations: Sequence[Registration] = ()
    home: str | None = None
    rates: Rates | None = None
    fx_policy: str = "daily"
    warn_at: Decimal = DEFAULT_WARN_AT
    presence_source: str = ""
    #: The registrations file read (--registrations), named beside today's set-up; "" where none was given.
    registrations_source: str = ""
    target: account_records.Ledger = field(default_factory=account_records.Ledger)


@dataclass(frozen=True)
class Comparison:
    """Today's check and every candidate, most consequential first."""

    as_of: date
    setup: Setup
    today: CheckResult
    today_currencies: tuple[str, ...]
    today_currencies_from: str
    candidates: tuple[Candidate, ...]
    warnings: tuple[str, ...] = ()

    def fails(self, fail_on: str) -> bool:
        """``new-nexus``: some candidate would create nexus where there is none today."""
        if fail_on == "new-nexus":
            return any(c.new_nexus for c in self.candidates)
        raise ValueError(f"fail_on must be one of {FAIL_ON}")


def _current(code: str) -> bool:
    """A current ISO 4217 code a store is paid in: the accounts plan opens accounts for these only."""
    return bool(sold_in([code]))


def _today_currencies(setup: Setup) -> tuple[tuple[str, ...], str]:
    """The currencies the company sells in today: those of its orders, else those of its chart's accounts."""
    if setup.ledger is not None and setup.ledger.series:
        return tuple(sorted(setup.ledger.currencies())), "the currencies of the orders read"
    if setup.chart:
        found = sorted({a.currency for a in setup.chart if a.currency})
        return tuple(found), "the currencies of the chart's accounts (no orders given)"
    return (), "nothing: no orders and no chart given"


def _touched(rows: Sequence[NexusChange], shifts: Sequence[Shift], setup: Setup) -> list[Touched]:
    """The places where the candidate may take tax collection off the company: nexus removed, or the provider's
    role touching a place where the company has nexus or a registration today (the home's own tax aside)."""
    found = []
    for r in rows:
        f = r.today
        if f is None or f.nexus == "establishment" or (not real_nexus(f.nexus)
                                                       and not (f.timing and f.timing.registration)):
            continue
        rule = f.rule
        roles = frozenset(s.role for s in shifts if s.jurisdiction == r.jurisdiction
                          or (rule is not None and not r.part_of and rule.covers(s.jurisdiction, setup.home)))
        if r.change == "nexus-removed" or roles:
            found.append(Touched(f, r.under, roles, r.gist))
    return found


def distinct(profiles: Sequence[Profile]) -> None:
    """Each candidate is told apart by its name in every output (the screen's columns, the workbook's rows, the
    memo's sections): two profiles of one name would be merged there, so they stop the run, saying which."""
    seen: dict[str, Profile] = {}
    for p in profiles:
        first = seen.setdefault(p.name, p)
        if first is not p:
            again = ("is given twice" if os.path.abspath(first.path) == os.path.abspath(p.path)
                     else f"names the provider {p.name!r}, as {first.path} does")
            raise InputError(f"{again}: the comparison tells candidates apart by name; give each profile once, with "
                             f"its own name", Location(p.path))


def compare(profiles: Sequence[Profile], setup: Setup, book: RuleBook, as_of: date) -> Comparison:
    """Compare each candidate with today's set-up; candidates come back most consequential first.

    The check runs today and once or twice per candidate on the same orders: the days of a place whose sales a
    candidate does not move are scanned, summed and estimated once for the whole comparison
    (:func:`nexus.remembered.remembered`), the tax at stake there coming to the same figures whichever check asks."""
    distinct(profiles)
    with remembered():
        return _compare(profiles, setup, book, as_of)


def _compare(profiles: Sequence[Profile], setup: Setup, book: RuleBook, as_of: date) -> Comparison:
    ledger = setup.ledger if setup.ledger is not None else Ledger()
    timed = Context(tuple(setup.registrations))
    today_verdicts = presence.assess(setup.presence, as_of)
    before = check(ledger, book, as_of, setup.rates, setup.warn_at, False, setup.home, setup.fx_policy,
                   today_verdicts, timed)
    today_codes, today_from = _today_currencies(setup)
    chart = list(setup.chart) if setup.chart is not None else None
    plan_today = None
    if chart is not None:
        usable = [c for c in today_codes if _current(c)]
        plan_today = accounts.plan(chart, usable, _jurisdictions(before), setup.target)
    booked = book_currency(chart, home_currency(setup.home, before, as_of)) if chart else ("", "")
    candidates = []
    # An office suggests where the seller is established: without --home every place, that one too, is compared as
    # for a seller established elsewhere. The check warns of it; so must the comparison's screen and JSON.
    warnings: list[str] = home_warnings(today_verdicts, setup.home)
    # The chart's rows read otherwise than written, as the plan warns of them: an account typed as nothing nexus
    # knows counts as no bank, and the accounts listed below would propose one beside it
    warnings += chart_notices(chart, setup.chart_source) if chart is not None else ()
    for profile in profiles:
        warnings += profile.warnings
        shifted, shifts = apply_roles(ledger, profile.facilitator, profile.merchant, as_of)
        removed = [i for i in setup.presence if replaced(i, profile.replaces, as_of)]
        kept = [i for i in setup.presence if not replaced(i, profile.replaces, as_of)]
        under_verdicts = presence.assess(kept + list(profile.items), as_of)
        sells_at_home = bool(setup.home and profile.merchant)
        # Under a merchant of record the home's own findings come from the check below alone: measured here too, over
        # a ledger the merchant's sales have left, they were dated and estimated only to be replaced.
        after = check(shifted, _beside_home(book, setup.home) if sells_at_home else book, as_of, setup.rates,
                      setup.warn_at, False, setup.home, setup.fx_policy, under_verdicts, timed)
        if sells_at_home and setup.home is not None:
            # Only the home's findings are taken from this check: the rules that reach the home, and the presence
            # there, are all it needs (the whole book again was a fourth of a comparison's time).
            at_home = check(apply_roles(ledger, profile.facilitator, (), as_of)[0], _reaching(book, setup.home),
                            as_of, setup.rates, setup.warn_at, False, setup.home, setup.fx_policy,
                            [v for v in under_verdicts if _at(v.jurisdiction, setup.home)], timed)
            after = _home_as_seller(after, at_home)
        added_v = [v for v in under_verdicts if v.item in profile.items]
        removed_v = [v for v in today_verdicts if v.item in removed]
        presence_rows = presence_changes(today_verdicts, under_verdicts, added_v, removed_v, before, after)
        nexus_rows = nexus_changes(before, after, profile, shifts, added_v, removed_v, setup.home)
        delta = currency_delta(profile, today_codes, today_from, setup.ledger, chart, book, setup.home, as_of,
                               before, booked)
        lines = None
        if chart is not None and plan_today is not None:
            usable = [c for c in profile.currencies if _current(c)]
            needed = {p.purpose for p in plan_today}
            lines = tuple(AccountLine(_in_book(p, booked[0], setup.target), p.purpose in needed)
                          for p in accounts.plan(chart, usable, _jurisdictions(after), setup.target))
        checklist = tuple(ChecklistLine(q, a) for q, a in zip(questions(), profile.answers))
        new = [(r.under, r.gist) for r in nexus_rows if r.change == "new-nexus" and r.under is not None]
        money = new_exposure(new, shifted if setup.ledger is not None else None, book, as_of, setup.rates,
                             setup.home, setup.fx_policy, timed)
        gone = removals(_touched(nexus_rows, shifts, setup), setup.ledger,
                        shifted if setup.ledger is not None else None, book, as_of, setup.registrations, setup.rates,
                        setup.home, setup.fx_policy, timed)
        stock = stock_registrations(added_v, [v for v in under_verdicts if v.item not in profile.items], after,
                                    shifted if setup.ledger is not None else None, book, as_of, setup.registrations,
                                    setup.rates, setup.home, setup.fx_policy, timed,
                                    lambda place: role_in(place, profile.facilitator, profile.merchant, as_of),
                                    new=[r.jurisdiction for r in nexus_rows if r.change == "new-nexus"])
        candidates.append(Candidate(profile, after, shifts, tuple(presence_rows), tuple(nexus_rows), delta, lines,
                                    checklist, tuple(removed), money, gone, stock))
    ordered = sorted(candidates, key=lambda c: c.consequence())  # stable: ties keep the order given
    return Comparison(as_of, setup, before, today_codes, today_from, tuple(ordered), tuple(dict.fromkeys(warnings)))


def _at(place: str, home: str) -> bool:
    """Whether ``place`` is the home or in it (US-CA is in US; the home US-CA is not in US-NV)."""
    return place == home or place.split("-")[0] == home or home.split("-")[0] == place


def _reaching(book: RuleBook, home: str) -> RuleBook:
    """The rules whose places include the home (its own, and a union's it is a member of)."""
    return replace(book, rules=tuple(r for r in book.rules if _at(r.jurisdiction, home) or r.covers(home, home)))


def _beside_home(book: RuleBook, home: str | None) -> RuleBook:
    """The rules but the home's own (a union's that reaches it stays: its other members are abroad): the check under
    a merchant of record measures the home with :func:`_reaching` alone, once."""
    return replace(book, rules=tuple(r for r in book.rules if not home or not _at(r.jurisdiction, home)))


def _home_as_seller(after: CheckResult, at_home: CheckResult) -> CheckResult:
    """The check under the candidate with the home's own findings measured as a seller established there measures
    them: a merchant of record sells to the customers and buys from the seller, so the seller's sales to it stay
    its own supplies, which the home's test counts (its taxable turnover, Gesamtumsatz, 課税売上高: exports and
    sales at home alike) and, at home, its tax is charged on. ``at_home`` is the check over the ledger with the
    facilitator role alone applied; its home findings replace those of ``after``, whose ledger took the merchant
    of record's sales out, as every place abroad must (there they are the provider's sales to consumers)."""
    home = [f for f in at_home.findings if f.status == "established"]
    # ``after`` ran without the home's own rules (_beside_home): the stand-in it gave the home goes, and the findings
    # are put in the check's order with the home's own among them
    return replace(after, findings=tuple(in_order([f for f in after.findings if f.status != "established"] + home)))


def sources(comparison: Comparison) -> list[tuple[str, str]]:
    """Every source the comparison rests on, as (what, where) pairs, each source once with the places or items
    that rest on it: the profiles and their references, the rules behind changed findings and new currencies'
    countries, the presence rules, and the rows of the region and point-of-presence tables."""
    found: dict[tuple[str, str], list[str]] = {}

    def add(what: str, code: str, where: str) -> None:
        if where:
            codes = found.setdefault((what, where), [])
            if code and code not in codes:
                codes.append(code)

    add("Today's presence file", "", comparison.setup.presence_source)
    add("Today's chart of accounts", "", comparison.setup.chart_source)
    for c in comparison.candidates:
        add(f"{c.name}: provider profile", "", c.profile.path)
        add(f"{c.name}: currency list", "", c.currencies.offered_from if c.currencies.offered_from != "the profile"
            else c.profile.path)
        for line in c.checklist:
            add(f"{c.name}: checklist answer", f"{line.question.key} ({line.answer.answer})", line.answer.reference)
    for c in comparison.candidates:
        for row in c.nexus:
            finding = row.under or row.today
            if row.shown and finding is not None:  # every row the screen, the memo and the workbook show
                for url in finding.sources:
                    add("Nexus rule", row.label, url)
        for place in (c.exposure.places if c.exposure is not None else ()):
            for url in place.sources:
                add("Rates, taxability and marketplace laws behind the potential exposure estimate", place.jurisdiction,
                    url)
        for gone in (c.removed.places if c.removed is not None else ()):
            for url in gone.sources:
                add("Rates, taxability and marketplace laws behind the tax no longer yours to collect",
                    gone.jurisdiction, url)
        for s in c.stock:
            for url in (s.rule.sources if s.rule is not None else ()):
                add("Domestic VAT registration that stock in a member state requires (data/stock-registration.json)",
                    s.jurisdiction, url)
            for url in (s.estimate.sources if s.estimate is not None else ()):
                add("Rates, taxability and marketplace laws behind the VAT a year on goods sold from EU stock",
                    s.jurisdiction, url)
        for a in c.currencies.added:
            for o in a.opens:
                for url in (o.rule.sources if o.rule else ()):
                    add("Registration rule where a new currency opens a country", o.code, url)
    for c in comparison.candidates:
        for p in c.presence:
            for v in p.added + p.removed:
                for url in v.sources:
                    add(f"Presence rule ({KIND_WORDS.get(v.item.kind, v.item.kind)})", p.jurisdiction, url)
                site = presence.sites().get(v.item.location.lower())
                if site is not None:
                    what = "regions" if site.provider in presence.CLOUDS else "points of presence"
                    add(f"Where {site.provider} {what} are", site.code, site.source)
    add("Checklist questions and what each answer means", "", "data/provider-checklist.json")
    add("ISO 4217 currencies (SIX)", "",
        "https://www.six-group.com/en/products-services/financial-information/data-standards.html")
    add("Countries using each currency: Unicode CLDR through babel", "", "https://cldr.unicode.org/")

    def shown(what: str, codes: list[str]) -> str:
        if not codes:
            return what
        more = f" and {len(codes) - 12} more" if len(codes) > 12 else ""
        return f"{what}: {', '.join(codes[:12])}{more}"

    return [(shown(what, codes), where) for (what, where), codes in found.items()]
