"""The quarterly currency review: what the ecommerce provider sells in now, against last quarter.

The provider's list (a text or CSV file with one code per line, or JSON: a
list of codes, or an object holding one) is read from a path or an http(s)
URL, compared with the previous review kept in the local store (or a
``--previous`` file), and every currency is classified: added, removed,
unchanged, withdrawn (with its successor) or unknown (not ISO 4217). For each
added currency the review gives what finance needs to open it: its name,
minor units, an amount as a customer and as an accountant would see it, the
countries using it, whether the ECB publishes a rate, with a chart of
accounts which accounts are missing, and what to do, in words ("open a JPY
bank account and a JPY clearing account; JPY has no minor unit"). A first
review has nothing to compare with: its currencies are *listed*, not added,
and each gets the same facts and action.
"""
from __future__ import annotations

import csv
import json
import re
import unicodedata
from functools import lru_cache
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Sequence

from nexus import currencies, download
from nexus.errors import InputError, Location
from nexus.money import format_amount, minor_units
from nexus.spreadsheets import unicode_encoding

EXAMPLE = Decimal("1234.5")
#: What ``nexus currencies review --fail-on`` can ask about (:meth:`Review.fails`).
FAIL_ON = ("changed", "missing-accounts", "invalid-codes")
_CODE = re.compile(r"^[A-Z]{3}$")
#: The header names of a list's code column (and a JSON entry's code key), the most telling first.
_CODE_COLUMNS = ("code", "currency_code", "iso_code", "iso", "currency")
#: The columns (or JSON keys) that say whether the store sells in a listed currency, and whether their "yes" means
#: it does (enabled, active) or it does not (disabled, inactive). A listed currency switched off is not sold in.
_SWITCH_COLUMNS = {"enabled": True, "is_enabled": True, "active": True, "is_active": True, "status": True,
                   "disabled": False, "is_disabled": False, "inactive": False, "is_inactive": False}
_ON = {"true", "yes", "y", "1", "enabled", "active", "on", "live"}
_OFF = {"false", "no", "n", "0", "disabled", "inactive", "off", "archived", "deleted"}
_LIST_KEYS = ("currencies", "supported_currencies", "presentment_currencies", "currency_codes", "codes", "data")


@dataclass(frozen=True)
class Listed:
    """A code of a provider's list and where the list holds it, as warnings name a file's place: ``list.txt:4``,
    ``list.json, entry 4`` (JSON keeps no lines), ``profile.yaml:12``."""

    code: str
    where: str


@dataclass(frozen=True)
class AddedCurrency:
    """What finance needs to know to start selling in a currency."""

    code: str
    name: str
    minor_units: int | None
    customer_example: str
    accountant_example: str
    countries: tuple[str, ...]
    ecb_rate: bool
    missing_accounts: tuple[str, ...] = ()
    action: str = ""


@dataclass(frozen=True)
class Review:
    """One review of a provider's currency list."""

    provider: str
    codes: tuple[str, ...]
    previous: tuple[str, ...] | None
    previous_from: str | None
    added: tuple[str, ...]
    removed: tuple[str, ...]
    unchanged: tuple[str, ...]
    withdrawn: tuple[currencies.CurrencyFacts, ...]
    unknown: tuple[str, ...]
    details: tuple[AddedCurrency, ...] = field(default_factory=tuple)
    reviewed_on: str = ""
    #: Current ISO 4217 codes that are not money a store is paid in: ISO gives them no minor unit (the precious
    #: metals XAU, XAG, XPT, XPD, the SDR, bond-market units, the testing code XTS, XXX): no accounts proposed.
    not_for_sale: tuple[str, ...] = ()
    #: With a chart: the unchanged currencies whose accounts the chart lacks (sold in last quarter too, never opened).
    unchanged_missing: tuple[AddedCurrency, ...] = ()
    #: Where the provider's list could not be fetched: the review whose list was used instead ("review 1 of
    #: 2026-09-01"), so no one signs off a quarter as unchanged on a list that was not read.
    list_kept_from: str | None = None
    #: With a chart: (name, reason) of the FX gain/loss and rounding accounts it lacks to sell in these currencies;
    #: None without a chart (not looked for).
    missing_fx: tuple[tuple[str, str], ...] | None = None
    #: The name the review is kept under in the store (``--provider-name``), as the screen's comparison and
    #: ``nexus history`` say it; ``provider`` is the list's file or URL.
    provider_name: str = ""
    #: (code, where) of the codes of the provider's list (:class:`Listed`): a withdrawn or unknown code is named
    #: with its line, as the other warnings name theirs. Empty for a list kept in the store, which has no file.
    listed_at: tuple[tuple[str, str], ...] = ()
    #: Where this quarter's list was reviewed already: the quarter's latest run before this one ("review 3 of
    #: 2026-12-08"), so that two printouts of one quarter are not taken for two quarters (the comparison is with an
    #: earlier quarter's review, for both); None for the quarter's first run.
    rerun_of: str | None = None

    def at(self, code: str) -> str:
        """``code`` with where the list holds it, ``ABC (list.txt:4)``, or the code alone where that is not known."""
        where = dict(self.listed_at).get(code)
        return f"{code} ({where})" if where else code

    @property
    def first(self) -> bool:
        """No earlier review to compare with: every currency is listed, none is 'added'."""
        return self.previous is None

    def fails(self, fail_on: str) -> bool:
        """What ``--fail-on`` asks about (exit 1), and nothing else: ``changed``, the provider's list added or
        removed a currency since the review compared with (a first review changes nothing); ``missing-accounts``,
        the chart lacks an account to sell in a currency of the list, its own or an FX or rounding account (a review
        without a chart looked for none: the CLI refuses the pair); ``invalid-codes``, the list holds a withdrawn
        code, one ISO 4217 never had, or one that is not money."""
        if fail_on == "changed":
            return bool(self.added or self.removed)
        if fail_on == "missing-accounts":
            return any(d.missing_accounts for d in self.details + self.unchanged_missing) or bool(self.missing_fx)
        if fail_on == "invalid-codes":
            return bool(self.withdrawn or self.unknown or self.not_for_sale)
        raise ValueError(f"fail_on must be one of {FAIL_ON}")

    @property
    def compared_with(self) -> str:
        return self.previous_from or "first review: nothing to compare with"

    def as_dict(self) -> dict[str, Any]:
        return {
            "provider": self.provider, "provider_name": self.provider_name, "reviewed_on": self.reviewed_on,
            "previous_from": self.previous_from,
            "first_review": self.first,
            "currencies": list(self.codes), "previous": list(self.previous) if self.previous is not None else None,
            "added": [] if self.first else [self._detail(d) for d in self.details],
            "listed": [self._detail(d) for d in self.details] if self.first else [],
            "removed": list(self.removed), "unchanged": list(self.unchanged),
            "withdrawn": [{"code": w.code, "name": w.name, "withdrawn": w.withdrawn, "successor": w.successor,
                           "changeover": w.changeover} for w in self.withdrawn],
            "unknown": list(self.unknown), "not_for_sale": list(self.not_for_sale),
            "unchanged_missing": [self._detail(d) for d in self.unchanged_missing],
            "list_kept_from": self.list_kept_from, "rerun_of": self.rerun_of,
            "missing_fx_accounts": None if self.missing_fx is None else [
                {"name": name, "reason": reason} for name, reason in self.missing_fx],
        }

    @staticmethod
    def _detail(d: AddedCurrency) -> dict[str, Any]:
        return d.__dict__ | {"countries": list(d.countries), "missing_accounts": list(d.missing_accounts)}


def parse_list(data: bytes, source: str) -> list[str]:
    """Currency codes from a provider's list, trimmed and upper-cased; anything else is an error. The list may be
    UTF-8 or UTF-16 (Excel's "Unicode text"), its fields separated by commas, or by tabs as Excel's text is."""
    return [listed.code for listed in parse_listed(data, source)]


def parse_listed(data: bytes, source: str) -> list[Listed]:
    """:func:`parse_list`'s codes, each with where the list holds it (its first entry where it is listed twice)."""
    encoding = unicode_encoding(data)
    if encoding is None:
        raise InputError("is not UTF-8 or UTF-16 text", Location(source))
    text = data.decode(encoding)
    stripped = text.strip()
    entries: list[tuple[str, object, bool]] = []  # where, the entry, whether the store sells in it
    if stripped.startswith(("[", "{")):
        try:
            document = json.loads(stripped)
        except json.JSONDecodeError as exc:
            # json's own words may end in 'at' ('Invalid control character at'): the line follows once
            raise InputError(f"is not valid JSON ({exc.msg.removesuffix(' at')} at line {exc.lineno}, column "
                             f"{exc.colno})", Location(source)) from None
        entries = [_json_entry(entry, i, source) for i, entry in enumerate(_json_list(document, source), start=1)]
    else:
        try:
            lines = text.splitlines()
            first = next((line for line in lines if line.strip() and not line.lstrip().startswith("#")), "")
            rows = list(csv.reader(lines, delimiter="\t" if "\t" in first else ","))  # Excel's Unicode text: tabs
        except csv.Error as exc:
            raise InputError(f"is not a readable list ({exc})", Location(source)) from None
        column = 0
        header = [_name(h) for h in rows[0]] if rows else []
        headed = any(h in _CODE_COLUMNS for h in header)
        switch = None
        names = rows[0] if rows else []
        if headed:
            # the most telling name wins: 'Currency,Code' holds the name under Currency and the code under Code
            column = header.index(next(name for name in _CODE_COLUMNS if name in header))
            switch = next((i for i, h in enumerate(header) if h in _SWITCH_COLUMNS), None)
            rows = [[]] + rows[1:]
        for line, row in enumerate(rows, start=1):
            if not any(cell.strip() for cell in row) or row[0].strip().startswith("#"):
                continue  # a blank row or a comment; a row with only its first cell empty still holds a code
            if not headed:
                _one_code_a_line(row, line, source)
            on = True
            if switch is not None:  # enabled=false: listed by the provider but switched off for the store
                value = row[switch] if switch < len(row) else ""
                on = _switched_on(value, header[switch], Location(source, line, names[switch].strip(), value))
            entries.append((f"line {line}", row[column] if column < len(row) else "", on))
    codes = _sold_in(entries, source)
    if not codes:
        raise InputError("lists no currencies", Location(source))
    return [Listed(code, f"{source}:{where.removeprefix('line ')}" if where.startswith("line ") else
                   f"{source}, {where}") for code, where in codes]


def code_of(text: str) -> str:
    """A currency code as ISO writes it: trimmed, upper-cased, and full-width letters read as the letters they are
    (ＪＰＹ, as a Japanese or Chinese input method types them in a spreadsheet, is JPY; it was refused as 'not a
    three-letter currency code', and taken in a provider profile's list as a code ISO never had)."""
    return unicodedata.normalize("NFKC", text).strip().upper()


def is_code(text: str) -> bool:
    """Three Latin capitals (after :func:`code_of`): the form of an ISO 4217 code, whether or not ISO has it."""
    return bool(_CODE.match(text))


def _name(header: object) -> str:
    """A column's or key's name as nexus looks it up: trimmed, lower case, spaces and hyphens as underscores, so
    that a spreadsheet's 'Currency Code' or 'ISO Code' is the code column ('Currency Code' was read as a code
    and refused)."""
    return re.sub(r"[\s\-]+", "_", str(header).strip().lower())


def _json_entry(entry: object, i: int, source: str) -> tuple[str, object, bool]:
    """Where, the code and whether the store sells in it, for one entry of a JSON list: a code, or an object whose
    code is under one of the names a CSV list's code column goes by (any case; ``currency_code`` was refused as
    'None') and which a false ``enabled`` (or such) switches off."""
    on = True
    if isinstance(entry, dict):
        switch = next((k for k in entry if _name(k) in _SWITCH_COLUMNS), None)
        on = switch is None or _switched_on(entry[switch], str(switch), Location(
            source, None, str(switch), str(entry[switch])), f"entry {i} ")
        keys = {_name(k): v for k, v in entry.items()}
        entry = next((keys[k] for k in _CODE_COLUMNS if keys.get(k) not in (None, "")), None)
        if entry is None and on:
            raise InputError(f"entry {i} has no currency code: none of its keys is {', '.join(_CODE_COLUMNS)}",
                             Location(source))
    return f"entry {i}", entry, on


def _sold_in(entries: list[tuple[str, object, bool]], source: str) -> list[tuple[str, str]]:
    """The codes switched on, in the list's order, each once. A code listed twice alike is one currency; listed
    both on and off (``JPY,true`` and ``jpy,false``) the list contradicts itself, and which entry won depended on
    their order (JPY was kept as sold in): an error naming both entries, never a guess. Each code comes with its
    first entry."""
    codes: list[tuple[str, str]] = []
    seen: dict[str, tuple[str, bool]] = {}
    for where, entry, on in entries:
        code = code_of(entry) if isinstance(entry, str) else None
        if (code is None or not _CODE.match(code)) and not on:
            continue  # switched off and not sold in: what it holds does not matter to the review
        if code is None or not _CODE.match(code):
            raise InputError(f"{where} ({entry!r}) is not a three-letter currency code", Location(source))
        earlier, earlier_on = seen.setdefault(code, (where, on))
        if earlier_on != on:
            raise InputError(f"{where} lists {code} {'on' if on else 'off'}, and {earlier} lists it "
                             f"{'on' if earlier_on else 'off'}: keep one entry for each currency", Location(source))
        if on and earlier == where:
            codes.append((code, where))
    return codes


def _switched_on(value: object, column: str, where: Location, entry: str = "") -> bool:
    """Whether a list's enabled/active/disabled/status value says the store sells in the currency: true/false,
    yes/no, 1/0, enabled/disabled, active/inactive, read the other way round under 'disabled'. Anything else is
    an error naming the row and column, never a guess: a currency wrongly kept or left out changes the review."""
    positive = _SWITCH_COLUMNS[_name(column)]
    if isinstance(value, bool):
        return value is positive
    word = str(value).strip().lower() if isinstance(value, (str, int)) else ""
    if word in _ON:
        return positive
    if word in _OFF:
        return not positive
    raise InputError(f"{entry}is neither on nor off (true/false, yes/no, 1/0, enabled/disabled)", where)


def _one_code_a_line(row: list[str], line: int, source: str) -> None:
    """A headerless line is read by its first cell, so ``USD,EUR,GBP`` would be USD alone: a further cell that is
    itself a currency code means a list written across the line, which is refused rather than cut short (a name
    beside the code, ``USD,US Dollar``, is still read)."""
    for column, cell in enumerate(row[1:], start=2):
        if is_code(code_of(cell)) and currencies.facts(code_of(cell)):
            raise InputError("is a currency code past the first column: give one code a line, or a header naming the "
                             "code column", Location(source, line, str(column), cell.strip()))


def _json_list(document: object, source: str) -> list:
    if isinstance(document, list):
        return document
    if isinstance(document, dict):
        for key in _LIST_KEYS:
            if isinstance(document.get(key), list):
                return document[key]
        lists = [v for v in document.values() if isinstance(v, list)]
        if len(lists) == 1:
            return lists[0]
    raise InputError("is JSON without a list of currency codes (a list, or an object holding one)",
                     Location(source))


def load_list(path_or_url: str) -> list[str]:
    return [listed.code for listed in load_listed(path_or_url)]


def load_listed(path_or_url: str) -> list[Listed]:
    """The list at a path or an http(s) URL, each code with where it is (:func:`parse_listed`)."""
    if path_or_url.startswith(("https://", "http://")):
        return parse_listed(download.get(path_or_url), path_or_url)
    try:
        with open(path_or_url, "rb") as handle:
            return parse_listed(handle.read(), path_or_url)
    except OSError as exc:
        raise InputError(f"cannot be opened ({exc.strerror})", Location(path_or_url)) from None


def customer_example(code: str, amount: Decimal = EXAMPLE) -> str:
    """How a customer sees an amount: the currency's symbol and local format (CLDR, through babel), rounded half up
    once to the places a shop shows (CLDR's: Iraqi dinars in whole dinars, though ISO gives them three). Rounded
    first to ISO's places and then by babel (half even), 1,234.5 dinars showed as 1,234."""
    from babel.numbers import format_currency, get_currency_precision

    locale = _locale_for(code)
    try:
        shown = amount.quantize(Decimal(1).scaleb(-get_currency_precision(code)), rounding=ROUND_HALF_UP)
        return format_currency(shown, code, locale=locale)
    except Exception:  # babel lacks some funds and metals; fall back to the accountant's form
        return accountant_example(code, amount)


def accountant_example(code: str, amount: Decimal = EXAMPLE) -> str:
    """How an accountant books it: the ISO minor unit, half-up, and the code (``1,235 JPY``)."""
    return f"{format_amount(amount, code)} {code}"


@lru_cache(maxsize=None)
def _locale_for(code: str) -> str:
    """A locale of a country that uses the currency, for a customer-facing example.

    ISO 4217 codes mostly begin with the issuing country's code (USD, JPY,
    CHF), so that country is tried first, then every other country using it.
    """
    from babel import Locale, UnknownLocaleError
    from babel.core import get_global
    from babel.languages import get_official_languages

    users = [t for t, records in sorted(get_global("territory_currencies").items())
             if any(r[0] == code and r[2] is None for r in records)]
    for territory in sorted(users, key=lambda t: t != code[:2]):
        for language in get_official_languages(territory, de_facto=True):
            try:
                Locale.parse(f"{language}_{territory}")
            except (UnknownLocaleError, ValueError):
                continue
            return f"{language}_{territory}"
    return "en_US"


#: How each kind of missing account reads in an action.
_ACCOUNT_WORDS = {"bank": "bank account", "clearing": "clearing account", "receivable": "receivable account"}


def a_code(code: str) -> str:
    """``a USD``, ``an AUD``, ``an SGD``: a code is read letter by letter, and A, E, F, H, I, L, M, N, O, R, S and X
    are said with a vowel first."""
    return f"{'an' if code[:1].upper() in 'AEFHILMNORSX' and code else 'a'} {code}"


def _in_chart_words(name: str) -> str:
    """The account's name where the plan gives it in the chart's own language (" (外貨預金(BHD))"), else "": the
    English name (Bank - BHD) says no more than the words before it, but a Japanese or Chinese accountant opens the
    account by the name the plan proposes, as ``nexus accounts plan`` and ``provider compare`` print it."""
    return f" ({name})" if name and not name.isascii() else ""


def action(code: str, missing: Sequence[tuple[str, str]] | None, minor: int | None, ecb_rate: bool) -> str:
    """What finance does to start selling in ``code``, in words, from the facts the review found."""
    parts: list[str] = []
    if missing is None:
        parts.append(f"check the chart has {a_code(code)} bank account and {a_code(code)} clearing account "
                     f"(give --coa)")
    elif missing:
        words = [f"{a_code(code)} {_ACCOUNT_WORDS.get(kind, kind + ' account')}{_in_chart_words(name)}"
                 for kind, name in missing]
        parts.append("open " + (" and ".join(words) if len(words) < 3 else ", ".join(words[:-1]) + " and " + words[-1]))
    else:
        parts.append(f"the chart has the {code} accounts")
    if minor == 0:
        parts.append(f"{code} has no minor unit")
    elif minor is not None and minor != 2:
        parts.append(f"{code} has {minor} decimals")
    if not ecb_rate:
        parts.append(f"no ECB rate: supply {code} rates (a treasury CSV to nexus check --rates)")
    return "; ".join(parts)


def details(code: str, missing: Sequence[tuple[str, str]] | Sequence[str] | None = ()) -> AddedCurrency:
    """The facts and the action for ``code``; ``missing``: the chart's missing (kind, name) pairs, None without one."""
    fact = currencies.facts(code)
    assert fact is not None
    pairs = None if missing is None else [m if isinstance(m, tuple) else ("", m) for m in missing]
    minor = fact.minor_units if fact.minor_units is not None else minor_units(code)
    ecb = code in currencies.ecb_published()
    return AddedCurrency(code, fact.name, minor, customer_example(code), accountant_example(code), fact.countries, ecb,
                         tuple(name for _, name in pairs or ()), action(code, pairs, minor, ecb))


def review(provider: str, codes: Sequence[str], previous: Sequence[str] | None, previous_from: str | None,
           missing_accounts: dict[str, Sequence[tuple[str, str]]] | None = None, on: date | None = None,
           list_kept_from: str | None = None, missing_fx: Sequence[tuple[str, str]] | None = None,
           provider_name: str = "", listed: Sequence[Listed] = (), rerun_of: str | None = None) -> Review:
    """Compare ``codes`` with ``previous``; None for a first review, whose currencies are listed rather than added.

    ``list_kept_from`` names the stored review whose list ``codes`` is, when the provider's could not be fetched;
    ``missing_fx`` the FX and rounding accounts the chart lacks (:func:`nexus.accounts.missing_fx_accounts`);
    ``provider_name`` the name the store keeps the provider's reviews under; ``listed`` where the list holds
    each code (:func:`load_listed`), for the screens to name a withdrawn or unknown code's line; ``rerun_of`` the
    quarter's earlier run where this one reviews the same quarter again (:attr:`Review.rerun_of`).
    """
    known = [c for c in codes if currencies.facts(c)]
    unknown = tuple(c for c in codes if not currencies.facts(c))
    withdrawn = tuple(currencies.facts(c) for c in known if not currencies.facts(c).current)  # type: ignore[union-attr]
    current = [c for c in known if currencies.facts(c).current]  # type: ignore[union-attr]
    not_for_sale = tuple(c for c in current if not_money(c))
    current = [c for c in current if c not in not_for_sale]
    if previous is None:
        added: tuple[str, ...] = ()
        unchanged: tuple[str, ...] = ()
        explained = current
    else:
        added = tuple(c for c in current if c not in previous)
        unchanged = tuple(c for c in current if c in previous)
        explained = list(added)
    removed = tuple(c for c in (previous or []) if c not in codes)
    found = tuple(details(c, None if missing_accounts is None else missing_accounts.get(c, ())) for c in explained)
    lacking = tuple(details(c, (missing_accounts or {})[c]) for c in unchanged if (missing_accounts or {}).get(c))
    return Review(provider, tuple(codes), tuple(previous) if previous is not None else None, previous_from,
                  added, removed, unchanged, withdrawn, unknown, found,  # type: ignore[arg-type]
                  (on or date.today()).isoformat(), not_for_sale, lacking, list_kept_from,
                  None if missing_fx is None else tuple(missing_fx), provider_name,
                  tuple((item.code, item.where) for item in listed), rerun_of)


def sold_in(codes: Sequence[str]) -> list[str]:
    """The codes a store can be paid in, in order: current ISO 4217 codes that are money (:func:`not_money`). The
    accounts plan and the accrual open accounts for these only."""
    return [c for c in codes if (fact := currencies.facts(c)) is not None and fact.current and not not_money(c)]


def not_money(code: str) -> bool:
    """Whether ``code`` is a current ISO 4217 code a store is not paid in: ISO gives it no minor unit (N.A.),
    as for the precious metals, the SDR, bond-market units, the testing code XTS and XXX (no currency), or lists it
    as a fund code, a unit of account (Chile's CLF, Mexico's MXV, USN): no bank account is kept in one."""
    fact = currencies.facts(code)
    return fact is not None and fact.current and (fact.minor_units is None or fact.fund)


#: :func:`not_money_reason` for a code with no minor unit (a metal, the SDR, a testing code), as against a fund code.
NO_MINOR_UNIT = "ISO 4217 gives no minor unit"


def not_money_reason(code: str) -> str:
    """Why :func:`not_money` says so of ``code``, in words: no minor unit, or a fund code with the currency customers
    in its country pay in (CLF: CLP)."""
    fact = currencies.facts(code)
    if fact is None or not fact.fund:
        return NO_MINOR_UNIT
    paid_in = sorted(f.code for f in currencies.iso_current().values()
                     if not f.fund and f.minor_units is not None and set(f.countries) & set(fact.countries))
    return ("an ISO 4217 fund code, a unit of account"
            + (f": customers there pay in {', '.join(paid_in)}" if paid_in else ""))
