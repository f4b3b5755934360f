"""Account numbers as an accountant allots them: next to the siblings, in the chart's step, inside a block.

A chart numbers accounts in *families*: the same text before the running
digits and the same digit count (``1040``, ``110300``, ``1010.03``,
``B1020``). Inside a family, accounts of one kind sit together in a *block*
(banks in 1000-1099) at the chart's *step* (10: 1010, 1020, 1030). A new
account goes after the last of its siblings, at that step, inside their block;
then into a gap between them; only when the block is full does it open the
closest empty block of the same size in the kind's range (1000-1999 for
assets), at the same offset the siblings start at, so a block head that the
chart keeps for a header stays free. With no empty block left, it takes the
range's free numbers at the step, then at a finer one, rather than stop while
the range has room. Numbers in use (headers included) are never taken, and the
digit count and zero padding are kept.

:class:`Numberer` keeps what is in use and hands out numbers one at a time, so
each proposal sees the ones before it. It indexes the chart once: a plan for a
5,000-account chart costs a few set look-ups per proposal, not a scan.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Sequence

from nexus.errors import NexusError

_NUMBER = re.compile(r"^(?P<prefix>.*?)(?P<digits>\d+)$")
_CHUNKS = re.compile(r"(\d+)")
#: What parts an outline number (1.1.2, 4000-1): a last part of one digit after one has no padding to keep.
_SEPARATORS = (".", "-", "/", "_", " ", ":")

Family = tuple[str, int]  # (text before the running digits, digit count)


@dataclass(frozen=True)
class Parsed:
    """A number split into its family and the value of its running digits."""

    prefix: str
    width: int
    value: int

    @property
    def family(self) -> Family:
        return (self.prefix, self.width)

    def text(self, value: int | None = None) -> str:
        return f"{self.prefix}{(self.value if value is None else value):0{self.width}d}"


def parse(number: str) -> Parsed | None:
    """``1010.03`` -> prefix ``1010.``, width 2, value 3; None when the number does not end in digits."""
    m = _NUMBER.match(number)
    if not m:
        return None
    return Parsed(m.group("prefix"), len(m.group("digits")), int(m.group("digits")))


def _sub_form(tail: str) -> tuple[str, str]:
    """A sub-account's number after its parent's, as (separator, digits): ``01`` -> ("", "01"), ``.01`` -> (".",
    "01"); ("", "") where it is not one (``.01.01``, a level further down, or letters)."""
    sep = tail[:1] if tail[:1] in _SEPARATORS else ""
    digits = tail[len(sep):]
    return (sep, digits) if digits.isdigit() else ("", "")


def natural_key(number: str) -> tuple:
    """Sort key that orders ``1010.03`` after ``1010`` and before ``1040``, and ``B900`` before ``B1000``."""
    return tuple((0, int(chunk), "") if chunk.isdigit() else (1, 0, chunk) for chunk in _CHUNKS.split(number) if chunk)


class BlockFull(NexusError):
    """No number is left for an account in its block or its kind's range."""


def _sub_prefix(prefix: str) -> bool:
    """Whether a family's prefix is a main number and a separator, as sub-accounts are written after it: ``1000-``,
    ``2100.`` (not ``B``, nor an outline's ``1.1.``, whose part before the point is no number of its own)."""
    return len(prefix) > 1 and prefix[-1] in _SEPARATORS and prefix[:-1].isdigit()


def _round(gap: int) -> bool:
    """1, 2 or 5 times a power of ten: the steps charts are numbered in (190 between 1010 and 1200 is not one)."""
    while gap % 10 == 0:
        gap //= 10
    return gap in (1, 2, 5)


def _finer_steps(step: int) -> list[int]:
    """The chart's step, then each step ten times finer, always ending at 1: 100, 10, 1; 20, 2, 1; 5, 1. Dividing
    by ten alone went from 5 or 2 straight to 0, so a chart numbered every 5 stopped with no free number left while
    four numbers in five were free."""
    steps = [step]
    while steps[-1] > 1:
        steps.append(max(steps[-1] // 10, 1))
    return steps


def _most_common_gap(values: Sequence[int], limit: int, apart: Callable[[int, int], bool] = lambda a, b: False
                     ) -> int | None:
    """The step a run of numbers uses: the commonest round gap between neighbours (the smaller on a tie),
    leaving out the neighbours ``apart`` says are in different blocks.

    A gap seen once is a step only where every number is a multiple of it (6000 and 6100: 100). 222101 and 222106
    under 应交税费 are one gap of 5 with 02-05 missing (kept for 未交增值税... or deleted), which an accountant does
    not read as numbering in fives: None, and the caller takes the chart's own step (222107)."""
    gaps = Counter(b - a for a, b in zip(values, values[1:])
                   if 0 < b - a < limit and _round(b - a) and not apart(a, b))
    best = max(gaps.values(), default=0)
    steps = [gap for gap, count in gaps.items() if count == best]
    if best == 1:
        steps = [gap for gap in steps if all(v % gap == 0 for v in values)]
    return min(steps, default=None)


def _granularity(value: int) -> int:
    """The largest power of ten that divides ``value`` (100 for 2100; 1 for 0)."""
    power = 1
    while value and value % (power * 10) == 0:
        power *= 10
    return power


class Numberer:
    """Numbers in use in a chart, and the next number for an account among its siblings."""

    def __init__(self, numbers: Iterable[str], top_level: Iterable[str] | None = None,
                 reserved: Iterable[str] = ()):
        self._used: set[str] = set()
        # numbers the chart's standard gives other accounts (1403 原材料, 6604 勘探费用 in a Chinese chart): never handed
        # out, though the chart has not opened them, and not counted as in use when learning the chart's step
        self._reserved = frozenset(reserved)
        self._values: dict[Family, set[int]] = defaultdict(set)
        self._blocks: dict[tuple[Family, int], Counter[int]] = {}
        self._steps: dict[Family, int] = {}
        # numbers handed out in a block opened because their siblings' was full, with that block's size: the
        # distance from them to the siblings left behind is the blocks', not a step (2110 opened below a full
        # 2200-2299 is 100 from 2210, in a chart of tens)
        self._opened: dict[Family, dict[int, int]] = defaultdict(dict)
        # the step each number was handed out at in a family with a prefix: siblings after one given at a finer step
        # keep it (L980 after L970 in a full L100-L900, not L870 back among the step's gaps)
        self._given_at: dict[Family, dict[int, int]] = defaultdict(dict)
        self.why = ""  # how the last number handed out was found, in words
        for number in numbers:
            self.take(number)
        # The chart's own step is learnt from the chart alone, not from the numbers proposed into it.
        self._chart_values = {family: frozenset(values) for family, values in self._values.items()}
        # The families of the accounts under no parent: a kind the chart has no account of starts there (1010 in a
        # Chinese chart of 1001 and 1002 over 100201...100299, not 100000 because sub-accounts outnumber them)
        self._top = {p.family for p in (parse(n) for n in top_level or ()) if p is not None}

    def take(self, number: str) -> None:
        """Mark ``number`` as used (the chart's own, or one just proposed)."""
        self._used.add(number)
        parsed = parse(number)
        if parsed is None:
            return
        self._values[parsed.family].add(parsed.value)
        for (family, size), heads in self._blocks.items():
            if family == parsed.family:
                heads[parsed.value // size] += 1

    def used(self, number: str) -> bool:
        return number in self._used or number in self._reserved

    def chart_step(self, family: Family) -> int:
        """The step the chart uses in ``family`` overall: for an account with a single sibling."""
        if family not in self._steps:
            prefix, width = family
            values = self._chart_values.get(family, ())
            if not values and _sub_prefix(prefix) and self._sub_step(prefix[-1], width):
                # a main number the plan opened (1100-10): its sub-numbers step as the chart's others do
                self._steps[family] = self._sub_step(prefix[-1], width)
                return self._steps[family]
            default = 1 if prefix or width < 4 else 10
            # the finest granularity the chart numbers with (10 if any account ends in a single zero), and no
            # coarser than leaves two digits to number in (10 on four digits: 1000 and 8000 alone are headings)
            finest = min((_granularity(v) for v in values), default=default) or default
            self._steps[family] = min(finest, 10 ** max(width - 3, 0)) if not prefix else finest
        return self._steps[family]

    def _sub_step(self, sep: str, width: int) -> int:
        """The step of the chart's sub-numbers written after ``sep`` in ``width`` digits (10 for 1000-10, 1000-20,
        2100-10; 1 for 1200-01, 1200-02), or 0 where the chart writes none so."""
        families = [f for f in self._chart_values if _sub_prefix(f[0]) and (f[0][-1], f[1]) == (sep, width)]
        return min((self.chart_step(f) for f in families), default=0)

    def range_size(self, family: Family) -> int:
        """How many numbers a kind's range holds (1000: assets 1000-1999 on four digits).

        The first digit names the kind, unless every number of the chart starts with a zero: a chart of
        ``01010`` and ``02100`` names it in the digit after the zeros (assets 01000-01999), so a new
        account is never ``10000`` or ``00910`` there.
        """
        prefix, width = family
        size = 10 ** (width - 1) if width > 1 else 10 ** width
        values = self._chart_values.get(family, ())
        while values and size > 100 and max(values) < size:
            size //= 10
        return size

    def main_family(self) -> Family:
        """The family most of the chart's numbers belong to (plain numbers first): for a kind with no account."""
        if not self._values:
            return ("", 4)
        families = [f for f in self._values if f in self._top] or list(self._values)
        return max(families, key=lambda f: (f[0] == "", len(self._values[f]), f[1]))

    @staticmethod
    def _size(step: int, top: int) -> int:
        size = 10
        while size < 10 * step and size < top:
            size *= 10
        return min(size, top)

    def _single_step(self, value: int, family: Family, top: int) -> int:
        """The step after a lone sibling: the chart's; finer below a round head, or where the step leaves its block.

        A taken next number does not make it finer: 8000 beside a taken 8010 in a chart of tens steps 10 (8020), not
        1 (8001), which no accountant of that chart would number.

        ``1100`` alone in a chart that numbers in tens steps 10 (1110).
        ``2100`` alone in a chart of hundreds is the head of 2100-2199 and
        steps 10 too (2110), as an accountant reads it, while ``110100`` in a
        six-digit chart of hundreds steps 100 (110200).
        """
        prefix, width = family
        chart = self.chart_step(family)
        own = _granularity(value)
        step = chart if own > chart or own < 10 ** max(width - 2, 0) else max(own // 10, 1)
        while step >= 1:
            size = self._size(step, top)
            head = value // size * size
            if value + step < head + size:  # a taken next number is walked past at this step, never stepped finer
                return step
            step //= 10
        return chart

    def _apart(self, family: Family) -> Callable[[int, int], bool]:
        """Whether two neighbouring numbers of ``family`` lie on either side of a block this numberer opened."""
        opened = self._opened.get(family, {})
        return lambda a, b: any(v in opened and a // opened[v] != b // opened[v] for v in (a, b))

    def _empty(self, family: Family, size: int, head: int) -> bool:
        key = (family, size)
        if key not in self._blocks:
            self._blocks[key] = Counter(v // size for v in self._values.get(family, ()))
        return self._blocks[key][head // size] == 0

    def next(self, siblings: Sequence[str], first_digit: str, what: str, under: tuple[str, str] | None = None,
             apart: str = "") -> str:
        """The number for a new account whose siblings are ``siblings`` (numbers in the chart).

        ``first_digit`` is the conventional range (``1`` assets, ``2``
        liabilities...) used only when the chart has no sibling at all;
        ``what`` names the account in the error when its block is full.
        ``under`` is the (number, name) of the parent in a chart that numbers
        sub-accounts by extending their parent's number (China's 2221 应交税费,
        222101 应交增值税): the new number is one of its sub-numbers, in the
        siblings' width, and nothing outside it. ``apart`` names ``siblings``
        where the account is to be kept apart from them, in a block of its own
        beside theirs (the first accrued exposure beside the tax payables): the
        closest empty block, as when theirs is full, never a number in their run.
        """
        if under is not None:
            return self._next_under(siblings, under, what)
        parsed = [p for p in (parse(s) for s in siblings) if p is not None]
        if not parsed:
            return self._first_in_range(first_digit, what)
        by_family: dict[Family, list[int]] = defaultdict(list)
        for p in parsed:
            by_family[p.family].append(p.value)
        family = max(by_family, key=lambda f: (len(by_family[f]), max(by_family[f])))
        prefix, width = family
        if apart and _sub_prefix(prefix):  # 2100-10, 2100-20: the block of their own is another main number's
            return self._main_beside(family, f"kept apart from {apart} under {prefix[:-1]}: the closest empty main "
                                             f"number of {{span}}", what)
        values = sorted(set(by_family[family]))
        limit = 10 ** width
        if prefix[-1:] in _SEPARATORS and width == 1:  # 1.1.9: an outline's one-digit part runs on, 1.1.10
            limit = 100
        if prefix:  # sub-accounts: the parent's whole range is the block
            step = _most_common_gap(values, limit, self._apart(family)) or self.chart_step(family)
            step = min([step] + [self._given_at[family][v] for v in values if v in self._given_at[family]])
            size, low, high = limit, 0, limit - 1
        else:  # plain numbers: blocks inside the range of the first digit (1000-1999 for 4 digits)
            top = self.range_size(family)
            step = _most_common_gap(values, top, self._apart(family)) or self._single_step(values[-1], family, top)
            size = self._size(step, top)
            low = values[-1] // top * top
            high = low + top - 1
        last = values[-1]
        head = last // size * size
        in_block = [v for v in values if head <= v < head + size]
        first = in_block[0]
        text = Parsed(prefix, width, 0).text

        def free(value: int) -> bool:
            return 0 <= value < limit and not self.used(text(value))

        block = f"{text(head)}-{text(min(head + size - 1, limit - 1))}"
        full = f"kept apart from {apart} in {block}" if apart else f"block {block} is full at step {step}"
        # 1. after the last sibling, at the step, inside the block
        for value in range(last + step, head + size, step) if not apart else ():
            if free(value):
                self.why = f"after {text(last)}, step {step}, in block {block}" + self._passed(
                    text(v) for v in range(last + step, value, step))
                self._given_at[family][value] = step
                return text(value)
        # 2. a gap between or before the siblings, in step with them (the block's head stays free); before them only
        # in a block of the chart's own: in one the plan filled from the siblings' offset, the places before it are
        # left as they were left in the full block (2251 before 2252 would put Ohio's account before Georgia's)
        chart_block = any(head <= v < head + size for v in self._chart_values.get(family, ()))
        before = list(range(first - step, head, -step)) if chart_block else []
        for value in list(range(first + step, last, step)) + before if not apart else ():
            if free(value):
                self.why = f"a free place at step {step} in block {block} (after {text(last)} it is full)"
                return text(value)
        # 2b. after the siblings of another block they hold (one opened when theirs was full), before opening more
        for other in sorted({v // size * size for v in values} - {head}, reverse=True) if not apart else ():
            there = [v for v in values if other <= v < other + size]
            for value in range(there[-1] + step, other + size, step):
                if free(value):
                    self.why = (f"after {text(there[-1])}, step {step}, in block "
                                f"{text(other)}-{text(min(other + size - 1, limit - 1))}")
                    return text(value)
        # 3. the closest empty block of the same size in the kind's range, at the siblings' offset
        offset = first - head
        heads = [h for h in range(low - low % size, high + 1, size) if h != head]
        for h in sorted(heads, key=lambda h: (abs(h - head), -h)):
            if h + offset <= high and self._empty(family, size, h) and free(h + offset):
                self.why = (f"kept apart from {apart} in {block}: a block of its own, the closest empty one in "
                            f"{text(low)}-{text(high)}, {text(h)}-{text(h + size - 1)}, at offset {offset}" if apart
                            else f"block {block} is full at step {step}: the closest empty block in "
                            f"{text(low)}-{text(high)}, {text(h)}-{text(h + size - 1)}, at offset {offset}")
                self._opened[family][h + offset] = size
                return text(h + offset)
        if _sub_prefix(prefix) and not self.used(prefix[:-1]):  # 2100-90 full, and no 2100 header totals them
            return self._sub_overflow(family, by_family, step, block, what)
        if prefix and any(c.isdigit() for c in prefix):  # sub-accounts of a numbered parent have no other block
            raise BlockFull(f"no free number for {what}: the sub-accounts {block} are full at step {step}; number it "
                            f"by hand or free a number")
        if prefix:  # a letter's numbers (L100, L200: liabilities) are one range as a digit's are: finer before stopping
            return self._finer_in_family(family, limit, block, step, first, last, what)
        # 4. no empty block left: the free numbers of the kind's range, at the step, then at a finer one
        for value, at, where in self._free_in_range(family, low, high, step, size, head):
            if free(value):
                span = f"{text(low)}-{text(high)}"
                self.why = (f"{full} and no empty block is left in {span}: the closest free number at step {step}, "
                            f"in block {where}" if at == step else
                            f"block {block} is full and no number at step {step} is left in {span}: a free number at "
                            f"the finer step {at}, in block {where}")
                self._opened[family][value] = size
                return text(value)
        raise BlockFull(f"no free number for {what}: block {block} is full at step {step}, and no empty block of "
                        f"{size} numbers nor any free number is left in {text(low)}-{text(high)}; number it by hand "
                        f"or free a number")

    def _sub_accounts_form(self) -> tuple[str, int]:
        """How the chart writes a sub-account after its parent's number: ("", 2) for 100201 under 1002, (".", 2) for
        Kingdee's 1002.01: the form of most numbers that extend another number of the chart, else two digits."""
        forms: Counter[tuple[str, int]] = Counter()
        for (prefix, width), values in self._chart_values.items():
            if prefix[-1:] in _SEPARATORS and prefix[:-1] in self._used:
                forms[(prefix[-1], width)] += len(values)
        return max(forms, key=lambda f: (forms[f], -f[1])) if forms else ("", 2)

    def _finer_in_family(self, family: Family, limit: int, block: str, step: int, first: int, last: int,
                         what: str) -> str:
        """A free number of a letter's family (``L100``...``L999``) at a step finer than the siblings': after the last,
        then between and before them. ``L100`` and ``L200`` step 100, so an eighth tax payable stopped the plan at
        L900 ("the sub-accounts L000-L999 are full") while L910 and 80 more numbers at step 10 were free."""
        text = Parsed(*family, 0).text
        for at in _finer_steps(step)[1:]:
            for value in [*range(last + at, limit, at), *range(first + at, last, at), *range(first - at, 0, -at)]:
                if not self.used(text(value)):
                    self.why = f"block {block} has no free number at step {step}: a free number at the finer step {at}"
                    self._given_at[family][value] = at
                    return text(value)
        raise BlockFull(f"no free number for {what}: every number of block {block} is in use; number it by hand or "
                        f"free a number")

    def _passed(self, numbers: Iterable[str]) -> str:
        """The reserved numbers walked past, in words (", past 1406, 1407, 1408, the standard's codes for other
        accounts"), or "": the reader sees why the number is not the next one."""
        passed = [n for n in numbers if n in self._reserved and n not in self._used]
        return f", past {', '.join(passed)}, the standard's code{'s' * (len(passed) > 1)} for other accounts" \
            if passed else ""

    def _next_under(self, siblings: Sequence[str], under: tuple[str, str], what: str) -> str:
        """A sub-number of ``under``'s number after its last sub-account, at their step, in the width most of them use.

        The parent's sub-numbers are the only block: 222101-222199 under 2221 (00 would total them, as the parent
        does). When they are full, the plan stops and names the parent: a number outside it would leave the account
        out of the parent's total, or under another parent.
        """
        number, name = under
        tails = [_sub_form(s[len(number):]) for s in siblings if s.startswith(number) and len(s) > len(number)]
        forms = Counter((sep, len(digits)) for sep, digits in tails if digits)
        # the siblings' form (222101, or 1002.01 as Kingdee writes it), else the chart's for sub-accounts
        sep, width = max(forms, key=lambda f: (forms[f], -f[1])) if forms else self._sub_accounts_form()
        values = sorted({int(digits) for s, digits in tails if s == sep and len(digits) == width})
        text = Parsed(number + sep, width, 0).text
        limit = 10 ** width
        step = _most_common_gap(values, limit) or 1
        last = values[-1] if values else 0
        parent = f"{number} {name}".strip()
        for value in range(last + step, limit, step):  # after the last sub-account, at their step
            if not self.used(text(value)):
                self.why = f"after {text(last)}, step {step}, under {parent}" if values else f"the first under {parent}"
                return text(value)
        # past the step, the next free sub-numbers after the last, so that the new accounts keep their order after
        # the chart's own (222197, 222198 after 222196 at step 5), and only then a gap before the last
        for value in range(last + 1, limit):
            if not self.used(text(value)):
                self.why = f"after {text(last)}, the next free sub-number under {parent} (at step {step} they are full)"
                return text(value)
        for value in list(range(step, last, step)) + list(range(1, last)):  # a gap, then any free sub-number
            if not self.used(text(value)):
                self.why = f"a free sub-number under {parent} (after {text(last)} they are full)"
                return text(value)
        raise BlockFull(f"no free number for {what}: the sub-accounts of {parent}, {text(1)}-{text(limit - 1)}, are "
                        f"full; number it by hand or free a number")

    def _free_in_range(self, family: Family, low: int, high: int, step: int, size: int, near: int
                       ) -> Iterator[tuple[int, int, str]]:
        """Where a full block's accounts go once no block of the range is empty: ``(value, step, block)`` to try.

        An accountant keeps to the chart's step first: in the block closest to ``near`` (the siblings'), after
        the numbers used there, then in its gaps, then the next closest block; the blocks' heads, kept for
        headers, only after every other number at the step. Only then a step ten times finer, in the same order:
        numbers out of the chart's step are better than a plan that stops while the range has room.
        """
        prefix, width = family
        text = Parsed(prefix, width, 0).text
        heads = sorted(range(low - low % size, high + 1, size), key=lambda h: (abs(h - near), -h))
        for at in _finer_steps(step):
            for h in heads:
                top = min(h + size - 1, high)
                inside = [v for v in self._values.get(family, ()) if h < v <= top]
                last = max(inside, default=h)
                for value in list(range((last // at + 1) * at, top + 1, at)) + list(range(h + at, last, at)):
                    yield value, at, f"{text(h)}-{text(h + size - 1)}"
            for h in heads:
                yield h, at, f"{text(h)}-{text(h + size - 1)}"

    def _first_main_in_range(self, first_digit: str, what: str) -> str:
        """A kind the chart has no account of, in a chart whose accounts are all sub-numbers of main numbers it does
        not list (1000-10 Bank - USD, 2100-10 Sales tax payable, exported without their headers): the first sub-number
        (the chart's form, -10 or -01) of the first main number of the kind's conventional range whose block is
        empty, 1100-10 beside 1000-10 for a clearing account, as plain numbers open 1100 beside 1010. Read as plain
        numbers, the range was 1000-10 to 1000-19 and the plan stopped ('every number ... is in use') with every
        other number free."""
        subs = Counter((p[:-1], p[-1], w) for p, w in self._values if _sub_prefix(p))
        (_, sep, sub_width), _count = max(subs.items(), key=lambda item: (item[1], item[0][2]))
        main_width = Counter(len(main) for main, _s, _w in subs).most_common(1)[0][0]
        top = 10 ** (main_width - 1) if main_width > 1 else 10
        low = int(first_digit) * top if main_width > 1 else 0
        heads = range(low, low + top, self._main_blocks(sep, sub_width, main_width)[1])
        span = f"{low:0{main_width}d}-{low + top - 1:0{main_width}d}"
        return self._empty_main(heads, sep, sub_width, main_width, span,
                                f"no account of its kind yet: the first empty block of {span}", what)

    def _main_blocks(self, sep: str, sub_width: int, main_width: int) -> tuple[set[int], int]:
        """The main numbers a chart of sub-numbers uses (2100 for 2100-10, and any plain number of their width), and
        the size of their blocks: the main numbers' step as the chart's own (chart_step), no coarser than leaves two
        digits to number in (100 on four digits: 2100-2199)."""
        mains = {int(p[:-1]) for p, w in self._values if _sub_prefix(p) and len(p) - 1 == main_width} | set(
            self._values.get(("", main_width), ()))
        top = 10 ** (main_width - 1) if main_width > 1 else 10
        coarsest = 10 ** max(main_width - 3, 0)
        return mains, self._size(min([coarsest] + [_granularity(v) or coarsest for v in mains]), top)

    def _empty_main(self, heads: Iterable[int], sep: str, sub_width: int, main_width: int, span: str, why: str,
                    what: str) -> str:
        """The first of ``heads`` whose block of main numbers holds none, at the chart's first sub-number (-10, or
        -01: the chart's sub-numbers start at their step)."""
        mains, size = self._main_blocks(sep, sub_width, main_width)
        first = self._sub_step(sep, sub_width) or 1
        for head in heads:
            number = f"{head:0{main_width}d}{sep}{first:0{sub_width}d}"
            if not any(head <= v < head + size for v in mains) and not self.used(number):
                self.why = f"{why}, {head:0{main_width}d}, at its first sub-number"
                return number
        raise BlockFull(f"no free number for {what}: every block of {span} holds accounts; number it by hand")

    def _sub_overflow(self, family: Family, by_family: dict[Family, list[int]], step: int, block: str,
                      what: str) -> str:
        """The next number for a full run of sub-numbers (2100-10 ... 2100-90) under a main number that is no account
        of the chart (a chart exported without its headers): after the siblings under the main number opened when the
        run filled, else the closest empty main number, as a plain chart's full block opens the closest empty one.
        Stopping there ("the sub-accounts 2100-00-2100-99 are full") stopped a plan with a tenth tax payable that the
        same chart numbered plainly put at 2200."""
        prefix, width = family
        others = sorted((f for f in by_family if f != family and _sub_prefix(f[0]) and f[1] == width
                         and f[0][-1] == prefix[-1]), key=lambda f: int(f[0][:-1]), reverse=True)
        for other in others:
            text, last = Parsed(other[0], width, 0).text, max(by_family[other])
            for value in range(last + step, 10 ** width, step):
                if not self.used(text(value)):
                    self.why = f"after {text(last)}, step {step}, under {other[0][:-1]} (opened when {block} was full)"
                    return text(value)
        return self._main_beside(family, f"the sub-accounts {block} are full at step {step} and {prefix[:-1]} is no "
                                         f"account of the chart: the closest empty block of main numbers in {{span}}",
                                 what)

    def _main_beside(self, family: Family, why: str, what: str) -> str:
        """A block of its own beside ``family``'s sub-numbers (2100-10 ... 2100-40): the closest main number whose
        block holds none, in the kind's range, at the chart's first sub-number: 2200-10, as plain numbers open 2200
        beside a run at 2100. ``why`` says why, the range as ``{span}``."""
        prefix, sub_width = family
        main, sep = prefix[:-1], prefix[-1]
        _, size = self._main_blocks(sep, sub_width, len(main))
        top = 10 ** (len(main) - 1) if len(main) > 1 else 10
        low, here = int(main) // top * top, int(main) // size * size
        heads = sorted((h for h in range(low, low + top, size) if h != here), key=lambda h: (abs(h - here), -h))
        span = f"{low:0{len(main)}d}-{low + top - 1:0{len(main)}d}"
        return self._empty_main(heads, sep, sub_width, len(main), span, why.format(span=span), what)

    def _first_in_range(self, first_digit: str, what: str) -> str:
        """A kind the chart has no account of: the first empty block of its conventional range, at its head.

        A chart whose classes are letters (A100 assets, L100 liabilities) gives no digit a kind: the first digit's
        range there was inside another class's letter (Realized FX gain/loss at A700, among the assets), so the plan
        stops instead, saying what to add. One letter before every number (B1010, B2100) leaves the digits their kind.
        """
        prefix, width = self.main_family()
        if _sub_prefix(prefix):  # 1000-10, 2100-10: every account a sub-number of a main number the chart leaves out
            return self._first_main_in_range(first_digit, what)
        letters = ", ".join(sorted({p for p, _ in self._values if p and not any(c.isdigit() for c in p)}))
        if prefix and not any(c.isdigit() for c in prefix) and "," in letters:  # B1010 everywhere: B is no class
            raise BlockFull(f"no number for {what}: the chart has no account of its kind, and names its classes by "
                            f"letters ({letters}), none of them known to be this kind's; add one account of the kind "
                            f"to the chart (the plan numbers beside it), or number it by hand")
        top = self.range_size((prefix, width))
        low = int(first_digit) * top if width > 1 else 0
        step = self.chart_step((prefix, width))
        size = self._size(step, top)
        text = Parsed(prefix, width, 0).text
        for head in range(low, low + top, size):
            if self._empty((prefix, width), size, head):
                self.why = f"no account of its kind yet: the first empty block of {text(low)}-{text(low + top - 1)}"
                return text(head)
        for value in range(low, low + top, step):
            if not self.used(text(value)):
                self.why = f"no account of its kind yet and no empty block: the first free number from {text(low)}"
                return text(value)
        raise BlockFull(f"no free number for {what}: every number from {text(low)} to {text(low + top - 1)} "
                        f"in steps of {step} is in use; number it by hand")
