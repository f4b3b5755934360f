"""nexus products check: the store's SKUs against the ERP's item list and the products file."""
from __future__ import annotations

import sys
from datetime import date

import click

from nexus import erp_items, exports
from nexus.cli import cli
from nexus.cli.check import _rates, _read_orders
from nexus.cli.common import (ColumnType, DateType, OrderCurrencyType, OrderStatusType, emit, no_workbook_on_stdout,
                              refuse_overwriting_inputs, run_library, screen_width, store_input)
from nexus.errors import Location
from nexus.money import currency as find_currency
from nexus.products import read_products
from nexus.products_check import FAIL_ON, check_products
from nexus.products_report import products_json, products_table
from nexus.rules import load_rules
from nexus.read_options import ReadOptions
from nexus.sales import REPEATED_ORDERS


@cli.group(name="products", short_help="Reconcile SKUs with the ERP; each line's tax category.")
def products_group():
    """Products and SKUs: reconcile the store's catalogue with the ERP, and what each line is for tax."""


@products_group.command(name="check", short_help="Reconcile the SKUs sold with the products file and the ERP.")
@click.option("--sales", "sales", multiple=True, required=True, type=click.Path(dir_okay=False),
              help="Order exports (CSV, TSV or XLSX; a platform's export or nexus's layout). Repeat for several.")
@click.option("--products", "products_file", type=click.Path(dir_okay=False),
              help="Products file (CSV or XLSX: sku, category, tax_code, erp_item, name).")
@click.option("--erp-items", "erp_file", type=click.Path(dir_okay=False),
              help="The ERP's item list as it exports it: ERPNext, Odoo, NetSuite, QuickBooks Online, Xero, or "
                   "nexus's own (sku, erp_item, name); recognised from its header.")
@click.option("--erp-format", type=click.Choice(erp_items.names()), default="auto", show_default=True,
              help="Layout of --erp-items (auto: its header decides).")
@click.option("--rates", "rates", multiple=True, metavar="FILE|URL",
              help="Exchange rates (ECB files or a treasury CSV; repeat to combine). Default: the local store.")
@click.option("--report-currency", default="USD", show_default=True, metavar="CODE",
              help="Currency the sales are shown in (converted at each day's rate).")
@click.option("--as-of", type=DateType(), default=None,
              help="Date of the rules whose categories are shown beside the sales (default: today).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False),
              help="Write to FILE instead of standard output ('-': standard output).")
@click.option("--workbook", type=click.Path(dir_okay=False),
              help="Also write the workbook (Summary, Not in ERP, Without category, Conflicts, By category) to "
                   "FILE.xlsx.")
@click.option("--fail-on", type=click.Choice(FAIL_ON),
              help="Exit 1 if a SKU sold is not in the ERP's item list (a go-live gate; needs --erp-items).")
@click.option("--column", "columns", multiple=True, type=ColumnType(),
              help="Map a field of nexus's order layout to your export's header, e.g. --column sku=\"Item No\".")
@click.option("--currency", "order_currency", type=OrderCurrencyType(), metavar="CODE",
              help="Currency of order rows (or files) without a currency column, as for nexus check.")
@click.option("--source-format", type=click.Choice(exports.names()), default="auto", show_default=True,
              help="Layout of the --sales files (auto: each file's header decides).")
@click.option("--repeated-orders", type=click.Choice(REPEATED_ORDERS), default="error", show_default=True,
              help="An order id repeated with different content: stop (error), line items of one order (lines), or "
                   "keep the later copy (latest).")
@click.option("--order-status", "order_statuses", multiple=True, type=OrderStatusType(),
              help="How to read an order status the platform does not define, as for nexus check: shipped=paid or "
                   "shipped=unpaid.")
@click.option("--encoding", default="auto", show_default=True, metavar="NAME", help="Text encoding of CSV files.")
@click.option("--db", type=click.Path(dir_okay=False), help="The local store (default: in your user data folder).")
@click.option("--debug", is_flag=True, help="Show a traceback for errors.")
def products_check(sales, products_file, erp_file, erp_format, rates, report_currency, as_of, fmt, output, workbook,
                   fail_on, columns, order_currency, source_format, repeated_orders, order_statuses, encoding, db,
                   debug):
    """List SKUs sold that the ERP lacks, lines without a SKU, SKUs without a category, conflicts, SKUs spelled
    differently (full-width, case, spaces), ERP items never sold, and sales by category per jurisdiction."""
    if fail_on == "not-in-erp" and not erp_file:
        raise click.UsageError("--fail-on not-in-erp needs the ERP's item list (--erp-items FILE)")
    no_workbook_on_stdout("--workbook", workbook)
    refuse_overwriting_inputs(
        [("--output", output), ("--workbook", workbook)],
        [("--sales", p) for p in sales] + [("--rates", r) for r in rates]
        + [("--products", products_file), ("--erp-items", erp_file), store_input(db)])

    def work():
        catalogue = read_products(products_file) if products_file else None
        items = erp_items.read_items(erp_file, erp_format) if erp_file else None
        options = ReadOptions(columns=dict(columns), currency=order_currency, encoding=encoding,
                              source_format=source_format, repeated_orders=repeated_orders, products=catalogue,
                              collect_skus=True, order_statuses=dict(order_statuses))
        ledger = _read_orders(sales, options, "python")
        code = find_currency(report_currency, Location("--report-currency", value=report_currency)).code
        result = check_products(ledger, catalogue, items, load_rules(), as_of or date.today(), _rates(rates, db), code)
        if workbook:
            from nexus.workbooks.products import write_products_workbook  # XlsxWriter only when asked for

            write_products_workbook(result, workbook)
        return result

    result = run_library(debug, work)
    emit(products_json(result) if fmt == "json" else products_table(result, screen_width() if not output else 100),
         output)
    if fail_on and result.fails(fail_on):
        sys.exit(1)
