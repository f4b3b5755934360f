"""The orders seen so far: where each order was first read, and its content, for spotting re-exports and repeats.

The row account (nexus.row_account.RowAccount) remembers every order first read by a short key and its content
(:class:`SeenOrders`): in memory up to :data:`SEEN_IN_MEMORY`, then in a temporary SQLite file, so that memory stays
bounded whatever the number of orders.
"""
from __future__ import annotations

import os
import sqlite3
import tempfile
from typing import cast

from nexus.overlaps import Content, CopyNote


#: Orders whose first line is kept in memory (about 300 bytes each, with their content) before the rest move
#: to a temporary SQLite file: memory stays bounded whatever the number of orders.
SEEN_IN_MEMORY = 200_000


#: Once on disk, orders first read are held in memory up to this many and written to the file together, in
#: the order of their keys: one statement each, at random places in its index, cost a 500,000-row Stripe export
#: about a tenth of its reading.
SEEN_BATCH = 50_000


#: Bits (8 MiB) of the filter of keys written to the file: a key whose bit is clear was never written, so an
#: order read once, as most are, asks the file nothing.
SEEN_FILTER_BITS = 1 << 26


#: Where a key was first read: the file's number in :attr:`SeenOrders.files`, the line, and the content.
Here = tuple[int, int, Content]


class SeenOrders:
    """Where each order was first read, and its content, for spotting re-exports and repeats: a dict, then a
    temporary SQLite table.

    Ten million orders would take 3 GB as a dict; past :data:`SEEN_IN_MEMORY` they go to disk, in sorted
    batches of :data:`SEEN_BATCH`, a filter of the keys written sparing the file a query for an order read once.
    """

    def __init__(self) -> None:
        self.memory: dict[bytes, Here] = {}
        #: Once on disk: keys read since the last batch was written (or replaced since), and the filter.
        self.pending: dict[bytes, Here] = {}
        self.written = bytearray()
        self.files: list[str] = []
        self.folder: tempfile.TemporaryDirectory | None = None
        self.db: sqlite3.Connection | None = None

    def __enter__(self) -> SeenOrders:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.db is not None:
            self.db.close()
        if self.folder is not None:
            self.folder.cleanup()

    def _here(self, path: str, line: int, content: Content) -> Here:
        if not self.files or self.files[-1] != path:
            self.files.append(path)
        return len(self.files) - 1, line, content

    def first(self, key: bytes, path: str, line: int, content: str = "") -> tuple[str, int, str] | None:
        """Where ``key`` was read and with what content; or None, remembering it as read at ``path``:``line``."""
        return cast("tuple[str, int, str] | None", self._first(key, path, line, content))  # a text key's: text

    def first_copy(self, key: bytes, path: str, line: int, note: CopyNote) -> tuple[str, int, CopyNote] | None:
        """:meth:`first` for a migration overlap's key, remembered with the note of the copy it first met."""
        found = self._first(key, path, line, note)
        return None if found is None else (found[0], found[1], CopyNote.of(found[2]))

    def _first(self, key: bytes, path: str, line: int, content: Content) -> tuple[str, int, Content] | None:
        here = self._here(path, line, content)
        found: Here | None
        if self.db is None:
            found = self.memory.setdefault(key, here)
            if found is here:
                if len(self.memory) > SEEN_IN_MEMORY:
                    self._spill()
                return None
        else:
            found = self.pending.get(key)
            if found is None and self._maybe_written(key):
                found = self.db.execute("SELECT file, line, content FROM seen WHERE key = ?", (key,)).fetchone()
            if found is None:
                self._hold(key, here)
                return None
        return self.files[found[0]], found[1], found[2]

    def get(self, key: bytes) -> tuple[str, int, str] | None:
        """Where ``key`` was read and with what content, or None; remembering nothing."""
        return cast("tuple[str, int, str] | None", self._get(key))  # a text key's: text

    def get_copy(self, key: bytes) -> tuple[str, int, CopyNote] | None:
        """:meth:`get` for a migration overlap's key: where the copy it first met was read, and its note."""
        found = self._get(key)
        return None if found is None else (found[0], found[1], CopyNote.of(found[2]))

    def _get(self, key: bytes) -> tuple[str, int, Content] | None:
        found = self.memory.get(key) if self.db is None else self.pending.get(key)
        if found is None and self.db is not None and self._maybe_written(key):
            found = self.db.execute("SELECT file, line, content FROM seen WHERE key = ?", (key,)).fetchone()
        return None if found is None else (self.files[found[0]], found[1], found[2])

    def replace(self, key: bytes, path: str, line: int, content: Content) -> None:
        """Remember ``key`` as read at ``path``:``line`` with ``content`` from now on."""
        here = self._here(path, line, content)
        if self.db is None:
            self.memory[key] = here
        else:
            self._hold(key, here)

    def _bit(self, key: bytes) -> int:
        return int.from_bytes(key[:8], "little") & (SEEN_FILTER_BITS - 1)  # keys are digests: any 8 bytes will do

    def _maybe_written(self, key: bytes) -> bool:
        bit = self._bit(key)
        return bool(self.written[bit >> 3] & (1 << (bit & 7)))

    def _hold(self, key: bytes, here: Here) -> None:
        """Keep ``key`` in the batch to write (the later value wins over the file's), marked in the filter."""
        self.pending[key] = here
        bit = self._bit(key)
        self.written[bit >> 3] |= 1 << (bit & 7)
        if len(self.pending) >= SEEN_BATCH:
            self._write()

    def _write(self) -> None:
        assert self.db is not None
        self.db.executemany("INSERT OR REPLACE INTO seen VALUES (?, ?, ?, ?)",
                            ((k, f, n, c if isinstance(c, str) else c.text())
                             for k, (f, n, c) in sorted(self.pending.items())))
        self.pending.clear()

    def _spill(self) -> None:
        self.folder = tempfile.TemporaryDirectory(prefix="nexus-orders-seen-")
        self.db = sqlite3.connect(os.path.join(self.folder.name, "seen.sqlite3"), isolation_level=None)
        for pragma in ("journal_mode = OFF", "synchronous = OFF", "cache_size = -16384"):  # a scratch file
            self.db.execute(f"PRAGMA {pragma}")
        self.db.execute("CREATE TABLE seen (key BLOB PRIMARY KEY, file INTEGER, line INTEGER, content TEXT) "
                        "WITHOUT ROWID")
        self.db.execute("BEGIN")  # one transaction: nothing here needs to survive a crash
        self.written = bytearray(SEEN_FILTER_BITS // 8)
        for key, here in self.memory.items():
            self._hold(key, here)
        self.memory.clear()
