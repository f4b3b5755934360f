"""Work done once per distinct input while a provider comparison runs.

A provider comparison runs the check today and once per candidate, on the same daily sales except where a
candidate's role moves them: without a memory, each check scanned every place's days again (:mod:`nexus.windows`),
summed the same series again and estimated the same places again (:mod:`nexus.check`). Inside :func:`remembered`,
:func:`recall` works each result out once per key, a key naming everything the result is worked out from (the rules
and series by identity, the rest by value), and gives it again for the same key. Outside such a block (a single
check), nothing is kept: every call works its result out.
"""
from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Callable, Iterator, Sequence

#: The results kept while :func:`remembered` is in force, each with the objects whose ids its key holds. None: nothing
#: is kept.
_MEMO: ContextVar[dict[Any, Any] | None] = ContextVar("nexus_memo", default=None)


@contextmanager
def remembered() -> Iterator[None]:
    """Within the block, :func:`recall` works each distinct key's result out once; the memory goes with the block."""
    token = _MEMO.set({})
    try:
        yield
    finally:
        _MEMO.reset(token)


def in_force() -> bool:
    """Whether a :func:`remembered` block is in force: a caller whose key costs to build builds it only then."""
    return _MEMO.get() is not None


def recall(key: tuple[Any, ...], keep: Sequence[Any], work: Callable[[], Any]) -> Any:
    """The result for ``key`` from the memory in force, worked out by ``work`` the first time (every time without
    one). ``keep``: the objects whose ids are in the key, held with the result so that no id is reused meanwhile."""
    memo = _MEMO.get()
    if memo is None:
        return work()
    found = memo.get(key)
    if found is None:
        found = memo[key] = (work(), tuple(keep))
    return found[0]
