"""What the ledger targets share: atomic files that respect the umask, spreadsheet-safe CSV, dates, splits."""
from __future__ import annotations

import csv
import io
import os
from decimal import Decimal
from typing import Iterable, Mapping, Sequence

from nexus.account_records import AccountRef, Proposal
from nexus.accounts import Plan
from nexus.chart import Account
from nexus.errors import InputError, Location
from nexus.outputs import atomic_write, spreadsheet_safe


def safe(value: str) -> str:
    """Text a spreadsheet would run as a formula gets a leading apostrophe (:func:`nexus.outputs.spreadsheet_safe`)."""
    return spreadsheet_safe(value)


def amount(value: Decimal) -> str:
    """A plain decimal as ledgers import it: no grouping, no exponent, ``-`` for negatives."""
    return format(value, "f")


def write_atomic(path: str, data: bytes) -> None:
    """Write ``data`` whole or not at all, as every nexus output is (:func:`nexus.outputs.atomic_write`)."""
    def write(temporary: str) -> None:
        with open(temporary, "wb") as out:
            out.write(data)

    atomic_write(path, write)


def csv_bytes(columns: Sequence[str], rows: Iterable[Mapping[str, str]], numeric: Sequence[str] = (),
              encoding: str = "utf-8") -> bytes:
    """Rows as CSV with a header, in ``encoding`` (a target's ``ENCODING``: ``utf-8-sig`` writes the byte-order mark
    Excel needs to read UTF-8); text cells neutralised, the ``numeric`` columns left as numbers."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, "") if c in numeric else safe(row.get(c, "")) for c in columns])
    return out.getvalue().encode(encoding)


def part_paths(path: str, parts: int) -> list[str]:
    """``journal.csv``, ``journal-2.csv``, ...: one file per import a row limit allows."""
    stem, ext = os.path.splitext(path)
    return [path if i == 0 else f"{stem}-{i + 1}{ext}" for i in range(parts)]


def write_csv_parts(path: str, columns: Sequence[str], groups: Sequence[Sequence[Mapping[str, str]]],
                    limit: int | None, numeric: Sequence[str] = (), encoding: str = "utf-8") -> list[str]:
    """Write ``groups`` of rows (rows that must stay in one file: one journal entry) in files of ``limit`` rows."""
    files: list[list[Mapping[str, str]]] = [[]]
    for group in groups:
        if limit is not None and len(group) > limit:
            raise InputError(f"{path}: one entry of {len(group)} lines is over the import limit of {limit} lines")
        if limit is not None and len(files[-1]) + len(group) > limit:
            files.append([])
        files[-1].extend(group)
    paths = part_paths(path, len(files))
    for target, rows in zip(paths, files):
        write_atomic(target, csv_bytes(columns, rows, numeric, encoding))
    return paths


def names_path(ref: AccountRef) -> list[str]:
    """The names from the top parent down to the account itself."""
    return [name for _, name in ref.parents] + [ref.name]


def refuse(proposal: Proposal | AccountRef | Account, message: str, source: str = "") -> InputError:
    """An error that names the account a ledger cannot take, and why; for a row of the chart (an import that repeats
    the whole chart, as Xero's does), the chart's file ``source`` and the row's line too: the place to fix it."""
    where = Location(source, proposal.line) if source and isinstance(proposal, Account) else None
    return InputError(f"account {proposal.number} {proposal.name!r}: {message}", where)


def within_decimals(number: str, value: Decimal, currency: str, ledger: str, places: int, kept: str) -> None:
    """Refuse an amount with more decimals than ``ledger`` keeps (``places``; ``kept`` says how that ledger keeps
    them, from its documentation), naming the line's account: a BHD, KWD or OMR entry's 70323.698 written for a
    ledger of 2 decimals is rounded there line by line, leaving the entry out of balance or booked at other figures
    than the workbook's. The targets whose ledgers keep 2 (NetSuite, Xero) call this for every line they write."""
    if value != value.quantize(Decimal(1).scaleb(-places)):
        raise InputError(f"account {number}: {value} {currency} has more decimals than {ledger} keeps ({kept}): book "
                         f"the entry in a currency of {places} decimals or none (--book-currency), or round its lines "
                         f"by hand so that they still balance")


def plan_refs(plan: Plan) -> list[AccountRef]:
    return [p.ref for p in plan.proposals]
