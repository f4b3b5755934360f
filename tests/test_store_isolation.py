"""The tests never touch the user's own local store: a fixture of a module or of the session runs nexus before any
test's own store is set (conftest's private_store), and the hostile orders of the memo's browser test were kept in the
history of the developer running the suite."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def store_of_a_module_fixture() -> str | None:
    return os.environ.get("NEXUS_DB")


def test_a_module_fixture_runs_nexus_with_a_store_of_the_test_run(store_of_a_module_fixture):
    assert store_of_a_module_fixture is not None
    assert Path(store_of_a_module_fixture).resolve().is_relative_to(Path(tempfile.gettempdir()).resolve())
