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


def test_the_snowflake_query_finds_the_date_column_as_snowflake_stores_it():
    """Snowflake stores a column made without quotes (CREATE TABLE orders (order_id ..., date DATE ...), or a view
    renaming columns AS date) in upper case, and resolves a quoted name by its exact case: the query's "date"
    found no such column ('invalid identifier'), though order_id and amount, unquoted, were found. DATE is a type
    keyword Snowflake does not reserve: it is now written unquoted, like every other column; ROWS is reserved and
    stays quoted."""
    import sqlglot
    from sqlglot import exp

    from nexus.sql import render

    tree = sqlglot.parse_one(render("snowflake"), read="snowflake")
    names = {(n.this, n.quoted) for n in tree.find_all(exp.Identifier) if n.this.lower() in ("date", "rows",
                                                                                              "order_id")}
    assert names == {("date", False), ("rows", True), ("order_id", False)}
    # Other engines fold names otherwise (PostgreSQL to lower case): their renderings keep the quotes.
    assert 'CAST("date" AS TEXT)' in render("postgres") and "CAST(`date` AS STRING)" in render("spark")


def test_the_help_names_the_columns_the_query_reads():
    """'nexus sql --help' said only 'with nexus's field names': a controller handing the query to a data team
    could not say which columns the table needs, and the query then stopped on the warehouse ('Referenced column
    "kind" not found'). The columns, from docs/scale.md: order_id, date, country, region, amount, currency,
    channel, kind, exempt, category; shipping and tax with --charges."""
    text = " ".join(CliRunner().invoke(cli, ["sql", "--help"]).stdout.split())
    assert ("order_id, date, country, region, amount, currency, channel, kind, exempt, category (and shipping, "
            "tax with --charges)") in text
