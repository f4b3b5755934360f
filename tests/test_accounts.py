"""Chart-of-accounts plans: numbering schemes, idempotence, every target's import file."""
import csv
import io

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from conftest import SAMPLES
from nexus import accounts
from nexus.cli import cli
from nexus.errors import InputError, MissingColumns


def chart(write, text, name="coa.csv"):
    return accounts.read_chart(write(name, text))


def test_numbers_follow_the_chart_range_and_step(write):
    coa = chart(write, """
        Number,Name,Type,Currency
        1000,Bank - USD,Bank,USD
        1010,Bank - EUR,Bank,EUR
        1200,Stripe clearing,Current asset,USD
        2100,Sales tax payable - California (US-CA),Current liability,USD
        7000,Interest income,Other income,
        8000,Bank charges,Other expense,
    """)
    plan = accounts.plan(coa, ["USD", "JPY"], [("US-TX", "Sales tax", "exceeded")])
    by = {p.purpose: p.number for p in plan}
    assert by == {"clearing:JPY": "1210", "bank:JPY": "1020", "fx-realized": "7010", "fx-unrealized": "7020",
                  "rounding": "8010", "tax:US-TX": "2110"}
    assert {p.number for p in plan}.isdisjoint({a.number for a in coa})


def test_gaps_are_used_when_a_block_is_full(write):
    rows = "\n".join(f"10{i}0,Bank {i},Bank,C{i}A" for i in range(10))
    coa = chart(write, "Number,Name,Type,Currency\n" + rows + "\n")
    plan = accounts.plan(coa, ["JPY"], [])
    bank = next(p for p in plan if p.purpose == "bank:JPY")
    assert bank.number == "1001" and bank.number not in {a.number for a in coa}


def test_leading_zeros_are_kept(write):
    coa = chart(write, "Number,Name,Type,Currency\n00100,Bank - USD,Bank,USD\n00110,Bank - EUR,Bank,EUR\n")
    bank = next(p for p in accounts.plan(coa, ["GBP"], []) if p.purpose == "bank:GBP")
    assert bank.number == "00120"


def test_sub_accounts_continue_under_their_parent(write):
    coa = chart(write, """
        Account Code,Account Name,Account Type,Currency,Parent
        1010,Banks,Bank,,
        1010.01,Bank - USD,Bank,USD,1010
        1010.02,Bank - EUR,Bank,EUR,1010
    """)
    bank = next(p for p in accounts.plan(coa, ["CHF"], []) if p.purpose == "bank:CHF")
    assert (bank.number, bank.parent) == ("1010.03", "1010")


def test_running_again_on_an_updated_chart_proposes_nothing(write, tmp_path):
    coa = chart(write, (SAMPLES / "chart-of-accounts.csv").read_text())
    first = accounts.plan(coa, ["USD", "KRW", "BHD"], [("US-TX", "Sales tax", "x"), ("DE", "VAT", "y")], "erpnext")
    assert len({p.number for p in first}) == len(first) and len({p.name for p in first}) == len(first)
    updated = list(coa) + [accounts.Account(p.number, p.name, p.kind, p.currency, p.parent, p.kind, 0) for p in first]
    assert accounts.plan(updated, ["USD", "KRW", "BHD"], [("US-TX", "Sales tax", "x"), ("DE", "VAT", "y")],
                         "erpnext") == []


def test_receivables_per_currency_only_where_the_target_keeps_them(write):
    coa = chart(write, "Number,Name,Type,Currency\n1000,Bank - USD,Bank,USD\n1100,Debtors,Receivable,USD\n")
    assert any(p.purpose == "receivable:JPY" for p in accounts.plan(coa, ["JPY"], [], "quickbooks"))
    assert not any(p.purpose == "receivable:JPY" for p in accounts.plan(coa, ["JPY"], [], "xero"))


@pytest.mark.parametrize("target, header", [
    ("generic", ["Number", "Name", "Type", "Currency", "Parent", "Reason"]),
    ("xero", ["*Code", "*Name", "*Type", "*Tax Code", "Description", "Dashboard", "Expense Claims",
              "Enable Payments", "Balance"]),
    ("quickbooks", ["Account Number", "Account Name", "Type", "Detail Type", "Currency"]),
    ("netsuite", ["External Id", "Account Number", "Account Name", "Account Type", "Description", "Currency",
                  "Subaccount of", "Inactive"]),
    ("odoo", ["code", "name", "account_type", "currency_id"]),
    ("erpnext", ["Account Name", "Parent Account", "Account Number", "Is Group", "Account Type", "Root Type",
                 "Account Currency"]),
])
def test_each_target_import_file(tmp_path, target, header):
    book, out = tmp_path / "plan.xlsx", tmp_path / "import.csv"
    result = CliRunner().invoke(cli, ["accounts", "plan", "--coa", str(SAMPLES / "chart-of-accounts.csv"),
                                      "--currencies", str(SAMPLES / "provider-currencies-2026-q4.txt"),
                                      "--target", target, "--workbook", str(book), "--csv", str(out)],
                                catch_exceptions=False)
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert list(rows[0]) == header
    numbers = [r.get("Number") or r.get("*Code") or r.get("Account Number") or r.get("code") for r in rows]
    assert len(set(numbers)) == len(numbers) and "1020" not in numbers  # 1020 is already Bank - EUR
    sheet = load_workbook(book)["New accounts"]
    assert [c.value for c in sheet[1]][:6] == ["Number", "Name", "Type", "Currency", "Parent", "Reason"]
    assert [c.value for c in sheet[1]][6:] == [f"{target}: {h}" for h in header]
    assert all(sheet.cell(row=r, column=1).data_type == "s" for r in range(2, sheet.max_row + 1))


def test_plan_with_a_nexus_check_adds_tax_payables(tmp_path, write):
    orders = write("o.csv", "date,country,region,amount,currency\n2026-01-02,US,TX,600000,USD\n"
                            "2026-01-02,US,CA,600000,USD\n2026-01-03,DE,,50,EUR\n")
    check_json = tmp_path / "check.json"
    CliRunner().invoke(cli, ["check", "--sales", orders, "--as-of", "2026-06-30", "--format", "json",
                             "--output", str(check_json)], catch_exceptions=False)
    book = tmp_path / "plan.xlsx"
    result = CliRunner().invoke(cli, ["accounts", "plan", "--coa", str(SAMPLES / "chart-of-accounts.csv"),
                                      "--currencies", str(SAMPLES / "provider-currencies-2026-q3.json"),
                                      "--nexus", str(check_json), "--workbook", str(book)], catch_exceptions=False)
    assert "Sales tax payable - Texas (US-TX)" in result.stdout
    assert "California" not in result.stdout  # 2100 Sales tax payable - California (US-CA) exists
    assert "VAT payable - Germany (DE)" in result.stdout
    book_sheets = load_workbook(book)
    assert book_sheets.sheetnames == ["New accounts", "Currencies", "Review", "Sources"]
    links = [c.hyperlink.target for c in book_sheets["Sources"]["B"] if c.hyperlink]
    assert any("six-group.com" in link for link in links)


def test_nothing_to_add_says_so(tmp_path, write):
    coa = write("coa.csv", "Number,Name,Type,Currency\n1000,Bank - USD,Bank,USD\n1200,Provider clearing - USD,"
                           "Current asset,USD\n")
    listing = write("list.txt", "USD\n")
    result = CliRunner().invoke(cli, ["accounts", "plan", "--coa", coa, "--currencies", listing, "--workbook",
                                      str(tmp_path / "p.xlsx")], catch_exceptions=False)
    assert "nothing to add" in result.stdout


@pytest.mark.parametrize("text, problem", [
    ("Number,Name\n1000,Bank\n", "missing column\\(s\\) type"),
    ("Number,Name,Type\n1000,Bank,Bank\n1000,Cash,Bank\n", "is used twice \\(also on line 2\\)"),
    ("Number,Name,Type\n,Bank,Bank\n", "column 'number' value '': is empty"),
])
def test_bad_charts(write, text, problem):
    with pytest.raises((InputError, MissingColumns), match=problem):
        accounts.read_chart(write("coa.csv", text))


def test_column_mapping_for_charts(write, tmp_path):
    coa = write("coa.csv", "Konto,Bezeichnung,Art,Waehrung\n1000,Bank USD,Bank,USD\n")
    listing = write("list.txt", "USD\nEUR\n")
    result = CliRunner().invoke(cli, ["accounts", "plan", "--coa", coa, "--currencies", listing, "--workbook",
                                      str(tmp_path / "p.xlsx"), "--column", "number=Konto", "--column",
                                      "name=Bezeichnung", "--column", "type=Art", "--column", "currency=Waehrung",
                                      "--target", "generic"], catch_exceptions=False)
    assert result.exit_code == 0 and "Bank - EUR" in result.stdout
