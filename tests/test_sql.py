"""nexus sql: the query that turns an orders table into the daily aggregates 'check --aggregates' reads."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from nexus.cli import cli


@pytest.mark.parametrize("table", ["", "my orders", "orders; DROP TABLE x", '"x'])
def test_a_table_name_that_is_not_one_is_a_one_line_error(table):
    """--table '' or 'orders; DROP TABLE x' stopped sqlglot with a traceback (exit 1); 'my orders' gave
    'FROM my AS orders'."""
    result = CliRunner().invoke(cli, ["sql", "--table", table])
    assert result.exit_code == 2 and "is not a table name" in result.stderr and "Traceback" not in result.output


@pytest.mark.parametrize("table", ["orders", "analytics.orders", "lake.analytics.orders_2026"])
def test_a_table_name_with_its_schema_is_read_into_the_query(table):
    result = CliRunner().invoke(cli, ["sql", "--table", table])
    assert result.exit_code == 0 and f"FROM {table}" in result.stdout
