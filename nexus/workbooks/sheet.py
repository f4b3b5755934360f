"""The workbook layer: styled Excel sheets declared from records, and the print set-up, once for every workbook.

Each workbook nexus writes is a list of declarations: a :class:`Sheet` (a
title, columns saying how to read each value from a record and what kind of
value it is, and the records), a :class:`Page` (a one-page sheet of headings,
labelled values and small tables, such as an executive summary) or a
:class:`ChartSheet`. This module owns everything else: number formats per
currency (0 decimals for JPY, 3 for BHD), Excel dates, header style, frozen
header, filters, column widths, wrapping, hyperlinks, formulas with their
values, document properties, and how every sheet prints.

How every sheet prints (the print rules; see docs/workbook.md):

* one page wide, on A4 and on Letter: the columns to print are grouped so that
  each group fits the narrower of the two papers at no less than
  :data:`MIN_SCALE`; one group is one print area, printed portrait when it fits
  and landscape otherwise; a wide sheet prints its first column again on the
  pages of its later groups. A sheet that declares ``print_columns`` prints
  those leading columns only, and its page header says which columns are left
  to the file;
* the header row repeated on every page; long text wrapped (a column is
  capped at 60 characters and wraps when its text is wider), the row height
  left to the spreadsheet program, which fits it to the wrapped text;
* footers with the sheet name, "page x of y" and the as-of date;
* appendix sheets (``appendix=True``: every duplicate row, month-level detail,
  all sources) are hidden, and so are left out when the workbook is printed.

Sheets are written with XlsxWriter in its constant-memory mode, row by row, so
a sheet of 100,000 rows does not sit in memory. Text is always stored as text:
a value from input that starts with ``=`` (or ``+``, ``-``, ``@``) never
becomes a formula; only :class:`Formula` values are formulas, and each is
stored with the value nexus already computed, so viewers that do not
recalculate still show it. Characters XML cannot hold are shown as ``\\x07``
escapes rather than dropped. Excel's limits hold: a text longer than 32,767
characters is cut and says so; a sheet never passes 1,048,576 rows, and says
how many rows it left out. The file is written to a temporary name and
renamed, so an interrupted run leaves no half-written workbook.
"""
from __future__ import annotations

import itertools
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Callable, Iterable, Sequence, Union

import xlsxwriter
from xlsxwriter.utility import quote_sheetname, xl_col_to_name, xl_rowcol_to_cell

from nexus import __version__
from nexus.errors import NexusError
from nexus.money import minor_units

KINDS = ("text", "integer", "number", "money", "ratio", "date", "link", "auto")
HEADER_COLOUR = "#1F4E78"
DATE_FORMAT = "yyyy-mm-dd"
RATIO_FORMAT = "0%"
COUNT_FORMAT = "#,##0"
#: Fill colours for a row's status, shared by every workbook.
STATUS_FILLS = {
    "exceeded": "F8CBAD", "established": "F8CBAD", "creates": "F8CBAD",
    "approaching": "FFE699", "review": "FFE699",
    "below": "E2EFDA", "safe-harbor": "E2EFDA",
}
#: Bar colours and patterns per status: the pattern tells the statuses apart without colour.
STATUS_BARS = {
    "exceeded": ("#C00000", "solid"), "established": ("#7030A0", "solid"),
    "approaching": ("#FFC000", "wide_upward_diagonal"), "below": ("#70AD47", "small_check"),
}
#: Excel's limits: rows a sheet holds, characters a cell holds, characters a link holds, links a sheet holds.
MAX_ROWS = 1_048_576
MAX_CELL_TEXT = 32_767
MAX_URL = 2_079
MAX_LINKS = 65_530
#: A sheet is never printed smaller than this (fit to width shrinks it otherwise).
MIN_SCALE = Decimal("0.75")
#: Printable width in pixels at 96 dpi, 0.5 inch side margins, on the narrower of A4 and Letter.
PORTRAIT_PIXELS = 698  # A4: 8.27 in - 1 in
LANDSCAPE_PIXELS = 960  # Letter: 11 in - 1 in
PAPERS = {"A4": 9, "Letter": 1}
_SAMPLE_ROWS = 500  # rows looked at to size columns
_MAX_WIDTH = 60  # a column never grows wider than this: its text wraps instead
_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")
_CUT = " [cut: Excel holds 32,767 characters a cell; the original has {:,}]"


@dataclass(frozen=True)
class Formula:
    """An Excel formula that nexus wrote on purpose (never text from input).

    ``value`` is what nexus already knows the formula comes to; it is stored
    with the formula, so a viewer that does not recalculate shows it. Without
    one the cell shows blank until the spreadsheet recalculates.
    """

    text: str
    value: Any = None


@dataclass(frozen=True)
class Column:
    """One column: its header, how to read the value from a record, and its kind.

    ``currency`` gives, for ``money`` columns, the ISO 4217 code whose minor
    unit sets the number format of that row's cell. ``wrap`` None wraps the
    column when its text is wider than the column; True or False decide.
    """

    header: str
    value: Callable[[Any], Any]
    kind: str = "text"
    currency: Callable[[Any], str] | None = None
    width: int | None = None
    wrap: bool | None = None


@dataclass(frozen=True)
class Sheet:
    """A sheet declared from records: one header row, one row per record.

    ``status`` names the column whose value colours each row (see
    :data:`STATUS_FILLS`). ``bold`` picks records to show in bold, such as
    total rows. ``chart`` is called with a :class:`Canvas` after the rows are
    written, to add a chart. ``notes`` are lines above the header: what the
    sheet leaves out and where to find it. ``print_columns`` prints that many
    leading columns (the rest stay in the file); None prints them all.
    ``landscape`` None lets the layer choose from the width; ``fit_width``
    False prints at full size, splitting the columns into more page-wide
    groups rather than shrinking them. ``appendix`` hides the sheet, so it is
    not printed. ``table`` is kept for older declarations: every sheet gets a
    filter on its header row (Excel tables cannot be written row by row).
    """

    title: str
    columns: Sequence[Column]
    rows: Iterable[Any]
    table: bool = False
    status: str | None = None
    bold: Callable[[Any], bool] | None = None
    chart: Callable[[Any, int], None] | None = None
    landscape: bool | None = None
    fit_width: bool = True
    notes: Sequence[str] = ()
    print_columns: int | None = None
    appendix: bool = False
    autofilter: bool = True

    @property
    def header_row(self) -> int:
        """The sheet row (1-based) of the column headers; records start on the next row."""
        return len(self.notes) + 1


@dataclass(frozen=True)
class Heading:
    """A bold line on a :class:`Page`."""

    text: str


@dataclass(frozen=True)
class Field:
    """A labelled value on a :class:`Page`: the label in the first column, the value beside it.

    ``key`` names the value's cell for formulas on the same page: a
    :class:`Formula` text may say ``{rows_read}`` for the cell of the field
    whose key is ``rows_read``.
    """

    label: str
    value: Any
    kind: str = "auto"
    currency: str | None = None
    key: str = ""


@dataclass(frozen=True)
class Table:
    """A small table on a :class:`Page`: a header row and a row per record, no filter."""

    columns: Sequence[Column]
    rows: Sequence[Any]
    status: str | None = None


Part = Union[Heading, Field, Table, str, None]
"""What a :class:`Page` holds, top down: a heading, a field, a table, a paragraph (wrapped to the page's
width) or None for a blank line."""


@dataclass(frozen=True)
class Page:
    """A sheet laid out as a document, such as an executive summary: no filter, no frozen header."""

    title: str
    parts: Sequence[Part]
    landscape: bool = False
    width: int = 100  # characters across the page; paragraphs and long values wrap to it


@dataclass(frozen=True)
class ChartSheet:
    """A sheet holding one chart (made by :func:`status_chart`), printed as one landscape page."""

    title: str
    chart: Callable[[Any, int], None]


@dataclass
class Canvas:
    """Where a chart goes: the workbook to make it in and the sheet (or chart sheet) to put it on."""

    book: Any
    target: Any
    chart_sheet: bool = False

    def place(self, chart: Any, anchor: str) -> None:
        if self.chart_sheet:
            self.target.set_chart(chart)
        else:
            self.target.insert_chart(anchor, chart)


def money_format(code: str) -> str:
    """``#,##0.00 "USD"`` with the currency's own decimals; negatives in red brackets."""
    places = minor_units(code)
    number = "#,##0" + ("." + "0" * places if places else "")
    return f'{number} "{code}";[Red]({number}) "{code}"'


def text_width(value: str) -> int:
    """Display width: East Asian wide and full-width characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in value)


def clean_text(value: str) -> str:
    """Keep text intact except for characters an XLSX file cannot hold, shown as escapes."""
    return _ILLEGAL.sub(lambda m: f"\\x{ord(m.group()):02x}", value)


def fit_text(value: str) -> str:
    """Text as a cell holds it: cleaned, and cut at Excel's 32,767 characters with a note saying so."""
    text = clean_text(value)
    if len(text) <= MAX_CELL_TEXT:
        return text
    note = _CUT.format(len(text))
    return text[:MAX_CELL_TEXT - len(note)] + note


def wrap_lines(text: str, width: int) -> list[str]:
    """``text`` broken at spaces into lines of at most ``width`` display columns (a longer word stands alone)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            joined = f"{line} {word}" if line else word
            if line and text_width(joined) > width:
                lines.append(line)
                line = word
            else:
                line = joined
        lines.append(line)
    return lines


def _shown(value: Any) -> str:
    if isinstance(value, (date, datetime)):
        return "2026-12-31"
    if isinstance(value, Decimal):
        return f"{value:,.2f} XXX"
    if isinstance(value, Formula):
        return "0,000,000.00 XXX" if value.value is None else _shown(value.value)
    if isinstance(value, bool):
        return "Yes"
    return "" if value is None else str(value)


def _kind(kind: str, value: Any) -> str:
    """The kind of a cell: the column's, or for ``auto`` columns the value's own."""
    if isinstance(value, Formula):
        value = value.value
    if kind != "auto":
        return kind
    if isinstance(value, (date, datetime)):
        return "date"
    if isinstance(value, bool) or isinstance(value, str):
        return "text"
    if isinstance(value, int):
        return "integer"
    return "number" if isinstance(value, (Decimal, float)) else "text"


class _Styles:
    """One XlsxWriter format per combination of properties (XlsxWriter wants each made once)."""

    def __init__(self, book: Any):
        self.book = book
        self._made: dict[tuple[tuple[str, Any], ...], Any] = {}

    def get(self, **properties: Any) -> Any:
        key = tuple(sorted((k, v) for k, v in properties.items() if v not in (None, False)))
        if key not in self._made:
            self._made[key] = self.book.add_format(dict(key))
        return self._made[key]

    def header(self) -> Any:
        return self.get(bold=True, font_color="#FFFFFF", bg_color=HEADER_COLOUR, text_wrap=True, valign="vcenter",
                        border=1, border_color="#FFFFFF")


class _Writer:
    """Writes the cells of one sheet in order, knowing how each kind of value is stored and formatted."""

    def __init__(self, ws: Any, styles: _Styles):
        self.ws, self.styles, self.links = ws, styles, 0

    def cell(self, row: int, col: int, value: Any, kind: str, currency: str | None = None, wrap: bool = False,
             bold: bool = False, refs: dict[str, str] | None = None) -> None:
        kind = _kind(kind, value)
        style = {"text_wrap": wrap, "valign": "top" if wrap else None, "bold": bold}
        if kind == "money":
            style["num_format"] = money_format(currency or "USD")
        elif kind == "ratio":
            style["num_format"] = RATIO_FORMAT
        elif kind == "date":
            style["num_format"] = DATE_FORMAT
        elif kind == "integer":
            style["num_format"] = COUNT_FORMAT
        ws, fmt = self.ws, self.styles.get(**style)
        if isinstance(value, Formula):  # the one place a formula is made
            text = value.text.format_map(refs) if refs else value.text
            cached = value.value
            if isinstance(cached, bool):
                cached = "Yes" if cached else "No"
            ws.write_formula(row, col, text, fmt, "" if cached is None else cached)
        elif value is None or value == "":
            if any(style.values()):
                ws.write_blank(row, col, None, fmt)
        elif kind == "link" and isinstance(value, str) and value.startswith(("https://", "http://")) \
                and len(value) <= MAX_URL and self.links < MAX_LINKS:
            self.links += 1
            ws.write_url(row, col, value, self.styles.get(font_color="blue", underline=1, **style),
                         string=fit_text(value))
        elif kind in ("text", "link"):
            text = ("Yes" if value else "No") if isinstance(value, bool) else fit_text(str(value))
            ws.write_string(row, col, text, fmt)  # never a formula, whatever the text starts with
        elif kind == "date":
            ws.write_datetime(row, col, value, fmt)
        else:
            ws.write_number(row, col, value, fmt)


def _widths(columns: Sequence[Column], sample: Sequence[Any]) -> list[int]:
    widths = []
    for column in columns:
        widest = max([text_width(column.header)] + [text_width(_shown(column.value(r))) for r in sample])
        widths.append(column.width or min(_MAX_WIDTH, widest + 2))
    return widths


def _pixels(width: float) -> int:
    """A column's width in pixels, as Excel lays out Calibri 11 (a 7-pixel digit and 5 pixels of padding)."""
    return int(width * 7 + 0.5) + 5


def _groups(widths: Sequence[int], fit_width: bool) -> list[range]:
    """The printed columns cut into groups that each fit one landscape page at no less than MIN_SCALE.

    The first column is printed again on the pages of later groups, so it counts in each group's width.
    """
    budget = LANDSCAPE_PIXELS / (MIN_SCALE if fit_width else 1)
    groups, start, used = [], 0, 0
    for i, width in enumerate(widths):
        if i > start and used + _pixels(width) > budget:
            groups.append(range(start, i))
            start, used = i, _pixels(widths[0])
        used += _pixels(width)
    groups.append(range(start, len(widths)))
    return groups


class _Book:
    """The workbook being written, with the print rules every sheet gets."""

    def __init__(self, path: str, title: str, subject: str, footer: str, paper: str | None):
        self.book = xlsxwriter.Workbook(path, {"constant_memory": True, "default_date_format": DATE_FORMAT})
        self.book.set_properties({"title": title, "subject": subject, "author": f"nexus {__version__}",
                                  "keywords": "nexus", "comments": f"Written by nexus {__version__}"})
        self.styles = _Styles(self.book)
        self.title, self.footer, self.paper = title, footer, paper

    def print_setup(self, ws: Any, landscape: bool, header_note: str = "") -> None:
        ws.set_landscape() if landscape else ws.set_portrait()
        if self.paper:
            ws.set_paper(PAPERS[self.paper])
        ws.set_margins(left=0.5, right=0.5, top=0.75, bottom=0.75)
        ws.set_header(f"&L&8{_escape(self.title)}&R&8{_escape(header_note)}", {"margin": 0.3})
        ws.set_footer(f"&L&8&A&C&8page &P of &N&R&8{_escape(self.footer)}", {"margin": 0.3})

    def sheet(self, sheet: Sheet) -> None:
        for column in sheet.columns:
            if column.kind not in KINDS:
                raise ValueError(f"unknown column kind {column.kind!r}")
        ws = self.book.add_worksheet(sheet.title)
        rows = iter(sheet.rows)
        sample = list(itertools.islice(rows, _SAMPLE_ROWS))
        widths = _widths(sheet.columns, sample)
        wraps = [c.wrap if c.wrap is not None else any(text_width(_shown(c.value(r))) > w - 1 for r in sample)
                 for c, w in zip(sheet.columns, widths)]
        for i, width in enumerate(widths):
            ws.set_column(i, i, width)
        printed = len(sheet.columns) if sheet.print_columns is None else sheet.print_columns
        groups = _groups(widths[:printed], sheet.fit_width)
        page = sum(_pixels(w) for w in widths[:printed])
        landscape = sheet.landscape if sheet.landscape is not None else (len(groups) > 1 or page > PORTRAIT_PIXELS)
        note = ""
        if printed < len(sheet.columns):
            note = (f"Printed: columns A to {xl_col_to_name(printed - 1)}; columns {xl_col_to_name(printed)} to "
                    f"{xl_col_to_name(len(sheet.columns) - 1)} ({sheet.columns[printed].header}...) are in the file")
        self.print_setup(ws, landscape, note)
        top = len(sheet.notes)  # the header's row, 0-based
        ws.freeze_panes(top + 1, 0)
        ws.repeat_rows(top)
        ws.fit_to_pages(1, 0)
        write = _Writer(ws, self.styles)
        for row, line in enumerate(sheet.notes):
            ws.write_string(row, 0, fit_text(line), self.styles.get(italic=True))
        for col, column in enumerate(sheet.columns):
            ws.write_string(top, col, column.header, self.styles.header())
        count, row = 0, top + 1
        records = itertools.chain(sample, rows)
        for record in records:
            if row == MAX_ROWS - 1:
                rest = 1 + sum(1 for _ in records)
                ws.write_string(row, 0, f"{rest:,} more rows not listed: Excel holds {MAX_ROWS:,} rows a sheet",
                                self.styles.get(italic=True))
                row += 1
                break
            bold = bool(sheet.bold and sheet.bold(record))
            for col, (column, wrap) in enumerate(zip(sheet.columns, wraps)):
                write.cell(row, col, column.value(record), column.kind,
                           column.currency(record) if column.currency else None, wrap, bold)
            row, count = row + 1, count + 1
        last = len(sheet.columns) - 1
        if sheet.autofilter:
            ws.autofilter(top, 0, top + max(count, 1), last)
        if sheet.status and count:
            index = [c.header for c in sheet.columns].index(sheet.status)
            cell = xl_rowcol_to_cell(top + 1, index, col_abs=True)
            for status, colour in STATUS_FILLS.items():
                ws.conditional_format(top + 1, 0, top + count, last, {
                    "type": "formula", "criteria": f'={cell}="{status}"',
                    "format": self.styles.get(bg_color="#" + colour)})
        end = max(row - 1, top)
        areas = [(0 if i == 0 else g.start, g.stop - 1) for i, g in enumerate(groups)]
        if len(areas) == 1:
            ws.print_area(0, 0, end, areas[0][1])
        else:
            ws.repeat_columns(0)
            _print_areas(ws, [(0, first, end, last_col) for first, last_col in areas])
        if sheet.appendix:
            ws.hide()
        if sheet.chart:
            sheet.chart(Canvas(self.book, ws), count)

    def page(self, page: Page) -> None:
        ws = self.book.add_worksheet(page.title)
        ws.hide_gridlines(2)
        widths = _page_widths(page)
        for i, width in enumerate(widths):
            ws.set_column(i, i, width)
        self.print_setup(ws, page.landscape)
        ws.fit_to_pages(1, 0)
        value_width = max(sum(widths[1:]), 20)
        write = _Writer(ws, self.styles)
        refs = _page_refs(page, value_width)
        row = 0
        for part in page.parts:
            if part is None:
                row += 1
            elif isinstance(part, Heading):
                ws.write_string(row, 0, fit_text(part.text), self.styles.get(bold=True, font_size=13))
                row += 1
            elif isinstance(part, str):
                for line in wrap_lines(fit_text(part), page.width):
                    ws.write_string(row, 0, line)
                    row += 1
            elif isinstance(part, Field):
                ws.write_string(row, 0, fit_text(part.label), self.styles.get(bold=True))
                value = part.value
                if isinstance(value, str) and text_width(value) > value_width:
                    for line in wrap_lines(fit_text(value), value_width):
                        ws.write_string(row, 1, line)
                        row += 1
                    continue
                write.cell(row, 1, value, part.kind, part.currency, refs=refs)
                row += 1
            else:
                for col, column in enumerate(part.columns):
                    ws.write_string(row, col, column.header, self.styles.header())
                first = row + 1
                for record in part.rows:
                    row += 1
                    for col, column in enumerate(part.columns):
                        write.cell(row, col, column.value(record), column.kind,
                                   column.currency(record) if column.currency else None, bool(column.wrap))
                if part.status and part.rows:
                    index = [c.header for c in part.columns].index(part.status)
                    cell = xl_rowcol_to_cell(first, index, col_abs=True)
                    for status, colour in STATUS_FILLS.items():
                        ws.conditional_format(first, 0, row, len(part.columns) - 1, {
                            "type": "formula", "criteria": f'={cell}="{status}"',
                            "format": self.styles.get(bg_color="#" + colour)})
                row += 1
        ws.print_area(0, 0, max(row - 1, 0), len(widths) - 1)

    def chart_sheet(self, sheet: ChartSheet) -> None:
        cs = self.book.add_chartsheet(sheet.title)
        self.print_setup(cs, True)
        sheet.chart(Canvas(self.book, cs, chart_sheet=True), 1)


def _print_areas(ws: Any, areas: list[tuple[int, int, int, int]]) -> None:
    """Several print areas on one sheet (XlsxWriter's print_area takes one): each prints on pages of its own."""
    ws.print_area_range = ",".join(  # the defined name XlsxWriter writes for print_area, with every area
        f"{quote_sheetname(ws.name)}!${xl_col_to_name(c1)}${r1 + 1}:${xl_col_to_name(c2)}${r2 + 1}"
        for r1, c1, r2, c2 in areas)


def _page_widths(page: Page) -> list[int]:
    """Column widths of a page: labels and each table's columns share the columns they fall in."""
    widths: list[int] = [10, 20]
    for part in page.parts:
        if isinstance(part, Field):
            widths[0] = max(widths[0], min(_MAX_WIDTH, text_width(part.label) + 2))
        elif isinstance(part, Table):
            for i, w in enumerate(_widths(part.columns, list(part.rows)[:_SAMPLE_ROWS])):
                if i >= len(widths):
                    widths.append(w)
                else:
                    widths[i] = max(widths[i], w)
    return widths


def _page_refs(page: Page, value_width: int) -> dict[str, str]:
    """The cell of each keyed field, for formulas on the page, following the rows the parts take."""
    refs, row = {}, 0
    for part in page.parts:
        if isinstance(part, Field):
            if part.key:
                refs[part.key] = xl_rowcol_to_cell(row, 1)
            value = part.value
            row += len(wrap_lines(value, value_width)) if isinstance(value, str) and \
                text_width(value) > value_width else 1
        elif isinstance(part, str):
            row += len(wrap_lines(part, page.width))
        elif isinstance(part, Table):
            row += len(part.rows) + 2
        else:
            row += 1
    return refs


def _escape(text: str) -> str:
    """Text for an Excel header or footer, where ``&`` starts a code."""
    return text.replace("&", "&&")


def write_workbook(path: str, sheets: Sequence[Sheet | Page | ChartSheet], title: str, subject: str = "",
                   as_of: date | None = None, paper: str | None = None) -> None:
    """Write ``sheets`` to ``path`` (atomically), with nexus named in the document properties.

    ``as_of`` goes into every page's footer (without it, the day the workbook
    was written). ``paper`` is ``A4`` or ``Letter``; None leaves it to the
    printer, and every sheet fits either.
    """
    if paper is not None and paper not in PAPERS:
        raise ValueError(f"unknown paper {paper!r}: A4 or Letter")
    footer = f"as of {as_of.isoformat()}" if as_of else f"written {date.today().isoformat()}"
    folder = os.path.dirname(os.path.abspath(path))
    try:  # fail before any work if the folder cannot take the file
        handle, temporary = tempfile.mkstemp(suffix=".xlsx", dir=folder)
    except OSError as exc:
        raise NexusError(f"cannot write {path}: {exc.strerror}") from None
    os.close(handle)
    try:
        book = _Book(temporary, title, subject, footer, paper)
        for sheet in sheets:
            if isinstance(sheet, Page):
                book.page(sheet)
            elif isinstance(sheet, ChartSheet):
                book.chart_sheet(sheet)
            else:
                book.sheet(sheet)
        book.book.close()
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def status_chart(title: str, categories: tuple[int, int, int], series: Sequence[tuple[int, str]],
                 anchor: str = "A1", sheet: str | None = None) -> Callable[[Any, int], None]:
    """A horizontal bar chart of shares of a threshold: one series per status, most severe at the top.

    ``categories`` is (column, first row, last row), 1-based, of the category
    labels on ``sheet`` (the sheet the chart is drawn on, if None); ``series``
    lists (column, status) pairs whose header is in the row above the first
    data row. Each status has its colour and a pattern, its name in the legend,
    and every bar its label, so the chart reads without colour.
    """
    def add(canvas: Canvas, count: int) -> None:
        if count == 0:
            return
        column, first, last = categories
        name = (sheet or canvas.target.name).replace("'", "''")
        chart = canvas.book.add_chart({"type": "bar", "subtype": "stacked"})
        for data_column, status in series:
            colour, pattern = STATUS_BARS.get(status, ("#5B9BD5", "solid"))
            fill = {"fill": {"color": colour}} if pattern == "solid" else \
                {"pattern": {"pattern": pattern, "fg_color": colour, "bg_color": "#FFFFFF"}}
            chart.add_series({
                "name": [name, first - 2, data_column - 1],
                "categories": [name, first - 1, column - 1, last - 1, column - 1],
                "values": [name, first - 1, data_column - 1, last - 1, data_column - 1],
                "border": {"color": colour}, "gap": 40, "overlap": 100,
                "data_labels": {"value": True, "num_format": RATIO_FORMAT, "position": "inside_base"},
                **fill})
        chart.set_title({"name": title, "name_font": {"size": 12}})
        chart.set_x_axis({"num_format": RATIO_FORMAT, "major_gridlines": {"visible": True},
                          "name": "share of threshold"})
        chart.set_y_axis({"reverse": True, "interval_unit": 1, "num_font": {"size": 8}})
        chart.set_legend({"position": "bottom"})
        if not canvas.chart_sheet:
            chart.set_size({"width": 720, "height": max(300, 18 * (last - first + 1) + 120)})
        canvas.place(chart, anchor)

    return add
