"""The values of participating stores (加盟店): a store's application, its category, its bank
account as applied, and the short code residents type or scan to pay at it. Pure data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from node.campaigns.bank import AccountType, BankAccount


class StoreCategory(StrEnum):
    """The fixed list of categories a store applies under (業種)."""

    FOOD_SERVICE = "飲食"
    RETAIL = "小売"
    GROCERY = "食料品"
    BEAUTY = "理美容"
    LODGING = "宿泊"
    SERVICE = "サービス"
    OTHER = "その他"


class ApplicationStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


MAX_STORE_NAME = 100
MAX_ADDRESS = 200
MAX_EMAIL = 254
MAX_REASON = 500
# The account types a store may apply with (普通, 当座): the application's table holds these.
APPLICATION_ACCOUNT_TYPES = (AccountType.ORDINARY, AccountType.CURRENT)


@dataclass(frozen=True)
class StoreApplication:
    """A store's application to take part (加盟店申込), as sent and as decided."""

    application_id: str
    name: str
    address: str
    category: StoreCategory
    wants_local: bool  # a small local shop (中小店舗): 専用券 accepted once approved
    email: str
    account: BankAccount  # checked against the bank-code list (node/campaigns/bank.py)
    status: ApplicationStatus
    reason: str  # why it was rejected ("" otherwise)
    applied_at: datetime
    decided_at: datetime | None
    decided_by: str | None
    store_id: str | None  # the ledger store made on approval


@dataclass(frozen=True)
class StorePayment:
    """A payment a resident made at a store from the wallet (店舗QR払い), keyed by its form."""

    pay_key: str
    customer_id: str
    store_id: str
    redemption_id: str
    paid_at: datetime
