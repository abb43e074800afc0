"""Ledger state as frozen values: vouchers and their lifecycle, stores, customers, journal entries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class VoucherStatus(StrEnum):
    ACTIVE = "active"
    EXHAUSTED = "exhausted"
    EXPIRED = "expired"
    VOID = "void"


# The only status changes a voucher may make. exhausted -> active happens when a void restores value.
# The SQLite schema carries the same table as a trigger, so a bug here cannot slip past the database.
ALLOWED_TRANSITIONS: frozenset[tuple[VoucherStatus, VoucherStatus]] = frozenset(
    {
        (VoucherStatus.ACTIVE, VoucherStatus.EXHAUSTED),
        (VoucherStatus.ACTIVE, VoucherStatus.EXPIRED),
        (VoucherStatus.ACTIVE, VoucherStatus.VOID),
        (VoucherStatus.EXHAUSTED, VoucherStatus.ACTIVE),
    }
)


class EntryKind(StrEnum):
    ISSUE = "issue"
    REDEEM = "redeem"
    VOID_REDEMPTION = "void_redemption"
    GIFT = "gift"
    EXPIRE = "expire"
    CLAIM = "claim"  # a partner's redemption: our voucher to payable, or receivable to revenue
    CLAIM_VOID = "claim_void"
    SETTLEMENT = "settlement"  # a paid and confirmed statement cleared against the bank
    SALE_CANCEL = "sale_cancel"  # a same-day counter sale reversed by a correcting entry
    GIFT_RETURN = "gift_return"  # an unclaimed gift taken back: its value returns to the giver
    REFUND = "refund"  # an unused balance paid back (資金決済法20条: only where the law allows it)
    PSP_FEE = "psp_fee"  # the card processor's fee on an online sale, as it reports it


CASH_ACCOUNT = "cash"
PROMOTION_ACCOUNT = "promotion_expense"
BREAKAGE_ACCOUNT = "breakage"
PSP_FEE_ACCOUNT = "psp_fee_expense"
# Refunds claimed under an abolition and not paid yet: owed to the holders (a liability).
REFUND_PAYABLE_ACCOUNT = "refund_payable"
PSP_PREFIX = "psp:"
VOUCHER_PREFIX = "voucher:"
REVENUE_PREFIX = "revenue:"


def voucher_account(voucher_id: str) -> str:
    """Liability to the holder of one voucher (credit balance = what the voucher is worth)."""
    return VOUCHER_PREFIX + voucher_id


def revenue_account(store_id: str) -> str:
    """Redemption revenue of one store."""
    return REVENUE_PREFIX + store_id


def cash_account(store_id: str | None) -> str:
    """Cash / sales clearing, per store that sold the voucher, or head office."""
    return f"{CASH_ACCOUNT}:{store_id or 'hq'}"


def psp_account(provider: str) -> str:
    """Card-payment clearing at one processor (e.g. `psp:stripe`): what it owes us until payout."""
    return PSP_PREFIX + provider


@dataclass(frozen=True)
class Posting:
    """One line of a journal entry: positive is a debit, negative a credit, in yen."""

    account: str
    amount_yen: int


@dataclass(frozen=True)
class JournalEntry:
    txn_id: str
    kind: EntryKind
    created_at: datetime
    postings: tuple[Posting, ...]

    @property
    def is_balanced(self) -> bool:
        return len(self.postings) >= 2 and sum(p.amount_yen for p in self.postings) == 0


@dataclass(frozen=True)
class Voucher:
    voucher_id: str
    face_yen: int
    price_yen: int
    balance_yen: int
    status: VoucherStatus
    holder_id: str | None
    store_id: str | None
    created_at: datetime
    expires_at: datetime | None
    is_gift: bool
    has_given_gift: bool
    gifted_from: str | None
    secret: bytes
    suspended_at: datetime | None = None  # 利用停止中 since then (a lost phone), until resumed

    def is_expired_at(self, now: datetime) -> bool:
        return self.expires_at is not None and now >= self.expires_at


@dataclass(frozen=True)
class Store:
    store_id: str
    name: str
    created_at: datetime


@dataclass(frozen=True)
class Customer:
    customer_id: str
    name: str
    email: str | None
    created_at: datetime


@dataclass(frozen=True)
class Redemption:
    redemption_id: str
    voucher_id: str
    store_id: str
    amount_yen: int
    receipt_no: str
    txn_id: str
    created_at: datetime
    voided_at: datetime | None = None


@dataclass(frozen=True)
class LedgerPolicy:
    """The node's ledger settings that rules depend on (from config.toml [ledger])."""

    max_voucher_yen: int
    void_same_day_only: bool


@dataclass(frozen=True)
class Outcome:
    """What a rule decided: vouchers as they are after it, and the one journal entry to append."""

    vouchers: tuple[Voucher, ...]
    entry: JournalEntry
    created_ids: tuple[str, ...] = ()


class PaymentMethod(StrEnum):
    """How the customer paid at the counter, other than by voucher: a sale (and so its refund when
    cancelled), or the rest of a redemption the voucher did not cover (node/ledger/tender.py)."""

    CASH = "cash"
    CARD = "card"  # the store's card terminal
    OTHER = "other"


# Who did it, as recorded with a sale, its cancel, a voucher change: "<role>:<login>" for someone
# signed in to a page (node/web/actors.py), API_ACTOR for head office through the admin API.
API_ACTOR = "api"


@dataclass(frozen=True)
class Sale:
    """A voucher sold at a store's counter (`txn_id`: its issue entry), and its cancel if any."""

    voucher_id: str
    store_id: str
    face_yen: int
    price_yen: int
    payment_method: PaymentMethod
    sold_by: str
    txn_id: str
    created_at: datetime
    cancelled_at: datetime | None = None
    cancel_txn_id: str | None = None
    cancelled_by: str | None = None
    is_received: bool = False  # a customer took the voucher: it can no longer be cancelled

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None
