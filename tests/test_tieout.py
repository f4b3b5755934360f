"""Tie-out: one check, every output (screen, JSON, workbook, memo) telling the same story.

A controller reads the screen, an accountant the workbook, the CFO the memo and an auditor the JSON, all from one
``nexus check``. The check runs once here (the README's first command, as of 2026-10-31 and as of 2025-06-30) and
each output is read back as its reader reads it: the screen's tables, the JSON's fields, the workbook's cells (with
the values stored beside its formulas) and the memo's jurisdictions table. Per jurisdiction the status and nexus
words, the sales and transactions, the dates, the estimate and the registration held must agree once each output's
own rounding and formatting is applied; an output that deliberately says less must say nothing contrary.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from html.parser import HTMLParser

import pytest
from openpyxl import load_workbook

from conftest import SAMPLES, sample_ledger

AS_OF = ("2026-10-31", "2025-06-30")


def _result(on: str):
    from nexus import presence
    from nexus.check import check
    from nexus.findings import Context
    from nexus.fx import load_rates
    from nexus.registrations import read_registrations
    from nexus.rules import load_rules

    day = date.fromisoformat(on)
    ledger = sample_ledger()
    items = presence.assess(presence.read_presence(str(SAMPLES / "presence.csv")), day)
    rules = load_rules()
    held = read_registrations(str(SAMPLES / "registrations.csv"), rules.countries())
    return check(ledger, rules, day, load_rates(str(SAMPLES / "eurofxref-hist.csv")), presence=items,
                 timed=Context(held))


@dataclass
class Outputs:
    """Every output of one check, as its reader gets it."""

    as_of: str
    screen: str  # the README's screen
    every: str  # the same with --all: every jurisdiction's status
    document: dict
    book: object  # openpyxl, values as stored beside the formulas (read-only: only the sheets read are parsed)
    memo: str


@pytest.fixture(scope="module", params=AS_OF)
def outputs(request, tmp_path_factory):
    from nexus import report_json, terminal
    from nexus.memo import render
    from nexus.workbooks.report import write_check_workbook

    result = _result(request.param)
    folder = tmp_path_factory.mktemp("tieout")
    path = folder / "report.xlsx"
    write_check_workbook(result, str(path))
    # Read-only, the workbook's sheets are parsed as the tests read them (Summary, Findings, Timeline, Exposure),
    # not its month-by-month appendices too: the same values, 1 to 2 s sooner.
    book = load_workbook(path, data_only=True, read_only=True)
    yield Outputs(request.param, terminal.check_screen(result, False, False, terminal.DEFAULT_WIDTH),
                  terminal.check_screen(result, False, True, terminal.DEFAULT_WIDTH),
                  json.loads(report_json.to_json(result)), book, render(result))
    book.close()


# --- reading each output -------------------------------------------------------------------------------------------

def _money_text(amount: Decimal, currency: str, places: int) -> str:
    step = Decimal(1).scaleb(-places)
    return f"{currency} {amount.quantize(step, rounding=ROUND_HALF_UP):,.{places}f}"


def _places(currency: str) -> int:
    from nexus.money import minor_units

    return minor_units(currency)


def _screen_tables(text: str) -> dict[str, dict[str, str]]:
    """Each row of the screen's tables (Act now, Watch, Other), by code (and jurisdiction, for two tests of one
    country), as {column: text}: columns are cut where the dashes under the header row are."""
    rows: dict[str, dict[str, str]] = {}
    lines = text.splitlines()
    for n, line in enumerate(lines):
        if not (line.startswith("------") and n):
            continue
        spans = [m.span() for m in re.finditer(r"-+", line)]
        header = lines[n - 1]

        def cut(row: str) -> list[str]:
            out = []
            for i, (start, end) in enumerate(spans):
                stop = spans[i + 1][0] if i + 1 < len(spans) else len(row)
                begin = start if i == 0 else spans[i - 1][1]
                out.append(row[begin:stop].strip())
            return out

        names = cut(header)
        for row in lines[n + 1:]:
            if not row.strip() or not re.match(r"[A-Z]{2}(-[A-Z0-9]{1,3})?\s", row):
                break
            cells = dict(zip(names, cut(row)))
            key = cells["Code"] if cells["Code"] not in rows else f"{cells['Code']} {cells['Jurisdiction']}"
            rows[key] = cells
    return rows


class _Table(HTMLParser):
    """The memo's jurisdictions table: each row's cells as text, by the row's data-code."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.rows: dict[str, list[str]] = {}
        self.headers: list[str] = []
        self._section = False
        self._code: str | None = None
        self._cell: list[str] | None = None
        self._in_head = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if tag == "section":
            self._section = found.get("id") == "jurisdictions"
        elif self._section and tag == "tr":
            self._code = found.get("data-code")
            if self._code is not None:
                self.rows.setdefault(self._code, [])
        elif self._section and tag in ("td", "th"):
            self._cell = []
            self._in_head = tag == "th" and self._code is None
        elif tag == "br" and self._cell is not None:
            self._cell.append(" | ")

    def handle_endtag(self, tag):
        if tag == "section":
            self._section = False
        elif tag in ("td", "th") and self._cell is not None:
            text = re.sub(r"\s+", " ", "".join(self._cell)).strip()
            if self._in_head and not self.rows:
                self.headers.append(text)
            elif self._code is not None:
                self.rows[self._code].append(text)
            self._cell = None
        elif tag == "tr":
            self._code = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _memo_rows(html: str) -> dict[str, dict[str, str]]:
    table = _Table(html)
    names = ["#", "Jurisdiction", "Nexus", "Since", "Collect from", "Act by", "Sales", "Ratio", "Test", "Estimate"]
    return {code: dict(zip(names, cells)) for code, cells in table.rows.items()}


def _sheet_rows(sheet, header_row: int = 1) -> list[dict[str, object]]:
    header = [c.value for c in sheet[header_row]]
    return [dict(zip(header, row)) for row in sheet.iter_rows(min_row=header_row + 1, values_only=True)
            if row and row[0]]


def _findings_sheet(book) -> dict[str, dict[str, object]]:
    out: dict[str, dict[str, object]] = {}
    for row in _sheet_rows(book["Findings"]):
        code = str(row["Code"])
        out[code if code not in out else f"{code} {row['Jurisdiction']}"] = row
    return out


def _currency_of(cell_format: str) -> tuple[str, int]:
    """The currency and decimals a money cell's number format shows (``#,##0.00 "USD"``)."""
    found = re.search(r'#,##0(?:\.(0+))?\s*"([A-Z]{3})"', cell_format)
    assert found, cell_format
    return found.group(2), len(found.group(1) or "")


def _day(value: object) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value)


def _findings(outputs: Outputs) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for f in outputs.document["findings"]:
        code = f["jurisdiction"]
        out[code if code not in out else f"{code} {f['name']}"] = f
    return out


def _presence_only(f: dict) -> bool:
    """A place listed for its presence alone: no sales there, no sales test applied."""
    return f["sales"] is None and f["status"] not in ("no-sales-tax", "not-covered") and bool(f["presence"])


def _json_money(amount: str | None, currency: str) -> str:
    return "" if amount is None else _money_text(Decimal(amount), currency, _places(currency))


def _screen_rows(outputs: Outputs) -> dict[str, dict[str, str]]:
    return _screen_tables(outputs.every)


def _act_now(outputs: Outputs) -> dict[str, dict[str, str]]:
    """The screen's Act now rows (the table before 'Estimated tax not collected')."""
    part = outputs.screen.split("Act now:", 1)[1].split("\n\n", 1)[0] if "Act now:" in outputs.screen else ""
    return _screen_tables(part)


# --- per jurisdiction ----------------------------------------------------------------------------------------------

def test_every_output_gives_each_place_the_same_status(outputs):
    """The status word: the screen's Status (Watch, Other), the workbook's Status, the memo's badge."""
    found = _findings(outputs)
    screen, act = _screen_rows(outputs), _act_now(outputs)
    sheet, memo = _findings_sheet(outputs.book), _memo_rows(outputs.memo)
    wrong = []
    for key, f in found.items():
        word = "presence only" if _presence_only(f) else f["status"]
        if key in sheet and sheet[key]["Status"] != word:
            wrong.append(f"{key}: workbook {sheet[key]['Status']!r}, JSON {f['status']!r} ({word!r})")
        if key in screen and key not in act and screen[key]["Status"] not in (word, "not sold to"):
            wrong.append(f"{key}: screen {screen[key]['Status']!r}, expected {word!r}")
        badge = memo.get(f["jurisdiction"], {}).get("Nexus", "")
        if f["nexus"] is None and f["jurisdiction"] in memo and not f["part_of"] and not f["scheme"]:
            expected = {"approaching": "watch", "no-sales-tax": "no tax", "not-covered": "no data",
                        "no-rule": "no rule"}.get(word, word)
            if not badge.startswith(expected):
                wrong.append(f"{key}: memo {badge!r}, expected {expected!r}")
    assert not wrong, "\n".join(wrong)


def test_every_output_gives_each_place_the_same_sales_and_transactions(outputs):
    found = _findings(outputs)
    screen, sheet, memo = _screen_rows(outputs), _findings_sheet(outputs.book), _memo_rows(outputs.memo)
    wrong = []
    for key, f in found.items():
        # JSON's null for a period before the first order is "not covered" on paper and screen: unknown, not none
        said = "not covered" if f["status"] == "not-covered" else (
            _json_money(f["sales"], f["currency"]) if f["currency"] else "")
        # Presence alone, with no sale there: JSON's null, the screen's "no sales" (a blank read as not known)
        on_screen = "no sales" if _presence_only(f) and not f["transactions"] and not f["currency"] else said
        if key in screen and screen[key]["Sales"] != on_screen and not (
                screen[key].get("Status") == "not sold to" and f["sales"] in (None, "0", "0.00")):
            wrong.append(f"{key}: screen sales {screen[key]['Sales']!r}, JSON {said!r} ({on_screen!r})")
        if key in sheet:
            row = sheet[key]
            cell = row["Sales"]
            if cell is None or isinstance(cell, str):
                shown = "" if cell is None else cell
            else:
                shown = _money_text(Decimal(str(cell)), f["currency"], _places(f["currency"]))
            if shown != said:
                wrong.append(f"{key}: workbook sales {shown!r}, JSON {said!r}")
            if row["Transactions"] != f["transactions"] and not (_presence_only(f) and not f["transactions"]):
                wrong.append(f"{key}: workbook transactions {row['Transactions']!r}, JSON {f['transactions']!r}")
        code = f["jurisdiction"]
        if code in memo and key == code:
            # The sales, then on lines of their own the transactions and the tax charged (where some place's orders
            # charged any): each the JSON's.
            cell = memo[code]["Sales"].split(" | ")
            lines = [said] + ([] if f["transactions"] is None or not said else
                              [f"{f['transactions']:,} transaction{'s' * (f['transactions'] != 1)}"])
            if len(cell) > len(lines):
                charged = Decimal(f["tax_charged"] or 0)
                lines.append(f"tax {_json_money(f['tax_charged'], f['currency'])}" if charged else "no tax charged")
            if cell != lines:
                wrong.append(f"{key}: memo sales {memo[code]['Sales']!r}, JSON {' | '.join(lines)!r}")
    assert not wrong, "\n".join(wrong)


def test_every_output_gives_each_place_the_same_dates(outputs):
    """Nexus since, collect from, register by (the memo's and screen's Act by), days overdue."""
    found = _findings(outputs)
    act, sheet, memo = _act_now(outputs), _findings_sheet(outputs.book), _memo_rows(outputs.memo)
    wrong = []
    for key, f in found.items():
        since, collect, by, late = (f["nexus_since"] or "", f["collect_from"] or "", f["register_by"] or "",
                                    f["overdue_days"])
        if key in sheet:
            row = sheet[key]
            for column, value in (("Nexus since", since), ("Collect from", collect), ("Register by", by)):
                if _day(row[column]) != value:
                    wrong.append(f"{key}: workbook {column} {_day(row[column])!r}, JSON {value!r}")
            if (row["Days overdue"] or None) != late:
                wrong.append(f"{key}: workbook days overdue {row['Days overdue']!r}, JSON {late!r}")
            if late and row["Act by"] != f"overdue {late} d":
                wrong.append(f"{key}: workbook Act by {row['Act by']!r}, JSON {late} days overdue")
        if key in act:
            row = act[key]
            if row["Since"] != since and not (not since and row["Since"]):
                wrong.append(f"{key}: screen Since {row['Since']!r}, JSON {since!r}")
            if late and row["Act by"] != f"overdue {late} d":
                wrong.append(f"{key}: screen Act by {row['Act by']!r}, JSON {late} days overdue")
            if f["action"] == "register-by" and row["Act by"] != by:
                wrong.append(f"{key}: screen Act by {row['Act by']!r}, JSON register by {by!r}")
        code = f["jurisdiction"]
        if code in memo and key == code and f["nexus"]:
            row = memo[code]
            if (row["Since"], row["Collect from"]) != (since, collect):
                wrong.append(f"{key}: memo since/collect {row['Since']!r}/{row['Collect from']!r}, JSON "
                             f"{since!r}/{collect!r}")
            if late and not row["Act by"].startswith(f"overdue since {by}"):
                wrong.append(f"{key}: memo Act by {row['Act by']!r}, JSON register by {by!r}")
            if f["action"] == "register-by" and row["Act by"].replace("- ", "-") != f"register by {by}":
                wrong.append(f"{key}: memo Act by {row['Act by']!r}, JSON register by {by!r}")
    assert not wrong, "\n".join(wrong)


def _exposure_totals(book) -> dict[str, dict[str, object]]:
    """The Exposure appendix's total row of each estimate, by code."""
    sheet = book["Exposure"]
    header_row = next(n for n, row in enumerate(sheet.iter_rows(values_only=True), 1) if row[0] == "Code")
    out: dict[str, dict[str, object]] = {}
    for row in _sheet_rows(sheet, header_row):
        if row["Month"] == "Total":
            out[str(row["Code"]) if row["Code"] not in out else f"{row['Code']} {row['Jurisdiction']}"] = row
    return out


def test_every_output_gives_each_place_the_same_estimate(outputs):
    """The estimate's central figure, its low to high range, in the reporting currency, after each output's
    rounding (the screen's and memo's text, the workbook's stored value shown to the cent)."""
    found = _findings(outputs)
    act, memo, totals = _act_now(outputs), _memo_rows(outputs.memo), _exposure_totals(outputs.book)
    wrong = []
    for key, f in found.items():
        e = f["exposure"]
        if e is None or e.get("reporting") is None:
            continue
        r = e["reporting"]
        central, low, high = (_json_money(r[k], r["currency"]) for k in ("central", "low", "high"))
        if key in act and act[key]["Est. tax"] != central:
            wrong.append(f"{key}: screen {act[key]['Est. tax']!r}, JSON {central!r}")
        if key in totals:
            row = totals[key]
            shown = tuple(_money_text(Decimal(str(row[f"Reporting {k}"])), r["currency"], _places(r["currency"]))
                          for k in ("central", "low", "high"))
            if shown != (central, low, high):
                wrong.append(f"{key}: workbook {shown}, JSON {(central, low, high)}")
        code = f["jurisdiction"]
        if code in memo and key == code:
            said = memo[code]["Estimate"].split(" | ")
            # "*": the tax was due before the first order read, from which alone the estimate runs (the note under
            # the table says so): where the JSON's estimate starts after the day collection was due
            due_earlier = bool(f["collect_from"] and e["from"]) and e["from"] > f["collect_from"]
            if said[0] != central + "*" * due_earlier or (low != high and said[1:] != [f"{low} to {high}"]):
                wrong.append(f"{key}: memo {memo[code]['Estimate']!r}, JSON {central} ({low} to {high}"
                             f"{', due before the orders' if due_earlier else ''})")
    assert not wrong, "\n".join(wrong)


def test_every_output_gives_each_place_the_same_registration(outputs):
    """The registration held: the JSON's, the workbook's Registered on and Act by, the memo's Act by, and the
    screen's 'Registered and collecting' line (or the place in Act now with its gap)."""
    found = _findings(outputs)
    sheet, memo, act = _findings_sheet(outputs.book), _memo_rows(outputs.memo), _act_now(outputs)
    collecting_line = " ".join(" ".join(outputs.screen.split("Registered and collecting: ", 1)[1:]).split())
    listed = set(re.findall(r"[A-Z]{2}(?:-[A-Z]{2})?", collecting_line.split(".")[0])) if collecting_line else set()
    wrong = []
    for key, f in found.items():
        held = f.get("registration")
        on = held["registered_on"] if held else ""
        if key in sheet and _day(sheet[key]["Registered on"]) != (on or ""):
            wrong.append(f"{key}: workbook registered on {_day(sheet[key]['Registered on'])!r}, JSON {on!r}")
        if f["action"] == "registered":
            gap = f.get("gap")
            if key in sheet and not str(sheet[key]["Act by"]).startswith("gap" if gap else "registered"):
                wrong.append(f"{key}: workbook Act by {sheet[key]['Act by']!r}, JSON registered (gap {gap})")
            code = f["jurisdiction"]
            if code in memo and key == code and not memo[code]["Act by"].startswith(
                    "registered late" if gap else "registered"):
                wrong.append(f"{key}: memo Act by {memo[code]['Act by']!r}, JSON registered (gap {gap})")
            if f["nexus"] and not gap and code not in listed:
                wrong.append(f"{key}: registered and collecting, not on the screen's line {collecting_line!r}")
            if gap and key not in act:
                wrong.append(f"{key}: registered with a gap, not in the screen's Act now")
        elif f["jurisdiction"] in listed and f["nexus"]:
            wrong.append(f"{key}: on the screen's 'Registered and collecting' line, JSON action {f['action']!r}")
    assert not wrong, "\n".join(wrong)


def _screen_money(text: str, words: str) -> str:
    """The amount the screen's money line gives before ``words`` ("USD 1,234.56 with the penalties...")."""
    flat = " ".join(text.split())
    found = re.search(r"([A-Z]{3} [\d,]+(?:\.\d+)?) " + re.escape(words), flat)
    return found.group(1) if found else ""


def _summary_fields(book) -> dict[str, object]:
    return {row[0]: next((v for v in row[1:] if v is not None), None)
            for row in book["Summary"].iter_rows(values_only=True) if row and isinstance(row[0], str)}


def test_every_output_gives_the_same_totals(outputs):
    """Tax at stake (central, low, high), with penalties and interest, through voluntary disclosure, and more
    each month: the screen's money line, the workbook's Summary, the memo's headline, the JSON's total."""
    total = outputs.document["summary"]["exposure_total"]
    if total is None:
        pytest.skip("no estimate on this date")
    c = total["currency"]
    central, low, high = (_json_money(total["tax"][k], c) for k in ("central", "low", "high"))
    base, vda, month = (_json_money(total[k], c) for k in ("base", "vda", "registered_now_per_month"))
    fields = _summary_fields(outputs.book)

    def book(label):
        value = fields[label]
        return _money_text(Decimal(str(value)), c, _places(c))

    assert (book("Tax not collected (central)"), book("Range: state rate only"),
            book("Range: highest combined rate")) == (central, low, high)
    assert _money_text(Decimal(str(fields["Tax not collected (central)"])) + Decimal(
        str(fields["Penalties and interest estimated"])), c, _places(c)) in (base, _money_text(
            Decimal(total["tax"]["central"]) + Decimal(total["penalty"]) + Decimal(total["interest"]), c, _places(c)))
    assert book("Through voluntary disclosure") == vda
    assert book("More each month until registered") == month
    flat = " ".join(outputs.screen.split())
    assert f"Estimated tax not collected: {central} (range {low} to {high}" in flat
    assert _screen_money(outputs.screen, "with the penalties and interest") == base
    assert _screen_money(outputs.screen, "through voluntary disclosure") == vda
    assert _screen_money(outputs.screen, "more each month until registered") == month
    memo = " ".join(re.sub(r"<[^>]+>", " ", outputs.memo).split())
    assert f"{central} ({low} to {high}" in memo
    assert f"{base} with the penalties and interest" in memo and f"{vda} through voluntary disclosure" in memo
    assert f"{month} more each month until registered" in memo
    if total["once_due"]:
        # the workbook's 'More each month from 2026-12-01 (US-TN)': the memo said only '(US-TN from 2026-12-01)'
        later = total["once_due"][0]
        assert (f"{month} more each month until registered, and from {later['from']} "
                f"{_json_money(total['once_due_per_month'], c)} a month more ({later['jurisdiction']})") in memo
        assert fields[f"More each month from {later['from']} ({later['jurisdiction']})"] is not None
        assert book(f"More each month from {later['from']} ({later['jurisdiction']})") == _json_money(
            total["once_due_per_month"], c)
        # written as the JSON gives it, rounded once in the currency's minor unit: the cell held 885.6722052058193,
        # shown as 885.67 but summed by a spreadsheet as what it holds
        held = Decimal(str(fields[f"More each month from {later['from']} ({later['jurisdiction']})"]))
        assert held == Decimal(total["once_due_per_month"])


def test_the_accrual_journal_books_what_the_check_estimates(outputs):
    """``nexus accounts journal`` from the check's JSON: per jurisdiction the tax and the scenario's total are the
    estimate's, the tax in the book currency its reporting figure (a unit more or less where the line takes the
    rounding difference, said); the entry totals the check's total, and its tax debit the check's tax."""
    from nexus import accrual, books_report
    from nexus.chart import read_chart

    total = outputs.document["summary"]["exposure_total"]
    if total is None:
        pytest.skip("no estimate on this date")
    chart = read_chart(str(SAMPLES / "chart-of-accounts.csv"))
    c = total["currency"]
    found = _findings(outputs)
    for scenario, expected in (("base", total["base"]), ("vda", total["vda"])):
        entry = accrual.accrue(outputs.document, chart, scenario)
        assert entry.entry is not None and entry.book_currency == c
        booked, said = _money_text(entry.entry.debits, c, _places(c)), _json_money(expected, c)
        assert booked == said, scenario
        if scenario == "base":
            assert entry.entry.lines[0].debit == Decimal(total["tax"]["central"])
        table = " ".join(books_report.journal_table(entry).split())
        assert "The check's total is" not in table
        assert all(f"{line.code} " in table for line in entry.lines if line.tax_rounding or line.total_rounding)
        for line in entry.lines:
            f = next(f for f in found.values() if f["jurisdiction"] == line.code and f["exposure"])
            e = f["exposure"]
            figures = e["scenarios"][scenario]
            assert (_money_text(line.tax, line.currency, _places(line.currency)),
                    _money_text(line.total, line.currency, _places(line.currency)),
                    _money_text(line.book_tax - line.tax_rounding, c, _places(c))) == (
                _json_money(figures["tax"]["central"], e["currency"]), _json_money(figures["total"], e["currency"]),
                _json_money(e["reporting"]["central"], c)), (scenario, line.code)


def test_every_output_says_the_same_why_nexus(outputs):
    """Why nexus exists: the JSON's ``nexus`` (with a presence that creates it beside a met test), the screen's
    Nexus from, the workbook's Nexus column and the memo's badge."""
    found = _findings(outputs)
    act, sheet, memo = _act_now(outputs), _findings_sheet(outputs.book), _memo_rows(outputs.memo)
    wrong = []
    for key, f in found.items():
        both = f["nexus"] == "economic" and f["presence_verdict"] == "creates"
        if key in sheet and (sheet[key]["Nexus"] or None) != f["nexus"]:
            wrong.append(f"{key}: workbook Nexus {sheet[key]['Nexus']!r}, JSON {f['nexus']!r}")
        if key in act and f["nexus"]:
            expected = "sales, presence" if both else {"economic": "sales test", "presence": "presence"}[f["nexus"]]
            if act[key]["Nexus from"] != expected:
                wrong.append(f"{key}: screen Nexus from {act[key]['Nexus from']!r}, JSON {f['nexus']!r}")
        elif f["nexus"] and not f["part_of"] and f["action"] != "registered":
            wrong.append(f"{key}: nexus {f['nexus']!r} in the JSON, not in the screen's Act now")
        code = f["jurisdiction"]
        if code in memo and key == code and f["nexus"]:
            badge = memo[code]["Nexus"]
            if not badge.startswith({"economic": "sales", "presence": "presence", "establishment": "home"}[f["nexus"]]):
                wrong.append(f"{key}: memo {badge!r}, JSON {f['nexus']!r}")
            if both and "physical presence" not in badge:
                wrong.append(f"{key}: memo {badge!r} does not say the presence that creates nexus too")
    assert not wrong, "\n".join(wrong)


def test_a_window_that_has_ended_is_not_a_deadline_still_to_come(outputs):
    """Virginia as of 2026-10-31: nexus from a server there from 2021-05-01 to 2024-06-30, before the first order;
    the screen says 'Potential exposure before the first order, not estimated: US-VA (presence 2021-05-01 to
    2024-06-30)' and the workbook's Assumptions 'tax was due from 2021-05-01'; the memo's Act by said 'no deadline
    yet', as if no registration had ever been due there. As of 2025-06-30 the server stood in the year Virginia's
    rule measures (2024), and how long Virginia keeps nexus after presence ends is unknown: nexus is open, no window
    has ended, and no output says one has."""
    windows = [w for w in _findings(outputs)["US-VA"]["nexus_windows"] if w["until"]]
    if outputs.as_of == "2025-06-30":
        assert windows == [] and "nexus ended" not in _memo_rows(outputs.memo)["US-VA"]["Act by"]
        assert "US-VA (presence" not in " ".join(outputs.screen.split())
        return
    assert [(w["since"], w["until"]) for w in windows] == [("2021-05-01", "2024-06-30")]
    assert "US-VA (presence 2021-05-01 to 2024-06-30)" in " ".join(outputs.screen.split())
    said = _memo_rows(outputs.memo)["US-VA"]["Act by"]
    assert said == "no deadline now; nexus ended (presence 2021-05-01 to 2024-06-30): tax for it may still be owed"


def test_no_status_code_is_written_into_a_sentence(outputs):
    """As of 2025-06-30 Japan's reasons (JSON, workbook, memo) said 'the sales test is not-covered', and the memo's
    Nexus column 'sales test not-covered': a code where a CFO reads a sentence."""
    reasons = " ".join(r for f in outputs.document["findings"] for r in f["reasons"])
    memo = " ".join(re.sub(r"<[^>]+>", " ", outputs.memo).split())
    for code in ("not-covered", "no-rule", "no-sales-tax"):
        assert f"sales test is {code}" not in reasons and f"sales test {code}" not in memo
    if outputs.as_of == "2025-06-30":
        japan = _findings(outputs)["JP"]
        assert "the sales test is not covered by the data, and is not what creates it" in japan["reasons"][0]
        assert _memo_rows(outputs.memo)["JP"]["Nexus"] == "presence sales test not covered by the data"


def test_every_output_gives_each_place_the_same_share_of_its_threshold(outputs):
    """The JSON's exact ratio, rounded down to a whole percent (so that 79.6% never reads as 80%): the screen's Ratio,
    the workbook's Share of threshold (a number shown as 0%), the memo's Ratio; the screen and the memo mark a share
    the transaction count gives."""
    found = _findings(outputs)
    screen, sheet, memo = _screen_rows(outputs), _findings_sheet(outputs.book), _memo_rows(outputs.memo)
    wrong = []
    for key, f in found.items():
        ratio = f["ratio"]
        said = "" if ratio is None else f"{int(Decimal(ratio) * 100)}%" + _by_count(f)
        if key in screen and "Ratio" in screen[key] and screen[key]["Ratio"] != said and not (
                screen[key].get("Status") == "not sold to" and said in ("", "0%")):
            wrong.append(f"{key}: screen {screen[key]['Ratio']!r}, JSON {ratio!r}")
        if key in sheet:
            cell = sheet[key]["Share of threshold"]
            shown = "" if cell is None else f"{int((Decimal(str(cell)) * 100).to_integral_value())}%"
            if shown != said.removesuffix(" txns"):  # a number: the Findings sheet gives the transactions beside it
                wrong.append(f"{key}: workbook {cell!r}, JSON {ratio!r}")
        code = f["jurisdiction"]
        # the memo gives "txns" on a line under the share (" | " here)
        if code in memo and key == code and memo[code]["Ratio"].replace(" | ", " ") != said and not f["part_of"]:
            wrong.append(f"{key}: memo {memo[code]['Ratio']!r}, JSON {ratio!r}")
    assert not wrong, "\n".join(wrong)


def _by_count(f: dict) -> str:
    """' txns' where the JSON's transactions, not its sales, come nearer an OR test's threshold (the screen and the
    memo mark such a share: Virginia's 89% is 179 of 200 transactions, its USD 81,664.32 only 81% of USD 100,000)."""
    test = f.get("threshold") or {}
    if f["ratio"] is None or not test.get("sales") or not test.get("transactions") or test.get("combine") != "or" \
            or f["sales"] is None:
        return ""
    return " txns" if Decimal(f["transactions"]) / test["transactions"] > Decimal(f["sales"]) / Decimal(test["sales"]) \
        else ""


def test_the_summary_does_not_tell_registered_places_to_register(outputs):
    """As of 2025-06-30 the Summary's 'Jurisdictions by status' said '5 exceeded: the sales test is met: potential
    exposure; register and collect', four of them (EU, DE, FR, GB) registered and collecting, as the same page said
    two blocks above ('Registered and collecting: EU, GB (the EU registration covers DE, FR)')."""
    exceeded = [f for f in outputs.document["findings"] if f["status"] == "exceeded"]
    assert any(f["action"] == "registered" for f in exceeded)
    rows = list(outputs.book["Summary"].iter_rows(values_only=True))
    meaning = next(row[2] for row in rows if row[1] == "exceeded" and isinstance(row[0], int))
    assert meaning == "sales test met: potential exposure unless registered and collecting"


def _memo_timeline(html: str) -> list[tuple[str, str, str]]:
    """The memo's table of deadlines, registrations and crossings: (date, code, event) per row."""
    part = html.split('id="timeline"', 1)[1].split("</section>", 1)[0] if 'id="timeline"' in html else ""
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", part, re.S):
        cells = [" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        if len(cells) >= 3:
            code = re.search(r"\(([A-Z]{2}(?:-[A-Z0-9]{1,3})?)\)", cells[1])
            rows.append((cells[0], code.group(1) if code else cells[1], cells[2]))
    return rows


def test_every_output_gives_the_same_timeline(outputs):
    """Every dated event (nexus since, collect from, register by, registered, crossed): the JSON's timeline and the
    workbook's Timeline event for event; the memo's table lists the deadlines, registrations and projected crossings
    of it (its caption says so: a sales test crossed where presence already made nexus is on the workbook's)."""
    events = [(e["date"], e["jurisdiction"], e["event"]) for e in outputs.document["summary"]["timeline"]]
    sheet = outputs.book["Timeline"]
    header_row = next(n for n, row in enumerate(sheet.iter_rows(values_only=True), 1) if row[0] == "Date")
    book = [(_day(r["Date"]), str(r["Code"]), r["Event"]) for r in _sheet_rows(sheet, header_row)]
    assert sorted(book) == sorted(events)
    memo = _memo_timeline(outputs.memo)
    shown = {"register by", "registered", "projected crossing"}
    missing = sorted(set(e for e in events if e[2] in shown) - set(memo))
    extra = sorted(set(memo) - set(events))
    assert not missing and not extra, (missing, extra)


def test_every_output_counts_the_same_places_to_act_on(outputs):
    """Act now: the screen's 'potential exposure in 16 jurisdictions', the memo's headline, the workbook's Summary.
    The Summary said 'Act now: 16 jurisdictions with nexus', while its Findings, the memo's counts (17 from sales,
    4 from presence) and the JSON gave nexus in 21: the five registered and collecting are not to act on, but have
    nexus."""
    act = len(_act_now(outputs))
    with_nexus = sum(1 for f in outputs.document["findings"] if f["nexus"])
    assert f"Act now: potential exposure in {act} jurisdictions, most urgent first" in outputs.screen
    memo = " ".join(re.sub(r"<[^>]+>", " ", outputs.memo).split())
    assert f"Potential tax exposure in {act} jurisdictions as of {outputs.as_of}" in memo
    headings = [row[0] for row in outputs.book["Summary"].iter_rows(values_only=True)
                if isinstance(row[0], str) and row[0].startswith("Act now")]
    assert headings == [f"Act now: potential exposure in {act} jurisdictions, most urgent first"]
    assert with_nexus > act  # the registered places: nexus, nothing to act on


def test_the_registrations_nothing_requires_are_named_alike(outputs):
    """Colorado: registered, and nothing in the orders or the presence file requires it. The screen said so
    ('Registered where nothing in the data requires it: US-CO.'), the JSON lists it (registrations_without_exposure),
    and the workbook's Summary, which names the places registered and collecting, said nothing of it (both dates)."""
    held = [r["jurisdiction"] for r in outputs.document["summary"]["registrations_without_exposure"]]
    assert held == ["US-CO"]
    line = f"Registered where nothing in the data requires it: {', '.join(held)}."
    assert line in " ".join(outputs.screen.split())
    assert line in [row[0] for row in outputs.book["Summary"].iter_rows(values_only=True)]
