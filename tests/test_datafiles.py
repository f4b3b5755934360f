"""The data files are read through one door (nexus/datafiles.py): every bundled CSV table keeps its provenance
lines out of its rows, and every JSON table names its sources."""
from __future__ import annotations

from pathlib import Path

import pytest

from nexus import datafiles

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.mark.parametrize("name", sorted(p.name for p in DATA.glob("*.csv")))
def test_a_csv_table_reads_its_rows_under_its_header_and_not_its_provenance_lines(name):
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    provenance = [line for line in lines if line.startswith("#")]
    header, *body = [line for line in lines if not line.startswith("#")]
    rows = datafiles.rows(name)
    assert provenance, f"{name} says nowhere where it comes from"
    assert list(rows[0]) == header.split(",")
    assert len(rows) == len([line for line in body if line])
    assert not any(str(value).startswith("#") for row in rows for value in row.values())


@pytest.mark.parametrize("name", sorted(p.name for p in DATA.glob("*.json")))
def test_a_json_table_is_a_document(name):
    document = datafiles.document(name)
    assert isinstance(document, dict) and document
