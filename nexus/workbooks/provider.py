"""The provider comparison workbook, declared through the workbook layer's public API (Sheet, Column,
write_workbook), so it follows the layer's print rules; it moves into ``nexus/workbooks/`` with the others.

* **Summary**: each verdict (most consequential first) with its dates, as the memo's first page gives them, then the
  candidates side by side;
* **Presence delta**: one row per item a candidate adds or takes away, with its verdict, reason and source
  (a reason written out once per candidate, later rows pointing to it);
* **Nexus delta**: every finding today and under each candidate, changed ones first, with why; places with
  neither nexus nor sales either way in one row per candidate, with their codes;
* **Potential exposure**: per candidate, the estimated tax a year in each place where it creates nexus, and the
  total (:mod:`nexus.provider_exposure`);
* **Currencies**: currencies added (and each country using one: whether you sell there, the rule there),
  dropped, withdrawn or unknown, and the sales converted into the settlement currency;
* **Accounts**: the accounts the plan would add, and which of them today's set-up needs anyway;
* **Checklist**: each answer, with what a no, partial or unknown means for tax and books;
* **Sources**: the profiles, their references and the rules and tables behind the figures.

How it prints (A4 or Letter, through the layer's rules): one row per record, its sentences (a reason, a note,
what an answer means) wrapped in a cell of a set width beside its figures, the layer setting each row as tall as
its text. Each sheet's printed columns fit one landscape page at no less than the layer's floor, so it prints in
one column group: no page of figures without their reasons, no rows printed empty but for a candidate and a
code. Columns a reader does not need on paper stay in the workbook after the printed ones, and each page's header
names them: the links of the Presence delta and the Checklist (LibreOffice prints a link on one line, cut at its
column's edge; every address prints whole on the Sources sheet), a sheet's period and factor (said in its
totals' notes), the two estimates whose difference the tax no longer yours is. On the Sources sheet a source too
long for its column (a web address of 150 characters) goes on in the rows under it, cut after a '/' where it
can be, its first row linking the whole; a 'What' the source before it said is not said again.
"""
from __future__ import annotations

import os
import re
import textwrap
from dataclasses import replace
from decimal import Decimal
from typing import Any, Iterable, Sequence

from nexus.money import minor_units, quantize
from nexus.provider import Candidate, Comparison, home_words, sources
from nexus.provider_changes import NexusChange, grounds
from nexus.provider_report import (COLLECTOR_WORDS, _exposure_cell, _open_words, accrued_total, dates_words,
                                   exposure_sentence, footing_words, net_cell, net_sentence, place_notes, removed_cell,
                                   removed_sentence, stock_sentences)
from nexus.workbooks.sheet import (_SAMPLE_ROWS, CHARACTERS_PER_DIGIT, LANDSCAPE_PIXELS, MAX_URL, MIN_SCALE, Column,
                                   Link, Sheet, _pixels, _widths, text_width, write_workbook)

Row = dict[str, Any]


def _places(count: int) -> str:
    return f"{count} place" if count == 1 else f"{count} places"


def _column(header: str, key: str, width: int | None = None, kind: str = "text", currency: str | None = None,
            wrap: bool | None = None) -> Column:
    return Column(header, lambda r: r.get(key), kind, (lambda r: r.get(currency) or "USD") if currency else None,
                  width=width, wrap=wrap)


def _money(header: str, key: str, rows: Sequence[Row], currency: str = "currency") -> Column:
    """A money column as wide as its widest figure ("263,701,632 JPY"), not its header, which wraps between words."""
    def shown(row: Row) -> int:
        value = row.get(key)
        if value is None or isinstance(value, (str, bool)):
            return 0
        return len(f"{Decimal(value):,.{minor_units(row.get(currency) or 'USD')}f} XXX")
    return _column(header, key, max([shown(r) for r in rows] + [8]) + 2, "money", currency)


def _note(header: str, key: str, width: int) -> Column:
    """A column of sentences, wrapped in its cell at ``width``: the row grows as tall as its text, beside its
    figures."""
    return _column(header, key, width, wrap=True)


#: The Summary's label column, and its widest candidate column.
_LABEL_WIDTH, _CANDIDATE_WIDTH = 26, 60


def _candidate_width(count: int) -> int:
    """The width of each candidate's Summary column: 60, narrowed so that up to four candidates print side by side
    on the one landscape page (at the scale every sheet keeps to). At 60 the third candidate printed on a page of
    its own, away from the two it is compared with; the verdicts wrap in more lines instead."""
    budget = LANDSCAPE_PIXELS / MIN_SCALE - _pixels(_LABEL_WIDTH)
    fitted = int((budget / max(count, 1) - 5) / 7)  # a column of w digits takes 7w + 5 pixels (sheet._pixels)
    return max(30, min(_CANDIDATE_WIDTH, fitted))


def _summary(comparison: Comparison) -> Sheet:
    cs = comparison.candidates

    def codes(items: Iterable[str]) -> str:
        return ", ".join(items) or "none"

    table = [
        ("Seller established in", lambda c: home_words(comparison.setup.home)),
        ("New nexus", lambda c: f"{len(c.new_nexus)}: {codes(r.counted_label for r in c.new_nexus)}"),
        ("Potential exposure a year", _exposure_cell),
        ("Nexus removed", lambda c: f"{len(c.nexus_removed)}: {codes(r.counted_label for r in c.nexus_removed)}"),
        ("Tax no longer yours to collect a year", removed_cell),
        ("Net change a year in the tax you collect", net_cell),
    ] + ([("VAT registration for stock in the EU", lambda c: codes(
        f"{s.jurisdiction} ({s.registration_words.split(':')[0]})" for s in c.stock))]
        if any(c.stock for c in cs) else []) + [
        ("Presence it creates", lambda c: f"{len(c.presence_effects('creates'))}: "
                                          f"{codes(p.jurisdiction for p in c.presence_effects('creates'))}"),
        ("Presence to review", lambda c: _places(len(c.presence_effects('review')))),
        ("Presence removed", lambda c: f"{len(c.presence_effects('removes'))}: "
                                       f"{codes(p.jurisdiction for p in c.presence_effects('removes'))}"),
        ("Hosting", lambda c: c.profile.cloud or "not given"),
        ("CDN", lambda c: codes(c.profile.cdns)),
        ("Holds stock in", lambda c: codes(i.location for i in c.profile.items if i.kind == "third-party-inventory")),
        ("Marketplace facilitator in", lambda c: codes(c.profile.facilitator)),
        ("Merchant of record in", lambda c: codes(c.profile.merchant)),
        ("Channels it brings", lambda c: codes(c.profile.channels)),
        ("Currencies offered", lambda c: f"{c.currencies.sold_in}" + (
            f" ({c.currencies.not_sold_in})" if c.currencies.not_sold_in else "")),
        ("Currencies added", lambda c: codes(a.detail.code for a in c.currencies.added)),
        ("Currencies dropped", lambda c: codes(code for code, _ in c.currencies.dropped)),
        ("Settlement currency", lambda c: c.currencies.settlement or "not given"),
        ("New accounts", lambda c: "no chart given" if c.new_accounts is None else f"{len(c.new_accounts)}"),
        ("Open checklist items", lambda c: f"{_open_words(c)} of {len(c.checklist)}"),
        ("Profile", lambda c: c.profile.path),
    ]
    keys = [f"c{i}" for i in range(len(cs))]
    # The verdicts lead, each wrapped in its candidate's column.
    rows: list[Row] = [{"what": "Verdict", "head": True} | {k: c.verdict() for k, c in zip(keys, cs)}]
    # The dates under each verdict, as the memo's first page gives them: when new nexus starts, how long nexus the move
    # removes keeps you liable, where you stay registered (the Tax no longer yours sheet's notes, place by place).
    dates = [dates_words(c).removeprefix("Dates: ") for c in cs]
    if any(dates):
        rows.append({"what": "Dates"} | {k: (d[:1].upper() + d[1:]) if d else "No date changes."
                                         for k, d in zip(keys, dates)})
    rows.append({"what": ""})
    rows += [{"what": what} | {k: value(c) for k, c in zip(keys, cs)} for what, value in table]
    rows.append({"what": "Description"} | {k: c.profile.description for k, c in zip(keys, cs)})
    columns = [_column(f"As of {comparison.as_of}", "what", _LABEL_WIDTH, wrap=True)] + [
        _note(c.name, k, _candidate_width(len(cs))) for k, c in zip(keys, cs)]
    return Sheet("Summary", columns, rows, bold=lambda r: bool(r.get("head")))


def _presence(comparison: Comparison) -> Sheet:
    """One row per item added or taken away; items in places where nothing but a safe harbor results are
    summed up in one row per candidate, kind and rule (a CDN's caches in a hundred countries), with the places.
    A reason is written out once per candidate; a later item it also covers points to the first."""
    rows: list[Row] = []
    for c in comparison.candidates:
        quiet: dict[tuple[str, str, str, str], list[str]] = {}
        # A rule's reason runs to several lines; a CDN's caches in forty states cite the same one. It is written
        # once per candidate and the later rows point to it, each keeping its own source.
        said: dict[str, str] = {}
        for p in c.presence:
            for change, verdicts in (("added", p.added), ("removed", p.removed)):
                for v in verdicts:
                    reason = v.reasons[0] if v.reasons else ""
                    source = v.sources[0] if v.sources else ""
                    if p.effect == "safe-harbor":
                        quiet.setdefault((change, v.item.kind, reason, source), []).append(p.jurisdiction)
                        continue
                    row = {"candidate": c.name, "code": p.jurisdiction, "name": p.name, "effect": p.effect,
                           "today": p.today or "none", "under": p.under or "none", "status": p.status or "",
                           "change": change, "kind": v.item.kind, "location": v.item.location,
                           "verdict": v.shown, "source": source,
                           "from": f"{os.path.basename(v.item.source.file)}:{v.item.source.line}",
                           "why": f"The same reason as for {said[reason]} above." if reason in said else reason}
                    said.setdefault(reason, f"{p.jurisdiction} ({v.item.location})")
                    rows.append(row)
        for (change, kind, reason, source), codes in quiet.items():
            codes = sorted(set(codes))
            row = {"candidate": c.name, "code": _places(len(codes)), "name": "safe harbor only",
                   "effect": "safe-harbor", "today": "none", "under": "safe-harbor", "change": change, "kind": kind,
                   "verdict": "safe-harbor", "why": f"In {', '.join(codes)}. {reason}", "source": source}
            rows.append(row)
    columns = [
        _column("Candidate", "candidate"), _column("Code", "code", 10), _column("Jurisdiction", "name", 14),
        _column("Effect", "effect", 11), _column("Today", "today", 11), _column("Under candidate", "under", 11),
        _column("Sales test today", "status", 12), _column("Item", "change", 8), _column("Kind", "kind", 12),
        _column("Location", "location", 14), _column("Verdict", "verdict", 11), _note("Why", "why", 49),
        Column("Source", lambda r: r.get("source"), "link", width=40), _column("From", "from", 26),
    ]
    # The source and the profile's line stay in the workbook, not on paper: a link prints on one line, cut at its
    # column's edge, and every source prints whole on the Sources sheet.
    return Sheet("Presence delta", columns, rows, table=True, status="Verdict", keys=2, print_columns=12)


def _quiet(r: NexusChange) -> bool:
    """Nothing to read either way: no nexus, no sales, no change (a place where only the candidate's CDN cache
    sits, under a safe harbor, has a finding under the candidate and none today)."""
    return r.change == "unchanged" and not r.why and all(
        f is None or (not f.nexus and not f.sales) for f in (r.today, r.under))


def _nexus(comparison: Comparison) -> Sheet:
    """Every finding today and under each candidate, changed ones first; places with neither nexus nor sales
    either way are summed up in one row per candidate, with their codes, so that none is left unsaid."""
    rows: list[Row] = []
    for c in comparison.candidates:
        quiet = [r.label for r in c.nexus if _quiet(r)]
        for r in c.nexus:
            if _quiet(r):
                continue
            row: Row = {"candidate": c.name, "code": r.label, "name": r.name, "member": r.part_of,
                        "change": r.change, "why": " ".join(r.why)}
            for side, f in (("today", r.today), ("under", r.under)):
                # No finding: no sales there (a place has one where it has sales or presence), as the screen says.
                row[f"{side}_status"] = f.status if f else "no sales"
                row[f"{side}_nexus"] = ", ".join(sorted(grounds(f))) if f and f.nexus != "establishment" else (
                    (f.nexus or "") if f else "")  # 'economic, presence': stock beside the sales test
                row[f"{side}_sales"] = Decimal(0) if f is None else (
                    f.sales if f.currency and f.status != "not-covered" else None)
                row["currency"] = row.get("currency") or (f.currency if f else "")
            rows.append(row)
        if quiet:
            row = {"candidate": c.name, "code": _places(len(quiet)), "name": "no nexus, no sales",
                   "change": "unchanged", "why": f"No nexus and no sales today or under {c.name}: {', '.join(quiet)}."}
            rows.append(row)
    columns = [
        _column("Candidate", "candidate"), _column("Code", "code", 10), _column("Jurisdiction", "name", 14),
        _column("Change", "change", 14),
        _column("Status today", "today_status", 12), _column("Nexus today", "today_nexus", 13),
        _money("Sales today", "today_sales", rows),
        _column("Status under candidate", "under_status", 12), _column("Nexus under candidate", "under_nexus", 13),
        _money("Sales under candidate", "under_sales", rows),
        _note("Why", "why", 42),
        _column("Member of", "member", 8),  # in the workbook: a member state's code and its Why say it on paper
    ]
    # The sales are the test's, in the period it measures: Nevada's 'Sales today' of 40,443.12 USD (calendar year
    # 2025) sat beside the Potential exposure sheet's 55,555.70 (the last 12 months) with nothing to tell them apart.
    notes = ("Sales today and under the candidate: what each jurisdiction's test counts in the period it measures "
             "(the check's Findings give each period), not the last 12 months the estimates of the other sheets "
             "use.",)
    return Sheet("Nexus delta", columns, rows, table=True, keys=2, print_columns=len(columns) - 1, notes=notes)


def _exposure_rows(c: Candidate) -> list[Row]:
    """One row per place where the candidate creates nexus, then its total (the sum of the figures shown)."""
    found = c.exposure
    if found is None or not found.places:
        return [{"candidate": c.name, "code": "none", "total": True, "note": exposure_sentence(c)}]
    rows: list[Row] = []
    period = {"from": found.start, "to": found.end, "factor": found.factor if found.factor != 1 else None}
    for p in found.places:
        row: Row = {"candidate": c.name, "code": p.jurisdiction, "name": p.name, "why": p.why,
                    "currency": p.currency, "sales": quantize(p.sales, p.currency) if p.sales is not None else None,
                    # sentences each: joined by '; ' they read '... gives it.; No tax charged is in the orders'
                    "note": p.note or _sentences(p.assumptions)} | period
        if p.tax is not None:
            row |= {"taxable": quantize(p.taxable_sales or Decimal(0), p.currency)} | _range(p.tax, p.currency)
        if p.not_estimated:
            row["note"] = (f"{p.currency} {quantize(p.not_estimated, p.currency)} of sales whose taxability or rate "
                           f"the data does not give are not in the figure. " + row["note"]).strip()
        rows.append(row)
    total = found.total
    said = " ".join(w for w in (exposure_sentence(c), footing_words(
        [p for p in found.places if p.tax is not None], found.currency)) if w)
    if found.left_out and total is not None:
        said += f" Not in the total: {', '.join(p.jurisdiction for p in found.left_out)}."
    row = {"candidate": c.name, "code": "Total", "total": True, "currency": found.currency, "note": said}
    if total is not None:
        row |= _range(total, found.currency)
    return rows + [row]


def _range(figure: Any, currency: str) -> Row:
    """An estimate's low, central and high cells, each rounded once in ``currency``."""
    return {"low": quantize(figure.low, currency), "central": quantize(figure.central, currency),
            "high": quantize(figure.high, currency)}


def _period_columns() -> list[Column]:
    """The days an estimate is worked out from, and the factor that scales them to a year: the same for every place
    of a candidate and said in its total's note, so they are kept in the workbook, after the printed columns."""
    return [Column("From", lambda r: r.get("from"), "date"), Column("To", lambda r: r.get("to"), "date"),
            _column("Scaled to a year by", "factor", None, "number")]


def _range_columns(heading: str, rows: Sequence[Row]) -> list[Column]:
    """The columns of an estimate's low, central and high (:func:`_range`), headed ``heading, low`` and so on."""
    return [_money(f"{heading}, {part}", part, rows) for part in ("low", "central", "high")]


def _potential_exposure(comparison: Comparison) -> Sheet:
    rows = [row for c in comparison.candidates for row in _exposure_rows(c)]
    columns = [
        _column("Candidate", "candidate"), _column("Code", "code", 8), _column("Jurisdiction", "name", 14),
        _note("Why nexus", "why", 24),
        _money("Sales in those days", "sales", rows), _money("Taxable sales in those days", "taxable", rows),
        *_range_columns("Est. tax a year", rows),
        _note("Note", "note", 40),
        *_period_columns(),
    ]
    notes = ("Potential exposure a year from each candidate's new nexus: estimates from the last 12 months of orders, "
             "at the rates and taxability in nexus's data (docs/provider.md). Each place's figure is rounded once; a "
             "total is the sum of the figures shown.",)
    return Sheet("Potential exposure", columns, rows, table=True, bold=lambda r: bool(r.get("total")), notes=notes,
                 keys=2, print_columns=len(columns) - 3)  # the period stays in the workbook


def _sentences(notes: Sequence[str]) -> str:
    """A place's notes as one cell of sentences. They are written to follow the screen's "GB: " (``nexus from your
    sales...``), so each starts with a capital here: the cell read "...from the move on. registered there from..."."""
    return " ".join(n[:1].upper() + n[1:] for n in notes)


def _removed_rows(c: Candidate) -> list[Row]:
    """One row per place where the candidate takes tax collection off the company, its total (the sum of the figures
    shown) and the net change a year (the difference of the two totals shown)."""
    gone = c.removed
    if gone is None or not gone.places or not gone.orders or gone.start is None:
        rows = [{"candidate": c.name, "code": "none", "total": True, "note": removed_sentence(c)}]
    else:
        rows = []
        period = {"from": gone.start, "to": gone.end, "factor": gone.factor if gone.factor != 1 else None}
        for p in gone.places:
            row: Row = {"candidate": c.name, "code": p.jurisdiction, "name": p.name,
                        "nexus": p.nexus_word,
                        "collector": COLLECTOR_WORDS[p.collector].format(name=c.name),
                        "currency": p.currency, "reporting": gone.currency,
                        "note": _sentences(place_notes(c, p))} | period
            shift = p.shift
            if shift is not None and p.today is not None:
                row |= {"taxable": quantize(p.taxable_sales or Decimal(0), p.currency),
                        "today": quantize(p.today.central, p.currency),
                        "under": quantize(p.under.central, p.currency),  # type: ignore[union-attr]
                        **_range(shift, p.currency)}
            # 0.00 is a figure (registered and collecting), as the JSON gives it; a place without one says so, and
            # its note why (the screen and the memo say the same)
            row["accrued"] = quantize(p.accrued, gone.currency) if p.accrued is not None else "not estimated"
            rows.append(row)
        total = gone.total
        said = " ".join(w for w in (removed_sentence(c), footing_words(
            [p for p in gone.places if p.shift is not None], gone.currency)) if w)
        row = {"candidate": c.name, "code": "Total", "total": True, "currency": gone.currency,
               "reporting": gone.currency, "note": said}
        if total is not None:
            row |= _range(total, gone.currency)
        accrued = accrued_total(gone.places, gone.currency)  # the column's sum, as the memo's foot gives it
        row["accrued"] = accrued if accrued is not None else "not estimated"
        rows.append(row)
    found = c.net
    change = found.change if found is not None else None
    row = {"candidate": c.name, "code": "Net change", "total": True, "currency": found.currency if found else "USD",
           "note": net_sentence(c)}
    if found is not None and change is not None:
        row |= _range(change, found.currency)
    return rows + [row]


def _tax_no_longer_yours(comparison: Comparison) -> Sheet:
    rows = [row for c in comparison.candidates for row in _removed_rows(c)]
    columns = [
        _column("Candidate", "candidate"), _column("Code", "code", 11), _column("Nexus", "nexus", 9),
        _note("Collected instead by", "collector", 16),
        _money("Taxable sales in those days", "taxable", rows), *_range_columns("Est. a year", rows),
        _money("Potential exposure accrued to date (stays)", "accrued", rows, "reporting"),
        _note("Note", "note", 44),
        # in the workbook, after the printed columns: the place's name (its code is printed), the two estimates
        # whose difference the central figure is, and the period (said in each total's note)
        _column("Jurisdiction", "name", 16),
        _money("Est. tax a year you collect today", "today", rows),
        _money("Est. tax a year you would still collect", "under", rows),
        *_period_columns(),
    ]
    notes = ("The tax a year you would no longer collect yourself under each candidate (the estimate a year, per place "
             "and in total): where nexus goes, or stays while the provider collects on the sales it facilitates or "
             "sells itself; estimates from the last 12 months of orders (docs/provider.md). It moves who collects; "
             "customers still pay it. Net change: the potential exposure a year of new nexus less the total, negative "
             "where you would collect less: the difference of the two totals as shown; low and high put both sides at "
             "the low (state) and the high rates.",)
    return Sheet("Tax no longer yours", columns, rows, table=True, bold=lambda r: bool(r.get("total")), notes=notes,
                 keys=2, print_columns=len(columns) - 6)  # the six columns after the Note stay in the workbook


def _stock(comparison: Comparison) -> Sheet | None:
    """One row per member state where a candidate would hold stock: the domestic VAT registration it requires, and
    the VAT a year on the goods sold to customers there (docs/provider.md); None where no candidate puts stock in the
    EU, so the sheet is not there."""
    rows: list[Row] = []
    for c in comparison.candidates:
        for s in c.stock:
            p = s.estimate
            row: Row = {"candidate": c.name, "code": s.jurisdiction, "stock": ", ".join(s.stock),
                        "threshold": s.threshold_words, "registration": s.registration_words,
                        # the threshold's why (the first sentence's, beside the columns it fills), then the rest
                        "note": " ".join(([f"Threshold: {s.rule.threshold_basis}."] if s.rule is not None else [])
                                         + stock_sentences(c, s)[2:]) or None,
                        "currency": p.currency if p is not None else None,
                        "reporting": c.exposure.currency if c.exposure is not None else "USD"}
            if p is not None and p.tax is not None and p.reporting is not None:
                row |= {"taxable": quantize(p.taxable_sales or Decimal(0), p.currency),
                        "tax": quantize(p.tax.central, p.currency),
                        "tax_reporting": quantize(p.reporting.central, row["reporting"])}
            rows.append(row)
    if not rows:
        return None
    columns = [
        _column("Candidate", "candidate"), _column("Code", "code", 6), _note("Stock at", "stock", 14),
        _note("Registration threshold", "threshold", 16), _note("Registration", "registration", 22),
        _money("Taxable sales of goods there", "taxable", rows), _money("Est. VAT a year", "tax", rows),
        _money("Est. VAT a year (reporting)", "tax_reporting", rows, "reporting"),
        _note("What the EU's one-stop shop leaves out, and the figure", "note", 60),
    ]
    notes = ("Stock a candidate would hold in an EU member state: a seller established outside the EU that sells from "
             "it to customers in that state makes domestic supplies there, which the Union OSS does not cover, and "
             "registers there from the first supply (data/stock-registration.json; docs/provider.md). The VAT a year "
             "is on its goods sold to customers there in the last 12 months, as the potential exposure is estimated; "
             "customers pay it under the EU scheme today, so it is not in the net change.",)
    return Sheet("Stock in the EU", columns, rows, table=True, notes=notes, keys=2)


def _currencies(comparison: Comparison) -> Sheet:
    rows: list[Row] = []

    def add(row: Row) -> None:
        rows.append(row)

    for c in comparison.candidates:
        d = c.currencies
        for a in d.added:
            add({"candidate": c.name, "change": "added", "code": a.detail.code, "name": a.detail.name,
                 "minor": a.detail.minor_units, "ecb": "yes" if a.detail.ecb_rate else "no: supply rates",
                 "what": a.detail.action})
            for o in a.countries:
                add({"candidate": c.name, "change": "country", "code": a.detail.code, "country": f"{o.code} {o.name}",
                     "sells": ("yes" if o.sells_there else "no") if o.orders else "not known",
                     "opens": {"opens": "yes", "opens nothing": "no"}.get(o.assessment, o.assessment),
                     "what": o.note})
        for code, amount in d.dropped:
            add({"candidate": c.name, "change": "dropped", "code": code, "amount": amount, "in": code,
                 "what": "Not offered: " + d.dropped_meaning(code)[0].lower() + d.dropped_meaning(code)[1:]})
        for w in d.review.withdrawn:
            add({"candidate": c.name, "change": "withdrawn", "code": w.code, "name": w.name,
                 "what": f"Withdrawn {w.withdrawn}" + (f": the list should say {w.successor}." if w.successor
                                                       else ".")})
        for code in d.review.unknown:
            add({"candidate": c.name, "change": "unknown", "code": code,
                 "what": "Not an ISO 4217 code: ask the provider."})
        for code, amount in d.exposure:
            add({"candidate": c.name, "change": "settlement", "code": code, "amount": amount, "in": code,
                 "what": f"Converted into {d.settlement} on payout (sales in the 12 months to {comparison.as_of})."})
        for note in d.notes:
            add({"candidate": c.name, "change": "note", "code": d.settlement, "what": note})
    columns = [
        _column("Candidate", "candidate"), _column("Change", "change", 11), _column("Code", "code"),
        _column("Name", "name", 14, wrap=True), _column("Minor units", "minor", 8, "integer"),
        _column("ECB rate", "ecb", 10, wrap=True), _column("Country", "country", 16, wrap=True),
        _column("You sell there", "sells", 8), _column("Opens", "opens", 7),
        # Only a row with a figure formats its cell in its code: a code a list gives that is not ISO 4217 has none.
        _money("Sales, last 12 months", "amount", rows, "in"), _note("What it means", "what", 56),
    ]
    return Sheet("Currencies", columns, rows, table=True, keys=3)


def _accounts(comparison: Comparison) -> Sheet:
    rows: list[Row] = []
    for c in comparison.candidates:
        for a in c.accounts or ():
            p = a.proposal
            rows.append({"candidate": c.name, "number": p.number, "name": p.name, "type": p.type_words,
                         "currency": p.currency, "under": " ".join(p.parents[-1]) if p.parents else "",
                         "because": "today's set-up" if a.needed_today else c.name, "reason": p.reason})
    columns = [
        _column("Candidate", "candidate"), _column("Number", "number"), _note("Name", "name", 34),
        _column("Type", "type", 17), _column("Currency", "currency"), _column("Under", "under", 18, wrap=True),
        _column("Because of", "because", 14), _note("Reason", "reason", 56),
    ]
    return Sheet("Accounts", columns, _accounts_order(comparison, rows), table=True, keys=2)


def _accounts_order(comparison: Comparison, rows: list[Row]) -> list[Row]:
    """Per candidate, the accounts it brings first, then those today's set-up needs anyway."""
    order = {c.name: i for i, c in enumerate(comparison.candidates)}
    return sorted(rows, key=lambda r: (order[r["candidate"]], r["because"] == "today's set-up"))


def _checklist(comparison: Comparison) -> Sheet:
    rows: list[Row] = []
    for c in comparison.candidates:
        for line in c.checklist:
            rows.append({"candidate": c.name, "group": line.question.group, "item": line.question.key,
                         "answer": line.answer.answer, "asks": line.question.asks, "note": line.answer.note,
                         "reference": line.answer.reference, "meaning": line.meaning})
    columns = [
        _column("Candidate", "candidate"), _column("Group", "group"), _column("Item", "item", 25),
        _column("Answer", "answer"), _note("Question", "asks", 34), _note("Note", "note", 30),
        _note("What it means for tax and books", "meaning", 44),
        Column("Reference", lambda r: r.get("reference"), "link", width=36),
    ]
    # The reference stays in the workbook, not on paper: a link prints on one line, cut at its column's edge, and
    # every reference prints whole on the Sources sheet.
    return Sheet("Checklist", columns, rows, table=True, keys=3, print_columns=len(columns) - 1)


#: The Sources sheet's Source column: its width, and the characters of an address a printed line holds (at the
#: layer's conservative characters a digit, so a line is never cut at the column's edge).
_SOURCE_WIDTH = 100
_SOURCE_LINE = int((_SOURCE_WIDTH - 1) * CHARACTERS_PER_DIGIT)
#: The What column beside it, and the characters a printed line of it holds (its lines are rows, as the source's).
_WHAT_WIDTH = 78
_WHAT_LINE = int((_WHAT_WIDTH - 1) * CHARACTERS_PER_DIGIT)


def _source_lines(where: str, width: int = _SOURCE_LINE) -> list[str]:
    """``where`` (a web address, a file's path, a clause of an agreement) cut into lines of at most ``width``
    display columns (a Chinese or Japanese character takes two), each ending after a '/', '?', '&', '=', '_' or
    space where one falls in the line, else at its end (never after a '-', which a reader takes for a word cut at
    the line's end and leaves out). A '%' counts twice: it prints half as wide again as a
    digit, and an address in Japanese is mostly '%e3%81'. The lines joined give ``where`` back, character for
    character."""
    def size(text: str) -> int:
        return text_width(text) + text.count("%")

    lines: list[str] = []
    line = ""
    for piece in re.split(r"(?<=[/?&=_ ])", where):
        while size(line) + size(piece) > width:
            if line:
                lines.append(line)
                line = ""
            else:
                cut = next(i for i in range(len(piece), 0, -1) if size(piece[:i]) <= width)
                lines.append(piece[:cut])
                piece = piece[cut:]
        line += piece
    return lines + [line] if line or not lines else lines


def _sources(comparison: Comparison) -> Sheet:
    """One row per source and what rests on it; a long 'What' and a long source go on in the rows under it, the
    first row linking the whole address. A 'What' the source before it has already said is not said again: the
    sources of one rule or estimate read as a list under it."""
    rows: list[Row] = []
    said = None
    for what, where in sources(comparison):
        whats = [] if what == said else textwrap.wrap(what, _WHAT_LINE, break_long_words=False,
                                                      break_on_hyphens=False)
        said = what
        wheres: list[Any] = _source_lines(where)
        if where.startswith(("https://", "http://")) and len(where) <= MAX_URL:
            wheres[0] = Link(where, wheres[0])
        for i in range(max(len(whats), len(wheres))):
            rows.append({"what": whats[i] if i < len(whats) else "", "where": wheres[i] if i < len(wheres) else ""})
    columns = [_column("What", "what", _WHAT_WIDTH),
               Column("Source", lambda r: r.get("where"), "text", width=_SOURCE_WIDTH)]
    return Sheet("Sources", columns, rows)


#: The narrowest a sheet's sentences are wrapped at, to leave its figures the room they need on the page.
_LEAST_NOTE = 30


def _fitted(sheet: Sheet) -> Sheet:
    """``sheet`` with its widest column of sentences narrowed, where its printed columns would not fit one landscape
    page (at the scale every sheet keeps to): the figures' columns are as wide as their widest figure, and sales
    of a million or more in a place ("3,388,595.12 GBP") sent the Nexus delta's reasons, and the Tax no longer
    yours' notes, to pages of their own, away from the figures they explain. Never narrower than _LEAST_NOTE: a
    sheet that does not fit then prints its columns in groups, as before."""
    printed = len(sheet.columns) if sheet.print_columns is None else sheet.print_columns
    rows = list(sheet.rows)
    widths = _widths(sheet.columns[:printed], rows[:_SAMPLE_ROWS])
    notes = [i for i, c in enumerate(sheet.columns[:printed]) if c.wrap and c.width]
    over = sum(_pixels(w) for w in widths) - LANDSCAPE_PIXELS / MIN_SCALE
    if over <= 0 or not notes:
        return replace(sheet, rows=rows)
    widest = max(notes, key=lambda i: widths[i])
    # a unit of width is 7 pixels (sheet._pixels); a column already narrower than _LEAST_NOTE is left as it is
    width = min(widths[widest], max(_LEAST_NOTE, widths[widest] - int(over / 7 + 1)))
    columns = [replace(c, width=width) if i == widest else c for i, c in enumerate(sheet.columns)]
    return replace(sheet, columns=columns, rows=rows)


def write_comparison_workbook(comparison: Comparison, path: str, paper: str | None = None) -> None:
    """Write the comparison's nine sheets to ``path`` (atomically, through the workbook layer); ``paper`` A4 or
    Letter (None: the printer's)."""
    names = ", ".join(c.name for c in comparison.candidates)
    stock = _stock(comparison)  # only where a candidate puts stock in the EU
    write_workbook(path, [_summary(comparison)] + [_fitted(s) for s in [
                          _presence(comparison), _nexus(comparison), _potential_exposure(comparison),
                          _tax_no_longer_yours(comparison)] + ([stock] if stock is not None else [])
                          + [_currencies(comparison), _accounts(comparison), _checklist(comparison)]]
                   + [_sources(comparison)],
                   title=f"Provider comparison: {names}", subject=f"Candidates compared as of {comparison.as_of}",
                   as_of=comparison.as_of, paper=paper)
