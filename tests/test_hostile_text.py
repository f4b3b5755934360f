"""Hostile and double-byte text from the inputs, through every output family: CSV cells never start a formula,
the terminal never receives a control character, tables line up by display width, the memo shows controls as
escapes."""
import pytest

from nexus.outputs import spreadsheet_safe


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1+1", "@SUM(1)", "\tx", "\rx", " =1+1", "  +1", "\u3000=1+1",
                                  "\"=1+1", "'=1+1", "＝1+1", "＋1", "－1", "＠SUM(1)", " ＝cmd|' /C calc'!A0"])
def test_text_that_would_start_a_formula_is_neutralised(text):
    assert spreadsheet_safe(text) == "'" + text


@pytest.mark.parametrize("text", ["Bank - USD", "a=b", "現金及び預金", "", "1000 =x", "＝"[:0] + "東京"])
def test_other_text_is_kept(text):
    assert spreadsheet_safe(text) == text
