"""Refunds under the Payment Services Act (資金決済法20条) as frozen values: the grounds, a business
abolition and its claim window, a holder's claim with the account to pay, a refund booked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


class RefundGround(StrEnum):
    """Why a refund was lawful. 法20条 bans the rest."""

    ABOLITION = "abolition"  # 事業の廃止: a holder's claim inside the claim period (法20条1-2項)
    SMALL_AMOUNT = "small_amount"  # 府令: small totals per 基準期間
    UNAVOIDABLE = "unavoidable"  # 府令: moving where unusable, leaving Japan (やむを得ない事情)


class AccountType(StrEnum):
    ORDINARY = "ordinary"  # 普通
    CURRENT = "current"  # 当座
    SAVINGS = "savings"  # 貯蓄


@dataclass(frozen=True)
class BankAccount:
    """Where a claim's refund is paid, as the holder typed it (checked for shape only)."""

    bank_name: str
    branch_name: str
    account_type: AccountType
    account_number: str  # seven digits
    account_holder: str  # 口座名義, katakana


@dataclass(frozen=True)
class Abolition:
    """A business abolition announced by public notice (公告) on `notice_date`; claims are taken
    from that local day through `claim_until` (local), i.e. `opens_at` <= moment < `closes_at`."""

    abolition_id: str
    notice_date: date
    claim_until: date
    opens_at: datetime
    closes_at: datetime
    declared_by: str
    created_at: datetime

    def has_begun(self, now: datetime) -> bool:
        return now >= self.opens_at

    def is_closed(self, now: datetime) -> bool:
        return now >= self.closes_at

    def is_open(self, now: datetime) -> bool:
        return self.has_begun(now) and not self.is_closed(now)


@dataclass(frozen=True)
class RefundClaim:
    """A holder's claim on one voucher's balance, set aside (into `refund_payable`) when it was
    made; `refund_id` the refund that paid it, if any. A claim head office recorded for a voucher
    nobody held names the customer made for its bearer."""

    claim_id: str
    abolition_id: str
    voucher_id: str
    customer_id: str
    amount_yen: int
    account: BankAccount
    claimed_at: datetime
    refund_id: str | None = None
    reference: str | None = None
    paid_at: datetime | None = None

    @property
    def is_paid(self) -> bool:
        return self.refund_id is not None


@dataclass(frozen=True)
class Refund:
    """A balance paid back: its ground, the ledger's `refund` entry, who and when. `period_start`
    is the first day of the 基準期間 it counts in (for the small-amount limit)."""

    refund_id: str
    voucher_id: str
    ground: RefundGround
    amount_yen: int
    txn_id: str
    claim_id: str | None
    reason: str | None
    reference: str | None
    period_start: date
    refunded_by: str
    refunded_at: datetime


@dataclass(frozen=True)
class Period:
    """A 基準期間: the half year ending on a 基準日 (31 March or 30 September), both days local."""

    start: date
    end: date  # the 基準日


@dataclass(frozen=True)
class SmallAmountBasis:
    """What the small-amount limit of a period is computed from, both read from the journal:
    the face value issued in the previous 基準期間, and the unused balance (基準日未使用残高) at
    the end of the previous 基準日; and what was refunded under the exception so far."""

    period: Period
    previous_issued_yen: int
    previous_unused_yen: int
    refunded_yen: int
