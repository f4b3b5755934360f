"""The nexus memo: one self-contained HTML file a CFO reads in five minutes (``nexus check --html FILE``).

Where the company has exposure, how much, by when to act, and what comes next: a headline, a US tile map and
a world view coloured by whether nexus exists, the timeline of deadlines and projected crossings, the
jurisdictions in order of urgency, presence, the rules and sources applied, the assumptions (what the estimates
assume among them) and the row account. The workbook serves the accountant; the memo serves the person who decides,
from the same figures. Each section's module chooses and words what it shows from the findings, and the templates
only lay it out: :mod:`nexus.memo.headline`, :mod:`nexus.memo.map_places`, :mod:`nexus.memo.timeline_chart`,
:mod:`nexus.memo.jurisdictions` (whose words of a finding the others share), :mod:`nexus.memo.presence_rules`,
:mod:`nexus.memo.assumptions` and :mod:`nexus.memo.row_account`, the money at stake worded by
:mod:`nexus.memo.at_stake`. None computes a tax figure of its own: the assumptions only add up the places' estimates
that an assumption applies to, to list the most material first.

The file opens from an e-mail attachment or a file share with no network: CSS and SVG are inline, the one
small script (sorting the table) is inline and optional, and a Content-Security-Policy forbids every remote
load. The policy allows the page's own style and script by their SHA-256 hashes only, so even text that
escaped escaping could not run. Every text from the input is escaped by Jinja2's autoescaping.

The provider comparison's memo (``nexus provider compare --html FILE``) is the same kind of page, from
the same base template, styles and helpers: :mod:`nexus.memo.provider`.

More information: docs/memo.md.
"""
from __future__ import annotations

import base64
import functools
import hashlib
import os
import re
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup

from nexus import __version__, outputs
from nexus.report import due_before_orders_words
from nexus.text_safety import printable
from nexus.findings import CheckResult
from nexus.memo import (assumptions, headline, jurisdictions, map_places, maps, presence_rules, row_account,
                        timeline_chart)


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def policy(style: str, script: str) -> str:
    """The Content-Security-Policy: nothing from anywhere, except this page's own style and script (by hash),
    and images written into the page itself (``data:``)."""
    return (f"default-src 'none'; style-src {_hash(style)}; script-src {_hash(script)}; img-src data:; "
            f"base-uri 'none'; form-action 'none'")


_HOST = re.compile(r"[A-Za-z0-9.-]+(:[0-9]+)?")
_ODD = re.compile(r"[\s\"'<>`]")


def link(url: str) -> Markup:
    """A source as a link when it is a web address; anything else (``javascript:``...) as plain text."""
    parts = urlsplit(url)
    text = Markup.escape(printable(url))
    if parts.scheme in ("http", "https") and _HOST.fullmatch(parts.netloc) and not _ODD.search(url):
        return Markup(f'<a href="{text}" rel="noreferrer">{text}</a>')
    return text


# A word (between spaces) holding a subdivision code: '(US-TN),' is kept whole, brackets and all.
_CODE = re.compile(r"\S*\b[A-Z]{2}-[A-Z0-9]{1,3}\b\S*")
# The same, or a date, which a browser broke as '2026-01-' above '01 to 2026-10-31' in the headline's home line.
_CODE_OR_DATE = re.compile(r"\S*\b(?:[A-Z]{2}-[A-Z0-9]{1,3}|\d{4}-\d{2}-\d{2})\b\S*")


def whole_codes(text: str, dates: bool = False) -> Markup:
    """``text`` escaped, each word holding a subdivision code (``US-TN``) kept on one line: a browser breaks a
    line after a hyphen, and 'Tennessee (US-' above 'TN)' reads as two places; with ``dates``, each date too."""
    text, out, at = printable(text), [], 0
    for m in (_CODE_OR_DATE if dates else _CODE).finditer(text):
        out += [str(Markup.escape(text[at:m.start()])), f'<span class="whole">{Markup.escape(m.group(0))}</span>']
        at = m.end()
    return Markup("".join(out) + str(Markup.escape(text[at:])))


def shown(value: Any) -> Any:
    """Every value a template writes: text from the input with its control characters and bidirectional overrides
    shown as escapes (``\\x1b``, ``\\u202e``), as the screen and the workbook show them; a raw ESC or RLO in a
    rejected row's text reached the page, the override reversing the rest of its cell. Markup nexus built (the
    style, the script, links) is left as it is."""
    return printable(value) if isinstance(value, str) and not isinstance(value, Markup) else value


@functools.lru_cache(maxsize=None)
def _environment() -> jinja2.Environment:
    """The templates' one environment, made once: Jinja2 compiles each template the first time it is asked for and
    keeps it in its environment, so every memo after the first in a process is rendered without compiling (0.09 to
    0.02 CPU-seconds for the sample's memo)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("nexus.memo", "templates"), finalize=shown,
        autoescape=True,  # every template, whatever its name: input text is escaped everywhere
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["link"] = link
    env.filters["whole_codes"] = whole_codes
    return env


def _asset(name: str) -> str:
    return resources.files("nexus.memo").joinpath("templates").joinpath(name).read_text(encoding="utf-8")


def context(result: CheckResult) -> dict[str, Any]:
    """Everything the template shows, from each section's module."""
    cited = presence_rules.Sources()
    presence = presence_rules.presence_rows(result, cited)
    rules = presence_rules.rule_rows(result, cited)
    return {"result": result, "version": __version__, "headline": headline.headline(result),
            "us": map_places.us_map(result), "world": map_places.world_map(result),
            "timeline": timeline_chart.timeline_view(result),
            "rows": jurisdictions.rows(result), "sales_words": jurisdictions.sales_words(result),
            "from_first_order": due_before_orders_words(result), "home": headline.home_words(result),
            "assumed": assumptions.estimates_assume(result),
            "presence": presence, "rules": rules,
            "sources": cited.urls,
            "assumptions": assumptions.assumptions(result), "account": row_account.account(result),
            "warnings": list(result.warnings), "categories": maps.CATEGORIES}


def page(template: str, values: dict[str, Any], categories: dict[str, maps.Category] = maps.CATEGORIES,
         styles: tuple[str, ...] = ("memo.css",)) -> str:
    """One memo page: ``template`` (which extends ``base.html``) with ``values``, the style sheets ``styles``
    (``memo.css`` first, the shared one) coloured for ``categories``, the shared script, and the policy that
    allows exactly that style and script. Both memos are written through this."""
    env = _environment()
    style = "".join(env.get_template(name).render(categories=categories, page=maps.PAGE_COLOURS,
                                                  answers=maps.ANSWER_BADGES) for name in styles)
    script = _asset("memo.js")
    return env.get_template(template).render(**values, style=Markup(style), script=Markup(script),
                                             policy=policy(style, script))


def render(result: CheckResult) -> str:
    """The memo as one HTML document."""
    return page("memo.html", context(result))


def write_memo(result: CheckResult, path: str | os.PathLike[str]) -> None:
    """Write the memo to ``path`` whole or not at all (:func:`nexus.outputs.write_text`)."""
    outputs.write_text(path, render(result))
