"""The memo's row account (its section "Rows and input files"): every row read, used, skipped or a duplicate,
per file, the first of the skipped and duplicate rows listed (a migration's overlaps first), and the other
input files with the rows read from each.
"""
from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from nexus.findings import CheckResult

#: Rows of the skipped and duplicate lists shown in the memo; the workbook's Rejected rows sheet has them all.
LISTED_ROWS = 10


@dataclass(frozen=True)
class Account:
    summary: dict[str, int]
    files: tuple[tuple[str, int], ...]
    first_day: str
    last_day: str
    skipped: tuple[Any, ...]
    skipped_more: int
    duplicates: tuple[Any, ...]
    duplicates_more: int
    outside_rules: tuple[str, ...]
    other_inputs: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    after_as_of: int = 0  # rows used dated after the as-of date: counted in no period
    as_of: str = ""
    #: The rows read from each presence and registrations file, for the input files table (an empty Rows cell
    #: beside a file suggested nothing was in it).
    input_rows: dict[str, int] = field(default_factory=dict)


def account(result: CheckResult) -> Account:
    ledger = result.ledger
    s = ledger.summary()
    presence_files = sorted({v.item.source.file for f in result.findings for v in f.presence})
    registration_files = sorted({r.source.file for r in result.registrations})
    others = tuple([("Presence", p) for p in presence_files] + [("Registrations", p) for p in registration_files]
                   + ([("Exchange rates", result.rates.source)] if result.rates is not None else []))
    items = {(v.item.source.file, v.item.source.line) for f in result.findings for v in f.presence}
    counted = Counter(file for file, _line in items) + Counter(r.source.file for r in result.registrations)
    return Account(s, tuple(ledger.files), str(ledger.first_day or ""), str(ledger.last_day or ""),
                   tuple(ledger.skipped[:LISTED_ROWS]), s["rows_skipped"] - min(len(ledger.skipped), LISTED_ROWS),
                   _overlaps_first(ledger.duplicates, ledger.overlaps),
                   s["duplicates"] - min(len(ledger.duplicates), LISTED_ROWS),
                   tuple(u.words() for u in result.unassessed()), others, result.rows_after_as_of, str(result.as_of),
                   dict(counted))


def _overlaps_first(duplicates: list[Any], overlaps: list[Any]) -> tuple[Any, ...]:
    """The duplicate rows the memo lists: a migration overlap first (two platforms' copies taken for one order,
    perhaps a day apart: the ones a controller checks), then the plain repeats, as many as the memo lists."""
    overlapping = set(overlaps)  # up to 10,000 of each: looked up, not searched
    first = [d for d in duplicates if d in overlapping][:LISTED_ROWS]
    rest = (d for d in duplicates if d not in overlapping)
    return tuple(first + list(itertools.islice(rest, LISTED_ROWS - len(first))))
