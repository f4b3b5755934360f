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


PRESENCE = ("kind,location,ownership,dedicated,function,since,until,note\n"
            "office,\"東京都千代田区, JP\",leased,yes,core,2019-04-01,,本社\n"
            "warehouse,\"Dallas\x1b[31mRED\u202e, US-TX\",leased,yes,core,2019-04-01,,x\n"
            "employee,US-NY,,,core,2024-02-01,,\n")
#: A few orders of 2025 into the places of PRESENCE and beyond: where the presence items print (screen, workbook),
#: as they do beside the sample's 15,702 orders of 2025.
US_ORDERS = ("order_id,date,country,region,amount,currency,category\n1,2025-02-03,US,TX,250.00,USD,goods\n"
             "2,2025-05-06,US,NY,120.00,USD,goods\n3,2025-08-09,US,CA,80.00,USD,goods\n"
             "4,2025-11-12,JP,,15000,JPY,goods\n")


def _run(*args):
    from click.testing import CliRunner

    from nexus.cli import cli
    return CliRunner().invoke(cli, list(args), catch_exceptions=False, color=True)


def test_control_and_bidi_characters_from_a_presence_file_never_reach_the_terminal(write):
    from conftest import SAMPLES

    presence = write("presence.csv", PRESENCE)
    screens = [_run("presence", presence).output,
               _run("check", "--sales", write("orders.csv", US_ORDERS), "--rates", str(SAMPLES / "eurofxref-hist.csv"),
                    "--as-of", "2025-12-31", "--presence", presence, "--verbose").output]
    for screen in screens:
        assert "Dallas" in screen and "\x1b" not in screen and "\u202e" not in screen
        assert "Dallas\\x1b[31mRED" in screen


def test_a_double_byte_location_keeps_the_presence_table_aligned(write):
    from nexus.text_safety import display_width

    screen = _run("presence", write("presence.csv", PRESENCE)).output
    header = next(line for line in screen.splitlines() if line.startswith("Place"))
    column = header.index("Verdict")
    rows = [line for line in screen.splitlines() if line[:2] in ("JP", "US")]
    assert len(rows) == 3
    for line in rows:
        verdict = line.index("creates")
        assert display_width(line[:verdict]) == column, line


def test_display_width_counts_wide_characters_twice_and_marks_not_at_all():
    from nexus.text_safety import display_width

    assert display_width("東京") == 4 and display_width("e\u0301") == 1 and display_width("a\u200bb") == 2
    assert display_width("😀") == 2 and display_width("ＫＹＵＳＵ") == 10 and display_width("abc") == 3


def test_control_and_bidi_characters_of_a_rejected_row_never_reach_the_memo(write, tmp_path):
    orders = write("orders.csv", "Order ID,Created At,Ship Country,Ship State,Currency,Amount\n"
                                 "A-1,2025-01-02,US,TX,USD,100.00\n"
                                 "\u202eevil\x1b[2J,2025-01-04,US,TX,USD,abc\n")
    memo = tmp_path / "memo.html"
    result = _run("check", "--sales", orders, "--as-of", "2025-12-31", "--skip-bad-rows", "--html", str(memo))
    assert result.exit_code == 0, result.output
    html = memo.read_text(encoding="utf-8")
    assert "\x1b" not in html and "\u202e" not in html
    assert "\\u202eevil\\x1b[2J" in html


@pytest.mark.parametrize("name", ["Cash\nand bank", "Cash\rand bank", "Cash\r\nand bank", "Cash\u2028bank",
                                  "Cash\x85bank"])
def test_a_chart_name_with_a_line_break_or_control_is_refused_naming_its_place(write, tmp_path, name):
    quoted = '"' + name + '"'
    chart = write("coa.csv", f"Number,Name,Type,Currency,Parent\n1000,{quoted},Bank,,\n1010,Bank - USD,Bank,USD,1000\n")
    currencies = write("currencies.txt", "USD\nGBP\n")
    result = _run("accounts", "plan", "--coa", chart, "--currencies", currencies, "--workbook",
                  str(tmp_path / "plan.xlsx"), "--import-file", str(tmp_path / "plan.csv"), "--target", "quickbooks")
    assert result.exit_code == 2 and not (tmp_path / "plan.csv").exists()
    assert "coa.csv:2: column 'name'" in result.output and len(result.output.strip().splitlines()) == 1


#: Orders that give the EU nexus from sales in Germany and France, which a merchant of record takes away: the
#: comparison then prints and writes every table that carries the candidate's name (the verdicts, the nexus delta,
#: the tax no longer yours), as the sample's 16,000 orders do at a second a run.
EU_ORDERS = ("order_id,date,country,region,amount,currency,category\n1,2026-01-05,DE,,9000.00,EUR,goods\n"
             "2,2026-02-05,FR,,6000.00,EUR,goods\n3,2026-10-05,US,CA,100.00,USD,goods\n")


def _compare(write, name, *extra):
    from conftest import SAMPLES

    profile = write("candidate.yaml", f'name: "{name}"\ncurrencies: [USD, EUR]\nrole:\n  merchant_of_record: [EU]\n')
    return _run("provider", "compare", profile, "--sales", write("orders.csv", EU_ORDERS),
                "--rates", str(SAMPLES / "eurofxref-hist.csv"), "--as-of", "2026-10-31", *extra)


@pytest.mark.parametrize("name", ["ショップ\\u001b[31m株式会社\\u202e",
                                  "東京ショッピングプラットフォーム株式会社のとても長い名前です本当に長い"])
def test_a_provider_named_in_double_byte_or_controls_keeps_the_comparison_tables_aligned(write, name):
    """A candidate's name heads a column of the verdict table and the nexus delta: it was measured before its
    controls were escaped (the header wider than its rule) and cut by code points ('Under ' and 24 kanji took 54
    columns, pushing the reasons off the delta table), and a long name made the verdict table wider than the
    screen."""
    from nexus.text_safety import display_width

    result = _compare(write, name)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "\x1b" not in result.output and "\u202e" not in result.output
    for top in (i for i, line in enumerate(lines) if set(line.strip()) <= {"-", " "} and "--" in line):
        header, rule = lines[top - 1], lines[top]
        assert display_width(header.rstrip()) <= display_width(rule), (header, rule)
        assert display_width(rule) <= 100, rule
    delta = lines.index(next(line for line in lines if line.startswith("  Code ") and "Change" in line))
    assert "Why" in lines[delta], lines[delta]


def test_a_provider_name_with_controls_is_escaped_in_every_workbook_cell(write, tmp_path):
    """The comparison workbook's column headers (the candidate's name over its column) were written as they came:
    a raw ESC in the file, where every other cell shows it as \\x1b."""
    import openpyxl

    book = tmp_path / "compare.xlsx"
    result = _compare(write, "Shop\\u001b[31m", "--workbook", str(book))
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(book)
    cells = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    named = [v for v in cells if "Shop" in v]
    assert named and all("\x1b" not in v and "_x001B_" not in v for v in named), [v for v in named if "\\x1b" not in v]


def test_lines_with_double_byte_text_are_wrapped_within_the_screen_columns():
    """A verdict naming a Japanese provider ran past the screen: lines were cut by characters, and 東京 takes four
    columns. Wrapped by screen columns now; ASCII text wraps exactly as before."""
    import textwrap

    from nexus.text_safety import display_width
    from nexus.terminal import _wrap

    text = ("株式会社ショップ東京 facilitates the direct sales into 東京都千代田区丸の内一丁目 and collects the tax on "
            "them, but the test still counts facilitated sales toward your threshold.")
    lines = _wrap(text, 60, "  ")
    assert max(display_width(line) for line in lines) <= 60 and len(lines) == 4
    assert " ".join(" ".join(lines).split()) == text
    plain = "Registered and collecting: US-WA, EU, DE, FR, GB (the EU registration covers DE, FR). " * 3
    assert _wrap(plain, 80, "  ") == textwrap.wrap(plain, 80, initial_indent="  ", subsequent_indent="    ",
                                                   break_long_words=False, break_on_hyphens=False)


def _cells(book):
    import openpyxl

    return [c.value for ws in openpyxl.load_workbook(book).worksheets for row in ws.iter_rows() for c in row
            if isinstance(c.value, str)]


def test_a_bidirectional_override_from_the_input_is_shown_as_an_escape_in_the_workbook(write, tmp_path):
    """A location holding U+202E (right-to-left override) reached the report's cells raw: LibreOffice and Excel
    then showed the rest of the cell reversed ('Bidi\\u202eRev, JP' read 'BidiPJ ,veR'; a rejected row's original
    text read backwards). Shown as \\u202e now, as on the screen and in the memo."""
    from conftest import SAMPLES

    presence = write("presence.csv", PRESENCE.replace("Dallas\x1b[31mRED\u202e", "Bidi\u202eRev"))
    book = tmp_path / "report.xlsx"
    result = _run("check", "--sales", write("orders.csv", US_ORDERS), "--rates", str(SAMPLES / "eurofxref-hist.csv"),
                  "--as-of", "2025-12-31", "--presence", presence, "--workbook", str(book))
    assert result.exit_code == 0, result.output
    cells = _cells(book)
    assert not [v for v in cells if "\u202e" in v]
    assert any("Bidi\\u202eRev, US-TX" in v for v in cells)


@pytest.mark.parametrize("char", ["\u202e", "\u2066", "\x9b", "\x85", "\u2028"])
def test_json_shows_controls_and_overrides_as_json_escapes_and_keeps_the_text(write, char):
    """JSON printed on a terminal carried a location's U+202E (and a C1 CSI, U+009B) raw: the terminal reversed
    the rest of the line (or started a control sequence). JSON writes them as \\u escapes, which read back as the
    same text."""
    import json

    presence = write("presence.csv", PRESENCE.replace("Dallas\x1b[31mRED\u202e", f"Dal{char}las"))
    result = _run("presence", presence, "--format", "json", "--as-of", "2025-12-31")
    assert result.exit_code == 0, result.output
    assert char not in result.output and f"\\u{ord(char):04x}" in result.stdout
    # the JSON alone: standard error says the office in the file may be the company's home
    assert f"Dal{char}las, US-TX" in [v["item"]["location"] for v in json.loads(result.stdout)]


@pytest.mark.parametrize("name, shown", [("sales\x1b[2J\x1b[31m.csv", "sales\\x1b[2J\\x1b[31m.csv"),
                                         ("sales\u202eRev.csv", "sales\\u202eRev.csv"),
                                         ("sales\u2066Iso.csv", "sales\\u2066Iso.csv")])
def test_a_file_named_with_controls_is_named_in_escapes_on_every_line_the_terminal_prints(tmp_path, name, shown):
    """An export's file name is text from outside too: 'skipped FILE:LINE' lines printed it raw (ESC [ 2 J cleared
    the screen) and the one-line error printed its U+202E raw (the rest of the line reversed). Every line a command
    prints now goes through one writer that shows them as escapes."""
    orders = tmp_path / name
    orders.write_text("Order ID,Created At,Ship Country,Ship State,Currency,Amount\n"
                      "A-1,2025-01-02,US,TX,USD,100.00\nA-2,2025-01-04,US,TX,USD,abc\n", encoding="utf-8")
    for extra in ((), ("--skip-bad-rows",)):
        result = _run("check", "--sales", str(orders), "--as-of", "2025-12-31", *extra)
        assert result.exit_code == (2 if not extra else 0), result.output
        assert name not in result.output and "\x1b" not in result.output and "\u202e" not in result.output
        assert f"{shown}:3: column 'amount' value 'abc'" in result.output


def test_a_provider_name_with_controls_is_escaped_in_the_page_header_and_the_document_title(write, tmp_path):
    """The candidates' names make the comparison workbook's title, which every printed page carries in its header
    and the file in its properties: the header held a raw ESC (and the title XML's _x001B_), where every cell shows
    \\x1b."""
    import openpyxl

    book = tmp_path / "compare.xlsx"
    result = _compare(write, "Shop\\u001b[31m\\u202e", "--workbook", str(book))
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(book)
    headers = [ws.oddHeader.left.text for ws in wb.worksheets]
    assert headers and all("Shop\\x1b[31m\\u202e" in h and "\x1b" not in h and "\u202e" not in h for h in headers)
    assert "Shop\\x1b[31m\\u202e" in wb.properties.title and "_x001B_" not in wb.properties.title


def test_a_long_provider_name_is_cut_in_the_page_header_which_every_page_keeps(write, tmp_path):
    """A candidate named in 300 characters made the comparison workbook's page header longer than Excel's 255:
    XlsxWriter left the header out of every sheet and printed a Python warning on the terminal. The name is cut
    with '...' there (the cells keep it whole)."""
    import openpyxl

    name = "".join(f"{i:03d}-" for i in range(75))
    book = tmp_path / "compare.xlsx"
    result = _compare(write, name, "--workbook", str(book))
    assert result.exit_code == 0, result.output
    assert "UserWarning" not in result.output and "255" not in result.output
    wb = openpyxl.load_workbook(book)
    for ws in wb.worksheets:
        header = ws.oddHeader.left.text
        assert header and header.startswith("Provider comparison") and header.endswith("..."), ws.title
    assert any(name in v for v in _cells(book))
