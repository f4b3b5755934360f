"""Platform order exports, read as the platforms write them.

One module per layout (``shopify.py``, ``amazon.py``...), each with the same
small interface, as python-stdnum gives every number module the same one:

* ``NAME``: what ``--source-format`` calls it; ``TITLE``: how messages name it;
* ``DOCS``: the platform's public page that documents the layout;
* ``MARKETPLACE``: whether every order in it is marketplace-facilitated;
* ``PAYMENTS``: whether it is a payment provider's export (Stripe, PayPal), which holds a store's orders paid
  through the provider under the provider's own ids;
* ``PAYMENT_COLUMNS``: the columns naming a payment as the provider knows it (a store's ``transaction_id``, a
  provider's ``id``), by which :mod:`nexus.payment_matches` matches the two; empty where the layout has none;
* ``DATE_COLUMNS``: the columns whose slash dates decide day-first or month-first;
* ``LINKS_REFUNDS`` (optional, False where absent): whether a refund or chargeback the layout gives as a row of its
  own carries, as its order id, the id of the sale it takes back (PayPal's ``Reference Txn ID``, the balance report's
  ``charge_id``), so that :meth:`nexus.row_account.RowAccount.link_refunds` links it to that sale's day;
* ``REFUNDS_ARE_TOTALS`` (optional, False where absent): whether a refund the layout dates is the order's running
  total of refunds (Stripe's ``Amount Refunded`` with its ``Refunded date (UTC)``), so that a later export's copy
  amends it rather than adding a second refund (:mod:`nexus.row_account`);
* ``detect(header) -> bool``: whether a header row is this layout's;
* ``read(source) -> iterator``: the orders of a :class:`~nexus.exports.base.Source`,
  line items grouped into one order per ship-to place, shipping and tax charged
  apart, refunds as their own records, cancelled, voided, test and failed
  orders left out with the reason.

A new platform is one new module and one line in :data:`PLATFORMS`; nothing
else in nexus names a platform.
"""
from __future__ import annotations

from types import ModuleType
from typing import Iterator, Sequence

from nexus.categories import Categorizer
from nexus.counted_twice import Said
from nexus.errors import InputError, Location
from nexus.exports import (adobe, amazon, bigcommerce, etsy, paypal, shopify, stripe, stripe_balance, stripe_tax,
                           woocommerce)
from nexus.exports.base import Row, Source, looks_like, quoted  # noqa: F401 (exports.quoted: read_sales reads with it)
from nexus.read_options import ReadNotes, ReadOptions
from nexus.sales import first_row

#: Every layout nexus reads besides its own, in the order headers are tried.
PLATFORMS: tuple[ModuleType, ...] = (shopify, woocommerce, bigcommerce, adobe, stripe, stripe_tax, stripe_balance,
                                     paypal, amazon, etsy)
#: ``--source-format`` for nexus's own layout (one row per order; docs/check.md).
NEXUS = "nexus"


def names() -> tuple[str, ...]:
    """What ``--source-format`` accepts: ``auto``, nexus's own layout and every platform."""
    return ("auto", NEXUS) + tuple(p.NAME for p in PLATFORMS)


def by_name(name: str) -> ModuleType | None:
    """The platform module called ``name`` (None for nexus's own layout)."""
    if name == NEXUS:
        return None
    for platform in PLATFORMS:
        if platform.NAME == name:
            return platform
    raise InputError(f"--source-format {name!r} is not one of {', '.join(names())}")


def detect(header: Sequence[object]) -> ModuleType | None:
    """The platform whose layout ``header`` is, or None (nexus's own layout)."""
    return next((p for p in PLATFORMS if p.detect(header)), None)


def layout_of(path: str, options: ReadOptions) -> ModuleType | None:
    """The layout to read ``path`` in: ``options.source_format``, or with ``auto`` the one its header shows. A
    platform's download in a language nexus does not read (a module's ``FOREIGN`` columns) stops here, named."""
    if options.source_format != "auto":
        return by_name(options.source_format)
    header = first_row(path, options)
    if header is None:
        return None
    found = detect(header)
    if found is None:
        refuse_foreign(header, path)
    return found


def refuse_foreign(header: Sequence[object], path: str) -> None:
    """Stop on a platform's export written in a language whose column names and words nexus does not read: read as
    nexus's own layout with columns mapped by hand, its fees and transfers would count as sales."""
    for platform in PLATFORMS:
        for language, columns in getattr(platform, "FOREIGN", {}).items():
            if looks_like(header, columns):
                raise InputError(f"looks like {platform.TITLE} in {language} ({', '.join(columns[:5])}...): nexus "
                                 f"reads its English column names and words only, which decide what is a sale: a "
                                 f"download in English is read", Location(path))


def title_of(name: str) -> str:
    """How messages name the layout called ``name`` (``a Shopify orders export``), as ``Order.source`` holds it
    (``""`` or ``nexus``: nexus's own layout)."""
    return "a file in nexus's own layout" if name in ("", NEXUS) else by_name(name).TITLE


def links_refunds(name: str) -> bool:
    """Whether the refunds of the layout called ``name`` (``Order.source``) name their sale by its order id: nexus's
    own layout's do (a refund row under its sale's ``order_id``), and a platform's where its module says so."""
    return name in ("", NEXUS) or bool(getattr(by_name(name), "LINKS_REFUNDS", False))


def across(paths: Sequence[str], layouts: Sequence[ModuleType | None], options: ReadOptions) -> list[Said]:
    """Warnings a layout gives only from several of its files together (``WARN_ACROSS``: WooCommerce's exports that
    name one order by its number in one and by its post id in another), each module given its own files' rows; each
    with the pairs of orders it names, which a less specific warning does not name again (nexus.counted_twice)."""
    from nexus.spreadsheets import read_rows  # read again only where a layout asks, beside another file of it

    said: list[Said] = []
    for layout in {layout for layout in layouts if layout is not None and hasattr(layout, "WARN_ACROSS")}:
        files = [path for path, each in zip(paths, layouts) if each is layout]
        if len(files) < 2:
            continue
        opened = [(path, read_rows(path, options, None, ReadNotes(), quoted=quoted(layout))) for path in files]
        try:
            said += layout.WARN_ACROSS(opened)
        finally:
            for _path, rows in opened:
                getattr(rows, "close", lambda: None)()
    return said


def name_of(layout: ModuleType | None) -> str:
    return NEXUS if layout is None else layout.NAME


def read(layout: ModuleType, path: str, rows: Iterator[Row], options: ReadOptions,
         categorizer: Categorizer | None = None, apart: bool = False, notes: ReadNotes | None = None) -> Iterator:
    """The orders of one file in a platform's layout, as :func:`nexus.sales.read_sales` accounts for them;
    ``categorizer`` decides the category of lines that have none of their own (nexus.categories). ``apart``:
    the rows are some of the file's, and a gap in their lines parts an order's rows (nexus.fast_exports).
    ``notes`` hears how the file was read where the reader had to choose (an Etsy file's 0.00 adjustments)."""
    return layout.read(Source(layout, path, rows, options, categorizer, apart, notes))
