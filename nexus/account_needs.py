"""The accounts a chart lacks for a plan, each as a :class:`Need`: what it is for, its kind and name, why, and where
the plan is to number it (beside which accounts, under which of a Chinese standard's first-level accounts).

* :func:`currency_needs`: per selling currency, a bank account, a provider
  clearing account, and a receivable where the ledger keeps receivables per
  currency;
* :func:`fx_needs`: once, with more than one currency, realized and
  unrealized FX gain/loss and currency rounding, unless the chart or the
  ledger has them;
* :func:`tax_needs`: per jurisdiction where ``nexus check`` found nexus, a tax
  payable named with its own tax, and for the accrual a tax-exposure expense,
  an interest-and-penalties expense and an accrued liability per jurisdiction.

:mod:`nexus.accounts` numbers and names them in the chart's scheme.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Sequence

from nexus import chinese_chart, chinese_names, japanese_names, places
from nexus.account_kinds import (PENALTIES, TAX_WORDS, currencies_in_name, in_sentence, is_accrued_exposure, is_bank,
                                 is_clearing, is_receivable, is_tax_payable, names_expense, without_currency)
from nexus.account_records import Jurisdiction, Ledger
from nexus.chart import Account

#: Exchange gain/loss accounts as Japanese, Chinese and Korean charts name them, with no English word: 為替差損益
#: (or 為替差益, 為替差損), 汇兑损益 / 匯兌損益, 외환차손익 (외환차익, 외환차손) on settlement; Korea's 외화환산손익
#: (외화환산이익, 외화환산손실) is the translation of open balances at period end: the unrealized one.
_NATIVE_FX = re.compile(r"為替差(損益|益|損)|汇兑损益|匯兌損益|외환차(손익|익|손)")
_NATIVE_UNREALIZED_FX = re.compile(r"외화환산(손익|이익|손실)")


#: An exchange-difference account in IAS 21's words, with no gain or loss in its name: "Exchange differences",
#: "Foreign exchange differences", "Exchange rate differences", "FX differences" (IAS 21.28: both sides go to profit or
#: loss). Not the translation of foreign operations, which IAS 21.39 puts in equity ("Exchange differences on
#: translation of foreign operations", "Currency translation differences").
_EXCHANGE_DIFFERENCES = re.compile(r"^(?!.*\btranslat).*\b(exchange|fx|forex)(\s+rate)?\s+differences?\b", re.I)


def _fx(name: str) -> bool:
    return bool(re.search(r"(exchange|\bfx\b|forex|currency).*(gain|loss)|(gain|loss).*(exchange|\bfx\b)", name, re.I)
                or _EXCHANGE_DIFFERENCES.search(name) or _NATIVE_FX.search(name) or _NATIVE_UNREALIZED_FX.search(name))


@dataclass(frozen=True)
class Need:
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


def currency_needs(chart: Sequence[Account], codes: Sequence[str], ledger: Ledger, book: str = "") -> list[Need]:
    """Bank, clearing and (where the ledger keeps them per currency) receivable accounts each currency lacks.

    Under a Chinese chart's 其他货币资金 the accounts are the chart's clearing accounts: a provider's balance
    goes there beside 支付宝 (101203 under 1012), and a new bank goes under 银行存款, not there. A bank or clearing
    account without a currency (none given, none in its name) is the ``book`` currency's, where there is one
    (:func:`nexus.accounts.book_currency_of`), as the ledgers keep an account without a currency in the book's own.
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
    wanted: list[Need] = []
    for code in codes:
        carries = {k: code if k in ledger.currency_kinds else "" for k in ("bank", "current-asset", "receivable")}
        if code not in banks and "bank" not in ledger.creates_itself:
            wanted.append(Need(f"bank:{code}", "bank", f"Bank - {code}", carries["bank"],
                               f"Payouts in {code} need a bank account in {code}.", is_bank_here, home="银行存款",
                               native=_native("bank", code)))
        if code not in clearing and "clearing" not in ledger.creates_itself:
            wanted.append(Need(f"clearing:{code}", "current-asset", f"Provider clearing - {code}",
                               carries["current-asset"],
                               f"The ecommerce provider settles {code} sales here before payout.",
                               is_clearing_here, beside_receivables, home="其他货币资金", opens_home=_OPENS_FUNDS,
                               native=_native("clearing", code)))
        if ledger.receivables_per_currency and code not in receivables and "receivable" not in ledger.creates_itself:
            wanted.append(Need(f"receivable:{code}", "receivable", f"Accounts receivable - {code}",
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


def fx_needs(chart: Sequence[Account], codes: Sequence[str], ledger: Ledger) -> list[Need]:
    if len(set(codes) | {a.currency for a in chart if a.currency}) < 2:  # FX only with two currencies
        return []
    wanted: list[Need] = []
    names = [a.name for a in chart]
    fx = lambda a: _fx(a.name)  # noqa: E731
    # 财务费用 with detail accounts, or the first-level 6603 (5603) 财务费用 itself with none yet: its first detail
    finance = next((a for a in chart if (a.group and _FINANCE_EXPENSES.search(a.name))
                    or chinese_chart.simplified(a.name) == "财务费用"), None)
    japanese = japanese_names.is_japanese(names)
    if finance is not None and not any(_fx(n) for n in names):
        # A Chinese chart books both sides to one 汇兑损益 under 财务费用 (企业会计准则第19号 第十一条; 应用指南 6603)
        name = "匯兌損益" if chinese_names.script_of(finance.name) == "hant" else "汇兑损益"
        wanted.append(Need("fx-realized", "other-expense", name, "",
                           f"Exchange differences on settlement and at the balance sheet date, both booked to "
                           f"{finance.name} - {name} (企业会计准则第19号 第十一条).", fx,
                           lambda a: a.parent == finance.number, home="财务费用"))
    elif japanese and not any(_fx(n) for n in names):
        # A Japanese chart books both sides to one 為替差損益 (外貨建取引等会計処理基準 一 3, 一 2 (2))
        wanted.append(Need("fx-realized", "other-income", japanese_names.account_name("fx"), "",
                           "Exchange differences on settlement and at the balance sheet date are both "
                           "当期の為替差損益 (外貨建取引等会計処理基準 一 3, 一 2 (2)): one account for both.", fx))
    elif not any(_fx(n) and not _UNREALIZED_FX.search(n) and not _NATIVE_UNREALIZED_FX.search(n) for n in names):
        wanted.append(Need("fx-realized", "other-income", "Realized FX gain/loss", "",
                           "Selling in more than one currency realizes exchange gains and losses on settlement.", fx))
    # One account for both sides (為替差損益, 汇兑损益, "Foreign exchange gain/loss") is the chart's unrealized account
    # too, unless the chart keeps an unrealized one beside it: then it is the realized one, as read above.
    combined = any(n.purpose == "fx-realized" and _is_combined_fx(n.name) for n in wanted)
    if finance is None and not combined and not any(_is_unrealized_fx(n) or _is_combined_fx(n) for n in names):
        wanted.append(Need("fx-unrealized", "other-income", "Unrealized FX gain/loss", "",
                           "Open balances in foreign currencies are revalued at period end.", fx))
    if not any(_is_rounding(n) for n in names):
        wanted.append(Need("rounding", "other-expense", "Currency rounding", "",
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


def tax_needs(chart: Sequence[Account], places_found: Sequence[Jurisdiction], ledger: Ledger) -> list[Need]:
    payables = [a for a in chart if is_tax_payable(a)]
    beside = _tax_siblings(chart)
    accrued = [a for a in chart if is_accrued_exposure(a)]
    # Under a Chinese chart's 应交税费 a new payable is named as its sub-accounts are: 应交德国增值税 (DE)
    header = next((a for a in chart if a.group and a.kind == "current-liability" and _TAX_HEADERS.search(a.name)), None)
    wanted: list[Need] = []
    ordered = sorted(places_found, key=lambda j: j.code)
    for j in ordered:
        if not any(j.names(a) for a in payables):
            currency = j.currency if "current-liability" in ledger.currency_kinds else ""
            name = chinese_names.tax_payable(j.code, j.tax, chinese_names.script_of(header.name)) if header else ""
            wanted.append(Need(f"tax:{j.key}", "current-liability", name or f"{j.tax} payable - {j.name} ({j.code})",
                               currency, j.reason, beside, home="应交税费"))
    accruing = [j for j in ordered if j.accrue]
    if not accruing:
        return wanted
    if not any(names_expense(a, "tax-exposure") for a in chart):
        wanted.append(Need("tax-exposure", "expense", "Tax exposure expense", "",
                           "The accrual of tax owed but not collected is expensed here.",
                           lambda a: bool(re.search(r"tax exposure", a.name, re.I)) and a.kind == "expense",
                           lambda a: a.kind == "expense" and not a.group and bool(TAX_WORDS.search(a.name)),
                           # 应用指南 2801 预计负债: a provision for a pending dispute is debited to 营业外支出
                           home="营业外支出",
                           native=lambda script: chinese_names.account_name("tax-exposure", script)))
    non_operating = {a.number for a in chart if a.group and re.search(r"营业外支出|營業外支出", a.name)}
    if not any(names_expense(a, "tax-penalties") for a in chart):
        wanted.append(Need("tax-penalties", "other-expense", "Tax interest and penalties", "",
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
            wanted.append(Need(f"accrued:{j.key}", "current-liability",
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
