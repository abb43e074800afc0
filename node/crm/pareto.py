"""80:20: the Pareto curve of paying customers by their spend in the window, and the share of
the window's spend made by the top 20 %.

Customers with spend above zero in the window are sorted by it, largest first. The top p % are
the first ceil(p * n / 100) of them; the curve gives, for p = 0, 1, ..., 100, the share of the
window's spend they made. `top20_share` is the curve at p = 20. With nobody
paying in the window there is no curve and no share.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from node.crm.facts import CustomerSpend

TOP_PERCENT = 20


@dataclass(frozen=True)
class Pareto:
    customers: int
    total_yen: int
    top20_customers: int
    top20_yen: int
    curve: tuple[Fraction, ...]  # index p: the share of spend made by the top p %

    @property
    def top20_share(self) -> Fraction | None:
        return None if self.total_yen == 0 else Fraction(self.top20_yen, self.total_yen)


def top_count(percent: int, customers: int) -> int:
    return math.ceil(percent * customers / 100)


def pareto(spends: Sequence[CustomerSpend]) -> Pareto:
    # Only the amounts in order make the curve: which of two equal amounts comes first changes
    # no share. Sorted by numpy; summed in Python's integers, which cannot overflow.
    every = np.fromiter((s.window_yen for s in spends), dtype=np.int64, count=len(spends))
    running = [0, *itertools.accumulate(int(yen) for yen in np.sort(every[every > 0])[::-1])]
    total, n = running[-1], len(running) - 1
    curve = tuple(Fraction(running[top_count(p, n)], total) for p in range(101)) if total else ()
    top = top_count(TOP_PERCENT, n)
    return Pareto(n, total, top, running[top], curve)
