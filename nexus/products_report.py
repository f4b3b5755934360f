"""Rendering ``nexus products check``: a table for people (most consequential first) and JSON for programs.

The JSON shape is documented in docs/json.md ("nexus products check"): keys in snake_case, money as decimal
strings in the reporting currency, dates as ISO 8601, null where a list was not asked for (no ERP item list:
``not_in_erp`` and ``never_sold`` are null, not empty).
"""
from __future__ import annotations

from typing import Any, Sequence

from nexus.categories import LINE_CATEGORIES, SOURCE_WORDS
from nexus.money import format_amount, quantize
from nexus.products_check import CategorySales, ProductsCheck, Sold, summary
from nexus.text_safety import json_dumps, one_line, printable
from nexus.terminal import DEFAULT_WIDTH, _wrap, fit, fit_wrapped

#: Rows of each list on screen; the rest are counted, and are in the JSON and the workbook.
SCREEN_ROWS = 12
#: Jurisdictions in the screen's sales-by-category table.
SCREEN_PLACES = 12


def _money(amount: Any, code: str) -> str:
    return f"{code} {format_amount(amount, code)}"


def _categories(s: Sold) -> str:
    return ", ".join(sorted({c for c, _source, _n in s.categories})) or "-"


def _more(shown: int, total: int, what: str) -> list[str]:
    return [f"and {total - shown:,} more {what}: --format json or --workbook"] if total > shown else []


def products_table(result: ProductsCheck, width: int = DEFAULT_WIDTH) -> str:
    """The check for a person: the go-live gap first, then what would mislead the tax figures."""
    code = result.currency
    period = (f"orders {result.first_order} to {result.last_order}" if result.first_order else "no orders")
    skus = f"{len(result.sold):,} SKU{'s' * (len(result.sold) != 1)}"
    lines = _wrap(f"SKU reconciliation: {skus} sold, {period} ({len(result.files)} file"
                  f"{'s' * (len(result.files) != 1)}); products: {result.products_file or 'none given'}; ERP items: "
                  + (f"{result.erp_file} ({result.erp_title})" if result.erp_file else "none given (--erp-items)"),
                  width)
    if result.not_in_erp is None:
        lines += ["", "Not in the ERP: not checked (no --erp-items)."]
    elif not result.not_in_erp:
        lines += ["", "Not in the ERP: none. Every SKU sold is in the ERP's item list."]
    else:
        gap = result.not_in_erp
        lines += ["", f"Not in the ERP: {len(gap)} SKU{'s' * (len(gap) != 1)} sold, "
                      f"{_money(result.not_in_erp_sales, code)}: map {'them' if len(gap) != 1 else 'it'} before "
                      f"go-live"]
        rows = [[s.sku, s.name, f"{s.orders:,}", f"{s.lines:,}", s.first or "", s.last or "", _money(s.sales, code),
                 _categories(s)] for s in gap[:SCREEN_ROWS]]
        lines.append(fit(rows, ["SKU", "Name", "Orders", "Lines", "First", "Last", "Sales", "Category"], width,
                         drop=("Name", "Category", "Lines"), cut={"SKU": 24, "Name": 22},
                         align={"Orders": "right", "Lines": "right", "Sales": "right"}))
        lines += _more(SCREEN_ROWS, len(gap), "SKUs")
        off = [s for s in gap if s.erp_disabled]
        if off:
            named = ", ".join(f"{one_line(s.sku)} (item {one_line(s.erp_disabled)})" for s in off[:SCREEN_ROWS])
            lines += _wrap(f"{len(off)} of them match an item disabled in the ERP: enable it rather than create "
                           f"one: {named}" + (", ..." if len(off) > SCREEN_ROWS else ""), width, "  ")
        zeros = [s for s in gap if s.erp_zeros]
        if zeros:
            named = ", ".join(f"{one_line(s.sku)} (ERP {one_line(s.erp_zeros)})" for s in zeros[:SCREEN_ROWS])
            lines += _wrap(f"{len(zeros)} of them differ from an ERP item's SKU only by leading zeros, which a "
                           f"spreadsheet drops from a number: check whether they are the same product: {named}"
                           + (", ..." if len(zeros) > SCREEN_ROWS else ""), width, "  ")
    if result.conflicts:
        taxed = "; a tax code against its row's category: the category is taken" * any(
            c.what == "tax_code" for c in result.conflicts)
        lines += [""] + _wrap(f"Conflicts: {len(result.conflicts)} (two categories stop nexus check; two ERP items "
                              f"make the mapping ambiguous{taxed})", width)
        for c in result.conflicts[:SCREEN_ROWS]:
            lines += _wrap(f"{c.describe()}; sold {_money(c.sales, code)}", width, "  ")
        lines += _more(SCREEN_ROWS, len(result.conflicts), "conflicts")
    if result.without_category:
        sold = [w for w in result.without_category if w.lines]
        lines += ["", f"Without a category: {len(result.without_category)} SKU"
                      f"{'s' * (len(result.without_category) != 1)} ({len(sold)} sold: their lines count as unknown)"]
        rows = [[w.sku, f"{w.lines:,}", _money(w.sales, code), w.why] for w in result.without_category[:SCREEN_ROWS]]
        # the reason is what to do: wrapped whole where the screen is narrow (cut no shorter than 60, the table ran
        # 85 columns on an 80-column screen)
        lines.append(fit_wrapped(rows, ["SKU", "Lines", "Sales", "Why"], width, "Why", cut={"SKU": 24},
                                 align={"Lines": "right", "Sales": "right"}))
        lines += _more(SCREEN_ROWS, len(result.without_category), "SKUs")
    if result.no_sku is not None:
        s = result.no_sku
        at = f" (first at {s.examples[0]})" if s.examples else ""
        lines += [""] + _wrap(f"Lines without a SKU: {s.lines:,} in {s.orders:,} orders, {_money(s.sales, code)}, "
                              f"{s.first} to {s.last}{at}.", width)
    if result.spellings:
        lines += [""] + _wrap(f"Spelled differently, matched as one SKU: {len(result.spellings)} (case, spaces or "
                              f"full-width characters)", width)
        for sp in result.spellings[:SCREEN_ROWS]:
            others = ", ".join(f"{one_line(s)} ({w})" for s, w in sp.spellings)
            lines += _wrap(f"{others}: {' and '.join(sp.differences)}", width, "  ")
        lines += _more(SCREEN_ROWS, len(result.spellings), "SKUs")
    lines += [""] + by_category_lines(result.by_category, code, width)
    if result.never_sold is not None:
        if result.never_sold:
            named = ", ".join(one_line(it.sku) for it in result.never_sold[:8])
            more = f" and {len(result.never_sold) - 8} more" if len(result.never_sold) > 8 else ""
            lines += [""] + _wrap(f"ERP items never sold in the period (for information): {len(result.never_sold)}: "
                                  f"{named}{more}.", width)
        if result.erp_without_sku:
            lines += _wrap(f"ERP items without a SKU (never matched): {result.erp_without_sku}.", width)
    for assumption in result.assumptions:
        lines += _wrap(f"Read: {assumption}", width)
    if result.rates_source:
        lines += _wrap(f"Sales in {code}, net of refunds, at each day's rate ({result.rates_source}).", width)
    for warning in result.warnings:
        lines += _wrap(f"Warning: {warning}", width)
    return printable("\n".join(lines) + "\n")


def pivot(rows: Sequence[CategorySales], code: str) -> list[dict[str, Any]]:
    """Sales by category per jurisdiction, one dict per place (sources summed), largest first. Each cell and the
    total are the unrounded amounts summed, rounded once to ``code``'s minor unit: summed from rounded parts (goods
    from the orders' column, the products file and tax codes), Washington's total came out a cent off the check's."""
    places: dict[str, dict[str, Any]] = {}
    for r in rows:
        place = places.setdefault(r.jurisdiction, {"jurisdiction": r.jurisdiction, "name": r.name,
                                                   "rule_counts": r.rule_counts, "no_sales_tax": r.no_sales_tax,
                                                   "total": 0,
                                                   **{c: 0 for c in LINE_CATEGORIES}})
        amount = r.sales if r.exact is None else r.exact
        place[r.category] += amount
        place["total"] += amount
    for place in places.values():
        for key in ("total", *LINE_CATEGORIES):
            place[key] = quantize(place[key], code) if place[key] else 0
    return sorted(places.values(), key=lambda p: (-p["total"], p["jurisdiction"]))


def rule_counts(categories: Sequence[str], no_sales_tax: bool = False) -> str:
    """The categories a rule counts, in words: ``every category``, ``goods, digital``, ``no sales tax`` (Oregon), or
    ``no rule in the data`` (unknown, never 'no rule': the data may simply start later)."""
    if not categories:
        return "no sales tax" if no_sales_tax else "no rule in the data"
    return "every category" if set(categories) >= {"goods", "digital", "saas", "services"} else ", ".join(categories)


def by_category_lines(rows: Sequence[CategorySales], code: str, width: int) -> list[str]:
    table = pivot(rows, code)
    if not table:
        return ["Sales by category per jurisdiction: no sales."]
    used = [c for c in LINE_CATEGORIES if any(p[c] for p in table)]
    body = [[p["jurisdiction"], p["name"]] + [format_amount(p[c], code) if p[c] else "" for c in used]
            + [rule_counts(p["rule_counts"], p["no_sales_tax"])] for p in table[:SCREEN_PLACES]]
    out = _wrap(f"Sales by category per jurisdiction ({code}, net of refunds), beside the categories each rule "
                f"counts", width)  # headings wrapped as the paragraphs are: it ran 96 columns on an 80-column screen
    out.append(fit(body, ["Code", "Jurisdiction"] + used + ["Rule counts"], width, drop=("Jurisdiction",),
                   cut={"Jurisdiction": 16, "Rule counts": 28}, align={c: "right" for c in used}))
    out += _more(SCREEN_PLACES, len(table), "jurisdictions")
    return out


def _sold(s: Sold, code: str) -> dict[str, Any]:
    return {"sku": s.sku, "spellings": list(s.spellings), "name": s.name, "orders": s.orders, "lines": s.lines,
            "first": s.first.isoformat() if s.first else None, "last": s.last.isoformat() if s.last else None,
            "sales": str(s.sales), "currency": code,
            "categories": [{"category": c, "source": src, "lines": n} for c, src, n in s.categories],
            "places": list(s.places), "examples": list(s.examples), "erp_match": s.erp_match or None,
            "erp_item": s.erp_item or None, "erp_disabled_item": s.erp_disabled or None,
            "erp_sku_leading_zeros": s.erp_zeros or None,
            "product": None if s.product is None else {
                "sku": s.product.sku, "category": s.product.category, "tax_code": s.product.tax_code or None,
                "erp_item": s.product.erp_item or None, "name": s.product.name or None,
                "line": s.product.location.line}}


def products_dict(result: ProductsCheck) -> dict[str, Any]:
    """The documented JSON shape (docs/json.md)."""
    code = result.currency
    counts = summary(result)
    return {
        "schema": 1,
        "as_of": result.as_of.isoformat(),
        "currency": code,
        "first_order": result.first_order.isoformat() if result.first_order else None,
        "last_order": result.last_order.isoformat() if result.last_order else None,
        "files": [{"file": f, "rows": n, "layout": layout} for f, n, layout in result.files],
        "products_file": result.products_file,
        "erp_items": None if result.erp_file is None else {"file": result.erp_file, "layout": result.erp_title},
        "summary": {k: (str(v) if v is not None and not isinstance(v, int) else v) for k, v in counts.items()},
        "not_in_erp": None if result.not_in_erp is None else [_sold(s, code) for s in result.not_in_erp],
        "lines_without_sku": None if result.no_sku is None else _sold(result.no_sku, code),
        "without_category": [{"sku": w.sku, "lines": w.lines, "sales": str(w.sales), "why": w.why,
                              "where": w.where or None} for w in result.without_category],
        "conflicts": [{"sku": c.sku, "field": c.what, "values": [{"value": v, "where": w} for v, w in c.values],
                       "sales": str(c.sales)} for c in result.conflicts],
        "spellings": [{"sku": sp.sku, "spellings": [{"sku": s, "where": w} for s, w in sp.spellings],
                       "differences": list(sp.differences)} for sp in result.spellings],
        "never_sold": None if result.never_sold is None else [
            {"sku": it.sku, "erp_item": it.item, "name": it.name, "kind": it.kind or None, "active": it.active,
             "line": it.location.line} for it in result.never_sold],
        "erp_items_without_sku": result.erp_without_sku,
        "by_category": [{"jurisdiction": c.jurisdiction, "category": c.category, "source": c.source,
                         "source_words": SOURCE_WORDS[c.source], "lines": c.lines, "sales": str(c.sales),
                         "rule_counts": list(c.rule_counts), "no_sales_tax": c.no_sales_tax, "counted": c.counted}
                        for c in result.by_category],
        "sold": [_sold(s, code) for s in result.sold],
        "assumptions": list(result.assumptions),
        "warnings": list(result.warnings),
        "rates": result.rates_source,
    }


def products_json(result: ProductsCheck) -> str:
    return json_dumps(products_dict(result))
