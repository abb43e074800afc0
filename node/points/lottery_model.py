"""Point lotteries (ポイント抽選, WEB抽選) as frozen values: the terms and prizes, tickets, the
lottery's state, the draw's winners."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class LotteryState(StrEnum):
    SCHEDULED = "scheduled"  # before opens_at
    OPEN = "open"  # taking entries
    ENDED = "ended"  # past closes_at, the entries not yet hashed (head office closes it)
    CLOSED = "closed"  # the entries' hash published; the seed still secret
    DRAWN = "drawn"  # the seed revealed, the winners recorded
    CANCELLED = "cancelled"  # every entry refunded


@dataclass(frozen=True)
class Prize:
    name: str
    value_yen: int
    count: int


@dataclass(frozen=True)
class LotteryTerms:
    """What head office states at set-up; lottery_rules.check_terms checks them."""

    name: str
    entry_points: int
    max_entries: int  # entries one member may hold
    opens_at: datetime
    closes_at: datetime
    related_sales_yen: int  # the expected sales the lottery relates to (the 2 % cap)
    prizes: tuple[Prize, ...]


@dataclass(frozen=True)
class Lottery:
    lottery_id: str
    name: str
    entry_points: int
    max_entries: int
    opens_at: datetime
    closes_at: datetime
    related_sales_yen: int
    point_value_yen: int  # the program's at set-up: an entry is worth entry_points * this
    prizes: tuple[Prize, ...]
    commitment: bytes  # SHA-256 of the seed, published at set-up
    seed: bytes  # secret until drawn
    created_at: datetime
    created_by: str
    closed_at: datetime | None
    entries_hash: bytes | None
    entry_count: int | None
    drawn_at: datetime | None
    cancelled_at: datetime | None

    def state_at(self, now: datetime) -> LotteryState:
        if self.cancelled_at is not None:
            return LotteryState.CANCELLED
        if self.drawn_at is not None:
            return LotteryState.DRAWN
        if self.closed_at is not None:
            return LotteryState.CLOSED
        if now < self.opens_at:
            return LotteryState.SCHEDULED
        if now < self.closes_at:
            return LotteryState.OPEN
        return LotteryState.ENDED

    @property
    def revealed_seed(self) -> bytes | None:
        """The seed once drawn; None before (it must stay secret until the entries are fixed)."""
        return self.seed if self.drawn_at is not None else None

    @property
    def entry_value_yen(self) -> int:
        return self.entry_points * self.point_value_yen


@dataclass(frozen=True)
class Ticket:
    ticket_id: str
    lottery_id: str
    seq: int
    customer_id: str
    entry_id: str
    created_at: datetime
    refund_entry_id: str | None


@dataclass(frozen=True)
class Winner:
    place: int  # 1-based, in the shuffled order
    ticket_id: str
    position: int  # the prize's index in the lottery's prizes
