"""What every nexus command shares: one-line errors with exit code 2, option types, atomic output."""
from __future__ import annotations

import os
import re
from datetime import date

import click

from nexus import places
from nexus.errors import NexusError
from nexus.sales import FIELDS


class Failure(click.ClickException):
    """A foreseeable error: printed as ``Error: ...`` on one line, exit code 2."""

    exit_code = 2

    def __init__(self, message: str):
        # Text quoted from the input may hold line breaks or control characters: the reason stays on one line.
        super().__init__(re.sub(r"[\x00-\x1f\x7f\x85\u2028\u2029]", lambda m: repr(m.group())[1:-1], message))


class DateType(click.ParamType):
    name = "DATE"

    def convert(self, value, param, ctx):
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.fail(f"{value!r} is not a date in the form YYYY-MM-DD", param, ctx)


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
        raise Failure(f"{exc.filename or 'a file'}: {exc.strerror or exc}") from None


def emit(text: str, output: str | None) -> None:
    """Print, or write ``output`` under a temporary name then rename it: never a half-written file."""
    if not output:
        click.echo(text, nl=False)
        return
    tmp = f"{output}.tmp"
    try:
        with open(tmp, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, output)
    except OSError as exc:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise Failure(f"cannot write {output}: {exc.strerror or exc}") from None



def screen_width() -> int:
    """The terminal's width when standard output is one, else the width tables are fitted to in files."""
    import shutil
    import sys

    from nexus.terminal import DEFAULT_WIDTH

    if sys.stdout.isatty():
        return max(60, shutil.get_terminal_size((DEFAULT_WIDTH, 50)).columns)
    return DEFAULT_WIDTH


def parse_home(code):
    """A country (``DE``) or an ISO 3166-2 subdivision (``US-CA``, ``CA-QC``): ``CA`` is Canada, not California."""
    if not code:
        return None
    text = code.strip().upper()
    if text in places.countries() or text in places.us_regions() or text in places.subdivisions("CA"):
        return text
    raise Failure(f"--home {code!r} is not a country (ISO 3166-1, e.g. DE) or a US state or Canadian "
                  f"province (ISO 3166-2, e.g. US-CA, CA-QC)")


