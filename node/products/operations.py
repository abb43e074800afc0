"""Products' writer units: add a product, retire one, sell one voucher of a product (online or
at a store's counter), and cancel a counter sale with its stock given back, each a function of
the writer's `sqlite3.Connection`, in one transaction.

A sale loads the product, checks it is on sale and the customer's limits (core.check_sale, from
`product_sales`), takes one from stock, issues the voucher through the ledger (so the journal
entry is the ledger's `issue`: the price to `paid_into` or the store's cash, any premium to
promotion expense, the face to the voucher) and records the `product_sales` row. A refusal raises
before anything is written, and the writer rolls back the unit whatever fails after.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from node.errors import ProductNotFound, ProductRetired, ProductSoldOut, ValidationError
from node.ledger import operations as ledger_operations
from node.ledger.core import IssueRequest
from node.ledger.model import PaymentMethod, Sale, Voucher
from node.ledger.operations import LedgerSettings
from node.products import core, tables
from node.products.model import Product, SaleChannel, SaleRecord


@dataclass(frozen=True)
class ProductSale:
    """A voucher sold from a product: the product after the sale (its stock), and the voucher."""

    product: Product
    voucher: Voucher


@dataclass(frozen=True)
class CounterProductSale:
    """A product sold at a counter: the product, and the ledger's counter sale (`sale`, with its
    payment method; `is_repeat` when the confirm form's key had made it already)."""

    product: Product
    voucher: Voucher
    sale: Sale
    is_repeat: bool = False


def add_product(product: Product) -> Callable[[sqlite3.Connection], Product]:
    def work(conn: sqlite3.Connection) -> Product:
        tables.insert_product(conn, product)
        return product

    return work


def retire_product(product_id: str, now: datetime) -> Callable[[sqlite3.Connection], Product]:
    """Retire a product: it is no longer sold; the vouchers sold keep their terms."""

    def work(conn: sqlite3.Connection) -> Product:
        if not tables.retire(conn, product_id, now):
            product = tables.load_product(conn, product_id)
            raise ProductNotFound() if product is None else ProductRetired()
        return _product(conn, product_id)

    return work


def require_sellable(
    conn: sqlite3.Connection,
    product_id: str,
    customer_id: str,
    pending: Sequence[core.PastPurchase],
    zone: ZoneInfo,
    now: datetime,
) -> None:
    """Before a card is charged: would the sale be refused now (on sale, the customer's limits
    counting `pending`, the purchases still being paid, and the stock)? Raises as sell_product
    would; the sale itself checks again and decides."""
    product = _product(conn, product_id)
    since = core.period_start(product.limit_period, now, zone)
    bought = tables.purchases_since(conn, customer_id, product_id, since)
    core.check_sale(product, core.PurchasesSoFar((*bought, *pending)), now, zone)
    if product.stock is not None and product.stock < 1:
        raise ProductSoldOut()


def _product(conn: sqlite3.Connection, product_id: str) -> Product:
    product = tables.load_product(conn, product_id)
    if product is None:
        raise ProductNotFound()
    return product


def _sell(
    conn: sqlite3.Connection,
    product: Product,
    customer_id: str | None,
    now: datetime,
    settings: LedgerSettings,
    issue: Callable[[IssueRequest], Voucher],
    request: Callable[[Product], IssueRequest],
    where: tuple[SaleChannel, str | None],
) -> ProductSale:
    """Check, take one from stock, issue through `issue`, record the product sale."""
    since = core.period_start(product.limit_period, now, settings.zone)
    bought = core.PurchasesSoFar(
        ()
        if customer_id is None
        else tuple(tables.purchases_since(conn, customer_id, product.product_id, since))
    )
    core.check_sale(product, bought, now, settings.zone)
    if not tables.take_one(conn, product.product_id):
        raise ProductSoldOut()
    voucher = issue(request(product))
    channel, store_id = where
    tables.insert_sale(
        conn,
        SaleRecord(
            voucher_id=voucher.voucher_id,
            product_id=product.product_id,
            customer_id=customer_id,
            channel=channel,
            store_id=store_id,
            face_yen=voucher.face_yen,
            price_yen=voucher.price_yen,
            created_at=now,
        ),
    )
    return ProductSale(_product(conn, product.product_id), voucher)


def sell_product(
    product_id: str,
    customer_id: str | None,
    channel: SaleChannel,
    store_id: str | None,
    paid_into: str | None,
    settings: LedgerSettings,
    now: datetime,
    voucher_id: str,
    secret: bytes,
    txn_id: str,
    fresh_number: Callable[[], str],
) -> Callable[[sqlite3.Connection], ProductSale]:
    """Sell one voucher of a product to `customer_id` (None: held by nobody until handed over),
    paid into `paid_into` (None: the cash of `store_id`). Refuses with ProductNotFound,
    ProductNotOnSale, ProductSoldOut or ProductLimitReached, changing nothing."""

    def request(product: Product) -> IssueRequest:
        return core.issue_request(
            product, voucher_id, secret, customer_id, store_id, txn_id, paid_into
        )

    def work(conn: sqlite3.Connection) -> ProductSale:
        def issue(issue_request: IssueRequest) -> Voucher:
            return ledger_operations.issue(issue_request, settings, now, fresh_number)(conn)

        product = _product(conn, product_id)
        return _sell(conn, product, customer_id, now, settings, issue, request, (channel, store_id))

    return work


def sell_at_counter(
    product_id: str,
    store_id: str,
    method: PaymentMethod,
    sold_by: str,
    settings: LedgerSettings,
    now: datetime,
    new: tuple[str, bytes, str],
    fresh_number: Callable[[], str],
    request_key: str | None = None,
) -> Callable[[sqlite3.Connection], CounterProductSale]:
    """Sell one voucher of a product at a store's counter, paid by `method` into the store's cash,
    held by nobody until the customer takes it: the ledger's counter sale
    (ledger.operations.sell_at_counter: the `counter_sales` record and its `request_key`) with the
    product's checks, stock and `product_sales` row. The same `request_key` sent again answers
    the sale it made, before any check (a double tap on the last one in stock is no refusal).
    A product with a per-customer limit is refused (ProductOnlineOnly): sold online only."""
    voucher_id, secret, txn_id = new
    counter_sale: list[ledger_operations.CounterSale] = []

    def request(product: Product) -> IssueRequest:
        return core.issue_request(product, voucher_id, secret, None, store_id, txn_id, None)

    def work(conn: sqlite3.Connection) -> CounterProductSale:
        earlier = ledger_operations.earlier_counter_sale(conn, request_key, store_id)
        if earlier is not None:
            return _repeat(conn, earlier)

        def issue(issue_request: IssueRequest) -> Voucher:
            sold = ledger_operations.sell_at_counter(
                issue_request, method, sold_by, settings, now, fresh_number, request_key
            )(conn)
            counter_sale[:] = [sold]
            return sold.voucher

        product = _product(conn, product_id)
        core.require_counter_sale(product)
        made = _sell(
            conn, product, None, now, settings, issue, request, (SaleChannel.COUNTER, store_id)
        )
        return CounterProductSale(made.product, made.voucher, counter_sale[0].sale)

    return work


def _repeat(conn: sqlite3.Connection, earlier: ledger_operations.CounterSale) -> CounterProductSale:
    record = tables.load_sale(conn, earlier.voucher.voucher_id)
    if record is None:  # only a form not made by the confirm page sends a keypad sale's key here
        raise ValidationError("This form made another sale already.", field="sale_key")
    product = _product(conn, record.product_id)
    return CounterProductSale(product, earlier.voucher, earlier.sale, is_repeat=True)


def cancel_sale(
    voucher_id: str,
    at_store: str | None,
    actor: str,
    settings: LedgerSettings,
    now: datetime,
    txn_id: str,
) -> Callable[[sqlite3.Connection], tuple[Sale, Voucher]]:
    """Cancel a same-day counter sale (ledger.operations.cancel_sale: the correcting entry, the
    voucher void) and, in the same transaction, give the one it took back to its product's stock
    (when a product with a stock sold it). The ledger's refusals change nothing here either."""
    cancel = ledger_operations.cancel_sale(voucher_id, at_store, actor, settings, now, txn_id)

    def work(conn: sqlite3.Connection) -> tuple[Sale, Voucher]:
        cancelled = cancel(conn)
        tables.give_one_back(conn, voucher_id)
        return cancelled

    return work
