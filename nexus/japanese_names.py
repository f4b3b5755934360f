"""Accounts named as a Japanese chart names them: 外貨預金(USD) beside 普通預金 三菱UFJ, 為替差損益, 雑損失.

A Japanese chart keeps its deposits as accounts of their own (普通預金, 当座預金, 外貨預金), with banks as 補助科目
rather than numbered sub-accounts. A new currency's bank beside them follows a deposit named by its currency where the
chart has one (外貨預金USD: 外貨預金EUR; 普通預金 USD: 普通預金 EUR), and is otherwise 外貨預金(EUR) (普通預金(JPY) for
yen). The words are data: data/account-names-ja.csv, with their sources. The code stays in the name: it is how the plan,
and the next plan, reads the deposit's currency where the chart has no currency column.

The other accounts the plan proposes in a chart named in Japanese take the names a Japanese accountant books them
under, from the same file: a provider's balance is 売掛金(決済代行・USD), rounding differences 雑損失, tax interest
and penalties 租税公課(延滞税・加算税), Japan's own tax collected 仮受消費税等. An account the file has no sourced
name for keeps its English name.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Sequence

from nexus import datafiles

#: Where the words come from, as the plan's Sources sheet lists them where it used one.
SOURCE = ("Japanese names of deposits, receivables, clearing, FX, rounding and penalties accounts (外貨預金(USD), "
          "為替差損益)", "data/account-names-ja.csv (財務諸表等規則 第15条; 逆引き勘定科目事典; 外貨建取引等会計処理基準; "
          "each row's source)")
#: A deposit named by its currency alone: 外貨預金USD, 普通預金 USD, 外貨預金(GBP), 外貨普通預金（EUR）.
_BY_CURRENCY = re.compile(r"^(普通預金|当座預金|外貨預金|外貨普通預金)(\s*[(（]?)([A-Z]{3})([)）]?)$")
#: Kana, or kanji only Japanese writes: 預金 (Chinese writes 存款, Korean 예금), 払, 売, 仮 (Chinese 付/拂, 卖/賣,
#: 假), 為替: a name in Japanese (未払金, 売掛金, 仮受消費税 have no kana).
_JAPANESE = re.compile(r"[\u3040-\u30ff]|預金|[払売仮]|為替")
#: The receivables a Japanese chart keeps a payment provider's balance in: 売掛金 (card and payment-service sales
#: until payout, data/account-names-ja.csv's clearing row), 未収入金 or 未収金 (amounts due outside sales). An account
#: named by one and a provider alone (売掛金 Stripe, Stripe 未収入金) is the provider's clearing account.
RECEIVABLE_WORDS = ("売掛金", "未収入金", "未収金")


#: A yen deposit as a Japanese chart names it, with no currency of its own: 普通預金 三菱UFJ, 当座預金 みずほ, 定期預金.
#: A deposit in a foreign currency is 外貨預金 (or 外貨普通預金) or carries its code (普通預金 USD).
_YEN_DEPOSIT = re.compile(r"^(普通|当座|定期|通知|貯蓄)預金")


def deposit_currency(name: str) -> str:
    """``JPY`` for a deposit a Japanese chart names without a currency (普通預金 三菱UFJ: an ordinary deposit in yen,
    財務諸表等規則 第15条第1号), else "": how the plan knows the chart's yen bank where it has no currency column."""
    name = name.strip()
    return "JPY" if _YEN_DEPOSIT.match(name) and "外貨" not in name and not re.search(r"[A-Z]{3}", name) else ""


def is_japanese(names: Sequence[str]) -> bool:
    """Whether a chart with these account names is written in Japanese: more of them in Japanese than in English."""
    japanese = sum(1 for name in names if _JAPANESE.search(name))
    return japanese > sum(1 for name in names if name.isascii())


def account_name(purpose: str, code: str = "") -> str:
    """The Japanese name of the account proposed for ``purpose`` (``clearing`` in USD is 売掛金(決済代行・USD),
    ``rounding`` 雑損失, ``tax:JP`` 仮受消費税等), or "" where data/account-names-ja.csv has none."""
    return _names().get(purpose, "").replace("{code}", code)


def account_words(purpose: str) -> tuple[str, ...]:
    """The Japanese name of ``purpose``'s account where it names no currency, for reading a chart's own back."""
    name = _names().get(purpose, "")
    return (name,) if name and "{code}" not in name else ()


def is_named(name: str) -> bool:
    """Whether ``name`` is one this module gives (外貨預金(USD), 外貨預金EUR, 雑損失, 仮受消費税等): where the plan
    used one, the Sources sheet lists this file, and no Chinese table."""
    return bool(_BY_CURRENCY.match(name.strip()) or _named().fullmatch(name))


@lru_cache(maxsize=1)
def _named() -> re.Pattern[str]:
    return re.compile("|".join(re.escape(n).replace(re.escape("{code}"), "[A-Z]{3}") for n in _names().values()))


@lru_cache(maxsize=None)
def _names() -> dict[str, str]:
    return {row["purpose"]: row["name"] for row in datafiles.rows("account-names-ja.csv")}


def bank_name(code: str, siblings: Sequence[str]) -> str:
    """The name of a new bank in ``code`` beside deposits named ``siblings``, or "" where none is named in Japanese."""
    for name in reversed(siblings):
        found = _BY_CURRENCY.match(name.strip())
        if found and (found.group(1) != "外貨預金" or code != "JPY"):
            word, before, _, after = found.groups()
            return f"{word}{before}{code}{after}"
    if not any(_JAPANESE.search(name) for name in siblings):
        return ""
    return _names()["bank-home" if code == "JPY" else "bank"].replace("{code}", code)
