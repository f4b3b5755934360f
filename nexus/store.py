"""The local store: one SQLite file that keeps what nexus fetched, so later runs work offline.

It lives in the user's data directory (``platformdirs.user_data_dir("nexus")``:
``~/.local/share/nexus`` on Linux, ``~/Library/Application Support/nexus`` on
macOS, ``%LOCALAPPDATA%\\nexus`` on Windows), or wherever ``--db`` or the
``NEXUS_DB`` environment variable says. Every write is one transaction, so an
interrupted run never leaves half a fetch behind.

A store that cannot be opened, read or written (locked by another program, on
a read-only mount, on a full disk) raises :class:`StoreError`: one line naming
the store and the reason. A row that is not what nexus writes there (a rate
that is not a number, codes that are not JSON) raises :class:`StoreDamaged`,
naming the table and the row. Never a traceback.

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
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Iterable, Iterator

from nexus.errors import InputError, Location, NexusError
from nexus.fx import STORED, RateTable

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
#: Seconds to wait for another program (another nexus run) to release the store before giving up.
BUSY_TIMEOUT = 5.0


class StoreError(NexusError):
    """The local store cannot be opened, read or written."""


class StoreDamaged(StoreError):
    """A row in the local store is not what nexus writes there."""


def default_path() -> Path:
    """``NEXUS_DB``, or ``nexus.sqlite3`` in the user's data directory."""
    if os.environ.get("NEXUS_DB"):
        return Path(os.environ["NEXUS_DB"])
    import platformdirs

    return Path(platformdirs.user_data_dir("nexus", appauthor=False)) / "nexus.sqlite3"


def exists(path: str | Path | None = None) -> bool:
    """Whether the store at ``path`` (or the default place) is there: reading rates from one that is not would make
    it, empty, before the command has done anything worth keeping (and keep it after a failed run). An empty file is
    no store either (as :func:`connect` says): SQLite would make its tables in it."""
    target = Path(path) if path else default_path()
    return target.exists() and not _empty_file(target)


def _empty_file(target: Path) -> bool:
    """Whether ``target`` is a file of no bytes: no store, though SQLite would make its tables in it."""
    return target.is_file() and target.stat().st_size == 0


@contextmanager
def opened(path: str | Path | None = None, existing: bool | str = False) -> Iterator[sqlite3.Connection]:
    """The store, open for the length of a ``with`` block (``existing``: see :func:`connect`)."""
    connection = connect(path, existing)
    try:
        yield connection
    finally:
        connection.close()


#: What a read-only command says of a store named by --db or NEXUS_DB that is not there, by what it reads.
_NOT_THERE = {"rates": "nothing was fetched into it (is the name right? 'nexus rates fetch --db {target}' makes it)",
              "history": "nothing was kept in it (is the name right? a check or a currency review run with "
                         "--db {target} keeps its results there)"}


def connect(path: str | Path | None = None, existing: bool | str = False) -> sqlite3.Connection:
    """Open (creating if needed) the store at ``path`` or the default place.

    Only the default place (the user data folder) is made when missing; a folder named by --db or NEXUS_DB that
    does not exist is most likely mistyped, and making it would keep the store where nobody looks for it.
    ``existing``: a command that only reads the store (``"rates"``, or True, for rates status; ``"history"``)
    refuses a store named by --db or NEXUS_DB that is not there, rather than make an empty one and report it
    empty: the name is most likely mistyped.
    """
    chosen = path or os.environ.get("NEXUS_DB")
    target = Path(path) if path else default_path()
    if chosen and not target.parent.is_dir():
        raise StoreError(f"cannot open the nexus store {target}: its folder {target.parent} does not exist")
    # An empty file is no store either: SQLite would make one in it, a command that only reads writing over the file
    empty = _empty_file(target)
    if chosen and existing and (not target.exists() or empty):
        reads = existing if isinstance(existing, str) else "rates"
        raise StoreError(f"there is no nexus store {target}{' (the file there is empty)' if empty else ''}: "
                         + _NOT_THERE[reads].format(target=target))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        connection = _open(target)
        connection.executescript(SCHEMA)
    except OSError as exc:
        raise StoreError(f"cannot open the nexus store {target}: {exc.strerror or exc}") from None
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open the nexus store {target}: {_problem(exc)}") from None
    return connection


def refuse_inputs(path: str | Path | None, inputs: Iterable[tuple[str, str | None]],
                  shown: str | None = None) -> None:
    """Raise :class:`StoreError` when the store (``path``, or the default place) is one of the command's input files.

    The store is written: SQLite makes its tables in an empty file and a command then reads them as its input
    ('--coa notes.csv --db notes.csv' turned an empty chart into a 24 KB store, then read SQLite's header as the
    chart's columns). ``inputs`` are (option, path) pairs as for :func:`nexus.outputs.refuse_inputs_as_outputs`.
    """
    from nexus.outputs import is_file_argument, same_file  # the one place that says whether two paths name a file

    target, shown = str(path or default_path()), shown or ("--db" if path else "the local store")
    for option, source in inputs:
        if is_file_argument(source) and same_file(target, str(source)):
            raise StoreError(f"{shown} {target} is the file read as {option}: the local store would be written "
                             f"into it; give the store a file of its own")


def _open(target: Path) -> sqlite3.Connection:
    """The SQLite connection itself: one place, so that tests can open it read-only or nearly full."""
    return sqlite3.connect(target, timeout=BUSY_TIMEOUT)


def _where(connection: sqlite3.Connection) -> str:
    """The store's file, for messages."""
    try:
        return str(connection.execute("PRAGMA database_list").fetchone()[2]) or "(in memory)"
    except sqlite3.Error:
        return "(file unknown)"


def _problem(exc: sqlite3.Error) -> str:
    """SQLite's reason, in words a user can act on."""
    text = str(exc)
    if "locked" in text or "busy" in text:
        return (f"it is locked by another program (another nexus run?) and stayed locked for {BUSY_TIMEOUT:g} s; "
                f"try again when that has finished")
    if "readonly" in text or "read-only" in text:
        return "it is read-only (a read-only file, folder or mount); give a writable one with --db or NEXUS_DB"
    if "full" in text:
        return "the disk is full"
    if "not a database" in text:
        return "it is not an SQLite file (file is not a database); give another with --db or NEXUS_DB"
    return text


@contextmanager
def _writing(connection: sqlite3.Connection, what: str) -> Iterator[None]:
    """One transaction that keeps ``what``; any SQLite failure rolls it back and becomes one line."""
    try:
        with connection:
            yield
    except sqlite3.Error as exc:
        raise StoreError(f"cannot keep {what} in the nexus store {_where(connection)}: {_problem(exc)}") from None


@contextmanager
def _reading(connection: sqlite3.Connection, what: str) -> Iterator[None]:
    try:
        yield
    except sqlite3.Error as exc:
        raise StoreError(f"cannot read {what} from the nexus store {_where(connection)}: {_problem(exc)}") from None


def _damaged(connection: sqlite3.Connection, table: str, row: str, column: str, value: object,
             expected: str) -> StoreDamaged:
    return StoreDamaged(f"the nexus store {_where(connection)} is damaged: table {table}, row {row}: {column} "
                        f"{value!r} is not {expected}; delete that row, or the store file to start afresh "
                        f"('nexus rates fetch' fills it again)")


def _day(connection: sqlite3.Connection, table: str, row: str, column: str, value: object) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise _damaged(connection, table, row, column, value, "a date (YYYY-MM-DD)") from None


def _json(connection: sqlite3.Connection, table: str, row: str, column: str, value: object, kind: type,
          expected: str) -> Any:
    try:
        found = json.loads(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        found = None
    if not isinstance(found, kind):
        raise _damaged(connection, table, row, column, value, expected)
    return found


@dataclass(frozen=True)
class Fetch:
    """One stored fetch of rates."""

    source: str
    url: str
    fetched_at: str
    rates: int
    first_day: date | None
    last_day: date | None


#: A fetch and the rows it keeps, checked and ready to be written (see :func:`_prepared`).
Prepared = tuple[Fetch, list[tuple[str, str, str, str]]]


def import_rates(connection: sqlite3.Connection, path: str, since: date | None = None,
                 source: str = "ecb") -> Fetch:
    """Store the rates of a downloaded ECB file (the history ZIP or CSV, or the XML), as a fetch would."""
    return keep_import(connection, read_import(path, since, source))


def read_import(path: str, since: date | None = None, source: str = "ecb") -> Prepared:
    """The rates of a downloaded ECB file, checked and ready to keep: read before the store is opened, so that a file
    that cannot be imported leaves no store behind ('rates import notes.txt --db new.sqlite3' made new.sqlite3)."""
    from nexus import fx

    with open(path, "rb") as handle:
        table = fx.parse_ecb_rates(handle.read(), path)
    return _prepared(table, source, f"file:{os.path.abspath(path)}", since)


def keep_import(connection: sqlite3.Connection, prepared: Prepared) -> Fetch:
    """Keep rates :func:`read_import` read, in one transaction."""
    return _save_fetches(connection, [prepared])[0]


def save_rates(connection: sqlite3.Connection, table: RateTable, source: str, url: str,
               since: date | None = None) -> Fetch:
    """Store ``table``'s euro rates (from ``since`` on) under ``source``, in one transaction."""
    return _save_fetches(connection, [_prepared(table, source, url, since)])[0]


def _prepared(table: RateTable, source: str, url: str,
              since: date | None) -> tuple[Fetch, list[tuple[str, str, str, str]]]:
    """The fetch record and the rows to keep for ``table``, checked before anything is written."""
    rows = [(source, day.isoformat(), code, str(rate))
            for code, (days, rates) in table.per_eur.items()
            for day, rate in zip(days, rates) if since is None or day >= since]
    days = sorted({r[1] for r in rows})
    if table.latest() is None:  # a file cut to its header row: not 'Stored 0 rates from None to None', exit 0
        raise InputError("holds no rates, only a header row: download the file again",
                         Location(url.removeprefix("file:")))
    if not rows and since is not None:
        # Nothing to keep: said, not 'Stored 0 rates from None to None' with exit 0.
        raise InputError(f"has no rates on or after {since} (--since): its last day is {table.latest()}",
                         Location(url.removeprefix("file:")))
    fetch = Fetch(source, url, datetime.now(timezone.utc).isoformat(timespec="seconds"), len(rows),
                  date.fromisoformat(days[0]) if days else None, date.fromisoformat(days[-1]) if days else None)
    return fetch, rows


def _save_fetches(connection: sqlite3.Connection,
                  prepared: list[tuple[Fetch, list[tuple[str, str, str, str]]]]) -> list[Fetch]:
    """Keep every prepared fetch in one transaction: all of them, or (on any failure) none."""
    with _writing(connection, f"the rates fetched from {', '.join(f.url for f, _ in prepared)}"):
        for fetch, rows in prepared:
            connection.executemany("INSERT OR REPLACE INTO rates VALUES (?, ?, ?, ?)", rows)
            connection.execute("INSERT INTO fetches VALUES (?, ?, ?, ?, ?, ?)",
                               (fetch.source, fetch.url, fetch.fetched_at, fetch.rates,
                                fetch.first_day.isoformat() if fetch.first_day else None,
                                fetch.last_day.isoformat() if fetch.last_day else None))
    return [fetch for fetch, _ in prepared]


def rate_currencies(connection: sqlite3.Connection, source: str = "ecb") -> set[str]:
    """The currencies the store holds rates of, without reading the rates: a store of every ECB day takes a second
    or more to load, which files given with --rates that hold the same currencies never need."""
    with _reading(connection, "the rates"):
        return {code for (code,) in connection.execute("SELECT DISTINCT currency FROM rates WHERE source = ?",
                                                       (source,))}


def load_rates(connection: sqlite3.Connection, source: str = "ecb") -> RateTable | None:
    """The stored rates of ``source`` as a :class:`RateTable`, or None if nothing is stored."""
    table = RateTable(f"{source.upper()} reference rates {STORED}")
    with _reading(connection, "the rates"):
        rows = connection.execute("SELECT rowid, day, currency, per_eur FROM rates WHERE source = ? ORDER BY day",
                                  (source,)).fetchall()
    for rowid, day, code, text in rows:
        row = f"{rowid} ({source} {day} {code})"
        try:
            rate = Decimal(text) if isinstance(text, str) else None  # a float here would not be exact
        except InvalidOperation:
            rate = None
        if rate is None or not rate.is_finite() or rate <= 0:
            raise _damaged(connection, "rates", row, "per_eur", text, "a positive decimal number")
        if not isinstance(code, str) or len(code) != 3:
            raise _damaged(connection, "rates", row, "currency", code, "a currency code")
        table.add(_day(connection, "rates", row, "day", day), code, rate)  # type: ignore[arg-type]
    return table if table.per_eur else None


def fetches(connection: sqlite3.Connection) -> list[Fetch]:
    """Every stored fetch, newest first."""
    with _reading(connection, "the fetches"):
        rows = connection.execute("SELECT rowid, source, url, fetched_at, rates, first_day, last_day FROM fetches "
                                  "ORDER BY fetched_at DESC").fetchall()
    return [Fetch(s, u, t, n, _day(connection, "fetches", str(i), "first_day", a),
                  _day(connection, "fetches", str(i), "last_day", b))
            for i, s, u, t, n, a, b in rows]


def fetch_rates(connection: sqlite3.Connection, source: str = "ecb", since: date | None = None,
                urls: list[str] | None = None, today: date | None = None,
                timeout: tuple[float, float] | None = None, retries: int | None = None) -> list[Fetch]:
    """Download reference rates and keep them in the store.

    For the ECB: the full history (or, when ``since`` is within the last 90
    days, the 90-day file) and the daily file. ``urls`` replaces the ECB's
    addresses, for a mirror or a proxy. All of them are kept, or (when any
    cannot be fetched or read) none.
    """
    from nexus import download, fx

    if source != "ecb":
        raise NexusError(f"unknown rates source {source!r}: nexus fetches 'ecb'")
    if urls is None:
        recent = since is not None and ((today or date.today()) - since).days < 85
        urls = [fx.ECB_90_DAYS_URL if recent else fx.ECB_HISTORY_URL, fx.ECB_DAILY_URL]
    # Every file is downloaded and read before any is kept: the history and the daily file are one fetch, and
    # a daily file that fails must not leave the history stored under an error (exit 2) as if nothing was.
    tries = download.RETRIES if retries is None else retries
    # The overall deadline never cuts a download shorter than one silence the caller allows (--timeout 600 for a
    # slow mirror waited 120 s, the default deadline, and gave up).
    deadline = max(download.DEADLINE, timeout[1]) if timeout else None
    prepared = [_prepared(fx.parse_ecb_rates(download.get(url, timeout or download.TIMEOUT, tries,
                                                          deadline=deadline), url), source, url, since)
                for url in urls]
    return _save_fetches(connection, prepared)


@dataclass(frozen=True)
class Event:
    """A past review or check, for ``nexus history``."""

    kind: str
    id: int
    at: str
    subject: str
    summary: dict
    #: a check's order files, each as given (its whole path): the screen names the files, --verbose their paths
    inputs: tuple[str, ...] = ()


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def save_review(connection: sqlite3.Connection, provider: str, codes: list[str], summary: dict) -> int:
    with _writing(connection, f"the review of {provider}"):
        cursor = connection.execute("INSERT INTO reviews (reviewed_at, provider, codes, summary) VALUES (?, ?, ?, ?)",
                                    (_now(), provider, json.dumps(sorted(codes)), json.dumps(summary)))
    return int(cursor.lastrowid or 0)


def last_review(connection: sqlite3.Connection, provider: str,
                before: int | None = None) -> tuple[int, str, list[str]] | None:
    """The latest stored review of ``provider`` (with ``before``, the latest one older than that review id):
    (id, when, codes)."""
    with _reading(connection, f"the last review of {provider}"):
        row = connection.execute("SELECT id, reviewed_at, codes FROM reviews WHERE provider = ? AND id < ? "
                                 "ORDER BY id DESC LIMIT 1",
                                 (provider, before if before is not None else 2 ** 63 - 1)).fetchone()
    if row is None:
        return None
    codes = _json(connection, "reviews", f"id {row[0]}", "codes", row[2], list, "a JSON list of currency codes")
    if not all(isinstance(c, str) for c in codes):
        raise _damaged(connection, "reviews", f"id {row[0]}", "codes", row[2], "a JSON list of currency codes")
    return row[0], row[1], codes


def review_summary(connection: sqlite3.Connection, review_id: int) -> dict:
    """What a stored review found (``summary``: added, removed, first_review...), as :func:`save_review` kept it."""
    with _reading(connection, f"review {review_id}"):
        row = connection.execute("SELECT summary FROM reviews WHERE id = ?", (review_id,)).fetchone()
    if row is None:
        return {}
    return _json(connection, "reviews", f"id {review_id}", "summary", row[0], dict, "a JSON object")


def same_quarter(when: str, other: str | None = None) -> bool:
    """Whether a stored UTC timestamp (``reviewed_at``) falls in the calendar quarter (UTC) of ``other``, another
    stored timestamp, or of now."""
    try:
        then = datetime.fromisoformat(when)
        reference = datetime.fromisoformat(other) if other is not None else datetime.now(timezone.utc)
    except (TypeError, ValueError):
        return False  # a timestamp edited by hand: not this quarter, so the review is compared with as it is
    return (then.year, (then.month - 1) // 3) == (reference.year, (reference.month - 1) // 3)


def compared_list(path: str | Path | None, provider: str, codes: list[str],
                  kept: tuple[int, str, list[str]] | None = None) -> tuple[list[str] | None, str | None]:
    """The list a review of ``provider``'s ``codes`` compares with, and where it comes from in words ("the review of
    provider's list on 2026-09-30 (review 3 in the local store)"): the last review kept in the store at ``path``, or
    (None, None) where there is none to compare with.

    A review run again this quarter (to add --coa or --workbook, or on a list the provider changed since) compares
    with the last review of an earlier quarter, as the first run did: compared with this quarter's own runs, the
    currencies the quarter added were 'unchanged', and one dropped since 'removed' from a list never reviewed.
    Where the quarter's first run compared with a file (--previous), which is not kept, the list it compared with is
    worked back from that run's list and what it found added and removed. Without an earlier quarter's review, it
    compares with the quarter's first run, where the list differs.
    ``kept``: the stored review (id, when, codes) whose list is used because the provider's could not be fetched; it
    is compared as that review was (with the review before it, of an earlier quarter than its own), never with
    itself: a list compared with itself reads 'added none, removed none', a quarter signed off as unchanged on a list
    not read.
    """
    if not exists(path):  # no store, no review kept: looking for one does not make it (a failed run kept it)
        return None, None
    with opened(path) as connection:
        found = last_review(connection, provider, before=kept[0] if kept else None)
        first_this_quarter, its_findings = None, {}
        while found and same_quarter(found[1], kept[1] if kept else None):
            first_this_quarter = found
            found = last_review(connection, provider, before=found[0])
        if not found and first_this_quarter:
            its_findings = review_summary(connection, first_this_quarter[0])
    compared = _compared_with(first_this_quarter[2], its_findings) if not found and first_this_quarter else None
    if compared is not None and first_this_quarter is not None:  # its first run compared with a file, not kept
        return compared, (f"the previous list given to review {first_this_quarter[0]} in the local store "
                          f"({first_this_quarter[1][:10]})")
    if not found and first_this_quarter and sorted(first_this_quarter[2]) != sorted(codes):
        found = first_this_quarter  # no earlier quarter's review: the quarter's first run is what it compares with
    if not found:
        return None, None
    when = found[1][:10]
    return found[2], f"the review of {provider}'s list on {when} (review {found[0]} in the local store)"


def _compared_with(codes: list[str], findings: dict) -> list[str] | None:
    """The list a stored review compared with, from its own list and what it found added and removed; None for a
    first review (it compared with nothing), or for one kept by an older version that did not say and found no
    change (its list may be what it compared with, or a first list)."""
    added, removed = findings.get("added") or [], findings.get("removed") or []
    if findings.get("first_review", not (added or removed)):
        return None
    return [code for code in codes if code not in added] + [code for code in removed if code not in codes]


def earlier_run(path: str | Path | None, provider: str, kept: tuple[int, str, list[str]] | None = None) -> str | None:
    """This quarter's latest review of ``provider`` in the store at ``path`` ("review 3 of 2026-12-08"), or None: a
    run again in the same quarter says so, as its comparison is the same as the first run's. None for a ``kept``
    list read again (not a review of the provider's list: the screen says so already)."""
    if kept or not exists(path):
        return None
    with opened(path) as connection:
        found = last_review(connection, provider)
    return f"review {found[0]} of {found[1][:10]}" if found and same_quarter(found[1]) else None


def save_check(connection: sqlite3.Connection, as_of: date, inputs: list[str], summary: dict) -> int:
    with _writing(connection, "this check"):
        cursor = connection.execute("INSERT INTO checks (ran_at, as_of, inputs, summary) VALUES (?, ?, ?, ?)",
                                    (_now(), as_of.isoformat(), json.dumps(inputs), json.dumps(summary)))
    return int(cursor.lastrowid or 0)


def history(connection: sqlite3.Connection) -> list[Event]:
    """Past reviews and checks, newest first."""
    with _reading(connection, "the history"):
        reviews = connection.execute("SELECT id, reviewed_at, provider, summary FROM reviews").fetchall()
        checks = connection.execute("SELECT id, ran_at, as_of, inputs, summary FROM checks").fetchall()
    events = [Event("review", i, at, provider,
                    _json(connection, "reviews", f"id {i}", "summary", summary, dict, "a JSON object"))
              for i, at, provider, summary in reviews]
    for i, at, as_of, inputs, summary in checks:
        files = _json(connection, "checks", f"id {i}", "inputs", inputs, list, "a JSON list of files")
        events.append(Event("check", i, at, f"as of {as_of}: {', '.join(map(str, files))}",
                            _json(connection, "checks", f"id {i}", "summary", summary, dict, "a JSON object"),
                            tuple(map(str, files))))
    return sorted(events, key=lambda e: (str(e.at), e.id), reverse=True)
