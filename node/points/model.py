"""Points as frozen values: the program's terms, members, lots, the points journal's entries.

Points are free value (not prepaid value under 資金決済法): they have a journal of their own, in
points, never mixed with the yen journal. Accounts (`points:<customer id>` is what we owe a member,
a credit balance; the others are where points come from and go to):
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

MEMBER_PREFIX = "points:"
EXPENSE_PREFIX = "points_expense:"  # points granted on a purchase at a store (or hq)
USED_PREFIX = "points_used:"  # points taken as a discount at a store (or hq)
BREAKAGE_ACCOUNT = "points_breakage"  # points that expired unused
ADJUSTMENT_ACCOUNT = "points_adjustment"  # head office's corrections, each with a reason
EXCHANGE_ACCOUNT = "points_exchange"  # points exchanged for goods from the catalogue
LOTTERY_ACCOUNT = "points_lottery"  # points spent entering a point lottery
HQ = "hq"

# Points per operation: far above any real purchase, far below what an integer column holds.
MAX_POINTS = 10_000_000
MAX_PURCHASE_YEN = 100_000_000
MAX_TXN_CHARS = 64
MAX_REASON_CHARS = 200


def member_account(customer_id: str) -> str:
    return MEMBER_PREFIX + customer_id


def expense_account(store_id: str | None) -> str:
    return EXPENSE_PREFIX + (store_id or HQ)


def used_account(store_id: str | None) -> str:
    return USED_PREFIX + (store_id or HQ)


class Rounding(StrEnum):
    FLOOR = "floor"  # 切り捨て: the usual rule
    ROUND = "round"  # 四捨五入 (half up)
    CEIL = "ceil"  # 切り上げ


class ExpiryKind(StrEnum):
    DAYS = "days"  # through the local day N days after earning
    END_OF_MONTH = "end_of_month"  # through the last day of the month earned in
    END_OF_YEAR = "end_of_year"  # through 31 December of the year earned in
    NONE = "none"  # never


class EntryKind(StrEnum):
    EARN = "earn"
    USE = "use"
    RETURN = "return"  # a purchase returned: its earned points taken back
    USE_RETURN = "use_return"  # a use taken back: its points given back to their lots
    ADJUST = "adjust"
    EXPIRE = "expire"
    EXCHANGE = "exchange"
    EXCHANGE_CANCEL = "exchange_cancel"
    LOTTERY = "lottery"
    LOTTERY_REFUND = "lottery_refund"


@dataclass(frozen=True)
class Program:
    """The program's terms in force from `effective_from` on. Changing them appends a new row; a
    change never rewrites what was earned before it."""

    version_id: str
    effective_from: datetime
    earn_points: int  # points given ...
    earn_per_yen: int  # ... per this many yen spent (1 per 100: earn_points=1, earn_per_yen=100)
    rounding: Rounding
    expiry_kind: ExpiryKind
    expiry_days: int | None  # only for ExpiryKind.DAYS
    point_value_yen: int  # what one point is worth when used (default 1 pt = ¥1)
    min_use_points: int  # the fewest points one use may take
    created_at: datetime
    created_by: str


@dataclass(frozen=True)
class StoreRate:
    store_id: str
    effective_from: datetime
    earn_points: int
    earn_per_yen: int
    created_at: datetime
    created_by: str


@dataclass(frozen=True)
class Campaign:
    """A multiplier for a period, at one store or at all (`store_id` None)."""

    campaign_id: str
    name: str
    store_id: str | None
    multiplier_pct: int  # 200 = double points
    starts_at: datetime
    ends_at: datetime
    created_at: datetime
    created_by: str
    cancelled_at: datetime | None

    def applies(self, store_id: str | None, at: datetime) -> bool:
        return (
            self.cancelled_at is None
            and self.starts_at <= at < self.ends_at
            and (self.store_id is None or self.store_id == store_id)
        )


@dataclass(frozen=True)
class Member:
    customer_id: str
    member_no: str  # 10 digits, Luhn: what staff and POS systems key in
    card_no: str  # 13 digits, Luhn: printable on a plastic card; earns, never spends
    card_secret: bytes
    notify_expiry: bool
    created_at: datetime


@dataclass(frozen=True)
class Lot:
    lot_id: str
    customer_id: str
    entry_id: str
    earned_at: datetime
    expires_at: datetime | None
    points: int
    remaining: int
    expired_at: datetime | None

    def is_live_at(self, now: datetime) -> bool:
        """Spendable at `now`: something left and not past its expiry (swept or not)."""
        return self.remaining > 0 and (self.expires_at is None or now < self.expires_at)


@dataclass(frozen=True)
class PointPosting:
    account: str
    points: int  # positive debit, negative credit


@dataclass(frozen=True)
class PointEntry:
    entry_id: str
    kind: EntryKind
    customer_id: str
    created_at: datetime
    actor: str
    reason: str | None
    postings: tuple[PointPosting, ...]

    @property
    def is_balanced(self) -> bool:
        return len(self.postings) >= 2 and sum(p.points for p in self.postings) == 0


@dataclass(frozen=True)
class LotMove:
    """Points taken from a lot (negative) or given back to it (positive) by one entry."""

    lot_id: str
    points: int


@dataclass(frozen=True)
class PurchaseLine:
    sku: str
    name: str
    quantity: int
    amount_yen: int


@dataclass(frozen=True)
class Purchase:
    txn_id: str
    customer_id: str
    store_id: str | None
    purchase_yen: int
    points: int
    entry_id: str | None  # None when the purchase earned nothing (0 points)
    created_at: datetime
    returned_at: datetime | None


@dataclass(frozen=True)
class Balance:
    """A member's points at one instant: the live lots, soonest expiry first."""

    customer_id: str
    at: datetime
    lots: tuple[Lot, ...]

    @property
    def points(self) -> int:
        return sum(lot.remaining for lot in self.lots)
