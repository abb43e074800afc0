"""A voucher product (商品) as a frozen value: what it sells, at what price, on what terms, and when.

Head office defines products; the wallet's shop and the counter sell them. A sale copies the
product's terms into the voucher (face, price, expiry), so retiring or changing the offer later
never touches a voucher already sold.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class SaleChannel(StrEnum):
    """Where a product was sold."""

    ONLINE = "online"  # the wallet's shop, paid by card (node/payments/)
    COUNTER = "counter"  # a store's counter, paid in cash, by the store's terminal or otherwise


class LimitPeriod(StrEnum):
    """The period a per-customer limit counts over, in the node's time zone."""

    DAY = "day"
    MONTH = "month"
    EVER = "ever"  # the product's whole sale


@dataclass(frozen=True)
class Product:
    product_id: str
    name: str
    face_yen: int
    price_yen: int  # lower than face: a premium (プレミアム), e.g. pay ¥10,000 get ¥11,000
    valid_days: int | None  # days from the sale; or valid_until, or neither (no expiry)
    valid_until: datetime | None  # a fixed last moment, the same for every voucher sold
    limit_count: int | None  # most vouchers of it one customer may buy per `limit_period`
    limit_yen: int | None  # most yen (at price) one customer may spend on it per `limit_period`
    limit_period: LimitPeriod
    sale_starts_at: datetime | None
    sale_ends_at: datetime | None
    stock: int | None  # how many may still be sold; None: no limit
    created_at: datetime
    retired_at: datetime | None = None

    @property
    def premium_yen(self) -> int:
        return self.face_yen - self.price_yen

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None

    @property
    def has_customer_limit(self) -> bool:
        """A per-customer limit needs a known buyer: such a product is sold online only, since a
        counter sale has no customer to count against (the counter neither shows nor sells it)."""
        return self.limit_count is not None or self.limit_yen is not None


@dataclass(frozen=True)
class SaleRecord:
    """One voucher sold from a product (table `product_sales`): who bought it, where, for what."""

    voucher_id: str
    product_id: str
    customer_id: str | None  # None: nobody yet (a counter sale the customer takes later)
    channel: SaleChannel
    store_id: str | None  # the store of a counter sale
    face_yen: int
    price_yen: int
    created_at: datetime
