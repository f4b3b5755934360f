"""Shared fixtures: small inputs written next to the assertion that uses them."""
from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from nexus.rules import RuleBook, parse_rulebook

SAMPLES = Path(__file__).resolve().parent.parent / "spreadsheets"


@pytest.fixture
def write(tmp_path: Path):
    """write("name.csv", text) -> absolute path, with the text dedented."""

    def _write(name: str, text: str, encoding: str = "utf-8") -> str:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding=encoding)
        return str(path)

    return _write


def make_rule(**overrides: Any) -> dict[str, Any]:
    """A valid rule row (a $100,000 OR 200 test over the current or previous year) to vary in tests."""
    row = {
        "jurisdiction": "US-ZZ", "name": "Testland", "authority": "Testland DOR",
        "effective_from": "2018-01-01", "sales_threshold": "100000", "sales_comparison": "more_than",
        "transactions_threshold": 200, "transactions_comparison": "at_least", "combine": "or",
        "period": "current_or_previous_calendar_year", "basis": "gross", "marketplace": "included",
        "categories": ["goods", "digital", "saas", "services"],
        "sources": ["https://example.org/testland"], "last_verified": "2026-11-27",
    }
    row.update(overrides)
    return row


def book(*rows: dict[str, Any]) -> RuleBook:
    return parse_rulebook({"published": "2026-11-27", "rules": list(rows)})


@pytest.fixture(autouse=True)
def private_store(tmp_path, monkeypatch):
    """Never read or write the user's real store: each test gets an empty one of its own."""
    monkeypatch.setenv("NEXUS_DB", str(tmp_path / "nexus-store.sqlite3"))


def account(read: int, used: int, skipped: int = 0, duplicates: int = 0, left_out: int = 0, superseded: int = 0,
            conflicts: int = 0, overlaps: int = 0) -> dict[str, int]:
    """A ledger's whole row account (``Ledger.summary()``), zero where not given."""
    return {"rows_read": read, "rows_used": used, "rows_skipped": skipped, "duplicates": duplicates,
            "rows_left_out": left_out, "rows_superseded": superseded, "conflicts": conflicts,
            "migration_overlaps": overlaps}
