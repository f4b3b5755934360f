"""A chart following China's accounting standards: the first-level codes it keeps, and where a new account goes.

企业会计准则——应用指南 (财会〔2006〕18号, 附录 会计科目和主要账务处理) and 小企业会计准则 (财会〔2011〕17号, 附录) give each
first-level account (一级科目) a code: 1012 其他货币资金, 1403 原材料, 2221 应交税费, 2801 预计负债, 6604 勘探费用,
6711 营业外支出. A Chinese accountant keeps those codes for those accounts, even where the chart has not opened them
yet, and adds what the company needs as detail accounts (明细科目) under the right first-level one, by extending its
code (101201 under 1012). So a chart recognised as following one of the standards gets no new account at a code the
standard gives another account (a clearing account is never 1403, the exposure expense never 6604), and a new account
goes under the standard's first-level account for it where the chart has that account.

The codes are data: data/cn-account-codes.csv, the Ministry of Finance's lists, each code with its standard.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Mapping, Protocol, Sequence

from nexus import datafiles

#: Where the codes come from, as the plan's Sources sheet lists them where it used them.
SOURCE = ("Chinese first-level account codes (1012 其他货币资金, 2801 预计负债)",
          "data/cn-account-codes.csv (财政部: 企业会计准则——应用指南 附录; 小企业会计准则 附录)")
#: The standards by the short names the data file gives them.
STANDARDS = {"CAS": "企业会计准则", "SBE": "小企业会计准则"}
#: A chart is recognised as following a standard when this many of its accounts bear one of the standard's codes
#: with that code's name (1002 银行存款, 2221 应交税费): one alone may be chance (a "1002 Bank" chart).
_RECOGNISED_AT = 2
#: The first-level accounts a Chinese chart may keep a payment institution's balance under, besides 1012 其他货币资金
#: (simplified; :func:`simplified` reads 應收帳款): 1122 应收账款, 1221 其他应收款. Their detail account named by the
#: provider alone (应收账款-Stripe, 其他应收款-支付宝) is the provider's clearing account, not a customer's.
RECEIVABLE_WORDS = ("应收账款", "其他应收款", "其他货币资金")
#: 其他货币资金 before a dash and a detail account's own name.
_FUNDS_DETAIL = re.compile(r"其他货币资金\s*[-\uff0d\u2010-\u2015_/:：]\s*\S")
#: Traditional characters of the first-level names nexus looks for, as simplified ones: 應交稅費 is 应交税费.
_SIMPLIFIED = str.maketrans("貨幣資銀應稅費營業計負債處財務預損準備現庫帳賬", "货币资银应税费营业计负债处财务预损准备现库账账")
#: The reverse, for naming a first-level account in a chart written in traditional characters (账 is written 賬).
_TRADITIONAL = str.maketrans({s: t for t, s in zip("貨幣資銀應稅費營業計負債處財務預損準備現庫帳賬",
                                                   "货币资银应税费营业计负债处财务预损准备现库账账")})


class Named(Protocol):
    @property
    def number(self) -> str: ...

    @property
    def name(self) -> str: ...


@dataclass(frozen=True)
class Standard:
    """One of China's standards as a chart follows it: its first-level codes and their names."""

    key: str                      # "CAS" or "SBE", as data/cn-account-codes.csv names it
    codes: Mapping[str, str]      # "2801" -> "预计负债"

    @property
    def title(self) -> str:
        return STANDARDS[self.key]


def simplified(name: str) -> str:
    """``name`` in simplified characters where it writes a first-level name in traditional ones (應交稅費)."""
    return name.strip().translate(_SIMPLIFIED)


@lru_cache(maxsize=None)
def standards() -> tuple[Standard, ...]:
    """The standards of data/cn-account-codes.csv, 企业会计准则 first."""
    found: dict[str, dict[str, str]] = {}
    for row in datafiles.rows("cn-account-codes.csv"):
        found.setdefault(row["standard"], {})[row["code"]] = row["name"]
    return tuple(Standard(key, found[key]) for key in STANDARDS if key in found)


def standard_of(chart: Sequence[Named]) -> Standard | None:
    """The standard ``chart`` follows: the one more of whose codes it holds with their own names (企业会计准则 on a
    tie), where at least two are; None for a chart that is not numbered so (the sample's 1000 Cash and bank)."""
    held = [(sum(1 for a in chart if s.codes.get(a.number) == simplified(a.name)), -i, s)
            for i, s in enumerate(standards())]
    count, _, best = max(held, key=lambda h: h[:2], default=(0, 0, None))
    return best if count >= _RECOGNISED_AT else None


def first_level(chart: Sequence[Named], name: str) -> str:
    """The number of the chart's account named as the standard names a first-level account (预计负债, 預計負債), or ""
    where the chart has none."""
    return next((a.number for a in chart if simplified(a.name) == name), "")


def code_of(standard: Standard, name: str) -> str:
    """The code ``standard`` gives the first-level account it names ``name`` (其他货币资金 -> 1012), or ""."""
    return next((code for code, own in standard.codes.items() if own == name), "")


@lru_cache(maxsize=65536)  # asked of each asset account by every pattern that reads clearing accounts
def names_other_funds(name: str) -> bool:
    """Whether ``name`` is a detail account of 1012 其他货币资金 named with it before a dash (其他货币资金-支付宝,
    其他貨幣資金-外埠存款), as a chart with no parent column names them: a balance held with a payment institution
    (or another fund that is no bank deposit), as the accounts under the chart's 其他货币资金 are."""
    return bool(_FUNDS_DETAIL.match(simplified(name)))


def in_script(name: str, script: str) -> str:
    """A first-level name (simplified, as the standards write it) in ``script``: 其他貨幣資金 for ``hant``, where the
    chart writes its accounts in traditional characters (銀行存款, 應交稅費)."""
    return name.translate(_TRADITIONAL) if script == "hant" else name


@lru_cache(maxsize=None)
def is_first_level(name: str) -> bool:
    """Whether ``name`` is a first-level account's name in either standard (银行存款, 營業外支出): an account a Chinese
    accountant names detail accounts under in Chinese."""
    return simplified(name) in {n for s in standards() for n in s.codes.values()}
