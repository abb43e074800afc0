"""Points rules: how many a purchase earns, when a lot expires, which lots a debit takes from,
and the balanced entries. Pure: no I/O, no clock, no randomness; ids and `now` come in.

The earn rule, written down once:
    points = rounding(purchase_yen * earn_points / earn_per_yen * campaign% / 100 * rank% / 100)
with the store's own rate in place of the program's where one is in force, the one highest
campaign multiplier that applies at that store at that moment (campaigns never stack), the
member's rank multiplier (100 without a rank), and exact arithmetic until the one rounding.
"""

from __future__ import annotations

import calendar
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from fractions import Fraction
from typing import Protocol, TypeVar
from zoneinfo import ZoneInfo

from node.errors import InsufficientPoints, InvalidPoints, KippuError, ValidationError
from node.ledger.calendar import end_of_local_day, expiry_after_days
from node.points.model import (
    MAX_POINTS,
    MAX_PURCHASE_YEN,
    MAX_REASON_CHARS,
    MAX_TXN_CHARS,
    Campaign,
    EntryKind,
    ExpiryKind,
    Lot,
    LotMove,
    PointEntry,
    PointPosting,
    Program,
    Rounding,
    StoreRate,
)
from node.text import is_caller_key

# The program a node runs until head office sets its own: 1 point per ¥100 (切り捨て), valid
# through the local day a year after earning, 1 point = ¥1, any number of points from 1.
DEFAULT_PROGRAM = Program(
    version_id="default",
    effective_from=datetime(1970, 1, 1, tzinfo=UTC),
    earn_points=1,
    earn_per_yen=100,
    rounding=Rounding.FLOOR,
    expiry_kind=ExpiryKind.DAYS,
    expiry_days=365,
    point_value_yen=1,
    min_use_points=1,
    created_at=datetime(1970, 1, 1, tzinfo=UTC),
    created_by="default",
)


class _FromAMoment(Protocol):
    @property
    def effective_from(self) -> datetime: ...


# A program, a store's rate, a rank table: each a version in force from a moment on.
_Versioned = TypeVar("_Versioned", bound=_FromAMoment)


def whole_in(value: object, low: int, high: int) -> int | None:
    """`value` when it is a whole number (a JSON integer, not true or false) from `low` to
    `high`, else None: the one check behind every whole-number field of the points system."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        return None
    return value


def require_whole(
    value: object,
    field: str,
    low: int,
    high: int,
    error: type[ValidationError] = InvalidPoints,
    message: str | None = None,
) -> int:
    """`whole_in`, or `error` naming `field` (InvalidPoints, or InvalidRankTable for ranks)."""
    checked = whole_in(value, low, high)
    if checked is None:
        raise error(
            message or f"`{field}` must be a whole number from {low} to {high}.", field=field
        )
    return checked


def require_points(value: object, field: str = "points") -> int:
    """A whole number of points, 1 to MAX_POINTS."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_POINTS:
        raise InvalidPoints(
            f"`{field}` must be a whole number from 1 to {MAX_POINTS}.", field=field
        )
    return value


def require_signed_points(value: object, field: str = "points") -> int:
    """An adjustment: a whole number of points, not 0, within ±MAX_POINTS."""
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or value == 0
        or abs(value) > MAX_POINTS
    ):
        raise InvalidPoints(
            f"`{field}` must be a whole number, not 0, within ±{MAX_POINTS}.", field=field
        )
    return value


def require_purchase_yen(value: object, field: str = "purchase_yen") -> int:
    """What a purchase earns on: whole yen, 0 to MAX_PURCHASE_YEN (0: a purchase paid in full
    with points still counts toward nothing, and earns nothing)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_PURCHASE_YEN:
        raise InvalidPoints(
            f"`{field}` must be a whole number of yen from 0 to {MAX_PURCHASE_YEN}.", field=field
        )
    return value


def require_txn(value: object, field: str = "txn") -> str:
    """A caller's transaction id: 1-64 characters of letters, digits and - _ . : /"""
    if not is_caller_key(value, MAX_TXN_CHARS):
        raise InvalidPoints(
            f"`{field}` must be 1-{MAX_TXN_CHARS} characters: letters, digits and - _ . : /",
            field=field,
        )
    return value


# The prefixes of the ids the node makes itself: a return (`return:<txn>`), the counter's voucher
# payment (`redeem:<redemption id>`), and what our own pages post back (`wallet:`, `staff:`, each
# a hash over who posted and what). An API caller's id never starts with one, so no caller can
# take an id the node will need (a POS's return, another member's order) and block it for good.
RESERVED_TXN_PREFIXES = ("return:", "redeem:", "wallet:", "staff:")
_PAGE_TXN_HEX = 40


def require_caller_txn(value: object, field: str = "txn") -> str:
    """A transaction id sent by an API caller (a POS key, the admin token): `require_txn`'s
    shape, and not in the node's own namespace (RESERVED_TXN_PREFIXES)."""
    txn = require_txn(value, field)
    if txn.lower().startswith(RESERVED_TXN_PREFIXES):
        raise InvalidPoints(
            f"`{field}` must not start with {', '.join(RESERVED_TXN_PREFIXES)}:"
            " those ids are the node's own.",
            field=field,
        )
    return txn


def page_txn(prefix: str, poster: str, posted: str) -> str:
    """The transaction id for a form our own page posted back: `<prefix>:` and 40 hex digits of
    SHA-256 over who posted it and the posted value, so the same form sent twice acts once, and
    no one can name an id that is another's (a POS's, another member's)."""
    digest = hashlib.sha256(f"{poster}\0{posted}".encode()).hexdigest()
    return f"{prefix}:{digest[:_PAGE_TXN_HEX]}"


def require_reason(value: object, field: str = "reason") -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_REASON_CHARS:
        raise InvalidPoints(
            f"`{field}` must say why, in 1-{MAX_REASON_CHARS} characters.", field=field
        )
    return value.strip()


def in_force(versions: Iterable[_Versioned], at: datetime) -> _Versioned | None:
    """The version whose `effective_from` is the latest not after `at`."""
    best: _Versioned | None = None
    for version in versions:
        if version.effective_from <= at and (
            best is None or version.effective_from > best.effective_from
        ):
            best = version
    return best


def campaign_pct(campaigns: Iterable[Campaign], store_id: str | None, at: datetime) -> int:
    """The highest multiplier of the campaigns that apply at `store_id` at `at`; 100 if none."""
    return max((c.multiplier_pct for c in campaigns if c.applies(store_id, at)), default=100)


def _rounded(value: Fraction, rounding: Rounding) -> int:
    if rounding is Rounding.FLOOR:
        return value.numerator // value.denominator
    if rounding is Rounding.CEIL:
        return -(-value.numerator // value.denominator)
    return (2 * value.numerator + value.denominator) // (2 * value.denominator)


@dataclass(frozen=True)
class EarnTerms:
    """What decides a purchase's points, as recorded beside it for anyone asking why."""

    earn_points: int
    earn_per_yen: int
    rounding: Rounding
    campaign_pct: int
    rank_pct: int


def earn_terms(
    program: Program,
    store_rate: StoreRate | None,
    campaigns: Iterable[Campaign],
    rank_pct: int,
    store_id: str | None,
    at: datetime,
) -> EarnTerms:
    rate = store_rate if store_rate is not None else program
    return EarnTerms(
        rate.earn_points,
        rate.earn_per_yen,
        program.rounding,
        campaign_pct(campaigns, store_id, at),
        rank_pct,
    )


def points_for(purchase_yen: int, terms: EarnTerms) -> int:
    """The points a purchase of `purchase_yen` earns under `terms` (the rule above)."""
    exact = (
        Fraction(purchase_yen * terms.earn_points, terms.earn_per_yen)
        * Fraction(terms.campaign_pct, 100)
        * Fraction(terms.rank_pct, 100)
    )
    return min(_rounded(exact, terms.rounding), MAX_POINTS)


def _end_of_month(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def lot_expiry(program: Program, earned_at: datetime, zone: ZoneInfo) -> datetime | None:
    """When points earned at `earned_at` stop counting: the end of a local day, or never."""
    local = earned_at.astimezone(zone).date()
    if program.expiry_kind is ExpiryKind.NONE:
        return None
    if program.expiry_kind is ExpiryKind.DAYS:
        if program.expiry_days is None:
            raise KippuError("a days expiry without its days")
        return expiry_after_days(earned_at, program.expiry_days, zone)
    if program.expiry_kind is ExpiryKind.END_OF_MONTH:
        return end_of_local_day(_end_of_month(local), zone)
    return end_of_local_day(date(local.year, 12, 31), zone)


def spend_order_key(lot: Lot) -> tuple[int, datetime, datetime, str]:
    """Soonest expiry first, lots without expiry last; ties by when earned, then by id."""
    far = datetime.max.replace(tzinfo=UTC)
    expires = lot.expires_at if lot.expires_at is not None else far
    return (1 if lot.expires_at is None else 0, expires, lot.earned_at, lot.lot_id)


def live_lots(lots: Iterable[Lot], now: datetime) -> list[Lot]:
    """The lots that can be spent at `now`, in spending order."""
    return sorted((lot for lot in lots if lot.is_live_at(now)), key=spend_order_key)


def take_from(lots: Sequence[Lot], points: int, now: datetime) -> tuple[LotMove, ...]:
    """Which lots a debit of `points` takes from: soonest expiry first. InsufficientPoints when
    the live lots hold fewer."""
    ordered = live_lots(lots, now)
    available = sum(lot.remaining for lot in ordered)
    if points > available:
        raise InsufficientPoints(balance=available)
    moves: list[LotMove] = []
    left = points
    for lot in ordered:
        if left == 0:
            break
        taken = min(lot.remaining, left)
        moves.append(LotMove(lot.lot_id, -taken))
        left -= taken
    return tuple(moves)


def entry(
    entry_id: str,
    kind: EntryKind,
    customer_id: str,
    now: datetime,
    actor: str,
    reason: str | None,
    *lines: tuple[str, int],
) -> PointEntry:
    """One balanced entry from (account, points) lines; zero lines are left out."""
    made = PointEntry(
        entry_id,
        kind,
        customer_id,
        now,
        actor,
        reason,
        tuple(PointPosting(a, p) for a, p in lines if p != 0),
    )
    if not made.is_balanced:
        raise KippuError(f"unbalanced points {kind} entry")
    return made
