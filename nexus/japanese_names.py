"""Bank accounts named as a Japanese chart names its deposits: 外貨預金(USD) beside 普通預金 三菱UFJ.

A Japanese chart keeps its deposits as accounts of their own (普通預金, 当座預金, 外貨預金), with banks as 補助科目
rather than numbered sub-accounts. A new currency's bank beside them follows a deposit named by its currency where the
chart has one (外貨預金USD: 外貨預金EUR; 普通預金 USD: 普通預金 EUR), and is otherwise 外貨預金(EUR) (普通預金(JPY) for
yen). The words are data: data/account-names-ja.csv, with their sources. The code stays in the name: it is how the plan,
and the next plan, reads the deposit's currency where the chart has no currency column.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Sequence

from nexus import datafiles

#: Where the words come from, as the plan's Sources sheet lists them where it used one.
SOURCE = ("Japanese names of deposits (外貨預金(USD))",
          "data/account-names-ja.csv (財務諸表等規則 第15条第1号; 逆引き勘定科目事典)")
#: A deposit named by its currency alone: 外貨預金USD, 普通預金 USD, 外貨預金(GBP), 外貨普通預金（EUR）.
_BY_CURRENCY = re.compile(r"^(普通預金|当座預金|外貨預金|外貨普通預金)(\s*[(（]?)([A-Z]{3})([)）]?)$")
#: Kana, or a deposit's kanji as Japanese writes them (預金; Chinese writes 存款, Korean 예금): a name in Japanese.
_JAPANESE = re.compile(r"[\u3040-\u30ff]|預金")


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
