"""Tax payables named as a Chinese chart names its sub-accounts of 2221 应交税费: 应交德国增值税 (DE).

A chart following 企业会计准则 or 小企业会计准则 names each tax under 应交税费 "应交" and the tax (应交增值税,
应交消费税). A foreign tax payable its accountant adds there reads the same way, with the place before the tax
and the place's code after it, so that the plan (and the next plan) knows whose it is: 应交德国增值税 (DE),
应交美国得克萨斯州销售税 (US-TX), 應交德國增值稅 (DE) in a chart written in traditional characters. The words are
data: data/tax-names-zh.csv (the taxes) and data/place-names-zh.csv (CLDR's countries, iso-codes' states and
provinces); a tax or a place without a Chinese name there keeps the English name.
"""
from __future__ import annotations

import re
from functools import lru_cache

from nexus import datafiles

#: Where the Chinese names come from, as the plan's Sources sheet lists them where it used one.
SOURCES = (("Chinese names of taxes (应交德国增值税)", "data/tax-names-zh.csv (国家税务总局 country tax guides)"),
           ("Chinese names of countries, states and provinces", "data/place-names-zh.csv (Unicode CLDR; iso-codes)"))
#: Where the names of the other accounts come from (美元户, 税收滞纳金及罚款), listed where the plan used one.
ACCOUNT_SOURCES = (("Chinese names of banks, clearing, rounding and accrual expense accounts (美元户, 税收滞纳金及罚款)",
                    "data/account-names-zh.csv (企业会计准则——应用指南; 小企业会计准则 第六十八条; each word's source)"),
                   ("Chinese names of currencies (美元, 欧元)", "data/currency-names-zh.csv (Unicode CLDR)"))
#: Characters that only traditional Chinese writes (simplified 应交税费 is 應交稅費, 银行存款 銀行存款): the chart's script.
_TRADITIONAL = re.compile(r"[應稅費從貨幣債權處銷務銀營資預損匯兌財戶]")


def script_of(text: str) -> str:
    """``hant`` where ``text`` is written in traditional characters, else ``hans``."""
    return "hant" if _TRADITIONAL.search(text) else "hans"


@lru_cache(maxsize=None)
def _table(name: str, key: str) -> dict[str, dict[str, str]]:
    return {row[key]: row for row in datafiles.rows(name)}


def tax_name(tax: str, script: str) -> str:
    """The Chinese name of a finding's tax ("VAT (IVA)" -> 增值税, "GST/HST" -> 商品及服务税/统一销售税), or ""."""
    base = re.sub(r"\s*\(.*\)\s*$", "", tax).strip().lower()
    parts = [part.strip() for part in base.split("/")]
    names = [_table("tax-names-zh.csv", "tax").get(part, {}).get(script, "") for part in parts]
    return "/".join(names) if all(names) else ""


def place_name(code: str, script: str) -> str:
    """The Chinese name of ``code``: 德国; a state after its country, 美国得克萨斯州; "" where either has none."""
    table = _table("place-names-zh.csv", "code")
    country, _, sub = code.partition("-")
    names = [table.get(country, {}).get(script, "")] + ([table.get(code, {}).get(script, "")] if sub else [])
    return "".join(names) if all(names) else ""


def tax_payable(code: str, tax: str, script: str) -> str:
    """应交德国增值税 (DE): a foreign tax's payable as a Chinese chart names it, or "" where a word is missing."""
    place, name = place_name(code, script), tax_name(tax, script)
    if not place or not name:
        return ""
    return f"{'應' if script == 'hant' else '应'}交{place}{name} ({code})"


def tax_risk(code: str, tax: str, script: str) -> str:
    """德国增值税风险 (DE): the accrued exposure as a Chinese chart names a detail account of 预计负债, by the matter
    provided for (as 未决诉讼, 产品质量保证 are), or "" where a word is missing."""
    place, name = place_name(code, script), tax_name(tax, script)
    if not place or not name:
        return ""
    return f"{place}{name}{'風險' if script == 'hant' else '风险'} ({code})"


def tax_words() -> tuple[str, ...]:
    """Every Chinese tax name of the table, for reading a chart's payables back (增值税, 增值稅, 销售税...)."""
    return tuple(row[s] for row in _table("tax-names-zh.csv", "tax").values() for s in ("hans", "hant") if row[s])


def synonyms(part: str) -> tuple[str, ...]:
    """The Chinese names of one part of a finding's tax ("vat" -> 增值税, 增值稅)."""
    row = _table("tax-names-zh.csv", "tax").get(part, {})
    return tuple(row[s] for s in ("hans", "hant") if row.get(s))


def currency_name(code: str, script: str) -> str:
    """CLDR's Chinese name of a currency (USD -> 美元; JPY -> 日元, 日圓 in traditional characters), or ""."""
    return _table("currency-names-zh.csv", "code").get(code, {}).get(script, "")


@lru_cache(maxsize=1)
def _currency_names() -> tuple[tuple[str, str], ...]:
    """(name, code) of every currency in both scripts, the longest names first: 北韓元 is read before 韓元."""
    found = {(row[s], code) for code, row in _table("currency-names-zh.csv", "code").items() for s in ("hans", "hant")}
    return tuple(sorted(found, key=lambda pair: (-len(pair[0]), pair)))


def currencies_named(text: str) -> set[str]:
    """The currencies ``text`` names in Chinese (中国银行美元户: USD), each name taken once and not inside a longer
    one (北韓元 is North Korea's won, not South Korea's): how a Chinese chart without a currency column is read."""
    found: set[str] = set()
    for name, code in _currency_names():
        if name in text:
            found.add(code)
            text = text.replace(name, "\0")
    return found


#: 基本户 and 一般户 (基本存款账户, 一般存款账户): kinds of 单位银行结算账户 under 人民币银行结算账户管理办法
#: (中国人民银行令〔2003〕第5号), which are RMB current deposit accounts: a deposit so named is in CNY.
_RMB_SETTLEMENT = re.compile(r"基本户|基本戶|一般户|一般戶|基本存款账户|基本存款帳戶|一般存款账户|一般存款帳戶")


def deposit_currency(name: str) -> str:
    """``CNY`` for a bank account a Chinese chart names as an RMB settlement account (工商银行基本户) with no
    currency of its own, else "": how the plan knows the chart's RMB bank where it has no currency column."""
    if not _RMB_SETTLEMENT.search(name) or currencies_named(name) or re.search(r"[A-Z]{3}", name):
        return ""
    return "CNY"


def account_name(purpose: str, script: str, currency: str = "") -> str:
    """The Chinese name of the account nexus proposes for ``purpose`` (data/account-names-zh.csv): ``bank`` in USD
    is 美元户, ``tax-penalties`` 税收滞纳金及罚款; "" where the table or the currency has no Chinese name."""
    template = _table("account-names-zh.csv", "purpose").get(purpose, {}).get(script, "")
    if "{currency}" not in template:
        return template
    name = currency_name(currency, script)
    return template.replace("{currency}", name) if name else ""


def account_words(purpose: str) -> tuple[str, ...]:
    """The Chinese names of ``purpose``'s account in both scripts, for reading a chart's own back (折算尾差)."""
    row = _table("account-names-zh.csv", "purpose").get(purpose, {})
    return tuple(row[s] for s in ("hans", "hant") if row.get(s) and "{currency}" not in row[s])
