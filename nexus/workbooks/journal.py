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

from nexus.account_records import KIND_WORDS
from nexus.accrual import Accrual
from nexus.money import minor_units
from nexus.workbooks.sheet import Column, Formula, Sheet, write_workbook


def _entry_sheet(found: Accrual) -> Sheet:
    entry = found.entry
    code = found.book_currency
    notes: tuple[str, ...] = (found.memo + (f"; reference {entry.reference}" if entry else ""),)
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
               Column("Account name", lambda r: r.get("name", ""), width=52),
               Column("Debit", lambda r: r.get("debit"), "money", currency=lambda r: code),
               Column("Credit", lambda r: r.get("credit"), "money", currency=lambda r: code),
               Column("Memo", lambda r: r.get("memo", ""), width=50, wrap=True)]
    return Sheet("Journal entry", columns, rows, notes=notes, bold=lambda r: bool(r.get("total")), autofilter=False)


def _totals(found: Accrual, first: int, last: int) -> list[dict[str, Any]]:
    """The Accrual sheet's total rows, as an accountant adds amounts: never across currencies. One currency: one
    Total row, in it and in the book currency. Several: a total per currency (the book's first), each in its own
    currency and in the book currency, then the total in the book currency (the entry's), which the estimate
    columns show too, so that their printed page ends on a total that is true rather than on blank cells."""
    book = found.book_currency
    codes = sorted({a.currency for a in found.lines}, key=lambda c: (c != book, c))
    out: list[dict[str, Any]] = []
    for code in codes:
        mine = [a for a in found.lines if a.currency == code]
        alone = len(codes) == 1

        def total(col: str, values: list[Decimal | None]) -> Formula | None:
            known = [v for v in values if v is not None]
            if not known:
                return None  # "not estimated" on every line: a sum of 0 would say there is none
            text = (f"=SUM({col}{first}:{col}{last})" if alone else
                    f'=SUMIF($E${first}:$E${last},"{code}",{col}{first}:{col}{last})')
            return Formula(text, sum(known, Decimal(0)))

        out.append({"label": "Total" if alone else f"{code} total", "currency": code,
                    "what": f"{len(mine)} estimate{'s' * (len(mine) != 1)}",
                    "tax": total("F", [a.tax for a in mine]), "penalty": total("G", [a.penalty for a in mine]),
                    "interest": total("H", [a.interest for a in mine]), "total": total("I", [a.total for a in mine]),
                    "book_tax": total("L", [a.book_tax for a in mine]),
                    "book_extra": total("M", [a.book_extra for a in mine]),
                    "book_total": total("N", [a.book_total for a in mine]), "bold": True})
    if len(codes) > 1:
        r = last + len(codes) + 1
        sums = {key: Formula(f"=SUM({col}{first}:{col}{last})",
                             sum((getattr(a, key) for a in found.lines), Decimal(0)))
                for key, col in (("book_tax", "L"), ("book_extra", "M"), ("book_total", "N"))}
        out.append({"label": f"Total in {book}", "currency": book, "what": "all, converted",
                    "tax": Formula(f"=L{r}", sums["book_tax"].value),
                    "total": Formula(f"=N{r}", sums["book_total"].value), **sums, "bold": True})
    return out


def _apart(found: Accrual) -> list[Any]:
    """The lines whose tax, penalty and interest, each rounded, do not add to their total, rounded once (Japan's
    JPY 2,962,486 + 133,354 + 26,516 against 3,122,357): the sheet says why, or an accountant adding across finds a
    yen missing and no word on it."""
    return [a for a in found.lines if a.tax + (a.penalty or 0) + (a.interest or 0) != a.total]


def _plus(adjustment: Decimal) -> str:
    """The rounding a line carries, written after its ``=ROUND(...)`` (``+0.01``), or nothing."""
    return "" if not adjustment else f"{'+' if adjustment > 0 else '-'}{abs(adjustment)}"


def _spread_note(found: Accrual) -> str:
    """Which lines carry a unit beyond their own rounding, and why: the entry adds to the check's figures."""
    moved = [a for a in found.lines if a.tax_rounding or a.total_rounding]
    if not moved:
        return ""
    book = found.book_currency

    def said(a: Any) -> str:
        parts = [f"{what} {_plus(v)} {book}" for what, v in (("tax", a.tax_rounding), ("credit", a.total_rounding))
                 if v]
        return f"{a.code} ({', '.join(parts)})"

    aim = "the check's total and tax" if found.check_total is not None else "the estimates converted and rounded once"
    return (f" Rounded line by line, the amounts would add to a unit or more away from {aim}; the difference is given "
            f"to the lines whose conversion was nearest the other way (the largest remainders), shown after their "
            f"ROUND: " + ", ".join(said(a) for a in moved) + ".")


def _accrual_sheet(found: Accrual) -> Sheet:
    book = found.book_currency
    places = minor_units(book)
    apart = _apart(found)
    notes = (f"Each estimate in its own currency ({found.scenario} scenario): its total (tax, and the penalty and "
             f"interest estimated) and its tax converted to {book} at the as-of date's rate and rounded once to the "
             f"{book} minor unit; penalty and interest are the difference. The debits are the sums of these."
             + (f" Amounts in different currencies are never added: each currency has its total, then the total in "
                f"{book} is the entry's." if len({a.currency for a in found.lines}) > 1 else "")
             + (" A total is the unrounded tax, penalty and interest rounded once; each of them is rounded on its "
                "own, so they can add to one minor unit (a cent, a yen) more or less than it: "
                + ", ".join(a.code for a in apart) + "." if apart else "")
             + _spread_note(found),)
    first = len(notes) + 2
    rows: list[dict[str, Any]] = []
    for i, a in enumerate(found.lines):
        r = first + i
        rows.append({"a": a, "book_tax": Formula(f"=ROUND(F{r}*J{r},{places}){_plus(a.tax_rounding)}", a.book_tax),
                     "book_extra": Formula(f"=N{r}-L{r}", a.book_extra),
                     "book_total": Formula(f"=ROUND(I{r}*J{r},{places}){_plus(a.total_rounding)}", a.book_total)})
    if found.lines:
        rows += _totals(found, first, first + len(rows) - 1)
    for code, why in found.left_out:
        rows.append({"left_out": (code, why)})

    def get(name: str) -> Any:
        return lambda r: getattr(r["a"], name) if "a" in r else None

    def own_or_total(name: str) -> Any:
        return lambda r: getattr(r["a"], name) if "a" in r else r.get(name)

    own = (lambda r: r["a"].currency if "a" in r else r.get("currency", book))
    columns = [
        Column("Code", lambda r: r["a"].code if "a" in r else r["left_out"][0] if "left_out" in r else r["label"]),
        Column("Jurisdiction", lambda r: r["a"].name if "a" in r else "not accrued" if "left_out" in r
               else r["what"], width=16),
        Column("From", get("start"), "date"), Column("To", get("end"), "date"),
        Column("Currency", own_or_total("currency")),
        Column("Tax", own_or_total("tax"), "money", currency=own),
        Column("Penalty", own_or_total("penalty"), "money", currency=own),
        Column("Interest", own_or_total("interest"), "money", currency=own),
        Column("Total", own_or_total("total"), "money", currency=own),
        Column("Rate to book", get("rate"), "exchange"), Column("Rate date", get("rate_date"), "date"),
        Column(f"Tax in {book}", lambda r: r.get("book_tax"), "money", currency=lambda r: book),
        Column(f"Penalty and interest in {book}", lambda r: r.get("book_extra"), "money", currency=lambda r: book),
        Column(f"Credit in {book}", lambda r: r.get("book_total"), "money", currency=lambda r: book),
        Column("Account", lambda r: f"{r['a'].account.number} {r['a'].account.name}" if "a" in r else "", width=30),
        Column("Note", lambda r: r["a"].note if "a" in r else r["left_out"][1] if "left_out" in r else "", width=40,
               wrap=True),
        Column("Rate source", get("rate_source"), width=30)]
    return Sheet("Accrual", columns, rows, notes=notes, bold=lambda r: bool(r.get("bold")), print_columns=16)


def _accounts_sheet(found: Accrual, ledger: Any) -> Sheet:
    proposed = {p.number: p for p in found.proposed}
    rows = [{"ref": r, "proposal": proposed.get(r.number)} for r in found.used]
    # a ledger that keeps no parent accounts (Xero, Odoo) places each account by its type: that, not a parent
    typed = None if ledger.LEDGER.parents else ledger.placed
    columns = [Column("Number", lambda r: r["ref"].number), Column("Name", lambda r: r["ref"].name, width=40),
               Column("Type", lambda r: KIND_WORDS.get(r["ref"].kind, r["ref"].kind)),
               Column("Under", lambda r: " ".join(r["ref"].parents[-1]) if r["ref"].parents else "") if typed is None
               else Column(ledger.PLACED_BY, lambda r: typed(r["ref"], found.plan)),
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
