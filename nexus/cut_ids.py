"""Order ids a spreadsheet cut short in one file, beside the whole ids another file holds.

A long order id that went through a spreadsheet's General format is saved as the spreadsheet showed it:
1000123456789012 becomes ``1.00012E+15`` (``1,00012E+15`` where the comma is the decimal separator). A late export
saved that way, read beside an export that kept the ids whole, shares no id with it: its copies of the same orders
are not matched and are counted a second time. Nothing tells which whole id a cut one was, so nexus never merges
them; it says so, naming both files, the cut id and the whole ids it may stand for (:func:`tell`).
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Callable, Iterable, Mapping, NamedTuple, Sequence

from nexus.errors import InputError
from nexus.read_options import ReadNotes, ReadOptions

#: The parts of a cut id: its first digit, the digits shown after the decimal mark, its exponent
#: (nexus.orders.SCIENTIFIC_ID, whose matches these are).
_PARTS = re.compile(r"([0-9])(?:[.,]([0-9]+))?E\+([0-9]{2,3})", re.IGNORECASE)
#: Cut ids named one by one in the warnings; the others are counted in one more line.
TOLD = 5
#: Whole ids named for each cut one; the others are counted.
NAMED = 3


class Cut(NamedTuple):
    """An order id read as a spreadsheet shows a long number: where, as written, and the whole numbers it may
    stand for, as the rounding that made it (``digits`` significant digits kept of a number of ``size`` digits)."""

    file: str
    line: int
    written: str
    digits: int
    size: int
    shown: int  # the number as shown: the kept digits, then zeros
    why: str  # how it lost its digits (nexus.orders.shortened_id)


class Whole(NamedTuple):
    file: str
    line: int
    order_id: str


#: The significant digits a workbook keeps of a number (Excel's 15).
WORKBOOK_DIGITS = 15


def cut(file: str, line: int, written: str, why: str, workbook_number: bool = False) -> Cut | None:
    """``written`` read as a spreadsheet's rounding of a whole number, or None (a form nexus does not read so:
    an exponent below the digits shown is not a long id); ``why`` says how it lost its digits. ``workbook_number``:
    a workbook's number of more than 15 digits (``1000123456789010``, as its cell holds it), of which 15 are kept."""
    if workbook_number:
        try:
            number = int(Decimal(written.strip()))
        except (InvalidOperation, ValueError):
            return None
        size = len(str(abs(number)))
        return Cut(file, line, written.strip(), WORKBOOK_DIGITS, size, _shown(abs(number), WORKBOOK_DIGITS), why)
    found = _PARTS.fullmatch(written.strip())
    if found is None:
        return None
    digits = found.group(1) + (found.group(2) or "")
    exponent = int(found.group(3))
    if exponent < len(digits):
        return None
    return Cut(file, line, written.strip(), len(digits), exponent + 1, int(digits) * 10 ** (exponent + 1 - len(digits)),
               why)


def _shown(number: int, digits: int) -> int:
    """``number`` as a spreadsheet shows it with ``digits`` significant digits (half away from zero)."""
    unit = 10 ** (len(str(number)) - digits)
    return (number + unit // 2) // unit * unit


def whole_matches(cuts: Sequence[Cut], ids: Iterable[Whole]) -> dict[Cut, list[Whole]]:
    """Each cut id, and the whole ids among ``ids`` (all digits, of its size or one less: 999995... shows as
    1.00000E+15) that a spreadsheet would show as it."""
    by_form: dict[tuple[int, int], list[Cut]] = {}
    for c in cuts:
        by_form.setdefault((c.digits, c.shown), []).append(c)
    sizes = {c.size for c in cuts} | {c.size - 1 for c in cuts}
    precisions = sorted({c.digits for c in cuts})
    found: dict[Cut, list[Whole]] = {}
    for whole in ids:
        if len(whole.order_id) not in sizes or not (whole.order_id.isascii() and whole.order_id.isdigit()):
            continue
        number = int(whole.order_id)
        for digits in precisions:
            for c in by_form.get((digits, _shown(number, digits)), ()):
                if (whole.file, whole.line) != (c.file, c.line):  # a workbook's number is its own digits
                    found.setdefault(c, []).append(whole)
    return found


def tell(cuts: Sequence[Cut], ids: Callable[[], Iterable[Whole]], notes: ReadNotes) -> None:
    """Warn of each cut id for which ``ids()`` (every order id read, with its file and line) holds whole ids it
    may stand for: they may be the same orders, counted twice. ``ids`` is called only when there are cut ids."""
    if not cuts:
        return
    found = whole_matches(cuts, ids())
    told = [c for c in cuts if c in found]
    for c in told[:TOLD]:
        wholes = found[c]
        files = sorted({w.file for w in wholes})
        named = ", ".join(f"{w.order_id} at {w.file}:{w.line}" for w in wholes[:NAMED])
        more = f" and {len(wholes) - NAMED:,} more" if len(wholes) > NAMED else ""
        holds = "holds" if len(files) == 1 else "hold"
        notes.warn(f"{c.file}:{c.line}: order id {c.written!r} is {c.why}, and {' and '.join(files)} {holds} "
                   f"{len(wholes):,} whole id{'s' if len(wholes) > 1 else ''} it may be ({named}{more}): counted "
                   f"apart from them, twice if it is one of them (nexus does not guess which); export the order id "
                   f"column as text, or take the export from the platform again")
    if len(told) > TOLD:
        notes.warn(f"{len(told) - TOLD:,} more order ids cut short by a spreadsheet may be orders that other rows "
                   f"hold with their whole ids (counted apart, twice if they are the same orders)")


def read_ids(paths: Sequence[str], id_column: Callable[[str, list[str]], int | None], options: ReadOptions,
             quoted: Mapping[str, bool]) -> Iterable[Whole]:
    """Every order id of ``paths`` with its file and line: the column ``id_column(path, header)`` gives (None: the
    file has none), read again only when a cut id is to be matched (a run whose ids are whole never reads it)."""
    from nexus.cells import _text
    from nexus.spreadsheets import has_value, read_rows

    for path in paths:
        rows = read_rows(path, options, None, ReadNotes(), quoted=quoted.get(path, True))
        try:
            at: int | None = -1
            for line, values in rows:
                if at == -1:
                    if has_value(values):
                        at = id_column(path, [str(v) for v in values])
                        if at is None:
                            break
                    continue
                if at is not None and at < len(values):
                    yield Whole(path, line, _text(values[at]).strip().lstrip("#"))
        except InputError:
            continue  # the reading itself named what it could not read; nothing more to match here
        finally:
            getattr(rows, "close", lambda: None)()
