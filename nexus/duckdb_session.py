"""DuckDB as nexus runs it, for every reader that hands it files (orders in nexus's own layout,
:mod:`nexus.own_layout_fast`; platform exports, :mod:`nexus.fast_exports`; daily totals, :mod:`nexus.aggregates`).

A connection that never prints (:func:`connect`), in a capped memory (:data:`MEMORY_LIMIT`) and a few threads
(:data:`THREADS`), tried again on one thread where it runs out of memory (:func:`on_fewer_threads`), with its
progress polled from a second thread (:class:`Progress`); its errors said in one line, texts escaped for its SQL
and small tables handed to it from Python. Parquet files (:func:`is_parquet`) are read through DuckDB only.
"""
from __future__ import annotations

import os
import tempfile
import threading
from typing import Any, Callable, TypeVar

from nexus.errors import NexusError

#: DuckDB's working memory; what does not fit spills to a temporary folder. With the daily totals nexus
#: keeps in Python, this holds a 10-million-row check under 400 MB.
MEMORY_LIMIT = "224MB"

#: DuckDB's threads: each holds its own buffers and hash tables (8 threads measured at 334 MB for 10M rows).
THREADS = min(os.cpu_count() or 2, 8)
T = TypeVar("T")


def connect(config: dict[str, Any] | None = None) -> Any:
    """A DuckDB connection that never prints a progress bar of its own: nexus's stdout may be a report."""
    import duckdb

    connection = duckdb.connect(config=config or {})
    connection.execute("SET enable_progress_bar_print = false")
    return connection


def is_parquet(path: str) -> bool:
    return path.lower().endswith((".parquet", ".pq"))


def on_fewer_threads(attempt: Callable[[int], T],
                     out_of_memory: Callable[[Exception], Exception] | None = None) -> T:
    """``attempt(threads)`` on every thread, then again on one where DuckDB runs out of its memory: each thread
    holds its own buffers and hash tables, and one needs the least (it spills the rest to disk). Out of memory on
    one thread is raised as ``out_of_memory`` makes it (by default :func:`_out_of_room`'s words), out of disk as
    :func:`_out_of_room`; other DuckDB errors are the caller's."""
    import duckdb

    for threads in sorted({THREADS, 1}, reverse=True):
        try:
            return attempt(threads)
        except duckdb.OutOfMemoryException as exc:
            if threads == 1:
                raise (out_of_memory or _out_of_room)(exc) from None
        except duckdb.IOException as exc:
            raise _out_of_room(exc) from None
    raise AssertionError("unreachable: the last try returns or raises")


def _out_of_room(exc: Exception) -> NexusError:
    return NexusError(f"DuckDB could not aggregate the orders ({first_line(exc)}); it works in {MEMORY_LIMIT} "
                      f"and spills the rest to {tempfile.gettempdir()}: free disk space there (or point TMPDIR "
                      f"elsewhere) and run again")


def first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def escaped(text: str) -> str:
    return text.replace("'", "''")


def table(connection: Any, name: str, columns: dict[str, str], rows: list[tuple]) -> None:
    """A small table from Python, in one statement of lists unnested side by side (executemany would cost
    a statement per row: 0.5 ms each)."""
    lists = [list(values) for values in zip(*rows)] if rows else [[] for _ in columns]
    connection.execute(f"CREATE TABLE {name} AS SELECT " + ", ".join(
        f"UNNEST(?::{kind}[]) AS {column}" for column, kind in columns.items()), lists)


class Progress:
    """Report DuckDB's progress through the running query, polled from a second thread, never backwards."""

    def __init__(self, connection: Any, report: Callable[[float], None] | None):
        self.connection, self.report = connection, report
        self.done, self.share, self.told = 0.0, 0.0, 0.0
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._poll, daemon=True) if report else None

    def __enter__(self) -> Progress:
        if self.thread:
            self.connection.execute("SET enable_progress_bar = true")  # measured, never printed (see connect)
            self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        if self.thread:
            self.thread.join()

    def run(self, sql: str, share: float) -> None:
        """Run one statement that makes up ``share`` of the work."""
        with self.lock:
            self.share = share
        self.connection.execute(sql)
        with self.lock:  # at once: a poll between the two took the statement's share twice, up to 100%
            self.done, self.share = self.done + share, 0.0
        self._tell(self.done)

    def finish(self) -> None:
        """The work is done: say so (the statements after the tracked ones are quick)."""
        self.share = 0.0
        self._tell(1.0)

    def _poll(self) -> None:
        while not self.stop.wait(0.25):
            percent = self.connection.query_progress()
            with self.lock:
                share = self.done + self.share * percent / 100
            if percent >= 0:
                self._tell(share)

    def _tell(self, share: float) -> None:
        with self.lock:
            share = min(round(share, 6), 1.0)
            if self.report and share > self.told:
                self.told = share
                self.report(share)
