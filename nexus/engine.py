"""Which reader reads the orders, and why: a library decision (:func:`choose`), which :func:`read_orders` follows.

nexus's own reader (:func:`nexus.sales.read_sales`) is the reference: it reads every input and names every bad
cell. DuckDB's fast path (:func:`nexus.own_layout_fast.read_sales_fast`, which hands a platform's export to
:mod:`nexus.fast_exports`) reads large files and Parquet quicker, and hands over to the reference whatever it
does not read alike (:class:`nexus.plain_input.NotPlain`): it never gives a different answer, only a quicker one.
``--engine auto`` takes it from :data:`FAST_FROM_ROWS` estimated rows (:func:`estimated_rows`), where DuckDB can
be imported (:func:`unavailable` says why not).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Callable, Sequence

from nexus.duckdb_session import connect, escaped, first_line, is_parquet
from nexus.errors import NexusError
from nexus.ledger import Ledger
from nexus.own_layout_fast import first_not_plain, options_only_python_reads, read_sales_fast
from nexus.plain_input import NotPlain
from nexus.read_options import ReadOptions
from nexus.sales import read_sales

#: From this many rows on (estimated: :func:`estimated_rows`), ``--engine auto`` takes the fast path. Issue 15
#: asks for the fast path from 50,000 rows, and below that for whichever reader is quicker: measured on whole
#: ``nexus check`` runs of files of 5,000 to 100,000 rows (docs/performance.md), DuckDB's start (importing it,
#: two passes, handing the totals over) costs more than nexus's own reader saves below about 20,000 rows.
FAST_FROM_ROWS = 20_000
#: The engines ``--engine`` names.
ENGINES = ("auto", "python", "duckdb")


def available() -> bool:
    """Whether DuckDB can be used here (see :func:`unavailable`)."""
    return unavailable() is None


def unavailable() -> str | None:
    """Why DuckDB cannot be used here (``import duckdb`` fails: no wheel for this machine, a broken install), or
    None when it can. DuckDB is a dependency of nexus; a machine without it reads orders with nexus's own reader."""
    global _UNAVAILABLE
    if _UNAVAILABLE is None:
        try:
            import duckdb  # noqa: F401
            _UNAVAILABLE = ""
        except Exception as exc:  # ImportError, or a library that fails to load (OSError...)
            _UNAVAILABLE = f"DuckDB cannot be imported here ({type(exc).__name__}: {first_line(exc)})"
    return _UNAVAILABLE or None


_UNAVAILABLE: str | None = None


@dataclass(frozen=True)
class Choice:
    """Which reader reads the orders, and why.

    ``engine`` is ``duckdb`` (the fast path: :func:`nexus.own_layout_fast.read_sales_fast`) or ``python``
    (nexus's own reader: :func:`nexus.sales.read_sales`); ``rows`` the files' estimated rows (None where they
    could not be estimated); ``reason`` why, in words; ``slow`` is set when nexus's own reader reads a large
    input that the fast path would have read, so that the user hears why it takes longer.
    """

    engine: str
    rows: int | None
    reason: str
    slow: bool = False


def choose(paths: Sequence[str], options: ReadOptions, engine: str = "auto") -> Choice:
    """The reader for these order files (``engine``: :data:`ENGINES`).

    Parquet is read by DuckDB only, workbooks by nexus's own reader only. Otherwise ``auto`` takes the fast
    path from :data:`FAST_FROM_ROWS` estimated rows, where DuckDB can be imported and the options are ones it
    reads (no ``--products``, ``--date-format``, ``--decimal-comma`` or encoding other than UTF-8); files it
    reads and then finds not plain are handed over by :func:`read_orders`. Raises :class:`NexusError` where the
    files need DuckDB (Parquet, ``--engine duckdb``) and it cannot be imported.
    """
    if engine not in ENGINES:
        raise NexusError(f"--engine {engine!r} is not one of {', '.join(ENGINES)}")
    parquet = [p for p in paths if is_parquet(p)]
    rows = estimated_rows(paths)
    if parquet or engine == "duckdb":
        why = unavailable()
        if why is not None:
            what = f"{parquet[0]}: Parquet files are read with DuckDB" if parquet else "--engine duckdb"
            raise NexusError(f"{what}, and {why}: reinstall nexus (pip install nexus-advisor) on a machine DuckDB "
                             f"supports, or give CSV files, which nexus's own reader reads")
        return Choice("duckdb", rows, "Parquet is read by DuckDB" if parquet else "--engine duckdb")
    if engine == "python":
        return Choice("python", rows, "--engine python")
    workbooks = [p for p in paths if p.lower().endswith((".xlsx", ".xlsm"))]
    if workbooks:
        return Choice("python", rows, f"{workbooks[0]} is a workbook, which nexus's own reader reads")
    if rows is None:  # a file that cannot be read: nexus's own reader names it
        return Choice("python", rows, "the rows could not be estimated")
    if rows < FAST_FROM_ROWS:
        return Choice("python", rows, f"about {rows:,} rows: below {FAST_FROM_ROWS:,}, nexus's own reader is "
                                      f"quicker than starting DuckDB")
    reason = options_only_python_reads(options, paths) or unavailable()
    if reason is not None:
        return Choice("python", rows, reason, True)
    return Choice("duckdb", rows, f"about {rows:,} rows")


def read_orders(paths: Sequence[str], options: ReadOptions, choice: Choice,
                progress: Callable[[str, float], None] | None = None,
                slow: Callable[[str], None] | None = None) -> Ledger:
    """The orders read by the chosen engine (:func:`choose`) into a ledger.

    The fast path hands over to nexus's own reader whenever the input is not plain (:class:`NotPlain`), and
    ``slow`` hears why, in one line; so it does when the choice itself was nexus's own reader for a large input
    (``choice.slow``). Parquet has no other reader: a Parquet file that is not plain is a :class:`NexusError`
    naming it. ``progress`` hears the reader (``duckdb`` or ``python``) and the share of the files read.
    """
    size = sum(os.path.getsize(p) for p in paths if os.path.isfile(p))
    if choice.engine == "duckdb":
        try:
            return read_sales_fast(paths, options, (lambda share: progress("duckdb", share)) if progress else None)
        except NotPlain as exc:
            parquet = [p for p in paths if is_parquet(p)]
            if parquet:
                said = str(exc) if exc.path else f"{', '.join(parquet)}: {exc}"
                row = next(filter(None, (first_not_plain(p, options) for p in parquet)), None)
                said = row or said
                raise NexusError(f"{said}; Parquet is read only by the fast path, so fix the values or export CSV, "
                                 f"which nexus reads row by row and names each bad cell") from None
            if slow:
                slow(f"reading {size / 2**20:,.1f} MB of orders row by row, not with DuckDB: {exc}")
    elif choice.slow and slow:
        slow(f"reading {size / 2**20:,.1f} MB of orders row by row, not with DuckDB: {choice.reason}")
    done = [0]

    def read(n: int) -> None:
        done[0] += n
        progress("python", min(done[0] / max(size, 1), 1.0))  # type: ignore[misc]

    return read_sales(paths, options, read if progress else None)


def estimated_rows(paths: Sequence[str]) -> int | None:
    """About how many rows the files hold, for choosing the reader and for progress: Parquet's own count, or
    a CSV's size divided by the length of its first lines. None when a file is a workbook, or cannot be read."""
    total = 0
    for path in paths:
        if is_parquet(path):
            rows = _parquet_rows(path)
        elif not path.lower().endswith((".xlsx", ".xlsm")) and os.path.isfile(path):  # read as CSV, never a pipe
            try:
                with open(path, "rb") as handle:
                    sample = handle.read(2**20)
                rows = round(os.path.getsize(path) * sample.count(b"\n") / max(len(sample), 1)) - 1
            except OSError:
                rows = None
        else:
            rows = None
        if rows is None:
            return None
        total += max(rows, 0)
    return total


def _parquet_rows(path: str) -> int | None:
    if not available():
        return None
    import duckdb

    try:
        with connect() as connection:
            return connection.execute(f"SELECT COUNT(*) FROM read_parquet('{escaped(path)}')").fetchall()[0][0]
    except duckdb.Error:
        return None
