"""The provider comparison workbook, declared through the workbook layer's public API (Sheet, Column,
write_workbook), so it follows the layer's print rules; it moves into ``nexus/workbooks/`` with the others.

* **Summary**: the candidates side by side (most consequential first), then each verdict;
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

No cell wraps: LibreOffice keeps the row height of a file written row by row, so wrapped text would overlap
the next row. Long sentences are cut into lines at word boundaries instead, each on a row of its own under
the first, repeating only what identifies the row (candidate, place, item), so that a filter on a candidate
keeps its lines together and no figure is repeated. A source too long for its column (a web address of 150
characters) goes on in the rows under it, cut after a '/' where it can be: LibreOffice prints a link on one
line whatever the cell's wrapping, so a long address printed cut at the column's edge; its first row links
the whole. A sheet too wide for one page prints in page-wide column groups, each beginning with those
identifying columns again, so a reason printed pages after its verdict still names its candidate and place.
"""
from __future__ import annotations

import os
import re
import textwrap
from decimal import Decimal
from typing import Any, Iterable, Sequence

from nexus.money import quantize
from nexus.provider import Candidate, Comparison, NexusChange, sources
from nexus.provider_report import (COLLECTOR_WORDS, _exposure_cell, _open_words, exposure_sentence, net_cell,
                                   net_sentence, place_notes, removed_cell, removed_sentence)
from nexus.workbooks.sheet import (CHARACTERS_PER_DIGIT, MAX_URL, Column, Link, Sheet, text_width,
                                   write_workbook)

Row = dict[str, Any]


def _lines(row: Row, wrapped: dict[str, int], repeat: Sequence[str]) -> list[Row]:
    """``row``, with each ``wrapped`` text cut into lines of at most its width, one row per line."""
    cut = {key: textwrap.wrap(str(row.get(key) or ""), width, break_long_words=False, break_on_hyphens=False) or [""]
           for key, width in wrapped.items()}
    out = []
    for i in range(max(len(lines) for lines in cut.values())):
        line = dict(row) if i == 0 else {key: row.get(key) for key in repeat}
        for key, lines in cut.items():
            line[key] = lines[i] if i < len(lines) else ""
        out.append(line)
    return out


def _places(count: int) -> str:
    return f"{count} place" if count == 1 else f"{count} places"


def _column(header: str, key: str, width: int | None = None, kind: str = "text", currency: str | None = None) -> Column:
    return Column(header, lambda r: r.get(key), kind, (lambda r: r.get(currency) or "USD") if currency else None,
                  width=width)


def _summary(comparison: Comparison) -> Sheet:
    cs = comparison.candidates

    def codes(items: Iterable[str]) -> str:
        return ", ".join(items) or "none"

    table = [
        ("New nexus", lambda c: f"{len(c.new_nexus)}: {codes(r.label for r in c.new_nexus)}"),
        ("Potential exposure a year", _exposure_cell),
        ("Nexus removed", lambda c: f"{len(c.nexus_removed)}: {codes(r.label for r in c.nexus_removed)}"),
        ("Tax no longer yours to collect a year", removed_cell),
        ("Net change a year in the tax you collect", net_cell),
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
        ("Currencies offered", lambda c: f"{len(c.currencies.offered)}"),
        ("Currencies added", lambda c: codes(a.detail.code for a in c.currencies.added)),
        ("Currencies dropped", lambda c: codes(code for code, _ in c.currencies.dropped)),
        ("Settlement currency", lambda c: c.currencies.settlement or "not given"),
        ("New accounts", lambda c: "no chart given" if c.new_accounts is None else f"{len(c.new_accounts)}"),
        ("Open checklist items", lambda c: f"{_open_words(c)} of {len(c.checklist)}"),
        ("Profile", lambda c: c.profile.path),
    ]
    keys = [f"c{i}" for i in range(len(cs))]
    # The verdicts lead; continuation lines leave the label empty, so each label reads once.
    rows = _lines({"what": "Verdict", "head": True} | {k: c.verdict() for k, c in zip(keys, cs)},
                  dict.fromkeys(keys, 56), ("head",))
    rows.append({"what": ""})
    for what, value in table:
        rows += _lines({"what": what} | {k: value(c) for k, c in zip(keys, cs)}, dict.fromkeys(keys, 56), ())
    rows += _lines({"what": "Description"} | {k: c.profile.description for k, c in zip(keys, cs)},
                   dict.fromkeys(keys, 56), ())
    columns = [_column(f"As of {comparison.as_of}", "what", 26)] + [
        _column(c.name, k, 60) for k, c in zip(keys, cs)]
    return Sheet("Summary", columns, rows, bold=lambda r: bool(r.get("head")))


def _presence(comparison: Comparison) -> Sheet:
    """One row per item added or taken away; items in places where nothing but a safe harbour results are
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
                    rows += _lines(row, {"why": 80}, ("candidate", "code", "verdict"))
        for (change, kind, reason, source), codes in quiet.items():
            codes = sorted(set(codes))
            row = {"candidate": c.name, "code": _places(len(codes)), "name": "safe harbor only",
                   "effect": "safe-harbor", "today": "none", "under": "safe-harbor", "change": change, "kind": kind,
                   "verdict": "safe-harbor", "why": f"In {', '.join(codes)}. {reason}", "source": source}
            rows += _lines(row, {"why": 80}, ("candidate", "code", "verdict"))
    columns = [
        _column("Candidate", "candidate"), _column("Code", "code"), _column("Jurisdiction", "name", 20),
        _column("Effect", "effect"), _column("Today", "today"), _column("Under candidate", "under"),
        _column("Sales test today", "status"), _column("Item", "change"), _column("Kind", "kind"),
        _column("Location", "location", 20), _column("Verdict", "verdict"), _column("Why", "why", 82),
        Column("Source", lambda r: r.get("source"), "link", width=40), _column("From", "from", 26),
    ]
    return Sheet("Presence delta", columns, rows, table=True, status="Verdict", keys=2)


def _quiet(r: NexusChange) -> bool:
    """Nothing to read either way: no nexus, no sales, no change (a place where only the candidate's CDN cache
    sits, under a safe harbour, has a finding under the candidate and none today)."""
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
                row[f"{side}_status"] = f.status if f else "no finding"
                row[f"{side}_nexus"] = (f.nexus or "") if f else ""
                row[f"{side}_sales"] = f.sales if f and f.currency and f.status != "not-covered" else None
                row["currency"] = row.get("currency") or (f.currency if f else "")
            rows += _lines(row, {"why": 90}, ("candidate", "code"))
        if quiet:
            row = {"candidate": c.name, "code": _places(len(quiet)), "name": "no nexus, no sales",
                   "change": "unchanged", "why": f"No nexus and no sales today or under {c.name}: {', '.join(quiet)}."}
            rows += _lines(row, {"why": 90}, ("candidate", "code"))
    columns = [
        _column("Candidate", "candidate"), _column("Code", "code", 24), _column("Jurisdiction", "name", 20),
        _column("Member of", "member"), _column("Change", "change"),
        _column("Status today", "today_status"), _column("Nexus today", "today_nexus"),
        _column("Sales today", "today_sales", None, "money", "currency"),
        _column("Status under candidate", "under_status"), _column("Nexus under candidate", "under_nexus"),
        _column("Sales under candidate", "under_sales", None, "money", "currency"),
        _column("Why", "why", 92),
    ]
    return Sheet("Nexus delta", columns, rows, table=True, keys=2)


def _exposure_rows(c: Candidate) -> list[Row]:
    """One row per place where the candidate creates nexus, then its total (rounded once, from the full figures)."""
    found = c.exposure
    if found is None or not found.places:
        return _lines({"candidate": c.name, "code": "none", "total": True, "note": exposure_sentence(c)},
                      {"note": 70}, ("candidate", "code", "total"))
    rows: list[Row] = []
    period = {"from": found.start, "to": found.end, "factor": found.factor if found.factor != 1 else None}
    for p in found.places:
        row: Row = {"candidate": c.name, "code": p.jurisdiction, "name": p.name, "why": p.why,
                    "currency": p.currency, "sales": quantize(p.sales, p.currency) if p.sales is not None else None,
                    "note": p.note or ("; ".join(p.assumptions))} | period
        if p.tax is not None:
            row |= {"taxable": quantize(p.taxable_sales or Decimal(0), p.currency)} | _range(p.tax, p.currency)
        if p.not_estimated:
            row["note"] = (f"{p.currency} {quantize(p.not_estimated, p.currency)} of sales whose taxability or rate "
                           f"the data does not give are not in the figure. " + row["note"]).strip()
        rows += _lines(row, {"why": 40, "note": 70}, ("candidate", "code"))
    total = found.total
    said = exposure_sentence(c)
    if found.left_out and total is not None:
        said += f" Not in the total: {', '.join(p.jurisdiction for p in found.left_out)}."
    row = {"candidate": c.name, "code": "Total", "total": True, "currency": found.currency, "note": said}
    if total is not None:
        row |= _range(total, found.currency)
    return rows + _lines(row, {"note": 70}, ("candidate", "code", "total"))


def _range(figure: Any, currency: str) -> Row:
    """An estimate's low, central and high cells, each rounded once in ``currency``."""
    return {"low": quantize(figure.low, currency), "central": quantize(figure.central, currency),
            "high": quantize(figure.high, currency)}


def _range_columns(heading: str) -> list[Column]:
    """The columns of an estimate's low, central and high (:func:`_range`), headed ``heading, low`` and so on."""
    return [_column(f"{heading}, {part}", part, None, "money", "currency") for part in ("low", "central", "high")]


def _potential_exposure(comparison: Comparison) -> Sheet:
    rows = [row for c in comparison.candidates for row in _exposure_rows(c)]
    columns = [
        _column("Candidate", "candidate"), _column("Code", "code"), _column("Jurisdiction", "name", 16),
        _column("Why nexus", "why", 42), Column("From", lambda r: r.get("from"), "date"),
        Column("To", lambda r: r.get("to"), "date"), _column("Scaled to a year by", "factor", None, "number"),
        _column("Sales in those days", "sales", None, "money", "currency"),
        _column("Taxable sales in those days", "taxable", None, "money", "currency"),
        *_range_columns("Est. tax a year"),
        _column("Note", "note", 72),
    ]
    notes = ("Potential exposure a year from each candidate's new nexus: estimates from the last 12 months of orders, "
             "at the rates and taxability in nexus's data (docs/provider.md). Totals are rounded once, from the full "
             "figures.",)
    return Sheet("Potential exposure", columns, rows, table=True, bold=lambda r: bool(r.get("total")), notes=notes,
                 keys=2)  # the candidate and the place, again beside the figures on a later page


def _removed_rows(c: Candidate) -> list[Row]:
    """One row per place where the candidate takes tax collection off the company, its total and the net change a
    year (each rounded once, from the full figures)."""
    gone = c.removed
    if gone is None or not gone.places or not gone.orders or gone.start is None:
        rows = _lines({"candidate": c.name, "code": "none", "total": True, "note": removed_sentence(c)},
                      {"note": 70}, ("candidate", "code", "total"))
    else:
        rows = []
        period = {"from": gone.start, "to": gone.end, "factor": gone.factor if gone.factor != 1 else None}
        for p in gone.places:
            row: Row = {"candidate": c.name, "code": p.jurisdiction, "name": p.name,
                        "nexus": "stays" if p.nexus_kept else "removed",
                        "collector": COLLECTOR_WORDS[p.collector].format(name=c.name),
                        "currency": p.currency, "reporting": gone.currency,
                        "note": " ".join(place_notes(c, p))} | period
            shift = p.shift
            if shift is not None and p.today is not None:
                row |= {"taxable": quantize(p.taxable_sales or Decimal(0), p.currency),
                        "today": quantize(p.today.central, p.currency),
                        "under": quantize(p.under.central, p.currency),  # type: ignore[union-attr]
                        **_range(shift, p.currency)}
            if p.accrued:
                row["accrued"] = quantize(p.accrued, gone.currency)
            rows += _lines(row, {"note": 70, "collector": 34}, ("candidate", "code"))
        total = gone.total
        said = removed_sentence(c)
        row = {"candidate": c.name, "code": "Total", "total": True, "currency": gone.currency,
               "reporting": gone.currency, "note": said}
        if total is not None:
            row |= _range(total, gone.currency)
        rows += _lines(row, {"note": 70}, ("candidate", "code", "total"))
    found = c.net
    change = found.change if found is not None else None
    row = {"candidate": c.name, "code": "Net change", "total": True, "currency": found.currency if found else "USD",
           "note": net_sentence(c)}
    if found is not None and change is not None:
        row |= _range(change, found.currency)
    return rows + _lines(row, {"note": 70}, ("candidate", "code", "total"))


def _tax_no_longer_yours(comparison: Comparison) -> Sheet:
    rows = [row for c in comparison.candidates for row in _removed_rows(c)]
    columns = [
        _column("Candidate", "candidate"), _column("Code", "code"), _column("Jurisdiction", "name", 16),
        _column("Nexus", "nexus"), _column("Collected instead by", "collector", 34),
        Column("From", lambda r: r.get("from"), "date"), Column("To", lambda r: r.get("to"), "date"),
        _column("Scaled to a year by", "factor", None, "number"),
        _column("Taxable sales in those days", "taxable", None, "money", "currency"),
        _column("Est. tax a year you collect today", "today", None, "money", "currency"),
        _column("Est. tax a year you would still collect", "under", None, "money", "currency"),
        *_range_columns("Est. a year"),
        _column("Potential exposure accrued to date (stays)", "accrued", None, "money", "reporting"),
        _column("Note", "note", 72),
    ]
    notes = ("The tax a year you would no longer collect yourself under each candidate (the estimate a year, per place "
             "and in total): where nexus goes, or stays while the provider collects on the sales it facilitates or "
             "sells itself; estimates from the last 12 months of orders (docs/provider.md). It moves who collects; "
             "customers still pay it. Net change: the potential exposure a year of new nexus less the total, negative "
             "where you would collect less, each rounded once from the full figures; low and high put both sides at "
             "the low (state) and the high rates.",)
    return Sheet("Tax no longer yours", columns, rows, table=True, bold=lambda r: bool(r.get("total")), notes=notes,
                 keys=2)  # the candidate and the place, again beside the figures on a later page


def _currencies(comparison: Comparison) -> Sheet:
    rows: list[Row] = []

    def add(row: Row) -> None:
        rows.extend(_lines(row, {"what": 90}, ("candidate", "change", "code")))

    for c in comparison.candidates:
        d = c.currencies
        for a in d.added:
            add({"candidate": c.name, "change": "added", "code": a.detail.code, "name": a.detail.name,
                 "minor": a.detail.minor_units, "ecb": "yes" if a.detail.ecb_rate else "no: supply rates",
                 "what": a.detail.action})
            for o in a.countries:
                add({"candidate": c.name, "change": "country", "code": a.detail.code, "country": f"{o.code} {o.name}",
                     "sells": ("yes" if o.sells_there else "no") if o.orders else "not known",
                     "opens": "yes" if o.opens else "no", "what": o.note})
        for code, amount in d.dropped:
            add({"candidate": c.name, "change": "dropped", "code": code, "amount": amount,
                 "what": f"Not offered: customers paying in {code} today would pay in another currency."})
        for w in d.review.withdrawn:
            add({"candidate": c.name, "change": "withdrawn", "code": w.code, "name": w.name,
                 "what": f"Withdrawn {w.withdrawn}" + (f": the list should say {w.successor}." if w.successor
                                                       else ".")})
        for code in d.review.unknown:
            add({"candidate": c.name, "change": "unknown", "code": code,
                 "what": "Not an ISO 4217 code: ask the provider."})
        for code, amount in d.exposure:
            add({"candidate": c.name, "change": "settlement", "code": code, "amount": amount,
                 "what": f"Converted into {d.settlement} on payout (sales in the 12 months to {comparison.as_of})."})
        for note in d.notes:
            add({"candidate": c.name, "change": "note", "code": d.settlement, "what": note})
    columns = [
        _column("Candidate", "candidate"), _column("Change", "change"), _column("Code", "code"),
        _column("Name", "name", 20), _column("Minor units", "minor", None, "integer"), _column("ECB rate", "ecb"),
        _column("Country", "country", 24), _column("You sell there", "sells"), _column("Opens", "opens"),
        _column("Sales, last 12 months", "amount", None, "money", "code"), _column("What it means", "what", 92),
    ]
    return Sheet("Currencies", columns, rows, table=True, keys=3)


def _accounts(comparison: Comparison) -> Sheet:
    rows: list[Row] = []
    for c in comparison.candidates:
        for a in c.accounts or ():
            p = a.proposal
            rows += _lines({"candidate": c.name, "number": p.number, "name": p.name, "type": p.type_words,
                            "currency": p.currency, "under": " ".join(p.parents[-1]) if p.parents else "",
                            "because": "today's set-up" if a.needed_today else c.name, "reason": p.reason},
                           {"reason": 90}, ("candidate", "number"))
    columns = [
        _column("Candidate", "candidate"), _column("Number", "number"), _column("Name", "name", 44),
        _column("Type", "type", 17), _column("Currency", "currency"), _column("Under", "under", 20),
        _column("Because of", "because", 16), _column("Reason", "reason", 92),
    ]
    return Sheet("Accounts", columns, _accounts_order(comparison, rows), table=True, keys=2)


def _accounts_order(comparison: Comparison, rows: list[Row]) -> list[Row]:
    """Per candidate, the accounts it brings first, then those today's set-up needs anyway (lines kept together)."""
    groups: list[list[Row]] = []
    for row in rows:
        if "name" in row:
            groups.append([row])
        else:
            groups[-1].append(row)
    order = {c.name: i for i, c in enumerate(comparison.candidates)}
    groups.sort(key=lambda g: (order[g[0]["candidate"]], g[0]["because"] == "today's set-up"))
    return [row for group in groups for row in group]


def _checklist(comparison: Comparison) -> Sheet:
    rows: list[Row] = []
    for c in comparison.candidates:
        for line in c.checklist:
            rows += _lines({"candidate": c.name, "group": line.question.group, "item": line.question.key,
                            "answer": line.answer.answer, "asks": line.question.asks, "note": line.answer.note,
                            "reference": line.answer.reference, "meaning": line.meaning},
                           {"asks": 50, "note": 40, "meaning": 80}, ("candidate", "item", "answer"))
    columns = [
        _column("Candidate", "candidate"), _column("Group", "group"), _column("Item", "item", 26),
        _column("Answer", "answer"), _column("Question", "asks", 52), _column("Note", "note", 42),
        Column("Reference", lambda r: r.get("reference"), "link", width=36),
        _column("What it means for tax and books", "meaning", 82),
    ]
    return Sheet("Checklist", columns, rows, table=True, keys=3)


#: The Sources sheet's Source column: its width, and the characters of an address a printed line holds (at the
#: layer's conservative characters a digit, so a line is never cut at the column's edge).
_SOURCE_WIDTH = 100
_SOURCE_LINE = int((_SOURCE_WIDTH - 1) * CHARACTERS_PER_DIGIT)


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
    first row linking the whole address."""
    rows: list[Row] = []
    for what, where in sources(comparison):
        whats = textwrap.wrap(what, 76, break_long_words=False, break_on_hyphens=False) or [""]
        wheres: list[Any] = _source_lines(where)
        if where.startswith(("https://", "http://")) and len(where) <= MAX_URL:
            wheres[0] = Link(where, wheres[0])
        for i in range(max(len(whats), len(wheres))):
            rows.append({"what": whats[i] if i < len(whats) else "", "where": wheres[i] if i < len(wheres) else ""})
    columns = [_column("What", "what", 78), Column("Source", lambda r: r.get("where"), "text", width=_SOURCE_WIDTH)]
    return Sheet("Sources", columns, rows)


def write_comparison_workbook(comparison: Comparison, path: str) -> None:
    """Write the comparison's nine sheets to ``path`` (atomically, through the workbook layer)."""
    names = ", ".join(c.name for c in comparison.candidates)
    write_workbook(path, [_summary(comparison), _presence(comparison), _nexus(comparison),
                          _potential_exposure(comparison), _tax_no_longer_yours(comparison), _currencies(comparison),
                          _accounts(comparison), _checklist(comparison), _sources(comparison)],
                   title=f"Provider comparison: {names}", subject=f"Candidates compared as of {comparison.as_of}")
