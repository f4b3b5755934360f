"""`nexus rules`: the rules in force on a date, with sources."""
import json

import pytest

from click.testing import CliRunner

from nexus.cli import cli


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def joined(text):
    """A note as said, whatever the lines it is wrapped in to fit the screen."""
    return " ".join(text.split())


def test_rules_table_for_named_states():
    result = run("rules", "CO", "us-ny", "--as-of", "2026-11-27")
    assert result.exit_code == 0
    assert "US-CO" in result.stdout and "US-NY" in result.stdout and "US-CA" not in result.stdout
    assert "https://tax.colorado.gov/out-of-state-businesses" in result.stdout
    assert "> USD 500,000 and > 100 transactions" in result.stdout


def test_rules_as_of_a_past_date_show_the_rule_then_in_force():
    data = json.loads(run("rules", "SD", "--as-of", "2023-06-30", "--format", "json").stdout)
    assert data["rules"][0]["threshold"]["transactions"] == 200
    data = json.loads(run("rules", "SD", "--as-of", "2023-07-01", "--format", "json").stdout)
    rule = data["rules"][0]
    assert rule["threshold"]["transactions"] is None and rule["effective_from"] == "2023-07-01"
    assert rule["sources"] and rule["last_verified"]


def test_all_rules_in_force():
    data = json.loads(run("rules", "--format", "json", "--as-of", "2026-11-27").stdout)
    assert len([r for r in data["rules"] if r["jurisdiction"].startswith("US-")]) == 51


def test_unknown_state_exits_2_with_suggestions():
    result = run("rules", "CX")
    assert result.exit_code == 2
    assert result.stderr == "Error: 'CX' is not a jurisdiction with rules (did you mean US-TX, US-SC, US-NC?)\n"


def test_rules_depend_on_where_the_seller_is_established():
    abroad = json.loads(run("rules", "EU", "GB", "--format", "json", "--as-of", "2026-11-27").stdout)["rules"]
    assert [(r["jurisdiction"], r["threshold"]["sales"]) for r in abroad] == [("EU", "0"), ("GB", "0")]
    german = json.loads(run("rules", "EU", "GB", "--home", "DE", "--format", "json",
                            "--as-of", "2026-11-27").stdout)["rules"]
    assert [(r["jurisdiction"], r["scheme"], r["threshold"]["sales"]) for r in german] == [
        ("EU", "union-wide threshold", "10000"), ("GB", "", "0")]
    result = run("rules", "JP", "--as-of", "2026-11-27")
    assert "JPY 10,000,000" in result.stdout and "consumption tax (JCT)" in result.stdout


@pytest.mark.parametrize("code, named", [("CA", ["CA Canada", "US-CA California"]),
                                         ("IN", ["IN India", "US-IN Indiana"]),
                                         ("tx", ["US-TX Texas"]), ("US-CA", ["US-CA California"])])
def test_a_code_that_is_a_state_and_a_country_shows_both(code, named):
    """``CA`` is Canada's code in every finding; it once showed California alone, leaving Canada's rule out of
    reach by its own code."""
    result = run("rules", code)
    assert result.exit_code == 0
    assert [line.split(": ", 1)[1].strip() for line in result.output.splitlines()
            if line.startswith("Jurisdiction:")] == named


def test_a_jurisdiction_with_no_rule_in_force_on_the_day_says_so():
    """nexus rules --as-of 2022-06-30 MO printed nothing at all (Missouri's rule starts on 2023-01-01), and
    'MO CO' dropped Missouri without a word."""
    result = CliRunner().invoke(cli, ["rules", "--as-of", "2022-06-30", "MO", "CO"])
    assert result.exit_code == 0
    assert ("US-MO: no rule in the data in force on 2022-06-30: the first in the data from 2023-01-01 (an earlier "
            "rule, if any, is not in the data)") in joined(result.stderr)
    assert "US-CO" in result.stdout


def test_a_place_without_sales_tax_shows_no_test_fields():
    """'nexus rules DE' showed Delaware with 'Counts: None sales; ...; marketplace sales None': a state with no
    general sales tax has no test, so nothing is counted and no period measured."""
    out = run("rules", "US-DE", "--as-of", "2026-10-31").stdout
    assert "None" not in out
    assert "Test:         no general sales tax" in out
    assert "Counts:" not in out and "Period:" not in out
    assert "Sources:      https://revenue.delaware.gov/" in out


def test_whom_a_rule_applies_to_and_its_confidence_are_said_in_words():
    """The detail said 'Applies to: eu-other-member sellers', 'outside-eu sellers' and 'Verified: 2026-12-04
    (secondary)': the data's field values, which a tax manager has to look up in docs/rules.md."""
    germany = run("rules", "DE", "--home", "FR", "--as-of", "2019-06-30").stdout
    assert "Applies to:   sellers established in an EU member state other than Germany" in germany
    assert "Confidence:   secondary: only secondary sources could be read" in germany
    uk = run("rules", "GB", "--as-of", "2019-06-30").stdout
    assert "Applies to:   sellers established outside the EU" in uk
    assert "Confidence:   official: a primary text" in uk
    texas = run("rules", "TX", "--as-of", "2026-10-31").stdout
    assert "Applies to:   any seller, wherever established" in texas
    assert "-member" not in germany + uk and "outside-eu" not in uk and "any sellers" not in texas


def test_a_label_stays_aligned_when_its_text_is_not_ascii():
    """'Authority: Bundeszentralamt für Steuern' lost its padding (one space, where every other label's text
    starts at column 15): the wrap for text with accents or double-byte characters split on runs of spaces."""
    lines = run("rules", "DE", "--home", "FR", "--as-of", "2019-06-30").stdout.splitlines()
    authority = next(line for line in lines if line.startswith("Authority:"))
    assert authority.startswith("Authority:    Bundeszentralamt für Steuern;")
    assert all(len(line) <= 100 for line in lines if "https://" not in line)


def test_a_rule_in_force_for_other_sellers_is_not_called_no_rule():
    """'nexus rules DE --as-of 2019-06-30' said 'DE: no rule in force on 2019-06-30', though Germany's EUR 100,000
    distance-selling threshold was in force that day, for sellers established in another member state; and the
    JSON gave an empty list with no word why."""
    result = CliRunner().invoke(cli, ["rules", "DE", "--as-of", "2019-06-30"])
    assert result.exit_code == 0
    said = ("DE: no rule in force on 2019-06-30 for a seller established elsewhere (no --home); in force for other "
            "sellers: DE distance selling (goods, before 2021-07), for sellers established in an EU member state "
            "other than Germany (see it with --home FR)")
    assert joined(result.stderr) == said
    assert "> EUR 100,000" in run("rules", "DE", "--as-of", "2019-06-30", "--home", "FR").stdout
    data = json.loads(CliRunner().invoke(cli, ["rules", "DE", "--as-of", "2019-06-30", "--format", "json"]).stdout)
    assert data["not_in_force"] == [said]
    # Delaware, which DE names too, has no sales tax: a rule of its own, shown
    assert [r["jurisdiction"] for r in data["rules"]] == ["US-DE"]
    texas = json.loads(run("rules", "US-TX", "--as-of", "2019-06-30", "--format", "json").stdout)
    assert texas == {"as_of": "2019-06-30", "rules": [],
                     "not_in_force": ["US-TX: no rule in the data in force on 2019-06-30: the first in the data from "
                                      "2019-10-01 (an earlier rule, if any, is not in the data)"]}


def test_a_day_before_the_datas_first_rows_is_not_said_to_have_had_no_rule():
    """'nexus rules DE --home FR --as-of 2014-12-31' said 'DE: no rule in force on 2014-12-31: its first from
    2015-01-01', though Germany's EUR 100,000 distance-selling threshold (arts. 33-34 of the VAT Directive) applied
    long before: the rows begin on 2015-01-01 because their sourcing does (docs/rules.md, Before a place's first row).
    Expected: it says the data hold no rule for the day, and that an earlier rule, if any, is not in them."""
    result = CliRunner().invoke(cli, ["rules", "DE", "--home", "FR", "--as-of", "2014-12-31"])
    assert result.exit_code == 0
    assert ("DE: no rule in the data in force on 2014-12-31: the first in the data from 2015-01-01 (an earlier "
            "rule, if any, is not in the data)") in joined(result.stderr)


def test_a_day_before_every_row_says_so_rather_than_print_an_empty_table():
    """'nexus rules --as-of 2010-01-01' printed a table header with no rows and not a word why, and the JSON gave
    empty lists: no row of either table is in force that day. The earliest row for a seller established elsewhere
    is the UK's rule for sellers outside the EU, from 2012-12-01 (data/international-vat-gst.json). Expected: no
    empty table, and a line (stderr, and the JSON's not_in_force) saying the data hold no rule for the day, from
    when they do, and that earlier rules, if any, are not in them."""
    said = ("No rule in the data in force on 2010-01-01 for a seller established elsewhere (no --home): the first in "
            "the data from 2012-12-01 (an earlier rule, if any, is not in the data)")
    result = CliRunner().invoke(cli, ["rules", "--as-of", "2010-01-01"])
    assert result.exit_code == 0
    assert (result.stdout, joined(result.stderr)) == ("", said)
    data = json.loads(CliRunner().invoke(cli, ["rules", "--as-of", "2010-01-01", "--format", "json"]).stdout)
    assert data == {"as_of": "2010-01-01", "rules": [], "not_in_force": [said]}


def test_the_full_list_on_a_past_day_names_the_places_it_leaves_out():
    """'nexus rules --as-of 2019-01-01' listed 45 jurisdictions and said nothing of Texas or California: a reader
    took their absence for 'no rule', though the data simply start later for them (Texas from 2019-10-01, 34 TAC
    3.286; California from 2019-04-01, AB 147), and for Florida (from 2021-07-01) and Canada (2021-07-01). The
    list now says which places it leaves out for that day and how to see when each begins; the EU member states
    without a rule of their own that day are said to be in the EU row."""
    result = CliRunner().invoke(cli, ["rules", "--as-of", "2019-01-01"])
    assert result.exit_code == 0
    note = " ".join(result.stderr.split())
    assert note.startswith("Not in this list: no rule in the data in force on 2019-01-01 for ")
    for code in ("CA", "US-CA", "US-FL", "US-TX"):
        assert f" {code}," in note or f" {code} " in note
    assert "US-CO" not in note and "(nexus rules US-TX --as-of 2019-01-01 says from when)" not in note
    assert note.endswith("name one to see from when its data start, or when its last rule ended: nexus rules CODE "
                         "--as-of 2019-01-01")
    data = json.loads(CliRunner().invoke(cli, ["rules", "--as-of", "2019-01-01", "--format", "json"]).stdout)
    assert [" ".join(n.split()) for n in data["not_in_force"]] == [note]  # the JSON keeps it on one line
    # 2026-10-31: Germany has its own (domestic) rule from 2025-01-01, so it is in the list; Texas too
    now = " ".join(CliRunner().invoke(cli, ["rules", "--as-of", "2026-10-31"]).stderr.split())
    assert now.startswith("Not in this list: AT, BE, BG, CY, CZ, DK, EE, ") and "US-TX" not in now
    # 2024-12-31: the member states' distance-selling rules ended 2021-06-30 and Germany's own test starts
    # 2025-01-01; the EU row (non-Union OSS / IOSS, from 2021-07-01) covers the 27 of them
    eu = " ".join(CliRunner().invoke(cli, ["rules", "--as-of", "2024-12-31"]).stderr.split())
    assert eu.startswith("Not in this list: AT, BE, BG, CY, CZ, DE, DK, EE, ES, FI, FR, GR, HR, HU, IE, IT, LT, ")
    assert eu.endswith(", SK, which have no rule of their own in force on 2024-12-31; the EU row covers them")


def test_a_rule_with_no_end_date_says_so_rather_than_to_today():
    """'nexus rules TX --as-of 2030-01-01' printed 'In force: 2019-10-01 to today', a span ending before the day
    asked about; the Texas row (34 TAC 3.286, from 2019-10-01) has no end date in the data. Kentucky's row
    before its 2026-08-01 version ends 2026-07-31."""
    texas = run("rules", "TX", "--as-of", "2030-01-01").stdout
    assert "In force:     from 2019-10-01, no end date in the data\n" in texas and "today" not in texas
    kentucky = run("rules", "KY", "--as-of", "2026-01-01").stdout
    assert "In force:     " in kentucky and " to 2026-07-31\n" in kentucky


def test_the_list_shows_the_commonest_period_whole_at_100_columns():
    """The list cut most rows' Period to 'current or previous cal...' on a 100-column screen (every text column
    was cut to its floor before the columns that cannot fit were left out, and the Period's floor was 26; the
    columns left out free more than the 7 it needs). Arizona's period,
    'current or previous calendar year' (A.R.S. 42-5043(A): the previous or current calendar year), reads whole."""
    lines = run("rules", "--as-of", "2026-10-31").stdout.splitlines()
    arizona = next(line for line in lines if line.startswith("US-AZ"))
    assert arizona.rstrip().endswith("current or previous calendar year")
    assert max(len(line) for line in lines) <= 100


def test_germanys_small_business_rule_shows_both_its_figures():
    """Before: 'nexus rules DE --home DE' gave the test of § 19 UStG from 2025 as '> EUR 25,000', and its Period said
    '(the lower threshold), or the current calendar year (the higher one)' with the higher one nowhere: a business
    over EUR 100,000 this year, whose supply past it is already taxed, read itself under the test. The check's
    reason still names the one test it measured."""
    out = run("rules", "DE", "--home", "DE", "--as-of", "2026-10-31").stdout
    assert "Test:         > EUR 25,000, or > EUR 100,000 in the current calendar year\n" in out
    doc = json.loads(run("rules", "DE", "--home", "DE", "--as-of", "2026-10-31", "--format", "json").stdout)
    assert doc["rules"][0]["threshold"]["text"] == "> EUR 25,000, or > EUR 100,000 in the current calendar year"


@pytest.mark.parametrize("width", [60, 80])
def test_the_list_fits_a_narrow_terminal(monkeypatch, width):
    """Before: on an 80-column terminal 'nexus rules' printed lines 98 columns wide (the floors that keep 'current
    or previous calendar year' whole at 100), so the terminal wrapped every row onto two. It now fits, the text cut
    with '...' as at 100; 'nexus rules CODE' still shows a rule whole."""
    from nexus.cli import reference
    monkeypatch.setattr(reference, "screen_width", lambda err=False: width)
    lines = run("rules", "--as-of", "2026-10-31").stdout.splitlines()
    assert lines[0].startswith("Rules in force on 2026-10-31") and lines[1].split() == ["Code", "Jurisdiction",
                                                                                         "Test", "Period"]
    assert max(len(line) for line in lines) <= width
    assert next(line for line in lines if line.startswith("US-TX")).split()[:3] == ["US-TX", "Texas", ">="]


def test_whom_a_rule_applies_to_says_the_places_named_with_the():
    """Before: 'Applies to:   sellers not established in European Union' (and 'in United Kingdom', 'other than
    Netherlands'): a name said as in a list, not in a sentence."""
    out = run("rules", "EU", "GB", "--as-of", "2026-10-31").stdout
    assert "Applies to:   sellers not established in the European Union\n" in out
    assert "Applies to:   sellers not established in the United Kingdom\n" in out
    netherlands = run("rules", "NL", "--home", "FR", "--as-of", "2020-06-30").stdout
    assert "Applies to:   sellers established in an EU member state other than the Netherlands\n" in netherlands


@pytest.mark.parametrize("width", [80, 100])
def test_the_note_of_places_left_out_is_wrapped_to_the_screen(monkeypatch, width):
    """Before: 'nexus rules' printed 'Not in this list: AT, BE, ... the EU row covers them' to stderr as one line of
    200 columns, which an 80-column terminal broke wherever it fell ('L' at one line's end, 'T, LU' on the next).
    It is now wrapped at spaces to the screen's width, as the screens' own sentences are; the JSON keeps it whole."""
    from nexus.cli import reference
    monkeypatch.setattr(reference, "screen_width", lambda err=False: width)
    result = CliRunner().invoke(cli, ["rules", "--as-of", "2026-10-31"])
    lines = result.stderr.splitlines()
    assert result.exit_code == 0 and len(lines) > 1
    assert max(len(line) for line in lines) <= width
    assert lines[0].startswith("Not in this list: AT, BE, ") and all(line.startswith("  ") for line in lines[1:])
    assert " ".join(result.stderr.split()).endswith("; the EU row covers them")
    data = json.loads(CliRunner().invoke(cli, ["rules", "--as-of", "2026-10-31", "--format", "json"]).stdout)
    assert data["not_in_force"] == [" ".join(result.stderr.split())]


def test_notes_fit_the_terminal_when_the_json_goes_to_a_file(monkeypatch):
    """'nexus rules --format json > rules.json' on an 80-column terminal: standard output is a file, so its width is
    the files' 100; the notes on stderr are wrapped to stderr's own terminal, 80 columns."""
    import io
    import os
    import sys

    from nexus.cli.common import screen_width

    class Terminal(io.StringIO):
        def isatty(self):
            return True

        def fileno(self):
            return 2

    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    monkeypatch.setattr(sys, "stderr", Terminal())
    monkeypatch.setattr(os, "get_terminal_size", lambda fd=1: os.terminal_size((80 if fd == 2 else 132, 24)))
    assert (screen_width(), screen_width(err=True)) == (100, 80)
