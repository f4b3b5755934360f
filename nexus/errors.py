"""The library's own exceptions.

Everything nexus raises on purpose is a ``NexusError``; the CLI turns these
into a one-line message and exit code 2. Errors about input data carry where
the problem is (file, line, column, value) so the message points at the row
an accountant must fix.
"""
from __future__ import annotations

from dataclasses import dataclass

from nexus.records import built_fast


class NexusError(ValueError):
    """Base class: a foreseeable problem that stops a run."""


@built_fast  # built for every order read
@dataclass(frozen=True)
class Location:
    """Where in the input a value came from. ``line`` counts from 1, header included."""

    file: str
    line: int | None = None
    column: str | None = None
    value: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
        if self.column is not None:
            where += f": column {self.column!r}"
        if self.value is not None:
            where += f" value {_shown(self.value)}"
        return where


def nowhere(field: str) -> Location:
    """The place of a value read once per spelling, outside any row (the fast readers map each distinct word
    once): the field alone. Its callers catch the error and leave the row to the full reading, which names the
    file, line and column."""
    return Location("", column=field)


#: The longest value an error shows whole; a longer one (a cell of 100,000 characters, two cells run together by a
#: quote left open) is shown by its start and end and its length, so that the error stays one line on a screen.
SHOWN_CHARACTERS = 120


def _shown(value: str) -> str:
    if len(value) <= SHOWN_CHARACTERS:
        return repr(value)
    return f"{value[:80]!r}...{value[-20:]!r} ({len(value):,} characters)"


class InputError(NexusError):
    """A value in an input file cannot be used."""

    def __init__(self, message: str, location: Location | None = None):
        self.message = message
        self.location = location
        super().__init__(f"{location}: {message}" if location else message)


class BadAmount(InputError):
    """An amount that is not a plain decimal number."""


class BadDate(InputError):
    """A date that is not in a form nexus reads."""


class UnknownCode(InputError):
    """A country, state or currency code that is not in the reference lists."""


class MissingColumns(InputError):
    """The header lacks a column nexus needs."""


class RateMissing(NexusError):
    """No exchange rate for a currency on or shortly before a date."""


class RulesError(NexusError):
    """The reference rule tables are malformed (a packaging or editing mistake)."""


class FetchError(NexusError):
    """A file could not be fetched over HTTP(S)."""
