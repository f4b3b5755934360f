"""ISO 4217 facts, py-moneyed corrected from them, and the quarterly review of a provider's currencies."""
import json
import os
import re
from decimal import Decimal

import moneyed
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from conftest import SAMPLES
from nexus import currencies, review, store
from nexus.cli import cli
from nexus.errors import FetchError, InputError, UnknownCode
from nexus.money import currency, minor_units, quantize


def test_iso_lists_are_loaded_with_minor_units_funds_and_countries():
    current = currencies.iso_current()
    assert len(current) > 170
    assert (current["JPY"].minor_units, current["BHD"].minor_units, current["CLF"].minor_units) == (0, 3, 4)
    assert current["XAU"].minor_units is None and current["CLF"].fund
    assert "Japan" in current["JPY"].countries


@pytest.mark.parametrize("code, successor", [("HRK", "EUR"), ("SLL", "SLE"), ("ANG", "XCG"), ("ZWL", "ZWG"),
                                             ("BGN", "EUR")])
def test_withdrawn_codes_name_their_successor(code, successor):
    fact = currencies.facts(code)
    assert not fact.current and fact.successor == successor and fact.withdrawn


def test_py_moneyed_is_corrected_from_iso_data():
    for code in ("XCG", "ZWG", "XAD"):
        assert moneyed.get_currency(code).code == code
        assert currency(code).code == code
    assert minor_units("XCG") == 2 and minor_units("IQD") == 3  # ISO, not CLDR's 0
    with pytest.raises(UnknownCode, match="not an ISO 4217"):
        currency("IMP")  # py-moneyed lists it; ISO 4217 never had it
    assert quantize(Decimal("1.0005"), "KWD") == Decimal("1.001")


@pytest.mark.parametrize("data, codes", [
    (b"usd\n EUR \n\n# comment\njpy\nJPY\n", ["USD", "EUR", "JPY"]),
    (b"code,name\nUSD,US dollar\nBHD,Bahraini dinar\n", ["USD", "BHD"]),
    (b'["usd", "eur"]', ["USD", "EUR"]),
    (b'{"presentment_currencies": ["GBP", "JPY"], "count": 2}', ["GBP", "JPY"]),
    (b'{"data": [{"code": "KRW"}, {"currency": "xcg"}]}', ["KRW", "XCG"]),
])
def test_provider_lists_in_every_form(data, codes):
    assert review.parse_list(data, "list") == codes


@pytest.mark.parametrize("data, problem", [
    (b"USD\nUS Dollar\n", "line 2 \\('US Dollar'\\) is not a three-letter currency code"),
    (b'["USD", 12]', "entry 2 \\(12\\) is not a three-letter"),
    (b'{"a": [1], "b": [2]}', "without a list of currency codes"),
    (b"{not json", "is not valid JSON"),
    (b"\n\n", "lists no currencies"),
])
def test_bad_provider_lists_name_the_entry(data, problem):
    with pytest.raises(InputError, match=problem):
        review.parse_list(data, "list")


def test_review_classifies_every_code():
    result = review.review("p", ["USD", "KRW", "HRK", "ZZZ"], ["USD", "GBP"], "last quarter")
    assert (result.added, result.removed, result.unchanged, result.unknown) == (("KRW",), ("GBP",), ("USD",),
                                                                                ("ZZZ",))
    assert [w.code for w in result.withdrawn] == ["HRK"]
    krw = result.details[0]
    assert (krw.minor_units, krw.accountant_example, krw.ecb_rate) == (0, "1,235 KRW", True)
    assert "₩" in krw.customer_example and krw.countries


def test_examples_use_each_currencys_own_minor_units():
    assert review.accountant_example("JPY") == "1,235 JPY"
    assert review.accountant_example("BHD") == "1,234.500 BHD"
    assert review.customer_example("USD") == "$1,234.50"


def test_provider_list_over_http(httpserver):
    httpserver.expect_request("/currencies.json").respond_with_json({"currencies": ["usd", "jpy"]})
    assert review.load_list(httpserver.url_for("/currencies.json")) == ["USD", "JPY"]
    httpserver.expect_request("/gone").respond_with_data("", status=404)
    with pytest.raises(FetchError, match="HTTP 404"):
        review.load_list(httpserver.url_for("/gone"))


def test_two_quarters_of_history_through_the_cli(tmp_path, httpserver):
    db = str(tmp_path / "store.sqlite3")
    runner = CliRunner()
    httpserver.expect_request("/q3.json").respond_with_data((SAMPLES / "provider-currencies-2026-q3.json").read_bytes())
    first = runner.invoke(cli, ["currencies", "review", "--provider", httpserver.url_for("/q3.json"), "--db", db,
                                "--format", "json"], catch_exceptions=False)
    q3 = json.loads(first.stdout)
    assert q3["previous_from"] is None and q3["first_review"] is True and q3["added"] == []
    assert [a["code"] for a in q3["listed"]] == ["USD", "EUR", "GBP", "JPY", "CAD", "AUD"]
    book = tmp_path / "review.xlsx"
    second = runner.invoke(cli, ["currencies", "review", "--provider", str(SAMPLES / "provider-currencies-2026-q4.txt"),
                                 "--db", db, "--format", "json", "--coa", str(SAMPLES / "chart-of-accounts.csv"),
                                 "--workbook", str(book)], catch_exceptions=False)
    q4 = json.loads(second.stdout)
    assert q4["previous_from"].startswith("the review of ") and "(review 1 in the local store)" in q4["previous_from"]
    assert [a["code"] for a in q4["added"]] == ["KRW", "BHD", "XCG", "SGD"]
    assert q4["withdrawn"] == [{"code": "HRK", "name": "Kuna", "withdrawn": "2023-01", "successor": "EUR",
                                "changeover": "2023-01-01"}]
    assert set(q4) >= {"added", "removed", "unchanged", "withdrawn", "unknown"}
    assert q4["added"][0]["missing_accounts"] == ["Bank - KRW", "Provider clearing - KRW"]
    assert q4["added"][0]["action"] == "open a KRW bank account and a KRW clearing account; KRW has no minor unit"
    assert q4["unchanged"] == ["USD", "EUR", "GBP", "JPY", "CAD", "AUD"]
    sheets = load_workbook(book)
    assert sheets.sheetnames == ["Review", "Currencies", "Sources"]
    formats = {row[0].value: row[5].value for row in sheets["Currencies"].iter_rows(min_row=2)}
    assert formats["JPY"] == '#,##0 "JPY";[Red](#,##0) "JPY"' and formats["BHD"].startswith("#,##0.000")
    history = runner.invoke(cli, ["history", "--db", db, "--format", "json"], catch_exceptions=False)
    events = json.loads(history.stdout)
    assert [(e["kind"], e["id"]) for e in events] == [("review", 2), ("review", 1)]
    previous = runner.invoke(cli, ["currencies", "review", "--provider", str(SAMPLES / "provider-currencies-2026-q4.txt"),
                                   "--previous", str(SAMPLES / "provider-currencies-2026-q3.json"), "--db", db])
    assert "compared with " + str(SAMPLES / "provider-currencies-2026-q3.json") in " ".join(previous.stdout.split())


def test_checks_are_kept_for_history(tmp_path, write):
    db = str(tmp_path / "store.sqlite3")
    orders = write("o.csv", "date,country,region,amount,currency\n2026-01-02,US,CO,150000,USD\n")
    CliRunner().invoke(cli, ["check", "--sales", orders, "--db", db, "--as-of", "2026-06-30"], catch_exceptions=False)
    table = CliRunner().invoke(cli, ["history", "--db", db], catch_exceptions=False).stdout
    assert "check" in table and "as of 2026-06-30" in table and "US-CO" in table


def test_history_of_a_store_that_is_not_there_says_so_and_makes_none(tmp_path):
    """'nexus history --db' with a mistyped name made an empty store there and said 'Nothing kept yet', as if the
    quarter's reviews had gone; as for rates status, it is an error (exit 2) and no file is made."""
    typo = tmp_path / "stroe.sqlite3"
    out = CliRunner().invoke(cli, ["history", "--db", str(typo)])
    assert out.exit_code == 2 and not typo.exists()
    assert out.stderr.strip() == (f"Error: there is no nexus store {typo}: nothing was kept in it (is the name "
                                  f"right? a check or a currency review run with --db {typo} keeps its results there)")


@pytest.mark.parametrize("data, where", [
    (b"USD,EUR,GBP\nJPY\n", ":1: column '2' value 'EUR'"),
    (b"\xef\xbb\xbfusd\r\njpy, krw\r\n", ":2: column '2' value 'krw'"),
])
def test_a_line_with_several_codes_is_an_error_not_its_first_code(tmp_path, data, where):
    """'USD,EUR,GBP' on one line was read as USD alone: EUR and GBP were silently left out of the review."""
    listed = tmp_path / "list.csv"
    listed.write_bytes(data)
    result = CliRunner().invoke(cli, ["currencies", "review", "--provider", str(listed),
                                      "--db", str(tmp_path / "s.sqlite3")])
    assert result.exit_code == 2
    assert f"Error: {listed}{where}: is a currency code past the first column" in result.stderr


def test_a_headerless_list_may_still_name_each_code_beside_it():
    assert review.parse_list(b"USD,US Dollar\nJPY,Yen\n", "list") == ["USD", "JPY"]


def _review_json(db, listed):
    result = CliRunner().invoke(cli, ["currencies", "review", "--provider", str(listed), "--db", db,
                                      "--format", "json"], catch_exceptions=False)
    return json.loads(result.stdout)


def test_the_quarters_review_run_again_still_shows_what_the_quarter_added(tmp_path, write):
    """Run again in the quarter (to add --coa or --workbook), the review compared with its own first run and
    said 'Added: none': the quarter's new currencies vanished from the second report and its workbook."""
    db = str(tmp_path / "store.sqlite3")
    _review_json(db, write("q3.txt", "USD\nJPY\n"))
    q4 = write("q4.txt", "USD\nJPY\nBHD\n")
    assert [a["code"] for a in _review_json(db, q4)["added"]] == ["BHD"]
    again = _review_json(db, q4)
    assert [a["code"] for a in again["added"]] == ["BHD"] and again["unchanged"] == ["USD", "JPY"]
    assert "(review 1 in the local store)" in again["previous_from"]


def test_a_quarter_first_reviewed_against_a_file_still_shows_what_it_added_when_run_again(tmp_path, write):
    """The move's first review compared the new store's list with the old store's, given as --previous (nothing was
    kept in the store before): 'Added: JPY, KWD'. Run again in the quarter without it (to add --coa or --workbook),
    and in 'accounts plan', the review said 'first review: nothing to compare with', listed the two as if nothing
    had changed, and --fail-on changed exited 0: the file compared with is not kept, only what the review found.
    Now it compares with what the quarter's first run compared with: its list less what it added, plus what it
    removed."""
    db = str(tmp_path / "store.sqlite3")
    old, new = write("woo.txt", "USD\nEUR\n"), write("shopify.txt", "USD\nJPY\nKWD\n")
    first = CliRunner().invoke(cli, ["currencies", "review", "--provider", new, "--previous", old, "--db", db,
                                     "--format", "json"], catch_exceptions=False)
    assert [a["code"] for a in json.loads(first.stdout)["added"]] == ["JPY", "KWD"]
    again = _review_json(db, new)
    assert again["first_review"] is False
    assert ([a["code"] for a in again["added"]], again["removed"], again["unchanged"]) == (["JPY", "KWD"], ["EUR"],
                                                                                         ["USD"])
    assert again["previous_from"].startswith("the previous list given to review 1 in the local store (")
    gate = CliRunner().invoke(cli, ["currencies", "review", "--provider", new, "--db", db, "--fail-on", "changed"])
    assert gate.exit_code == 1


def test_a_list_unchanged_since_last_quarter_is_unchanged(tmp_path, write, monkeypatch):
    db = str(tmp_path / "store.sqlite3")
    listed = write("list.txt", "USD\nJPY\n")
    monkeypatch.setattr(store, "_now", lambda: "2025-01-15T09:00:00+00:00")
    _review_json(db, listed)
    monkeypatch.undo()
    result = _review_json(db, listed)
    assert result["first_review"] is False and result["added"] == [] and result["unchanged"] == ["USD", "JPY"]


def test_a_review_run_again_in_the_quarter_says_it_is_a_re_run_with_the_first_run_s_date(tmp_path, write,
                                                                                          monkeypatch):
    """Before: the quarter's second run printed the same headline as its first ('compared with the review of
    provider's list on 2025-01-15', rightly), with nothing to say it was the same quarter again: two printouts of one
    quarter read as two quarters' reviews. Now the screen, the Review sheet and the JSON name the earlier run."""
    db = str(tmp_path / "store.sqlite3")
    listed = write("list.txt", "USD\nJPY\n")
    monkeypatch.setattr(store, "_now", lambda: "2025-01-15T09:00:00+00:00")
    _review_json(db, listed)
    monkeypatch.undo()
    runs = [CliRunner().invoke(cli, ["currencies", "review", "--provider", str(listed), "--db", db, "--workbook",
                                     str(tmp_path / f"review-{n}.xlsx")], catch_exceptions=False) for n in (1, 2)]
    assert all(r.exit_code == 0 for r in runs)
    assert "on 2025-01-15" in runs[0].stdout and "on 2025-01-15" in runs[1].stdout  # both compare with last quarter
    assert "re-run" not in runs[0].stdout.lower()
    said = [line for line in runs[1].stdout.splitlines() if "re-run" in line.lower()]
    assert len(said) == 1 and re.fullmatch(r"A re-run of this quarter's review \(review 2 of \d{4}-\d{2}-\d{2}\): "
                                           r"the same quarter, not the next one\.", said[0])
    sheets = [{r[0]: r[2] for r in load_workbook(tmp_path / f"review-{n}.xlsx")["Review"].iter_rows(values_only=True)}
              for n in (1, 2)]
    assert "Re-run of" not in sheets[0] and re.fullmatch(r"review 2 of \d{4}-\d{2}-\d{2}", sheets[1]["Re-run of"])
    assert re.fullmatch(r"review 3 of .*", _review_json(db, listed)["rerun_of"])


def test_a_currency_the_provider_lists_as_disabled_is_not_sold_in():
    """Shopify's currencies endpoint lists each currency with 'enabled'; a disabled one was reviewed as added."""
    data = (b'{"currencies": [{"currency": "CAD", "rate_updated_at": "2026-10-01T00:00:00-04:00", "enabled": true},'
            b' {"currency": "JPY", "rate_updated_at": "2026-10-01T00:00:00-04:00", "enabled": false}]}')
    assert review.parse_list(data, "list") == ["CAD"]


@pytest.mark.parametrize("data", [
    b"code,name,enabled\nUSD,US Dollar,true\nEUR,Euro,false\nJPY,Yen,yes\nGBP,Pound,no\n",
    b"code,name,Active\nUSD,US Dollar,1\nEUR,Euro,0\nJPY,Yen,Y\nGBP,Pound,N\n",
    b"code,name,disabled\nUSD,US Dollar,no\nEUR,Euro,yes\nJPY,Yen,0\nGBP,Pound,1\n",
    b"code,name,Status\nUSD,US Dollar,Enabled\nEUR,Euro,Disabled\nJPY,Yen,ACTIVE\nGBP,Pound,Archived\n",
    b'[{"code": "USD", "enabled": true}, {"code": "EUR", "enabled": "false"}, {"code": "JPY", "active": 1},'
    b' {"code": "GBP", "disabled": true}]',
])
def test_a_currency_a_csv_list_switches_off_is_not_sold_in(data):
    """A CSV list's enabled column was never read: EUR and GBP, switched off for the store, were reviewed as sold
    in (and given bank accounts); JSON only left out a boolean false, not "false". Every such column is read, with
    true/false, yes/no, 1/0, enabled/disabled, active/inactive: USD and JPY are on, EUR and GBP off."""
    assert review.parse_list(data, "list") == ["USD", "JPY"]


@pytest.mark.parametrize("data, message", [
    (b"code,enabled\nJPY,false\nUSD,true\njpy,yes\n", "line 4 lists JPY on, and line 2 lists it off"),
    (b"code,enabled\nJPY,true\nJPY,false\n", "line 3 lists JPY off, and line 2 lists it on"),
    (b'[{"code": "JPY", "enabled": false}, {"code": "jpy", "enabled": true}]',
     "entry 2 lists JPY on, and entry 1 lists it off"),
])
def test_a_currency_listed_both_on_and_off_is_an_error_naming_both_entries(data, message):
    """A list that switched JPY off on one line and on on another was read as selling in JPY (the off entry was
    dropped before the two were compared): which the review believed depended on the order of the rows."""
    with pytest.raises(InputError, match=f"^list: {message}: keep one entry for each currency$"):
        review.parse_list(data, "list")


def test_a_currency_listed_twice_alike_is_one_currency_and_a_switched_off_entry_needs_no_code():
    assert review.parse_list(b"usd\nEUR\nUSD \neur\n", "list") == ["USD", "EUR"]
    assert review.parse_list(b"code,enabled\nUSD,true\nUSDT,false\nusd,yes\n", "list") == ["USD"]


@pytest.mark.parametrize("data", [b"Currency Code,Name\nUSD,US Dollar\nJPY,Yen\n", b"ISO Code\nusd\njpy\n",
                                  b"Name,Currency-Code,Is Enabled\nDollar,USD,yes\nEuro,EUR,no\nYen,JPY,yes\n"])
def test_a_spreadsheets_code_column_is_read_whatever_its_spaces_and_case(data):
    """A list saved from a spreadsheet with the header 'Currency Code' or 'ISO Code' was refused: "line 1
    ('Currency Code') is not a three-letter currency code", as if the header were a code."""
    assert review.parse_list(data, "list") == ["USD", "JPY"]


def test_a_json_entry_names_its_code_as_a_csv_header_may():
    """'currency_code' was read as a CSV list's code column but not as a JSON entry's key: the entry was refused as
    "entry 2 (None) is not a three-letter currency code", naming no key and showing no entry."""
    data = b'[{"iso_code": "usd"}, {"Currency_Code": "EUR", "name": "Euro"}, {"currency": "jpy"}]'
    assert review.parse_list(data, "list") == ["USD", "EUR", "JPY"]
    with pytest.raises(InputError, match="^list: entry 2 has no currency code: none of its keys is code, "
                                         "currency_code, iso_code, iso, currency$"):
        review.parse_list(b'[{"code": "USD"}, {"name": "Euro", "symbol": "EUR"}]', "list")


def test_an_enabled_value_that_is_neither_on_nor_off_names_its_row():
    with pytest.raises(InputError, match="list:3: column 'enabled' value 'maybe': is neither on nor off"):
        review.parse_list(b"code,enabled\nUSD,true\nEUR,maybe\n", "list")


def test_a_code_whose_row_has_an_empty_first_cell_is_read():
    """With the code in a later column, a row whose first cell (the name) was empty was skipped as blank: JPY was
    silently left out of the review."""
    assert review.parse_list(b"name,code\nUS Dollar,USD\n,JPY\n,\n", "list") == ["USD", "JPY"]


def test_the_code_column_is_read_when_the_header_also_has_a_currency_column():
    """'Currency,Code' with 'Yen,JPY' was read by the Currency column: YEN and WON came out as unknown codes and
    JPY and KRW were never reviewed."""
    assert review.parse_list(b"Currency,Code\nYen,JPY\nWon,KRW\n", "list") == ["JPY", "KRW"]
    assert review.parse_list(b"country,currency\nJapan,JPY\n", "list") == ["JPY"]


def test_metals_sdr_and_testing_codes_are_not_money_a_store_is_paid_in(tmp_path, write):
    """A provider list with XAU or XTS (gold, the testing code) proposed bank and clearing accounts for them, with
    '0 minor units' where ISO gives none: they are listed apart, with no accounts and no action but to ask."""
    result = review.review("p", ["USD", "XAU", "XTS", "XDR", "XOF"], None, None)
    assert result.not_for_sale == ("XAU", "XTS", "XDR") and [d.code for d in result.details] == ["USD", "XOF"]
    assert result.as_dict()["not_for_sale"] == ["XAU", "XTS", "XDR"]
    provider = write("list.csv", "USD\nXAU\nXTS\n")
    book = tmp_path / "review.xlsx"
    shown = CliRunner().invoke(cli, ["currencies", "review", "--provider", provider, "--db", str(tmp_path / "s.db"),
                                     "--coa", str(SAMPLES / "chart-of-accounts.csv"), "--workbook", str(book)],
                               catch_exceptions=False)
    assert shown.exit_code == 0 and "Not money a store is paid in: XAU, XTS" in shown.stdout
    assert "XAU bank" not in shown.stdout and "XTS" not in shown.stdout.split("Not money")[0].split("Listed:")[1]
    rows = [[c.value for c in row] for row in load_workbook(book)["Review"].iter_rows()]
    assert ["not for sale", "XAU", "Gold"] in [r[:3] for r in rows]
    listed = {row[0]: row for row in load_workbook(book)["Currencies"].iter_rows(values_only=True)}
    assert listed["XAU"][1] == "not for sale" and not any(listed["XAU"][5:8])  # no made-up format or examples
    plan = CliRunner().invoke(cli, ["accounts", "plan", "--coa", str(SAMPLES / "chart-of-accounts.csv"),
                                    "--currencies", provider, "--db", str(tmp_path / "s.db"), "--workbook",
                                    str(tmp_path / "plan.xlsx")], catch_exceptions=False)
    proposed = [[c.value for c in row] for row in load_workbook(tmp_path / "plan.xlsx")["New accounts"].iter_rows()]
    assert plan.exit_code == 0 and not any(row[3] in ("XAU", "XTS") for row in proposed)


def test_gold_and_a_fund_code_in_the_workbook_ask_no_rates_and_name_no_country(tmp_path, write):
    """The Currencies sheet gave XAU and CLF, listed apart with no accounts proposed, 'no: supply rates' (treasury
    asked for gold's rates), and gold's country as ISO's entity name for it, 'Zz08_Gold'."""
    assert currencies.facts("XAU").countries == () and currencies.facts("XTS").countries == ()
    assert currencies.facts("CLF").countries == ("Chile",)
    book = tmp_path / "review.xlsx"
    CliRunner().invoke(cli, ["currencies", "review", "--provider", write("list.csv", "USD\nXAU\nCLF\nBHD\n"),
                             "--db", str(tmp_path / "s.db"), "--workbook", str(book)], catch_exceptions=False)
    sheet = load_workbook(book)["Currencies"]
    header = [c.value for c in sheet[1]]
    listed = {row[0]: dict(zip(header, row)) for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert listed["XAU"]["ECB rate"] == listed["CLF"]["ECB rate"] == "no: not needed, not money"
    assert listed["BHD"]["ECB rate"] == "no: supply rates" and listed["USD"]["ECB rate"] == "yes"
    assert not listed["XAU"]["Countries"] and listed["CLF"]["Countries"] == "Chile"


def test_a_withdrawn_code_in_the_workbook_gets_no_examples_and_no_call_for_rates(tmp_path, write):
    """The Review sheet said 'use EUR (changeover 2023-01-01)' for HRK, while the Currencies sheet gave it a
    two-decimal number format, 'HRK1,234.50' as a customer's price and 'no: supply rates', though ISO gives a
    withdrawn code no minor unit, no customer pays in it and no market rate exists after the changeover."""
    book = tmp_path / "review.xlsx"
    CliRunner().invoke(cli, ["currencies", "review", "--provider", write("list.txt", "USD\nHRK\nBHD\n"), "--db",
                             str(tmp_path / "s.db"), "--workbook", str(book)], catch_exceptions=False)
    rows = {row[0]: row for row in load_workbook(book)["Currencies"].iter_rows(min_row=2, values_only=True)}
    # Code, Status, Name, ISO number, Minor units, Number format, Customer sees, Accountant books, ECB rate
    assert rows["HRK"][1] == "withdrawn" and not any(rows["HRK"][4:8])
    assert rows["HRK"][8] == "no: withdrawn, use EUR"
    assert rows["BHD"][4:6] == (3, '#,##0.000 "BHD";[Red](#,##0.000) "BHD"') and rows["BHD"][7] == "1,234.500 BHD"
    assert rows["BHD"][8] == "no: supply rates" and rows["USD"][8] == "yes"


def test_a_list_changed_again_in_the_quarter_is_compared_with_last_quarters_review(tmp_path, write, monkeypatch):
    """Reviewed last quarter (USD, JPY); this quarter the list adds BHD, and later in the quarter GBP too. The
    second run compared with the first of this quarter: 'added GBP' only, BHD 'unchanged', though the quarter
    added both."""
    db = str(tmp_path / "store.sqlite3")
    monkeypatch.setattr(store, "_now", lambda: "2025-01-15T09:00:00+00:00")
    _review_json(db, write("q1.txt", "USD\nJPY\n"))
    monkeypatch.undo()
    assert [a["code"] for a in _review_json(db, write("q2.txt", "USD\nJPY\nBHD\n"))["added"]] == ["BHD"]
    again = _review_json(db, write("q2b.txt", "USD\nJPY\nBHD\nGBP\n"))
    assert sorted(a["code"] for a in again["added"]) == ["BHD", "GBP"] and again["unchanged"] == ["USD", "JPY"]
    assert "(review 1 in the local store)" in again["previous_from"]


def test_a_customers_example_is_rounded_once_half_up_to_the_places_a_shop_shows():
    """Iraqi dinars: ISO gives three places, shops show none (CLDR). 1,234.5 was rounded to ISO's places and then
    by babel, half even, to 1,234; half up, once, it is 1,235 (and 1,235 forints)."""
    from nexus.review import customer_example

    assert "1,235" in customer_example("IQD") and "1 235" in customer_example("HUF").replace("\xa0", " ")
    assert "1,234.500" in customer_example("BHD")


def test_an_action_reads_its_codes_with_the_article_they_are_said_with():
    from nexus.review import a_code, action

    assert [a_code(c) for c in ("USD", "AUD", "EUR", "SGD", "JPY", "HKD", "MXN", "BHD")] == [
        "a USD", "an AUD", "an EUR", "an SGD", "a JPY", "an HKD", "an MXN", "a BHD"]
    assert action("AUD", [("bank", ""), ("clearing", "")], 2, True).startswith(
        "open an AUD bank account and an AUD clearing account")


def test_a_currency_list_with_a_control_character_names_its_line_once(tmp_path):
    from click.testing import CliRunner

    from nexus.cli import cli

    path = tmp_path / "list.json"
    path.write_text('["USD", "JP\x01Y"]', encoding="utf-8")
    result = CliRunner().invoke(cli, ["currencies", "review", "--provider", str(path), "--db",
                                      str(tmp_path / "s.sqlite3")])
    assert result.exit_code == 2
    assert "Invalid control character at line 1, column 12" in result.stderr and " at at " not in result.stderr


def test_with_a_chart_an_unchanged_currency_without_its_accounts_is_named(tmp_path):
    """The sample chart has no GBP, CAD or AUD bank and no clearing account in them; they were sold in last quarter
    too. 'Unchanged' alone told the accountant the chart was complete for them: --coa says what it lacks."""
    db = str(tmp_path / "store.sqlite3")
    args = ["currencies", "review", "--provider", str(SAMPLES / "provider-currencies-2026-q4.txt"), "--previous",
            str(SAMPLES / "provider-currencies-2026-q3.json"), "--db", db, "--coa", str(SAMPLES / "chart-of-accounts.csv")]
    found = json.loads(CliRunner().invoke(cli, args + ["--format", "json"], catch_exceptions=False).stdout)
    assert [(d["code"], d["missing_accounts"]) for d in found["unchanged_missing"]] == [
        ("EUR", ["Provider clearing - EUR"]), ("GBP", ["Bank - GBP", "Provider clearing - GBP"]),
        ("JPY", ["Provider clearing - JPY"]), ("CAD", ["Bank - CAD", "Provider clearing - CAD"]),
        ("AUD", ["Bank - AUD", "Provider clearing - AUD"])]
    screen = " ".join(CliRunner().invoke(cli, args, catch_exceptions=False).stdout.split())
    assert ("Unchanged, without their accounts in the chart: EUR: open an EUR clearing account GBP: open a GBP bank "
            "account and a GBP clearing account JPY: open a JPY clearing account; JPY has no minor unit CAD:") in screen


def test_with_a_chart_the_fx_and_rounding_accounts_it_lacks_are_named(tmp_path):
    """Adding KRW (no minor unit) and BHD (3 decimals) to a chart that has 7010 Realized FX gain/loss but no
    unrealized FX account and no rounding account: the review named each currency's bank and clearing accounts and
    said "KRW has no minor unit", but not the accounts where the revaluation and the rounding differences go, which
    'accounts plan' then proposed. The review now names them; Xero keeps both as system accounts, so none there."""
    db = str(tmp_path / "store.sqlite3")
    args = ["currencies", "review", "--provider", str(SAMPLES / "provider-currencies-2026-q4.txt"), "--previous",
            str(SAMPLES / "provider-currencies-2026-q3.json"), "--db", db, "--coa", str(SAMPLES / "chart-of-accounts.csv")]
    found = json.loads(CliRunner().invoke(cli, args + ["--format", "json"], catch_exceptions=False).stdout)
    assert [d["name"] for d in found["missing_fx_accounts"]] == ["Unrealized FX gain/loss", "Currency rounding"]
    assert found["missing_fx_accounts"][1]["reason"] == (
        "Conversions between currencies leave rounding differences, and so do minor units (JPY no decimals, KRW no "
        "decimals, BHD 3 decimals).")
    screen = " ".join(CliRunner().invoke(cli, args, catch_exceptions=False).stdout.split())
    assert ("For selling in more than one currency, the chart also lacks: Unrealized FX gain/loss, Currency rounding "
            "('nexus accounts plan' proposes them)") in screen
    xero = json.loads(CliRunner().invoke(cli, args + ["--format", "json", "--target", "xero"],
                                         catch_exceptions=False).stdout)
    assert xero["missing_fx_accounts"] == []
    without = json.loads(CliRunner().invoke(cli, args[:-2] + ["--format", "json"], catch_exceptions=False).stdout)
    assert without["missing_fx_accounts"] is None


@pytest.mark.parametrize("finance, fx, dash, name", [
    ("财务费用", "汇兑损益", "", "折算尾差"), ("財務費用", "匯兌損益", "財務費用-", "財務費用-折算尾差")])
def test_a_chinese_charts_review_names_the_rounding_account_as_the_plan_does(tmp_path, write, finance, fx, dash, name):
    """Before: the Review sheet (and the screen and the JSON) of a review against a Chinese chart said the chart
    lacks "Currency rounding", where 'accounts plan' proposes 660303 折算尾差 under 6603 财务费用 (財務費用-折算尾差
    where the chart writes its parent's name before a dash), as it names the other accounts (美元户, 汇兑损益). Now
    the review names it as the plan does; the sheet's change and action stay labels, in English, as on every row."""
    coa = write("coa.csv", f"""
        科目代码,科目名称,科目类别,币种,上级科目
        1002,银行存款,货币资金,,
        100201,{dash}工商银行基本户,银行存款,CNY,1002
        100202,{dash}中国银行美元户,银行存款,USD,1002
        6603,{finance},财务费用,,
        660301,{dash}{fx},财务费用,,6603
        660302,{dash}手续费,财务费用,,6603
    """)
    provider = write("provider.txt", "CNY\nUSD\nJPY\n")
    book = tmp_path / "review.xlsx"
    args = ["currencies", "review", "--provider", provider, "--db", str(tmp_path / "store.sqlite3"), "--coa", coa]
    CliRunner().invoke(cli, args + ["--workbook", str(book)], catch_exceptions=False)
    lacks = [row for row in load_workbook(book)["Review"].iter_rows(values_only=True) if row[0] == "chart lacks"]
    assert [row[2] for row in lacks] == [name]
    assert lacks[0][3].startswith("open it: conversions between currencies leave rounding differences")
    planned = CliRunner().invoke(cli, ["accounts", "plan", "--coa", coa, "--currencies", provider, "--workbook",
                                       str(tmp_path / "plan.xlsx")], catch_exceptions=False).stdout
    assert f"660303    {name}" in planned
    found = json.loads(CliRunner().invoke(cli, args + ["--format", "json"], catch_exceptions=False).stdout)
    assert [d["name"] for d in found["missing_fx_accounts"]] == [name]


def test_a_japanese_chart_with_its_fx_account_lacks_only_the_rounding_account(tmp_path, write):
    """為替差損益 books settlement and period-end differences alike (外貨建取引等会計処理基準 一 2 (2), 一 3): the review
    named "Unrealized FX gain/loss" as missing beside it. Only the rounding account is missing now, named as one
    account: "proposes it", not "them"; by the name the plan gives it in a chart written in Japanese, 雑損失."""
    coa = write("coa.csv", """
        コード,勘定科目,区分,通貨
        1120,普通預金 三菱UFJ,現金・預金,JPY
        1121,普通預金 USD,現金・預金,USD
        7200,為替差損益,営業外収益,
    """)
    provider = write("provider.txt", "JPY\nUSD\n")
    args = ["currencies", "review", "--provider", provider, "--db", str(tmp_path / "store.sqlite3"), "--coa", coa]
    found = json.loads(CliRunner().invoke(cli, args + ["--format", "json"], catch_exceptions=False).stdout)
    assert [d["name"] for d in found["missing_fx_accounts"]] == ["雑損失"]
    screen = " ".join(CliRunner().invoke(cli, args, catch_exceptions=False).stdout.split())
    assert ("For selling in more than one currency, the chart also lacks: 雑損失 ('nexus accounts plan' "
            "proposes it)") in screen


def test_fund_codes_are_units_of_account_not_money_a_store_is_paid_in(tmp_path, write):
    """ISO 4217's list one holds fund codes beside the currencies: CLF (Chile's Unidad de Fomento), MXV, USN (US
    dollar next day), CHE and CHW (WIR). A provider list with CLF had the review say 'open a CLF bank account and a
    CLF clearing account; CLF has 4 decimals', and the plan proposed both, though no bank keeps an account in UF and
    no customer pays in it. They are listed apart now, as gold is, with the currency customers there pay in."""
    result = review.review("p", ["USD", "CLF", "MXV", "USN", "CHE"], None, None)
    assert result.not_for_sale == ("CLF", "MXV", "USN", "CHE") and [d.code for d in result.details] == ["USD"]
    assert review.not_money_reason("CLF") == "an ISO 4217 fund code, a unit of account: customers there pay in CLP"
    assert review.not_money_reason("XAU") == "ISO 4217 gives no minor unit"
    provider = write("list.csv", "USD\nCLF\nXAU\n")
    shown = CliRunner().invoke(cli, ["currencies", "review", "--provider", provider, "--db", str(tmp_path / "s.db"),
                                     "--coa", str(SAMPLES / "chart-of-accounts.csv")], catch_exceptions=False)
    said = " ".join(shown.stdout.split())
    assert "Not money a store is paid in: XAU (ISO 4217 gives no minor unit: a metal, the SDR, a testing code)" in said
    assert ("Not money a store is paid in: CLF (an ISO 4217 fund code, a unit of account: customers there pay in CLP); "
            "no accounts proposed: ask the provider") in said
    assert "CLF bank" not in said
    plan = CliRunner().invoke(cli, ["accounts", "plan", "--coa", str(SAMPLES / "chart-of-accounts.csv"),
                                    "--currencies", provider, "--db", str(tmp_path / "s.db"), "--workbook",
                                    str(tmp_path / "plan.xlsx")], catch_exceptions=False)
    assert plan.exit_code == 0 and "CLF" not in plan.stdout.split("No accounts for")[0]
    assert ("CLF: not money a store is paid in (an ISO 4217 fund code, a unit of account: customers there pay in CLP)"
            in " ".join(plan.stdout.split()))


def test_a_review_whose_workbook_cannot_be_written_is_not_kept(tmp_path):
    """Before: 'currencies review --workbook FILE' kept the review in the store before writing the workbook, so a
    workbook that could not be written (here a file name over the system's 255 bytes) stopped the run, exit 2, yet
    'nexus history' listed the review, and next quarter's compared with a list no one had received. It is now kept
    only when the run succeeds: the run again, with a workbook that can be written, is the first review."""
    db = str(tmp_path / "store.sqlite3")
    runner = CliRunner()
    args = ["currencies", "review", "--provider", str(SAMPLES / "provider-currencies-2026-q4.txt"), "--db", db,
            "--provider-name", "shopkit", "--format", "json"]
    failed = runner.invoke(cli, args + ["--workbook", str(tmp_path / ("a" * 300 + ".xlsx"))])
    assert failed.exit_code == 2 and "cannot write" in failed.stderr and failed.stdout == ""
    # nothing kept: no store at all, since a review that stops leaves none behind (test_cli_inputs_as_outputs.py)
    history = runner.invoke(cli, ["history", "--db", db, "--format", "json"])
    assert history.exit_code == 2 and "there is no nexus store" in history.stderr and not os.path.exists(db)
    again = runner.invoke(cli, args + ["--workbook", str(tmp_path / "review.xlsx")], catch_exceptions=False)
    assert json.loads(again.stdout)["first_review"] is True and (tmp_path / "review.xlsx").exists()
    history = runner.invoke(cli, ["history", "--db", db, "--format", "json"], catch_exceptions=False)
    assert [(e["kind"], e["id"], e["subject"]) for e in json.loads(history.stdout)] == [("review", 1, "shopkit")]


def test_the_reviews_json_names_the_provider_as_the_store_keeps_it(tmp_path):
    """Before: 'currencies review --provider-name shopkit --format json' gave "provider": the list's file, and no
    word of 'shopkit', the name the store keeps the review under, that 'nexus history' shows and the next quarter
    compares by: a script reading several providers' reviews could not tell them apart by the name it gave. The JSON
    now carries it as "provider_name" (docs/json.md)."""
    listed = str(SAMPLES / "provider-currencies-2026-q4.txt")
    result = CliRunner().invoke(cli, ["currencies", "review", "--provider", listed, "--provider-name", "shopkit",
                                      "--db", str(tmp_path / "s.db"), "--format", "json"], catch_exceptions=False)
    data = json.loads(result.stdout)
    assert (data["provider"], data["provider_name"]) == (listed, "shopkit")
    default = CliRunner().invoke(cli, ["currencies", "review", "--provider", listed, "--db", str(tmp_path / "t.db"),
                                       "--format", "json"], catch_exceptions=False)
    assert json.loads(default.stdout)["provider_name"] == "provider"


def test_fail_on_exits_1_only_for_what_it_names_and_keeps_the_review(tmp_path, write):
    """A quarterly job's gate: --fail-on changed, missing-accounts or invalid-codes exits 1 for that alone, after the
    review is shown and kept; the review had no --fail-on, so nothing it found could stop a scheduled run."""
    db = str(tmp_path / "nexus.db")
    q3, q4 = write("q3.txt", "USD\nEUR\nCAD\n"), write("q4.txt", "USD\nEUR\nJPY\nHRK\n")
    chart = write("coa.csv", "Number,Name,Type,Currency\n1010,Bank - USD,Bank,USD\n1020,Bank - EUR,Bank,EUR\n"
                             "1200,Provider clearing - USD,Current asset,USD\n"
                             "1210,Provider clearing - EUR,Current asset,EUR\n7010,FX gain/loss,Other income,\n"
                             "7020,Unrealized FX gain/loss,Other income,\n7030,Currency rounding,Other expense,\n")

    def code(*args):
        return CliRunner().invoke(cli, ["currencies", "review", "--db", db, *args], catch_exceptions=False).exit_code

    assert code("--provider", q3, "--fail-on", "changed") == 0  # a first review lists, it does not change
    assert code("--provider", q3, "--previous", q3, "--fail-on", "changed") == 0
    assert code("--provider", q3, "--previous", q3, "--coa", chart, "--fail-on", "missing-accounts") == 1  # CAD
    assert code("--provider", q3, "--previous", q3, "--fail-on", "invalid-codes") == 0
    assert code("--provider", q4, "--previous", q3, "--fail-on", "changed") == 1  # JPY added, CAD removed
    assert code("--provider", q4, "--previous", q3, "--fail-on", "invalid-codes") == 1  # HRK withdrawn
    usd_eur = write("usd-eur.txt", "USD\nEUR\n")
    assert code("--provider", usd_eur, "--previous", q3, "--coa", chart, "--fail-on", "missing-accounts") == 0
    assert code("--provider", usd_eur, "--fail-on", "missing-accounts") == 2  # it reads the chart: give --coa
    with store.opened(db) as connection:
        assert len(store.history(connection)) == 7  # every review that ran was kept, exit 1 or not


def test_the_reviews_warnings_on_the_chart_come_in_lines_of_the_screens_width(tmp_path, write):
    """A chart with accounts of a type nexus does not know: the warning went to standard error as one line of 200
    columns, which an 80-column terminal broke mid-word; it is wrapped as the screen's own sentences are."""
    chart = write("coa.csv", "Number,Name,Type,Currency\n1010,Bank - USD,Bank,USD\n"
                             "6001,Revenue from the sale of goods to customers,Profit and loss,\n"
                             "6002,Revenue from the sale of services to customers,Profit and loss,\n")
    result = CliRunner().invoke(cli, ["currencies", "review", "--provider", write("l.txt", "USD\n"), "--coa", chart,
                                      "--db", str(tmp_path / "s.db")], catch_exceptions=False)
    lines = result.stderr.splitlines()
    assert lines[0].startswith("Warning: ") and len(lines) > 1 and max(len(line) for line in lines) <= 100
    assert "line 3 (6001 Revenue from the sale of goods to customers: 'Profit and loss')" in " ".join(
        line.strip() for line in lines)


def test_full_width_codes_typed_by_a_japanese_input_method_are_the_codes_they_spell(tmp_path, write):
    """ＪＰＹ in a list kept in a Japanese spreadsheet was refused ('line 2 ('ＪＰＹ') is not a three-letter currency
    code'), which it plainly is; a letter that is not Latin still is refused."""
    assert review.parse_list("USD\nＪＰＹ\nｋｒｗ\n".encode(), "list.txt") == ["USD", "JPY", "KRW"]
    assert review.parse_list('{"currencies": ["ＥＵＲ", "EUR"]}'.encode(), "list.json") == ["EUR"]
    with pytest.raises(InputError, match=r"line 2 \('ÄUD'\) is not a three-letter currency code"):
        review.parse_list("USD\nÄUD\n".encode(), "list.txt")


def test_a_code_iso_never_had_or_withdrew_is_named_with_its_line(tmp_path):
    """The review's screen said 'Unknown (not ISO 4217): ABC' and 'Withdrawn: HRK (Kuna, ...)' with no line, where the
    chart's warnings name theirs: a list of sixty codes had to be searched. The line (a JSON list's entry) is said
    on the screen, on the plan's screen and in the Review sheet."""
    text = tmp_path / "list.txt"
    text.write_text("USD\nHRK\nABC\n", encoding="utf-8")
    data = tmp_path / "list.json"
    data.write_text('{"currencies": ["USD", "ABC", {"code": "HRK"}]}', encoding="utf-8")
    book = tmp_path / "review.xlsx"
    screen = CliRunner().invoke(cli, ["currencies", "review", "--provider", str(text), "--db", str(tmp_path / "a.db"),
                                      "--workbook", str(book)], catch_exceptions=False).stdout
    assert f"Unknown (not ISO 4217): ABC ({text}:3)" in " ".join(screen.split())
    assert f"Withdrawn: HRK (Kuna, withdrawn 2023-01; {text}:2): use EUR" in " ".join(screen.split())
    rows = {r[1]: r[2] for r in load_workbook(book)["Review"].iter_rows(values_only=True)}
    assert rows["ABC"] == f"not an ISO 4217 code, {text}:3" and rows["HRK"] == f"withdrawn 2023-01, {text}:2"
    screen = CliRunner().invoke(cli, ["currencies", "review", "--provider", str(data), "--db",
                                      str(tmp_path / "b.db")], catch_exceptions=False).stdout
    assert f"Unknown (not ISO 4217): ABC ({data}, entry 2)" in " ".join(screen.split())


def test_the_store_says_what_a_review_compares_with_and_whether_it_is_a_re_run(tmp_path, monkeypatch):
    """The library decides it, not the command (nexus.store.compared_list and earlier_run): no store, nothing to
    compare with and no re-run; last quarter's review is compared with, by this quarter's runs too, and a run again
    this quarter names the quarter's latest; a quarter's first run that compared with a file (--previous, not kept)
    is compared as it was; a list kept from a review (the provider's could not be fetched) is never a re-run."""
    path = tmp_path / "store.sqlite3"
    assert store.compared_list(path, "shop", ["USD"]) == (None, None)
    assert store.earlier_run(path, "shop") is None and not path.exists()
    monkeypatch.setattr(store, "_now", lambda: "2025-01-15T09:00:00+00:00")
    with store.opened(path) as connection:
        store.save_review(connection, "shop", ["USD", "EUR"], {"added": [], "removed": [], "first_review": True})
    last_quarter = (["EUR", "USD"], "the review of shop's list on 2025-01-15 (review 1 in the local store)")
    assert store.compared_list(path, "shop", ["USD", "EUR", "JPY"]) == last_quarter
    assert store.earlier_run(path, "shop") is None  # last quarter's: this run is the quarter's first
    monkeypatch.undo()
    with store.opened(path) as connection:
        store.save_review(connection, "shop", ["USD", "EUR", "JPY"], {"added": ["JPY"], "removed": []})
        today = store.last_review(connection, "shop")[1][:10]
    assert store.compared_list(path, "shop", ["USD", "EUR", "JPY", "KWD"]) == last_quarter
    assert store.earlier_run(path, "shop") == f"review 2 of {today}"
    assert store.earlier_run(path, "shop", kept=(2, today, ["USD", "EUR", "JPY"])) is None
    other = tmp_path / "other.sqlite3"  # a first review this quarter against a file: worked back from what it found
    with store.opened(other) as connection:
        store.save_review(connection, "shop", ["USD", "JPY", "KWD"], {"added": ["JPY", "KWD"], "removed": ["GBP"],
                                                                      "first_review": False})
    assert store.compared_list(other, "shop", ["USD", "JPY", "KWD"]) == (
        ["USD", "GBP"], f"the previous list given to review 1 in the local store ({today})")
