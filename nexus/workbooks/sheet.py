"""The workbook layer: styled Excel sheets declared from records.

Each workbook nexus writes is a list of :class:`Sheet` declarations: a title,
columns (header, how to get the value from a record, what kind of value it
is) and an iterable of records. This module owns everything else, once:
number formats per currency (0 decimals for JPY, 3 for BHD), Excel dates,
header style, frozen header, filters or an Excel table, column widths, print
titles, hyperlinks, formulas, and document properties.

Sheets are written in openpyxl's write-only mode, row by row, so a sheet of
100,000 rows does not sit in memory. Text is always stored as text: a value
from input that starts with ``=`` (or ``+``, ``-``, ``@``) never becomes a
formula; only :class:`Formula` values are formulas. Characters XML cannot
hold are shown as ``\\x07`` escapes rather than dropped. The file is written
to a temporary name and renamed, so an interrupted run leaves no half-written
workbook.
"""
from __future__ import annotations

import itertools
import os
import tempfile
import unicodedata
import warnings
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Callable, Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

from nexus import __version__
from nexus.errors import NexusError
from nexus.money import minor_units

KINDS = ("text", "integer", "number", "money", "ratio", "date", "link", "auto")
HEADER_FONT = Font(name="Calibri", bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
TOTAL_FONT = Font(name="Calibri", bold=True)
DATE_FORMAT = "yyyy-mm-dd"
RATIO_FORMAT = "0%"
#: Fill colours for a row's status, shared by every workbook.
STATUS_FILLS = {
    "exceeded": "F8CBAD", "creates": "F8CBAD",
    "approaching": "FFE699", "review": "FFE699",
    "below": "E2EFDA", "safe-harbor": "E2EFDA",
}
_SAMPLE_ROWS = 500  # rows looked at to size columns


@dataclass(frozen=True)
class Formula:
    """An Excel formula that nexus wrote on purpose (never text from input)."""

    text: str


@dataclass(frozen=True)
class Column:
    """One column: its header, how to read the value from a record, and its kind.

    ``currency`` gives, for ``money`` columns, the ISO 4217 code whose minor
    unit sets the number format of that row's cell.
    """

    header: str
    value: Callable[[Any], Any]
    kind: str = "text"
    currency: Callable[[Any], str] | None = None
    width: int | None = None
    wrap: bool = False


@dataclass(frozen=True)
class Sheet:
    """A sheet declared from records.

    ``table`` makes the rows an Excel table (with its own filter buttons);
    otherwise the header row gets a plain filter. ``status`` names the column
    whose value colours each row (see :data:`STATUS_FILLS`). ``bold`` picks
    records to show in bold, such as total rows. ``chart`` is called with the
    worksheet after the rows are written, to add a chart. ``fit_width`` prints
    the sheet one page wide; wide sheets print across pages instead, legibly.
    """

    title: str
    columns: Sequence[Column]
    rows: Iterable[Any]
    table: bool = False
    status: str | None = None
    bold: Callable[[Any], bool] | None = None
    chart: Callable[[Any, int], None] | None = None
    landscape: bool = True
    fit_width: bool = True


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
    return ILLEGAL_CHARACTERS_RE.sub(lambda m: f"\\x{ord(m.group()):02x}", value)


def _shown(value: Any) -> str:
    if isinstance(value, (date, datetime)):
        return "2026-12-31"
    if isinstance(value, Decimal):
        return f"{value:,.2f} XXX"
    if isinstance(value, Formula):
        return "0,000,000.00 XXX"
    return "" if value is None else str(value)


def _kind(column: Column, value: Any) -> str:
    """The kind of a cell: the column's, or for ``auto`` columns the value's own."""
    if column.kind != "auto":
        return column.kind
    if isinstance(value, (date, datetime)):
        return "date"
    if isinstance(value, bool) or isinstance(value, str):
        return "text"
    if isinstance(value, int):
        return "integer"
    return "number" if isinstance(value, (Decimal, float)) else "text"


def _cell(ws: Any, column: Column, record: Any, bold: bool) -> WriteOnlyCell:
    value = column.value(record)
    kind = _kind(column, value)
    if isinstance(value, Formula):
        cell = WriteOnlyCell(ws, value=value.text)  # the one place a formula is made
        if column.kind == "money" and column.currency:
            cell.number_format = money_format(column.currency(record))
    elif value is None or value == "":
        cell = WriteOnlyCell(ws, value=None)
    elif kind == "text" or kind == "link":
        text = clean_text(str(value))
        cell = WriteOnlyCell(ws, value=text)
        cell.data_type = "s"  # never a formula, whatever the text starts with
        if kind == "link" and text.startswith(("https://", "http://")):
            cell.hyperlink = text
            cell.style = "Hyperlink"
    elif kind == "date":
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = DATE_FORMAT
    elif kind == "money":
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = money_format(column.currency(record) if column.currency else "USD")
    elif kind == "ratio":
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = RATIO_FORMAT
    else:
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = "#,##0" if kind == "integer" else "General"
    if column.wrap:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    if bold:
        cell.font = TOTAL_FONT
    return cell


def _write_sheet(book: Workbook, sheet: Sheet) -> None:
    for column in sheet.columns:
        if column.kind not in KINDS:
            raise ValueError(f"unknown column kind {column.kind!r}")
    ws = book.create_sheet(sheet.title)
    rows = iter(sheet.rows)
    sample = list(itertools.islice(rows, _SAMPLE_ROWS))
    for i, column in enumerate(sheet.columns, start=1):
        width = column.width or min(60, max([text_width(column.header)] +
                                            [text_width(_shown(column.value(r))) for r in sample]) + 2)
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape" if sheet.landscape else "portrait"
    if sheet.fit_width:
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True

    header = []
    for column in sheet.columns:
        cell = WriteOnlyCell(ws, value=column.header)
        cell.data_type = "s"
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        header.append(cell)
    ws.append(header)
    count = 0
    for record in itertools.chain(sample, rows):
        bold = bool(sheet.bold and sheet.bold(record))
        ws.append([_cell(ws, column, record, bold) for column in sheet.columns])
        count += 1

    last = get_column_letter(len(sheet.columns))
    span = f"A1:{last}{max(count, 1) + 1}"
    if sheet.table and count:
        name = "".join(ch for ch in sheet.title if ch.isalnum()) or "Table"
        table = Table(displayName=name, ref=span, autoFilter=AutoFilter(ref=span),
                      tableColumns=[TableColumn(id=i, name=c.header) for i, c in enumerate(sheet.columns, start=1)])
        table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
        with warnings.catch_warnings():
            # openpyxl warns that write-only tables need their columns added by hand: they are, above.
            warnings.simplefilter("ignore", UserWarning)
            ws.add_table(table)
    else:
        ws.auto_filter.ref = span
    if sheet.status and count:
        index = [c.header for c in sheet.columns].index(sheet.status) + 1
        letter = get_column_letter(index)
        for status, colour in STATUS_FILLS.items():
            ws.conditional_formatting.add(
                f"A2:{last}{count + 1}",
                FormulaRule(formula=[f'${letter}2="{status}"'], fill=PatternFill("solid", bgColor=colour)))
    if sheet.chart:
        sheet.chart(ws, count)


def write_workbook(path: str, sheets: Sequence[Sheet], title: str, subject: str = "") -> None:
    """Write ``sheets`` to ``path`` (atomically), with nexus named in the document properties."""
    folder = os.path.dirname(os.path.abspath(path))
    try:  # fail before any work if the folder cannot take the file
        handle, temporary = tempfile.mkstemp(suffix=".xlsx", dir=folder)
    except OSError as exc:
        raise NexusError(f"cannot write {path}: {exc.strerror}") from None
    os.close(handle)
    try:
        book = Workbook(write_only=True)
        book.properties.creator = f"nexus {__version__}"
        book.properties.title = title
        book.properties.subject = subject
        book.properties.keywords = "nexus"
        for sheet in sheets:
            _write_sheet(book, sheet)
        book.save(temporary)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def status_chart(title: str, categories: tuple[int, int, int], series: Sequence[tuple[int, str]],
                 anchor: str) -> Callable[[Any, int], None]:
    """A bar chart over rows already written: one series per status, so each status has its colour.

    ``categories`` is (column, first row, last row) of the category labels;
    ``series`` lists (column, status) pairs whose header is in the row above
    the first data row.
    """
    from openpyxl.chart import Reference

    def add(ws: Any, count: int) -> None:
        if count == 0:
            return
        column, first, last = categories
        chart = BarChart()
        chart.type = "bar"
        chart.grouping = "stacked"
        chart.overlap = 100
        chart.title = title
        chart.x_axis.title = None
        chart.y_axis.title = "share of threshold"
        chart.y_axis.numFmt = RATIO_FORMAT
        chart.height = max(7.5, 0.45 * (last - first + 1))
        chart.width = 18
        for data_column, status in series:
            chart.add_data(Reference(ws, min_col=data_column, min_row=first - 1, max_row=last), titles_from_data=True)
            chart.series[-1].graphicalProperties.solidFill = {
                "exceeded": "C00000", "approaching": "FFC000", "below": "70AD47"}.get(status, "5B9BD5")
        chart.set_categories(Reference(ws, min_col=column, min_row=first, max_row=last))
        ws.add_chart(chart, anchor)

    return add
