"""What a controller reads on screen (issue 17's terminal targets): short, fitted, decision first."""
import json
from datetime import date

import pytest

from click.testing import CliRunner

from conftest import SAMPLES
from nexus.cli import cli


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_rules_is_a_compact_table_and_a_named_rule_is_shown_whole():
    out = run("rules", "--as-of", "2026-10-31")
    assert out.exit_code == 0
    lines = out.stdout.splitlines()
    assert lines[0] == "Rules in force on 2026-10-31; all fields: nexus rules CODE"
    assert max(len(line) for line in lines) <= 120 and lines[1].split()[:2] == ["Code", "Jurisdiction"]
    assert not any("https://" in line for line in lines)
    co = run("rules", "CO", "--as-of", "2026-10-31").stdout
    assert "Test:         >= USD 100,000" in co and "Sources:      https://tax.colorado.gov" in co
    assert "Notes:" in co and "Verified:     2026-12-05" in co
    assert "Confidence:   conflict: the sources disagree: the notes say how, and which reading is applied" in co


def test_cdn_comparison_leads_with_the_decision_figure():
    lines = run("presence", "--cdn", "cloudflare", "--cdn", "fastly", "--as-of", "2026-10-31").stdout.splitlines()
    assert lines[1].split()[:5] == ["CDN", "Places", "Creates", "Review", "Safe"]
    cloudflare = next(line for line in lines[:5] if line.startswith("Cloudflare"))
    assert "states" in cloudflare and "countries" in cloudflare
    assert not any(line.startswith("Jurisdictions ") for line in lines)  # the old count nobody asked for
    fastly = next(line for line in lines[:5] if line.startswith("Fastly"))
    assert "16 states, 1 country " in fastly  # not '1 countries'


def test_the_cdn_comparison_fits_80_columns_with_each_places_verdict_once(monkeypatch):
    """Before, at 80 columns with four CDNs: the summary was 89 wide and the places 92 ('4 (safe-harbor)' under
    each CDN, the same verdict repeated, and an empty Akamai column), every line wrapped by the terminal. Now the
    verdict is said once per place, the CDN columns count its points of presence, a CDN with none (Akamai, said
    above the table) has no column, and the summary puts 'states,' over 'countries' where the line is too long."""
    from nexus.cli import presence as command
    from nexus.text_safety import display_width
    monkeypatch.setattr(command, "screen_width", lambda: 80)
    out = run("presence", "--cdn", "cloudflare", "--cdn", "fastly", "--cdn", "cloudfront", "--cdn", "akamai",
              "--as-of", "2026-10-31").stdout
    lines = out.splitlines()
    assert max(display_width(line) for line in lines) <= 80
    header = next(line for line in lines if line.startswith("Code"))
    assert header.split() == ["Code", "Jurisdiction", "Verdict", "Cloudflare", "Fastly", "Cloudfront"]
    assert next(line for line in lines if line.startswith("JP ")).split() == ["JP", "Japan", "safe-harbor", "4", "4",
                                                                              "2"]
    fastly = lines.index(next(line for line in lines if line.startswith("Fastly ")))
    assert lines[fastly].split()[2:] == ["0", "states,", "16", "states,", "2", "states,"]
    assert lines[fastly + 1].split() == ["0", "countries", "1", "country", "37", "countries"]
    assert "Akamai: nexus has no list of its points of presence" in " ".join(out.split())


def test_akamai_says_why_it_shows_nothing():
    out = " ".join(run("presence", "--cdn", "akamai").stdout.split())
    assert "Akamai: nexus has no list of its points of presence (the provider publishes none)" in out


def test_a_presence_file_with_cdn_is_shown_too_and_json_stays_one_document():
    sample = str(SAMPLES / "presence.csv")
    text = run("presence", sample, "--cdn", "fastly", "--as-of", "2026-10-31").stdout
    assert "Your presence file, as of 2026-10-31:" in text and "warehouse" in text
    doc = json.loads(run("presence", sample, "--cdn", "fastly", "--format", "json").stdout)
    assert set(doc) == {"items", "cdns"} and doc["items"][0]["item"]["kind"]


def summary_column(screen):
    """The Summary column of 'nexus history', its wrapped lines joined: the Subject beside it wraps too."""
    lines = screen.splitlines()
    at = lines[0].index("Summary")
    return " ".join(" ".join(line[at:] for line in lines[2:]).split())


def test_history_reads_as_sentences(write):
    orders = write("o.csv", "date,country,region,amount,currency\n2026-01-02,US,CO,150000,USD\n")
    run("check", "--sales", orders, "--as-of", "2026-06-30")
    out = run("history").stdout
    assert summary_column(out) == "potential exposure in 1 (US-CO); 1 row read"
    assert "{" not in out and "'" not in out


def subject_column(screen):
    """The Subject column of 'nexus history', line by line (its header and rule left out), trailing spaces cut."""
    lines = screen.splitlines()
    start, end = lines[0].index("Subject"), lines[0].index("Summary")
    return [line[start:end].rstrip() for line in lines[2:]]


@pytest.mark.parametrize("width", [80, 100])
def test_history_names_a_checks_files_whole_and_verbose_breaks_their_paths_at_a_slash(tmp_path, monkeypatch, width):
    """Before, at 80 and 100 columns: '/work/leftov' over 'ers/spreadsheets/orders-2025.c' over 'sv, /w': the
    Subject cut the files' paths anywhere. Now the table names the files, none cut inside its name; --verbose gives
    each whole path, broken only after a '/' (and a name too long for the column after a hyphen); JSON keeps
    the paths, also as the list 'inputs'."""
    from nexus.cli import books
    monkeypatch.setattr(books, "screen_width", lambda: width)
    monkeypatch.chdir(tmp_path)  # the paths as the user gave them, the test's own folder left out
    folder = tmp_path / "close" / "quarter-end-close" / "exports"
    folder.mkdir(parents=True)
    (folder / "orders-2025.csv").write_text("date,country,region,amount,currency\n2026-01-02,US,CO,150000,USD\n")
    (folder / "amazon-all-orders-2025-2026.txt").write_text("date,country,region,amount,currency\n"
                                                            "2026-01-03,US,TX,1000,USD\n")
    inputs = ["close/quarter-end-close/exports/orders-2025.csv",
              "close/quarter-end-close/exports/amazon-all-orders-2025-2026.txt"]
    run("check", "--sales", inputs[0], "--sales", inputs[1], "--as-of", "2026-06-30")
    cells = subject_column(run("history").stdout)
    assert " ".join(cells).replace("- ", "-") == "as of 2026-06-30: orders-2025.csv, amazon-all-orders-2025-2026.txt"
    verbose = subject_column(run("history", "--verbose").stdout)
    assert "".join(c if c.endswith(("/", "-")) else c + " " for c in verbose).strip() == (
        f"as of 2026-06-30: {inputs[0]}, {inputs[1]}")
    assert all(c.endswith(("/", "-", ",", ":")) for c in verbose[:-1]), verbose
    doc = json.loads(run("history", "--format", "json").stdout)
    assert doc[0]["inputs"] == inputs and doc[0]["subject"] == f"as of 2026-06-30: {inputs[0]}, {inputs[1]}"


def test_history_measures_a_japanese_folder_in_screen_columns(tmp_path, monkeypatch):
    """A folder named 注文データ/東京 takes two screen columns a character: broken at its '/' by the count of
    characters, the Subject ran past the screen's 80 columns under --verbose. Measured as the screen shows it."""
    from nexus.cli import books
    from nexus.text_safety import display_width
    monkeypatch.setattr(books, "screen_width", lambda: 80)
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "注文データ" / "東京の店舗"
    folder.mkdir(parents=True)
    (folder / "注文-2025.csv").write_text("date,country,region,amount,currency\n2026-01-02,US,CO,150000,USD\n",
                                          encoding="utf-8")
    run("check", "--sales", "注文データ/東京の店舗/注文-2025.csv", "--as-of", "2026-06-30")
    lines = run("history", "--verbose").stdout.splitlines()
    assert max(display_width(line) for line in lines) <= 80
    assert all(any(part in line for line in lines) for part in ("注文データ/", "東京の店舗/", "注文-2025.csv"))


def test_history_says_a_first_currency_review_had_nothing_to_compare_with(write):
    # The review itself says 'first review: nothing to compare with'; history said 'no change'.
    run("currencies", "review", "--provider", write("q3.txt", "USD\nEUR\n"))
    run("currencies", "review", "--provider", write("q4.txt", "USD\nEUR\nGBP\n"))  # compared with the first
    out = " ".join(run("history").stdout.split())
    assert "first review: nothing to compare with" in out and "added GBP" in out and "no change" not in out


def test_history_names_the_withdrawn_unknown_and_not_for_sale_codes_a_review_found(write):
    """A review that found HRK withdrawn (use EUR), ABC unknown and XAU not money, with nothing added or removed,
    read 'no change' in the history: the store kept only what was added and removed."""
    run("currencies", "review", "--provider", write("q3.txt", "USD\nEUR\nHRK\n"))
    run("currencies", "review", "--provider", write("q4.txt", "USD\nEUR\nHRK\nABC\nXAU\n"))
    out = " ".join(run("history").stdout.split())
    assert "first review: nothing to compare with; withdrawn HRK" in out
    assert "added none" not in out and "withdrawn HRK; unknown ABC; not for sale XAU" in out
    assert "no change" not in out

    orders = write("o.csv", "date,country,region,amount,currency\n2026-01-02,US,CO,150000,USD\n")
    out = " ".join(run("check", "--sales", orders, "--as-of", "2026-06-30", "--verbose").stdout.split())
    assert "and 1 transaction in" in out and "1 transactions" not in out


def test_history_names_the_places_the_check_put_in_act_now(write):
    """History said '1 exceeded (US-CO)' for a check whose Act now also held Texas, where an employee works and
    sales are far below the test: nexus from presence, the screen's second row, missing from the history. Worked
    by hand: Colorado USD 150,000 >= USD 100,000 (economic); Texas USD 1,000, an employee since 2026-01-01
    (presence). Act now: 2 places; Watch: none."""
    orders = write("o.csv", "date,country,region,amount,currency\n2026-01-02,US,CO,150000,USD\n"
                            "2026-01-03,US,TX,1000,USD\n")
    people = write("p.csv", "kind,location,since\nemployee,US-TX,2026-01-01\n")
    run("check", "--sales", orders, "--presence", people, "--as-of", "2026-06-30")
    out = summary_column(run("history").stdout)
    assert out in ("potential exposure in 2 (US-TX, US-CO); 2 rows read",
                   "potential exposure in 2 (US-CO, US-TX); 2 rows read")
    doc = json.loads(run("history", "--format", "json").stdout)
    assert sorted(doc[0]["summary"]["act_now"]) == ["US-CO", "US-TX"] and doc[0]["summary"]["watch"] == []


@pytest.mark.parametrize("group, commands", [
    ((), ("accounts", "check", "currencies", "history", "presence", "products", "provider", "rates", "rules", "sql")),
    (("accounts",), ("plan", "journal")), (("currencies",), ("review",)), (("products",), ("check",)),
    (("provider",), ("compare",)), (("rates",), ("fetch", "import", "status"))])
def test_the_command_lists_say_each_command_whole_on_an_80_column_screen(group, commands):
    """'nexus --help' on an 80-column terminal cut 'sql' to "Print the SQL that turns an orders table into the
    daily..." and 'products' to "...the ERP, and what each...", 'check', 'accounts', 'accounts plan', 'accounts
    journal', 'currencies review' and 'provider compare' likewise; each now has a line that fits whole."""
    out = CliRunner().invoke(cli, [*group, "--help"], terminal_width=80).stdout
    listed = {line.split()[0]: line for line in out.split("Commands:\n")[1].splitlines() if line.strip()}
    for name in commands:
        assert not listed[name].endswith("..."), listed[name]


def test_a_presence_file_with_a_header_and_no_items_says_so(write):
    """'nexus presence' on a file holding only its header printed '0 items:' over an empty table."""
    empty = write("p.csv", "kind,location,since\n")
    out = run("presence", empty, "--as-of", "2026-10-31")
    assert out.exit_code == 0
    # the first line wraps before a long path (a test worker's temporary folder): compared word for word
    assert out.stdout.split() == (f"Presence as of 2026-10-31: {empty}\nNo items: the presence file has a header row "
                                  f"and no items, so nothing in it creates presence.\n").split()
    assert out.stdout.splitlines()[-1].startswith("No items: ")


def test_a_cdn_with_no_known_points_of_presence_is_not_counted_as_zero(monkeypatch):
    """Akamai publishes no list of its points of presence, yet the summary gave it '0' places and '0 states, 0
    countries' to create or review: beside Cloudflare's 30 states to review it read as the safest CDN, when nothing
    is known of it. Its figures read 'not known' now; the others' zeros stay zeros."""
    from nexus.cli import presence as command
    monkeypatch.setattr(command, "screen_width", lambda: 80)
    lines = run("presence", "--cdn", "fastly", "--cdn", "akamai", "--as-of", "2026-10-31").stdout.splitlines()
    akamai = lines.index(next(line for line in lines if line.startswith("Akamai ")))
    assert lines[akamai].split()[1:] == ["not", "known"] * 4
    fastly = next(line for line in lines if line.startswith("Fastly "))
    assert fastly.split()[1:3] == ["56", "0"]


def test_a_cut_cell_ends_at_a_whole_word_and_two_rows_cut_alike_stay_apart():
    """On an 80-column terminal 'nexus rules' cut Arkansas's test to '> USD 100,000 or > 2...' (a figure in part,
    read as two transactions) and every period to 'current or previous cal...'. A cell is now cut after its last
    whole word; where that would show two different texts alike ('Switzerland...' for the mail-order and the
    services rule), they are cut as before, mid-word, so that the rows stay apart."""
    from nexus import terminal
    from nexus.rules import load_rules

    screen = terminal.rules_screen(load_rules().select(date(2026, 10, 31), []), 80)
    rows = {line[:8].strip() + " " + line[8:29].strip(): line for line in screen.splitlines()}
    assert "> USD 100,000 or >..." in rows["US-AR Arkansas"] and " 2..." not in rows["US-AR Arkansas"]
    assert "current or previous..." in rows["US-AZ Arizona"] and "cal..." not in screen
    assert rows["AE United Arab..."]
    assert "CH Switzerland (mai..." in rows and "CH Switzerland (ser..." in rows
    assert max(len(line) for line in screen.splitlines()) <= 80
