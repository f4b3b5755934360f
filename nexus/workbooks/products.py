"""The products workbook (``nexus products check --workbook``), declared through the workbook layer, so it follows
the print rules of every nexus workbook (docs/workbook.md). Printed:

* **Summary**: one page: what was read, the counts, the go-live gap, lines without a SKU, SKUs spelled
  differently and matched, and where to look next;
* **Not in ERP**: the SKUs sold that the ERP's item list lacks, largest sales first;
* **Without category**: SKUs whose lines count as unknown, and products-file rows that give no category;
* **Conflicts**: a SKU given two categories or two ERP items, and where each value was read;
* **Spellings**: one SKU written differently (case, spaces, full-width characters), matched and said;
* **By category**: one row per jurisdiction, its sales per category, the categories its rule counts and the sales
  it does not count.

Appendices, hidden so they do not print: **SKUs sold** (every SKU, how it matched the ERP), **By category and
source** (sales and lines per jurisdiction, category and where the category came from) and **Never sold** (ERP
items not sold in the period).
"""
from __future__ import annotations

from typing import Any

from nexus import __version__
from nexus.categories import LINE_CATEGORIES, SOURCE_WORDS, UNKNOWN
from nexus.products_check import ZERO, ProductsCheck, summary
from nexus.products_report import pivot, rule_counts
from nexus.workbooks.sheet import Column, Field, Heading, Page, Part, Sheet, write_workbook


def _money(header: str, get: Any, currency: str, **options: Any) -> Column:
    return Column(header, get, "money", currency=lambda _r: currency, **options)


def _summary(result: ProductsCheck) -> Page:
    code = result.currency
    counts = summary(result)
    parts: list[Part] = [Heading(f"SKU reconciliation as of {result.as_of}"),
                         "The SKUs the store sold against the ERP's item list and the products file: what the move "
                         "must map before go-live, and what each line is for tax.", None,
                         Field("Orders", f"{result.first_order} to {result.last_order}" if result.first_order
                               else "no orders")]
    parts += [Field("Orders file", f"{path} ({rows:,} rows, {layout})") for path, rows, layout in result.files]
    parts += [Field("Products file", result.products_file or "none given (--products)"),
              Field("ERP item list", f"{result.erp_file} ({result.erp_title})" if result.erp_file
                    else "none given (--erp-items): SKUs not in the ERP are not checked"),
              Field("Sales in", f"{code}, net of refunds, at each day's rate"
                    + (f" ({result.rates_source})" if result.rates_source else "")),
              None, Heading("Counts"),
              Field("SKUs sold", counts["skus_sold"], "integer")]
    if result.not_in_erp is not None:
        parts += [Field("SKUs sold that the ERP lacks", counts["not_in_erp"], "integer"),
                  Field("Sales of SKUs the ERP lacks", counts["not_in_erp_sales"], "money", code)]
    parts += [Field("Lines without a SKU", counts["lines_without_sku"], "integer"),
              Field("SKUs without a category", counts["without_category"], "integer"),
              Field("Conflicts", counts["conflicts"], "integer"),
              Field("SKUs spelled differently, matched", counts["spellings"], "integer"),
              Field("Sale lines of unknown category", counts["unknown_category_lines"], "integer"),
              Field("Sales of unknown category", counts["unknown_category_sales"], "money", code)]
    if result.never_sold is not None:
        parts.append(Field("ERP items never sold (for information)", counts["never_sold"], "integer"))
    if result.no_sku is not None:
        s = result.no_sku
        parts += [None, f"Lines without a SKU: {s.lines:,} in {s.orders:,} orders, {code} {s.sales:,}, {s.first} to "
                        f"{s.last}" + (f"; first at {s.examples[0]}." if s.examples else ".")]
    parts += [None, Heading("Where to look next"),
              "Not in ERP: the SKUs to map before go-live. Without category: SKUs whose lines nexus counts as "
              "unknown. Conflicts: a SKU given two categories or two ERP items. Spellings: one SKU written "
              "differently (case, spaces, full-width characters), matched and said. By category: sales per "
              "jurisdiction and category, beside the categories each rule counts.",
              "Appendices, hidden so they do not print (right-click a sheet tab, Unhide): SKUs sold (every SKU and "
              "how it matched), By category and source (sales and lines per category and where it came from), "
              "Never sold (ERP items not sold in the period).",
              f"The same as JSON: nexus products check --format json. Tool: nexus {__version__}."]
    return Page("Summary", parts)


def _sold_columns(code: str) -> list[Column]:
    return [Column("SKU", lambda s: s.sku, width=22), Column("Name", lambda s: s.name, width=22),
            Column("Orders", lambda s: s.orders, "integer"), Column("Lines", lambda s: s.lines, "integer"),
            Column("First sold", lambda s: s.first, "date"), Column("Last sold", lambda s: s.last, "date"),
            _money("Sales", lambda s: s.sales, code),
            Column("Category", lambda s: ", ".join(sorted({c for c, _src, _n in s.categories})), width=14)]


def _not_in_erp(result: ProductsCheck) -> Sheet:
    code = result.currency
    more = [Column("Disabled ERP item", lambda s: s.erp_disabled, width=16),
            Column("ERP SKU but for leading zeros", lambda s: s.erp_zeros, width=16),
            Column("Spellings sold", lambda s: ", ".join(s.spellings), width=30),
            Column("Sold to", lambda s: ", ".join(s.places[:10]), width=30),
            Column("First lines", lambda s: ", ".join(s.examples), width=40)]
    off = sum(1 for s in result.not_in_erp or () if s.erp_disabled)
    zeros = sum(1 for s in result.not_in_erp or () if s.erp_zeros)
    notes = ((f"{len(result.not_in_erp or ())} SKUs sold that {result.erp_file} lacks, {code} "
              f"{result.not_in_erp_sales:,}: map each to an ERP item before go-live."
              + (f" {off} of them match an item disabled in the ERP (column Disabled ERP item): enable it rather "
                 f"than create one." if off else "")
              + (f" {zeros} of them differ from an ERP item's SKU only by leading zeros (column ERP SKU but for "
                 f"leading zeros), which a spreadsheet drops from a number: check whether they are the same "
                 f"product." if zeros else ""),)
             if result.not_in_erp else ("Every SKU sold is in the ERP's item list.",))
    printed = _sold_columns(code)
    return Sheet("Not in ERP", printed + more, list(result.not_in_erp or ()), notes=notes,
                 print_columns=len(printed))


def _without_category(result: ProductsCheck) -> Sheet:
    columns = [Column("SKU", lambda w: w.sku, width=22), Column("Lines", lambda w: w.lines, "integer"),
               _money("Sales", lambda w: w.sales, result.currency), Column("Why", lambda w: w.why, width=50),
               Column("Where", lambda w: w.where, width=30)]
    notes = ("Lines of these SKUs count as unknown: rules that count only some categories leave them out of their "
             "figures (nexus check says so). Add them to the products file with a category or a tax code.",)
    return Sheet("Without category", columns, list(result.without_category), notes=notes)


def _conflicts(result: ProductsCheck) -> Sheet:
    words = {"category": "two categories", "erp_item": "two ERP items", "tax_code": "category vs tax code"}
    rows = [{"sku": c.sku, "what": words[c.what], "value": v, "where": w, "sales": c.sales}
            for c in result.conflicts for v, w in c.values]
    columns = [Column("SKU", lambda r: r["sku"], width=22), Column("Conflict", lambda r: r["what"], width=20),
               Column("Value", lambda r: r["value"], width=18), Column("Where", lambda r: r["where"], width=34),
               _money("SKU's sales", lambda r: r["sales"], result.currency)]
    notes = ("One row per value: nexus check refuses a products file that gives a SKU two categories; two ERP items "
             "for one SKU make the mapping ambiguous." + (" A category its own tax code contradicts: nexus takes the "
                                                          "category; correct whichever is wrong."
                                                          if any(c.what == "tax_code" for c in result.conflicts)
                                                          else ""),)
    return Sheet("Conflicts", columns, rows, notes=notes)


def _spellings(result: ProductsCheck) -> Sheet:
    rows = [{"sku": sp.sku, "spelling": s, "where": w, "differ": ", ".join(sp.differences)}
            for sp in result.spellings for s, w in sp.spellings]
    columns = [Column("SKU", lambda r: r["sku"], width=22), Column("Written", lambda r: r["spelling"], width=22),
               Column("Where", lambda r: r["where"], width=20), Column("Differ by", lambda r: r["differ"], width=20)]
    notes = ("One row per spelling of a SKU in the orders sold, the products file and the ERP's list: spellings that "
             "differ only by case, spaces or full-width characters are matched as one SKU (ＳＫＵ－１ and SKU-1).",)
    return Sheet("Spellings", columns, rows, notes=notes)


def _by_place(result: ProductsCheck) -> Sheet:
    """One row per jurisdiction: sales per category (sources summed), the total, what the rule there counts,
    and the sales it does not count: what the category choice moves."""
    code = result.currency
    rows = pivot(result.by_category, code)
    for row in rows:
        counts = set(row["rule_counts"])
        every = {"goods", "digital", "saas", "services"} <= counts
        row["aside"] = None if not counts else sum(
            (row[c] for c in LINE_CATEGORIES if not (c in counts or (c == UNKNOWN and every))), ZERO)
    columns = [Column("Code", lambda r: r["jurisdiction"]), Column("Jurisdiction", lambda r: r["name"], width=16)]
    columns += [_money(c, lambda r, c=c: r[c] or None, code) for c in LINE_CATEGORIES if any(r[c] for r in rows)]
    columns += [_money("Total", lambda r: r["total"], code),
                Column("Rule counts", lambda r: rule_counts(r["rule_counts"], r["no_sales_tax"]), width=22),
                _money("Not counted by the rule", lambda r: r["aside"], code)]
    notes = (f"Sales net of refunds in {code}, per jurisdiction and category, beside the categories the "
             f"jurisdiction's rule counts on {result.as_of} and the sales it does not count: what the category "
             f"choice moves. Per source of the category: the hidden appendix By category and source.",)
    return Sheet("By category", columns, rows, notes=notes)


def _by_category(result: ProductsCheck) -> Sheet:
    columns = [Column("Code", lambda c: c.jurisdiction), Column("Jurisdiction", lambda c: c.name, width=18),
               Column("Category", lambda c: c.category), Column("Source", lambda c: SOURCE_WORDS[c.source], width=26),
               Column("Lines", lambda c: c.lines, "integer"), _money("Sales", lambda c: c.sales, result.currency),
               Column("Rule counts", lambda c: rule_counts(c.rule_counts, c.no_sales_tax) if not c.rule_counts
                      else ", ".join(c.rule_counts), width=26),
               Column("Counted", lambda c: "" if c.counted is None else ("yes" if c.counted else "no"))]
    notes = ("Sales net of refunds and sale lines per jurisdiction, category and where the category came from; "
             "beside them the categories the jurisdiction's rule counts on the as-of date: what the category "
             "choice moves.",)
    return Sheet("By category and source", columns, list(result.by_category), notes=notes, appendix=True)


def _all_sold(result: ProductsCheck) -> Sheet:
    columns = _sold_columns(result.currency) + [
        Column("ERP match", lambda s: s.erp_match, width=20), Column("ERP item", lambda s: s.erp_item, width=14),
        Column("Products file line", lambda s: s.product.location.line if s.product else None, "integer")]
    return Sheet("SKUs sold", columns, list(result.sold), appendix=True)


def _never_sold(result: ProductsCheck) -> Sheet:
    columns = [Column("SKU", lambda it: it.sku, width=22), Column("ERP item", lambda it: it.item, width=14),
               Column("Name", lambda it: it.name, width=30), Column("Type", lambda it: it.kind, width=16),
               Column("Active", lambda it: "yes" if it.active else "no"),
               Column("Line", lambda it: it.location.line, "integer")]
    return Sheet("Never sold", columns, list(result.never_sold or ()), appendix=True)


def write_products_workbook(result: ProductsCheck, path: str, paper: str | None = None) -> None:
    """Write the products workbook for ``result`` to ``path`` (atomically); ``paper`` A4 or Letter."""
    sheets: list[Any] = [_summary(result), _not_in_erp(result), _without_category(result), _conflicts(result),
                         _spellings(result), _by_place(result), _all_sold(result), _by_category(result)]
    if result.never_sold is not None:
        sheets.append(_never_sold(result))
    write_workbook(path, sheets, title=f"SKU reconciliation as of {result.as_of.isoformat()}",
                   subject="SKUs sold against the ERP's item list, and each line's category for tax",
                   as_of=result.as_of, paper=paper)
