"""nexus products check: the store's catalogue against the ERP's, and what each line is for tax.

A company moving to a new ecommerce provider must map the ERP's SKUs to the platform's, so that it never
sells a product its accounting system does not know. From the orders read (with each line's SKU, category and
where that came from: :mod:`nexus.categories`), the products file (:mod:`nexus.products`) and the ERP's item
list (:mod:`nexus.erp_items`), :func:`check_products` lists:

* SKUs sold that are not in the ERP's item list: orders, lines, first and last day, sales in the reporting
  currency; the integration gap to close before go-live (``--fail-on not-in-erp``);
* lines without a SKU; SKUs without a category; a SKU given two categories or two ERP items (in the products
  file, the ERP's list, or the orders' own category column); SKUs that differ only by case, spaces or full-width
  characters (``ＳＫＵ－１`` sold, ``SKU-1`` in the ERP: matched, and said);
* ERP items never sold in the period (for information);
* sales by category per jurisdiction, beside the categories each jurisdiction's rule counts: what the category
  choice moves.

Sales are net of refunds, converted to the reporting currency at each day's rate (ECB reference rates through
:class:`nexus.fx.Rates`), rounded once in its minor unit. More information: docs/products.md.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any, Sequence

from nexus import places, skus
from nexus.categories import LINE_CATEGORIES, SOURCES, UNKNOWN, tax_code
from nexus.errors import RateMissing
from nexus.erp_items.base import Item, ItemList
from nexus.fx import Rates, RateTable
from nexus.money import quantize
from nexus.products import Catalogue, Product
from nexus.rules import RuleBook
from nexus.orders import SkuSales
from nexus.ledger import Ledger

#: What ``--fail-on`` can ask about.
FAIL_ON = ("not-in-erp",)
ZERO = Decimal(0)


@dataclass(frozen=True)
class Sold:
    """One SKU as sold (its spellings folded together, nexus.skus.key): orders, lines, days and sales, the
    categories its lines were counted under (with their sources) and the places it was sold to, most first."""

    sku: str
    spellings: tuple[str, ...]
    name: str
    orders: int
    lines: int
    first: date | None
    last: date | None
    sales: Decimal
    categories: tuple[tuple[str, str, int], ...]
    places: tuple[str, ...]
    examples: tuple[str, ...]
    #: How it matched the ERP's list: ``sku``, ``sku (folded)``, ``products file erp_item``, or ``""`` (it did not).
    erp_match: str = ""
    erp_item: str = ""
    product: Product | None = None
    #: The ERP item a SKU the active items lack matches, disabled in the ERP: enabled, it closes the gap (an
    #: integration cannot post to it as it is).
    erp_disabled: str = ""
    #: The SKU of an active ERP item that is this one's number with leading zeros added or dropped (``123`` in the
    #: ERP, ``00123`` sold): likely the same product, its zeros lost in a spreadsheet, so said, never matched.
    erp_zeros: str = ""


@dataclass(frozen=True)
class WithoutCategory:
    """A SKU whose lines have no category (sold), or a products-file row that gives none; ``why`` says which."""

    sku: str
    lines: int
    sales: Decimal
    why: str
    where: str


@dataclass(frozen=True)
class Conflict:
    """One SKU given two values of ``what`` (``category``, ``erp_item``), or a products-file row whose category its
    own tax code contradicts (``tax_code``: the category column is taken): each value and where it was read."""

    sku: str
    what: str
    values: tuple[tuple[str, str], ...]
    sales: Decimal

    def describe(self) -> str:
        values = "; ".join(f"{v!r} ({w})" for v, w in self.values)
        if self.what == "tax_code":
            return f"{self.sku!r} has a category its tax code contradicts: {values}: the category is taken"
        word = "categories" if self.what == "category" else "ERP items"
        return f"{self.sku!r} has two {word}: {values}"


@dataclass(frozen=True)
class Spelling:
    """One product written several ways across the orders, the products file and the ERP: each spelling and where,
    and what sets them apart (``full-width``, ``case``, ``spaces``). Matched as one SKU."""

    sku: str
    spellings: tuple[tuple[str, str], ...]
    differences: tuple[str, ...]

    def describe(self) -> str:
        words = {"full-width": "full-width characters", "case": "case", "spaces": "spaces"}
        what = " and ".join(words[d] for d in self.differences) or "nothing"
        listed = ", ".join(f"{s!r} ({w})" for s, w in self.spellings)
        return f"{listed} differ only by {what}: matched as one SKU"


@dataclass(frozen=True)
class CategorySales:
    """Sales (net of refunds, reporting currency) and sale lines of one category from one source in one place,
    with the categories the rule there counts (empty: no rule covers the place)."""

    jurisdiction: str
    name: str
    category: str
    source: str
    lines: int
    sales: Decimal
    rule_counts: tuple[str, ...]
    #: ``sales`` before rounding: a place's categories and total are summed from these and rounded once, as the
    #: check rounds its figure, so that they tie to it to the cent.
    exact: Decimal | None = None
    #: No rule counts anything because the place has no general sales tax (Oregon), not because the data hold no
    #: rule for it on the day (China; California before 2019-04-01): the one is known, the other unknown.
    no_sales_tax: bool = False

    @property
    def counted(self) -> bool | None:
        """Whether the place's rule counts these sales (None: no rule; unknown lines count only under a rule
        that counts every category)."""
        if not self.rule_counts:
            return None
        if self.category == UNKNOWN:
            return {"goods", "digital", "saas", "services"} <= set(self.rule_counts)
        return self.category in self.rule_counts


@dataclass(frozen=True)
class ProductsCheck:
    """Everything ``nexus products check`` found (see the module's docstring), each list most consequential first."""

    as_of: date
    currency: str
    first_order: date | None
    last_order: date | None
    files: tuple[tuple[str, int, str], ...]
    products_file: str | None
    erp_file: str | None
    erp_title: str | None
    sold: tuple[Sold, ...]
    not_in_erp: tuple[Sold, ...] | None
    no_sku: Sold | None
    without_category: tuple[WithoutCategory, ...]
    conflicts: tuple[Conflict, ...]
    spellings: tuple[Spelling, ...]
    never_sold: tuple[Item, ...] | None
    by_category: tuple[CategorySales, ...]
    erp_without_sku: int = 0
    rates_source: str | None = None
    assumptions: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    ledger: Ledger | None = field(default=None, compare=False, repr=False)

    @property
    def not_in_erp_sales(self) -> Decimal:
        return sum((s.sales for s in self.not_in_erp or ()), ZERO)

    def fails(self, fail_on: str) -> bool:
        """Whether the check shows what ``--fail-on`` asks about (:data:`FAIL_ON`)."""
        if fail_on == "not-in-erp":
            return bool(self.not_in_erp)
        raise ValueError(f"fail_on must be one of {FAIL_ON}")


class _Convert:
    """Amounts into the reporting currency at each day's rate, one lookup per currency and day. A currency no
    rate converts (the ECB publishes no TWD) is left out of the figures and kept in :attr:`missing`, per
    currency, with the reason, for a warning: never converted at a guess, never silently dropped."""

    def __init__(self, rates: Rates | None, to: str):
        self.rates, self.to = rates, to
        self.cache: dict[tuple[str, date], Decimal | None] = {}
        self.missing: dict[str, str] = {}

    def __call__(self, amounts: dict[tuple[str, date], Decimal]) -> Decimal:
        total = ZERO
        for (code, day), amount in amounts.items():
            if code == self.to or not amount:
                total += amount
                continue
            key = (code, day)
            if key not in self.cache:
                self.cache[key] = self._factor(code, day)
            factor = self.cache[key]
            if factor is not None:
                total += amount * factor
        return total

    def _factor(self, code: str, day: date) -> Decimal | None:
        if self.rates is None:
            self.missing.setdefault(code, f"no exchange rates given (--rates, or 'nexus rates fetch') to convert "
                                          f"{code} to {self.to}")
            return None
        try:
            return self.rates.factor(code, self.to, day)[0]
        except RateMissing as exc:
            self.missing.setdefault(code, str(exc))
            return None

    def warnings(self) -> list[str]:
        return [f"sales in {code} are left out of the {self.to} figures: {why}" for code, why in self.missing.items()]


def check_products(ledger: Ledger, catalogue: Catalogue | None, items: ItemList | None, book: RuleBook,
                   as_of: date, rates: Rates | RateTable | None = None, currency: str = "USD") -> ProductsCheck:
    """Reconcile the SKUs of ``ledger`` (read with ``ReadOptions(collect_skus=True)``, and the same ``catalogue``
    as its products) with the products file and the ERP's item list. ``as_of`` picks the rules whose categories
    are shown beside the sales by category; ``rates`` convert sales into ``currency``."""
    if ledger.skus is None:
        raise ValueError("the ledger was read without collect_skus: read it with ReadOptions(collect_skus=True)")
    if isinstance(rates, RateTable):
        rates = Rates([rates])
    convert = _Convert(rates, currency)
    by_key: dict[str, list[SkuSales]] = {}
    for sku, tally in ledger.skus.items():
        # A copy replaced under --repeated-orders latest leaves its SKU with nothing: not sold.
        if sku and (tally.lines or tally.orders or any(tally.amounts.values())):
            by_key.setdefault(skus.key(sku), []).append(tally)
    # Sold SKUs match the ERP's active items; a disabled item is named where it alone matches (enable it).
    every = items.by_key() if items is not None else {}
    erp = {key: live for key, found in every.items() if (live := [it for it in found if it.active])}
    erp_numbers = {it.item: it for it in items.items if it.active} if items is not None else {}
    disabled = ({key: off for key, found in every.items() if (off := [it for it in found if not it.active])},
                {it.item: it for it in items.items if not it.active} if items is not None else {})
    sold = []
    for key, tallies in by_key.items():
        sold.append(_sold(key, tallies, convert, catalogue, erp, erp_numbers, currency, disabled))
    numbers = _by_number(erp)
    sold = [replace(s, erp_zeros=_zeros(key, s, numbers)) for key, s in zip(by_key, sold)]
    sold.sort(key=lambda s: (-s.sales, s.sku))
    no_sku = None
    if "" in ledger.skus and ledger.skus[""].lines:
        no_sku = _sold("", [ledger.skus[""]], convert, None, {}, {}, currency)
    not_in_erp = tuple(s for s in sold if not s.erp_match) if items is not None else None
    sold_keys = set(by_key)
    matched_items = {s.erp_item or s.erp_disabled for s in sold} - {""}  # a disabled item to enable was sold too
    never = None
    if items is not None:
        never = tuple(it for it in items.items if it.sku and it.key not in sold_keys and it.item not in matched_items)
    return ProductsCheck(
        as_of=as_of, currency=currency, first_order=ledger.first_day, last_order=ledger.last_day,
        files=tuple((path, rows, ledger.layouts.get(path, "")) for path, rows in ledger.files),
        products_file=catalogue.path if catalogue is not None else None,
        erp_file=items.path if items is not None else None, erp_title=items.title if items is not None else None,
        sold=tuple(sold), not_in_erp=not_in_erp, no_sku=no_sku,
        without_category=_without_category(sold, catalogue, sold_keys, currency),
        conflicts=_conflicts(sold, catalogue, items),
        spellings=_spellings(by_key, catalogue, items),
        never_sold=never, by_category=_by_category(ledger, book, as_of, convert, currency),
        erp_without_sku=sum(1 for it in items.items if not it.sku) if items is not None else 0,
        rates_source=rates.source if rates is not None else None,
        assumptions=tuple(ledger.assumptions), warnings=tuple(ledger.warnings) + tuple(convert.warnings()),
        ledger=ledger)


def _sold(key: str, tallies: list[SkuSales], convert: _Convert, catalogue: Catalogue | None,
          erp: dict[str, list[Item]], numbers: dict[str, Item], currency: str,
          disabled: tuple[dict[str, list[Item]], dict[str, Item]] = ({}, {})) -> Sold:
    """One SKU as sold, matched against the ERP's active items (``erp`` by folded SKU, ``numbers`` by item
    number); where none matches, the ``disabled`` items (the same two maps) one does is named."""
    tallies = sorted(tallies, key=lambda t: -t.lines)
    amounts: dict[tuple[str, date], Decimal] = {}
    categories: dict[tuple[str, str], int] = {}
    where: dict[str, int] = {}
    for t in tallies:
        for at, amount in t.amounts.items():
            amounts[at] = amounts.get(at, ZERO) + amount
        for cat, n in t.categories.items():
            categories[cat] = categories.get(cat, 0) + n
        for place, n in t.places.items():
            where[place] = where.get(place, 0) + n
    firsts = [t.first for t in tallies if t.first]
    lasts = [t.last for t in tallies if t.last]
    sku = tallies[0].sku
    product = None
    if catalogue is not None and sku:
        product = catalogue.find(sku)[0]
    match, number, off = "", "", ""
    if key:
        match, number = _match(key, tallies, product, erp, numbers)
        if not match:
            off = _match(key, tallies, product, *disabled)[1]
    examples = tuple(f"{w.file}:{w.line}" for t in tallies for w in t.examples)[:3]
    # the order lines' own name, else the products file's: ERP exports often carry none (the sample's do not)
    name = next((t.name for t in tallies if t.name), "") or (product.name if product is not None else "")
    return Sold(sku, tuple(t.sku for t in tallies), name,
                sum(t.orders for t in tallies), sum(t.lines for t in tallies),
                min(firsts) if firsts else None, max(lasts) if lasts else None,
                quantize(convert(amounts), currency),
                tuple(sorted(((c, s, n) for (c, s), n in categories.items() if n), key=lambda x: -x[2])),
                tuple(p for p, n in sorted(where.items(), key=lambda kv: -kv[1]) if n), examples, match, number,
                product, off)


def _by_number(erp: dict[str, list[Item]]) -> dict[str, Item]:
    """The ERP's items whose SKU is a number, by that number without leading zeros."""
    return {key.lstrip("0") or "0": found[0] for key, found in erp.items() if key.isascii() and key.isdigit()}


def _zeros(key: str, sold: Sold, numbers: dict[str, Item]) -> str:
    """The SKU of the ERP item a sold SKU the ERP lacks differs from only by leading zeros, or ``""``. A spreadsheet
    drops the zeros of a number (SKU 00123 saved as 123): the two are likely one product, but 0123 and 123 can be two
    in an ERP, so nexus says it and does not match them."""
    if sold.erp_match or not (key.isascii() and key.isdigit()):
        return ""
    found = numbers.get(key.lstrip("0") or "0")
    return found.sku if found is not None and found.key != key else ""


def _match(key: str, tallies: list[SkuSales], product: Product | None, erp: dict[str, list[Item]],
           numbers: dict[str, Item]) -> tuple[str, str]:
    """How a sold SKU matches an item of ``erp`` (by folded SKU) or ``numbers`` (by item number), and the item's
    number; ``("", "")`` where none does."""
    exact = [it for it in erp.get(key, []) if it.sku in {t.sku for t in tallies}]
    if exact:
        return "sku", exact[0].item
    if erp.get(key):
        return "sku (case, spaces or width ignored)", erp[key][0].item
    if product is not None and product.erp_item and (product.erp_item in numbers
                                                     or skus.key(product.erp_item) in erp):
        found = numbers.get(product.erp_item) or erp[skus.key(product.erp_item)][0]
        return "products file erp_item", found.item
    return "", ""


def _without_category(sold: Sequence[Sold], catalogue: Catalogue | None, sold_keys: set[str],
                      currency: str) -> tuple[WithoutCategory, ...]:
    """Sold SKUs with lines of unknown category (their share of the SKU's sales), then products-file rows that
    give no category and were not sold."""
    out = []
    for s in sold:
        unknown = sum(n for c, source, n in s.categories if source == "unknown")
        if not unknown:
            continue
        if catalogue is None:
            why = "no category column and no products file"
        elif s.product is None:
            why = "not in the products file"
        elif s.product.key in catalogue.undecided:
            why = "given two categories in the products file: neither is taken (see Conflicts)"
        elif s.product.tax_code and tax_code(s.product.tax_code) is None:
            why = f"in the products file without a category; tax code {s.product.tax_code!r} is not in nexus's table"
        else:
            why = "in the products file without a category or a tax code"
        share = s.sales * unknown / s.lines if s.lines else ZERO
        out.append(WithoutCategory(s.sku, unknown, quantize(share, currency), why,
                                   s.examples[0] if s.examples else ""))
    if catalogue is not None:
        for p in catalogue.products:
            if p.key in sold_keys or p.mapped_category()[0] or catalogue.find(p.sku)[0].mapped_category()[0]:
                continue  # another row of the SKU gives its category
            why = (f"tax code {p.tax_code!r} is not in nexus's table" if p.tax_code else
                   "no category and no tax code") + " (not sold in the period)"
            out.append(WithoutCategory(p.sku, 0, ZERO, why, f"{p.location.file}:{p.location.line}"))
    return tuple(sorted(out, key=lambda w: (-w.sales, w.sku)))


def _conflicts(sold: Sequence[Sold], catalogue: Catalogue | None, items: ItemList | None) -> tuple[Conflict, ...]:
    sales = {skus.key(s.sku): s.sales for s in sold}
    out = []
    if catalogue is not None:
        for c in catalogue.conflicts:
            out.append(Conflict(c.sku, c.field, tuple((v, f"products {w.file}:{w.line}") for v, w in c.values),
                                sales.get(skus.key(c.sku), ZERO)))
    if items is not None:
        # Sold SKUs match active items: a disabled item beside an active one holding its SKU is no second choice
        # (and a products file routing the SKU to the disabled one disagrees with the item taken).
        erp = {key: [it for it in found if it.active] or found for key, found in items.by_key().items()}
        for key, found in erp.items():
            numbers: dict[str, str] = {}
            for it in found:
                numbers.setdefault(it.item, f"ERP {it.location.file}:{it.location.line}")
            if len(numbers) > 1:
                out.append(Conflict(found[0].sku, "erp_item", tuple(numbers.items()), sales.get(key, ZERO)))
        if catalogue is not None:
            said = {(c.sku, c.what) for c in out}
            for p in catalogue.products:
                there = erp.get(p.key, [])
                if p.erp_item and there and all(it.item != p.erp_item and skus.key(it.item) != skus.key(p.erp_item)
                                                for it in there) and (p.sku, "erp_item") not in said:
                    out.append(Conflict(p.sku, "erp_item", ((p.erp_item, f"products {p.location.file}:"
                                                                         f"{p.location.line}"),
                                                            (there[0].item, f"ERP {there[0].location.file}:"
                                                                            f"{there[0].location.line}")),
                                        sales.get(p.key, ZERO)))
                    said.add((p.sku, "erp_item"))
    if catalogue is not None:
        out += _contradicted(catalogue, sales)
    for s in sold:
        own = sorted({c for c, source, n in s.categories if source == "column" and n})
        if len(own) > 1:
            out.append(Conflict(s.sku, "category", tuple((c, "orders' category column") for c in own), s.sales))
    return tuple(sorted(out, key=lambda c: (-c.sales, c.sku, c.what)))


def _contradicted(catalogue: Catalogue, sales: dict[str, Decimal]) -> list[Conflict]:
    """Products-file rows whose category column says one thing and whose tax code another (goods with Stripe's
    txcd_10302000, Digital Books): the column is taken, and a tax code that says otherwise is a mistake in one of
    the two that moves which rules count the SKU's sales."""
    out = []
    for p in catalogue.products:
        mapped = tax_code(p.tax_code) if p.category and p.tax_code else None
        if mapped is not None and mapped.category and mapped.category != p.category:
            where = f"products {p.location.file}:{p.location.line}"
            out.append(Conflict(p.sku, "tax_code", ((p.category, f"{where} category"),
                                                    (mapped.category, f"{where} tax code {p.tax_code}")),
                                sales.get(p.key, ZERO)))
    return out


def _spellings(by_key: dict[str, list[SkuSales]], catalogue: Catalogue | None,
               items: ItemList | None) -> tuple[Spelling, ...]:
    seen: dict[str, dict[str, list[str]]] = {}

    def note(key: str, sku: str, where: str) -> None:
        found = seen.setdefault(key, {}).setdefault(sku, [])
        if where not in found:
            found.append(where)

    for key, tallies in by_key.items():
        for t in tallies:
            note(key, t.sku, "sold")
    if catalogue is not None:
        for p in catalogue.products:
            note(p.key, p.sku, "products")
    if items is not None:
        for it in items.items:
            if it.sku:
                note(it.key, it.sku, "ERP")
    out = []
    for key, spelled in seen.items():
        if len(spelled) < 2:
            continue
        written = list(spelled)
        found: list[str] = []
        for other in written[1:]:
            for d in skus.differences(written[0], other):
                if d not in found:
                    found.append(d)
        out.append(Spelling(written[0], tuple((s, ", ".join(w)) for s, w in spelled.items()), tuple(found)))
    return tuple(sorted(out, key=lambda s: s.sku))


def _by_category(ledger: Ledger, book: RuleBook, as_of: date, convert: _Convert,
                 currency: str) -> tuple[CategorySales, ...]:
    rules = book.applicable(as_of)
    counts: dict[str, tuple[str, ...]] = {}
    untaxed = {r.jurisdiction for r in rules if not r.sales_tax}  # Oregon, Delaware, Montana, New Hampshire
    totals: dict[tuple[str, str, str], list] = {}
    for (place, code, category, source), days in ledger.category_sources.items():
        total = totals.setdefault((place, category, source), [{}, 0])
        for day, (amount, lines) in days.items():
            total[0][(code, day)] = total[0].get((code, day), ZERO) + amount
            total[1] += lines
    out = []
    for (place, category, source), (amounts, lines) in totals.items():
        if place not in counts:
            rule = next((r for r in rules if r.sales_tax and r.covers(place) and not r.member_findings), None) or \
                next((r for r in rules if r.sales_tax and r.covers(place)), None)
            counts[place] = tuple(rule.categories) if rule is not None else ()
        exact = convert(amounts)
        sales = quantize(exact, currency)
        if lines or sales:
            out.append(CategorySales(place, places.name(place), category, source, lines, sales, counts[place], exact,
                                     not counts[place] and place in untaxed))
    order = {c: i for i, c in enumerate(LINE_CATEGORIES)}
    place_total: dict[str, Decimal] = {}
    for c in out:
        place_total[c.jurisdiction] = place_total.get(c.jurisdiction, ZERO) + c.sales
    return tuple(sorted(out, key=lambda c: (-place_total[c.jurisdiction], c.jurisdiction, order[c.category],
                                            SOURCES.index(c.source))))


def summary(result: ProductsCheck) -> dict[str, Any]:
    """The counts a table, a workbook and the JSON lead with."""
    unknown = [c for c in result.by_category if c.category == UNKNOWN]
    return {"skus_sold": len(result.sold),
            "not_in_erp": None if result.not_in_erp is None else len(result.not_in_erp),
            "not_in_erp_sales": None if result.not_in_erp is None else quantize(result.not_in_erp_sales,
                                                                                result.currency),
            "lines_without_sku": result.no_sku.lines if result.no_sku else 0,
            "without_category": len(result.without_category), "conflicts": len(result.conflicts),
            "spellings": len(result.spellings),
            "never_sold": None if result.never_sold is None else len(result.never_sold),
            "unknown_category_lines": sum(c.lines for c in unknown),
            "unknown_category_sales": quantize(sum((c.sales for c in unknown), ZERO), result.currency)}
