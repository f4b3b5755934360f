"""Exchange rates, read as Decimal: the European Central Bank's reference rates and treasury files.

Sales in other currencies are converted to a threshold's currency at the
rate for each sale's day: the latest rate published on or before it (or, by
policy, the month's average or the period's last rate). Rates are units of
each currency per 1 EUR, so every conversion goes through EUR:
``amount / per_eur[from] * per_eur[to]``, at 28 significant digits, with no
rounding until a figure is shown. A rate more than :data:`MAX_RATE_AGE_DAYS`
older than the sale is refused rather than silently reused.

Files read: ``eurofxref-hist.csv`` (or the ``.zip`` holding it), the daily
``eurofxref.csv``, the daily, 90-day and history XML files, and a treasury
CSV (``date,currency,per_eur`` or ``date,base,quote,rate``) for currencies
the ECB does not publish. Several sources combine in :class:`Rates`.

More information:

* https://www.ecb.europa.eu/stats/policy_and_exchange_rates/euro_reference_exchange_rates/html/index.en.html
"""
from __future__ import annotations

import bisect
import csv
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from itertools import compress
from typing import Iterable, Sequence
from xml.etree import ElementTree

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as defused_fromstring

from nexus import download
from nexus.currencies import ecb_published
from nexus.errors import InputError, Location, RateMissing

#: ECB rates are not published on weekends and TARGET holidays (up to four
#: days around Easter and Christmas); a gap longer than this means the
#: currency is no longer published, and its last rate must not be reused.
MAX_RATE_AGE_DAYS = 7
TIMEOUT = download.TIMEOUT
#: Newest rate older than the day asked about by more business days than this: stale, and said so.
STALE_RATES_BUSINESS_DAYS = 3
ECB_HISTORY_URL = "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist.zip"
ECB_90_DAYS_URL = "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist-90d.xml"
ECB_DAILY_URL = "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml"
#: How a sale's amount is converted: at its own day's rate, at the average of
#: its month's published rates, or at the rate of the last day of the period
#: measured. See docs/check.md, "Currency conversion".
FX_POLICIES = ("daily", "monthly-average", "period-end")
_ECB_NS = "{http://www.ecb.int/vocabulary/2002-08-01/eurofxref}"
#: Limits for a zipped rates file. The ratio is the one XLSX workbooks are held to
#: (:data:`nexus.spreadsheets.MAX_XLSX_RATIO`); the size is what a rates file may weigh when fetched unzipped
#: (:data:`nexus.download.MAX_BYTES`), not XLSX's 2 GiB, because a rates file is read into memory whole.
#: The ECB's full history inflates about tenfold, to a few MB.
MAX_ZIP_RATIO = 200
MAX_ZIP_EXPANDED = download.MAX_BYTES


Series = tuple[list[date], list[Decimal]]


def _latest_on_or_before(series: Series, day: date) -> tuple[Decimal, date] | None:
    days, rates = series
    i = bisect.bisect_right(days, day) - 1
    return (rates[i], days[i]) if i >= 0 else None


def _insert(series: Series, day: date, rate: Decimal) -> None:
    days, rates = series
    i = bisect.bisect_left(days, day)
    if i < len(days) and days[i] == day:
        rates[i] = rate
    else:
        days.insert(i, day)
        rates.insert(i, rate)


@dataclass
class RateTable:
    """Rates from one named source: units of each currency per 1 EUR, by date.

    ``pairs`` holds rates between two other currencies (units of quote per 1
    base), as a treasury file may give them; they are used through the
    base currency's rate against the euro.
    """

    source: str
    per_eur: dict[str, Series] = field(default_factory=dict)
    pairs: dict[tuple[str, str], Series] = field(default_factory=dict)

    def add(self, day: date, code: str, rate: Decimal) -> None:
        _insert(self.per_eur.setdefault(code, ([], [])), day, rate)

    def rate_on(self, day: date, code: str) -> Decimal | None:
        """The euro rate of ``code`` given for exactly ``day``, or None."""
        days, rates = self.per_eur.get(code, ([], []))
        i = bisect.bisect_left(days, day)
        return rates[i] if i < len(days) and days[i] == day else None

    def add_pair(self, day: date, base: str, quote: str, rate: Decimal) -> None:
        if base == "EUR":
            self.add(day, quote, rate)
        elif quote == "EUR":
            self.add(day, base, Decimal(1) / rate)
        else:
            _insert(self.pairs.setdefault((base, quote), ([], [])), day, rate)

    def latest(self, on: date | None = None) -> date | None:
        """The newest day with a rate, or the newest on or before ``on`` (a check of a past day uses no later one,
        and says so)."""
        if on is None:
            ends = [days[-1] for days, _ in list(self.per_eur.values()) + list(self.pairs.values()) if days]
        else:
            ends = [days[at - 1] for days, _ in list(self.per_eur.values()) + list(self.pairs.values())
                    if (at := bisect.bisect_right(days, on))]
        return max(ends) if ends else None

    def currencies(self) -> set[str]:
        return set(self.per_eur) | {c for pair in self.pairs for c in pair}

    def rate(self, code: str, day: date) -> tuple[Decimal, date]:
        """Units of ``code`` per EUR on ``day`` from this source alone (see :class:`Rates`)."""
        return Rates([self]).rate(code, day)[:2]

    def convert(self, amount: Decimal, from_code: str, to_code: str, day: date) -> Decimal:
        return Rates([self]).convert(amount, from_code, to_code, day)


def business_days_between(start: date, end: date) -> int:
    """Weekdays after ``start`` up to and including ``end`` (the ECB publishes on weekdays only)."""
    days, count = start, 0
    while days < end:
        days += timedelta(days=1)
        count += days.weekday() < 5
    return count


@dataclass(frozen=True)
class Coverage:
    """What a rates table holds, for ``nexus rates status``: the currencies, the newest day and how stale it is
    on ``today``, the silences longer than :data:`MAX_RATE_AGE_DAYS` in which no currency has a rate (a sale
    there stops a check), and the currencies whose rates end before the newest day (no longer published, or
    not fetched lately)."""

    currencies: int
    first: date
    newest: date
    today: date
    business_days_old: int
    gaps: tuple[tuple[date, date], ...]
    ended: tuple[tuple[str, date], ...]

    @property
    def stale(self) -> bool:
        return self.business_days_old > STALE_RATES_BUSINESS_DAYS


def coverage(table: RateTable, today: date) -> Coverage | None:
    """The :class:`Coverage` of ``table`` on ``today``; None when it holds no rates."""
    days = sorted({d for series, _ in table.per_eur.values() for d in series})
    if not days:
        return None
    gaps = tuple((a, b) for a, b in zip(days, days[1:]) if (b - a).days > MAX_RATE_AGE_DAYS)
    newest = days[-1]
    ended = tuple(sorted(((code, series[-1]) for code, (series, _) in table.per_eur.items()
                          if series and (newest - series[-1]).days > MAX_RATE_AGE_DAYS), key=lambda e: (e[1], e[0])))
    return Coverage(len(table.per_eur), days[0], newest, today,
                    business_days_between(newest, today) if today > newest else 0, gaps, ended)


#: How the source of the rates kept in the local store ends (nexus.store.load_rates): they stand behind the files
#: given, by design, so that a file overlapping them is no news (:func:`given_overlaps`).
STORED = "(local store)"


@dataclass(frozen=True)
class RateOverlap:
    """Two rate sources that both give rates for the same currencies on the same days: :class:`Rates` takes the
    first source's (``used``) and leaves the other's unread, so a second file given for other currencies changed
    nothing where it also held these, without a word. ``days``: (currency, days both give, days they differ)."""

    used: str
    other: str
    days: tuple[tuple[str, int, int], ...]
    #: Why ``used``'s rates are: the first file given, or (a later file's) a euro rate, which comes before any pair.
    why: str = "the first given"

    def words(self) -> str:
        each = "; ".join(f"{code} on {_days(n)}" + (f" (different on {_days(d)})" if d else " (the same rates)")
                         for code, n, d in self.days)
        return f"{self.used} and {self.other} both give rates for {each}: {self.used}'s are used, {self.why}"


#: Why a later file's euro rate is used over an earlier file's pair rate (:meth:`Rates._rate` reads euro rates first).
EURO_FIRST = "a euro rate before any pair rate"


def _inverted(rate: Decimal, like: Decimal) -> Decimal:
    """1/``rate`` to the places of ``like``: a TWD/USD rate as the USD/TWD rate it is the inverse of."""
    return _to_places_of(Decimal(1) / rate, like)


def _to_places_of(value: Decimal, like: Decimal) -> Decimal:
    """``value`` to as many decimal places as ``like`` is written with (as it is where ``like`` is not finite): a
    rate worked out from others, compared with a rate as a file gives it."""
    exponent = like.as_tuple().exponent
    return value.quantize(Decimal(1).scaleb(exponent)) if isinstance(exponent, int) else value


def _days(n: int) -> str:
    return f"{n:,} day{'s' * (n != 1)}"


@dataclass(frozen=True)
class Rates:
    """Several rate sources, in priority order: the first that has a fresh rate gives it.

    A currency is looked up against the euro in each source in turn; failing
    that, through a pair rate (``USD/TWD``) whose other currency has a euro
    rate. A rate more than :data:`MAX_RATE_AGE_DAYS` older than the day asked
    for does not count as fresh.
    """

    tables: tuple[RateTable, ...] | list[RateTable]

    def __post_init__(self) -> None:
        # Factors already worked out, by (from, to, day): a check converts the same currencies on the same days
        # for every rule, version and estimate, and each factor looks through every table.
        object.__setattr__(self, "_factors", {})
        object.__setattr__(self, "_rates", {})

    @property
    def source(self) -> str:
        return ", ".join(t.source for t in self.tables)

    def currencies(self) -> set[str]:
        """Every currency some table has a rate for, the euro among them (every rate is against it)."""
        return {"EUR"}.union(*(t.currencies() for t in self.tables))

    def latest(self, on: date | None = None) -> date | None:
        ends = [d for d in (t.latest(on) for t in self.tables) if d]
        return max(ends) if ends else None

    def overlaps(self, codes: Iterable[str] | None = None) -> list[RateOverlap]:
        """Where a later source gives a rate for a currency on a day the first source holding that currency does
        too, per pair of sources; ``codes`` default to the currencies converted so far (the rates looked up)."""
        wanted = sorted(set(codes if codes is not None else (c for c, _ in self._rates)) - {"EUR"})  # type: ignore
        found: dict[tuple[str, str], list[tuple[str, int, int]]] = {}
        for code in wanted:
            held = [t for t in self.tables if t.per_eur.get(code, ([], []))[0]]
            if len(held) < 2:
                continue
            first = dict(zip(*held[0].per_eur[code]))
            for other in held[1:]:
                both = [(first[d], r) for d, r in zip(*other.per_eur[code]) if d in first]
                if both:
                    found.setdefault((held[0].source, other.source), []).append(
                        (code, len(both), sum(1 for a, b in both if a != b)))
        for first_source, later_source, pair_days in self._pair_overlaps(wanted):
            found.setdefault((first_source, later_source), []).append(pair_days)
        over = [RateOverlap(used, later, tuple(days)) for (used, later), days in found.items()]
        euro: dict[tuple[str, str], list[tuple[str, int, int]]] = {}
        for euro_source, pair_source, pair_days in self._euro_over_pairs(wanted):
            euro.setdefault((euro_source, pair_source), []).append(pair_days)
        return over + [RateOverlap(used, later, tuple(days), EURO_FIRST) for (used, later), days in euro.items()]

    def _euro_over_pairs(self, wanted: Sequence[str]) -> list[tuple[str, str, tuple[str, int, int]]]:
        """(used, other, (currency and pair, days both give, days they differ)) where a file given before the first
        one with a currency's euro rate gives a pair rate for it (``USD/TWD``) on the same days: :meth:`_rate` reads
        euro rates before pairs, so the later file's rate is used and the order of the files is not what decides.
        The pair is compared through its other currency's rate, to the places of the euro rate."""
        found: list[tuple[str, str, tuple[str, int, int]]] = []
        probe = Rates(self.tables)  # looks the other currency up without adding it to the rates converted here
        for code in wanted:
            first = next((i for i, t in enumerate(self.tables) if t.per_eur.get(code, ([], []))[0]), None)
            if first is None:
                continue
            rates = dict(zip(*self.tables[first].per_eur[code]))
            for table in self.tables[:first]:
                for (base, quote), (days, values) in table.pairs.items():
                    if code in (base, quote):
                        differ = [d for d in (probe._differs(code, base, quote, day, rate, rates[day])
                                              for day, rate in zip(days, values) if day in rates) if d is not None]
                        if differ:
                            found.append((self.tables[first].source, table.source,
                                          (f"{code} ({base}/{quote})", len(differ), sum(differ))))
        return found

    def _differs(self, code: str, base: str, quote: str, day: date, pair: Decimal, euro: Decimal) -> bool | None:
        """Whether ``code``'s euro rate through the pair rate differs from ``euro`` (to its places); None where the
        pair's other currency has no euro rate of its own, or none that day."""
        other_code = quote if code == base else base
        if not any(t.per_eur.get(other_code, ([], []))[0] for t in self.tables):
            return None  # the other currency is converted through this very pair: no rate of its own to compare by
        try:
            other = self.rate(other_code, day)[0]
        except RateMissing:
            return None
        return euro != _to_places_of(other * pair if code == quote else other / pair, euro)

    def _pair_overlaps(self, wanted: Sequence[str]) -> list[tuple[str, str, tuple[str, int, int]]]:
        """(used, other, (pair, days both give, days they differ)) for the pair rates (``USD/TWD``) that convert a
        currency of ``wanted`` no source gives against the euro: :meth:`_rate` reads the first source's pair and
        leaves the other's unread, as it does a euro rate. A pair written the other way round (``TWD/USD``) is the
        same rate inverted, compared to the places the first source gives."""
        found: list[tuple[str, str, tuple[str, int, int]]] = []
        seen: set[frozenset[str]] = set()
        for code in wanted:
            if any(t.per_eur.get(code, ([], []))[0] for t in self.tables):
                continue  # a euro rate converts it: no pair is read
            for pair in sorted({(min(p), max(p)) for t in self.tables for p in t.pairs
                                if code in p and frozenset(p) not in seen}):
                seen.add(frozenset(pair))
                held = [(t, key) for t in self.tables for key in (pair, (pair[1], pair[0]))
                        if t.pairs.get(key, ([], []))[0]]
                if len(held) < 2:
                    continue
                first_table, first_key = held[0]
                first = dict(zip(*first_table.pairs[first_key]))
                for table, key in held[1:]:
                    if table is first_table:
                        continue
                    both = [(first[d], r if key == first_key else _inverted(r, first[d]))
                            for d, r in zip(*table.pairs[key]) if d in first]
                    if both:
                        found.append((first_table.source, table.source, (
                            "/".join(first_key), len(both), sum(1 for a, b in both if a != b))))
        return found

    def given_overlaps(self) -> list[RateOverlap]:
        """:meth:`overlaps` of the currencies converted where the rates differ, between files given only: where they
        agree (a file given twice) the order of the files decides nothing, and the local store's rates come after
        every file by design (the check adds them behind), so they overlap a file without a word said; unless the
        store's euro rate is used over a file's pair rate (:data:`EURO_FIRST`): then the store is not behind."""
        differing = [replace(o, days=tuple(d for d in o.days if d[2])) for o in self.overlaps()
                     if o.why == EURO_FIRST or not (o.used.endswith(STORED) or o.other.endswith(STORED))]
        return [o for o in differing if o.days]

    def _fresh(self, found: tuple[Decimal, date] | None, day: date) -> bool:
        return found is not None and (day - found[1]).days <= MAX_RATE_AGE_DAYS

    def rate(self, code: str, day: date) -> tuple[Decimal, date, str]:
        """Units of ``code`` per EUR on ``day``, the rate's own date and its source."""
        found = self._rates.get((code, day))  # type: ignore[attr-defined]
        if found is None:
            found = self._rates[(code, day)] = self._rate(code, day)  # type: ignore[attr-defined]
        return found

    def _rate(self, code: str, day: date) -> tuple[Decimal, date, str]:
        if code == "EUR":
            return Decimal(1), day, "EUR"
        fixed = fixed_rate(code, day)
        if fixed is not None:
            successor, old_per_new, changeover = fixed
            try:
                rate, rate_day, source = self.rate(successor, day)
            except RateMissing as exc:  # say the currency sold in, and its fixed rate, not only its successor
                raise RateMissing(f"{code} (converted at its fixed rate, {old_per_new:f} {code} = 1 {successor}, from "
                                  f"{changeover}) on {day}: {exc}") from None
            return (rate * old_per_new, rate_day if successor != "EUR" else day,
                    f"fixed conversion rate {old_per_new:f} {code} = 1 {successor} from {changeover} "
                    f"(data/iso4217-successors.csv)" + (f" via {source}" if successor != "EUR" else ""))
        stale: tuple[Decimal, date] | None = None
        for table in self.tables:
            series = table.per_eur.get(code)
            found = _latest_on_or_before(series, day) if series else None
            if self._fresh(found, day):
                return found[0], found[1], table.source  # type: ignore[index]
            stale = stale or found
        for table in self.tables:
            for (base, quote), series in table.pairs.items():
                if code not in (base, quote):
                    continue
                found = _latest_on_or_before(series, day)
                if not self._fresh(found, day):
                    continue
                other = quote if code == base else base
                try:
                    other_rate, _, other_source = self.rate(other, day)
                except RateMissing:
                    continue
                pair_rate = found[0]  # type: ignore[index]
                per_eur = other_rate * pair_rate if code == quote else other_rate / pair_rate
                return per_eur, found[1], f"{table.source} via {other_source}"  # type: ignore[index]
        if stale is not None:
            raise RateMissing(f"no exchange rate for {code} on {day} in {self.source}: the latest is from "
                              f"{stale[1]}, more than {MAX_RATE_AGE_DAYS} days earlier; supply a newer rates file "
                              f"or a treasury CSV (date,currency,per_eur) with --rates")
        if not any(code in t.currencies() for t in self.tables):
            if code in ecb_published():  # GBP missing from a company's own file: the ECB's file has it
                raise RateMissing(f"no exchange rate for {code} on {day} in {self.source}: the ECB publishes it; add "
                                  f"its rates file (eurofxref-hist.csv) or a treasury CSV (date,currency,per_eur) "
                                  f"with --rates")
            raise RateMissing(f"no exchange rate for {code} on {day} in {self.source}: the ECB does not publish it; "
                              f"supply a treasury CSV (date,currency,per_eur) with --rates")
        raise RateMissing(f"no exchange rate for {code} on or before {day} in {self.source}; "
                          f"supply an older rates file with --rates")

    def factor(self, from_code: str, to_code: str, day: date) -> tuple[Decimal, list[tuple[str, date]]]:
        """Units of ``to_code`` per unit of ``from_code`` on ``day``, and (source, rate date) of each leg."""
        if from_code == to_code:
            return Decimal(1), []
        found = self._factors.get((from_code, to_code, day))  # type: ignore[attr-defined]
        if found is None:
            from_rate, from_day, from_source = self.rate(from_code, day)
            to_rate, to_day, to_source = self.rate(to_code, day)
            # (source, rate date) of each leg that is not the euro, the currency sold in first
            if from_code == "EUR":
                legs: tuple[tuple[str, date], ...] = ((to_source, to_day),) if to_code != "EUR" else ()
            elif to_code == "EUR":
                legs = ((from_source, from_day),)
            else:
                legs = ((from_source, from_day), (to_source, to_day))
            found = self._factors[(from_code, to_code, day)] = (to_rate / from_rate, legs)  # type: ignore[attr-defined]
        return found[0], list(found[1])

    def convert(self, amount: Decimal, from_code: str, to_code: str, day: date) -> Decimal:
        """``amount`` in ``from_code`` expressed in ``to_code`` at ``day``'s rate, unrounded."""
        if from_code == to_code:
            return amount
        from_rate, _, _ = self.rate(from_code, day)
        to_rate, _, _ = self.rate(to_code, day)
        return amount / from_rate * to_rate


def fixed_rate(code: str, day: date) -> tuple[str, Decimal, date] | None:
    """For a withdrawn currency on or after its changeover: its successor, units of the old code per unit
    of the successor (the irrevocably fixed conversion rate: 7.53450 HRK = 1 EUR from 2023-01-01, 1.95583
    BGN = 1 EUR from 2026-01-01) and the changeover day, from ``data/iso4217-successors.csv``; else None.
    No market rate exists after a changeover: an amount still written in the old code converts at it.

    The file gives units of the successor per unit of the old code (0.132722808415 EUR per HRK), its
    inverse rounded. A euro conversion rate has exactly six significant figures (Council Regulation (EC)
    No 1103/97, Article 4(1)), so for the euro the inverse rounded to six figures is the exact legal rate.
    """
    from nexus import currencies

    row = currencies.successors().get(code)
    if not row or not row.get("rate") or not row.get("changeover"):
        return None
    changeover = date.fromisoformat(row["changeover"])
    if day < changeover:
        return None
    old_per_new = Decimal(1) / Decimal(row["rate"])
    if row["successor"] == "EUR":
        old_per_new = old_per_new.quantize(Decimal(1).scaleb(old_per_new.adjusted() - 5))
    return row["successor"], old_per_new, changeover


def _decimal(text: str, where: Location) -> Decimal | None:
    text = text.strip()
    if text in ("", "N/A", "-"):
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise InputError("is not a rate", where) from None
    if not value.is_finite() or value <= 0:
        raise InputError("is not a positive rate", where)
    return value


def _parse_day(text: str, where: Location) -> date:
    text = text.strip()
    if len(text) == 10 and text[4] == "-" and text[7] == "-" and text[:4].isdigit() and text[5:7].isdigit() \
            and text[8:].isdigit() and text.isascii():
        try:
            return date.fromisoformat(text)  # the common form, as strptime's %Y-%m-%d reads it, without its cost
        except ValueError:
            raise InputError("is not a date", where) from None
    for form in ("%Y-%m-%d", "%d %B %Y"):
        try:
            return datetime.strptime(text, form).date()
        except ValueError:
            continue
    raise InputError("is not a date", where)


def parse_ecb_csv(text: str, source: str) -> RateTable:
    """The history CSV (``Date,USD,JPY,...,``) or the daily one (``Date, USD, ...``)."""
    table = RateTable(source)
    reader = csv.reader(io.StringIO(text))
    header = [h.strip() for h in next(reader, [])]
    if not header or header[0] != "Date":
        raise InputError("is not an ECB reference-rate CSV (its first column is not 'Date') nor a treasury CSV "
                         "(date,currency,per_eur or date,base,quote,rate)", Location(source, 1))
    plain = _plain_ecb_csv(text, header)
    if plain is not None:
        table.per_eur.update(plain)
        return table
    # Rates by currency and day first, sorted once at the end: the history file runs newest first, and
    # inserting each rate at the front of its series would cost a quarter of the time of a large check.
    found: dict[str, dict[date, Decimal]] = {}
    first: list[str] = []
    codes = [(code, found.setdefault(code, {})) for code in header[1:]]
    lines: dict[date, int] = {}  # the line each day was read from: a day given twice is checked, not overwritten
    for row in reader:
        if not row or not row[0].strip():
            continue
        if len(row) != len(header):
            raise InputError(f"has {len(row)} fields where the header has {len(header)}: a truncated or damaged "
                             f"file", Location(source, reader.line_num))
        day = _parse_day(row[0], Location(source, reader.line_num, "Date", row[0]))
        again = lines.setdefault(day, reader.line_num) != reader.line_num
        for (code, rates), cell in zip(codes, row[1:]):
            if not code:
                continue  # the history file ends each line with a comma
            if cell in ("N/A", ""):
                continue
            try:  # a plain positive rate read at once; anything else is read (or named) by _decimal, with its place
                rate = Decimal(cell)
            except InvalidOperation:
                rate = None
            if rate is None or not rate.is_finite() or rate <= 0:
                rate = _decimal(cell, Location(source, reader.line_num, code, cell))
            if rate is not None:
                if not rates:
                    first.append(code)  # currencies in the order their first rate was read, as before
                if again and rates.get(day, rate) != rate:
                    raise _second_rate(code, day, f"line {lines[day]} gives {rates[day]}",
                                       Location(source, reader.line_num, code, cell))
                rates[day] = rate
    for code in first:
        days = sorted(found[code])
        table.per_eur[code] = (days, [found[code][d] for d in days])
    return table


_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _plain_ecb_csv(text: str, header: list[str]) -> dict[str, Series] | None:
    """The rates of an ECB CSV read a column at a time, or None where anything in it is not plain: a row of
    another width, a date not written YYYY-MM-DD or given twice, a currency named twice, a rate not written as
    digits or not above zero, a line the csv module refuses. :func:`parse_ecb_csv` then reads it a cell at a time,
    and names the first such cell (in the order of the file) as it always has.

    Read cell by cell, the history file's 700 lines of 42 rates were most of a small check's time; a column at a
    time, each step runs in C. The result is the same: each currency's days in order, and the currencies in the
    order of their first rate in the file.
    """
    reader = csv.reader(io.StringIO(text))
    next(reader)
    try:
        rows = [row for row in reader if row and row[0].strip()]
    except csv.Error:
        return None
    named = [code for code in header[1:] if code]
    if any(len(row) != len(header) for row in rows) or len(set(named)) != len(named):
        return None
    written = [row[0].strip() for row in rows]
    if not all(_ISO_DAY.fullmatch(day) for day in written) or len(set(written)) != len(written):
        return None
    try:
        dates = [date.fromisoformat(day) for day in written]
    except ValueError:
        return None
    in_order = sorted(range(len(rows)), key=dates.__getitem__)  # the history file runs newest first
    days = [dates[at] for at in in_order]
    columns = list(zip(*(rows[at] for at in in_order))) if rows else []
    found: list[tuple[int, int, str, Series]] = []
    for column, code in enumerate(header[1:], start=1):
        if not code or not columns:
            continue  # the history file ends each line with a comma
        cells = "\n".join(columns[column])
        if cells.count("N/A") != columns[column].count("N/A"):
            return None  # N/A within a cell
        given = cells.replace("N/A", "").split("\n")
        if len(given) != len(days):
            return None  # a cell holding a line break
        kept = list(map(bool, given))
        if not any(kept):
            continue
        digits = "".join(given).replace(".", "")
        if not (digits.isdigit() and digits.isascii()):
            return None  # a sign, a space, an exponent, a letter: anything but digits and points
        try:
            rates = list(map(Decimal, filter(None, given)))
        except InvalidOperation:
            return None  # points where a number has none (1..2)
        if min(rates) <= 0:
            return None
        found.append((min(compress(in_order, kept)), column, code, (list(compress(days, kept)), rates)))
    # Currencies in the order their first rate is read, line by line, left to right, as parse_ecb_csv reads them.
    return {code: series for _line, _column, code, series in sorted(found, key=lambda one: one[:2])}


def parse_ecb_xml(data: bytes, source: str) -> RateTable:
    """The daily, 90-day or history XML (``<Cube time=...><Cube currency= rate=/>``)."""
    try:
        root = defused_fromstring(data)  # no entity expansion: a "billion laughs" file is refused
    except ElementTree.ParseError as exc:
        raise InputError(f"is not well-formed XML ({exc})", Location(source)) from None
    except DefusedXmlException as exc:
        raise InputError(f"is refused: its XML declares entities or a DTD ({exc.__class__.__name__})",
                         Location(source)) from None
    table = RateTable(source)
    for day_cube in root.iter(f"{_ECB_NS}Cube"):
        when = day_cube.get("time")
        if when is None:
            continue
        day = _parse_day(when, Location(source, None, "time", when))
        for cube in day_cube:
            code, rate_text = cube.get("currency"), cube.get("rate")
            if code and rate_text:
                rate = _decimal(rate_text, Location(source, None, code, rate_text))
                if rate is not None:
                    earlier = table.rate_on(day, code)
                    if earlier is not None and earlier != rate:
                        raise _second_rate(code, day, f"the file gives {earlier} too",
                                           Location(source, None, code, rate_text))
                    table.add(day, code, rate)
    if not table.per_eur:
        raise InputError("holds no ECB reference rates", Location(source))
    return table


def parse_treasury_csv(text: str, source: str) -> RateTable:
    """A company's own rates: ``date,currency,per_eur`` or ``date,base,quote,rate`` (units of quote per base)."""
    reader = csv.reader(io.StringIO(text))
    header = [h.strip().lower() for h in next(reader, [])]
    table = RateTable(source)
    seen: dict[tuple[date, str, str], tuple[int, Decimal]] = {}  # where each day's rate of a pair was given
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        line = reader.line_num
        if len(row) != len(header):
            raise InputError(f"has {len(row)} fields where the header has {len(header)}", Location(source, line))
        cells = dict(zip(header, (c.strip() for c in row)))
        day = _parse_day(cells["date"], Location(source, line, "date", cells["date"]))
        if header == ["date", "currency", "per_eur"]:
            pair = ("EUR", cells["currency"].upper())
            value = cells["per_eur"]
            column = "per_eur"
        else:
            pair = (cells["base"].upper(), cells["quote"].upper())
            value, column = cells["rate"], "rate"
        rate = _decimal(value, Location(source, line, column, value))
        if rate is None:
            continue
        for code in pair:
            if len(code) != 3 or not code.isalpha():
                raise InputError("is not a currency code", Location(source, line, "currency", code))
        _one_rate_a_day(seen, (day, *pair), line, rate, Location(source, line, column, value))
        table.add_pair(day, pair[0], pair[1], rate)
    return table


def _one_rate_a_day(seen: dict[tuple[date, str, str], tuple[int, Decimal]], key: tuple[date, str, str], line: int,
                    rate: Decimal, where: Location) -> None:
    """Refuse a second, different rate for the same day and currencies: the later row silently replaced the
    earlier, so which of two treasury rates converted the sales depended on the order of the file's rows."""
    earlier = seen.setdefault(key, (line, rate))
    if earlier[1] != rate:
        day, base, quote = key
        raise _second_rate(quote if base == "EUR" else f"{base}/{quote}", day, f"line {earlier[0]} gives {earlier[1]}",
                           where)


def _second_rate(what: str, day: date, earlier: str, where: Location) -> InputError:
    return InputError(f"is a second rate for {what} on {day}: {earlier}; keep one rate a day per currency", where)


TREASURY_HEADERS = (["date", "currency", "per_eur"], ["date", "base", "quote", "rate"])


def _unzip(data: bytes, source: str) -> bytes:
    """The CSV inside a zipped rates file, refusing one that would inflate beyond the limits (a "zip bomb")."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            expanded = sum(m.file_size for m in members)
            packed = sum(m.compress_size for m in members) or 1
            if expanded > MAX_ZIP_EXPANDED or expanded / packed > MAX_ZIP_RATIO:
                raise InputError(f"would expand to {expanded:,} bytes ({expanded / packed:,.0f} times its size): "
                                 f"refused as a possible zip bomb; give the CSV inside it instead", Location(source))
            found = [m for m in members if m.filename.lower().endswith(".csv")]
            if not found:
                raise InputError("is a ZIP file with no CSV inside", Location(source))
            # zipfile stops at the size the archive declares, which the limits above have already bounded.
            with archive.open(found[0]) as member:
                return member.read(MAX_ZIP_EXPANDED + 1)
    except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
        raise InputError(f"is a damaged or truncated ZIP file ({exc.__class__.__name__})", Location(source)) from None
    except (NotImplementedError, RuntimeError) as exc:  # a compression method zipfile lacks; a password
        raise InputError(f"is a ZIP file nexus cannot open ({exc}); give the CSV inside it instead",
                         Location(source)) from None


def _gunzip(data: bytes, source: str) -> bytes:
    """The file inside a gzip-compressed one (a treasury's rates.csv.gz, a mirror's download), within the same
    limit as a ZIP's: what would inflate past it is refused, not read into memory."""
    inflater = zlib.decompressobj(wbits=31)  # 31: the gzip header and trailer
    limit = min(MAX_ZIP_EXPANDED, len(data) * MAX_ZIP_RATIO)
    try:
        found = inflater.decompress(data, limit + 1)
    except zlib.error as exc:
        raise InputError(f"is a damaged gzip file ({exc})", Location(source)) from None
    if len(found) > limit:
        raise InputError(f"would expand to more than {limit:,} bytes ({MAX_ZIP_RATIO} times its size or more): "
                         f"refused as a possible zip bomb; give the file decompressed instead", Location(source))
    if not inflater.eof:
        raise InputError("is a truncated gzip file", Location(source))
    return found


def parse_ecb_rates(data: bytes, source: str) -> RateTable:
    """An ECB rates file (ZIP, XML or CSV, or gzip-compressed), for the local store, which keeps the ECB's reference
    rates: a treasury CSV imported there was reported as 'ECB reference rates (local store)' behind every figure it
    converted, CLF or BHD among them, which the ECB does not publish."""
    return parse_rates(data, source, treasury=False)


def parse_rates(data: bytes, source: str, treasury: bool = True) -> RateTable:
    """Recognise a rates file by its content: ECB ZIP, XML or CSV (or either gzip-compressed), or (unless
    ``treasury`` is False) a treasury CSV."""
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06"):  # the second: an empty archive, said as one
        data = _unzip(data, source)
    elif data[:2] == b"\x1f\x8b":
        data = _gunzip(data, source)
    stripped = data.lstrip()
    if not stripped.strip(b"\xef\xbb\xbf \t\r\n"):  # said as other inputs say it, not as a file of the wrong kind
        raise InputError("is empty: no header row and no rates", Location(source))
    if stripped.startswith(b"<"):
        return parse_ecb_xml(stripped, source)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("is not an ECB rates file (not UTF-8 text)", Location(source)) from None
    first_line = [h.strip().lower() for h in text.split("\n", 1)[0].split(",")]
    try:
        if first_line in TREASURY_HEADERS:
            if not treasury:
                raise InputError("is a treasury CSV (your own rates), not an ECB file: the local store keeps the "
                                 "ECB's reference rates; give it to the check itself: nexus check --rates FILE",
                                 Location(source))
            return parse_treasury_csv(text, source)
        return parse_ecb_csv(text, source)
    except csv.Error as exc:
        raise InputError(f"is not a readable CSV file ({exc})", Location(source)) from None


def load_rates(path_or_url: str, timeout: tuple[float, float] = TIMEOUT) -> RateTable:
    """Read rates (ECB files or a treasury CSV) from a file path or an http(s) URL."""
    if path_or_url.startswith(("http://", "https://")):
        return parse_rates(download.get(path_or_url, timeout), path_or_url)
    try:
        with open(path_or_url, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise InputError(f"cannot be opened ({exc.strerror})", Location(path_or_url)) from None
    return parse_rates(data, path_or_url)
