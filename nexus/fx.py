"""Exchange rates: the European Central Bank's reference rates, read as Decimal.

Sales in other currencies are converted to a threshold's currency at the
rate for each sale's day: the latest rate published on or before it. The ECB
publishes units of each currency per 1 EUR, so every conversion goes through
EUR: ``amount / per_eur[from] * per_eur[to]``, at 28 significant digits, with
no rounding until a figure is shown. A rate more than :data:`MAX_RATE_AGE_DAYS`
older than the sale is refused rather than silently reused.

Files read: ``eurofxref-hist.csv`` (or the ``.zip`` holding it), the daily
``eurofxref.csv``, and the daily, 90-day and history XML files.

More information:

* https://www.ecb.europa.eu/stats/policy_and_exchange_rates/euro_reference_exchange_rates/html/index.en.html
"""
from __future__ import annotations

import bisect
import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from xml.etree import ElementTree

import requests

from nexus.errors import FetchError, InputError, Location, RateMissing

#: ECB rates are not published on weekends and TARGET holidays (up to four
#: days around Easter and Christmas); a gap longer than this means the
#: currency is no longer published, and its last rate must not be reused.
MAX_RATE_AGE_DAYS = 7
TIMEOUT = (5, 60)  # seconds to connect, seconds between bytes
_ECB_NS = "{http://www.ecb.int/vocabulary/2002-08-01/eurofxref}"


@dataclass
class RateTable:
    """Units of each currency per 1 EUR, by date, from one named source."""

    source: str
    per_eur: dict[str, tuple[list[date], list[Decimal]]] = field(default_factory=dict)

    def add(self, day: date, code: str, rate: Decimal) -> None:
        days, rates = self.per_eur.setdefault(code, ([], []))
        i = bisect.bisect_left(days, day)
        if i < len(days) and days[i] == day:
            rates[i] = rate
        else:
            days.insert(i, day)
            rates.insert(i, rate)

    def latest(self) -> date | None:
        ends = [days[-1] for days, _ in self.per_eur.values() if days]
        return max(ends) if ends else None

    def rate(self, code: str, day: date) -> tuple[Decimal, date]:
        """Units of ``code`` per EUR on ``day`` (latest on or before it), and the rate's own date."""
        if code == "EUR":
            return Decimal(1), day
        series = self.per_eur.get(code)
        if series is None:
            raise RateMissing(f"no exchange rate for {code} in {self.source}: the ECB does not publish it; "
                              f"supply a rates file that has it")
        days, rates = series
        i = bisect.bisect_right(days, day) - 1
        if i < 0:
            raise RateMissing(f"no exchange rate for {code} on or before {day} in {self.source} "
                              f"(its first rate is for {days[0]}); supply an older rates file")
        if (day - days[i]).days > MAX_RATE_AGE_DAYS:
            raise RateMissing(f"no exchange rate for {code} on {day} in {self.source}: the latest is from "
                              f"{days[i]}, more than {MAX_RATE_AGE_DAYS} days earlier; supply a newer rates file")
        return rates[i], days[i]

    def convert(self, amount: Decimal, from_code: str, to_code: str, day: date) -> Decimal:
        """``amount`` in ``from_code`` expressed in ``to_code`` at ``day``'s rate, unrounded."""
        if from_code == to_code:
            return amount
        from_rate, _ = self.rate(from_code, day)
        to_rate, _ = self.rate(to_code, day)
        return amount / from_rate * to_rate


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
        raise InputError("is not an ECB reference-rate CSV (its first column is not 'Date')", Location(source, 1))
    for row in reader:
        if not row or not row[0].strip():
            continue
        day = _parse_day(row[0], Location(source, reader.line_num, "Date", row[0]))
        for code, cell in zip(header[1:], row[1:]):
            if not code:
                continue  # the history file ends each line with a comma
            rate = _decimal(cell, Location(source, reader.line_num, code, cell))
            if rate is not None:
                table.add(day, code, rate)
    return table


def parse_ecb_xml(data: bytes, source: str) -> RateTable:
    """The daily, 90-day or history XML (``<Cube time=...><Cube currency= rate=/>``)."""
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise InputError(f"is not well-formed XML ({exc})", Location(source)) from None
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
                    table.add(day, code, rate)
    if not table.per_eur:
        raise InputError("holds no ECB reference rates", Location(source))
    return table


def parse_rates(data: bytes, source: str) -> RateTable:
    """Recognise an ECB file by its content: ZIP, XML or CSV."""
    if data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = [n for n in archive.namelist() if n.lower().endswith(".csv")]
            if not names:
                raise InputError("is a ZIP file with no CSV inside", Location(source))
            data = archive.read(names[0])
    stripped = data.lstrip()
    if stripped.startswith(b"<"):
        return parse_ecb_xml(stripped, source)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("is not an ECB rates file (not UTF-8 text)", Location(source)) from None
    return parse_ecb_csv(text, source)


def fetch(url: str, timeout: tuple[float, float] = TIMEOUT) -> bytes:
    """GET ``url`` with requests, or raise ``FetchError`` in one line."""
    try:
        response = requests.get(url, timeout=timeout, headers={"User-Agent": "nexus (tax-nexus advisor)"})
    except requests.RequestException as exc:
        raise FetchError(f"could not fetch {url}: {exc.__class__.__name__}") from None
    if response.status_code != 200:
        raise FetchError(f"could not fetch {url}: HTTP {response.status_code}")
    return response.content


def load_rates(path_or_url: str, timeout: tuple[float, float] = TIMEOUT) -> RateTable:
    """Read ECB reference rates from a file path or an http(s) URL."""
    if path_or_url.startswith(("http://", "https://")):
        return parse_rates(fetch(path_or_url, timeout), path_or_url)
    try:
        with open(path_or_url, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise InputError(f"cannot be opened ({exc.strerror})", Location(path_or_url)) from None
    return parse_rates(data, path_or_url)
