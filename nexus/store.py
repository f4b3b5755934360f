"""The local store: one SQLite file that keeps what nexus fetched, so later runs work offline.

It lives in the user's data directory (``platformdirs.user_data_dir("nexus")``:
``~/.local/share/nexus`` on Linux, ``~/Library/Application Support/nexus`` on
macOS, ``%LOCALAPPDATA%\\nexus`` on Windows), or wherever ``--db`` or the
``NEXUS_DB`` environment variable says. Every write is one transaction, so an
interrupted run never leaves half a fetch behind.

Tables:

* ``rates(source, day, currency, per_eur)``: reference rates, per_eur as
  decimal text, one row per source, day and currency.
* ``fetches(source, url, fetched_at, rates, first_day, last_day)``: what was
  fetched when, for ``nexus rates`` and the check's age warning.
* ``reviews(reviewed_at, provider, codes, summary)``: each quarterly review of a
  provider's currency list, so the next one compares with it.
* ``checks(ran_at, as_of, inputs, summary)``: each ``nexus check`` run, for
  ``nexus history``.
"""
from __future__ import annotations

import json
import os
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Iterator

from nexus.errors import NexusError
from nexus.fx import RateTable

SCHEMA = """
CREATE TABLE IF NOT EXISTS rates (
    source TEXT NOT NULL, day TEXT NOT NULL, currency TEXT NOT NULL, per_eur TEXT NOT NULL,
    PRIMARY KEY (source, day, currency));
CREATE TABLE IF NOT EXISTS fetches (
    source TEXT NOT NULL, url TEXT NOT NULL, fetched_at TEXT NOT NULL, rates INTEGER NOT NULL,
    first_day TEXT, last_day TEXT);
CREATE TABLE IF NOT EXISTS reviews (
    id INTEGER PRIMARY KEY, reviewed_at TEXT NOT NULL, provider TEXT NOT NULL, codes TEXT NOT NULL,
    summary TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS checks (
    id INTEGER PRIMARY KEY, ran_at TEXT NOT NULL, as_of TEXT NOT NULL, inputs TEXT NOT NULL,
    summary TEXT NOT NULL);
"""


def default_path() -> Path:
    """``NEXUS_DB``, or ``nexus.sqlite3`` in the user's data directory."""
    if os.environ.get("NEXUS_DB"):
        return Path(os.environ["NEXUS_DB"])
    import platformdirs

    return Path(platformdirs.user_data_dir("nexus", appauthor=False)) / "nexus.sqlite3"


@contextmanager
def opened(path: str | Path | None = None) -> Iterator[sqlite3.Connection]:
    """The store, open for the length of a ``with`` block."""
    connection = connect(path)
    try:
        yield connection
    finally:
        connection.close()


def connect(path: str | Path | None = None) -> sqlite3.Connection:
    """Open (creating if needed) the store at ``path`` or the default place."""
    target = Path(path) if path else default_path()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(target)
        connection.executescript(SCHEMA)
    except (OSError, sqlite3.Error) as exc:
        raise NexusError(f"cannot open the nexus store {target}: {exc}") from None
    return connection


@dataclass(frozen=True)
class Fetch:
    """One stored fetch of rates."""

    source: str
    url: str
    fetched_at: str
    rates: int
    first_day: date | None
    last_day: date | None


def save_rates(connection: sqlite3.Connection, table: RateTable, source: str, url: str,
               since: date | None = None) -> Fetch:
    """Store ``table``'s euro rates (from ``since`` on) under ``source``, in one transaction."""
    rows = [(source, day.isoformat(), code, str(rate))
            for code, (days, rates) in table.per_eur.items()
            for day, rate in zip(days, rates) if since is None or day >= since]
    days = sorted({r[1] for r in rows})
    fetch = Fetch(source, url, datetime.now(timezone.utc).isoformat(timespec="seconds"), len(rows),
                  date.fromisoformat(days[0]) if days else None, date.fromisoformat(days[-1]) if days else None)
    with connection:
        connection.executemany("INSERT OR REPLACE INTO rates VALUES (?, ?, ?, ?)", rows)
        connection.execute("INSERT INTO fetches VALUES (?, ?, ?, ?, ?, ?)",
                           (fetch.source, fetch.url, fetch.fetched_at, fetch.rates,
                            days[0] if days else None, days[-1] if days else None))
    return fetch


def load_rates(connection: sqlite3.Connection, source: str = "ecb") -> RateTable | None:
    """The stored rates of ``source`` as a :class:`RateTable`, or None if nothing is stored."""
    table = RateTable(f"{source.upper()} reference rates (local store)")
    for day, code, rate in connection.execute(
            "SELECT day, currency, per_eur FROM rates WHERE source = ? ORDER BY day", (source,)):
        table.add(date.fromisoformat(day), code, Decimal(rate))
    return table if table.per_eur else None


def fetches(connection: sqlite3.Connection) -> list[Fetch]:
    """Every stored fetch, newest first."""
    return [Fetch(s, u, t, n, date.fromisoformat(a) if a else None, date.fromisoformat(b) if b else None)
            for s, u, t, n, a, b in connection.execute(
                "SELECT source, url, fetched_at, rates, first_day, last_day FROM fetches ORDER BY fetched_at DESC")]


def fetch_rates(connection: sqlite3.Connection, source: str = "ecb", since: date | None = None,
                urls: list[str] | None = None, today: date | None = None,
                timeout: tuple[float, float] | None = None, retries: int | None = None) -> list[Fetch]:
    """Download reference rates and keep them in the store.

    For the ECB: the full history (or, when ``since`` is within the last 90
    days, the 90-day file) and the daily file. ``urls`` replaces the ECB's
    addresses, for a mirror or a proxy.
    """
    from nexus import download, fx

    if source != "ecb":
        raise NexusError(f"unknown rates source {source!r}: nexus fetches 'ecb'")
    if urls is None:
        recent = since is not None and ((today or date.today()) - since).days < 85
        urls = [fx.ECB_90_DAYS_URL if recent else fx.ECB_HISTORY_URL, fx.ECB_DAILY_URL]
    done = []
    for url in urls:
        table = fx.parse_rates(download.get(url, timeout or download.TIMEOUT,
                                            download.RETRIES if retries is None else retries), url)
        done.append(save_rates(connection, table, source, url, since))
    return done


@dataclass(frozen=True)
class Event:
    """A past review or check, for ``nexus history``."""

    kind: str
    id: int
    at: str
    subject: str
    summary: dict


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def save_review(connection: sqlite3.Connection, provider: str, codes: list[str], summary: dict) -> int:
    with connection:
        cursor = connection.execute("INSERT INTO reviews (reviewed_at, provider, codes, summary) VALUES (?, ?, ?, ?)",
                                    (_now(), provider, json.dumps(sorted(codes)), json.dumps(summary)))
    return int(cursor.lastrowid or 0)


def last_review(connection: sqlite3.Connection, provider: str) -> tuple[int, str, list[str]] | None:
    """The latest stored review of ``provider``: (id, when, codes)."""
    row = connection.execute("SELECT id, reviewed_at, codes FROM reviews WHERE provider = ? ORDER BY id DESC LIMIT 1",
                             (provider,)).fetchone()
    return (row[0], row[1], json.loads(row[2])) if row else None


def save_check(connection: sqlite3.Connection, as_of: date, inputs: list[str], summary: dict) -> int:
    with connection:
        cursor = connection.execute("INSERT INTO checks (ran_at, as_of, inputs, summary) VALUES (?, ?, ?, ?)",
                                    (_now(), as_of.isoformat(), json.dumps(inputs), json.dumps(summary)))
    return int(cursor.lastrowid or 0)


def history(connection: sqlite3.Connection) -> list[Event]:
    """Past reviews and checks, newest first."""
    events = [Event("review", i, at, provider, json.loads(summary)) for i, at, provider, summary in
              connection.execute("SELECT id, reviewed_at, provider, summary FROM reviews")]
    events += [Event("check", i, at, f"as of {as_of}: {', '.join(json.loads(inputs))}", json.loads(summary))
               for i, at, as_of, inputs, summary in connection.execute(
                   "SELECT id, ran_at, as_of, inputs, summary FROM checks")]
    return sorted(events, key=lambda e: (e.at, e.id), reverse=True)
