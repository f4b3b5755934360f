"""Text made safe for where it goes, and measured for the screen: every output's one place for it. Text from the
inputs never becomes a formula in a spreadsheet (:func:`safe_text`), a control sequence or a reordering on a terminal
(:func:`printable`, :func:`one_line`), nor in JSON printed to one (:func:`json_dumps`, every JSON document nexus
writes); :func:`display_width` measures it in screen columns, :func:`tabulate` draws tables with the library loaded
only when one is drawn. None of it knows a finding: the CLI's errors and every command's output use it alike.
"""
from __future__ import annotations

import json
import re
from typing import Any

from nexus import outputs


def safe_text(value: str) -> str:
    """Neutralise text a spreadsheet would read as a formula (:func:`nexus.outputs.spreadsheet_safe`)."""
    return outputs.spreadsheet_safe(value)


#: Control characters other than the line break: a name in a chart or a check that carries them (ESC ] 8 makes a
#: hidden hyperlink, ESC [ 2 J clears the screen) would be run by the terminal the table is printed on.
#: The bidirectional overrides, embeddings and isolates (U+202A-U+202E, U+2066-U+2069) reverse or reorder the rest
#: of the line they are printed on (a location's RLO turned the screen's columns around): shown as escapes too.
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` for a terminal: each control character but the line break shown as its escape (``\\x1b``), as the
    error line shows them. The one place text from the inputs is made safe for a screen."""
    return outputs.shown_escaped(_CONTROL, text)


def one_line(text: str) -> str:
    """``text`` for one line of a screen: :func:`printable`, with a line break shown as ``\\n`` too. A SKU or a name
    whose cell held a line break (Alt+Enter in Excel) otherwise ran onto a line of its own, read as another row."""
    return printable(text).replace("\n", "\\n")


def display_width(text: str) -> int:
    """Columns ``text`` takes on a terminal (wcwidth, which tabulate measures its columns with too): East Asian
    wide and full-width characters (kanji, hangul, emoji) two, combining marks and invisible format characters
    none, the others one. A control character, which screens show escaped (:func:`printable`), counts as none."""
    if text.isascii() and text.isprintable():
        return len(text)
    from wcwidth import wcswidth, wcwidth

    width = wcswidth(text)
    return width if width >= 0 else sum(max(wcwidth(ch), 0) for ch in text)


def tabulate(*args: Any, **kwargs: Any) -> str:
    """tabulate's table, the library imported when a table is first drawn: with wcwidth it takes 35 ms to import,
    which a JSON or workbook report never needs."""
    from tabulate import tabulate as table

    return table(*args, **kwargs)


#: What ``json.dumps`` leaves raw with ``ensure_ascii=False`` that a terminal acts on: DEL and the C1 controls
#: (U+009B starts a control sequence as ESC [ does), the line and paragraph separators, and the bidirectional
#: overrides, embeddings and isolates (a location's U+202E reversed the rest of the printed line). JSON's own
#: escapes already cover U+0000-U+001F.
_JSON_RAW = re.compile(r"[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def json_dumps(document: Any) -> str:
    """The one writer of every JSON document nexus prints or saves: UTF-8 text kept readable (kanji as kanji), and
    each character of :data:`_JSON_RAW` written as its ``\\u`` escape, so that JSON shown on a terminal cannot
    reorder or control it, and reads back as the very same text. Such characters only occur inside strings, where
    the escape means the character itself."""
    text = json.dumps(document, ensure_ascii=False, indent=2)
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"
