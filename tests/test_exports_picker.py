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


def test_the_amounts_picked_are_those_money_reads_and_a_bad_one_is_its_error():
    import pytest

    from nexus.errors import InputError

    source = _source(["a", "b", "c"])
    pick = source.money_picker("c", "a")
    for values in (["12.50", "x", " 3 "], ["12.50", "", ""], ["1"], [Decimal("2.5"), None, 7], ["12.50", "", "3"]):
        assert pick(values, 2, "USD") == [source.money(values, 2, "c", "USD"), source.money(values, 2, "a", "USD")]
    assert pick(["12.50", "", " 3 "], 2, "USD") == [Decimal(3), Decimal("12.50")]
    with pytest.raises(InputError) as picked:
        pick(["1.005", "", "2"], 4, "USD")
    with pytest.raises(InputError) as one_by_one:
        source.money(["1.005", "", "2"], 4, "a", "USD")
    assert str(picked.value) == str(one_by_one.value)
    # A spelling read in one currency is read again in another: 1.5 is USD 1.50, and no yen amount.
    assert pick(["1.5", "", "1.5"], 2, "USD") == [Decimal("1.5"), Decimal("1.5")]
    with pytest.raises(InputError, match="JPY"):
        pick(["1.5", "", "1.5"], 3, "JPY")
