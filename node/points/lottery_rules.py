"""The rules a point lottery is set up under, pure: its terms, and the limits of 景品表示法 for a
一般懸賞 (a prize drawn by chance among those who transact; 懸賞制限告示):

- each prize at most 20 times the transaction's value when that value is under ¥5,000, else at
  most ¥100,000;
- all prizes together at most 2 % of the sales expected from the transactions the lottery
  relates to.

The transaction of a point lottery is one entry: its value is the entry's points at the yen value
of a point in the program in force when the lottery is set up (1 pt = ¥1 by default).
"""

from __future__ import annotations

from node.errors import InvalidPoints, PrizeLimitExceeded
from node.points.core import require_whole
from node.points.lottery_model import LotteryTerms, Prize
from node.points.model import MAX_POINTS
from node.text import is_printable

NAME_MAX = 80
MAX_PRIZES = 20
MAX_PRIZE_COUNT = 100_000
MAX_ENTRIES_PER_MEMBER = 100
MAX_RELATED_SALES_YEN = 100_000_000_000
SMALL_TRANSACTION_YEN = 5_000  # below it, a prize is capped at 20 times the transaction
PRIZE_MULTIPLE = 20
PRIZE_CEILING_YEN = 100_000  # at or above it
TOTAL_PERCENT = 2


def prize_limit_yen(transaction_yen: int) -> int:
    """The most one prize may be worth for a transaction of `transaction_yen`."""
    if transaction_yen < SMALL_TRANSACTION_YEN:
        return PRIZE_MULTIPLE * transaction_yen
    return PRIZE_CEILING_YEN


def total_limit_yen(related_sales_yen: int) -> int:
    """The most all prizes together may be worth: 2 % of the related sales, rounded down."""
    return related_sales_yen * TOTAL_PERCENT // 100


def check_prize_limits(
    prizes: tuple[Prize, ...], transaction_yen: int, related_sales_yen: int
) -> None:
    """PrizeLimitExceeded naming the first prize over its limit, or the total over 2 %."""
    each = prize_limit_yen(transaction_yen)
    for index, prize in enumerate(prizes):
        if prize.value_yen > each:
            raise PrizeLimitExceeded(field=f"prize_value_{index}", prize=prize.name, limit_yen=each)
    total = sum(p.value_yen * p.count for p in prizes)
    if total > total_limit_yen(related_sales_yen):
        raise PrizeLimitExceeded(
            field="related_sales_yen", total_yen=total, limit_yen=total_limit_yen(related_sales_yen)
        )


def _name(value: object, field: str) -> str:
    if not isinstance(value, str) or not is_printable(value) or not value.strip():
        raise InvalidPoints(f"`{field}` must be printable text.", field=field)
    if len(value.strip()) > NAME_MAX:
        raise InvalidPoints(f"`{field}` must be at most {NAME_MAX} characters.", field=field)
    return value.strip()


def check_terms(terms: LotteryTerms, point_value_yen: int) -> LotteryTerms:
    """The terms trimmed and checked, or InvalidPoints / PrizeLimitExceeded naming the field."""
    if not terms.opens_at < terms.closes_at:
        raise InvalidPoints("`closes_at` must be after `opens_at`.", field="closes_at")
    if not 1 <= len(terms.prizes) <= MAX_PRIZES:
        raise InvalidPoints(f"A lottery has 1 to {MAX_PRIZES} prizes.", field="prizes")
    prizes = tuple(
        Prize(
            _name(p.name, f"prize_name_{i}"),
            require_whole(p.value_yen, f"prize_value_{i}", 1, PRIZE_CEILING_YEN * 10),
            require_whole(p.count, f"prize_count_{i}", 1, MAX_PRIZE_COUNT),
        )
        for i, p in enumerate(terms.prizes)
    )
    checked = LotteryTerms(
        name=_name(terms.name, "name"),
        entry_points=require_whole(terms.entry_points, "entry_points", 1, MAX_POINTS),
        max_entries=require_whole(terms.max_entries, "max_entries", 1, MAX_ENTRIES_PER_MEMBER),
        opens_at=terms.opens_at,
        closes_at=terms.closes_at,
        related_sales_yen=require_whole(
            terms.related_sales_yen, "related_sales_yen", 1, MAX_RELATED_SALES_YEN
        ),
        prizes=prizes,
    )
    check_prize_limits(prizes, checked.entry_points * point_value_yen, checked.related_sales_yen)
    return checked


def prizes_from(value: object) -> tuple[Prize, ...]:
    """Prizes as sent in JSON: a list of {name, value_yen, count} (check_terms checks them)."""
    if not isinstance(value, list) or not 1 <= len(value) <= MAX_PRIZES:
        raise InvalidPoints(f"`prizes` must list 1 to {MAX_PRIZES} prizes.", field="prizes")
    prizes = []
    for index, sent in enumerate(value):
        if not isinstance(sent, dict) or set(sent) != {"name", "value_yen", "count"}:
            raise InvalidPoints(
                "Each prize is {name, value_yen, count}.", field=f"prize_name_{index}"
            )
        prizes.append(Prize(sent["name"], sent["value_yen"], sent["count"]))
    return tuple(prizes)
