"""The registrations file's optional ``filing`` column: how often returns are filed under a registration (monthly,
quarterly, annual), read from CSV and XLSX; any other word stops the run naming file, line and column."""
from __future__ import annotations

import pytest
from openpyxl import Workbook

from nexus.errors import InputError
from nexus.registrations import read_registrations

HEADER = "jurisdiction,registered_on,collecting_from,id,note,filing\n"


def test_the_filing_column_is_read_in_lower_case_and_empty_where_not_given(tmp_path):
    regs = tmp_path / "regs.csv"
    regs.write_text(HEADER + "US-PA,2025-01-02,2025-07-01,PA1234,,Quarterly\nUS-VA,2025-01-02,,VA1234,,\n"
                    "US-NM,2025-01-02,,NM1234,, annual \n")
    found = read_registrations(str(regs), ())
    assert [(r.jurisdiction, r.filing) for r in found] == [("US-PA", "quarterly"), ("US-VA", ""), ("US-NM", "annual")]
    assert found[0].as_dict()["filing"] == "quarterly" and found[1].as_dict()["filing"] is None


def test_a_file_without_the_column_reads_as_before(tmp_path):
    regs = tmp_path / "regs.csv"
    regs.write_text("jurisdiction,registered_on,collecting_from,id,note\nUS-PA,2025-01-02,,PA1234,\n")
    assert [r.filing for r in read_registrations(str(regs), ())] == [""]


def test_the_filing_column_is_read_from_a_workbook(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["jurisdiction", "registered_on", "collecting_from", "id", "note", "filing"])
    sheet.append(["US-PA", "2025-01-02", "2025-07-01", "PA1234", "", "quarterly"])
    path = tmp_path / "regs.xlsx"
    book.save(path)
    assert [r.filing for r in read_registrations(str(path), ())] == ["quarterly"]


def test_another_word_is_an_error_naming_file_line_and_column(tmp_path):
    regs = tmp_path / "regs.csv"
    regs.write_text(HEADER + "US-PA,2025-01-02,,PA1234,,quartely\n")
    with pytest.raises(InputError) as caught:
        read_registrations(str(regs), ())
    assert str(caught.value) == (f"{regs}:2: column 'filing' value 'quartely': is not a filing frequency: write "
                                 f"monthly, quarterly or annual, or leave it empty for monthly returns assumed")
