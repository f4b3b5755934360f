"""What every nexus command shares: one-line errors with exit code 2, option types, outputs."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

import click

from nexus import outputs, places, store
from nexus.errors import NexusError
from nexus.text_safety import one_line, printable
from nexus.exports.statuses import READINGS, status_key
from nexus.columns import FIELDS


class Failure(click.ClickException):
    """A foreseeable error: printed as ``Error: ...`` on one line, exit code 2."""

    exit_code = 2

    def __init__(self, message: str):
        # Text quoted from the input (a value, a file's name) may hold line breaks, control characters or a
        # right-to-left override: the reason stays on one line, each shown as its escape (text_safety.one_line).
        super().__init__(one_line(message))


def echo(text: str = "", err: bool = False, nl: bool = True) -> None:
    """The one way a command prints: every control character but the line break, and every bidirectional
    override, shown as its escape (:func:`nexus.text_safety.printable`), whatever the text quotes from the input.
    A file named with ESC [ 2 J cleared the screen from a 'skipped FILE:LINE' line, and a name holding U+202E
    reversed the rest of the line. Text already made printable passes unchanged."""
    click.echo(printable(text), err=err, nl=nl)


class DateType(click.ParamType):
    """A date YYYY-MM-DD between 1900 and 2199: a check as of 9999-12-31 ran out of calendar (a traceback, exit 1)
    and one as of 9990 scanned eight thousand years day by day."""

    name = "DATE"
    FIRST, LAST = date(1900, 1, 1), date(2199, 12, 31)

    def convert(self, value, param, ctx):
        if isinstance(value, date):
            return value
        try:
            found = date.fromisoformat(value)
        except ValueError:
            self.fail(f"{value!r} is not a date in the form YYYY-MM-DD", param, ctx)
        if not self.FIRST <= found <= self.LAST:
            self.fail(f"{value!r} is outside the dates nexus works with ({self.FIRST} to {self.LAST})", param, ctx)
        return found


class OrderCurrencyType(click.ParamType):
    """The currency of orders that carry none: an ISO 4217 code, current or withdrawn (old orders in HRK convert
    at its fixed rate). A code ISO does not know was blamed on the first row of the file."""

    name = "CODE"

    def convert(self, value, param, ctx):
        from nexus import currencies

        code = str(value).strip().upper()
        if currencies.facts(code) is None:
            self.fail(f"{value!r} is not an ISO 4217 currency code (USD, EUR, JPY...)", param, ctx)
        return code


class CurrencyType(click.ParamType):
    """An ISO 4217 code in use today (``usd`` is read as ``USD``)."""

    name = "CODE"

    def convert(self, value, param, ctx):
        from nexus import currencies

        code = str(value).strip().upper()
        found = currencies.facts(code)
        if found is not None and not found.current and found.successor:  # as the accounts plan says it
            self.fail(f"{code!r} was withdrawn ({found.withdrawn}): use {found.successor}, its successor", param, ctx)
        if found is None or not found.current or found.minor_units is None or found.fund:  # CLF: a unit of account
            self.fail(f"{value!r} is not a current ISO 4217 currency code (USD, EUR, JPY...)", param, ctx)
        return code


class ColumnType(click.ParamType):
    """``ours=theirs``: a nexus field and the header an export uses for it."""

    name = "FIELD=HEADER"

    def __init__(self, fields=FIELDS):
        self.fields = fields

    def convert(self, value, param, ctx):
        field, sep, header = value.partition("=")
        if not sep or not header.strip():
            self.fail(f"{value!r} is not FIELD=HEADER, e.g. --column amount=\"Net Sales\"", param, ctx)
        if field.strip() not in self.fields:
            self.fail(f"{field!r} is not a nexus field ({', '.join(self.fields)})", param, ctx)
        return field.strip(), header.strip()


class OrderStatusType(click.ParamType):
    """``status=paid|unpaid``: how to read an order status a platform export writes (nexus.exports.statuses)."""

    name = "STATUS=paid|unpaid"

    def convert(self, value, param, ctx):
        status, sep, reading = value.rpartition("=")
        if not sep or not status.strip() or reading.strip().lower() not in READINGS:
            self.fail(f"{value!r} is not STATUS=paid or STATUS=unpaid, e.g. --order-status shipped=paid", param, ctx)
        return status_key(status), reading.strip().lower()


def run_library(debug: bool, work):
    """Call the library; turn its errors into one line and exit code 2."""
    try:
        return work()
    except NexusError as exc:
        if debug:
            raise
        raise Failure(str(exc)) from None
    except OSError as exc:  # a disk full, a folder not writable, a file vanished mid-run
        if debug:
            raise
        where = f"{exc.filename}: " if exc.filename else ""
        raise Failure(f"{where}{exc.strerror or exc.__class__.__name__}") from None


def is_stdout(output: str | None) -> bool:
    """Whether an output option asks for standard output: not given, or ``-``."""
    return not output or output == "-"


def emit(text: str, output: str | None) -> None:
    """Print (no ``output``, or ``-``), or write ``output`` whole through :func:`nexus.outputs.write_text`."""
    if is_stdout(output):
        echo(text, nl=False)
        return
    try:
        outputs.write_text(output, text)
    except NexusError as exc:
        raise Failure(str(exc)) from None


def refuse_overwriting_inputs(outputs_given, inputs_given, workbooks: bool = True) -> None:
    """Stop (exit 2, naming both files) before any work when an output is also an input or another output, or the
    local store one of the files read, or (naming the option) when an output's folder is missing or not writable.

    Both are (option, path) pairs; repeated options give several pairs. See
    :func:`nexus.outputs.refuse_inputs_as_outputs`. A ``--workbook`` path that holds a file that is no workbook is
    refused too (:func:`nexus.outputs.refuse_replacing_non_workbook`), as is an ``--html`` path that holds a file that
    is no HTML page (:func:`nexus.outputs.refuse_replacing_non_page`), unless ``workbooks`` is False: a command
    that learns of more inputs later (a profile's currency list) checks that last, so that an input is named as one.
    """
    outputs_given, inputs_given = list(outputs_given), list(inputs_given)
    files_read = [pair for pair in inputs_given if pair[0] not in _STORE_OPTIONS]
    try:
        for option, path in inputs_given:  # the store is written too: never into one of the files read
            if option in _STORE_OPTIONS:
                store.refuse_inputs(path, files_read, option)
        outputs.refuse_inputs_as_outputs(outputs_given, inputs_given)
        outputs.refuse_unwritable(outputs_given)
        for option, path in outputs_given if workbooks else ():  # a mistyped name would replace an order export
            if option == "--workbook":
                outputs.refuse_replacing_non_workbook(option, path)
            elif option == "--html":
                outputs.refuse_replacing_non_page(option, path)
    except NexusError as exc:
        raise Failure(str(exc)) from None


#: How :func:`store_input` names the store among a command's inputs.
_STORE_OPTIONS = ("--db", "the local store")


def store_input(db):
    """The local store as an input ('--db', or where it is by default), so that no output overwrites it, and that
    it is not one of the files read (:func:`refuse_overwriting_inputs`)."""
    return (_STORE_OPTIONS[0] if db else _STORE_OPTIONS[1], str(db or store.default_path()))


def no_workbook_on_stdout(option: str, path: str | None) -> None:
    """A workbook is a binary file: '-' (standard output) is refused for it, before any work."""
    if path == "-":
        raise Failure(f"{option} -: a workbook cannot be written to standard output; give a file name "
                      f"such as report.xlsx")


def screen_width(err: bool = False) -> int:
    """The terminal's width when standard output (``err``: standard error) is one, else the width tables are fitted
    to in files: notes on stderr fit the terminal when the JSON goes to a file."""
    import os
    import shutil
    import sys

    from nexus.terminal import DEFAULT_WIDTH

    stream = sys.stderr if err else sys.stdout
    if not stream.isatty():
        return DEFAULT_WIDTH
    columns = shutil.get_terminal_size((DEFAULT_WIDTH, 50)).columns  # COLUMNS, else standard output's terminal
    if err and not os.environ.get("COLUMNS", "").isdigit():  # stdout may be a file: ask stderr's terminal itself
        try:
            columns = os.get_terminal_size(stream.fileno()).columns or columns
        except (OSError, ValueError):
            pass
    return max(60, columns)


def parse_home(code):
    """A country (``DE``) or an ISO 3166-2 subdivision (``US-CA``, ``CA-QC``): ``CA`` is Canada, not California."""
    if not code:
        return None
    text = code.strip().upper()
    if text in places.countries() or text in places.us_regions() or text in places.subdivisions("CA"):
        return text
    raise Failure(f"--home {code!r} is not a country (ISO 3166-1, e.g. DE) or a US state or Canadian "
                  f"province (ISO 3166-2, e.g. US-CA, CA-QC)")


def ahead_of_today(result):
    """A check or a comparison as of a day after today says so first: its deadlines, days overdue, penalties and
    interest are reckoned to a day that has not come (a what-if, or a mistyped year), and no order after today can
    be in the files."""
    today = date.today()
    if result.as_of <= today:
        return result
    said = (f"the as-of date {result.as_of} is after today ({today}): days overdue, penalties and interest are "
            f"reckoned to a day that has not come, and the orders cannot hold the sales until then")
    return replace(result, warnings=(said,) + tuple(result.warnings))
