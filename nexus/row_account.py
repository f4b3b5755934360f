"""The row account: every order a reader gives is used once, or named as what else it is.

Each reader (nexus's own layout, each platform's) hands its orders here, file after file (:func:`account`, and
:func:`nexus.sales.read_sales`). An order whose id was seen before (its identity and content: nexus.order_keys) is a
duplicate where its content is the same (counted once, listed), a conflict where it differs (stopped, or read as
``--repeated-orders`` says: line items of one order, or the latest copy), and a migration overlap where another platform
exported it too (what is remembered of each copy, and how an overlap is said: nexus.overlaps). Orders left out
(cancelled, test, failed) and rows skipped are listed up to :data:`LISTED_ROWS` and counted beyond, so that
``rows_read == used + skipped + duplicates + left_out + superseded`` always holds. A refund a platform gives as the
order's running total refunded is one per order, a later copy amending it (nexus.running_totals).

Orders first read are remembered by a short key and their content (nexus.seen_orders.SeenOrders): in memory up to
nexus.seen_orders.SEEN_IN_MEMORY, then in a temporary SQLite file, so that memory stays bounded whatever the number
of orders.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Callable, Iterable, Mapping, Sequence, cast

from nexus import cut_ids
from nexus.categories import LINE_CATEGORIES, UNKNOWN, listed
from nexus.counted_twice import Copy, NearCopies
from nexus.errors import InputError, Location
from nexus.money import format_amount
from nexus.order_keys import (CONTENT, content_of, differences, from_content, identity, key_of, number_text,
                              placed_at, sale_identity)
from nexus.overlaps import (CopyNote, bare_id, categories_words, category_names, copy_note, first_part, in_categories,
                            near_text, overlap_key, overlap_line, parts_of, says_more, when_words, whole_amount)
from nexus.read_options import ReadNotes, ReadOptions
from nexus.cells import EXEMPTIONS
from nexus.orders import (ZERO, CategoryPart, Conflict, Duplicate, LeftOut, Order, RepeatedOrder, RowProblem, SkuLine,
                          _row_text, shortened_id)
from nexus.ledger import Ledger, Profile, profile
from nexus.running_totals import (RunningTotal, as_of, dispute, increases, money_back, provider_total,
                                  refunds_are_totals, running_total, state)
from nexus.seen_orders import SeenOrders
from nexus.spreadsheets import read_rows


#: What the content remembered for an order counted once as a migration overlap (another platform's copy counts)
#: starts with; the copy's own content follows, so that a later identical copy is a plain duplicate.
OVERLAPPED = "\x1eoverlap\x1e"


#: Per source (``Order.source``): whether its refunds are linked to their sale by order id (nexus.exports.
#: links_refunds): nexus's own layout's and a platform's whose module says its refunds name their sale.
_LINKS: dict[str, bool] = {}


def _links_refunds(source: str) -> bool:
    found = _LINKS.get(source)
    if found is None:
        from nexus.exports import links_refunds  # here, not at the top: the platform readers import this module
        found = _LINKS[source] = links_refunds(source)
    return found


def _counted_with(order: Order) -> str:
    """The daily total a sale's transaction was counted in (but its place, which keys it): for moving it to a later
    line item of the order (:meth:`RowAccount._moved`); empty for a refund or chargeback, which counts none."""
    if order.kind != "sale":
        return ""
    return "\x1f".join((order.currency, "marketplace" if order.channel == "marketplace" else "direct", order.exempt,
                        order.category, order.day.isoformat()))


def _line_rank(category: str, channel: str, exempt: str) -> tuple[int, bool, int]:
    """Which line of an order counts its transaction: the lowest rank (see :meth:`RowAccount._moved`)."""
    return (LINE_CATEGORIES.index(category) if category in LINE_CATEGORIES else len(LINE_CATEGORIES),
            channel == "marketplace", EXEMPTIONS.index(exempt) if exempt in EXEMPTIONS else len(EXEMPTIONS))


#: Skipped and duplicated rows listed row by row (file, line, text), each kind; beyond them rows are
#: counted, not listed, so that a late export repeating millions of rows (or a file in the wrong format read
#: with --skip-bad-rows) does not fill memory and the report with copies.
LISTED_ROWS = 10_000


class RowAccount:
    """The accounting loop every reader feeds: duplicates, repeats with different content (by
    ``--repeated-orders``), migration overlaps between platforms, and the row account.

    A reader yields, for each order, a tuple of the :class:`Order` and the values of its (first) row; a
    :class:`RowProblem` for rows skipped as unreadable (with ``skip_bad_rows``); a :class:`LeftOut` for rows
    left out on purpose; a :class:`Duplicate` for rows another file holds, counted there.
    """

    def __init__(self, ledger: Ledger, mode: str, seen: SeenOrders, overlaps: bool,
                 paid: Mapping[tuple[str, str], tuple[str, str, str]] | None = None):
        self.ledger, self.mode, self.seen, self.overlaps = ledger, mode, seen, overlaps
        #: A payment provider's refunds of a store's orders, (provider's layout, payment id): the store's order,
        #: (layout, order id, part), as nexus.payment_matches.PaymentMatches.sales names it while the files are read.
        self.paid = paid if paid is not None else {}
        #: The platforms (``Order.source``) whose sales were remembered for matching migration overlaps: while only
        #: one has been read, no sale can be another platform's copy a day apart, and none is looked for.
        self.overlap_sources: set[str] = set()
        #: (source, order id) of sales found to be migration overlaps, and the platform whose copy counts.
        self.overlapped: dict[tuple[str, str], str] = {}
        #: The row account of the file being read (nexus.ledger.file_account), and its path.
        self.here: dict[str, int] = {}
        self.path = ""
        #: (source, order id) of orders with a refund or chargeback counted (kept when overlaps are looked for), and
        #: their (currency, amount): a copy of the sale that takes over from that source's (:meth:`_take_over`)
        #: finds them there.
        self.refunded: dict[tuple[str, str], list[tuple[str, str]]] = {}
        #: (platform whose copy of an overlapped order counts, order id): the platform whose copy does not.
        self.copied: dict[tuple[str, str], str] = {}
        #: (platform, order id) of an overlapped order whose copy does not count: the refunds counted from it,
        #: (currency, amount), which the counted copy's platform did not record.
        self.refunded_there: dict[tuple[str, str], list[tuple[str, str]]] = {}
        #: (refund's platform, platform whose copy of the sale counts): refunds counted of overlapped orders that
        #: only the first platform recorded.
        self.refunds_after_overlap: dict[tuple[str, str], int] = {}
        #: (platform, order id) of a copy whose refunds come only as a running total on the order's date
        #: (Shopify's ``Refunded Amount``): that total, and the dated refunds of another platform's copy set against
        #: it (:meth:`_running_total`).
        self.running: dict[tuple[str, str], RunningTotal] = {}
        #: (platform, order id): the dated refunds counted of that copy, (platform, currency, money back with tax),
        #: which a running total of another platform's copy read later is set against; (store's layout, order id) in
        #: :attr:`paid_dated`: a payment provider's refunds of that store order (:attr:`paid`) set against its running
        #: total (:func:`nexus.running_totals.provider_total`), each with how many refunds it is and how many of them
        #: totals the provider gave without their date (a later copy of a provider's total: what its reading gained).
        self.dated: dict[tuple[str, str], list[tuple[str, str, Decimal]]] = {}
        self.paid_dated: dict[tuple[str, str], list[tuple[str, str, Decimal, int, int]]] = {}
        #: (file, line, provider's layout, payment id) of a provider's refund: the identity of the record that speaks
        #: for it, of those its row is split into (:meth:`_speaks_for_payment`).
        self.paid_first: dict[tuple[str, int, str, str], bytes] = {}
        #: (dated refund's platform, running total's platform): refunds counted on their own dates in place of (a
        #: part of) the second's running total on the order's date.
        self.dated_instead: dict[tuple[str, str], int] = {}
        #: With ``--repeated-orders latest``: the category source and SKU lines of each counted copy that has any
        #: but the defaults, which its content (nexus.order_keys.content_of) does not hold, to take it back out exactly.
        self.kept: dict[bytes, tuple[str, tuple[SkuLine, ...]]] = {}
        #: With ``--repeated-orders lines`` and overlaps looked for: orders counted with further line items, whose
        #: remembered content is their first line's only, so that no other platform's copy takes over from them.
        self.extended: set[bytes] = set()
        #: Identity of a dated running total read in several copies (:meth:`_dated_total`): every copy read, each
        #: of another state, and what is counted of them now.
        self.dated_totals: dict[bytes, tuple[tuple[Order, ...], tuple[Order, ...]]] = {}
        #: Identity of such a total first read from an export without its date (counted on the payment's date).
        self.undated_totals: set[bytes] = set()
        #: Copies listed as overlaps once another copy took over from them, their row's text still to read.
        self.untold: list[RowProblem] = []
        #: (platform whose copy of an overlapped order counts, order id): that copy's categories, as its parts
        #: (one, for an order read whole), which a refund counted from another platform's copy takes.
        self.counted_parts: dict[tuple[str, str], tuple[CategoryPart, ...]] = {}
        #: (platform, order id) of a copy of a sale counted and of no category: its refunds counted, their identity
        #: and content (nexus.order_keys.content_of), and whether it is a running total on the order's date, to be moved
        #: to the categories of another platform's copy that takes over (:meth:`_take_over`).
        self.unplaced: dict[tuple[str, str], list[tuple[bytes, str, bool]]] = {}
        #: (platform, order id) of a copy that gave way: the refunds counted from it in another copy's categories.
        self.recategorised: dict[tuple[str, str], set[bytes]] = {}
        #: (platform, order id) of a copy that gave way: its listed overlap, whose line then says so.
        self.overlap_lines: dict[tuple[str, str], RowProblem] = {}
        #: Order ids read once that a spreadsheet cut short (1.00012E+15), for :func:`nexus.cut_ids.tell`.
        self.cuts: list[cut_ids.Cut] = []
        #: Each file's order id column, as its orders name it ("" for nexus's own layout's ``order_id``).
        self.id_columns: dict[str, str] = {}
        #: (source, order id) of refunds and chargebacks counted of a layout whose refunds name their sale (nexus's
        #: own, PayPal's, Stripe's, WooCommerce's): their amount and tax per profile and day, linked to their sale's
        #: day once every file is read (:meth:`link_refunds`).
        self.refunds: dict[tuple[str, str], dict[tuple[Profile, date], list]] = {}
        #: Two platforms' copies of one order id and place, a day apart at most, that are not a migration overlap
        #: (their amounts differ): both counted, and said (:meth:`_near`).
        self.near = NearCopies()

    def take(self, path: str, events: Iterable) -> int:
        """Account for every event of one file; the number of rows it had."""
        ledger = self.ledger
        count, named = 0, False
        self.here, self.path = {}, path
        if ledger.file_rows is not None:
            ledger.file_rows.append(self.here)
        for event in events:
            if type(event) is tuple:
                order, values = event
                if not named:
                    self.id_columns[path], named = order.id_column, True
                count += order.rows
                ledger.rows_read += order.rows
                self._order(order, values)
            elif type(event) is int:  # rows a reader counted in the ledger itself: orders whose id is read once
                count += event
                ledger.rows_read += event
            elif type(event) is Duplicate:
                count += event.rows
                ledger.rows_read += event.rows
                self.here["duplicates"] = self.here.get("duplicates", 0) + event.rows
                _listed(ledger.duplicates, event, ledger, "unlisted_duplicates")
            elif isinstance(event, RowProblem):
                count += event.rows
                ledger.rows_read += event.rows
                self.here["skipped"] = self.here.get("skipped", 0) + event.rows
                _listed(ledger.skipped, event, ledger, "unlisted_skipped")
            else:
                count += event.rows
                ledger.rows_read += event.rows
                self.here["left_out"] = self.here.get("left_out", 0) + event.rows
                _listed(ledger.left_out, event, ledger, "unlisted_left_out")
        return count

    def _order(self, order: Order, values: Sequence[object]) -> None:
        ledger = self.ledger
        ident = identity(order)
        if ident is None:
            ledger.add(order)
            return
        mode = _mode_for(self.mode, order)
        path, line = order.location.file, order.location.line or 0
        content = content_of(order)
        found = self.seen.first(ident, path, line, content)
        if found is None:
            if "+" in order.order_id or order.id_shortened:  # a long id cut short, which other files may hold whole
                why = order.id_shortened or shortened_id(order.order_id)
                cut = cut_ids.cut(path, line, order.order_id, why, bool(order.id_shortened)) if why else None
                if cut is not None:
                    self.cuts.append(cut)
            if order.undated and order.kind != "sale" and refunds_are_totals(order.source):
                self.undated_totals.add(ident)  # a later copy may date it (_dated_total): the content does not say
            if self.overlaps and self._overlap(order, values, ident):
                self.seen.replace(ident, path, line, OVERLAPPED + content)  # counted as the other platform's copy
                return
            if self.overlaps and order.kind == "sale" and first_part(order):
                self._near(order)
            if self.overlaps and order.skus and order.category_source == "unknown":
                self._keep(ident, order)  # another platform's copy may take over from it (_take_over)
            if mode == "lines":
                self.seen.first(key_of("line", ident, content), path, line)
                self.seen.first(key_of("place", ident, order.jurisdiction), path, line, _counted_with(order))
            elif mode == "latest":
                self._keep(ident, order)
            if self.overlaps and order.kind != "sale":
                self._count(order, ident)
            else:
                ledger.add(order)
                self._held_refund(order)
            return
        first_file, first_line, first_content = found
        shortened = order.id_shortened or shortened_id(order.order_id)
        if shortened:
            raise InputError(f"order id {order.order_id!r} was read at {first_file}:{first_line} too; it is "
                             f"{shortened}, so the two rows may be different orders: export the order id column "
                             f"as text (or straight from the platform, not through a spreadsheet) and read again",
                             Location(path, line, _id_column(order), order.order_id))
        if first_content.startswith(OVERLAPPED):
            if not self._paid_total(order):
                self._overlapped_again(order, values, first_file, first_line, content,
                                       first_content[len(OVERLAPPED):], ident)
                return
            first_content = first_content[len(OVERLAPPED):]  # counted here, against the store's running total
        if mode == "lines":
            copy = self.seen.first(key_of("line", ident, content), path, line)
            if copy is not None:
                self._duplicate(order, values, copy[0], copy[1])
                return
            place_key = key_of("place", ident, order.jurisdiction)
            held = self.seen.first(place_key, path, line, _counted_with(order))
            moved = held is not None and order.kind == "sale" and self._moved(held[2], order)
            if moved:
                self.seen.replace(place_key, path, line, _counted_with(order))
            if self.overlaps and order.kind != "sale":
                self._count(order, ident)
            else:
                ledger.add(order, transactions=1 if order.kind == "sale" and (held is None or moved) else 0)
                self._held_refund(order)
            if self.overlaps:
                self.extended.add(ident)
            self._conflict(order, first_file, first_line, first_content, content, "line items")
            return
        if content == first_content:
            self._duplicate(order, values, first_file, first_line)
            return
        if mode == "error":
            raise repeated(order, first_file, first_line, first_content, content)
        source, lines = self.kept.pop(ident, ("column", ()))
        earlier = replace(from_content(first_content, order), category_source=source, skus=lines)
        self._keep(ident, order)
        latest = self._dated_total(order, earlier, ident)
        if latest is None and not self._amended(order, ident):
            self._count(earlier, ident, sign=-1)
            self._count(order, ident)
        if order.kind == "sale" and order.jurisdiction != earlier.jurisdiction:
            self._follow_sale(order)
        ledger.rows_superseded += earlier.rows
        self._in_file(first_file)["superseded"] = self._in_file(first_file).get("superseded", 0) + earlier.rows
        if latest is None or latest is order:  # a dated total's earlier state read later leaves the later remembered
            self.seen.replace(ident, path, line, content)
        self._conflict(order, first_file, first_line, first_content, content, "the later kept")

    def _dated_total(self, order: Order, earlier: Order, ident: bytes) -> Order | None:
        """Where ``order`` is another copy of a dated running total (:func:`nexus.running_totals.running_total`:
        Stripe's ``Amount Refunded`` on its ``Refunded date (UTC)``) read with ``--repeated-orders latest`` (or
        ``lines``, read so: it is the order's state), count every copy read of it as what it says: each total's increase
        on its own date (:func:`nexus.running_totals.increases`), in place of what was counted; the copy of the latest
        state, which later copies are compared with. None for any other order.

        A running total only grows, so the later date is the later state whichever file is given last: 10.00 by
        5 Jul in one export and 25.00 by 20 Jul in a later one are 10.00 on 5 Jul and 15.00 on 20 Jul. A copy from an
        export without the date (Stripe's older payments CSV) is on the payment's date, and stays said as undated."""
        if order.kind == "sale" or not refunds_are_totals(order.source):
            return None
        if ident not in self.dated_totals:
            earlier = replace(earlier, undated=ident in self.undated_totals)
        copies, counted = self.dated_totals.get(ident, ((earlier,), (earlier,)))
        was = max(copies, key=as_of)
        states = {state(copy): copy for copy in copies}
        states.pop(state(order), None)
        states[state(order)] = order  # the copy read last, last: a dispute's latest state (running_totals.dispute)
        copies = tuple(states.values())
        self._recount_total(ident, counted, copies)
        latest = order if order.kind == "chargeback" else max(copies, key=as_of)
        now = self.dated_totals[ident][1]
        self._paid_total_moved(order, ident, money_back(latest) - money_back(was), len(now) - len(counted),
                               _undated(now) - _undated(counted))
        return latest

    def _recount_total(self, ident: bytes, counted: Sequence[Order], copies: tuple[Order, ...]) -> None:
        """Count the ``copies`` of the dated running total ``ident`` (the copy read last, last) as what they say in
        place of what was ``counted`` of it: a refunded total's increases (:func:`nexus.running_totals.increases`), a
        dispute's latest state (:func:`nexus.running_totals.dispute`)."""
        for part in counted:
            self._count(part, ident, sign=-1)
        now = (dispute(copies),) if copies[-1].kind == "chargeback" else increases(copies)
        for part in now:
            self._count(part, ident)
        self.dated_totals[ident] = (copies, now)

    def _follow_sale(self, sale: Order) -> None:
        """Move what was counted of the running totals of a payment (its ``Amount Refunded``, its lost dispute: a
        layout's ``REFUNDS_ARE_TOTALS``) to the place of ``sale``, the later copy of the payment now counted in place
        of the earlier (``--repeated-orders latest``; ``lines`` reads a payment so): a charge is one sale in one place,
        and what is taken back of it is taken back there, each copy's increase still on its own date.

        Before, each copy's increase counted where that copy placed the sale: a card address that changed between two
        exports (or a shipping address filled in later) left 10.00 refunded in California and 15.00 in Nevada of a
        sale counted in Nevada alone."""
        if not refunds_are_totals(sale.source):
            return
        for kind in ("refund", "chargeback"):
            total = replace(sale, kind=kind)
            ident = identity(total)
            found = self.seen.get(ident) if ident is not None else None
            if ident is None or found is None or found[2].startswith(OVERLAPPED):  # none, or at a store's order's place
                continue
            file, line, content = found
            place, moved = placed_at(content, sale.jurisdiction)
            if place == sale.jurisdiction:
                continue
            held = self.dated_totals.get(ident)
            if held is None:  # one copy read: counted as it was read
                source, lines = self.kept.get(ident, ("column", ()))
                read = replace(from_content(content, total), kind=kind, category_source=source, skus=lines,
                               undated=ident in self.undated_totals, location=Location(file, line))
                held = ((read,), (read,))
            copies, counted = held
            self._recount_total(ident, counted, tuple(replace(copy, jurisdiction=sale.jurisdiction)
                                                      for copy in copies))
            self.seen.replace(ident, file, line, moved)

    def _paid_total(self, order: Order) -> bool:
        """Whether ``order`` is a payment provider's running total (:func:`nexus.running_totals.running_total`, dated or
        not) of a store's order whose export gives its refunds only as a running total too (Shopify's): a copy of it
        read before was counted here, set against that total (:meth:`_paid_against_running`), not as another platform's
        copy."""
        store = self.paid.get((order.source, order.order_id))
        return store is not None and order.kind == "refund" and provider_total(order) and \
            (store[0], bare_id(store[1])) in self.running

    def _paid_total_moved(self, order: Order, ident: bytes, moved: Decimal, refunds: int, undated: int) -> None:
        """Set what a later copy of a payment provider's running total (:meth:`_dated_total`) says ``moved``
        beyond the latest copy before it against the store's running total of the order, as a dated refund of its own
        (:meth:`_paid_against_running`): the store's total then counts only what it says beyond the provider's latest.
        Before, the provider's first copy alone was set against it, and its later increase counted on top of it.

        ``refunds`` and ``undated``: how many more refunds the provider's reading of its copies now is (its increases,
        :func:`nexus.running_totals.increases`), and how many more of them totals without a date, which the note on a
        store's total that says more counts (:meth:`note_running_totals`). An earlier state read after a later one moves
        no money but is a refund of the reading: before, the note counted the copies that moved money, so that 10.80 by
        20 Aug and 16.20 by 1 Sep were '2 dated refund(s)' with the earlier export read first and '1' with it last."""
        store = self.paid.get((order.source, order.order_id))
        if store is None or order.kind != "refund":
            return
        if not self._speaks_for_payment(order, ident):  # another category's record of the same copy
            refunds = undated = 0
        if not (moved or refunds or undated):
            return
        key = (store[0], bare_id(store[1]))
        held = self.running.get(key)
        if held is None or held.currency != order.currency:
            self.paid_dated.setdefault(key, []).append((order.source, order.currency, moved, refunds, undated))
        else:
            self._set_against(key, order, moved, refunds, undated)

    def tell_rows(self, options: ReadOptions, quoted: Callable[[str], bool]) -> None:
        """Write in the text of the rows listed as overlaps once another copy took over from them (:meth:`_take_over`):
        each of their files read again up to the last such line (``quoted``: whether the file's layout quotes)."""
        lines: dict[str, set[int]] = {}
        for problem in self.untold:
            lines.setdefault(problem.file, set()).add(problem.line)
        texts: dict[tuple[str, int], str] = {}
        for path, wanted in lines.items():
            last = max(wanted)
            for line, values in read_rows(path, options, None, ReadNotes(), quoted=quoted(path)):
                if line in wanted:
                    texts[(path, line)] = _row_text(values)
                if line >= last:
                    break
        told = {id(p): replace(p, text=texts.get((p.file, p.line), "")) for p in self.untold}
        for listing in (self.ledger.duplicates, self.ledger.overlaps):
            listing[:] = [told.get(id(p), p) for p in listing]
        self.untold.clear()

    def note_refunds_after_overlap(self) -> None:
        """Say how many refunds of orders counted from another platform's copy (a migration overlap) were counted
        from the platform that alone recorded them."""
        for (source, counted), n in sorted(self.refunds_after_overlap.items()):
            if not n:  # each of them set against a running total since (:meth:`_running_total`)
                continue
            self.ledger.notes.assume(
                f"{n:,} refund(s) or chargeback(s) in {_layout_title(source)} of orders counted from "
                f"{_layout_title(counted)} (a migration overlap) are counted on their own dates and places, in the "
                f"categories of the copy counted: the copy counted had no refund of them when read")
        for (source, undated), n in sorted(self.dated_instead.items()):
            self.ledger.notes.assume(
                f"{n:,} refund(s) in {_layout_title(source)} of orders also in {_layout_title(undated)} (a migration "
                f"overlap) are counted on their own dates, where that export gives them only as a running total on "
                f"the order's date")
        self.note_running_totals()

    def _moved(self, held: str, order: Order) -> bool:
        """Whether a further line of an order (``--repeated-orders lines``) takes over the order's one transaction
        from the line that holds it (``held``, as :func:`_counted_with` wrote it), and if so take it from there.

        An order is one transaction, counted with one of its lines; a rule that counts only some lines (New York
        and California count goods) must still find it. As the platform readers count a split order's transaction
        with its first part, it goes to the line of the first category (goods, digital, SaaS, services, unknown),
        then to a line not sold through a marketplace, then to a taxable one, whatever order the lines come in."""
        if not held:
            return False
        code, channel, exempt, category, written = held.split("\x1f")
        if _line_rank(category, channel, exempt) <= _line_rank(order.category, order.channel, order.exempt):
            return False
        key, day = profile(order.jurisdiction, code, channel, "sale", exempt, category), date.fromisoformat(written)
        self.ledger.settle()
        total = self.ledger.total(key, day)
        total[1] -= 1
        if not total[0] and not total[1]:
            del self.ledger.series[key][day]
            if not self.ledger.series[key]:
                del self.ledger.series[key]
        return True

    def _count(self, order: Order, ident: bytes, sign: int = 1) -> None:
        """Count ``order`` (``sign`` -1 takes it back out). A refund of a sale counted from another platform's copy
        (a migration overlap) is counted in that copy's categories, split as that copy is: it reduces that sale, and
        a goods-only test that counts the sale must count its refund. One from a copy still counted that gives no
        category is remembered, to be moved so once another copy takes over."""
        if not self.overlaps or order.kind == "sale":
            self.ledger.add(order, sign=sign)
            self._held_refund(order, sign)
            return
        copy = (order.source, bare_id(order.order_id))
        counted = self.overlapped.get(copy)
        parts = self.counted_parts.get((counted, copy[1])) if counted is not None else None
        if parts is None or [(p.category, p.source) for p in parts] == [(order.category, order.category_source)]:
            self.ledger.add(order, sign=sign)
            self._held_refund(order, sign)
            if counted is None and order.category_source == UNKNOWN:
                held = self.unplaced.setdefault(copy, [])
                if sign > 0:
                    held.append((ident, content_of(order), order.undated))
                else:
                    at = next((i for i, (kept, _r, _u) in enumerate(held) if kept == ident), None)
                    if at is not None:
                        del held[at]
            return
        for part in in_categories(order, parts):
            self.ledger.add(part, sign=sign)
            self._held_refund(part, sign)  # linked to its sale's day in the category it is counted in
        if sign > 0 and first_part(order):
            self.recategorised.setdefault(copy, set()).add(ident)

    def _held_refund(self, order: Order, sign: int = 1) -> None:
        """Hold a refund or chargeback counted (``sign`` -1: taken back out) of a layout whose refunds name their sale
        (:func:`_links_refunds`) under its order id, to be linked to its sale's day once every file is read: the sale
        may come in a later row or file."""
        if order.kind == "sale" or not order.order_id or order.undated or not _links_refunds(order.source):
            return
        key = profile(order.jurisdiction, order.currency, order.channel, order.kind, order.exempt, order.category)
        by_day = self.refunds.setdefault((order.source, order.order_id), {})
        held = by_day.setdefault((key, order.day), [ZERO, ZERO])
        held[0] += sign * order.amount
        held[1] += sign * order.tax

    def link_refunds(self, sales: Mapping[tuple[str, str], tuple[str, str, str]] | None = None) -> None:
        """Put each refund held (:meth:`_held_refund`) in the ledger's :attr:`~nexus.ledger.Ledger.refund_links`,
        under the day of the sale of its order id where the files read hold that sale (as last counted, with
        ``--repeated-orders latest``); a refund without its sale in the files stays netted on its own day only.

        ``sales`` names, for a payment provider's refund of a store's order (nexus.payment_matches.PaymentMatches.
        sales), the store's sale it takes back, (layout, order id, part): the provider's copy of the payment is not
        counted, so its refund is linked to the day the store's export gives the order."""
        for (source, order_id), held in self.refunds.items():
            sale = sales.get((source, order_id)) if sales else None
            found = self.seen.get(sale_identity(*sale) if sale else sale_identity(source, order_id))
            if found is None:
                continue
            content = found[2][len(OVERLAPPED):] if found[2].startswith(OVERLAPPED) else found[2]
            sale_day = date.fromisoformat(content.split("\x1f")[CONTENT.index("day")])
            for (key, day), (amount, tax) in held.items():
                if amount or tax:
                    self.ledger.link(key, day, sale_day, amount, tax)
        self.refunds.clear()

    def tell_refund_categories(self) -> None:
        """Say, on the line of each overlap listed, that refunds counted from the copy that gave way were counted in
        the categories of the copy that counts (:meth:`_count`)."""
        changed: dict[int, RowProblem] = {}
        for copy, idents in self.recategorised.items():
            problem = self.overlap_lines.get(copy)
            if problem is None:
                continue
            parts = self.counted_parts[(self.overlapped[copy], copy[1])]
            names = listed(category_names(parts))
            split = "split " if len(parts) > 1 else ""
            said = (f"its refund counted from this copy counts as {names}, {split}as the sale it reduces"
                    if len(idents) == 1 else
                    f"its {len(idents)} refunds counted from this copy count as {names}, {split}as the sale they "
                    f"reduce")
            changed[id(problem)] = replace(problem, reason=f"{problem.reason}; {said}")
        if changed:
            for listing in (self.ledger.duplicates, self.ledger.overlaps, self.untold):
                listing[:] = [changed.get(id(p), p) for p in listing]

    def _keep(self, ident: bytes, order: Order) -> None:
        """Remember the category source and SKU lines of the copy now counted, where they are not the defaults."""
        if order.category_source != "column" or order.skus:
            self.kept[ident] = (order.category_source, order.skus)

    def _overlapped_again(self, order: Order, values: Sequence[object], file: str, line: int, content: str,
                          earlier: str, ident: bytes) -> None:
        """A later copy, from the same platform, of an order counted once as a migration overlap (its ``earlier``
        copy's content): the same again (a late re-export) is a duplicate of that copy, not another overlap."""
        if content == earlier:
            what = "sale" if order.kind == "sale" else order.kind
            self._duplicate(order, values, file, line, f"{what} {order.order_id!r} already read at {file}:{line}, "
                                                       f"a migration overlap counted once; counted once")
            return
        if self.overlaps and self._overlap(order, values, ident, take_over=False):
            return  # the same as the other platform's copy again
        if self.mode == "error":
            raise RepeatedOrder(f"order {order.order_id!r} read at {file}:{line} (a migration overlap, counted once "
                                f"as the other platform's copy) and again at {order.location.file}:"
                                f"{order.location.line} with different content: say how to read it with "
                                f"--repeated-orders, or export it from one platform only",
                                Location(order.location.file, order.location.line, _id_column(order), order.order_id))
        self._duplicate(order, values, file, line,
                        f"{order.kind} {order.order_id!r} was counted once as a migration overlap (read at {file}:"
                        f"{line}); this later copy differs and is not counted: export the order from one platform")

    def _in_file(self, path: str) -> dict[str, int]:
        """The row account of the file read last as ``path``: the one being read, else one read before it (the
        accounts of the files taken so far, this one's last, are in ``ledger.file_rows``, in the files' order)."""
        files, accounts = self.ledger.files, self.ledger.file_rows
        if accounts is None or path == self.path:
            return self.here
        taken = min(len(files), len(accounts) - 1)
        earlier = next((i for i in range(taken - 1, -1, -1) if files[i][0] == path), None)
        return self.here if earlier is None else accounts[earlier]

    def _duplicate(self, order: Order, values: Sequence[object], file: str, line: int,
                   reason: str | None = None, account: dict[str, int] | None = None,
                   text: str | None = None) -> RowProblem | None:
        """List ``order`` as a duplicate, counted in the row account of its file (``account``: the one being read
        unless said), with its row's ``values`` (or the row's ``text``, written before)."""
        held = self.here if account is None else account
        held["duplicates"] = held.get("duplicates", 0) + order.rows
        if len(self.ledger.duplicates) >= LISTED_ROWS:  # counted, not listed: its row's text is not needed
            self.ledger.unlisted_duplicates += order.rows
            return None
        what = "sale" if order.kind == "sale" else order.kind
        problem = RowProblem(order.location.file, order.location.line or 0,
                             reason or f"{what} {order.order_id!r} already read at {file}:{line}; counted once",
                             _id_column(order), order.order_id, _row_text(values) if text is None else text,
                             order.rows)
        self.ledger.duplicates.append(problem)
        return problem

    def _conflict(self, order: Order, first_file: str, first_line: int, first: str, later: str, treated: str) -> None:
        ledger = self.ledger
        if len(ledger.conflicts) >= LISTED_ROWS:
            ledger.unlisted_conflicts += 1
            return
        ledger.conflicts.append(Conflict(order.order_id, order.source, Location(first_file, first_line),
                                         order.location, differences(first, later), treated, order.kind))

    def _overlap(self, order: Order, values: Sequence[object], ident: bytes, take_over: bool = True) -> bool:
        """Whether ``order`` was already exported by another platform (a migration overlap) and is not counted: the
        same id but a leading '#', the same amount, currency and place, the same day or a day apart
        (:meth:`_a_day_apart`).

        The copy counted is the one that says more: one with a category (Shopify's tax code or ``Lineitem requires
        shipping``) over one without (WooCommerce's), whichever file came first, so that the figures do not hang on
        the order of ``--sales``; else the copy read first. Where ``order`` says more, it takes over from the copy
        counted so far (:meth:`_take_over`) and is counted (False).

        A refund of such an order from this platform goes with it where the platform whose copy counts has a refund
        of the order too (both recorded the one refund); where it has none (the refund was made on the new platform
        after the move), the refund is counted, on its own date, and said: dropping it would overstate sales."""
        bare = bare_id(order.order_id)
        if order.kind != "sale":
            return self._refund_of_overlap(order, values, bare, ident)
        key = overlap_key(bare, order, order.day)
        found = self.seen.first_copy(key, order.location.file, order.location.line or 0, copy_note(order, ident))
        self.overlap_sources.add(order.source)
        day = order.day
        if found is None or found[2].source == order.source:
            if len(self.overlap_sources) == 1:
                return False  # the first platform read: no other's copy to find, on any day
            found, day = self._a_day_apart(bare, order)
            if found is None:
                return False
            key = overlap_key(bare, order, day)
        there = found[2]
        if not first_part(order):  # the rest of a split copy whose first part gave way (listed as the overlap)
            self._duplicate(order, values, found[0], found[1],
                            f"sale {order.order_id!r}, its {order.category} part: the rest of the migration overlap "
                            f"listed at line {order.parts[0].line}, counted once, as the copy in "
                            f"{_layout_title(there.source)} at {found[0]}:{found[1]}")
            return True
        if take_over and says_more(order.category_source, there.category_source) \
                and there.ident not in self.extended and self._take_over(order, ident, bare, there, key, day):
            return False
        self.overlapped[(order.source, bare)] = there.source
        self.copied[(there.source, bare)] = order.source
        self.counted_parts[(there.source, bare)] = there.parts
        why = (f"which gives its {categories_words(there.parts)} where this one gives none"
               if says_more(there.category_source, order.category_source) else "read first")
        reason = overlap_line(order.order_id, parts_of(order), _layout_title(there.source), found[0], found[1],
                              there.parts, when_words(day, order.day), why)
        problem = self._duplicate(order, values, found[0], found[1], reason)
        self._listed_overlap(problem, (order.source, bare))
        return True

    def _near(self, order: Order) -> None:
        """Remember the first copy of a sale under its id (a leading '#' aside) and place; of another platform's copy
        of them a day apart at most whose amount or currency differs (not a migration overlap: both are counted),
        note the two (:attr:`near`). A time zone explains a day apart, as it does for an overlap (:meth:`_a_day_apart`);
        a rounding or a shipping line the new platform's import changed explains the amount, or the two are two
        orders that share a number: nexus cannot tell, and says so."""
        bare = bare_id(order.order_id)
        key = key_of("near", bare, order.jurisdiction)
        held = self.seen.first(key, order.location.file, order.location.line or 0, near_text(order))
        if held is None:
            return
        source, written, currency, amount, order_id = held[2].split("\x1f", 4)
        day, whole = date.fromisoformat(written), whole_amount(order)
        if source == order.source or abs((order.day - day).days) > 1 or (currency, Decimal(amount)) == (
                order.currency, whole):
            return
        self.near.add(Copy(held[0], held[1], order_id, _layout_title(source), currency, Decimal(amount), day,
                           order.jurisdiction),
                      Copy(order.location.file, order.location.line or 0, order.order_id, _layout_title(order.source),
                           order.currency, whole, order.day, order.jurisdiction))

    def _listed_overlap(self, problem: RowProblem | None, copy: tuple[str, str]) -> None:
        """List ``problem``, the overlap of the copy ``copy`` (its platform and order id without '#') that gave way,
        or count it beyond :data:`LISTED_ROWS`."""
        if problem is not None and len(self.ledger.overlaps) < LISTED_ROWS:
            self.ledger.overlaps.append(problem)
            self.overlap_lines[copy] = problem
        else:
            self.ledger.unlisted_overlaps += 1

    def _take_over(self, order: Order, ident: bytes, bare: str, there: CopyNote, key: bytes, day: date) -> bool:
        """Whether ``order``, which says more than the other platform's copy (``there``, read on ``day``), takes over
        from it: where that copy is counted, it is taken back out of the totals and becomes the overlap, a duplicate
        in its own file's row account; its refunds already counted stay counted, as refunds the copy now counted may
        record too (then counted once). The caller counts ``order``. A copy itself not counted (a later, changed copy
        of an overlap) has nothing to give up: ``order`` is then an overlap of the copy counted, as ever."""
        remembered = self.seen.get(there.ident)
        if remembered is None or remembered[2].startswith(OVERLAPPED):
            return False
        file, line, content = remembered
        source, lines = self.kept.pop(there.ident, (there.category_source, ()))
        earlier = replace(from_content(content, order), order_id=there.order_id, id_column=there.id_column,
                          source=there.source, category_source=source, skus=lines, location=Location(file, line),
                          parts=())
        self.ledger.add(earlier, sign=-1)
        self.seen.replace(there.ident, file, line, OVERLAPPED + content)
        self.seen.replace(key, order.location.file, order.location.line or 0, copy_note(order, ident))
        self.overlapped[(there.source, bare)] = order.source
        self.copied[(order.source, bare)] = there.source
        self.copied.pop((there.source, bare), None)
        self.counted_parts[(order.source, bare)] = parts_of(order)
        refunds = self.refunded.pop((there.source, bare), [])
        if refunds:
            self.refunded_there.setdefault((there.source, bare), []).extend(refunds)
            self.refunds_after_overlap[(there.source, order.source)] = \
                self.refunds_after_overlap.get((there.source, order.source), 0) + len(refunds)
        # Its refunds already counted stay counted, now in the categories of the copy that counts (their SKU lines,
        # if kept, stay as they were: a refund's lines count no category).
        for refund_ident, refund_content, undated in self.unplaced.pop((there.source, bare), []):
            refund = replace(from_content(refund_content, earlier), category_source=UNKNOWN, skus=(), undated=undated)
            self.ledger.add(refund, sign=-1)
            self._held_refund(refund, -1)  # its link to its sale's day goes with it to the categories counted
            self._count(refund, refund_ident)
        reason = overlap_line(there.order_id, there.parts, _layout_title(order.source), order.location.file,
                              order.location.line or 0, parts_of(order), when_words(order.day, day),
                              f"which gives its {categories_words(parts_of(order))} where this one gives none")
        problem = self._duplicate(earlier, (), "", 0, reason, self._in_file(file), "")
        if problem is not None:
            self.untold.append(problem)
        self._listed_overlap(problem, (there.source, bare))
        return True

    def _refund_of_overlap(self, order: Order, values: Sequence[object], bare: str, ident: bytes) -> bool:
        """Whether a refund (or chargeback) is one already counted from the other platform's copy of its order (a
        migration overlap), and so a duplicate, or is counted here against a running total (:meth:`_running_total`);
        else remember it as counted.

        Its platform's copy of the sale was the one not counted: the refund is the same one where the counted copy's
        platform has a refund of the order. Its platform's copy was the one counted: the refund is the same one where
        the other platform's copy brought a refund of the same amount that this platform had not recorded (a late
        re-export of the old platform, after an order it took was refunded and the new platform recorded it too)."""
        counted = self.overlapped.get((order.source, bare))
        other = self.copied.get((order.source, bare))
        twin = counted if counted is not None else other
        if self._running_total(order, values, ident, twin, bare) or self._paid_against_running(order, ident):
            return True
        # a refund split between categories: the whole of it
        amount = (order.currency, number_text(whole_amount(order)))
        if counted is not None and (counted, bare) in self.refunded:
            why = f"by {_layout_title(counted)} (a migration overlap), which has a refund of it too"
        elif other is not None and amount in self.refunded_there.get((other, bare), ()):
            why = f"by {_layout_title(other)} (a migration overlap), whose refund of the same amount is counted"
        elif not first_part(order):
            return False  # the rest of a refund split between categories: remembered with its first part
        else:
            self.refunded.setdefault((order.source, bare), []).append(amount)
            if not order.undated:  # a running total another platform's copy gives may be set against it
                self.dated.setdefault((order.source, bare), []).append((order.source, order.currency,
                                                                        money_back(order)))
            if counted is not None:
                self.refunds_after_overlap[(order.source, counted)] = \
                    self.refunds_after_overlap.get((order.source, counted), 0) + 1
                self.refunded_there.setdefault((order.source, bare), []).append(amount)
            if order.undated and not self._held((order.source, bare), ident):  # counted whole on the order's date,
                # until the other platform's dated refunds come
                self.running[(order.source, bare)] = RunningTotal(((order, ident),), order.currency, ZERO, 0,
                                                                  (order,), ())
            return False
        self._duplicate(order, values, "", 0, f"{order.kind} of {order.order_id!r}, an order also exported {why}; "
                                              f"counted once there")
        return True

    def _running_total(self, order: Order, values: Sequence[object], ident: bytes, twin: str | None,
                       bare: str) -> bool:
        """Whether ``order`` is counted here, as a running total refunded (Shopify's ``Refunded Amount``, on the
        order's date) or a dated refund (WooCommerce's ``refund_items``) of an order both platforms export (a
        migration overlap), so that the figures are the same whichever export is read first: the dated refunds count,
        each on its own day, and the running total only for what it says beyond their sum (a refund the dated
        platform did not record: made on the other after the move), on the order's date, split as the running total
        is. Before, a running total that summed several dated refunds matched none of them: read first, it fell on
        the order's date and they were taken for its duplicates; read after them, it counted on top of them."""
        if order.undated:
            return self._running_total_read(order, values, ident, twin, bare)
        if twin is None:
            return False
        held = self.running.get((twin, bare))
        if held is None or held.currency != order.currency:
            return False
        self._count(order, ident)  # in the categories of the copy counted, linked to its sale's day there
        if first_part(order):
            self._set_against((twin, bare), order)
            self._said_dated(order.source, twin, 1)
        return True

    def _running_total_read(self, order: Order, values: Sequence[object], ident: bytes, twin: str | None,
                            bare: str) -> bool:
        """:meth:`_running_total` of a running total (or a part of one) ``order``: set against the dated refunds of
        the order read so far (another platform's copy's, ``twin``; a payment provider's), what is left of it counted
        here; else held, counted by the caller, for dated refunds read later."""
        key = (order.source, bare)
        if self._held(key, ident):  # a later copy of the running total, amended
            return _mode_for(self.mode, order) == "latest" and self._amended(order, ident)
        held = self.running.get(key)
        if held is not None and not first_part(order) and len(held.parts) < len(order.parts):
            held = self.running[key] = held._replace(parts=held.parts + ((order, ident),))  # the rest of it
            if not held.refunds:  # counted whole, as its first part (by the caller)
                self.running[key] = held._replace(counted=held.counted + (order,))
                return False
            self._recount(key)
            self._covered(order, values, twin)
            return True
        theirs = [(by, money) for by, code, money in self.dated.get((twin, bare), ()) if code == order.currency] \
            if twin is not None else []
        given = [(by, money, n, undated) for by, code, money, n, undated in self.paid_dated.get(key, ())
                 if code == order.currency]
        paid = [(by, money) for by, money, _n, _undated in given]
        if not (theirs or paid) or not first_part(order):
            return False
        self.refunded.setdefault(key, []).append((order.currency, number_text(whole_amount(order))))
        self.running[key] = RunningTotal(((order, ident),), order.currency,
                                         sum((money for _by, money in theirs + paid), ZERO),
                                         len(theirs) + sum(n for _by, _money, n, _undated in given),
                                         (), tuple(dict.fromkeys(by for by, _money in theirs + paid)),
                                         sum(undated for _by, _money, _n, undated in given))
        after = (twin, order.source)
        if theirs and twin is not None and self.overlapped.get((twin, bare)) == order.source \
                and after in self.refunds_after_overlap:
            # said as refunds only twin's copy recorded (note_refunds_after_overlap): no more
            self.refunds_after_overlap[after] = max(0, self.refunds_after_overlap[after] - len(theirs))
        if theirs:  # a provider's are said with its match (nexus.payment_matches.PaymentMatches.tell)
            self._said_dated(cast(str, twin), order.source, len(theirs))
        self._recount(key)
        self._covered(order, values, twin)
        return True

    def _paid_against_running(self, order: Order, ident: bytes) -> bool:
        """Whether ``order``, a payment provider's refund of a store's order (:attr:`paid`) that the store's running
        total refunded of the order (Shopify's ``Refunded Amount``) gives way to
        (:func:`nexus.running_totals.provider_total`: PayPal's refund row, Stripe's ``Amount Refunded`` with or without
        its ``Refunded date (UTC)``), is counted here against that total, as another platform's dated refund is
        (:meth:`_running_total`); else, counted by the caller, it is remembered for a running total read later."""
        store = self.paid.get((order.source, order.order_id)) if provider_total(order) else None
        if store is None or order.kind != "refund":
            return False
        key = (store[0], bare_id(store[1]))
        held = self.running.get(key)
        speaks = self._speaks_for_payment(order, ident)
        if held is None or held.currency != order.currency:
            self.paid_dated.setdefault(key, []).append((order.source, order.currency, money_back(order), int(speaks),
                                                        int(order.undated and speaks)))
            return False
        self._count(order, ident)
        self._set_against(key, order, refunds=int(speaks), undated=int(order.undated and speaks))
        return True

    def _speaks_for_payment(self, order: Order, ident: bytes) -> bool:
        """Whether ``order`` (of identity ``ident``), a payment provider's refund of a store's order, is the record
        that counts as the refund in the note on the store's running total (:meth:`note_running_totals`): the first
        of the records of its row, where the store's order is split between categories and the refund with it
        (nexus.payment_matches gives them in the order's parts' order), each part being a record of its own. Before,
        each part counted: a Stripe refund of an order of goods and a download was '2 dated refund(s)'."""
        row = (order.location.file, order.location.line or 0, order.source, order.order_id)
        return self.paid_first.setdefault(row, ident) == ident

    def _set_against(self, key: tuple[str, str], order: Order, money: Decimal | None = None, refunds: int = 1,
                     undated: int | None = None) -> None:
        """Set the dated refund ``order`` (or ``money`` of it, ``refunds`` refunds of which ``undated`` totals without
        a date: a later copy of a provider's total, :meth:`_paid_total_moved`) against the running total of ``key``,
        and count what is left of it."""
        held = self.running[key]
        self.running[key] = held._replace(dated=held.dated + (money_back(order) if money is None else money),
                                          refunds=held.refunds + refunds,
                                          undated=held.undated + (order.undated if undated is None else undated),
                                          by=tuple(dict.fromkeys(held.by + (order.source,))))
        self._recount(key)

    def _held(self, key: tuple[str, str], ident: bytes) -> bool:
        """Whether the running total of ``key`` held (:meth:`_running_total`) is the one of identity ``ident``."""
        held = self.running.get(key)
        return held is not None and any(kept == ident for _order, kept in held.parts)

    def _amended(self, order: Order, ident: bytes) -> bool:
        """Whether ``order`` is a later copy of a running total held (:meth:`_running_total`), its amount amended (a
        later export, ``--repeated-orders latest``), and if so count what is left of it beyond the dated refunds set
        against it, in place of what was: taking the earlier copy back whole would take back what they replaced."""
        key = (order.source, bare_id(order.order_id))
        if not order.undated or not self._held(key, ident):
            return False
        held = self.running[key]
        self.running[key] = held._replace(parts=tuple((order, kept) if kept == ident else (earlier, kept)
                                                      for earlier, kept in held.parts))
        self._recount(key)
        return True

    def _covered(self, order: Order, values: Sequence[object], twin: str | None) -> None:
        """List ``order``, a running total (or a part of it) read after the dated refunds it is set against, as a
        duplicate where they cover it: nothing of it is counted."""
        held = self.running[(order.source, bare_id(order.order_id))]
        if not held.counted:
            why = "a migration overlap" if twin is not None and twin in held.by else "refunds of its payment"
            dated, own = ("dated ", ", on their own dates") if not held.undated else ("", "")
            self._duplicate(order, values, "", 0, f"{order.kind} of {order.order_id!r}, an order whose {dated}refunds "
                                                  f"in {_exports(held.by)} ({why}) reach this running total; counted "
                                                  f"once there{own}")

    def _said_dated(self, source: str, undated: str, n: int) -> None:
        """Count ``n`` refunds of ``source`` counted on their own dates against ``undated``'s running total."""
        self.dated_instead[(source, undated)] = self.dated_instead.get((source, undated), 0) + n

    def _recount(self, key: tuple[str, str]) -> None:
        """Count what is left of the running total of ``key`` (:meth:`_running_total`) in place of what was."""
        held = self.running[key]
        for part, (_order, ident) in zip(held.counted, held.parts):
            self._count(part, ident, sign=-1)
        left = held.left()
        for part, (_order, ident) in zip(left, held.parts):
            self._count(part, ident)
        self.running[key] = held._replace(counted=left)

    def note_running_totals(self) -> None:
        """Say how many running totals refunded were counted only for what they say beyond the dated refunds of
        another platform's copy of the order (:meth:`_running_total`), naming the first."""
        beyond: dict[tuple[str, str], list[str]] = {}
        for (source, _bare), held in self.running.items():
            if held.refunds > held.undated and held.left():
                order = held.parts[0][0]
                rest = format_amount(money_back(order) - held.dated, order.currency)
                undated = f" and {held.undated} total(s) without a date" if held.undated else ""
                beyond.setdefault((source, _exports(held.by)), []).append(
                    f"{order.order_id!r}: {order.currency} {rest} more than its {held.refunds - held.undated} dated "
                    f"refund(s){undated}")
        for (source, exports), said in sorted(beyond.items()):
            self.ledger.notes.assume(
                f"{len(said):,} running total(s) refunded in {_layout_title(source)} say more than the dated refunds "
                f"of the same orders in {exports} ({'; '.join(sorted(said)[:3])}{'; ...' if len(said) > 3 else ''}): "
                f"the rest is counted on the order's date, as a refund {exports} did not record")

    def _a_day_apart(self, bare: str, order: Order) -> tuple[tuple[str, int, CopyNote] | None, date]:
        """Another platform's copy of ``order`` dated the day before or after it, and its day: one platform may write
        an order's time in UTC and the other in the shop's own zone, and the two days then differ by one (never more:
        zones run from 12 hours behind UTC to 14 ahead). A missed overlap would count the sale twice."""
        for day in (order.day - timedelta(days=1), order.day + timedelta(days=1)):
            found = self.seen.get_copy(overlap_key(bare, order, day))
            if found is not None and found[2].source != order.source:
                return found, day
        return None, order.day


def _mode_for(mode: str, order: Order) -> str:
    """How ``--repeated-orders`` reads a later copy of ``order``: as asked, but a refund a platform gives only as a
    running total on the order (Shopify's ``Refunded Amount``) is the order's state, not one of its line items, so
    ``lines`` keeps the later copy of it (as ``latest`` does), set against the dated refunds as any running total is;
    a dated one (Stripe's) is read as ``latest`` reads it (:meth:`RowAccount._dated_total`). Before, ``lines`` added a
    later export's amended total to the earlier one: 30.00 then 60.00 counted as 90.00.

    A payment of a layout whose refunds are the payment's running totals (``REFUNDS_ARE_TOTALS``: Stripe's payments
    export, one row per charge) is read as ``latest`` too: a later copy is the charge as of a later export, never a
    line item of it. Before, ``lines`` counted a charge whose card address changed between two exports as two sales,
    one in each place."""
    if mode == "lines" and (running_total(order) or refunds_are_totals(order.source)):
        return "latest"
    return mode


def repeated(order: Order, first_file: str, first_line: int, first: str, later: str) -> RepeatedOrder:
    """The error of ``--repeated-orders error`` (the default) for ``order``, a copy of the order (or event of it) read
    at ``first_file``:``first_line`` whose content (nexus.order_keys.content_of) was ``first`` and is now ``later``:
    both rows named, and what differs. nexus.payment_matches says it of a payment provider's copies of a matched
    payment's running total, some of which the row account never sees (a copy the store's dated refunds hold is a
    duplicate there)."""
    conflict = Conflict(order.order_id, order.source, Location(first_file, first_line), order.location,
                        differences(first, later), "error", order.kind)
    return RepeatedOrder(f"{conflict.describe()}: an order id repeated with different content is a line item or an "
                         f"amendment; say which with --repeated-orders lines (line items of one order) or latest "
                         f"(keep the later copy)",
                         Location(order.location.file, order.location.line or 0, _id_column(order), order.order_id))


def _undated(refunds: Sequence[Order]) -> int:
    """How many of ``refunds`` are totals without a date (counted on the order's or payment's date)."""
    return sum(refund.undated for refund in refunds)


def _exports(sources: Sequence[str]) -> str:
    """The exports of ``sources`` named in a sentence ("a WooCommerce order export and a PayPal activity download")."""
    return listed([_layout_title(source) for source in sources])


def _id_column(order: Order) -> str:
    """The column a message about ``order``'s id names: the platform's own header, else nexus's field."""
    return order.id_column or "order_id"


def _layout_title(name: str) -> str:
    """How a message names the layout called ``name`` (``a Shopify orders export``; "" is nexus's own)."""
    from nexus.exports import title_of  # here, not at the top: the platform readers import this module
    return title_of(name)


def _listed(listing: list, event: RowProblem | LeftOut, ledger: Ledger, unlisted: str) -> None:
    """List ``event`` (a row left out as the problem it shows as, its row's text written only then), or, once
    :data:`LISTED_ROWS` are listed, count its rows in ``ledger``'s ``unlisted`` total."""
    if len(listing) >= LISTED_ROWS:
        setattr(ledger, unlisted, getattr(ledger, unlisted) + event.rows)
    else:
        listing.append(event if isinstance(event, RowProblem) else event.problem())


def account(ledger: Ledger, options: ReadOptions, files: Iterable[tuple[str, Iterable]]) -> None:
    """Account for each file's events (a platform reader's, or nexus's layout's), file after file, into
    ``ledger`` as :func:`read_sales` does: repeats judged by ``options.repeated_orders``, orders left out,
    skipped and repeated listed. For a reader that counts most orders itself and hands the rest here
    (nexus.fast_exports: the orders of a late export, repeated in another file); ``ledger.files`` is its own, and
    where ``ledger.file_rows`` holds the reader's own count per file, what is accounted for here is added to it."""
    counted, ledger.file_rows = ledger.file_rows, None if ledger.file_rows is None else []
    with SeenOrders() as seen:
        accounts = RowAccount(ledger, options.repeated_orders, seen, overlaps=False)
        for path, events in files:
            accounts.take(path, events)
    if counted is not None and ledger.file_rows is not None:
        for mine, here in zip(counted, ledger.file_rows):
            for key, rows in here.items():
                mine[key] = mine.get(key, 0) + rows
        ledger.file_rows = counted
