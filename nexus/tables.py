"""Small tables finance keeps by hand: a header row, then one row per item, in CSV or XLSX.

The presence file, the registrations held and a user's own tax rates are all read the same way: blank lines
skipped, the header's words compared without case or spaces, the columns a table needs checked before any row,
and each row handed over with a ``where(column)`` that names file, line, column and value for an error. One
reader serves them all so that they refuse the same mistakes with the same words.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Sequence

from nexus.errors import InputError, Location


@dataclass(frozen=True)
class TableRow:
    """One row of a small table: its line, its cells by column name (stripped text), and where each is."""

    file: str
    line: int
    cells: dict[str, str]

    def get(self, column: str, default: str = "") -> str:
        return self.cells.get(column, default)

    def where(self, column: str) -> Location:
        """The place of a cell, for an error: file, line, column and the value as written."""
        return Location(self.file, self.line, column, self.cells.get(column, ""))


def column_name(text: object) -> str:
    """``Registered On`` and ``registered_on`` are one column (and ``Note`` with a zero-width space is ``note``)."""
    from nexus.spreadsheets import without_marks

    return without_marks(str(text)).strip().lower().replace(" ", "_")


def refuse_repeated(header: Sequence[str], cells: Sequence[object], where: Location) -> None:
    """Stop at a column named twice (``Jurisdiction`` and ``jurisdiction``; ``header`` the names as compared,
    ``cells`` as written): a row read by name keeps one of the two cells, and which one the other holds (a second
    place, a later date) would be lost without a word."""
    seen: dict[str, int] = {}
    for i, name in enumerate(header):
        if name and name in seen:
            raise repeated_column(cells[i], seen[name], i, where)
        seen[name] = i


def repeated_column(name: object, first: int, second: int, where: Location) -> InputError:
    """The error for a column named twice, at 0-based ``first`` and ``second``: one wording for every reader."""
    return InputError(f"column {name!r} appears twice in the header (columns {first + 1} and {second + 1})", where)


def read_table(path: str, required: Sequence[str]) -> Iterator[TableRow]:
    """The rows of a small table, after checking its header has the ``required`` columns.

    An empty file, or a header without a required column, stops with one line naming the file (and the
    columns found); cells are text, stripped (an XLSX number or date as its text).
    """
    from nexus.spreadsheets import read_rows

    header: list[str] | None = None
    for line, values in read_rows(path):
        cells = ["" if v is None else str(v).strip() for v in values]
        if not any(cells):
            continue
        if header is None:
            header = [column_name(c) for c in cells]
            refuse_repeated(header, cells, Location(path, line))
            missing = [c for c in required if c not in header]
            if missing:
                raise InputError(f"missing column(s) {', '.join(missing)}; columns found: {', '.join(cells)}",
                                 Location(path, line))
            continue
        if len(cells) > len(header) and any(cells[len(header):]):
            # Cut to the header, 'office,Washington, DC' would be an office in Washington state, noted 'DC'.
            raise InputError(f"has {len(cells)} fields where the header has {len(header)}: a value with a comma "
                             f"in it ('Washington, DC') must be quoted", Location(path, line))
        yield TableRow(path, line, dict(zip(header, cells)))
    if header is None:
        raise InputError("is empty: no header row", Location(path))
