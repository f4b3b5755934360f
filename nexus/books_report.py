"""The screens of the books commands: ``nexus currencies review`` (:func:`review_table`), ``nexus accounts plan``
(:func:`plan_table`, :func:`plan_left_out`) and ``nexus accrue`` (:func:`journal_table`), each within the terminal's
width, wrapped by the screen's one wrapper, and the text from the input escaped (:func:`nexus.text_safety.printable`).
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any, Sequence

from nexus.money import format_amount, quantize
from nexus.text_safety import printable, tabulate
from nexus.review import NO_MINOR_UNIT, not_money_reason
from nexus.terminal import _wrap, fit, fit_wrapped


def review_table(review: Any, width: int = 100) -> str:
    """The quarterly review: what changed, then what each new (or, on a first review, listed) currency needs,
    within ``width`` columns (the Action column wraps narrower where the terminal is)."""
    lines = [f"Currency review of {review.provider} on {review.reviewed_on} (compared with {review.compared_with})"
             if not review.first else f"Currency review of {review.provider} on {review.reviewed_on} "
             f"(first review: nothing to compare with)", ""]
    if review.rerun_of:
        lines[-1:] = [f"A re-run of this quarter's review ({review.rerun_of}): the same quarter, not the next one.",
                      ""]
    if review.list_kept_from:
        lines[-1:] = [f"The provider's list could not be fetched: this is the list kept from {review.list_kept_from}, "
                      f"not today's; not kept as a new review. Run it again when the address answers.", ""]
    labels = (("Listed", [d.code for d in review.details]),) if review.first else (
        ("Added", review.added), ("Removed", review.removed), ("Unchanged", review.unchanged))
    # an unknown code with the list's line, as the chart's warnings name theirs: 'ABC (list.txt:4)'
    for label, codes in labels + (("Unknown (not ISO 4217)", [review.at(c) for c in review.unknown]),):
        lines.append(f"{label}: {', '.join(codes) if codes else 'none'}")
    if review.unchanged_missing:
        lines.append("Unchanged, without their accounts in the chart:")
        lines += [f"  {d.code}: {d.action}" for d in review.unchanged_missing]
    if review.missing_fx:
        lines.append("For selling in more than one currency, the chart also lacks: "
                     + ", ".join(name for name, _ in review.missing_fx)
                     + f" ('nexus accounts plan' proposes {'them' if len(review.missing_fx) > 1 else 'it'})")
    unitless = [c for c in review.not_for_sale if not_money_reason(c) == NO_MINOR_UNIT]
    if unitless:
        lines.append(f"Not money a store is paid in: {', '.join(unitless)} (ISO 4217 gives no minor unit: "
                     f"a metal, the SDR, a testing code); no accounts proposed: ask the provider")
    funds = [c for c in review.not_for_sale if c not in unitless]
    if funds:  # CLF, MXV: units of account, each said with the currency its country pays in
        lines.append(f"Not money a store is paid in: {'; '.join(f'{c} ({not_money_reason(c)})' for c in funds)}; no "
                     f"accounts proposed: ask the provider")
    for w in review.withdrawn:
        lines.append(f"Withdrawn: {_withdrawn_words(review, w)}")
    lines = [wrapped for line in lines for wrapped in _wrap(line, width)]
    if review.details:
        rows = [[d.code, d.name, d.minor_units, d.accountant_example, "yes" if d.ecb_rate else "no", d.action]
                for d in review.details]
        headers = ["Code", "Name", "Minor units", "Accountant books", "ECB rate", "Action"]
        # narrower: the Action column wraps down to 30 columns, then the columns its words repeat (minor units,
        # ECB rate) and the booking example are left out, in that order
        drop, keep, action = ["Minor units", "ECB rate", "Accountant books"], list(headers), 70
        while True:
            index = [headers.index(h) for h in keep]
            table = tabulate([[row[i] for i in index] for row in rows], headers=keep, disable_numparse=True,
                             maxcolwidths=[24 if h == "Name" else action if h == "Action" else None for h in keep])
            widest = max(len(line) for line in table.splitlines())
            if widest <= width or (action <= 30 and not drop):
                break
            if action > 30:
                action = max(30, action - (widest - width))
            else:
                keep.remove(drop.pop(0))
                action = 70
        lines += ["", table]
    return printable("\n".join(lines) + "\n")


def _withdrawn_words(review: Any, w: Any) -> str:
    """A withdrawn code of the list with its name, when, the list's line and its successor: 'HRK (Kuna, withdrawn
    2023-01; list.txt:2): use EUR from 2023-01-01'."""
    where = dict(review.listed_at).get(w.code)
    return (f"{w.code} ({w.name}, withdrawn {w.withdrawn}{f'; {where}' if where else ''})"
            + (f": use {w.successor} from {w.changeover}" if w.successor else ""))


def plan_left_out(review: Any) -> str:
    """The codes of the provider's list the plan gives no accounts, and why (withdrawn, not money, not ISO 4217), in
    one sentence; "" where there is none. Said on the plan's screen: the Review sheet alone is easily not opened."""
    said = [_withdrawn_words(review, w) for w in review.withdrawn]
    said += [f"{code}: not money a store is paid in ({not_money_reason(code)})" for code in review.not_for_sale]
    said += [f"{review.at(code)}: not an ISO 4217 code" for code in review.unknown]
    if not said:
        return ""
    return f"No accounts for {len(said)} code{'s' * (len(said) != 1)} of the provider's list: " + "; ".join(said)


#: The purposes a ledger keeps as system accounts of its own (``Ledger.creates_itself``), in the plan's screen's words.
_SYSTEM_WORDS = {"fx-realized": "realized FX gain/loss", "fx-unrealized": "unrealized FX gain/loss",
                 "rounding": "currency rounding", "receivable": "a receivable per currency"}


def ledger_words(ledger: Any, proposals: Sequence[Any]) -> str:
    """What the target's import leaves to the ledger itself, for the plan's screen: the workbook and docs/accounts.md
    said it, and the screen showed Xero's new GBP, CAD... banks with an empty Currency and no FX accounts, unsaid."""
    said = []
    by_hand = [p for p in proposals if p.kind in ledger.currency_by_hand and not p.currency
               and p.purpose.startswith(("bank:", "clearing:"))]
    if by_hand:
        codes = list(dict.fromkeys(p.purpose.split(":")[1] for p in by_hand))
        kinds = list(dict.fromkeys(p.purpose.split(":")[0] for p in by_hand))
        said.append(f"its import carries no account currency: give each new {' and '.join(kinds)} account the "
                    f"currency its name ends with ({', '.join(codes)}) {ledger.currency_where}")
    if not ledger.parents:
        said.append("its chart keeps no parent accounts: each new account goes in by its type, under none")
    kept = [words for purpose, words in _SYSTEM_WORDS.items() if purpose in ledger.creates_itself]
    if kept:
        said.append(f"it keeps {', '.join(kept[:-1]) + ' and ' + kept[-1] if len(kept) > 1 else kept[0]} as "
                    f"system accounts of its own, so the plan proposes none")
    return f"For {ledger.name}: " + "; ".join(said) + "." if said else ""


def plan_table(proposals: list, target: str = "generic", written: Sequence[str] = (), width: int = 100,
               left_out: str = "", ledger: Any = None, placed: tuple[str, Sequence[str]] | None = None) -> str:
    """The plan for a controller in a hurry: how many accounts of what, then each by number; reasons in the workbook.
    Within ``width`` columns: the type (most names say it), then the parent, are left out where the names need
    the room. ``left_out`` (:func:`plan_left_out`) closes the screen: the listed codes given no accounts; ``ledger``
    (the target's) adds what its import leaves to it (:func:`ledger_words`); ``placed``
    (:func:`nexus.targets.placement`) the last column's heading and where each account goes in that ledger, under
    its chart parent unless given."""
    own = ledger_words(ledger, proposals) if ledger is not None else ""
    tail = ["", _para(own, width)] if own else []
    tail += ["", _para(left_out, width)] if left_out else []
    if not proposals:
        return printable("\n".join(["The chart already has every account needed: nothing to add."] + tail) + "\n")
    counts: dict[str, int] = {}
    for p in proposals:
        group = {"bank": "bank", "clearing": "clearing", "receivable": "receivable", "tax": "tax payable",
                 "accrued": "accrued tax exposure"}.get(p.purpose.split(":")[0], "other")
        counts[group] = counts.get(group, 0) + 1
    order = ["bank", "clearing", "receivable", "tax payable", "accrued tax exposure", "other"]
    lines = [_para(f"{len(proposals)} new accounts for {target}: "
                   + ", ".join(f"{counts[g]} {g}" for g in order if g in counts), width), ""]
    heading, places = placed or ("Under", [" ".join(p.parents[-1]) if p.parents else "" for p in proposals])
    rows = [[p.number, p.name, p.type_words, p.currency, place] for p, place in zip(proposals, places)]
    rows = [[printable(cell) for cell in row] for row in rows]  # escaped before the columns are measured
    lines.append(fit(rows, ["Number", "Name", "Type", "Currency", heading], width, drop=("Type", heading)))
    lines += _numbered_apart(proposals, width) + tail
    if written:
        lines += ["", _para("Written: " + ", ".join(written) + " (reasons for each account and number: New accounts "
                            "sheet)", width)]
    return printable("\n".join(lines) + "\n")


#: How a proposal was numbered away from its siblings (the words of :meth:`nexus.numbering.Numberer.next`'s
#: reasons), and what the screen says of it: an accountant reviews these numbers before importing.
_APART = (("kept apart from", "Opened a block of their own beside the accounts they are kept apart from (the "
                              "accrued exposures beside the tax payables)"),
          ("closest empty block", "Opened a new block (the siblings' block was full)"),
          ("closest free number", "Numbered in free places of the range (the siblings' block was full and no empty "
                                  "block was left)"),
          ("finer step", "Numbered at a finer step than the chart's (no number at its step was left in the range; "
                         "free a block and run the plan again for numbers in step)"))


def _numbered_apart(proposals: list, width: int) -> list[str]:
    """The accounts numbered outside their siblings' block, by how: each sort a paragraph of its own."""
    lines = []
    said: set[str] = set()
    for words, heading in _APART:  # each account under the first heading that says how it was numbered
        found = [p for p in proposals if words in p.numbering and p.number not in said]
        said.update(p.number for p in found)
        if found:
            lines += ["", _para(f"{heading}: " + ", ".join(f"{p.number} {p.name}" for p in found), width)]
    return lines


def _signed(amount: Decimal, code: str) -> str:
    return f"{'+' if amount > 0 else '-'}{format_amount(abs(amount), code)}"


def _rate_shown(rate: Decimal, accrued: Sequence[Any], currency: str, book: str) -> str:
    """The rate to six significant digits, or as many more as give each line of ``currency`` the book amounts it was
    converted to, so that a controller multiplying by hand finds the entry's figures: a cross rate through the euro
    (175.68 / 1.1172 = 157.2502685...) shown as 157.250 left the sample's Texas credit 13 yen short."""
    amounts = [a for line in accrued if line.currency == currency for a in (line.tax, line.total)]
    for digits in range(6, 11):  # ten at most: 1 / 1.2 reproduces no line that falls on a half cent
        shown = Decimal(f"{rate:.{digits - 1}e}")  # never '1.6e+2': a rate of 160 read as 160.000
        if all(quantize(a * shown, book) == quantize(a * rate, book) for a in amounts):
            break
    return f"{shown:f}"


def journal_table(accrual: Any, target: str = "generic", written: Sequence[str] = (), width: int = 100) -> str:
    """The accrual entry as a controller reads it: the memo, each line, the totals; what was left out and why;
    the accounts to import first; within ``width`` columns (the terminal's: an 80-column one broke its 100-column
    lines mid-word, the table's included)."""
    def _text(text: str) -> str:
        return _para(text, width)

    entry = accrual.entry
    if entry is None:
        lines = [f"Nothing to accrue for the {accrual.scenario} scenario: no estimate in the check is above zero."]
    else:
        code = entry.currency
        lines = [_text(entry.memo), f"Entry {entry.reference} on {entry.date}, in {code}, for {target}:", ""]
        rows = [[line.account.number, line.account.name, format_amount(line.debit, code) if line.debit else "",
                 format_amount(line.credit, code) if line.credit else ""] for line in entry.lines]
        rows.append(["", "Total", format_amount(entry.debits, code), format_amount(entry.credits, code)])
        rows = [[printable(cell) for cell in row] for row in rows]  # escaped before the columns are measured
        # each account's name wrapped whole where the table is wider than the screen: it names the credit's place
        lines.append(fit_wrapped(rows, ["Account", "Name", "Debit", "Credit"], width, "Name",
                                 align={"Debit": "right", "Credit": "right"}))
        check = getattr(accrual, "check_total", None)
        if check is not None and check != entry.debits:
            lines += ["", _text(f"The check's total is {code} {format_amount(check, code)}, {code} "
                                f"{format_amount(abs(check - entry.debits), code)} "
                                f"{'more' if check > entry.debits else 'less'} than this entry's: more than rounding "
                                f"explains (a place the check could not convert, or left out; docs/exposure.md).")]
        moved = {what: ", ".join(f"{a.code} {_signed(getattr(a, key), code)}" for a in accrual.lines
                                 if getattr(a, key))
                 for what, key in (("tax", "tax_rounding"), ("credit", "total_rounding"))}
        if any(moved.values()):
            aim = "the check's tax and total" if check is not None else "the estimates' tax and total converted"
            lines += ["", _text(f"Rounding: each line is its estimate converted and rounded once; to add to {aim}, "
                                f"rounded once, the lines nearest the next unit (largest remainders) take the "
                                f"difference: " + "; ".join(f"{what} {said}" for what, said in moved.items() if said)
                                + " (docs/exposure.md).")]
        missing = accrual.not_estimated()
        if missing:
            lines += ["", _text("Not in this entry, as they could not be estimated (nexus's data has no figures for "
                                "them; the check's Assumptions say which and why), and the liability may be larger by "
                                "them: " + "; ".join(f"{what} in {', '.join(codes)}" for what, codes in missing)
                                + ".")]
        converted = sorted({(a.currency, str(a.rate), a.rate_date.isoformat(), a.rate_source) for a in accrual.lines
                            if a.currency != code})
        if converted:
            lines += ["", _text("Converted at the as-of rates: " + "; ".join(
                f"1 {c} = {_rate_shown(Decimal(r), accrual.lines, c, code)} {code} ({d}, {s})"
                for c, r, d, s in converted) + ".")]
        if accrual.reversal is not None:
            lines += ["", _text(f"Reversed on {accrual.reversal.date} by entry {accrual.reversal.reference} (every "
                                f"line's sides swapped), written with it: the next check's accrual replaces this "
                                f"one.")]
        else:
            lines += ["", _text(f"This entry is the whole liability estimated to {entry.date}, not its change: "
                                f"reverse it before booking a later check's accrual (--reverse-on DATE writes the "
                                f"reversing entry too), or the liability is counted twice.")]
        if accrual.proposed:
            lines += ["", _text(f"Accounts not in the chart ({len(accrual.proposed)}), numbered as 'nexus accounts "
                                f"plan' numbers them; import them before the entry: "
                                + ", ".join(f"{p.number} {p.name}" for p in accrual.proposed) + ".")]
        renumbered = getattr(accrual, "renumbered", ())
        if renumbered:
            lines += ["", _text("Warning: numbered without --currencies; a plan given a currency list numbers "
                                + ", ".join(f"{name} {there} (here {here})" for here, there, name in renumbered)
                                + ", after a currency rounding account: if your ledger holds the plan's accounts, "
                                  "give --currencies the list given to 'accounts plan', or these lines post to "
                                  "other accounts.")]
    if accrual.left_out:
        lines += ["", _text("Not accrued: " + "; ".join(f"{code}: {why}" for code, why in accrual.left_out) + ".")]
    if written:
        lines += ["", _text("Written: " + ", ".join(written))]
    lines += ["", _text("An estimate for a qualified person to review before it is booked (docs/exposure.md).")]
    return printable("\n".join(lines) + "\n")


def _para(text: str, width: int = 100) -> str:
    """A paragraph wrapped for the screen, later lines indented (the screen's one wrapper, which measures
    double-byte text in screen columns)."""
    return "\n".join(_wrap(text, width))
