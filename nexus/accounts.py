"""Chart-of-accounts plans: the accounts a new selling currency, a new tax registration and the accrual need.

:func:`nexus.chart.read_chart` reads the current chart (CSV or XLSX: number,
name, type, currency, parent, and a group flag where the export has one).
:func:`plan` proposes what the chart lacks, each with its reason, numbered as
the chart's own accountant would (:mod:`nexus.numbering`: next to the
siblings, in the chart's step, inside their block) and placed under the
siblings' parent:

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

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Mapping, Sequence

from nexus import chinese_chart, chinese_names, japanese_names, places
from nexus.account_kinds import (EXPENSE_NAMES, PENALTIES, TAX_WORDS, currencies_in_name, in_sentence,
                                 is_accrued_exposure, is_bank, is_clearing, is_receivable, is_tax_payable,
                                 names_expense, without_currency)
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
    provider comparison reads the book currency so too, nexus.provider.book_currency)."""
    if given:
        return given
    counts: Counter[str] = Counter(a.currency for a in _live(chart) if a.currency and a.kind not in _HOLDINGS
                                   and not is_clearing(a))
    return max(sorted(counts), key=lambda c: counts[c]) if counts else ""


#: The kinds of account a chart keeps one of per currency held (nexus.provider._HOLDINGS).
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


# ---------------------------------------------------------------- what is needed

#: Exchange gain/loss accounts as Japanese, Chinese and Korean charts name them, with no English word: 為替差損益
#: (or 為替差益, 為替差損), 汇兑损益 / 匯兌損益, 외환차손익 (외환차익, 외환차손) on settlement; Korea's 외화환산손익
#: (외화환산이익, 외화환산손실) is the translation of open balances at period end: the unrealized one.
_NATIVE_FX = re.compile(r"為替差(損益|益|損)|汇兑损益|匯兌損益|외환차(손익|익|손)")
_NATIVE_UNREALIZED_FX = re.compile(r"외화환산(손익|이익|손실)")


def _fx(name: str) -> bool:
    return bool(re.search(r"(exchange|\bfx\b|forex|currency).*(gain|loss)|(gain|loss).*(exchange|\bfx\b)", name, re.I)
                or _NATIVE_FX.search(name) or _NATIVE_UNREALIZED_FX.search(name))


@dataclass(frozen=True)
class _Need:
    purpose: str
    kind: str
    name: str
    currency: str
    reason: str
    siblings: Callable[[Account], bool]                 # the accounts of the same pattern
    broader: Callable[[Account], bool] | None = None     # where to look when there are none
    #: In a chart following China's standards, the first-level account (by the standard's name) the account is a
    #: detail account of, where the chart has no account of its pattern yet: 其他货币资金 for a clearing account.
    home: str = ""
    #: Its name in Chinese for a script (``hans``, ``hant``), or "" where a word has none: what it is named under a
    #: Chinese chart's account (美元户 under 银行存款), where ``name`` is the English one.
    native: Callable[[str], str] | None = None
    #: Why the plan opens ``home`` at the standard's code where the chart lacks it, with ``{standard}``, ``{code}``
    #: and ``{name}`` to fill (1012 其他货币资金 for the clearing accounts: the standard gives them no other place);
    #: "" where it does not, and the account is numbered as in any chart.
    opens_home: str = ""
    #: Accounts it is never numbered beside, even as the last resort of its kind: an accrued exposure is kept apart
    #: from the tax payables (DECISIONS "Accounts"), so it does not follow them under their header (a Chinese
    #: chart's 2221 应交税费, a dash chart's 2100 Sales tax payable).
    avoid: Callable[[Account], bool] | None = None
    #: Where it has no account of its pattern nor a broader one, the accounts it is kept apart from in a block of its
    #: own beside theirs, and their name in words: the first accrued exposure opens the block next to the tax
    #: payables' (2200 beside 2100-2110, 2200-10 beside 2100-10, 211000 beside 210000-210100) where they stand under
    #: no header, rather than follow the kind's last account into another run (the payables' own in a dash chart).
    own_block: Callable[[Account], bool] | None = None
    own_block_words: str = ""


#: The header of a Chinese chart's "other monetary funds" (企业会计准则 应用指南 1012 其他货币资金): balances held
#: with payment institutions (支付宝, 微信支付, a provider's settlement) are its sub-accounts, not bank accounts.
_OTHER_FUNDS = re.compile(r"其他货币资金|其他貨幣資金")


#: Why a Chinese chart gets 1012 其他货币资金 opened for the provider's clearing accounts.
_OPENS_FUNDS = ("{standard} keeps the balances held with payment institutions in {code} {name}: the provider's "
                "clearing accounts are its detail accounts.")
#: Why a chart following 企业会计准则 gets 2801 预计负债 opened for the accrued exposures (小企业会计准则 has none).
_OPENS_PROVISION = ("企业会计准则第13号——或有事项 第四条 recognises the obligation of an uncertain matter, measured at the "
                    "best estimate, as {code} {name}: the accrued tax exposures are its detail accounts, apart from "
                    "2221 应交税费, which the returns reconcile against.")


def _currency_needs(chart: Sequence[Account], codes: Sequence[str], ledger: Ledger, book: str = "") -> list[_Need]:
    """Bank, clearing and (where the ledger keeps them per currency) receivable accounts each currency lacks.

    Under a Chinese chart's 其他货币资金 the accounts are the chart's clearing accounts: a provider's balance
    goes there beside 支付宝 (101203 under 1012), and a new bank goes under 银行存款, not there. A bank or clearing
    account without a currency (none given, none in its name) is the ``book`` currency's, where there is one
    (:func:`book_currency_of`), as the ledgers keep an account without a currency in the book's own.
    """
    funds = {a.number for a in chart if a.group and _OTHER_FUNDS.search(a.name)}
    is_fund = lambda a: a.parent in funds and not a.group  # noqa: E731
    is_bank_here = lambda a: is_bank(a) and not is_fund(a)  # noqa: E731
    is_clearing_here = lambda a: is_clearing(a) or is_fund(a)  # noqa: E731
    in_book = {book} if book else set()
    banks = {a.currency for a in chart if is_bank_here(a)} | {
        c for a in chart if is_bank_here(a) and not a.currency for c in currencies_in_name(a.name)} | {
        native.deposit_currency(a.name) for a in chart if is_bank_here(a) and not a.currency
        for native in (japanese_names, chinese_names)} | {
        c for a in chart if is_bank_here(a) and without_currency(a) for c in in_book} - {""}
    clearing = {a.currency for a in chart if is_clearing_here(a)} | {
        c for a in chart if is_clearing_here(a) for c in currencies_in_name(a.name)} | {
        c for a in chart if is_clearing_here(a) and without_currency(a) for c in in_book}
    # A Chinese chart's first-level 应收账款 is where per-currency receivables go (112201 美元客户), its detail
    # accounts: once they are there it is a header, so its own currency needs one too (112202 人民币客户)
    standard = chinese_chart.standard_of(chart)
    # a provider's balance (売掛金(決済代行・USD), "Stripe clearing" typed Receivable) is no customers' receivable
    is_receivable_here = lambda a: is_receivable(a) and not is_clearing_here(a) and not (  # noqa: E731
        standard and chinese_chart.simplified(a.name) == "应收账款")
    receivables = {a.currency for a in chart if is_receivable_here(a)} | {
        c for a in chart if is_receivable_here(a) and not a.currency for c in currencies_in_name(a.name)}
    # a Japanese chart's clearing account is a 売掛金 (売掛金(決済代行・USD)): with none yet, it goes beside 売掛金
    beside_receivables = is_receivable_here if japanese_names.is_japanese([a.name for a in chart]) else None
    wanted: list[_Need] = []
    for code in codes:
        carries = {k: code if k in ledger.currency_kinds else "" for k in ("bank", "current-asset", "receivable")}
        if code not in banks and "bank" not in ledger.creates_itself:
            wanted.append(_Need(f"bank:{code}", "bank", f"Bank - {code}", carries["bank"],
                                f"Payouts in {code} need a bank account in {code}.", is_bank_here, home="银行存款",
                                native=_native("bank", code)))
        if code not in clearing and "clearing" not in ledger.creates_itself:
            wanted.append(_Need(f"clearing:{code}", "current-asset", f"Provider clearing - {code}",
                                carries["current-asset"],
                                f"The ecommerce provider settles {code} sales here before payout.",
                                is_clearing_here, beside_receivables, home="其他货币资金", opens_home=_OPENS_FUNDS,
                                native=_native("clearing", code)))
        if ledger.receivables_per_currency and code not in receivables and "receivable" not in ledger.creates_itself:
            wanted.append(_Need(f"receivable:{code}", "receivable", f"Accounts receivable - {code}",
                                carries["receivable"], f"{ledger.name} keeps receivables per currency: one for {code}.",
                                is_receivable_here, home="应收账款",
                                native=_native("receivable", code)))
    # numbered sort by sort, each currency in the list's order: a Japanese chart's clearing accounts and
    # receivables both follow its 売掛金, and taken currency by currency they would interleave (1210 clearing,
    # 1220 receivable, 1230 clearing...)
    sorts = ("bank", "clearing", "receivable")
    return sorted(wanted, key=lambda need: sorts.index(need.purpose.split(":")[0]))


def _native(purpose: str, code: str) -> Callable[[str], str]:
    """The Chinese name of ``purpose``'s account in ``code``, for a script (美元户 for a USD bank, hans)."""
    return lambda script: chinese_names.account_name(purpose, script, code)


def _native_risk(j: Jurisdiction) -> Callable[[str], str]:
    """The Chinese name of ``j``'s accrued exposure under 预计负债, for a script (德国增值税风险 (DE), hans)."""
    return lambda script: chinese_names.tax_risk(j.code, j.tax, script)


#: A rounding account's name: "Rounding", "Currency rounding", ERPNext's "Round Off"; never "Background checks".
_ROUNDING = re.compile(r"\b(round|rounding|roundings|rounded|roundoff|round-off)\b", re.I)
#: An unrealized FX account names the currency side too: "Unrealized gain on investments" is not one.
_UNREALIZED_FX = re.compile(r"\bunreali[sz]ed\b", re.I)
_FX_WORD = re.compile(r"\b(fx|forex|exchange|currency|currencies|foreign)\b", re.I)


def _is_rounding(name: str) -> bool:
    """A rounding account: "Currency rounding", "Round Off", a Chinese chart's 折算尾差, or a Japanese chart's 雑損失,
    where Japanese bookkeeping puts the yen left over by a conversion or a netting."""
    return bool(_ROUNDING.search(name)) or any(
        w in name for w in chinese_names.account_words("rounding") + japanese_names.account_words("rounding"))


def _is_unrealized_fx(name: str) -> bool:
    return bool(_UNREALIZED_FX.search(name) and _FX_WORD.search(name) or _NATIVE_UNREALIZED_FX.search(name))


#: An FX account that names the settlement side: "Realized FX gain/loss", "FX gain on settlement", Korea's 외환차손익
#: (외환차익, 외환차손: differences on settlement, K-IFRS charts keep the translation in 외화환산손익).
_REALIZED_FX = re.compile(r"\breali[sz]ed\b|\bsettle(d|ment|ments)?\b|외환차(손익|익|손)", re.I)


def _is_combined_fx(name: str) -> bool:
    """An FX gain/loss account that names neither side: 為替差損益, 汇兑损益, "Foreign exchange gain/loss".

    The standards book both sides in it: 外貨建取引等会計処理基準 一 2 (2) and 一 3 (the translation at the balance
    sheet date and the differences on settlement, each 当期の為替差損益), 企业会计准则第19号 第十一条 with the
    应用指南's 6603 财务费用 (汇兑损益 of settlement and of translation alike, 计入当期损益), IAS 21.28.
    """
    return _fx(name) and not _is_unrealized_fx(name) and not _REALIZED_FX.search(name)


def _rounding_reason(codes: Sequence[str]) -> str:
    """Why a rounding account, for this company: conversions, and its own currencies whose minor unit is not two
    (the reason goes into the ledger: NetSuite's Description)."""
    from nexus import currencies

    odd = []
    for code in dict.fromkeys(codes):
        found = currencies.facts(code)
        if found is not None and found.minor_units is not None and found.minor_units != 2:
            odd.append(f"{code} {'no' if found.minor_units == 0 else found.minor_units} decimals")
    return "Conversions between currencies leave rounding differences" + (
        f", and so do minor units ({', '.join(odd)})." if odd else ".")


#: A Chinese chart's financial expenses (6603 财务费用), whose detail 汇兑损益 takes every exchange difference.
_FINANCE_EXPENSES = re.compile(r"财务费用|財務費用")


def _fx_needs(chart: Sequence[Account], codes: Sequence[str], ledger: Ledger) -> list[_Need]:
    if len(set(codes) | {a.currency for a in chart if a.currency}) < 2:  # FX only with two currencies
        return []
    wanted: list[_Need] = []
    names = [a.name for a in chart]
    fx = lambda a: _fx(a.name)  # noqa: E731
    # 财务费用 with detail accounts, or the first-level 6603 (5603) 财务费用 itself with none yet: its first detail
    finance = next((a for a in chart if (a.group and _FINANCE_EXPENSES.search(a.name))
                    or chinese_chart.simplified(a.name) == "财务费用"), None)
    japanese = japanese_names.is_japanese(names)
    if finance is not None and not any(_fx(n) for n in names):
        # A Chinese chart books both sides to one 汇兑损益 under 财务费用 (企业会计准则第19号 第十一条; 应用指南 6603)
        name = "匯兌損益" if chinese_names.script_of(finance.name) == "hant" else "汇兑损益"
        wanted.append(_Need("fx-realized", "other-expense", name, "",
                            f"Exchange differences on settlement and at the balance sheet date, both booked to "
                            f"{finance.name} - {name} (企业会计准则第19号 第十一条).", fx,
                            lambda a: a.parent == finance.number, home="财务费用"))
    elif japanese and not any(_fx(n) for n in names):
        # A Japanese chart books both sides to one 為替差損益 (外貨建取引等会計処理基準 一 3, 一 2 (2))
        wanted.append(_Need("fx-realized", "other-income", japanese_names.account_name("fx"), "",
                            "Exchange differences on settlement and at the balance sheet date are both "
                            "当期の為替差損益 (外貨建取引等会計処理基準 一 3, 一 2 (2)): one account for both.", fx))
    elif not any(_fx(n) and not _UNREALIZED_FX.search(n) and not _NATIVE_UNREALIZED_FX.search(n) for n in names):
        wanted.append(_Need("fx-realized", "other-income", "Realized FX gain/loss", "",
                            "Selling in more than one currency realizes exchange gains and losses on settlement.", fx))
    # One account for both sides (為替差損益, 汇兑损益, "Foreign exchange gain/loss") is the chart's unrealized account
    # too, unless the chart keeps an unrealized one beside it: then it is the realized one, as read above.
    combined = any(n.purpose == "fx-realized" and _is_combined_fx(n.name) for n in wanted)
    if finance is None and not combined and not any(_is_unrealized_fx(n) or _is_combined_fx(n) for n in names):
        wanted.append(_Need("fx-unrealized", "other-income", "Unrealized FX gain/loss", "",
                            "Open balances in foreign currencies are revalued at period end.", fx))
    if not any(_is_rounding(n) for n in names):
        wanted.append(_Need("rounding", "other-expense", "Currency rounding", "",
                            _rounding_reason(codes),
                            lambda a: _is_rounding(a.name),
                            # beside 汇兑损益 under a Chinese chart's 财务费用: a difference of the conversion
                            None if finance is None else lambda a: a.parent == finance.number,
                            home="财务费用" if finance is not None else "",
                            native=lambda script: chinese_names.account_name("rounding", script)))
    return [n for n in wanted if n.purpose not in ledger.creates_itself]


#: Accrued expenses, which the first accrued exposure follows: in English, or as Japanese (未払費用), Korean
#: (미지급비용) and Chinese (预提费用, 应计费用, 應計費用) charts name them.
_ACCRUED_EXPENSES = re.compile(r"\baccrued\b|\baccruals?\b|未払費用|미지급비용|预提费用|应计费用|應計費用", re.I)


#: The header of a chart's taxes payable, where the chart keeps them as its sub-accounts: China's 应交税费 (企业会计准则
#: 应用指南 and 小企业会计准则, account 2221; 应交税金 before 2007), 應交稅費 in traditional characters.
_TAX_HEADERS = re.compile(r"应交税费|應交稅費|应交税金|應交稅金")


def _tax_siblings(chart: Sequence[Account]) -> Callable[[Account], bool]:
    """What a new tax payable is numbered beside: the chart's tax payables, and every account under a header of
    taxes payable (222101 应交增值税, 222106 应交企业所得税 under 2221 应交税费), which its accountant adds it to."""
    headers = {a.number for a in chart if a.kind == "current-liability" and _TAX_HEADERS.search(a.name)}
    return lambda a: is_tax_payable(a) or (a.parent in headers and a.kind == "current-liability")


def _tax_needs(chart: Sequence[Account], places_found: Sequence[Jurisdiction], ledger: Ledger) -> list[_Need]:
    payables = [a for a in chart if is_tax_payable(a)]
    beside = _tax_siblings(chart)
    accrued = [a for a in chart if is_accrued_exposure(a)]
    # Under a Chinese chart's 应交税费 a new payable is named as its sub-accounts are: 应交德国增值税 (DE)
    header = next((a for a in chart if a.group and a.kind == "current-liability" and _TAX_HEADERS.search(a.name)), None)
    wanted: list[_Need] = []
    ordered = sorted(places_found, key=lambda j: j.code)
    for j in ordered:
        if not any(j.names(a) for a in payables):
            currency = j.currency if "current-liability" in ledger.currency_kinds else ""
            name = chinese_names.tax_payable(j.code, j.tax, chinese_names.script_of(header.name)) if header else ""
            wanted.append(_Need(f"tax:{j.key}", "current-liability", name or f"{j.tax} payable - {j.name} ({j.code})",
                                currency, j.reason, beside, home="应交税费"))
    accruing = [j for j in ordered if j.accrue]
    if not accruing:
        return wanted
    if not any(names_expense(a, "tax-exposure") for a in chart):
        wanted.append(_Need("tax-exposure", "expense", "Tax exposure expense", "",
                            "The accrual of tax owed but not collected is expensed here.",
                            lambda a: bool(re.search(r"tax exposure", a.name, re.I)) and a.kind == "expense",
                            lambda a: a.kind == "expense" and not a.group and bool(TAX_WORDS.search(a.name)),
                            # 应用指南 2801 预计负债: a provision for a pending dispute is debited to 营业外支出
                            home="营业外支出",
                            native=lambda script: chinese_names.account_name("tax-exposure", script)))
    non_operating = {a.number for a in chart if a.group and re.search(r"营业外支出|營業外支出", a.name)}
    if not any(names_expense(a, "tax-penalties") for a in chart):
        wanted.append(_Need("tax-penalties", "other-expense", "Tax interest and penalties", "",
                            "Interest and penalties on late tax are kept apart from the tax itself.",
                            lambda a: bool(PENALTIES.search(a.name) or re.search(r"interest", a.name, re.I))
                            and a.kind in ("expense", "other-expense"),
                            # 小企业会计准则 第六十八条: 税收滞纳金, 罚金, 罚款 are 营业外支出 (6711), not 财务费用
                            lambda a: a.parent in non_operating and a.kind in ("expense", "other-expense"),
                            home="营业外支出",
                            native=lambda script: chinese_names.account_name("tax-penalties", script)))
    # 企业会计准则第13号——或有事项: the estimated liability for a possible assessment is a provision, 2801 预计负债
    tax_headers = _tax_payables_headers(chart)  # never under 应交税费, nor any chart's header of its tax payables
    accrued_headers = {a.number for a in chart if a.group and a.kind == "current-liability"
                       and _ACCRUED_EXPENSES.search(a.name)} - tax_headers  # not 2100 Accrued taxes over payables
    provision = next((a for a in chart if chinese_chart.simplified(a.name) == "预计负债"), None)
    for j in accruing:
        if not any(j.names(a) for a in accrued):
            native = _provision_name(j, provision, chart) if provision is not None else ""
            apart = f"a provision under {provision.name} (企业会计准则第13号), apart from the payable" \
                if provision is not None and native else "kept apart from the payable its returns reconcile against"
            wanted.append(_Need(f"accrued:{j.key}", "current-liability",
                                native or f"Accrued {in_sentence(j.tax)} exposure - {j.name} ({j.code})", "",
                                f"The accrual for {in_sentence(j.tax)} not collected in {places.in_prose(j.name)}, "
                                f"{apart}.", is_accrued_exposure,
                                # accrued expenses, or the detail accounts under their header (2200-10 Wages
                                # under 2200 Accrued expenses, as a chart numbered with dashes keeps them)
                                lambda a: a.kind == "current-liability" and not a.group
                                and (bool(_ACCRUED_EXPENSES.search(a.name)) or a.parent in accrued_headers),
                                home="预计负债",
                                # no 预计负债 in the chart: the plan opens it (企业会计准则), named as its details are
                                native=None if provision is not None else _native_risk(j),
                                opens_home=_OPENS_PROVISION, avoid=lambda a: a.parent in tax_headers,
                                own_block=is_tax_payable, own_block_words="the tax payables"))
    return wanted


def _tax_payables_headers(chart: Sequence[Account]) -> set[str]:
    """The headers of a chart's tax payables, which an accrued exposure is never numbered under (DECISIONS
    "Accounts": the accrual is kept apart from the payables the returns reconcile against, and a header totals its
    detail accounts): China's 应交税费, and any header whose detail accounts are all tax payables (2100 Sales tax
    payable over 2100-10 California and 2100-20 Washington)."""
    details: dict[str, list[Account]] = {}
    for a in chart:
        if not a.group:
            details.setdefault(a.parent, []).append(a)
    return {a.number for a in chart if a.group and a.kind == "current-liability" and (
        _TAX_HEADERS.search(a.name) or details.get(a.number) and all(map(is_tax_payable, details[a.number])))}


def _provision_name(j: Jurisdiction, provision: Account, chart: Sequence[Account]) -> str:
    """The accrued exposure as a Chinese chart names a detail account of 预计负债, by the matter it provides for
    (未决诉讼, 产品质量保证: 德国增值税风险 (DE)), with the parent's name before it where the chart's own detail
    accounts carry it (预计负债-未决诉讼: 预计负债-德国增值税风险 (DE)); "" where a word has no Chinese name."""
    script = chinese_names.script_of(provision.name)
    matter = chinese_names.tax_risk(j.code, j.tax, script)
    prefixed = any(a.parent == provision.number and a.name.startswith(provision.name + "-") for a in chart)
    return f"{provision.name}-{matter}" if matter and prefixed else matter


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
    return _proposed(chart, _currency_needs(live, currency_codes, ledger, book_currency_of(chart, book_currency))
                     + _fx_needs(live, currency_codes, ledger) + _tax_needs(live, places_found, ledger))


def _live(chart: Sequence[Account]) -> list[Account]:
    """The accounts in use: an inactive account's number stays taken, but it is no sibling to number by."""
    return [a for a in chart if not a.inactive]


def _proposed(chart: Sequence[Account], needs: Sequence[_Need]) -> list[Proposal]:
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


def _beside(need: _Need, accounts: Sequence[Account]) -> list[Account]:
    """The accounts ``need`` opens a block of its own beside (:attr:`_Need.own_block`), or none: where any of them
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


def _open_first_level(standard: chinese_chart.Standard, need: _Need, chart: Sequence[Account],
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


def _in_chart_language(need: _Need, parent: str, chart: Sequence[Account], by_number: Mapping[str, Account]) -> str:
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


def _as_deposits_are(need: _Need, siblings: Sequence[Account]) -> str:
    """A new bank named as a Japanese chart's own deposits are (外貨預金(USD), or 外貨預金EUR beside 外貨預金USD), or "":
    the plan's own proposals (line 0) set no pattern, so that 普通預金(JPY) does not make the dollar one 普通預金(USD)."""
    if not need.purpose.startswith("bank:"):
        return ""
    return japanese_names.bank_name(need.purpose.split(":")[1],
                                    [a.name for a in siblings if a.kind == "bank" and a.line])


def _in_japanese(need: _Need) -> str:
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
    needs = _currency_needs(_live(chart), codes, ledger,
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


#: The purposes of the accounts one currency needs (:func:`_currency_needs`), before the colon and its code.
_CURRENCY_PURPOSES = ("bank", "clearing", "receivable")
#: The accounts selling in several currencies needs whatever the currencies: no currency owns them.
_FX_PURPOSES = ("fx-realized", "fx-unrealized", "rounding")


def missing_fx_accounts(chart: Sequence[Account], codes: Sequence[str],
                        ledger: Ledger = GENERIC) -> list[tuple[str, str]]:
    """(name, reason) of the FX gain/loss and rounding accounts the chart lacks to sell in ``codes``, named as
    :func:`plan` proposes them (折算尾差 under a Chinese chart's 财务费用, not "Currency rounding"): no currency owns
    them, so a review that names each currency's accounts would pass over them."""
    found = [p for p in _proposed(chart, _fx_needs(_live(chart), codes, ledger)) if p.purpose in _FX_PURPOSES]
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
