"""What head office does with products (商品), shared by the admin API and the console: add one
from its terms (dates read as days of the node's zone), list them with their sales, show one,
retire one. Each takes `Node`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from node.clock import new_id
from node.errors import InvalidDate, InvalidProduct, ProductNotFound
from node.ledger.calendar import end_of_local_day, start_of_local_day
from node.products import core, operations, queries
from node.products.core import ProductTerms
from node.products.model import LimitPeriod, Product
from node.products.queries import ProductSummary
from node.runtime import Node

# The names the API's body and the console's form give the sale period (core names the terms).
FORM_FIELDS = {"sale_starts_at": "sale_from", "sale_ends_at": "sale_until"}


@dataclass(frozen=True)
class ProductInput:
    """A product's terms as sent: yen and counts as numbers, dates as YYYY-MM-DD (local days)."""

    name: str
    face_yen: int
    price_yen: int | None = None
    valid_days: int | None = None
    valid_until: str | None = None  # valid through this day
    limit_count: int | None = None
    limit_yen: int | None = None
    limit_period: str | None = None  # day, month, ever (the default)
    sale_from: str | None = None  # on sale from this day's start
    sale_until: str | None = None  # through this day
    stock: int | None = None


def _day(text: str | None, field: str) -> date | None:
    if text is None or not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise InvalidDate(field=field) from exc


def _period(text: str | None) -> LimitPeriod:
    if text is None or not text.strip():
        return LimitPeriod.EVER
    try:
        return LimitPeriod(text.strip())
    except ValueError:
        raise InvalidProduct(
            "The limit period is day, month or ever.", field="limit_period"
        ) from None


def terms_of(sent: ProductInput, zone: ZoneInfo) -> ProductTerms:
    """The terms in the node's zone: a last day runs to its end, a first day from its start."""
    valid_until, sale_from, sale_until = (
        _day(sent.valid_until, "valid_until"),
        _day(sent.sale_from, "sale_from"),
        _day(sent.sale_until, "sale_until"),
    )
    return ProductTerms(
        name=sent.name,
        face_yen=sent.face_yen,
        price_yen=sent.price_yen,
        valid_days=sent.valid_days,
        valid_until=None if valid_until is None else end_of_local_day(valid_until, zone),
        limit_count=sent.limit_count,
        limit_yen=sent.limit_yen,
        limit_period=_period(sent.limit_period),
        sale_starts_at=None if sale_from is None else start_of_local_day(sale_from, zone),
        sale_ends_at=None if sale_until is None else end_of_local_day(sale_until, zone),
        stock=sent.stock,
    )


async def add_product(node: Node, sent: ProductInput) -> Product:
    """A new product on sale from its first day (or now), or InvalidProduct naming the field."""
    now = node.clock.now()
    try:
        product = core.new_product(
            terms_of(sent, node.config.zone),
            new_id(node.rng, "pr"),
            now,
            node.settings.policy.max_voucher_yen,
        )
    except InvalidProduct as exc:
        field = exc.details.get("field")
        if field in FORM_FIELDS:
            exc.details["field"] = FORM_FIELDS[str(field)]
        raise
    return await node.require_writer().submit(operations.add_product(product))


async def list_products(node: Node) -> list[ProductSummary]:
    return await queries.all_products(node.require_reader())


async def show_product(node: Node, product_id: str) -> ProductSummary:
    found = await queries.product_summary(node.require_reader(), product_id)
    if found is None:
        raise ProductNotFound()
    return found


async def retire_product(node: Node, product_id: str) -> Product:
    """No longer sold from now on; the vouchers sold keep their terms. ProductRetired if it was."""
    return await node.require_writer().submit(
        operations.retire_product(product_id, node.clock.now())
    )


async def on_sale(node: Node) -> list[Product]:
    """The products a customer can buy now (the wallet's shop)."""
    return await queries.products_on_sale(node.require_reader(), node.clock.now())


async def on_sale_at_counter(node: Node) -> list[Product]:
    """The products a counter offers now: those on sale without a per-customer limit (a product
    with one is sold online only, core.require_counter_sale)."""
    return [p for p in await on_sale(node) if not p.has_customer_limit]
