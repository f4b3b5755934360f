"""SKUs as people and systems type them: one product, however its code is written.

A Japanese storefront exports ``ＳＫＵ－１`` (full-width letters, digits and hyphen, as Japanese input methods
type them) where the ERP holds ``SKU-1``; another system writes ``sku-1`` or ``SKU 1``. They are the same
product. :func:`key` is the form nexus matches SKUs by: Unicode compatibility forms folded (NFKC: full-width
to ASCII, half-width katakana to full-width), dashes of every width read as ``-``, case folded, spaces
removed. Matching never happens silently: :func:`differences` says what had to be ignored for two spellings
to match, and every list that matched two spellings names them both.
"""
from __future__ import annotations

import re
import unicodedata

#: Dash-like characters that a SKU typed in another script or program carries for ``-``: hyphen, non-breaking
#: hyphen, figure dash, en and em dash, horizontal bar, minus sign, small hyphen-minus. Full-width ``－`` becomes
#: ``-`` through NFKC already.
_DASHES = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63]")
#: The katakana prolonged sound mark (ー, half-width ｰ) between two Latin letters or digits: what a Japanese input
#: method types for the hyphen key in kana mode (ＡＢＣー００１). Within katakana it is a letter (コーヒー): kept.
_LONG_MARK = re.compile("(?<=[0-9A-Za-z])\u30fc(?=[0-9A-Za-z])")
_SPACES = re.compile(r"\s+")


def key(sku: str) -> str:
    """The form SKUs are matched by (empty for an empty SKU)."""
    text = _dashes(unicodedata.normalize("NFKC", sku)) if not sku.isascii() else sku
    return _SPACES.sub("", text).casefold()


def _dashes(text: str) -> str:
    """Every dash-like character as ``-`` (text already NFKC: ｰ is ー by then)."""
    return _LONG_MARK.sub("-", _DASHES.sub("-", text))


def _fold(text: str, width: bool, spaces: bool, case: bool) -> str:
    if width:
        text = _dashes(unicodedata.normalize("NFKC", text))
    if spaces:
        text = _SPACES.sub("", text)
    return text.casefold() if case else text


def differences(written: str, other: str) -> tuple[str, ...]:
    """What sets two spellings of one SKU apart: each of ``full-width`` (with other Unicode compatibility forms
    and dashes), ``spaces`` and ``case`` without which they would still differ; empty when written alike."""
    if written == other:
        return ()
    found = []
    for name, flags in (("full-width", (False, True, True)), ("spaces", (True, False, True)),
                        ("case", (True, True, False))):
        if _fold(written, *flags) != _fold(other, *flags):
            found.append(name)
    return tuple(found)


def describe(written: str, other: str) -> str:
    """``'ＳＫＵ－１' and 'SKU-1' differ only by full-width characters``: the note a match carries."""
    what = differences(written, other)
    named = [{"full-width": "full-width characters", "case": "case", "spaces": "spaces"}[w] for w in what]
    words = " and ".join(named) if len(named) < 3 else f"{named[0]}, {named[1]} and {named[2]}"
    return f"{written!r} and {other!r} differ only by {words}: matched as one SKU"
