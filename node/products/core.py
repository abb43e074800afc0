"""The rules of voucher products (商品): a new product's terms, whether one may be sold now to a
customer, and the ledger's issue request for a sale of one.

Pure: no I/O, no clock, no randomness; `now`, the node's zone and ids come in as arguments.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from node.errors import (
    InvalidProduct,
    ProductLimitReached,
    ProductNotOnSale,
    ProductOnlineOnly,
    ProductSoldOut,
)
from node.ledger.calendar import local_day_span, local_month_span
from node.ledger.core import MAX_VALID_DAYS, IssueRequest
from node.products.model import LimitPeriod, Product
from node.text import require_printable

NAME_MAX = 80


@dataclass(frozen=True)
class ProductTerms:
    """What head office asks for when it adds a product (the console's form, the API's body)."""

    name: str
    face_yen: int
    price_yen: int | None = None  # None: the face value (no premium)
    valid_days: int | None = None
    valid_until: datetime | None = None
    limit_count: int | None = None
    limit_yen: int | None = None
    limit_period: LimitPeriod = LimitPeriod.EVER
    sale_starts_at: datetime | None = None
    sale_ends_at: datetime | None = None
    stock: int | None = None


@dataclass(frozen=True)
class PastPurchase:
    """One voucher a customer bought of a product: when, and the price paid."""

    at: datetime
    price_yen: int


@dataclass(frozen=True)
class PurchasesSoFar:
    """A customer's purchases of one product (at least those of the current limit period)."""

    purchases: tuple[PastPurchase, ...] = ()

    def within(self, since: datetime | None) -> tuple[int, int]:
        """(how many, how many yen at price) bought at or after `since` (None: ever)."""
        counted = [p for p in self.purchases if since is None or p.at >= since]
        return len(counted), sum(p.price_yen for p in counted)


def _is_whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _require_positive(value: int | None, field: str, maximum: int | None = None) -> None:
    if value is None:
        return
    if not _is_whole(value) or value < 1 or (maximum is not None and value > maximum):
        raise InvalidProduct(f"`{field}` must be a whole number, at least 1.", field=field)


def _require_yen(terms: ProductTerms, max_voucher_yen: int) -> int:
    """The price (the face value when none is given), checked against the face."""
    _require_positive(terms.face_yen, "face_yen")
    if terms.face_yen > max_voucher_yen:
        raise InvalidProduct(
            "The face value is above the limit for one voucher.",
            field="face_yen",
            limit_yen=max_voucher_yen,
        )
    price = terms.face_yen if terms.price_yen is None else terms.price_yen
    if not _is_whole(price) or price < 0:
        raise InvalidProduct(
            "The price must be a whole number of yen, 0 or more.", field="price_yen"
        )
    if price > terms.face_yen:
        raise InvalidProduct("The price cannot be higher than the face value.", field="price_yen")
    return price


def _require_validity(terms: ProductTerms, now: datetime) -> None:
    _require_positive(terms.valid_days, "valid_days", MAX_VALID_DAYS)
    if terms.valid_days is not None and terms.valid_until is not None:
        raise InvalidProduct(
            "Give the days a voucher is valid or a last date, not both.", field="valid_until"
        )
    if terms.valid_until is not None and terms.valid_until <= now:
        raise InvalidProduct("The last date of validity has already passed.", field="valid_until")


def _require_period(terms: ProductTerms) -> None:
    starts, ends = terms.sale_starts_at, terms.sale_ends_at
    if starts is not None and ends is not None and starts >= ends:
        raise InvalidProduct("The sale must end after it starts.", field="sale_ends_at")
    if terms.valid_until is not None and starts is not None and terms.valid_until <= starts:
        raise InvalidProduct(
            "The vouchers would expire before the sale starts.", field="valid_until"
        )


def new_product(
    terms: ProductTerms, product_id: str, now: datetime, max_voucher_yen: int
) -> Product:
    """A product from head office's terms, or InvalidProduct naming the first field at fault."""
    name = terms.name.strip() if isinstance(terms.name, str) else ""
    if not 1 <= len(name) <= NAME_MAX:
        raise InvalidProduct(f"The name must be 1 to {NAME_MAX} characters.", field="name")
    require_printable(name, "name")
    price = _require_yen(terms, max_voucher_yen)
    _require_validity(terms, now)
    _require_positive(terms.limit_count, "limit_count")
    _require_positive(terms.limit_yen, "limit_yen")
    if terms.limit_yen is not None and terms.limit_yen < price:
        raise InvalidProduct("The yen limit is below the price of one voucher.", field="limit_yen")
    if terms.stock is not None and (not _is_whole(terms.stock) or terms.stock < 0):
        raise InvalidProduct("The stock must be a whole number, 0 or more.", field="stock")
    _require_period(terms)
    return Product(
        product_id=product_id,
        name=name,
        face_yen=terms.face_yen,
        price_yen=price,
        valid_days=terms.valid_days,
        valid_until=terms.valid_until,
        limit_count=terms.limit_count,
        limit_yen=terms.limit_yen,
        limit_period=terms.limit_period,
        sale_starts_at=terms.sale_starts_at,
        sale_ends_at=terms.sale_ends_at,
        stock=terms.stock,
        created_at=now,
    )


def period_start(period: LimitPeriod, now: datetime, zone: ZoneInfo) -> datetime | None:
    """Where the limit period holding `now` began in the node's zone (None: the whole sale)."""
    if period == LimitPeriod.DAY:
        return local_day_span(now, zone)[0]
    if period == LimitPeriod.MONTH:
        return local_month_span(now, zone)[0]
    return None


def require_on_sale(product: Product, now: datetime) -> None:
    """Refuse a product that is retired, outside its sale period, past its fixed expiry, or out
    of stock."""
    if product.is_retired:
        raise ProductNotOnSale("This product has been retired.", reason="retired")
    if product.sale_starts_at is not None and now < product.sale_starts_at:
        raise ProductNotOnSale("The sale of this product has not started.", reason="not_yet")
    is_over = product.sale_ends_at is not None and now >= product.sale_ends_at
    if is_over or (product.valid_until is not None and now >= product.valid_until):
        raise ProductNotOnSale("The sale of this product has ended.", reason="ended")
    if product.stock is not None and product.stock < 1:
        raise ProductSoldOut()


def check_sale(product: Product, bought: PurchasesSoFar, now: datetime, zone: ZoneInfo) -> None:
    """May one more voucher of `product` be sold now to a customer who bought `bought`? Raises
    ProductNotOnSale, ProductSoldOut or ProductLimitReached; the limits count within the current
    day or month of the node's zone, or ever."""
    require_on_sale(product, now)
    count, spent_yen = bought.within(period_start(product.limit_period, now, zone))
    period = str(product.limit_period)
    if product.limit_count is not None and count + 1 > product.limit_count:
        raise ProductLimitReached(limit="count", period=period, allowed_count=product.limit_count)
    if product.limit_yen is not None and spent_yen + product.price_yen > product.limit_yen:
        raise ProductLimitReached(limit="yen", period=period, allowed_yen=product.limit_yen)


def require_counter_sale(product: Product) -> None:
    """Refuse at a counter a product with a per-customer limit: a counter sale has no customer to
    count against, so such a product is sold online only (ProductOnlineOnly)."""
    if product.has_customer_limit:
        raise ProductOnlineOnly()


class SaleState(StrEnum):
    """What the console says of a product now."""

    ON_SALE = "on_sale"
    NOT_YET = "not_yet"  # before its sale period
    ENDED = "ended"  # after its sale period, or past its fixed expiry
    SOLD_OUT = "sold_out"
    RETIRED = "retired"


def sale_state(product: Product, now: datetime) -> SaleState:
    """The product's state at `now`, in the order require_on_sale refuses."""
    try:
        require_on_sale(product, now)
    except ProductSoldOut:
        return SaleState.SOLD_OUT
    except ProductNotOnSale as exc:
        return SaleState(str(exc.details["reason"]))
    return SaleState.ON_SALE


def is_on_sale(product: Product, now: datetime) -> bool:
    """Whether a customer may buy `product` at `now` (limits aside): the one definition of "on
    sale" that the API, the shop, the counter and the console share."""
    return sale_state(product, now) is SaleState.ON_SALE


def issue_request(
    product: Product,
    voucher_id: str,
    secret: bytes,
    holder_id: str | None,
    store_id: str | None,
    txn_id: str,
    paid_into: str | None,
) -> IssueRequest:
    """The ledger's request for one voucher of `product`: its face, price and validity (days from
    the sale, or its fixed last moment), paid into `paid_into` (None: the store's cash)."""
    return IssueRequest(
        voucher_id=voucher_id,
        secret=secret,
        face_yen=product.face_yen,
        price_yen=product.price_yen,
        holder_id=holder_id,
        store_id=store_id,
        valid_days=product.valid_days,
        txn_id=txn_id,
        expires_at=product.valid_until,
        paid_into=paid_into,
    )
