"""Chart-of-accounts plans: the accounts a new selling currency, a new tax registration and the accrual need.

:func:`nexus.chart.read_chart` reads the current chart (CSV or XLSX: number,
name, type, currency, parent, and a group flag where the export has one).
:func:`plan` proposes what the chart lacks (:mod:`nexus.account_needs`), each
with its reason, numbered as the chart's own accountant would
(:mod:`nexus.numbering`: next to the siblings, in the chart's step, inside
their block) and placed under the siblings' parent:

* per selling currency: a bank account, a provider clearing account, and a
  receivable where the ledger keeps receivables per currency;
* once, with more than one currency: realized and unrealized FX gain/loss and
  currency rounding, unless the ledger keeps those as system accounts;
* per jurisdiction where ``nexus check`` found nexus: a tax payable named
  with the jurisdiction's own tax ("VAT payable - Netherlands (NL)");
* for the accrual of tax not collected (DECISIONS "Accounts"): a tax-exposure
  expense, an interest-and-penalties expense, and per jurisdiction an accrued
  liability kept apart from the payable returns reconcile against.

Nothing is proposed that the chart already has (:mod:`nexus.account_kinds`
tells what each of its accounts is): an existing payable counts only when it
is a tax account *for that place* (its code as a word or in parentheses, or its
name, beside a tax word), so "Bank - JPY (Mizuho)" is not Japan's consumption
tax and "Share capital" is not Italy's VAT.

What each ledger can hold (currency on which accounts, receivables per
currency, system accounts it creates itself) comes in as a
:class:`nexus.account_records.Ledger` from :mod:`nexus.targets`; the import
files are written there too. The plan's records (:class:`Plan` aside) are
:mod:`nexus.account_records`.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Mapping, Sequence

from nexus import chinese_chart, chinese_names, japanese_names, places
from nexus.account_kinds import (EXPENSE_NAMES, is_accrued_exposure, is_bank, is_clearing, names_expense,
                                 without_currency)
from nexus.account_needs import Need, currency_needs, fx_needs, tax_needs
from nexus.account_records import (GENERIC, KIND_WORDS, KINDS, AccountRef, BookOptions, Jurisdiction, Ledger,
                                   Proposal)
from nexus.chart import Account, chart_notices, notice
from nexus.errors import InputError
from nexus.numbering import Numberer, natural_key, parse


@dataclass(frozen=True)
class Plan:
    """The chart as read and the proposals for it, sorted by number: what every target writes from."""

    chart: tuple[Account, ...]
    proposals: tuple[Proposal, ...]
    options: BookOptions = field(default_factory=BookOptions)
    source: str = ""
    ledger: Ledger = GENERIC

    def by_number(self) -> dict[str, Account | Proposal]:
        found: dict[str, Account | Proposal] = {a.number: a for a in self.chart}
        found.update({p.number: p for p in self.proposals})
        return found

    def ref(self, number: str) -> AccountRef:
        """An account of the chart or of the plan, as journals address it."""
        found = self.by_number()
        if number not in found:
            raise InputError(f"account {number!r} is neither in the chart nor in the plan")
        item = found[number]
        if isinstance(item, Proposal):
            return item.ref
        return AccountRef(item.number, item.name, item.kind, item.currency,
                          _parents(item, {a.number: a for a in self.chart}))

    @property
    def notices(self) -> tuple[str, ...]:
        """What the plan's reader must know about the chart as read: the rows whose type nexus did not understand, and
        those under a parent the chart does not hold, and the accounts of the chart that new ones make headers of."""
        given, why = self.said_currency
        return chart_notices(self.chart, self.source) + tuple(
            n for n in (no_currency_notice(self.chart, self.source, given, why), new_parents_notice(self)) if n)

    @property
    def said_currency(self) -> tuple[str, str]:
        """The book currency where the user or the ledger's own book says it, and whence; ("", "") where neither
        does and the chart alone tells (:func:`kept_in`)."""
        return kept_in((), self.options.book_currency, self.options.own_currency)  # no chart: only what is said

    @property
    def book_currency(self) -> str:
        """The currency the books are kept in (:func:`kept_in`), USD where nothing says: a new GnuCash book is
        made in it, and an account without a currency of its own is kept in it."""
        return kept_in(self.chart, self.options.book_currency, self.options.own_currency)[0] or "USD"


#: Whence :func:`kept_in` knows the book currency, from the surest to the least sure.
GIVEN = "--book-currency"
OWN_BOOK = "the book's own currency"
CHART_ACCOUNTS = "the currency of the chart's accounts other than banks and clearing"
BANKS_ONLY = "the commonest currency of the chart's banks and clearing accounts: no other account names one"


def kept_in(chart: Sequence[Account], given: str = "", own: str = "") -> tuple[str, str]:
    """The currency the books are kept in, and whence it is known: ``given`` (``--book-currency``); else ``own``, the
    currency the ledger's own book says it is kept in (an existing GnuCash book's default currency); else the
    commonest currency of the chart's accounts other than banks and clearing (:func:`book_currency_of`); only where
    none of them names one, the commonest of the banks' and clearing accounts'; else ("", ""). The banks say which
    currencies the company holds: counted with the rest, a US seller's chart with 'Bank - EUR', 'Bank - EUR
    savings' and 'Bank - GBP' beside its dollar payables made a GnuCash book in euros."""
    if given:
        return given, GIVEN
    if own:
        return own, OWN_BOOK
    found = book_currency_of(chart)
    if found:
        return found, CHART_ACCOUNTS
    held: Counter[str] = Counter(a.currency for a in _live(chart) if a.currency)
    return (max(sorted(held), key=lambda c: held[c]), BANKS_ONLY) if held else ("", "")


def book_currency_of(chart: Sequence[Account], given: str = "") -> str:
    """The currency a bank or clearing account without one is kept in: ``given`` (``--book-currency``), else the
    commonest of the chart's accounts other than banks and clearing (receivables, payables, expenses), else "" (not
    known). The banks' own say which currencies the company holds, not which one it books in: a US seller's chart
    that tags only 'Bank - EUR' and 'Bank - GBP', leaving its dollar accounts blank, books in none of them (the
    provider comparison reads the book currency so too, nexus.provider_currencies.book_currency)."""
    if given:
        return given
    counts: Counter[str] = Counter(a.currency for a in _live(chart) if a.currency and a.kind not in _HOLDINGS
                                   and not is_clearing(a))
    return max(sorted(counts), key=lambda c: counts[c]) if counts else ""


#: The kinds of account a chart keeps one of per currency held (nexus.provider_currencies._HOLDINGS).
_HOLDINGS = ("bank", "current-asset")


# ---------------------------------------------------------------- what the plan says of the chart

def no_currency_notice(chart: Sequence[Account], source: str = "", given: str = "",
                       why_given: str = GIVEN) -> str:
    """One line naming each bank or provider clearing account without a currency and what the plan and the review
    count it as (:func:`book_currency_of`): the book currency's, or, where that is not known, none's; or "". Counted
    for no currency without a word, 1200 Stripe clearing in books kept in dollars had the plan propose 'Provider
    clearing - USD' beside it, and the review say 'open a USD clearing account'."""
    bare = [a for a in _live(chart) if (is_bank(a) or is_clearing(a)) and without_currency(a)]
    book = book_currency_of(chart, given)
    many = len(bare) != 1
    what = f"{len(bare)} bank or provider clearing account{'s' * many} without a currency"
    if book:
        why = why_given if given else "the currency of the chart's other accounts"
        said = (f"{what}, counted as the book currency's, {book} ({why}; where {'one' if many else 'it'} holds "
                f"another, give it that currency in the chart)")
    else:
        said = (f"{what}, and no book currency known (the chart's accounts other than banks and clearing name "
                f"none): counted for no currency, each currency sold in proposed its own (give "
                f"{'each' if many else 'it'} its currency in the chart, or the plan --book-currency)")
    return notice(bare, source, said, lambda a: "no currency")


def new_parents_notice(plan: Plan) -> str:
    """One line naming each account of the chart with no sub-accounts that the plan puts new ones under (1122 应收账款
    for 112201, 6603 财务费用 for 660301), or "": it becomes a header. Ledgers that post only to detail accounts refuse
    a sub-account under a postable one (ERPNext: "parent account can not be a ledger"), and its balance stays on it."""
    if not plan.ledger.parents:  # Xero, Odoo: no account becomes a header, as none is one
        return ""
    made = postable_parents(plan)
    one = len(made) == 1
    if not plan.ledger.converts_to_header:
        return notice(made, plan.source, f"{len(made)} account{'' if one else 's'} of the chart with no sub-accounts "
                      f"get{'s' if one else ''} new ones under {'it' if one else 'them'} in the plan; the "
                      f"{plan.ledger.name} import file puts them beside {'it' if one else 'each'}, under "
                      f"{'its' if one else 'their'} own parent, as that ledger makes no account with transactions "
                      f"a group",
                      lambda a: "new accounts " + ", ".join(p.number for p in plan.proposals if p.parent == a.number))
    return notice(made, plan.source, f"{len(made)} account{'' if one else 's'} of the chart with no sub-accounts "
                  f"get{'s' if one else ''} new ones under {'it' if one else 'them'} and become"
                  f"{'s a header' if one else ' headers'}: mark {'it' if one else 'each'} a group in the ledger "
                  f"(a header, a placeholder) before the import, and move its balance to a sub-account",
                  lambda a: "new sub-accounts " + ", ".join(p.number for p in plan.proposals if p.parent == a.number))


def book_currency_notice(chart: Sequence[Account], book: str, source: str = "") -> str:
    """A line where the chart keeps its accounts other than banks and clearing in another currency than ``book``,
    the journal's (the check's reporting currency unless given), or "" (:func:`kept_in`): a Japanese chart's yen
    books would take a dollar entry, which every ledger's import but GnuCash's takes as it is (a GnuCash book in
    another currency stops the plan the journal posts with, :func:`make_plan`). Banks alone say nothing of it: a
    dollar chart with two euro banks and a pound one was told it keeps its books in euros, to give --book-currency
    EUR."""
    kept, whence = kept_in(chart)
    if kept == book or whence != CHART_ACCOUNTS:
        return ""
    return (f"{source}: the chart keeps its accounts other than banks and clearing in {kept}, and the entry is "
            f"booked in {book}, the check's reporting currency: where the books are kept in {kept}, give "
            f"--book-currency {kept}")


def postable_parents(plan: Plan) -> list[Account]:
    """The accounts of the chart with no sub-accounts that the plan puts new ones under (6603 财务费用 for 660301)."""
    parents = {p.parent for p in plan.proposals}
    return [a for a in plan.chart if a.number in parents and not a.group]


def _parents(account: Account | Proposal, by_number: Mapping[str, Account]) -> tuple[tuple[str, str], ...]:
    """(number, name) of each ancestor in the accounts ``by_number``, from the top down; a loop in the chart stops the
    walk."""
    chain: list[tuple[str, str]] = []
    current = by_number.get(account.parent)
    while current is not None and all(current.number != n for n, _ in chain) and current.number != account.number:
        chain.append((current.number, current.name))
        current = by_number.get(current.parent)
    return tuple(reversed(chain))


# ---------------------------------------------------------------- making the plan

def plan(chart: Sequence[Account], currency_codes: Sequence[str], jurisdictions: Sequence[Jurisdiction] = (),
         ledger: Ledger = GENERIC, book_currency: str = "") -> list[Proposal]:
    """Proposals for new currencies, tax registrations and the accrual, numbered in the chart's scheme; a bank or
    clearing account without a currency is the book currency's (``book_currency``, else the chart's commonest).

    The list is sorted by number. Each account goes after its siblings (the
    accounts of the same pattern: currency banks, clearing accounts, tax
    payables...), or after the accounts of its kind when it has none; a full
    block opens the closest empty one (:class:`nexus.numbering.Numberer`).
    """
    places_found = [_as_jurisdiction(j) for j in jurisdictions]
    live = _live(chart)
    return _proposed(chart, currency_needs(live, currency_codes, ledger, book_currency_of(chart, book_currency))
                     + fx_needs(live, currency_codes, ledger) + tax_needs(live, places_found, ledger))


def _live(chart: Sequence[Account]) -> list[Account]:
    """The accounts in use: an inactive account's number stays taken, but it is no sibling to number by."""
    return [a for a in chart if not a.inactive]


def _proposed(chart: Sequence[Account], needs: Sequence[Need]) -> list[Proposal]:
    """``needs`` as proposals numbered in the chart's scheme, in order (:func:`plan`)."""
    numbers = {a.number for a in chart}
    live = _live(chart)
    # a chart following China's standards keeps each first-level code for the account the standard gives it
    standard = chinese_chart.standard_of(chart)
    numberer = Numberer((a.number for a in chart), (a.number for a in chart if a.parent not in numbers),
                        standard.codes if standard else ())
    # Each pattern is looked for in the chart once (a 5,000-account chart is scanned per pattern, not per
    # proposal); the accounts proposed so far join the siblings of their own group, and of their kind.
    scans: dict[tuple[str, str], list[Account]] = {}

    def scan(key: str, level: str, test: Callable[[Account], bool]) -> list[Account]:
        if (key, level) not in scans:
            scans[(key, level)] = [a for a in chart if test(a)]
        return scans[(key, level)]

    @lru_cache(maxsize=None)
    def first_levels(name: str) -> str:  # the chart's account the standard names so (其他货币资金: 1012), looked up once
        return chinese_chart.first_level(live, name)

    japanese = japanese_names.is_japanese([a.name for a in live])
    known = list(chart)  # the chart and the first-level accounts the plan opens (1012 其他货币资金)
    by_number = {a.number: a for a in chart}
    children: dict[str, list[str]] = {}
    for a in chart:
        children.setdefault(a.parent, []).append(a.number)
    added: list[tuple[str, Account]] = []
    proposals: list[Proposal] = []
    for need in needs:
        key = need.purpose.split(":")[0].replace("fx-unrealized", "fx-realized")
        same = [a for k, a in added if k == key]
        mine = scan(key, "pattern", need.siblings) + same
        if standard and need.home and len({a.parent for a in mine}) > 1:  # 支付宝 under 1012, PayPal under 1221
            mine = [a for a in mine if a.parent == first_levels(need.home)] or mine  # the standard's place first
        # no account of its pattern yet: in a Chinese chart, a detail account of the standard's first-level account
        home = chinese_chart.first_level(live, need.home) if standard and need.home and not mine else ""
        if standard and need.opens_home and not mine and not home:
            opened = _open_first_level(standard, need, known, numberer)
            if opened is not None:
                known.append(opened.account)
                by_number[opened.number] = opened.account
                proposals.append(opened.proposal)
                home = opened.number
        if not mine and need.broader is not None:
            mine = scan(key, "broader", need.broader)
        beside = _beside(need, [] if mine or home or need.own_block is None else
                         scan(key, "own block", need.own_block) + [a for _, a in added if need.own_block(a)])
        if not mine and not beside:
            mine = [a for a in scan(need.kind, "kind", lambda a: a.kind == need.kind and not a.group)
                    + [a for _, a in added if a.kind == need.kind] if not (need.avoid and need.avoid(a))]
        what = f"{need.name} ({KIND_WORDS[need.kind].lower()})"
        under = home or _coded_parent(mine, by_number)
        if under:  # a sub-number of the parent, after all its sub-accounts (2221 应交税费: 222101 ... 222109)
            siblings = children.get(under, []) + [a.number for _, a in added if a.parent == under]
            number = numberer.next(siblings, KINDS[need.kind], what, (under, by_number[under].name))
        else:
            number = numberer.next([a.number for a in mine or beside], KINDS[need.kind], what,
                                   apart=need.own_block_words if beside else "")
        numberer.take(number)
        parent = under or _common_parent(_numbered_among(mine, number))
        name = (_in_chart_language(need, parent, known, by_number) or _as_deposits_are(need, mine)
                or (_in_japanese(need) if japanese else "") or need.name)
        account = Account(number, name, need.kind, need.currency, parent, need.kind, 0)
        added.append((key, account))
        proposals.append(Proposal(number, name, need.kind, need.currency, parent, need.reason, need.purpose,
                                  _parents(account, by_number), numberer.why))
    return sorted(proposals, key=lambda p: natural_key(p.number))


def _beside(need: Need, accounts: Sequence[Account]) -> list[Account]:
    """The accounts ``need`` opens a block of its own beside (:attr:`Need.own_block`), or none: where any of them
    stands under a header, the header keeps them apart already (``avoid``) and the account follows its kind."""
    return [] if any(a.parent for a in accounts) else list(accounts)


@dataclass(frozen=True)
class _Opened:
    """A first-level account the plan opens at the standard's code, as the chart and as the plan hold it."""

    account: Account
    proposal: Proposal

    @property
    def number(self) -> str:
        return self.account.number


def _open_first_level(standard: chinese_chart.Standard, need: Need, chart: Sequence[Account],
                      numberer: Numberer) -> _Opened | None:
    """The standard's first-level account for ``need`` (1012 其他货币资金 for a provider's clearing account, 2801 预计负债
    for an accrued exposure), opened at the standard's code in the chart's script, where that code is free; None
    where the chart uses it otherwise, or the standard gives the account no code (小企业会计准则 has no 预计负债).

    企业会计准则——应用指南 and 小企业会计准则, 附录 会计科目: 1012 其他货币资金 holds the deposits that are not 银行存款,
    and a balance held with a payment institution is one. A chart recognised as following the standard keeps 1012
    for it even where it has not opened it: the clearing account is its detail account (101201), not a first-level
    code of its own elsewhere (1409 past 1405 库存商品), named in English.
    """
    code = chinese_chart.code_of(standard, need.home)
    if not code or any(a.number == code for a in chart):  # the standard's codes are reserved, not used
        return None
    name = chinese_chart.in_script(need.home, chinese_names.script_of(" ".join(a.name for a in chart)))
    numberer.take(code)
    why = f"the code {standard.title} gives {name} (附录 会计科目)"
    reason = need.opens_home.format(standard=standard.title, code=code, name=name)
    account = Account(code, name, need.kind, "", "", need.kind, 0, group=True)
    return _Opened(account, Proposal(code, name, need.kind, "", "", reason, f"first-level:{code}", (), why, True))


def _in_chart_language(need: Need, parent: str, chart: Sequence[Account], by_number: Mapping[str, Account]) -> str:
    """``need``'s name as a Chinese accountant names a detail account under ``parent``, or "" to keep its own.

    Under an account that is, or is under, one of the standards' first-level accounts (银行存款, 其他货币资金,
    营业外支出, 财务费用: data/cn-account-codes.csv), a new account is named in Chinese, in the parent's script, and
    with the parent's name before a dash where its detail accounts carry it (银行存款-工商银行: 银行存款-美元户).
    A name already Chinese (应交德国增值税 (DE)) takes the dash the same way; a word without a Chinese name keeps
    the English name, as does every account under another parent.
    """
    home = by_number.get(parent)
    if home is None:
        return ""
    chain = [by_number[n] for n, _ in _parents(home, by_number)] + [home]
    if not any(chinese_chart.is_first_level(a.name) for a in chain):
        return ""
    siblings = [a.name for a in chart if a.parent == home.number]
    script = chinese_names.script_of(" ".join([a.name for a in chain] + siblings))
    word = need.native(script) if need.native else ("" if need.name.isascii() else need.name)
    if not word:
        return ""
    dashed = next((sep for sep in ("-", "－", "—") if any(n.startswith(home.name + sep) for n in siblings)), "")
    return f"{home.name}{dashed}{word}" if dashed and not word.startswith(home.name) else word


def _as_deposits_are(need: Need, siblings: Sequence[Account]) -> str:
    """A new bank named as a Japanese chart's own deposits are (外貨預金(USD), or 外貨預金EUR beside 外貨預金USD), or "":
    the plan's own proposals (line 0) set no pattern, so that 普通預金(JPY) does not make the dollar one 普通預金(USD)."""
    if not need.purpose.startswith("bank:"):
        return ""
    return japanese_names.bank_name(need.purpose.split(":")[1],
                                    [a.name for a in siblings if a.kind == "bank" and a.line])


def _in_japanese(need: Need) -> str:
    """``need``'s name in a chart written in Japanese (売掛金(決済代行・USD), 雑損失, 仮受消費税等), or "" where
    data/account-names-ja.csv has none and the English name stays. Banks are named beside the deposits instead."""
    kind, _, code = need.purpose.partition(":")
    if kind == "bank":
        return ""
    return japanese_names.account_name(need.purpose) or (japanese_names.account_name(kind, code) if code else "")


def make_plan(chart: Sequence[Account], currency_codes: Sequence[str], jurisdictions: Sequence[Jurisdiction] = (),
              ledger: Ledger = GENERIC, options: BookOptions = BookOptions(), source: str = "") -> Plan:
    """:func:`plan`, kept with the chart and the book's facts: what the ledger targets write from."""
    from nexus import currencies

    found = currencies.facts(options.book_currency) if options.book_currency else None
    if options.book_currency and found is None:
        raise InputError(f"book currency {options.book_currency!r} is not an ISO 4217 currency code")
    if found is not None and not found.current:  # a book in kuna would be opened in a currency no one pays in
        successor = f": use {found.successor}, its successor" if found.successor else ""
        raise InputError(f"book currency {found.code!r} was withdrawn ({found.withdrawn}){successor}")
    if found is not None and (found.minor_units is None or found.fund):  # gold, 'no currency', CLF: as the journal
        from nexus.review import not_money_reason

        why = ("ISO 4217 gives it no minor unit (a metal, a fund or testing code, or XXX, no currency)"
               if found.minor_units is None else not_money_reason(found.code))
        raise InputError(f"book currency {found.code!r} is not money books are kept in: {why}")
    if options.book_currency and options.own_currency and options.book_currency != options.own_currency:
        # the ledger keeps a new account without a currency in the book's own: the plan would say otherwise
        raise InputError(f"book currency {options.book_currency!r}: the book written into is kept in "
                         f"{options.own_currency}, in which it keeps every new account without a currency of its own; "
                         f"give --book-currency {options.own_currency}, or write into another book")
    book = options.book_currency or options.own_currency
    return Plan(tuple(chart), tuple(plan(chart, currency_codes, jurisdictions, ledger, book)), options, source, ledger)


def _common_parent(siblings: Sequence[Account]) -> str:
    """The parent new siblings go under: the one the chart's siblings share (the last one's on a split).

    With none in the chart, the one the group's first new account went under (beside the accounts of its kind),
    so that the second accrued exposure does not fall out of the header the first was put under.
    """
    parents = [a.parent for a in siblings if a.line] or [a.parent for a in siblings]  # the chart's own first
    return parents[-1] if parents and parents[-1] else ""


def _numbered_among(siblings: Sequence[Account], number: str) -> list[Account]:
    """The siblings ``number`` was numbered among, those of its family (nexus.numbering: 2200-30 among 2200-10 and
    2200-20), else all: siblings of several families (a kind's accounts in a chart numbered with dashes, 2000-20
    and 2200-10) gave the new account the last one's parent, whatever family its number was taken in, so that
    2100-50, numbered among the tax payables, was put under 2200 Accrued expenses."""
    family = parse(number)
    same = [a for a in siblings if family is not None and (p := parse(a.number)) is not None
            and p.family == family.family]
    return same or list(siblings)


def _coded_parent(siblings: Sequence[Account], by_number: Mapping[str, Account]) -> str:
    """The parent a new sibling goes under where the chart numbers sub-accounts by extending their parent's number
    (2221 应交税费 over 222101, 222102; 1002 银行存款 over 100201), else "": the new account is one of its
    sub-numbers, never a number of that length outside it, nor one under it without the parent (2221xx top-level).

    The siblings it follows are those of the number length most of them have (the longest on a tie), as
    :meth:`nexus.numbering.Numberer.next` picks them; the parent is that of the last of them. China's charts
    number so (企业会计准则 应用指南: four-digit first-level accounts, two digits a level below); "1010" under
    "1000" does not extend its parent's number and keeps the blocks of :mod:`nexus.numbering`.
    """
    lengths = Counter(len(a.number) for a in siblings)
    if not lengths:
        return ""
    length = max(lengths, key=lambda n: (lengths[n], n))
    last = max((a for a in siblings if len(a.number) == length), key=lambda a: natural_key(a.number))
    return last.parent if last.parent in by_number and _extends(last.number, last.parent) else ""


def _extends(number: str, parent: str) -> bool:
    """Whether ``number`` is ``parent``'s number with digits after it: 222101 under 2221."""
    return len(number) > len(parent) > 0 and number.startswith(parent) and number[len(parent):].isdigit()


def _as_jurisdiction(j: Jurisdiction | tuple[str, str, str]) -> Jurisdiction:
    if isinstance(j, Jurisdiction):
        return j
    code, tax, why = j
    return Jurisdiction(code, places.name(code), tax, "", why, accrue=False)


def missing_accounts(chart: Sequence[Account], codes: Sequence[str], ledger: Ledger = GENERIC,
                     made: Plan | None = None) -> dict[str, list[tuple[str, str]]]:
    """For each currency, the (kind, name) of the accounts the chart lacks to sell in it: one pass over the chart.

    Named as :func:`plan` proposes them, through the plan itself: under a Japanese chart 外貨預金(BHD), under a
    Chinese one 银行存款-巴林第纳尔户, where the review named them "Bank - BHD" while the plan and the provider
    comparison on the same chart named them in the chart's language. The first-level account a Chinese chart gets
    opened for them (1012 其他货币资金) belongs to no currency and is left out, as the plan's header.

    ``made``, a plan of the same chart and ledger already made (``accounts plan`` makes one), gives the names where it
    proposes these very accounts first, as a plan of them alone would: numbering the chart again for them took a
    third of that command's time on a 5,000-account chart."""
    found: dict[str, list[tuple[str, str]]] = {code: [] for code in codes}
    # bank, clearing, receivable: the order they are said in; without a currency, the book's (the plan's, if made)
    needs = currency_needs(_live(chart), codes, ledger,
                           book_currency_of(chart, made.said_currency[0] if made is not None else ""))
    if made is not None and {n.purpose for n in needs} == {
            p.purpose for p in made.proposals if p.purpose.split(":")[0] in _CURRENCY_PURPOSES}:
        named = {p.purpose: p.name for p in made.proposals}
    else:
        named = {p.purpose: p.name for p in _proposed(chart, needs)}
    for need in needs:
        kind, code = need.purpose.split(":")
        found[code].append((kind, named[need.purpose]))
    return found


#: The purposes of the accounts one currency needs (:func:`currency_needs`), before the colon and its code.
_CURRENCY_PURPOSES = ("bank", "clearing", "receivable")
#: The accounts selling in several currencies needs whatever the currencies: no currency owns them.
_FX_PURPOSES = ("fx-realized", "fx-unrealized", "rounding")


def missing_fx_accounts(chart: Sequence[Account], codes: Sequence[str],
                        ledger: Ledger = GENERIC) -> list[tuple[str, str]]:
    """(name, reason) of the FX gain/loss and rounding accounts the chart lacks to sell in ``codes``, named as
    :func:`plan` proposes them (折算尾差 under a Chinese chart's 财务费用, not "Currency rounding"): no currency owns
    them, so a review that names each currency's accounts would pass over them."""
    found = [p for p in _proposed(chart, fx_needs(_live(chart), codes, ledger)) if p.purpose in _FX_PURPOSES]
    return [(p.name, p.reason) for p in sorted(found, key=lambda p: _FX_PURPOSES.index(p.purpose))]


def missing_for_currency(chart: Sequence[Account], code: str, ledger: Ledger = GENERIC) -> list[str]:
    """Names of the accounts a chart lacks to sell in ``code``."""
    return [name for _, name in missing_accounts(chart, [code], ledger)[code]]


# ---------------------------------------------------------------- the accrual's accounts

def accrual_account(plan: Plan, purpose: str, place: Jurisdiction | None = None) -> AccountRef | None:
    """The account the accrual posts to for ``purpose`` (``tax-exposure``, ``tax-penalties``, ``accrued``):
    the plan's proposal for it, else the chart's own account that made the plan propose none; None if neither.

    The chart is searched as :func:`plan` searched it, among accounts that can be posted to (not headers):
    an expense named for tax exposure, an expense named for penalties, a liability for the accrued
    exposure of ``place`` (named for it, kept apart from its tax payable).
    """
    key = f"accrued:{place.key}" if purpose == "accrued" and place is not None else purpose
    proposed = next((p for p in plan.proposals if p.purpose == key), None)
    if proposed is not None:
        return proposed.ref
    postable = [a for a in plan.chart if not a.group and not a.inactive]
    if purpose in EXPENSE_NAMES:
        found = [a for a in postable if names_expense(a, purpose)]
    elif purpose == "accrued" and place is not None:
        found = [a for a in postable if is_accrued_exposure(a) and place.names(a)]
    else:
        raise ValueError(f"unknown accrual purpose {purpose!r}")
    return plan.ref(found[0].number) if found else None
