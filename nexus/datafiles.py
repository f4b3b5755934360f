"""The reference tables shipped in ``data/``, read through one door.

Every rule, rate, region and currency fact nexus uses comes from a file in ``data/`` (installed inside the
package as ``nexus/data``, declared in setup.py), each with its sources and the date it was last verified.
The modules that own a table (``rules``, ``tax_rates``, ``currencies``...) check its rows and build their
records; this module only finds and opens the file, so that where the files live and how they are decoded is
said once. CSV tables may start with ``#`` lines giving their provenance, as python-stdnum's ``.dat`` files
do: those lines are skipped here.
"""
from __future__ import annotations

import csv
import json
from importlib import resources
from typing import Any


def text(name: str) -> str:
    """The file ``data/<name>`` as text (UTF-8)."""
    return resources.files("nexus").joinpath("data").joinpath(name).read_text(encoding="utf-8")


def document(name: str) -> dict[str, Any]:
    """The JSON file ``data/<name>``: a document with its title, sources and rows."""
    found: dict[str, Any] = json.loads(text(name))
    return found


def rows(name: str) -> list[dict[str, str]]:
    """The CSV file ``data/<name>``, a dict per row keyed by its header, its ``#`` provenance lines left out."""
    return list(csv.DictReader(line for line in text(name).splitlines() if not line.startswith("#")))
