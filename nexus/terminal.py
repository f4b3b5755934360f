"""What a controller in a hurry reads on screen: short tables that lead with what to do.

Every figure comes from the library's records (findings, rules, verdicts); this module only chooses what to
show first and fits it to the terminal's width. The full detail is always one option away (``--verbose``,
``--format json``, the workbook), so the screen can stay short: the sample check fits 50 lines at 100 columns.
"""
from __future__ import annotations

import re
import textwrap
from datetime import timedelta
from typing import Any, Sequence


from nexus.categories import SOURCE_WORDS, SOURCES
from nexus.findings import (PRESENCE_ONLY, CheckResult, Finding, act_now, also_approaching, ended_basis, owed_before,
                            shown_status)
from nexus.fx import MAX_RATE_AGE_DAYS, fixed_rate
from nexus import places
from nexus.days_due import NOT_COVERED, NOT_COVERED_TOTAL
from nexus.lapsed import PAST_ONLY, PastWindow
from nexus.money import format_amount
from nexus.report import (after_orders_words, before_first_order, before_the_orders, coverage_assumptions,
                          home_paragraph, no_exposure_found, refunds_exceed_words, register_again_words,
                          registered_and_collecting, registered_needlessly, share_of_threshold)
from nexus.text_safety import display_width, one_line, printable, tabulate
from nexus.rules import CONFIDENCE_WORDS, ESTABLISHMENT_WORDS, Rule
from nexus.ledger import file_account, file_rows
from nexus.timing import act_by

#: Width used when the output is not a terminal (a file, a pipe, a test).
DEFAULT_WIDTH = 100


def _cut(text: str, size: int, whole_words: bool = True) -> str:
    """``text`` in at most ``size`` display columns (a kanji takes two), cut with ``...`` where longer: at the last
    space where one leaves at least half the room, so that no word or figure is shown in part ('> USD 100,000 or >
    2...' read as a test of two transactions, 'merchant of record: Host...' named no one)."""
    if display_width(text) <= size:
        return text
    used, end = 0, 0
    for end, ch in enumerate(text):
        used += display_width(ch)
        if used > size - 3:
            break
    head = text[:end]
    space = head.rfind(" ")
    if whole_words and text[end] != " " and space > len(head) // 2:
        head = head[:space].rstrip(" ,;:(/")
    return head.rstrip() + "..."


def fit(rows: list[list[Any]], headers: list[str], width: int, drop: Sequence[str] = (),
        cut: dict[str, int] | None = None, align: dict[str, str] | None = None, cut_last: bool = False) -> str:
    """A table no wider than ``width``: shown whole where it fits, else long text in the ``cut`` columns is
    shortened, then the ``drop`` columns are left out, in that order, until it fits (or nothing more can go).
    ``cut_last`` turns the order round, for a table whose ``drop`` columns say less than its cut text does: the
    columns go first, and the text is cut only as far as the columns left need."""
    if cut_last:
        return _fit_cut_last(rows, headers, width, drop, cut or {}, align or {})
    cut, align = cut or {}, align or {}
    keep = list(headers)
    rows = [[one_line(v) if isinstance(v, str) else v for v in row] for row in rows]  # escaped, then measured
    if cut:  # text is cut only as far as the screen needs: wide enough, a table is shown whole
        cut = _room(rows, headers, width, cut, align)
    body = _told_apart(rows, [[_cut(str(v), cut[h]) if h in cut else v for h, v in zip(headers, row)]
                              for row in rows], headers, cut)
    candidates = list(drop)
    while True:
        index = [headers.index(h) for h in keep]
        text = tabulate([[row[i] for i in index] for row in body], headers=keep, disable_numparse=True,
                        colalign=[align.get(h, "left") for h in keep])
        if max((display_width(line) for line in text.splitlines()), default=0) <= width or not candidates:
            return text
        keep.remove(candidates.pop(0))


def fit_wrapped(rows: list[list[Any]], headers: list[str], width: int, column: str,
                cut: dict[str, int] | None = None, align: dict[str, str] | None = None) -> str:
    """:func:`fit`, and where the table is still wider than ``width``, the ``column``'s text wrapped at spaces in the
    room the others leave (20 columns at least), never cut: an account's name, a reason to act on."""
    cut, align = cut or {}, align or {}
    table = fit(rows, headers, width, cut=cut, align=align)
    over = max((display_width(line) for line in table.splitlines()), default=0) - width
    if over <= 0:
        return table
    i = headers.index(column)
    shown = [[_cut(one_line(str(v)), cut[h]) if h in cut else (one_line(v) if isinstance(v, str) else v)
              for h, v in zip(headers, row)] for row in rows]  # the cut columns at their floors, as fit left them
    room = max(20, max(display_width(str(row[i])) for row in shown) - over)
    shown = [row[:i] + ["\n".join(line.strip() for line in _wrap(str(row[i]), room))] + row[i + 1:] for row in shown]
    return tabulate(shown, headers=headers, disable_numparse=True, colalign=[align.get(h, "left") for h in headers])


def _told_apart(rows: list[list[Any]], body: list[list[Any]], headers: list[str],
                cut: dict[str, int]) -> list[list[Any]]:
    """``body`` with the cells that whole-word cuts made alike cut mid-word again, so that two rows stay apart:
    'Switzerland (mai...' and 'Switzerland (ser...', not 'Switzerland...' twice."""
    for h, size in cut.items():
        i = headers.index(h)
        texts: dict[Any, set[str]] = {}
        for row, shown in zip(rows, body):
            texts.setdefault(shown[i], set()).add(str(row[i]))
        for row, shown in zip(rows, body):
            if len(texts[shown[i]]) > 1:
                shown[i] = _cut(str(row[i]), size, whole_words=False)
    return body


def _fit_cut_last(rows: list[list[Any]], headers: list[str], width: int, drop: Sequence[str], cut: dict[str, int],
                  align: dict[str, str]) -> str:
    """:func:`fit` with the ``drop`` columns left out, one at a time, before any text is cut."""
    def only(keep: list[str]) -> list[list[Any]]:
        return [[row[headers.index(h)] for h in keep] for row in rows]

    keep, candidates = list(headers), list(drop)
    while candidates and display_width(fit(only(keep), keep, width, align=align).splitlines()[0]) > width:
        keep.remove(candidates.pop(0))
    return fit(only(keep), keep, width, cut={h: n for h, n in cut.items() if h in keep}, align=align)


def _cut_start(text: str, size: int) -> str:
    """``text`` in at most ``size`` display columns, its start replaced by ``...`` where longer (a path's or a
    URL's last part names it)."""
    if display_width(text) <= size:
        return text
    used, start = 0, len(text)
    while start > 0 and used + display_width(text[start - 1]) <= size - 3:
        start -= 1
        used += display_width(text[start])
    return "..." + text[start:]


def _room(rows: list[list[Any]], headers: list[str], width: int, cut: dict[str, int],
          align: dict[str, str]) -> dict[str, int]:
    """How far to cut each ``cut`` column for the whole table to fit ``width``: the widest text first, never
    shorter than ``cut`` asks (narrower than that, columns are left out instead)."""
    room = {h: max([len(h)] + [display_width(str(row[headers.index(h)])) for row in rows]) for h in cut}
    while True:
        body = [[_cut(str(v), room[h]) if h in room else v for h, v in zip(headers, row)] for row in rows]
        text = tabulate(body, headers=headers, disable_numparse=True, colalign=[align.get(h, "left") for h in headers])
        over = max((display_width(line) for line in text.splitlines()), default=0) - width
        give = [h for h in room if room[h] > cut[h]]
        if over <= 0 or not give:
            return room
        # the column with the most to spare gives, down to the next one's spare, so that cuts are shared
        spare = sorted(((room[h] - cut[h], h) for h in give), reverse=True)
        step = spare[0][0] - (spare[1][0] if len(spare) > 1 else 0)
        room[spare[0][1]] -= max(1, min(over, step))


def _wrap(text: str, width: int, indent: str = "") -> list[str]:
    """``text`` in lines of at most ``width`` screen columns, the later ones indented two more; a word longer than
    a line is kept whole. Text with double-byte characters is measured in screen columns (東京 takes four), which
    textwrap, counting characters, does not."""
    if text.isascii():
        return textwrap.wrap(text, width, initial_indent=indent, subsequent_indent=indent + "  ",
                             break_long_words=False, break_on_hyphens=False) or [indent]
    lines: list[str] = []
    line, used = indent, display_width(indent)
    # The spaces between two words on one line are kept as written, as textwrap keeps them: a label padded to
    # its column ('Authority:    Bundeszentralamt für Steuern') stays aligned when its text is not ASCII.
    for gap, word in re.findall(r"(\s*)(\S+)", text):
        size, space = display_width(word), max(1, len(gap))
        if line.strip() and used + space + size > width:
            lines.append(line)
            line, used = indent + "  ", display_width(indent) + 2
        if line.strip():
            line, used = line + " " * space + word, used + space + size
        else:  # a line's first word; the text's own leading spaces ('  CNY: open ...') kept, as textwrap keeps them
            lead = gap if not lines else ""
            line, used = line + lead + word, used + display_width(lead) + size
    return lines + [line] if line.strip() or not lines else lines


def note(text: str, width: int = DEFAULT_WIDTH) -> str:
    """A note for stderr in lines of ``width`` columns, as the screens wrap their own sentences: 'Not in this list:
    AT, BE, ...' of 'nexus rules' ran 200 columns on one line, which an 80-column terminal broke mid-code."""
    return "\n".join(_wrap(text, width))


def _money(amount: Any, code: str) -> str:
    return f"{code} {format_amount(amount, code)}"


def _short_test(rule: Rule | None) -> str:
    if rule is None:
        return ""
    return rule.describe_threshold().replace(" transactions", " txns").replace("no threshold: from the first sale",
                                                                               "first sale")


def _why(f: Finding) -> str:
    """What creates nexus, as ``nexus`` says (DECISIONS: Act now reads it), and the other basis where the Since
    date beside it is that one's: New Jersey's stock made nexus before its sales test was met."""
    if owed_before(f):
        return f"{ended_basis(f)} (ended)"
    words = {"economic": "sales test", "presence": "presence", "establishment": "home"}
    said = words.get(f.nexus or "", f.status)
    since = f.timing.since_from if f.timing is not None else None
    if f.nexus in ("economic", "presence") and since and since != f.nexus:
        said = {"economic": "sales, presence", "presence": "presence, sales"}[f.nexus]  # the first is ``nexus``
    return said


def _code(f: Finding) -> str:
    return f.jurisdiction


def _name(f: Finding) -> str:
    """The place, with the test where it has several, and a member state's union."""
    if f.part_of:
        return f"{f.name} ({f.part_of} member)"
    return _rule_name(f.jurisdiction, f.name, f.scheme)


def _rule_name(code: str, name: str, scheme: str) -> str:
    if not scheme:
        return name
    return f"{code}: {scheme}" if code == "EU" else f"{name} ({scheme})"


def _sales(f: Finding) -> str:
    if f.uncovered:
        return "not covered"
    if f.unmeasured:  # no test counted them: 'no sales' would deny the orders shipped there
        return ""
    if f.rule is None and not f.transactions:  # presence alone (a warehouse where no customer is): not a blank
        return "no sales"
    if f.rule is None or not f.rule.sales_tax or not f.currency:
        return ""
    return _money(f.sales, f.currency)


def est_tax(f: Finding) -> str:
    """The central estimate of tax at stake, in the reporting currency; why not, in a word or two."""
    e = f.exposure
    if e is None:
        if f.exposure_note.startswith(NOT_COVERED):
            return "not covered"
        # "not estimated" in words, as the memo says it ("n/e" meant nothing to a finance reader)
        return "members" if f.exposure_note.startswith("estimated member") else (
            "not estimated" if f.exposure_note else "")
    if e.reporting is None:
        return _money(e.central, e.currency) + "*"
    return _money(e.reporting.central, e.reporting_currency)


def _act_rows(findings: Sequence[Finding]) -> tuple[list[list[Any]], list[str]]:
    headers = ["Code", "Jurisdiction", "Nexus from", "Since", "Act by", "Est. tax", "Sales", "Ratio", "Test",
               "Period measured"]
    rows = [[_code(f), _name(f), _why(f), _since(f), act_by(f.timing),
             est_tax(f), _sales(f), share_of_threshold(f), f"see {f.part_of}" if f.part_of else _short_test(f.rule),
             f"{f.period.start} to {f.period.end}" if f.period else ""] for f in findings]
    return rows, headers


def _past_rows(past: Sequence[PastWindow]) -> tuple[list[list[Any]], list[str]]:
    """Past windows under rules no longer in force: the place, the rule, the window, since when the rule no longer
    applies, the estimate (in the reporting currency), whether its period of limitation has run, and the sales."""
    headers = ["Code", "Jurisdiction", "Rule", "Window", "Not in force from", "Est. tax", "Limitation", "Sales"]
    rows = [[p.jurisdiction, places.name(p.jurisdiction), f"{p.rule.scheme or p.rule.tax} ({_short_test(p.rule)})",
             f"{p.start} to {p.end}", str(p.ended + timedelta(days=1)), _past_tax(p), p.limits.short,
             _money(p.sales, p.rule.currency)] for p in past]
    return rows, headers


def _past_tax(p: PastWindow) -> str:
    """A past window's central estimate in the reporting currency, or why there is none, in a word or two."""
    e = p.exposure
    if e is None:
        return "in finding" if p.overlap else (
            "not covered" if p.exposure_note.startswith(NOT_COVERED) else "not estimated")
    if e.reporting is None:
        return _money(e.central, e.currency) + "*"
    return _money(e.reporting.central, e.reporting_currency)


def _since(f: Finding) -> Any:
    """Since when nexus exists; for a window that has ended, since when it existed."""
    if f.timing is None:
        return ""
    if f.timing.nexus_since is None and owed_before(f):
        return min((w.since for w in f.timing.windows if w.since is not None), default="")
    return f.timing.nexus_since or ""


def _watch_rows(findings: Sequence[Finding],
                unsold: set[tuple[str, str]] | None = None) -> tuple[list[list[Any]], list[str]]:
    """Places by status (``unsold``: those --all lists with no sales in the data, whose status says so)."""
    headers = ["Code", "Jurisdiction", "Status", "Sales", "Ratio", "Test", "Period measured", "Presence"]
    rows = [[_code(f), _name(f), "not sold to" if (f.jurisdiction, f.scheme) in (unsold or set()) else shown_status(f),
             _sales(f), share_of_threshold(f), _short_test(f.rule),
             f"{f.period.start} to {f.period.end}" if f.period else "", f.presence_verdict or ""] for f in findings]
    return rows, headers


_ALIGN = {"Sales": "right", "Ratio": "right", "Est. tax": "right"}
_CUT = {"Jurisdiction": 26, "Test": 30}


def check_screen(result: CheckResult, verbose: bool = False, all_rows: bool = False,
                 width: int = DEFAULT_WIDTH) -> str:
    """The check for a person: Act now (nexus from sales or presence), the home, Watch (approaching), one line
    for everything else, then the row account. ``verbose`` adds each finding's reasons and sources."""
    s = result.ledger.summary()
    home = f"seller established in {result.home}" if result.home else \
        "no --home: assessed as a seller established elsewhere"
    later = (f", {result.rows_after_as_of:,} of them dated after the as-of date (not counted)"
             if result.rows_after_as_of else "")
    lines = _wrap(f"Tax nexus as of {result.as_of}; {home}; FX {result.fx_policy}; "
                  f"{s['rows_used']:,} of {s['rows_read']:,} rows used{later}", width)
    act, collecting, watch = act_now(result)
    homes = [f for f in result.findings if f.nexus == "establishment"]
    shown = set(map(id, act + collecting + homes + watch))
    rest = [f for f in result.findings if id(f) not in shown]
    if act:
        rows, headers = _act_rows(act)
        lines += ["", f"Act now: potential exposure in {len(act)} jurisdiction{'s' * (len(act) != 1)}, most urgent "
                      f"first",
                  fit(rows, headers, width, drop=("Period measured", "Test", "Ratio", "Sales", "Since"), cut=_CUT,
                      align=_ALIGN)]
    if result.past_windows:
        rows, headers = _past_rows(result.past_windows)
        n = len(result.past_windows)
        lines += ["", f"Past windows: potential exposure under {'a rule' if n == 1 else 'rules'} no longer in force "
                      f"({n} window{'s' * (n != 1)}; {PAST_ONLY})",
                  fit(rows, headers, width, drop=("Sales", "Rule"), cut={"Jurisdiction": 26, "Rule": 30},
                      align=_ALIGN)]
    nothing = no_exposure_found(result)
    if nothing:
        lines += [""] + _wrap(nothing, width)
    if act or result.past_windows:
        if result.exposure_total is not None:
            t = result.exposure_total
            c = t.currency
            left = t.left_out_words(result.as_of)
            past = t.past_words()
            above = t.charged_above_words()
            lines += _wrap(f"Estimated tax not collected: {_money(t.tax.central, c)} (range {_money(t.tax.low, c)} "
                           f"to {_money(t.tax.high, c)}{'; ' + past if past else ''}{'; ' + left if left else ''}); "
                           f"{_money(t.tax.central + t.penalty + t.interest, c)} with "
                           f"the penalties and interest that could be estimated; {t.vda_words()}; {t.month_words()}"
                           f"{'; ' + above if above else ''}. Estimates to review, not returns (docs/exposure.md).",
                           width)
            refunds = refunds_exceed_words(result)
            if refunds:
                lines += _wrap(refunds, width)
            for said in after_orders_words(result):  # a permit's gap past the last order: not days without sales
                lines += _wrap(said, width)
        elif any(f.exposure_note.startswith(NOT_COVERED) for f in act):
            lines += _wrap(f"Estimated tax not collected: {NOT_COVERED_TOTAL}.", width)
    before = before_the_orders([f for f in result.findings if f not in act])
    lines += _wrap(before, width) if before else []
    lines += _after_presence([f for f in result.findings if f in act or not before_first_order(f)], width)
    if collecting:
        lines += _wrap(registered_and_collecting(collecting), width)
    for said in coverage_assumptions(result.findings):
        lines += _wrap(said, width)
    again = register_again_words(result)
    lines += _wrap(again, width) if again else []
    for said in registered_needlessly(result):
        lines += _wrap(said, width)
    ahead = sorted((f for f in result.findings if f.timing is not None and f.timing.projected_crossing),
                   key=lambda f: f.timing.projected_crossing)  # type: ignore[union-attr]
    # A crossing the sales already made decide is certain, not paced: said apart, so it is not read as a forecast.
    for said, group in (("Crossing next at the recent pace: ", [f for f in ahead if not f.timing.crossing_settled]),
                        ("Met ahead on the sales already made: ", [f for f in ahead if f.timing.crossing_settled])):
        if group:
            lines += _wrap(said + ", ".join(f"{f.jurisdiction} {f.timing.projected_crossing}" for f in group[:5]) + ".",
                           width)
    for f in homes:
        total = "in the total above" if act and result.exposure_total is not None else ""
        lines += [""] + _wrap(home_paragraph(f, total), width)
    if watch:
        rows, headers = _watch_rows(watch)
        also = also_approaching(result)
        lines += [""] + _wrap(f"Watch: {len(watch)} approaching (at least {result.warn_at:.0%} of a threshold)"
                              + (f"; {also}" if also else ""), width)
        lines += [fit(rows, headers, width, drop=("Presence", "Period measured", "Test"), cut=_CUT, align=_ALIGN)]
    if rest:
        # the places --all adds (no sales in the data) are counted apart: "below" counts the same places with
        # or without --all, and the line says what the others are
        unsold = set(result.without_sales)
        counts: dict[str, int] = {}
        for f in rest:
            key = "unsold" if (f.jurisdiction, f.scheme) in unsold else shown_status(f)
            counts[key] = counts.get(key, 0) + 1
        words = {"below": f"below {result.warn_at:.0%}", "not-covered": "not covered by the data",
                 "no-rule": "with no rule in the data for the date", "no-sales-tax": "with no sales tax",
                 PRESENCE_ONLY: PRESENCE_ONLY,
                 "unsold": "not sold to (listed by --all)"}
        said = ", ".join(f"{n} {words.get(k, k)}" for k, n in sorted(counts.items(), key=lambda c: c[0] == "unsold"))
        if all_rows:
            rows, headers = _watch_rows(rest, unsold)
            lines += [""] + _wrap(f"Other jurisdictions: {said}", width) + [
                      fit(rows, headers, width, drop=("Presence", "Period measured", "Test"), cut=_CUT,
                          align=_ALIGN)]
        else:
            lines += [""] + _wrap(f"Other jurisdictions: {said}: see --all or the workbook.", width)
    lines += _categories(result, width)
    review = [(f, v) for f in result.findings for v in f.presence if v.verdict == "review"]
    if review:
        places = sorted({f.jurisdiction for f, _ in review})
        lines += _wrap(f"Presence to review with an adviser: {len(review)} item{'s' * (len(review) != 1)} in "
                       f"{', '.join(places)} (--verbose for why).", width)
    if verbose:
        lines += _reasons(act + homes + watch + (rest if all_rows else []), width, all_rows)
        lines += _past_reasons(result, width)
    else:
        lines += _wrap("Reasons, sources and source conflicts: --verbose, --format json or --workbook.", width)
    lines += [""] + _account(result, width, verbose)
    return printable("\n".join(lines) + "\n")


def _after_presence(findings: Sequence[Finding], width: int) -> list[str]:
    """One line for the presence that has ended where the state's data say how long nexus lasts after it
    (docs/presence.md, "After the presence ends"): the window's end is then that day, not the presence's last."""
    said = [f"{f.jurisdiction} (presence ended {w.trail.ended}; {w.trail.short()})" for f in findings
            if f.timing is not None and not f.part_of for w in f.timing.windows if w.trail and w.trail.known]
    return _wrap(f"After presence ended: {', '.join(dict.fromkeys(said))}.", width) if said else []


def _categories(result: CheckResult, width: int) -> list[str]:
    """Where the lines' categories came from, when not all from the order rows, and the findings whose figure
    leaves out lines of unknown category (or counts them as --unknown-category decided)."""
    by_source: dict[str, int] = {}
    for (_place, _code, _category, source), days in result.ledger.category_sources.items():
        by_source[source] = by_source.get(source, 0) + sum(lines for _amount, lines in days.values())
    if not any(n for s, n in by_source.items() if s != "column"):
        return []
    said = ", ".join(f"{by_source[s]:,} from {SOURCE_WORDS[s]}" for s in SOURCES if by_source.get(s))
    out = _wrap(f"Categories of the sale lines: {said} (per finding: --verbose, JSON, workbook).", width)
    aside = [(f, f.unknown) for f in result.findings if f.unknown is not None and f.unknown.lines]
    left = [(f, u) for f, u in aside if u is not None and not u.counted]
    decided = [(f, u) for f, u in aside if u is not None and u.counted and any(
        c.source == "unknown" and c.category != "unknown" for c in f.categories)]
    if left:
        named = ", ".join(f"{f.label} {_money(u.sales, f.currency)}" for f, u in left[:6])
        more = f" and {len(left) - 6} more" if len(left) > 6 else ""
        out += _wrap(f"Category unknown, not counted by tests that count only some categories: {named}{more}. "
                     f"Give --products, or decide with --unknown-category.", width)
    if decided:
        out += _wrap(f"Category unknown, counted as --unknown-category decided in {len(decided)} finding(s).", width)
    return out


def _reasons(findings: Sequence[Finding], width: int, all_rows: bool = False) -> list[str]:
    """Each listed finding's reasons and sources; with none listed (every place below its warning level, as in a
    small export), the heading says where the others' reasons are rather than stand alone over nothing."""
    out = ["", "Why:"]
    if not findings:
        where = "." if all_rows else ", and here with --all."
        return out + _wrap(f"No jurisdiction is in Act now, Watch or Home above; the others' reasons are in "
                           f"--format json and the workbook{where}", width, "  ")
    for f in findings:
        out.append(f"  {f.label} {f.name}")
        for reason in f.reasons:
            out += _wrap(reason, width, "    ")
        for v in f.presence:  # every item, as the JSON and the workbook give them: a safe harbor is a finding too
            where = f"{v.item.kind} at {v.item.location} ({v.item.source.file}:{v.item.source.line})"
            said = f"{where}: {' '.join(v.reasons)}"
            own = [s for s in v.sources if s not in f.sources]  # those of an item creating nexus close the finding
            out += _wrap(said + (f" Sources: {' '.join(own)}" if own else ""), width, "    ")
        if f.sources:
            out += _wrap(f"Sources: {' '.join(f.sources)}", width, "    ")
        if f.exposure is not None and f.exposure.filing.source:  # the frequency a registration row gives
            out += _wrap(f.exposure.filing.words, width, "    ")
        if f.limits is not None:
            out += _wrap(f"Period of limitation: {f.limits.words}", width, "    ")
            if f.limits.sources:
                out += _wrap(f"Period of limitation, sources: {' '.join(f.limits.sources)}", width, "    ")
    return out


def _past_reasons(result: CheckResult, width: int) -> list[str]:
    """Why each past window is listed, what its estimate rests on, and the rule's sources."""
    out = []
    for p in result.past_windows:
        out.append(f"  {p.label} {p.rule.name} (past window, {p.start} to {p.end})")
        out += _wrap(p.describe(), width, "    ")
        e = p.exposure
        said = (f"Estimated tax not charged from {e.start} to {e.end}: {_money(e.uncollected.central, e.currency)} on "
                f"{_money(e.taxable_sales, e.currency)} of taxable sales, at the rates then in force (an estimate to "
                f"review). " + " ".join(e.assumptions) if e is not None else f"Not estimated: {p.exposure_note}.")
        if e is not None:
            said += "".join(f" Not estimated: {_money(v, e.currency)} of sales ({why})." for why, v in
                            sorted(e.not_estimated.items()))
        out += _wrap(said, width, "    ") + _wrap(f"Sources: {' '.join(p.rule.sources)}", width, "    ")
        if p.limits.sources:
            out += _wrap(f"Period of limitation, sources: {' '.join(p.limits.sources)}", width, "    ")
    return out


def _layout_words(layout: object) -> str:
    """How a file's layout is named beside it: ``Shopify orders export``, ``nexus's own layout``."""
    from nexus.exports import title_of  # the platform readers are imported only where they are named
    return "nexus's own layout" if layout in (None, "", "nexus") else title_of(str(layout)).split(" ", 1)[1]


def _account(result: CheckResult, width: int, verbose: bool = False) -> list[str]:
    s = result.ledger.summary()
    extra = "".join(f" + {s[key]:,} {words}" for key, words in (
        ("rows_left_out", "left out (cancelled, voided, test, failed or not sales; each listed with its reason in "
                          "the JSON and the workbook)"),
        ("rows_superseded", "superseded by a later copy")) if s.get(key))
    lines = _wrap(f"Rows: {s['rows_read']:,} read = {s['rows_used']:,} used + {s['rows_skipped']:,} skipped + "
                  f"{s['duplicates']:,} duplicate{'s' * (s['duplicates'] != 1)} (counted once){extra}.", width)
    if verbose:  # where each file's rows went: a late export's repeats, an overlap, a file's cancelled orders
        lines += [w for f in file_account(result.ledger) for w in _wrap(
            f"{f['file']} ({_layout_words(f['layout'])}): {file_rows(f)}", width, "  ")]
    if s.get("migration_overlaps"):
        lines += _wrap(f"Orders exported by two platforms (migration overlap), counted once: "
                       f"{s['migration_overlaps']:,}.", width)
    if s.get("conflicts"):
        treated = result.ledger.conflicts[0].treated if result.ledger.conflicts else ""
        lines += _wrap(f"Order ids repeated with different content: {s['conflicts']:,} (read as {treated}; listed in "
                       f"the JSON and the workbook).", width)
    for assumption in result.ledger.assumptions:
        lines += _wrap(f"Read: {assumption}", width)
    if result.outside_rules:  # their figures with --verbose: the README's screen keeps to 50 lines
        said = (", ".join(u.words() for u in result.unassessed()) + f", in the orders to {result.as_of}"
                if verbose else ", ".join(result.outside_rules))
        lines += _wrap(f"Sales where nexus has no rules (not assessed): {said}.", width)
    if result.rates is not None:
        latest = result.rates.latest(result.as_of)
        days = (result.as_of - latest).days if latest else 0
        age = f" ({days} day{'s' * (days != 1)} before the as-of date)" if days > 0 else ""
        newest = f"latest {latest}{age}" if latest else f"none on or before {result.as_of}"
        lines += _wrap(f"Exchange rates: {result.rates.source}, {newest}.", width)
    for warning in result.warnings:
        lines += _wrap(f"Warning: {warning}", width)
    return lines


def rules_screen(rules: Sequence[Rule], width: int = DEFAULT_WIDTH) -> str:
    """One line per rule: the test, the period and its dates; the full record is ``nexus rules CODE``."""
    rows = [[r.jurisdiction, _rule_name(r.jurisdiction, r.name, r.scheme), r.tax, ESTABLISHMENT_WORDS[r.establishment],
             _short_test(r), r.period_label, r.effective_from, r.confidence] for r in rules]
    cut = {"Jurisdiction": 24, "Tax": 14, "Test": 30, "Period": 33}
    if width < 100:
        # floors that keep 'current or previous calendar year' whole at 100 made the list 98 columns wide on an
        # 80-column terminal, which wrapped every line: narrower, they shrink alike to what Code and 3 gaps leave
        texts = ("Jurisdiction", "Test", "Period")
        share = width - 11
        cut |= {h: cut[h] * share // sum(cut[t] for t in texts) for h in texts}
    return fit(rows, ["Code", "Jurisdiction", "Tax", "Applies to", "Test", "Period", "Since", "Confidence"], width,
               drop=("Confidence", "Applies to", "Tax", "Since"), cut=cut) + "\n"


def rule_detail(rules: Sequence[Rule], width: int = DEFAULT_WIDTH) -> str:
    """Every field of each rule, for ``nexus rules CODE`` and ``--verbose``."""
    out = []
    for r in rules:
        # A place with no general sales tax has no test: no period, and nothing counted (its basis and
        # marketplace fields are empty, and once printed as 'None sales').
        counts = (f"{r.basis} sales; categories {', '.join(r.categories)}; marketplace sales {r.marketplace}"
                  if r.sales_tax else "")
        fields = [("Jurisdiction", f"{r.label} {r.name}"), ("Authority", r.authority), ("Tax", r.tax),
                  ("Applies to", r.applies_to_words), ("Test", r.describe_threshold()),
                  ("Period", r.period_label if r.sales_tax else ""), ("Counts", counts),
                  # 'to today' read as 'to 2026-12-07' beside an --as-of in 2030: the data give no end date
                  ("In force", f"{r.effective_from} to {r.effective_to}" if r.effective_to else
                   f"from {r.effective_from}, no end date in the data"),
                  ("Verified", f"{r.last_verified}"),
                  ("Confidence", f"{r.confidence}: {CONFIDENCE_WORDS[r.confidence]}" if r.confidence in
                   CONFIDENCE_WORDS else r.confidence), ("Notes", r.notes)]
        for label, value in fields:
            if value:
                out += _wrap(f"{label + ':':<14}{value}", width)
        out += _wrap(f"{'Sources:':<14}{' '.join(r.sources)}", width)
        out.append("")
    return "\n".join(out)


def presence_screen(verdicts: Sequence[Any], width: int = DEFAULT_WIDTH, verbose: bool = False) -> str:
    """Each presence item: where it is, the verdict and why, strongest first; ``verbose``: every reason and the
    rule's sources under each row, as the JSON and the workbook give them, for checking a verdict at its source."""
    if not verdicts:  # a header and no rows: said, never '0 items:' over an empty table
        return "No items: the presence file has a header row and no items, so nothing in it creates presence.\n"
    rows = [[v.jurisdiction, v.item.kind, _cut(printable(v.item.location), 24), v.shown, v.reasons[0]]
            for v in verdicts]
    counts: dict[str, int] = {}
    for v in verdicts:
        counts[v.shown] = counts.get(v.shown, 0) + 1
    head = "\n".join(_wrap(f"{_count(len(verdicts), 'item')}: " + ", ".join(f"{n} {k}" for k, n in counts.items()),
                           width))
    headers = ["Place", "Kind", "Location", "Verdict", "Why"]
    # The reason gets the room the other columns leave (they were once taken as 62 columns wide, and are 64 with
    # 'third-party-inventory', so the screen ran two columns past the terminal); where that is too narrow to read
    # (under 50 columns: a reason then took eight lines or more), each reason goes under its row, across the screen.
    used = sum(max(display_width(h), *(display_width(printable(row[i])) for row in rows)) + 2
               for i, h in enumerate(headers[:4])) if rows else 0
    room = width - used
    while not verbose and (room >= 50 or not rows):
        # Each reason wrapped here, at spaces only: tabulate's own wrap splits 'physical-presence' at its hyphen.
        wrapped = [row[:4] + ["\n".join(line.strip() for line in _wrap(row[4], room))] for row in rows]
        table = tabulate(wrapped, headers=headers, disable_numparse=True)
        over = max(display_width(line) for line in table.splitlines()) - width
        if over <= 0 or not rows:
            return printable(f"{head}\n\n{table}\n")
        room -= over  # the wrap measured otherwise than the screen does: narrower, by what is over
    lines = tabulate([row[:4] for row in rows], headers=headers[:4], disable_numparse=True).splitlines()
    out = lines[:2]
    for line, row, v in zip(lines[2:], rows, verdicts):
        out += [line]
        for reason in v.reasons if verbose else [row[4]]:
            out += _wrap(reason, width, "    ")
        if verbose and v.sources:
            out += _wrap(f"Sources: {' '.join(v.sources)}", width, "    ")
    return printable(f"{head}\n\n" + "\n".join(out) + "\n")


def _count(n: int, one: str, many: str = "") -> str:
    """``n`` things in words: "1 country", "2 countries", "0 states"."""
    return f"{n} {one if n == 1 else (many or one + 's')}"


def cdn_screen(rows: Sequence[dict[str, Any]], providers: Sequence[str], width: int = DEFAULT_WIDTH) -> str:
    """Per CDN the decision figure first (US states and countries where its caches would create or need a
    review of presence), then the places side by side: the verdict once (a third-party cache's, whichever CDN's),
    then each CDN's number of points of presence there."""
    lines = _wrap("What each CDN's points of presence would mean for presence (a cache there, third-party):", width)
    summary: list[list[Any]] = []
    for p in providers:
        counts = {"creates": [0, 0], "review": [0, 0], "safe-harbor": [0, 0]}
        for r in rows:
            verdict = r[p]["verdict"]
            if verdict in counts:
                counts[verdict][0 if r["jurisdiction"].startswith("US-") else 1] += 1
        if not any(r[p]["pops"] for r in rows):  # no list (Akamai): nothing is known, which is not zero
            summary.append([p.capitalize(), "not known"] + [("not known",)] * 3)
            continue
        summary.append([p.capitalize(), sum(1 for r in rows if r[p]["pops"]),
                        *((_count(states, 'state'), _count(countries, 'country', 'countries'))
                          for states, countries in (counts["creates"], counts["review"], counts["safe-harbor"]))])
    lines.append(_summary_table(summary, width))
    for p in providers:
        if not any(r[p]["pops"] for r in rows):
            lines += _wrap(f"{p.capitalize()}: nexus has no list of its points of presence (the provider publishes "
                           f"none), so it shows nothing here; ask the provider which cities would serve your data "
                           f"and list them in a presence file.", width)
    listed = [p for p in providers if any(r[p]["pops"] for r in rows)]  # Akamai's empty column said above
    body = [[r["jurisdiction"], r["name"], next((r[p]["verdict"] for p in listed if r[p]["pops"]), "")]
            + [len(r[p]["pops"]) or "" for p in listed] for r in rows]
    if listed:
        lines += ["", fit(body, ["Code", "Jurisdiction", "Verdict"] + [p.capitalize() for p in listed], width,
                          cut={"Jurisdiction": 12}, align={p.capitalize(): "right" for p in listed})]
    return "\n".join(lines) + "\n"


def _summary_table(summary: Sequence[Sequence[Any]], width: int) -> str:
    """The CDNs' decision figures, 'states, countries' on one line where the screen has room, else on two (at 80
    columns, three CDNs' one-line table was 89 wide)."""
    headers = ["CDN", "Places", "Creates", "Review", "Safe harbor"]
    for sep in (", ", ",\n"):
        cells = [list(row[:2]) + [sep.join(pair) for pair in row[2:]] for row in summary]
        table = tabulate(cells, headers=headers, disable_numparse=True)
        if max(display_width(line) for line in table.splitlines()) <= width:
            break
    return table


def _act_now_summary(summary: dict[str, Any]) -> str:
    """A kept check in its screen's words: the places in Act now (the first five named), Watch and the rows
    read (the registered places that collect are in the JSON's ``collecting``)."""
    act, watch = summary.get("act_now") or [], summary.get("watch") or []
    named = f" ({', '.join(act[:5])}{', ...' if len(act) > 5 else ''})" if act else ""
    parts = [f"potential exposure in {len(act)}{named}" if act else "no potential exposure found"]
    if watch:
        parts.append(f"{len(watch)} approaching")
    rows = summary.get("rows_read")
    return ", ".join(parts) + (f"; {rows:,} row{'s' * (rows != 1)} read" if isinstance(rows, int) else "")


def _event_summary(kind: str, summary: dict[str, Any]) -> str:
    """One sentence for a stored check or review, from the summary the store keeps."""
    if kind == "check" and "act_now" in summary:  # the screen's own sections (checks kept before: below)
        return _act_now_summary(summary)
    if kind == "check":
        statuses = summary.get("statuses", {})
        exceeded = summary.get("exceeded", [])
        named = f" ({', '.join(exceeded[:5])}{', ...' if len(exceeded) > 5 else ''})" if exceeded else ""
        # the places named are the exceeded ones: beside that count, not after the last status
        parts = [f"{n} {k}" + (named if k == "exceeded" else "") for k, n in statuses.items() if n]
        if exceeded and not statuses.get("exceeded"):
            parts.insert(0, f"{len(exceeded)} exceeded{named}")
        rows = summary.get("rows_read")
        return (f"{', '.join(parts) or 'nothing exceeded'}"
                + (f"; {rows:,} row{'s' * (rows != 1)} read" if isinstance(rows, int) else ""))
    words = ["first review: nothing to compare with"] if summary.get("first_review") else []
    # its currencies were listed, not added; what the list holds that is wrong is said for every review
    keys = ("withdrawn", "unknown", "not_for_sale") if words else ("added", "removed", "withdrawn", "unknown",
                                                                   "not_for_sale")
    for key in keys:
        codes = summary.get(key) or []
        if codes:
            words.append(f"{key.replace('_', ' ')} {', '.join(map(str, codes))}")
    return "; ".join(words) or "no change"


def history_screen(events: Sequence[Any], width: int = DEFAULT_WIDTH, verbose: bool = False) -> str:
    """Past checks and currency reviews, newest first, each in one sentence. A check's subject names its files
    (``orders-2025.csv``), as a controller knows them; ``verbose``, their whole paths, broken after a '/'."""
    if not events:
        return "Nothing kept yet: checks and currency reviews are kept in the local store as they run.\n"
    # the date, kind and id (at least its header and tabulate's padding) and the gaps between take about 34
    # columns; the subject and summary share the rest
    fixed = 16 + 6 + max([4] + [len(str(e.id)) for e in events]) + 8
    subject = max(16, min(30, (width - fixed) // 2))
    # wrapped here, not by tabulate, which breaks at hyphens: 'US-' on one line and 'CO' on the next; escaped
    # first, then measured: a file named with ESC is shown as '\x1b', three columns wider than it was measured
    rows = [[e.at.replace("T", " ")[:16], e.kind, e.id, _fill_paths(_event_subject(e, verbose), subject),
             _fill(printable(_event_summary(e.kind, e.summary)), max(20, width - fixed - subject))] for e in events]
    return printable(tabulate(rows, headers=["When (UTC)", "What", "Id", "Subject", "Summary"], disable_numparse=True)
                     + "\n")


def _event_subject(event: Any, verbose: bool) -> str:
    """A check's date and files (by name, or ``verbose`` by whole path); a review's provider as kept."""
    if not event.inputs:
        return str(event.subject)
    files = event.inputs if verbose else [re.split(r"[\\/]", path)[-1] for path in event.inputs]
    return event.subject.split(":", 1)[0] + ": " + ", ".join(files)


def _fill(text: str, width: int) -> str:
    """A cell's text in lines of ``width``, broken at spaces, never inside a code such as US-CO."""
    return "\n".join(textwrap.wrap(text, width, break_on_hyphens=False)) or text


def _fill_paths(text: str, width: int) -> str:
    """A cell's text in lines of ``width``, broken at spaces and after each '/' of a path, so that a folder or a
    file's name is never cut mid-word ('/work/leftov' over 'ers/...'); a name longer than the line alone is broken
    after a hyphen ('amazon-all-orders-' over '2025-2026.txt'), or where it must. Split as written, measured and
    returned as shown: a control character in a name is its escape ('\\x1b', four columns), whose backslash is no
    folder's end."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        glue = " " if line else ""
        # '/work/', 'leftovers/', 'orders.csv': a path's leading '/' stays with the folder it starts
        for piece in re.findall(r"[/\\]*[^/\\]+[/\\]?|[/\\]+", word):
            piece = printable(piece)
            if line and display_width(line + glue + piece) > width:  # 注文 takes four columns
                lines.append(line)
                line, glue = "", ""
            if display_width(piece) > width:  # alone too long for a line: its own lines, the last one carried on
                *whole, piece = textwrap.wrap(piece, width, break_on_hyphens=True) or [piece]
                lines += whole
            line += glue + piece
            glue = ""
    return "\n".join(lines + [line]) if line or lines else printable(text)


def rates_status_screen(path: str, coverage: Any, fetches: Sequence[Any], width: int = DEFAULT_WIDTH) -> str:
    """``nexus rates status``: where the store is, what it holds, how old its newest rate is (stale said, with
    what to do), the silences a check cannot convert across, the currencies no longer coming, and each fetch."""
    lines = _wrap(f"Store: {path}", width)
    if coverage is None:
        return "\n".join(lines + _wrap("No rates stored: run 'nexus rates fetch' (or, offline, 'nexus rates import "
                                       "FILE' with the ECB's eurofxref-hist.zip downloaded elsewhere).", width)) + "\n"
    age = (f", {coverage.business_days_old} business day{'s' * (coverage.business_days_old != 1)} before today "
           f"({coverage.today})" if coverage.business_days_old else "")
    lines += _wrap(f"Rates for {coverage.currencies} currencies from {coverage.first}, newest {coverage.newest}{age}.",
                   width)
    if coverage.stale:
        lines += _wrap(f"Stale: a check converts sales after {coverage.newest} at that day's rate for up to "
                       f"{MAX_RATE_AGE_DAYS} days, "
                       f"and stops on any later sale; run 'nexus rates fetch' (or 'nexus rates import FILE').", width)
    if coverage.gaps:
        spans = ", ".join(f"{a} and {b}" for a, b in coverage.gaps[:5])
        more = f" and {len(coverage.gaps) - 5} more" if len(coverage.gaps) > 5 else ""
        lines += _wrap(f"Gaps: no rates between {spans}{more} (more than {MAX_RATE_AGE_DAYS} days): a check "
                       f"with sales in them stops; "
                       f"fetch or import the history file (eurofxref-hist.zip) to fill them.", width)
    if coverage.ended:
        lines += _wrap("No longer in the newest rates: " + ", ".join(
            f"{c} (last {d}" + (f"; replaced by {fixed[0]} on {fixed[2]}: a check converts it at the fixed "
                                f"{fixed[1]} {c} per {fixed[0]})"
                                if (fixed := fixed_rate(c, d + timedelta(days=1))) else ")")
            for c, d in coverage.ended) + ".", width)
    headers = ["Fetched (UTC)", "Source", "URL", "Rates", "From", "To"]
    rows = [[f.fetched_at.replace("T", " ")[:16], f.source, printable(f.url), f"{f.rates:,}", str(f.first_day),
             str(f.last_day)] for f in fetches]

    def others(keep: Sequence[str]) -> int:
        """What the columns but the URL take: tabulate pads a header by two and puts two spaces between columns."""
        return sum(max([display_width(h) + 2] + [display_width(r[headers.index(h)]) for r in rows]) + 2
                   for h in keep if h != "URL")

    # The URL takes what the other columns leave, cut at its start: the file's or the download's name is at its
    # end. Where that leaves less than a name of 20 (an 80-column terminal: 'eurofxref-hist.csv' cut to
    # '...urofxref-hist.csv', the line one column too wide), the Source column (the one publisher) goes first.
    keep = headers if width - others(headers) >= 24 else [h for h in headers if h != "Source"]
    room = max(12, width - others(keep))
    rows = [[_cut_start(v, room) if h == "URL" else v for h, v in zip(headers, r) if h in keep] for r in rows]
    lines.append(fit(rows, keep, width, align={"Rates": "right"}))
    return printable("\n".join(lines) + "\n")
