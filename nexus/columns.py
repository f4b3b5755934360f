"""The columns of nexus's own layout: its fields (:data:`FIELDS`), the header names each is found by
(:data:`ALIASES`, or ``--column``), and :func:`resolve_columns`, which finds them in a file's header.

Places come from ship-to columns first, with the billing (or neutral) pair kept aside (:data:`FALLBACK`) for rows
whose ship-to country is empty; where two columns could be one field, the first alias is read and the other named.
nexus's own reader (:mod:`nexus.own_layout`) and the DuckDB fast path (:mod:`nexus.own_layout_fast`) find columns
this way.
"""
from __future__ import annotations

from typing import Mapping, Sequence

from nexus.cells import word_form
from nexus.errors import InputError, Location, MissingColumns
from nexus.read_options import ReadNotes
from nexus.tables import refuse_repeated

FIELDS = ("order_id", "date", "country", "region", "amount", "currency",
          "channel", "kind", "exempt", "category", "shipping", "tax", "sku", "tax_code", "product_name")

#: Header names recognised for each field, after lower-casing and turning
#: spaces and hyphens into underscores. ``--column`` covers anything else.
ALIASES: Mapping[str, tuple[str, ...]] = {
    "order_id": ("order_id", "order", "order_number", "order_no", "order_name", "order_ref",
                 "transaction_id", "invoice_number", "invoice_no", "document_number", "注文番号", "订单号"),
    "date": ("date", "order_date", "created_at", "paid_at", "processed_at", "transaction_date",
             "invoice_date", "posting_date", "sale_date", "注文日", "日付", "日期"),
    # Ship-to columns first: the place of supply is where goods ship (see resolve_columns).
    "country": ("ship_country", "shipping_country", "ship_to_country", "shipping_country_code", "ship_country_code",
                "ship_to_country_code", "delivery_country", "destination_country", "country", "country_code", "国",
                "国家", "billing_country", "bill_country", "bill_to_country", "billing_country_code"),
    "region": ("ship_state", "shipping_state", "shipping_province", "shipping_province_code", "ship_to_state",
               "ship_region", "shipping_region", "delivery_state", "destination_region", "region", "state",
               "state_code", "province", "province_code", "subdivision", "都道府県", "州", "billing_state",
               "billing_province", "billing_province_code", "billing_region", "bill_to_state"),
    "amount": ("amount", "total", "net", "net_amount", "net_sales", "gross_sales", "subtotal",
               "order_total", "sales", "value", "金額", "金额"),
    "currency": ("currency", "currency_code", "ccy", "presentment_currency", "通貨", "币种"),
    "channel": ("channel", "sales_channel", "sales_channel_type"),
    "kind": ("kind", "type", "transaction_type", "record_type", "line_type"),
    "exempt": ("exempt", "tax_exempt", "exemption", "exempt_reason", "resale"),
    "category": ("category", "product_category", "item_category", "tax_category", "product_type"),
    # Optional: shipping and handling charged besides ``amount`` (added to it: it counts with the sale), and tax
    # charged (never counted as sales; carried to the findings).
    "shipping": ("shipping", "shipping_amount", "shipping_and_handling", "shipping_cost", "shipping_charged"),
    "tax": ("tax", "tax_amount", "tax_charged", "sales_tax", "vat", "vat_amount", "gst"),
    # Optional: what was sold, for the category (through --products or the tax-code table) and nexus products check.
    "sku": ("sku", "product_sku", "item_sku", "variant_sku", "lineitem_sku", "item_code", "product_code", "品番",
            "商品コード"),
    "tax_code": ("tax_code", "product_tax_code", "tax_code_id", "txcd"),
    "product_name": ("product_name", "item_name", "lineitem_name", "product_title", "商品名"),
}

#: Header words of ship-to (delivery) places; the other place columns are billing or neutral.
SHIP_TO = frozenset(a for f in ("country", "region") for a in ALIASES[f]
                    if a.startswith(("ship", "delivery", "destination")))
#: Extra keys :func:`resolve_columns` may return beside :data:`FIELDS`: the billing (or neutral) place used
#: where a file's ship-to country is empty.
FALLBACK = ("billing_country", "billing_region")


def resolve_columns(header: Sequence[str], mapping: Mapping[str, str], file: str,
                    notes: ReadNotes | None = None) -> dict[str, int]:
    """Field name -> column index, from the header, the aliases and ``mapping``.

    Where several columns match one field, the first alias wins and ``notes`` names the others. Places
    come from ship-to columns first: a file with both ``Country``/``State`` and ``Ship Country``/``Ship
    State`` reads the ship-to pair, and also returns the other pair under :data:`FALLBACK`, for rows whose
    ship-to country is empty (:func:`~nexus.cells.place_cells`).
    """
    words = [word_form(str(h or "")) for h in header]
    refuse_repeated(words, header, Location(file, 1))
    seen = {w: i for i, w in enumerate(words)}
    found: dict[str, int] = {}
    for fld, theirs in mapping.items():
        if fld not in FIELDS:
            raise InputError(f"--column {fld}={theirs}: {fld!r} is not a nexus field ({', '.join(FIELDS)})")
        if word_form(theirs) not in seen:
            raise MissingColumns(f"--column {fld}={theirs}: no column {theirs!r}; columns found: "
                                 f"{', '.join(map(str, header))}", Location(file, 1))
        found[fld] = seen[word_form(theirs)]
    taken = {i: f for f, i in found.items()}
    others: dict[str, list[int]] = {}
    for fld in FIELDS:
        if fld in found:
            continue
        for alias in ALIASES[fld]:
            if alias in seen and seen[alias] not in taken:
                if fld not in found:
                    found[fld] = seen[alias]
                    taken[seen[alias]] = fld
                else:
                    others.setdefault(fld, []).append(seen[alias])
    doubled = [f for f, i in found.items() if list(found.values()).count(i) > 1]
    if doubled:
        raise InputError(f"one column is mapped to several fields: {', '.join(doubled)}", Location(file, 1))
    _place_fallback(found, others, words, "country" not in mapping)
    if notes is not None:
        _note_columns(notes, file, header, words, found, others)
    return found


def _place_fallback(found: dict[str, int], others: dict[str, list[int]], words: Sequence[str],
                    automatic: bool) -> None:
    """Add the :data:`FALLBACK` place columns when the country came from a ship-to column and another
    (billing or neutral) country column exists; the others lists then keep what is left."""
    if not automatic or "country" not in found or words[found["country"]] not in SHIP_TO:
        return
    billing = next((i for i in others.get("country", []) if words[i] not in SHIP_TO), None)
    if billing is None:
        return
    found["billing_country"] = billing
    others["country"].remove(billing)
    region = next((i for i in others.get("region", []) if words[i] not in SHIP_TO), None)
    if region is not None:
        found["billing_region"] = region
        others["region"].remove(region)


def _note_columns(notes: ReadNotes, file: str, header: Sequence[str], words: Sequence[str], found: dict[str, int],
                  others: dict[str, list[int]]) -> None:
    """Say which column was read where two could be, and where places may not be where goods ship."""
    def named(fld: str) -> str:
        return "/".join(repr(str(header[found[f]])) for f in (fld, fld.replace("country", "region")) if f in found)

    if "billing_country" in found:
        notes.assume(f"{file}: places from the ship-to column(s) {named('country')}; rows where "
                     f"{str(header[found['country']])!r} is empty are placed by {named('billing_country')}")
    elif "country" in found and words[found["country"]].startswith("bill"):
        notes.assume(f"{file}: places from the billing column(s) {named('country')}: the file has no ship-to "
                     f"column, and the place of supply is where goods ship (map one with --column country=HEADER)")
    for fld, extra in others.items():
        if extra:
            also = ", ".join(repr(str(header[i])) for i in extra)
            notes.assume(f"{file}: {fld} read from column {str(header[found[fld]])!r}; {also} also "
                         f"{'matches' if len(extra) == 1 else 'match'} and {'was' if len(extra) == 1 else 'were'} "
                         f"not read (choose with --column {fld}=HEADER)")
