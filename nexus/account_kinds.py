"""What an account of a chart is: a bank, a provider's clearing account, a receivable, a tax payable or an accrued
exposure, and for which place, which tax and which currency.

The plan (:mod:`nexus.accounts`) proposes only what a chart lacks, and the
review and the accrual find the chart's own accounts, by these tests of an
:class:`nexus.chart.Account`'s kind and name, in English or as Japanese,
Chinese and Korean charts write them. An existing payable counts for a place
only when it is a tax account *for that place* (its code as a word or in
parentheses, or its name, beside a tax word), so "Bank - JPY (Mizuho)" is not
Japan's consumption tax and "Share capital" is not Italy's VAT.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Sequence

from nexus import chinese_chart, chinese_names, datafiles, japanese_names, places
from nexus.chart import Account

TAX_WORDS = re.compile(r"\b(tax|taxes|vat|gst|hst|qst|pst|jct|iva|tva|mwst|moms|btw|igst|sst|consumption)\b", re.I)
#: A tax's name in its own script that names its place too, as a Japanese or Korean chart writes its payable
#: with no English word and no code: 仮受消費税 (consumption tax received) is Japan's JCT payable (Japanese
#: kanji: Taiwan writes 消費稅, China 消费税, their excise taxes), 부가가치세 (VAT, short 부가세) Korea's.
NATIVE_TAX_NAMES = {"JP": ("消費税",), "KR": ("부가가치세", "부가세")}
_CODE_IN_PARENS = re.compile(r"\(([A-Z]{2}(?:-[A-Z0-9]{1,3})?)\)")


def _word(code: str) -> re.Pattern[str]:
    """``code`` as a word of its own: ``JP`` in "VAT JP", not in "JPY"; case-sensitive, as codes are written."""
    return re.compile(rf"(?<![A-Za-z0-9-]){re.escape(code)}(?![A-Za-z0-9])")


def is_bank(a: Account) -> bool:
    return a.kind == "bank" and not a.group and not is_clearing(a)


def is_clearing(a: Account) -> bool:
    """A provider's balance before payout: "Stripe clearing", "Funds in transit", or a Japanese chart's 売掛金
    (決済代行・USD), the receivable from a payment agent (決済代行) the plan proposes there; a receivable named by a
    payment provider alone (売掛金 Stripe, Stripe 未収入金, 其他应收款-支付宝); or a detail account of a Chinese
    chart's 其他货币资金 named with it (其他货币资金-支付宝), where the chart gives no parent to read it by."""
    return not a.group and a.kind in ("bank", "current-asset", "receivable") and bool(
        _CLEARING_WORDS.search(a.name) or a.kind != "bank" and names_provider(a.name)
        or chinese_chart.names_other_funds(a.name))


#: What names a provider's balance in any chart, whoever the provider: "Stripe clearing", "Funds in transit",
#: 売掛金(決済代行・USD).
_CLEARING_WORDS = re.compile(r"\bclearing\b|in[- ]transit|undeposited|決済代行", re.I)


#: What a provider's balance names beside the provider (売掛金 Stripe, 其他应收款-支付宝, "PayPal receivable - USD"):
#: a receivable word, 決済 or 入金, and the marks that part them (a currency code too, taken out first). Anything else
#: (売掛金 Stripe ABC商事) is a customer's name, and the account a customer's receivable.
_BESIDE_PROVIDER = re.compile("|".join(
    [re.escape(w) for w in japanese_names.RECEIVABLE_WORDS + chinese_chart.RECEIVABLE_WORDS + ("決済", "入金")]
    + [r"\baccounts? receivable\b", r"\breceivables?\b", r"\bbalance\b", r"\ba/r\b",
       r"[\s\-\u2010-\u2015\uff0d_/・:：()（）\[\]【】「」,、.]"]), re.I)


#: Where the providers' names come from, as the plan's Sources sheet lists them where one named a clearing account.
PROVIDERS_SOURCE = ("Payment providers' names that make a receivable their clearing account (売掛金 Stripe, "
                    "其他应收款-支付宝)", "data/payment-providers.csv (each row's source: the provider's own pages)")


def named_by_provider(chart: Sequence[Account]) -> bool:
    """Whether the chart holds a clearing account nexus knows only by a provider's name in it (売掛金 Stripe): the
    plan's Sources sheet then names the list of providers' names it was read by."""
    return any(is_clearing(a) and not _CLEARING_WORDS.search(a.name) and a.kind != "bank" and names_provider(a.name)
               for a in chart)


@lru_cache(maxsize=1)
def _providers() -> re.Pattern[str]:
    """data/payment-providers.csv's names as whole words, the longest first (Shopify Payments before Shopify)."""
    names = sorted({chinese_chart.simplified(row["name"]) for row in datafiles.rows("payment-providers.csv")},
                   key=len, reverse=True)
    return re.compile(NOT_AFTER + "(?:" + "|".join(re.escape(n) for n in names) + ")" + NOT_BEFORE, re.I)


@lru_cache(maxsize=65536)  # asked of each account by every pattern that reads clearing accounts: once per name
def names_provider(name: str) -> bool:
    """Whether ``name`` names a payment provider (data/payment-providers.csv) and nothing else but receivable words,
    a currency code or the marks between: 売掛金 Stripe, 売掛金（PayPal）, Stripe 未収入金, 应收账款-Stripe,
    其他应收款-支付宝, "PayPal receivable"; not 売掛金 Stripe ABC商事 (a customer paying by Stripe), nor 売掛金."""
    from nexus import currencies  # its ISO tables only once a name names a provider

    rest, found = _providers().subn(" ", chinese_chart.simplified(name))
    if not found:
        return False
    # a currency's code is not a customer's name; three other capitals are (売掛金 Stripe NTT)
    rest = _CODES_IN_NAME.sub(lambda m: " " if currencies.facts(m.group()) else m.group(), rest)
    return not _BESIDE_PROVIDER.sub("", rest)


def is_receivable(a: Account) -> bool:
    return a.kind == "receivable" and not a.group


def is_accrued_exposure(a: Account) -> bool:
    """A liability for tax exposure accrued: "Accrued sales tax exposure - Texas (US-TX)", or a Chinese chart's
    provision for a tax risk, 德国增值税风险 (DE) under 2801 预计负债 (never its payable, 应交德国增值税 (DE))."""
    return a.kind == "current-liability" and not a.group and bool(
        re.search(r"\baccrued\b", a.name, re.I) and re.search(r"\bexposure\b", a.name, re.I)
        or _TAX_RISK.search(a.name) and any(n in a.name for n in chinese_names.tax_words()))


#: A Chinese provision's matter, a tax risk (税务风险, 增值税风险): what names the accrued exposure in a Chinese chart.
_TAX_RISK = re.compile(r"[税稅]风险|[税稅]風險")


#: A tax's Latin-letter name as a word of its own: not inside a longer Latin word ("vat" in "private"), but where a
#: Japanese or Chinese name runs straight into it (未払VAT, 仮受GST), which a regex word boundary does not see.
NOT_AFTER = r"(?<![0-9A-Za-z\u00C0-\u024F])"
NOT_BEFORE = r"(?![0-9A-Za-z\u00C0-\u024F])"
#: The names of the taxes a finding collects, each with the other names a chart writes it by: "VAT" is also
#: MwSt, TVA, IVA...; a finding's tax ("consumption tax (JCT)", "GST/HST", "VAT (IVA)") counts by any of its
#: parts' names. The schemes in parentheses (OSS, OVR, OIDAR, VOEC) are names too: "VOEC payable - Norway".
_TAX_SYNONYMS: dict[str, tuple[str, ...]] = {
    "vat": ("vat", "value added tax", "value-added tax", "iva", "tva", "mwst", "ust", "umsatzsteuer", "btw",
            "moms", "mva", "alv", "dph", "dds", "ddv", "pdv", "fpa", "áfa", "kdv", "ppn", "nds", "ndc"),
    "gst": ("gst", "goods and services tax", "goods & services tax"),
    "hst": ("hst", "harmonized sales tax", "harmonised sales tax"),
    "qst": ("qst", "tvq", "quebec sales tax", "québec sales tax"),
    "pst": ("pst", "provincial sales tax"),
    "igst": ("igst", "gst"),
    "sales tax": ("sales tax", "sales taxes", "sales and use tax", "sales & use tax"),
    "consumption tax": ("consumption tax", "jct"),
    "jct": ("consumption tax", "jct"),
    "service tax": ("service tax", "services tax"),
}
#: Any name of a tax a seller collects on its sales: an account named with one is a sales-tax account.
_COLLECTED_NAMES = sorted({n for names in _TAX_SYNONYMS.values() for n in names} | {"sst", "icms"}, key=len,
                          reverse=True)
_COLLECTED_TAX = re.compile(NOT_AFTER + "(" + "|".join(re.escape(n) for n in _COLLECTED_NAMES) + ")" + NOT_BEFORE,
                            re.I)
#: Taxes that are never a sale's: a payable named for one of them (and for no collected tax) is not a sales-tax
#: payable, however it names its place ("State unemployment tax payable - Texas (US-TX)").
_OTHER_TAXES = re.compile(r"\b(income|payroll|withholding|withheld|unemployment|franchise|corporat\w*|employ\w*|"
                          r"wage|wages|salar\w*|social security|fica|futa|suta|pension|property|real estate|land|"
                          r"stamp|capital gains|profits?|business|margin|excise|fuel|tobacco|vehicle|local services)"
                          r"\b", re.I)


def names_tax(text: str, tax: str, code: str = "") -> bool:
    """Whether ``text`` names ``tax`` (a finding's own: "VAT", "consumption tax (JCT)", "GST/HST") by one of its
    names, or in the place's own script (仮受消費税 for ``JP``): a payable for another tax is not this one's."""
    if any(n in text for n in NATIVE_TAX_NAMES.get(code, ())):
        return True
    parts = [p.strip().lower() for p in re.split(r"[()/,]", tax) if p.strip()]
    if any(n in text for p in parts for n in chinese_names.synonyms(p)):  # 应交德国增值税: no word boundaries in Chinese
        return True
    wanted = {n for p in parts for n in _TAX_SYNONYMS.get(p, (p,))}
    return any(re.search(rf"{NOT_AFTER}{re.escape(n)}{NOT_BEFORE}", text, re.I) for n in wanted)


def is_tax_payable(a: Account) -> bool:
    """A liability named for a tax collected on sales (sales tax, VAT, GST, 消費税...), other than an accrued
    exposure. A liability for a tax on income, payroll, property... ("Corporate income tax payable", "State
    unemployment tax payable") is not one, unless it names a collected tax too."""
    if a.kind != "current-liability" or a.group or is_accrued_exposure(a):
        return False
    if _COLLECTED_TAX.search(a.name) or any(n in a.name for names in NATIVE_TAX_NAMES.values() for n in names) \
            or any(n in a.name for n in chinese_names.tax_words()):  # 应交增值税, 应交德国增值税 (DE)
        return True
    return bool(TAX_WORDS.search(a.name)) and not _OTHER_TAXES.search(a.name)


def in_sentence(tax: str) -> str:
    """A tax's name inside a sentence: "sales tax", "consumption tax (JCT)", but "VAT" and "GST/HST" as written."""
    return tax if tax[:2].isupper() else tax[:1].lower() + tax[1:]


@lru_cache(maxsize=1)
def _place_names() -> tuple[str, ...]:
    from nexus.places import _table

    names = set(_table("iso3166-1.csv").values()) | set(_table("iso3166-2-us.csv").values()) | \
        set(_table("iso3166-2-ca.csv").values())
    return tuple(sorted(names, key=len, reverse=True))


@lru_cache(maxsize=None)
def _longer_names(name: str) -> tuple[str, ...]:
    """Place names that contain ``name`` as words ("West Virginia" for "Virginia")."""
    pattern = re.compile(rf"\b{re.escape(name)}\b", re.I)
    return tuple(n for n in _place_names() if n.lower() != name.lower() and pattern.search(n))


#: Washington, D.C. written so: the District of Columbia, not Washington state.
_WASHINGTON_DC = re.compile(r"\bWashington,?\s*D\.?\s*C\b\.?", re.I)


def for_place(a: Account, code: str, name: str) -> bool:
    """Whether ``a`` names the place ``code`` (``US-TX``, ``JP``): by code as a word or in "(CODE)", or by name.

    A code in parentheses decides alone: "GST/HST payable - Canada (CA)" is
    Canada's, not California's; but where it is a country's code and a
    state's or province's too ("(IL)" Israel and Illinois, "(PA)", "(GA)",
    "(IN)", "(NL)"), the name beside it decides, and with no name it is the
    country's. A state's own two letters count where they are not also a
    country's ("TX" is Texas; "CA" alone is not taken for California). A
    name counts as a whole phrase and not inside a longer place name
    ("Virginia" is not in "West Virginia"); "Washington DC" is the District
    of Columbia, not Washington state.
    """
    text = a.name
    if any(n in text for n in NATIVE_TAX_NAMES.get(code, ())):
        return True
    if _WASHINGTON_DC.search(text):
        if code == "US-DC":
            return True
        text = _WASHINGTON_DC.sub(" ", text)
    country, _, sub = code.partition("-")
    in_parens = _CODE_IN_PARENS.findall(text)
    if in_parens:
        if code in in_parens:
            return bool(sub) or not any(_names_place(text, places.name(state))
                                        for state in _states_coded(code))
        if sub and sub in in_parens:
            return sub not in places.countries() or (name != code and _names_place(text, name))
        return False
    if _word(code).search(text):
        return True
    if sub and sub not in places.countries() and _word(sub).search(text):
        return True
    return name != code and _names_place(text, name)


@lru_cache(maxsize=None)
def _states_coded(letters: str) -> tuple[str, ...]:
    """The US states and Canadian provinces whose own code is ``letters`` (``US-IL`` for IL, ``CA-NL`` for NL)."""
    return tuple(f"{c}-{letters}" for c in ("US", "CA") if f"{c}-{letters}" in places.subdivisions(c))


def _names_place(text: str, name: str) -> bool:
    """Whether ``text`` names the place ``name`` as a whole phrase, not inside a longer place name."""
    if not name:
        return False
    for longer in _longer_names(name):
        text = re.sub(rf"\b{re.escape(longer)}\b", " ", text, flags=re.I)
    return bool(re.search(rf"\b{re.escape(name)}\b", text, re.I))


#: A currency code in an account's name, as a word of ASCII letters: "Bank - USD", and 外貨預金USD or 普通預金(USD) in
#: a Japanese or Chinese name, where no space parts it from the kanji (a regex word boundary sees none there).
_CODES_IN_NAME = re.compile(r"(?<![A-Za-z0-9])[A-Z]{3}(?![A-Za-z0-9])")


def without_currency(a: Account) -> bool:
    """Whether a bank or clearing account names no currency: none given, none in its name (Bank - USD, 外貨預金USD,
    美元户), and no deposit a Japanese or Chinese chart names is one in its own currency (普通預金: yen)."""
    return not a.currency and not currencies_in_name(a.name) and not any(
        native.deposit_currency(a.name) for native in (japanese_names, chinese_names))


def currencies_in_name(name: str) -> set[str]:
    """The currencies an account's name names: by code (Bank - USD, 外貨預金USD) or by its Chinese name (美元户)."""
    return set(_CODES_IN_NAME.findall(name)) | chinese_names.currencies_named(name)


#: What names a tax-exposure expense or an interest-and-penalties expense already in a chart (the plan proposes
#: one only where no account's name matches).
_EXPOSURE_EXPENSE = re.compile(r"tax exposure|(sales|use) tax expense", re.I)
#: 税收滞纳金, 罚款, 罚金: the late-payment charges and fines 小企业会计准则 第六十八条 counts in 营业外支出; Japan's
#: 延滞税 (延滞金 for local taxes) and 加算税, which a Japanese chart books to 租税公課(延滞税・加算税).
PENALTIES = re.compile(r"penalt|滞纳金|滯納金|罚款|罰款|罚金|罰金|延滞税|延滞金|加算税", re.I)


EXPENSE_NAMES = {"tax-exposure": _EXPOSURE_EXPENSE, "tax-penalties": PENALTIES}


def names_expense(a: Account, purpose: str) -> bool:
    """An expense named for ``purpose`` (``tax-exposure``, ``tax-penalties``), in English or with its Chinese name
    (税务风险损失, 税收滞纳金及罚款): "Accrued sales tax exposure" and "Accrued penalties" are liabilities, the
    credit side of the accrual, and never stand in for the expense it debits."""
    return a.kind in ("expense", "other-expense") and bool(
        EXPENSE_NAMES[purpose].search(a.name) or any(w in a.name for w in chinese_names.account_words(purpose)))
