"""The accrual workbook (``nexus accounts journal --workbook``), declared through :mod:`nexus.workbooks.sheet`.

* **Journal entry** (printed): the entry line by line as the ledger gets it, debits and credits summed with
  ``=SUM()`` and checked by a formula that shows ``Yes`` when they balance.
* **Accrual** (printed): each jurisdiction's estimate in its own currency for the scenario, the rate to the
  book currency and its date, and the booked amounts as formulas (``=ROUND(tax*rate, 2)``) stored with the
  amounts nexus booked; then what was not accrued, and why.
* **Accounts**: the accounts the entry posts to, in the chart or proposed (numbered as ``accounts plan``
  numbers them: import those first), and the ledger's journal import template.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from nexus.accrual import Accrual
from nexus.accounts import KIND_WORDS
from nexus.money import minor_units
from nexus.workbooks.sheet import Column, Formula, Sheet, write_workbook


def _entry_sheet(found: Accrual) -> Sheet:
    entry = found.entry
    code = found.book_currency
    notes = (found.memo + (f"; reference {entry.reference}" if entry else ""),)
    if found.reversal is not None:
        notes += (f"Reversed on {found.reversal.date} by entry {found.reversal.reference} (every line's sides "
                  f"swapped), in the journal file with it.",)
    elif entry is not None:
        notes += ("The whole liability estimated to the entry's date, not its change: reverse it before booking a "
                  "later check's accrual (--reverse-on), or the liability is counted twice.",)
    rows: list[dict[str, Any]] = []
    if entry is not None:
        first = len(notes) + 2
        for line in entry.lines:
            rows.append({"date": entry.date, "account": line.account.number, "name": line.account.name,
                         "debit": line.debit or None, "credit": line.credit or None, "memo": line.memo})
        last = first + len(rows) - 1
        rows.append({"name": "Total", "debit": Formula(f"=SUM(D{first}:D{last})", entry.debits),
                     "credit": Formula(f"=SUM(E{first}:E{last})", entry.credits), "total": True})
        rows.append({"name": "Balanced", "debit": Formula(f'=IF(D{last + 1}=E{last + 1},"Yes","No")', "Yes"),
                     "total": True})
    columns = [Column("Date", lambda r: r.get("date"), "date"), Column("Account", lambda r: r.get("account", "")),
               Column("Account name", lambda r: r.get("name", ""), width=40),
               Column("Debit", lambda r: r.get("debit"), "money", currency=lambda r: code),
               Column("Credit", lambda r: r.get("credit"), "money", currency=lambda r: code),
               Column("Memo", lambda r: r.get("memo", ""), width=50, wrap=True)]
    return Sheet("Journal entry", columns, rows, notes=notes, bold=lambda r: bool(r.get("total")), autofilter=False)


def _accrual_sheet(found: Accrual) -> Sheet:
    book = found.book_currency
    places = minor_units(book)
    notes = (f"Each estimate in its own currency ({found.scenario} scenario): its total (tax, and the penalty and "
             f"interest estimated) and its tax converted to {book} at the as-of date's rate and rounded once to the "
             f"{book} minor unit; penalty and interest are the difference. The debits are the sums of these.",)
    first = len(notes) + 2
    rows: list[dict[str, Any]] = []
    for i, a in enumerate(found.lines):
        r = first + i
        rows.append({"a": a, "book_tax": Formula(f"=ROUND(F{r}*J{r},{places})", a.book_tax),
                     "book_extra": Formula(f"=N{r}-L{r}", a.book_extra),
                     "book_total": Formula(f"=ROUND(I{r}*J{r},{places})", a.book_total)})
    if found.lines:
        last = first + len(rows) - 1
        sums = {key: Formula(f"=SUM({col}{first}:{col}{last})", sum((getattr(a, key) for a in found.lines), Decimal(0)))
                for key, col in (("book_tax", "L"), ("book_extra", "M"), ("book_total", "N"))}
        rows.append({"total": True, **sums})
    for code, why in found.left_out:
        rows.append({"left_out": (code, why)})

    def get(name: str) -> Any:
        return lambda r: getattr(r["a"], name) if "a" in r else None

    own = (lambda r: r["a"].currency if "a" in r else book)
    columns = [
        Column("Code", lambda r: r["a"].code if "a" in r else r["left_out"][0] if "left_out" in r else "Total"),
        Column("Jurisdiction", lambda r: r["a"].name if "a" in r else "not accrued" if "left_out" in r else "",
               width=16),
        Column("From", get("start"), "date"), Column("To", get("end"), "date"),
        Column("Currency", get("currency")),
        Column("Tax", get("tax"), "money", currency=own), Column("Penalty", get("penalty"), "money", currency=own),
        Column("Interest", get("interest"), "money", currency=own),
        Column("Total", get("total"), "money", currency=own),
        Column("Rate to book", get("rate"), "exchange"), Column("Rate date", get("rate_date"), "date"),
        Column(f"Tax in {book}", lambda r: r.get("book_tax"), "money", currency=lambda r: book),
        Column(f"Penalty and interest in {book}", lambda r: r.get("book_extra"), "money", currency=lambda r: book),
        Column(f"Credit in {book}", lambda r: r.get("book_total"), "money", currency=lambda r: book),
        Column("Account", lambda r: f"{r['a'].account.number} {r['a'].account.name}" if "a" in r else "", width=30),
        Column("Note", lambda r: r["a"].note if "a" in r else r["left_out"][1] if "left_out" in r else "", width=40,
               wrap=True),
        Column("Rate source", get("rate_source"), width=30)]
    return Sheet("Accrual", columns, rows, notes=notes, bold=lambda r: bool(r.get("total")), print_columns=16)


def _accounts_sheet(found: Accrual, ledger: Any) -> Sheet:
    proposed = {p.number: p for p in found.proposed}
    rows = [{"ref": r, "proposal": proposed.get(r.number)} for r in found.used]
    columns = [Column("Number", lambda r: r["ref"].number), Column("Name", lambda r: r["ref"].name, width=40),
               Column("Type", lambda r: KIND_WORDS.get(r["ref"].kind, r["ref"].kind)),
               Column("Under", lambda r: " ".join(r["ref"].parents[-1]) if r["ref"].parents else ""),
               Column("In the chart", lambda r: "no: proposed" if r["proposal"] else "yes"),
               Column("Why", lambda r: r["proposal"].reason if r["proposal"] else "", width=50, wrap=True),
               Column("Numbering", lambda r: r["proposal"].numbering if r["proposal"] else "", width=40)]
    notes = (f"Accounts the entry posts to. Those not in the chart are numbered as 'nexus accounts plan' numbers "
             f"them: import them first ({ledger.NAME}: {ledger.DOCS}); the journal's layout: {ledger.JOURNAL_DOCS}.",)
    return Sheet("Accounts", columns, rows, notes=notes, print_columns=6)


def write_journal_workbook(found: Accrual, ledger: Any, path: str) -> None:
    """Write the accrual workbook for ``found`` (``ledger``: the target module) to ``path``."""
    write_workbook(path, [_entry_sheet(found), _accrual_sheet(found), _accounts_sheet(found, ledger)],
                   title=f"Accrued tax exposure as of {found.as_of.isoformat()}, {found.scenario} scenario",
                   subject="The accrual of the estimated tax at stake", as_of=found.as_of)
