"""The provider comparison as a memo (``nexus provider compare ... --html FILE``): one self-contained page for
the person who signs the contract.

It is the check's memo's kind of page, built from the same parts: the base template (the policy first, inline
style and script), the shared style sheet with a few rules of its own (``provider.css``), the tile maps of
:mod:`nexus.memo.maps` and the macros for legends, text lists, citations, sources and the row account. What it
shows is chosen and worded in :mod:`nexus.memo.provider_view` from the comparison's records.

More information: docs/memo.md and docs/provider.md.
"""
from __future__ import annotations

import os

from nexus import outputs
from nexus.memo import maps, page, provider_view
from nexus.provider import Comparison


def render_comparison(comparison: Comparison) -> str:
    """The comparison's memo as one HTML document."""
    return page("provider.html", provider_view.context(comparison),
                {**maps.CATEGORIES, **maps.DELTA_CATEGORIES}, ("memo.css", "provider.css"))


def write_comparison_memo(comparison: Comparison, path: str | os.PathLike[str]) -> None:
    """Write the comparison's memo to ``path`` whole or not at all (:func:`nexus.outputs.write_text`)."""
    outputs.write_text(path, render_comparison(comparison))
