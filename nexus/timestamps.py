"""The day a sale falls on, where its time is written with a time zone and the seller names its own.

nexus counts the date an order is written with: a store's own exports write its local date. Some platforms
write times in UTC instead, with an offset (Amazon's ``2025-07-14T18:54:21+00:00``) or in a column that says so
(Stripe's ``Created (UTC)``): an order placed on the evening of 31 December in New York is then a sale of
1 January, in the next year's test. ``--time-zone America/New_York`` moves each such time to the seller's zone
and counts the day it falls on there. Times written without a zone, and dates alone, are the day as written:
nothing says which zone they are in. Zone abbreviations (``EST``, ``PDT``) are ambiguous and are read as written
too; ``UTC``, ``GMT``, ``Z`` and numeric offsets are moved.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache

#: A date and time (ISO order), and the zone it is written in: an offset, Z, UTC or GMT (group 8), if any.
_TIMESTAMP = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})[T ] ?(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?"
                        r"(?: ?([AaPp][Mm]))?(?: ?(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?))?\Z")


class UnknownZone(ValueError):
    """A --time-zone that is not a zone of the IANA database this machine has."""


@lru_cache(maxsize=None)
def zone(name: str) -> tzinfo:
    """The zone named ``name`` (``America/New_York``, ``Asia/Tokyo``, ``UTC``)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UnknownZone(f"{name!r} is not a time zone nexus knows: give an IANA name such as America/New_York, "
                          f"Europe/Berlin or Asia/Tokyo (on Windows, pip install tzdata first)") from None


def day_in(text: str, name: str, utc: bool = False) -> date | None:
    """The day in zone ``name`` of a time written with its zone (or in UTC where ``utc``: a column that says
    so), or None where ``text`` is not such a time (a date alone, a time without a zone): the day as written."""
    found = _TIMESTAMP.match(text.strip())
    if found is None:
        return None
    year, month, day, hour, minute, second, meridiem, written = found.groups()
    if written is None and not utc:
        return None
    hour_of_day = int(hour) % 12 + (12 if meridiem and meridiem.lower() == "pm" else 0) if meridiem else int(hour)
    try:
        when = datetime(int(year), int(month), int(day), hour_of_day, int(minute), int(second or 0),
                        tzinfo=_offset(written))
        return when.astimezone(zone(name)).date()
    except (ValueError, OverflowError):
        return None  # not a calendar date or time (the date reader names it), or beyond year 1 to 9999


def _offset(written: str | None) -> tzinfo:
    if written is None or written in ("Z", "UTC", "GMT"):
        return timezone.utc
    sign = -1 if written[0] == "-" else 1
    digits = written[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:] or 0)))
