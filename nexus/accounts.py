"""Chart-of-accounts updates: new currency and tax accounts, numbered in the company's own scheme.

:func:`read_chart` reads the current chart (CSV or XLSX: number, name, type,
currency, parent). :func:`infer_scheme` learns, per account type, how the
company numbers accounts: digit count, leading zeros, step, and sub-account
separators. :func:`plan` proposes what a new selling currency and a new tax
registration need, each with its reason and the next free number in the right
range: never an existing number, never the same account twice, and nothing at
all on a chart that already has them. :data:`TARGETS` render the proposals in
each accounting system's import columns.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping, Sequence

from nexus import places
from nexus.errors import InputError, Location, MissingColumns

#: Account kinds nexus proposes, with the first digit conventionally used for them
#: when the chart has no account of that kind to learn from.
KINDS = {"bank": "1", "receivable": "1", "current-asset": "1", "current-liability": "2", "income": "4",
         "expense": "6", "other-income": "7", "other-expense": "8"}
_TYPE_WORDS = {
    "bank": ("bank", "cash", "asset_cash", "checking", "savings"),
    "receivable": ("receivable", "accounts receivable", "accounts receivable (a/r)", "a/r", "asset_receivable",
                   "debtors"),
    "current-asset": ("current", "current asset", "other current asset", "other current assets", "asset_current",
                      "prepayment", "inventory", "asset"),
    "current-liability": ("currliab", "current liability", "other current liability", "other current liabilities",
                          "liability_current", "tax", "liability", "payable", "accounts payable",
                          "accounts payable (a/p)", "liability_payable", "creditors"),
    "income": ("revenue", "income", "sales", "income account"),
    "expense": ("expense", "expenses", "overheads", "directcosts", "cost of goods sold", "expense account",
                "chargeable"),
    "other-income": ("otherincome", "other income", "income_other"),
    "other-expense": ("other expense", "round off"),
}
FIELDS = ("number", "name", "type", "currency", "parent")
ALIASES = {"number": ("number", "code", "*code", "account number", "account_number", "account code", "no", "acct no"),
           "name": ("name", "*name", "account name", "account_name", "description"),
           "type": ("type", "*type", "account type", "account_type", "root type"),
           "currency": ("currency", "account currency", "currency_id", "ccy"),
           "parent": ("parent", "parent account", "subaccount of", "parent account number")}


@dataclass(frozen=True)
class Account:
    """One account of the chart, as read; ``kind`` is nexus's reading of its type."""

    number: str
    name: str
    type: str
    currency: str
    parent: str
    kind: str
    line: int


@dataclass(frozen=True)
class Proposal:
    """A new account nexus proposes, and why."""

    number: str
    name: str
    kind: str
    currency: str
    parent: str
    reason: str
    purpose: str  # e.g. "bank:JPY", "fx-realized", "tax:US-TX": what makes it unique


def kind_of(account_type: str) -> str:
    word = account_type.strip().lower()
    for kind, words in _TYPE_WORDS.items():
        if word in words:
            return kind
    if "receiv" in word:
        return "receivable"
    if "bank" in word or "cash" in word:
        return "bank"
    if "liab" in word or "payable" in word or "tax" in word:
        return "current-liability"
    if "income" in word or "revenue" in word:
        return "other-income" if "other" in word else "income"
    if "expense" in word or "cost" in word:
        return "other-expense" if "other" in word else "expense"
    return "current-asset" if "asset" in word else "other"


def read_chart(path: str, columns: Mapping[str, str] | None = None) -> list[Account]:
    """Read a chart of accounts (CSV or XLSX). Numbers stay text: leading zeros matter."""
    from nexus.sales import read_rows

    rows = read_rows(path)
    accounts: list[Account] = []
    index: dict[str, int] | None = None
    seen: dict[str, int] = {}
    for line, values in rows:
        cells = ["" if v is None else str(v).strip() for v in values]
        if not any(cells):
            continue
        if index is None:
            index = _columns([c.lower() for c in cells], columns or {}, path, cells)
            continue
        get = {f: cells[i] if i < len(cells) else "" for f, i in index.items()}
        if not get["number"]:
            raise InputError("is empty", Location(path, line, "number", ""))
        if get["number"] in seen:
            raise InputError(f"is used twice (also on line {seen[get['number']]})",
                             Location(path, line, "number", get["number"]))
        seen[get["number"]] = line
        accounts.append(Account(get["number"], get.get("name", ""), get.get("type", ""),
                                get.get("currency", "").upper(), get.get("parent", ""),
                                kind_of(get.get("type", "")), line))
    if index is None:
        raise InputError("is empty: no header row", Location(path))
    return accounts


def _columns(header: list[str], mapping: Mapping[str, str], path: str, cells: list[str]) -> dict[str, int]:
    found = {f: header.index(theirs.lower()) for f, theirs in mapping.items() if theirs.lower() in header}
    for field_name in FIELDS:
        if field_name not in found:
            match = next((header.index(a) for a in ALIASES[field_name] if a in header), None)
            if match is not None:
                found[field_name] = match
    missing = [f for f in ("number", "name", "type") if f not in found]
    if missing:
        raise MissingColumns(f"missing column(s) {', '.join(missing)}; columns found: {', '.join(cells)}; "
                             f"map them with --column FIELD=HEADER", Location(path, 1))
    return found


@dataclass(frozen=True)
class Scheme:
    """How the chart numbers one kind of account."""

    kind: str
    width: int          # digits of the numeric part, zero-padded
    step: int
    low: int            # the block accounts of this kind live in
    high: int
    prefix: str = ""    # for sub-accounts: "1010." before the running part
    parent: str = ""


_NUMBER = re.compile(r"^(?P<prefix>.*?[.\-/])?(?P<digits>\d+)$")


def infer_scheme(chart: Sequence[Account], kind: str) -> Scheme:
    """Learn digit count, step, block and sub-account form from the accounts of ``kind``."""
    widths = Counter(len(_NUMBER.match(a.number).group("digits")) for a in chart  # type: ignore[union-attr]
                     if _NUMBER.match(a.number))
    width = widths.most_common(1)[0][0] if widths else 4
    mine = [a for a in chart if a.kind == kind and _NUMBER.match(a.number)]
    if not mine:
        low = int(KINDS.get(kind, "9")) * 10 ** (width - 1)
        return Scheme(kind, width, 10 if width >= 4 else 1, low, low + 10 ** (width - 1) - 1)
    latest = max(mine, key=lambda a: (_NUMBER.match(a.number).group("prefix") or "",  # type: ignore[union-attr]
                                      int(_NUMBER.match(a.number).group("digits"))))  # type: ignore[union-attr]
    prefix = _NUMBER.match(latest.number).group("prefix") or ""  # type: ignore[union-attr]
    group = sorted(int(_NUMBER.match(a.number).group("digits")) for a in mine  # type: ignore[union-attr]
                   if (_NUMBER.match(a.number).group("prefix") or "") == prefix)  # type: ignore[union-attr]
    digits = len(_NUMBER.match(latest.number).group("digits"))  # type: ignore[union-attr]
    gaps = Counter(b - a for a, b in zip(group, group[1:]) if b > a)
    step = min(gaps.most_common(1)[0][0], 100) if gaps else (1 if prefix else 10 if digits >= 4 else 1)
    if prefix:
        return Scheme(kind, digits, step, 1, 10 ** digits - 1, prefix, latest.parent)
    # The block is the widest run of leading digits that every account of this kind shares (10xx for
    # banks numbered 1000-1030), keeping at least two free digits: 1000-1099, not 1000-1999.
    texts = [f"{n:0{digits}d}" for n in group]
    shared = 0
    while shared < digits - 2 and len({t[:shared + 1] for t in texts}) == 1:
        shared += 1
    shared = max(shared, 1)
    head = int(f"{max(group):0{digits}d}"[:shared])
    size = 10 ** (digits - shared)
    return Scheme(kind, digits, step, head * size, (head + 1) * size - 1, "", latest.parent)


def next_number(scheme: Scheme, used: set[str], chart: Sequence[Account]) -> str:
    """The next free number after the last one of its kind, in steps, inside its block (gaps after that)."""
    def text(n: int) -> str:
        return f"{scheme.prefix}{n:0{scheme.width}d}"

    taken = {int(m.group("digits")) for a in chart if (m := _NUMBER.match(a.number))
             and (m.group("prefix") or "") == scheme.prefix and a.kind == scheme.kind
             and scheme.low <= int(m.group("digits")) <= scheme.high}
    start = max(taken) + scheme.step if taken else scheme.low + scheme.step
    candidates = (list(range(start, scheme.high + 1, scheme.step))                   # after the last one
                  + list(range(scheme.low + scheme.step, scheme.high + 1, scheme.step))  # gaps, in steps
                  + list(range(scheme.low, scheme.high + 1)))                            # any gap at all
    for n in candidates:
        if text(n) not in used:
            return text(n)
    raise InputError(f"no free number left for {scheme.kind} accounts between {text(scheme.low)} and "
                     f"{text(scheme.high)}")


#: Targets that keep accounts receivable per currency.
AR_PER_CURRENCY = {"erpnext", "quickbooks"}


def _has(chart: Sequence[Account], test: Callable[[Account], bool]) -> bool:
    return any(test(a) for a in chart)


def _needs(chart: Sequence[Account], currency_codes: Iterable[str], jurisdictions: Iterable[tuple[str, str, str]],
           target: str) -> list[tuple[str, str, str, str, str]]:
    """(purpose, kind, name, currency, reason) for every account the chart lacks."""
    wanted: list[tuple[str, str, str, str, str]] = []
    lower = [(a, a.name.lower()) for a in chart]
    for code in currency_codes:
        if not _has(chart, lambda a: a.currency == code and "clearing" in a.name.lower()) and \
                not any(f"clearing - {code.lower()}" in n for _, n in lower):
            wanted.append((f"clearing:{code}", "current-asset", f"Provider clearing - {code}", code,
                           f"The ecommerce provider settles {code} sales here before payout."))
        if not _has(chart, lambda a: a.currency == code and a.kind == "bank"):
            wanted.append((f"bank:{code}", "bank", f"Bank - {code}", code,
                           f"Payouts in {code} need a bank account in {code}."))
        if target in AR_PER_CURRENCY and not _has(chart, lambda a: a.currency == code and a.kind == "receivable"):
            wanted.append((f"receivable:{code}", "receivable", f"Accounts receivable - {code}", code,
                           f"{target} keeps receivables per currency: one for {code}."))
    if len(set(currency_codes) | {a.currency for a in chart if a.currency}) > 1:  # FX only with two currencies
        if not any(re.search(r"(exchange|fx|forex|currency).*(gain|loss)|(gain|loss).*(exchange|fx)", n)
                   and not re.search(r"unreali[sz]ed", n) for _, n in lower):
            wanted.append(("fx-realized", "other-income", "Realized FX gain/loss", "",
                           "Selling in more than one currency realizes exchange gains and losses on settlement."))
        if not any(re.search(r"unreali[sz]ed", n) for _, n in lower):
            wanted.append(("fx-unrealized", "other-income", "Unrealized FX gain/loss", "",
                           "Open balances in foreign currencies are revalued at period end."))
        if not any("round" in n for _, n in lower):
            wanted.append(("rounding", "other-expense", "Currency rounding", "",
                           "Conversions and minor units (JPY 0 decimals, BHD 3) leave rounding differences."))
    for place, tax, why in jurisdictions:
        name = places.name(place)
        if not any(place.lower() in n or (name.lower() in n and re.search(r"tax|vat|gst|qst|jct", n))
                   for _, n in lower):
            wanted.append((f"tax:{place}", "current-liability", f"{tax} payable - {name} ({place})", "", why))
    return wanted


def plan(chart: Sequence[Account], currency_codes: Sequence[str], jurisdictions: Sequence[tuple[str, str, str]],
         target: str = "generic") -> list[Proposal]:
    """Proposals for new currencies and new tax registrations, numbered in the chart's scheme."""
    used = {a.number for a in chart}
    proposals: list[Proposal] = []
    growing = list(chart)
    for purpose, kind, name, code, reason in _needs(chart, currency_codes, jurisdictions, target):
        scheme = infer_scheme(growing, kind)
        number = next_number(scheme, used, growing)
        used.add(number)
        growing.append(Account(number, name, kind, code, scheme.parent, kind, 0))
        proposals.append(Proposal(number, name, kind, code, scheme.parent, reason, purpose))
    return proposals


def jurisdictions_from_check(document: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """(jurisdiction, tax, reason) for each finding exceeded or with presence that creates nexus."""
    found: list[tuple[str, str, str]] = []
    for f in document.get("findings", []):
        if f.get("status") in ("exceeded", "established") or f.get("presence_verdict") == "creates":
            tax = f.get("tax") or "Sales tax"
            why = (f"nexus check: {f.get('status')}" + (" (presence creates nexus)"
                                                        if f.get("presence_verdict") == "creates" else "")
                   + f" in {f.get('name', f['jurisdiction'])}; collecting {tax} needs a payable account.")
            if not any(j == f["jurisdiction"] for j, _, _ in found):
                found.append((f["jurisdiction"], tax[0].upper() + tax[1:], why))
    return found


# Each target's import columns, and how nexus's kinds read in it.
_TYPE_NAMES = {
    "generic": {"bank": "Bank", "receivable": "Receivable", "current-asset": "Current asset",
                "current-liability": "Current liability", "other-income": "Other income",
                "other-expense": "Other expense"},
    "xero": {"bank": "BANK", "receivable": "CURRENT", "current-asset": "CURRENT", "current-liability": "CURRLIAB",
             "other-income": "OTHERINCOME", "other-expense": "EXPENSE"},
    "quickbooks": {"bank": "Bank", "receivable": "Accounts receivable (A/R)", "current-asset": "Other Current Assets",
                   "current-liability": "Other Current Liabilities", "other-income": "Other Income",
                   "other-expense": "Other Expense"},
    "netsuite": {"bank": "Bank", "receivable": "Accounts Receivable", "current-asset": "Other Current Asset",
                 "current-liability": "Other Current Liability", "other-income": "Other Income",
                 "other-expense": "Other Expense"},
    "odoo": {"bank": "asset_cash", "receivable": "asset_receivable", "current-asset": "asset_current",
             "current-liability": "liability_current", "other-income": "income_other", "other-expense": "expense"},
    "erpnext": {"bank": "Bank", "receivable": "Receivable", "current-asset": "", "current-liability": "Tax",
                "other-income": "", "other-expense": "Round Off"},
}
_QBO_DETAIL = {"bank": "Checking", "receivable": "Accounts Receivable (A/R)", "current-asset": "Other Current Assets",
               "current-liability": "Global Tax Payable", "other-income": "Other Miscellaneous Income",
               "other-expense": "Other Miscellaneous Expense"}
_ROOT = {"bank": "Asset", "receivable": "Asset", "current-asset": "Asset", "current-liability": "Liability",
         "other-income": "Income", "other-expense": "Expense"}


def _row(target: str, p: Proposal) -> dict[str, str]:
    kind = _TYPE_NAMES[target][p.kind]
    if target == "xero":
        return {"*Code": p.number, "*Name": p.name, "*Type": kind, "*Tax Code": "Tax Exempt",
                "Description": p.reason + (f" Currency: {p.currency}." if p.currency else ""), "Dashboard": "No",
                "Expense Claims": "No", "Enable Payments": "No", "Balance": ""}
    if target == "quickbooks":
        detail = "Exchange Gain or Loss" if p.purpose.startswith("fx-") else (
            "Sales Tax Payable" if p.purpose.startswith("tax:US-") else _QBO_DETAIL[p.kind])
        return {"Account Number": p.number, "Account Name": p.name, "Type": kind, "Detail Type": detail,
                "Currency": p.currency}
    if target == "netsuite":
        return {"External Id": f"nexus-{p.purpose}", "Account Number": p.number, "Account Name": p.name,
                "Account Type": kind, "Description": p.reason, "Currency": p.currency, "Subaccount of": p.parent,
                "Inactive": "No"}
    if target == "odoo":
        return {"code": p.number, "name": p.name, "account_type": kind, "currency_id": p.currency}
    if target == "erpnext":
        return {"Account Name": p.name, "Parent Account": p.parent, "Account Number": p.number, "Is Group": "0",
                "Account Type": kind, "Root Type": _ROOT[p.kind], "Account Currency": p.currency}
    return {"Number": p.number, "Name": p.name, "Type": kind, "Currency": p.currency, "Parent": p.parent,
            "Reason": p.reason}


TARGETS = tuple(_TYPE_NAMES)


def import_rows(target: str, proposals: Sequence[Proposal]) -> list[dict[str, str]]:
    """The proposals in ``target``'s import columns (Xero, QuickBooks Online, NetSuite, Odoo, ERPNext Data Import)."""
    if target not in _TYPE_NAMES:
        raise InputError(f"unknown target {target!r} ({', '.join(TARGETS)})")
    return [_row(target, p) for p in proposals]


def missing_for_currency(chart: Sequence[Account], code: str, target: str = "generic") -> list[str]:
    """Names of the accounts a chart lacks to sell in ``code`` (for the currency review)."""
    return [name for purpose, _, name, _, _ in _needs(chart, [code], [], target) if purpose.endswith(f":{code}")]
