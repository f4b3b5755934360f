"""What a candidate provider's currencies change against those the company sells in today.

:func:`currency_delta` lists the currencies a candidate adds, with their ISO facts (:class:`nexus.review.AddedCurrency`)
and, for each country using one (:func:`countries_using`), whether the company sells there and the registration rule
there (:class:`Opening`: a currency opens a country only if the company sells there what its rule counts, DECISIONS,
"Provider compare"); the currencies it drops and what the customers paying in them would do; the sales that would
be converted into its settlement currency, against the currency the company books in (:func:`book_currency`,
:func:`home_currency`).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Sequence

from nexus import accounts, places
from nexus.findings import CheckResult
from nexus.provider_changes import real_nexus
from nexus.provider_profile import Profile
from nexus.provider_roles import role_in
from nexus.review import AddedCurrency, Review, review, sold_in
from nexus.categories import LINE_CATEGORIES, UNKNOWN
from nexus.chart import Account
from nexus.rules import CATEGORIES, Rule, RuleBook
from nexus.ledger import Ledger

_CATEGORY_WORDS = {"goods": "goods", "digital": "digital goods", "saas": "SaaS", "services": "services",
                   "unknown": "products of unknown category"}


@dataclass(frozen=True)
class Opening:
    """A country that uses a currency the candidate adds: whether the company sells there, and the rule there.

    A currency opens a country only if the company sells to customers there, and only for the categories
    its rule covers (Korea's first-sale registration covers electronic services, not goods).
    """

    code: str
    name: str
    categories: tuple[str, ...]  # what the company sells there (from the orders read)
    rule: Rule | None
    status: str | None           # today's sales test there
    nexus: str | None            # today's nexus there
    role: str | None = None      # the candidate's role there (its profile's places)
    provider: str = ""
    orders: bool = True          # whether orders were read: without them, whether the company sells there is unknown

    @property
    def sells_there(self) -> bool:
        return bool(self.categories)

    @property
    def covered(self) -> tuple[str, ...]:
        """The categories sold there that the rule counts."""
        if self.rule is None:
            return ()
        every = set(CATEGORIES) <= set(self.rule.categories)  # a line of unknown category counts only there
        return tuple(c for c in self.categories if c in self.rule.categories or (c == UNKNOWN and every))

    @property
    def opens(self) -> bool:
        """You sell there what its rule counts, and the sales stay yours (no merchant of record takes them)."""
        return bool(self.covered) and self.role != "merchant-of-record"

    @property
    def assessment(self) -> str:
        """What the currency comes to here, in a few words every output leads with: ``opens``, ``opens nothing``,
        ``not assessed`` (the company sells there and nexus has no rule) or ``not known`` (no orders read). The
        memo said 'opens nothing' and the workbook 'no' for the last two, as though the country had been looked at."""
        if self.opens:
            return "opens"
        if not self.orders:
            return "not known"
        return "not assessed" if self.sells_there and self.rule is None else "opens nothing"

    @property
    def rule_words(self) -> str:
        """``South Korea VAT: registration from the first sale of digital goods and SaaS, not goods or services``."""
        rule = self.rule
        if rule is None and self.code == "US":
            return "sales tax is per state: each state's own test applies (the nexus delta shows them)"
        if rule is None:
            return f"nexus has no registration rule for {self.name}"
        test = ("registration from the first sale" if rule.sales_threshold == 0 and rule.transactions_threshold is None
                else f"registration test {rule.describe_threshold()}")
        left = [c for c in CATEGORIES if c not in rule.categories]
        counts = _words([_CATEGORY_WORDS[c] for c in rule.categories])
        scope = f", counting {counts}, not {_words([_CATEGORY_WORDS[c] for c in left], 'or')}" if left else ""
        if left and test.endswith("first sale"):
            scope = f" of {counts}, not {_words([_CATEGORY_WORDS[c] for c in left], 'or')}"
        label = f"{rule.name} ({rule.scheme})" if rule.scheme else rule.name
        return f"{label} {rule.tax}: {test}{scope}"

    @property
    def note(self) -> str:
        role = {"merchant-of-record": f" {self.provider} would be merchant of record there: the sales there would "
                                      f"be its own, not yours.",
                "marketplace-facilitator": f" {self.provider} would be marketplace facilitator there."
                }.get(self.role or "", "")
        return self._note() + role

    def _note(self) -> str:
        sold = _words([_CATEGORY_WORDS[c] for c in self.categories])
        if not self.orders:
            return (f"Whether you sell into {places.in_prose(self.name)} is not known: no orders given (--sales); "
                    f"{self.rule_words}.")
        if not self.sells_there:
            return (f"No sales into {places.in_prose(self.name)} in the orders read: the currency alone opens nothing "
                    f"({self.rule_words}).")
        if self.rule is None:
            return f"You sell {sold} there; {self.rule_words}: not assessed."
        if not self.covered and UNKNOWN in self.categories:
            return (f"You sell {sold} there ({self.rule_words}): whether it opens depends on what the lines of unknown "
                    f"category are; give a products file (--products).")
        if not self.covered:
            return f"You sell {sold} there, which its rule does not count ({self.rule_words}): nothing opens there."
        today = (f" Today's check: {self.status}" + (f", nexus ({self.nexus})." if real_nexus(self.nexus) else ".")
                 if self.status else "")
        return f"You sell {sold} there: {self.rule_words}.{today}"


def _words(items: Sequence[str], joiner: str = "and") -> str:
    items = list(items)
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {joiner} " + items[-1]


@dataclass(frozen=True)
class Added:
    """A currency the candidate adds: its ISO facts and action (:class:`nexus.review.AddedCurrency`) and the
    countries that use it."""

    detail: AddedCurrency
    countries: tuple[Opening, ...]

    @property
    def opens(self) -> tuple[Opening, ...]:
        return tuple(c for c in self.countries if c.opens)


@dataclass(frozen=True)
class CurrencyDelta:
    """What the candidate's currencies change against the currencies the company sells in today."""

    today: tuple[str, ...]
    today_from: str
    offered: tuple[str, ...]
    offered_from: str
    settlement: str
    book_currency: str
    review: Review
    added: tuple[Added, ...]
    dropped: tuple[tuple[str, Decimal | None], ...]
    exposure: tuple[tuple[str, Decimal], ...]
    period: tuple[date, date] | None
    notes: tuple[str, ...]
    #: The currency of the seller's home (its own finding's), "" without --home.
    home_currency: str = ""
    home_name: str = ""

    @property
    def sold_in(self) -> int:
        """How many currencies of the list a store can be paid in: the 'offered' count. A withdrawn code (HRK), one
        ISO 4217 never had or one that is not money (XAU) was counted as a currency offered."""
        return len(sold_in(self.offered))

    @property
    def not_sold_in(self) -> str:
        """How many codes of the list are not currencies to sell in, and what they are, in words ("" where none):
        '3 more codes listed are not currencies to sell in: HRK withdrawn, ABC not in ISO 4217, XAU not money'."""
        kinds = [([w.code for w in self.review.withdrawn], "withdrawn"), (self.review.unknown, "not in ISO 4217"),
                 (self.review.not_for_sale, "not money")]
        count = sum(len(codes) for codes, _ in kinds)
        if not count:
            return ""
        return (f"{count} more code{'s' * (count != 1)} listed {'are' if count != 1 else 'is'} not "
                f"{'currencies' if count != 1 else 'a currency'} to sell in: "
                + ", ".join(f"{' and '.join(codes)} {words}" for codes, words in kinds if codes))

    def dropped_meaning(self, code: str) -> str:
        """What a currency the candidate does not offer means: its customers would pay in another; where it is the
        home's own currency (JPY for a seller established in Japan), the customers at home among them."""
        said = f"Customers paying in {code} today would pay in another currency"
        if code == self.home_currency:
            said += f", your customers at home in {self.home_name} among them ({code} is your home's currency)"
        return said + "."

    @property
    def home_dropped(self) -> str:
        """The home's currency not offered, in one sentence for the screen's list of them; "" where it is offered."""
        if not self.home_currency or self.home_currency not in [code for code, _ in self.dropped]:
            return ""
        return (f"{self.home_currency} is your home's currency: your customers at home in {self.home_name} would "
                f"pay in another currency too.")


#: The kinds of account a chart keeps one of per currency sold in: a foreign bank or clearing account says which
#: currencies the company holds, not which one it books in.
_HOLDINGS = ("bank", "current-asset")


def book_currency(chart: Sequence[Account], home_currency: str = "") -> tuple[str, str]:
    """The currency the company books in, and whence it is known: the commonest currency of the chart's other
    accounts (receivables, payables, tax payables); where those name none, as charts that tag only their foreign
    banks leave the base currency blank, the home's currency; else not known (""). Counting every account, a US
    seller's chart tagging only 'Bank - EUR' and 'Bank - GBP' was booked in EUR, and every USD payout was said to
    carry an exchange difference."""
    kept = [a for a in chart if a.kind not in _HOLDINGS and not a.inactive and a.currency]
    if kept:
        return accounts.Plan(tuple(kept), ()).book_currency, "the chart's book currency"
    if home_currency:
        return home_currency, "your home's currency: the chart's accounts other than banks and clearing name none"
    return "", ""


def home_currency(home: str | None, today: CheckResult, on: date) -> str:
    """The currency of the seller's home: its rule's, else the first CLDR gives as legal tender there on ``on`` (a
    home nexus has no rule for, China, still books in CNY); "" without a home."""
    if not home:
        return ""
    found = next((f for f in today.findings if f.status == "established" and not f.part_of), None)
    if found is not None and found.currency:
        return found.currency
    from babel.numbers import get_territory_currencies

    tender = get_territory_currencies(home.split("-")[0], on, tender=True)
    return tender[0] if tender else ""


def countries_using(code: str, on: date) -> tuple[str, ...]:
    """ISO 3166-1 countries where ``code`` is legal tender on ``on`` (CLDR's territory currencies, through babel)."""
    from babel.core import get_global

    known = places.countries()
    found = []
    for territory, records in get_global("territory_currencies").items():
        if territory not in known:
            continue  # CLDR's groupings (EU, EA) and territories ISO 3166-1 has no code for
        for record in records:
            currency, start, end, tender = record[0], record[1], record[2], record[3]
            in_force = (start is None or date(*start) <= on) and (end is None or date(*end) > on)
            if currency == code and tender and in_force:
                found.append(territory)
    return tuple(sorted(found))


def _sold(ledger: Ledger | None) -> dict[str, set[str]]:
    """Per country (US-CA counts for US), the categories the company sold there."""
    found: dict[str, set[str]] = {}
    for place, _code, _channel, kind, _exempt, category in (ledger.series if ledger else {}):
        if kind == "sale":
            found.setdefault(place.split("-")[0], set()).add(category)
            found.setdefault(place, set()).add(category)
    return found


def _last_year(ledger: Ledger | None, as_of: date) -> tuple[dict[str, Decimal], tuple[date, date] | None]:
    """Sales (refunds netted) per currency in the twelve months to ``as_of``."""
    if ledger is None or not ledger.series:
        return {}, None
    start = as_of - timedelta(days=364)
    totals: dict[str, Decimal] = {}
    for (_place, code, *_rest), days in ledger.series.items():
        for day, (amount, _count) in days.items():
            if start <= day <= as_of:
                totals[code] = totals.get(code, Decimal(0)) + amount
    return totals, (max(start, ledger.first_day or start), as_of)


def currency_delta(profile: Profile, today: Sequence[str], today_from: str, ledger: Ledger | None,
                   chart: Sequence[Account] | None, book: RuleBook, home: str | None, as_of: date,
                   before: CheckResult, book_currency: tuple[str, str]) -> CurrencyDelta:
    """``book_currency``: the currency the company books in, and whence it is known (:func:`book_currency`)."""
    missing = accounts.missing_accounts(chart, profile.currencies) if chart is not None else None
    found = review(profile.name, profile.currencies, list(today), today_from, missing, as_of,  # type: ignore[arg-type]
                   listed=profile.currency_lines)
    sold = _sold(ledger)
    rules = book.applicable(as_of, home)
    findings = {f.jurisdiction: f for f in before.findings if not f.part_of}
    members = {f.jurisdiction: f for f in before.findings if f.part_of}
    added = []
    for detail in found.details:
        openings = []
        for country in countries_using(detail.code, as_of):
            if home and home.split("-")[0] == country:
                continue  # the home country: established there, not opened by a currency
            rule = next((r for r in rules if r.jurisdiction == country), None) or \
                next((r for r in rules if r.covers(country, home) and r.members), None)
            there = findings.get(country) or members.get(country) or (findings.get(rule.jurisdiction) if rule else None)
            role = role_in(country, profile.facilitator, profile.merchant, as_of)
            openings.append(Opening(country, places.name(country), tuple(c for c in LINE_CATEGORIES
                                                                         if c in sold.get(country, set())),
                                    rule, there.status if there else None, there.nexus if there else None, role,
                                    profile.name, ledger is not None))
        openings.sort(key=lambda o: (not o.opens, not o.sells_there, o.code))
        added.append(Added(detail, tuple(openings)))
    totals, period = _last_year(ledger, as_of)
    # With orders, a currency sold in none of the twelve months is a zero, not unknown (None: no orders given).
    dropped = tuple((code, totals.get(code, Decimal(0)) if ledger is not None else None) for code in found.removed)
    exposure = tuple((code, amount) for code, amount in sorted(totals.items())
                     if profile.settlement and code != profile.settlement and amount)
    notes = []
    if not profile.settlement:
        notes.append("The profile names no settlement currency: ask in which currency payouts are made.")
    elif book_currency[0] and profile.settlement != book_currency[0]:
        notes.append(f"Payouts in {profile.settlement} are booked in {book_currency[0]} ({book_currency[1]}): "
                     f"every payout carries an exchange difference.")
    if exposure and profile.settlement:
        # A currency it does not offer is not one its payouts convert from: those customers pay in one it offers.
        kept = [c for c, _ in exposure if c not in found.removed]
        gone = [c for c, _ in exposure if c in found.removed]
        if kept:
            notes.append(f"Sales in {_words(kept)} would be converted into {profile.settlement} at the provider's rate "
                         f"on payout: exchange differences between sale and payout are yours.")
        if gone:
            notes.append(f"Sales now in {_words(gone)}, which it does not offer, would be paid in a currency it "
                         f"offers: converted likewise unless paid in {profile.settlement}.")
    home_finding = next((f for f in before.findings if f.status == "established" and not f.part_of), None)
    home_name = home_finding.name if home_finding else (places.name(home.split("-")[0]) if home else "")
    return CurrencyDelta(tuple(today), today_from, profile.currencies, profile.currency_source, profile.settlement,
                         book_currency[0], found, tuple(added), dropped, exposure, period, tuple(notes),
                         home_currency(home, before, as_of), places.in_prose(home_name) if home_name else "")
