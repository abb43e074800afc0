"""The values of municipal campaigns: kinds, store classes, eligibility checks, a campaign and a
grant. Pure data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class CampaignKind(StrEnum):
    PREMIUM = "premium"  # プレミアム商品券: sold at a price below the face
    FIRST_COME = "first-come"  # 先着: free coupons from a stock, in rounds
    LOTTERY = "lottery"  # 抽選: apply, draw, the winners claim
    TICKET_BOOK = "ticket-book"  # 綴り/回数券: N coupons of one value, each used once
    SURVEY = "survey"  # アンケート回答者限定: answering grants the coupon


class StoreClass(StrEnum):
    COMMON = "common"  # 共通券: at every participating store
    LOCAL = "local"  # 専用券: only at the small local shops (the ledger's store group LOCAL_GROUP)


class Method(StrEnum):
    """A check a resident passes before a grant (資格確認); a campaign asks for any of them, all
    required."""

    SERIAL = "serial"  # a serial code mailed to residents
    EMAIL = "email"  # a one-time code by email
    SMS = "sms"  # a one-time code by SMS
    LINE = "line"  # LINE Login (OpenID Connect)
    PASSKEY = "passkey"  # a device-bound passkey: one per device
    RESIDENCE = "residence"  # a self-declared postcode among the campaign's


# The ledger's store group of the small local shops a 専用券 is usable at.
LOCAL_GROUP = "local"
DIRECT_KINDS = frozenset({CampaignKind.PREMIUM, CampaignKind.FIRST_COME, CampaignKind.TICKET_BOOK})
MAX_NAME = 100
MAX_TERMS = 4000
MAX_BOOK = 100
MAX_ROUNDS = 20


def campaign_account(campaign_id: str) -> str:
    """The ledger account a campaign's premiums and free coupons are paid from (its budget)."""
    return f"campaign:{campaign_id}"


@dataclass(frozen=True)
class Round:
    round_no: int
    opens_at: datetime
    stock: int


@dataclass(frozen=True)
class Campaign:
    campaign_id: str
    kind: CampaignKind
    name: str
    terms: str
    face_yen: int  # per coupon (a ticket book: per ticket)
    price_yen: int  # what a resident pays per grant; 0 for a free coupon
    local_yen: int  # of the face, the 専用券 part (usable only at LOCAL_GROUP stores)
    book_count: int  # coupons per grant (a ticket book's 綴り; 1 otherwise)
    stock: int | None  # grants in all; None: only the budget limits
    per_person: int
    budget_yen: int | None  # face value that may be granted in all; None: only the stock limits
    starts_at: datetime
    ends_at: datetime  # the last moment to receive
    use_until: datetime  # the last moment to use (the vouchers' expiry)
    eligibility: frozenset[Method]
    postcodes: tuple[str, ...]
    granted_sets: int
    granted_yen: int
    closed_at: datetime | None
    created_at: datetime
    actor: str
    rounds: tuple[Round, ...] = ()

    @property
    def grant_face_yen(self) -> int:
        """The face value one grant issues (a ticket book's every ticket)."""
        return self.face_yen * self.book_count


@dataclass(frozen=True)
class Grant:
    grant_id: str
    campaign_id: str
    customer_id: str
    seq: int
    face_yen: int
    price_yen: int
    granted_at: datetime
    actor: str
    voucher_ids: tuple[str, ...]


@dataclass(frozen=True)
class CouponPlan:
    """One voucher a grant issues: its face, the part of the price it carries, its class."""

    face_yen: int
    price_yen: int
    store_class: StoreClass


class HoldStatus(StrEnum):
    """A premium set held while the resident's card is charged (node/campaigns/holds.py)."""

    HELD = "held"  # counts against the stock, the budget and the person's limit until it lapses
    GRANTED = "granted"  # the payment settled: the hold became the grant
    RELEASED = "released"  # declined, cancelled or refunded: back to the stock at once


@dataclass(frozen=True)
class Hold:
    hold_id: str  # the card payment's id: one hold per payment
    campaign_id: str
    customer_id: str
    face_yen: int
    price_yen: int
    status: HoldStatus
    grant_id: str | None
    created_at: datetime
    expires_at: datetime  # after this a hold still `held` no longer counts: it lapsed

    def is_live_at(self, now: datetime) -> bool:
        return self.status == HoldStatus.HELD and now < self.expires_at
