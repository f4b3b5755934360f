"""Source.picker: the cells of a row read in one call are the cells Source.cell reads one by one."""
from datetime import datetime
from decimal import Decimal

from nexus.exports import amazon
from nexus.exports.base import Source
from nexus.read_options import ReadOptions
from nexus.spreadsheets import FormulaWithoutValue


def _source(header):
    return Source(amazon, "orders.txt", iter([(1, header)]), ReadOptions())


def test_the_cells_picked_are_those_cell_reads_whatever_the_row():
    source = _source(["a", "b", "c"])
    pick = source.picker("c", "a")
    rows = [[" x ", "y", " z"],                         # text, stripped
            ["x"],                                       # a short row: the cells it lacks are empty
            [12, None, datetime(2025, 1, 2, 3, 4)],      # a workbook's number, empty cell and date
            [FormulaWithoutValue(""), "y", Decimal("1.50")]]
    for values in rows:
        assert list(pick(values)) == [source.cell(values, "c"), source.cell(values, "a")]
    assert list(pick(rows[2])) == ["2025-01-02 03:04:00", "12"]


def test_a_column_the_header_lacks_is_empty_as_cell_reads_it():
    source = _source(["a", "b"])
    assert list(source.picker("b", "nope")([" 1 ", "2 "])) == ["2", ""]
    assert list(source.picker("a")(["x "])) == ["x"]
