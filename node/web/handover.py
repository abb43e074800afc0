"""Vouchers waiting for a customer: sold at the counter, or gifted. A link (shown as a QR) hands
the voucher to whoever opens it and signs in, once; only the token's hash is stored.

A gift link's token is derived from the voucher number with a key only the node holds (its
signing key, domain-separated), so the giver can be shown an unclaimed link again (issue 15) while
the database still holds nothing a reader could open the link with. The node has no secret that
outlives `kippu key rotate`, so after a rotation a gift made before it is no longer shown again
(its link, already sent, still works: the stored hash is the old token's; the giver may still take
it back). docs/operations.md says so. A gift taken back before anyone
received it voids the gift voucher; its link then answers `voucher.gift_returned`.

A counter sale's link is random instead: showing its QR again (`renew_link`) makes a new link and
the one shown before stops working, so only the QR on the counter's screen now hands it over."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from node.clock import ordered_id
from node.compliance import refund_actions, refund_operations
from node.errors import (
    GiftAlreadyReceived,
    GiftReturned,
    GiftToHolder,
    LinkInvalid,
    SaleCancelled,
    VoucherNotFound,
)
from node.ledger import operations, queries, sale_queries
from node.ledger import tables as ledger_tables
from node.ledger.core import GiftRequest, IssueRequest
from node.ledger.fresh import SECRET_BYTES, fresh_number, new_voucher
from node.ledger.model import PaymentMethod, Sale, Voucher, VoucherStatus
from node.ledger.record_queries import get_customer
from node.products import operations as product_operations
from node.runtime import Node
from node.web import queries as web_queries
from node.web import tables
from node.web.account_tables import token_hash

TAKE_PATH = "/take/"


@dataclass(frozen=True)
class Handed:
    voucher: Voucher
    link: str  # the full URL the customer opens


@dataclass(frozen=True)
class Sold:
    """A counter sale and its hand-over link (None: a customer has taken it already)."""

    voucher: Voucher
    sale: Sale
    link: str | None
    is_repeat: bool = False  # the same confirm form sent again: the sale it made, not a new one


def _fresh_number(node: Node) -> str:
    return fresh_number(node.rng)


def link_token(node: Node, voucher_id: str) -> str:
    """The hand-over link's secret for `voucher_id`: the same each time, unguessable without the
    node's key (32 URL-safe characters, as secrets.token_urlsafe(24) made before)."""
    key = bytes(node.identity.signing_key)
    digest = hmac.new(key, b"kippu handover link\0" + voucher_id.encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()[:24]).decode("ascii")


def _link(node: Node, token: str) -> str:
    return f"{node.config.node.public_url}{TAKE_PATH}{token}"


def _record(
    token: str, voucher_id: str, kind: str, giver: str | None, now: datetime
) -> Callable[[sqlite3.Connection], None]:
    def work(conn: sqlite3.Connection) -> None:
        tables.insert_handover(conn, token_hash(token), voucher_id, kind, giver, now)

    return work


async def sell(
    node: Node,
    face_yen: int,
    store_id: str,
    method: PaymentMethod,
    sold_by: str,
    request_key: str | None = None,
) -> Sold:
    """Issue a voucher paid at the counter of `store_id` (by `method`), with a link for the
    customer to take it. The confirm form's `request_key` sent again answers the same sale (with a
    fresh link while nobody has taken it): a double tap never sells twice."""
    now = node.clock.now()
    fresh = new_voucher(node.rng, now)
    issue_request = IssueRequest(
        voucher_id=fresh.voucher_id,
        secret=fresh.secret,
        face_yen=face_yen,
        price_yen=face_yen,
        holder_id=None,
        store_id=store_id,
        valid_days=None,
        txn_id=fresh.txn_id,
    )
    sell_it = operations.sell_at_counter(
        issue_request, method, sold_by, node.settings, now, lambda: _fresh_number(node), request_key
    )
    return await _with_link(node, sell_it, now)


async def sell_product(
    node: Node,
    product_id: str,
    store_id: str,
    method: PaymentMethod,
    sold_by: str,
    request_key: str | None = None,
) -> Sold:
    """Sell one voucher of a product (商品) at the counter: the product's terms, stock and checks
    (node/products/operations.py), the same counter sale record, key and hand-over link as `sell`."""
    now = node.clock.now()
    fresh = new_voucher(node.rng, now)
    sell_product_unit = product_operations.sell_at_counter(
        product_id,
        store_id,
        method,
        sold_by,
        node.settings,
        now,
        (fresh.voucher_id, fresh.secret, fresh.txn_id),
        lambda: _fresh_number(node),
        request_key,
    )

    def sell_it(conn: sqlite3.Connection) -> operations.CounterSale:
        made = sell_product_unit(conn)
        return operations.CounterSale(made.voucher, made.sale, made.is_repeat)

    return await _with_link(node, sell_it, now)


async def _with_link(
    node: Node, sell_it: Callable[[sqlite3.Connection], operations.CounterSale], now: datetime
) -> Sold:
    """Run a counter sale with its hand-over link: a new sale gets a link; a repeat, a fresh link
    while nobody has taken the voucher and the sale stands. No sale while an abolition is
    announced or open (refund.business_abolished)."""
    await refund_actions.require_selling(node)
    token = secrets.token_urlsafe(24)
    sell_unless_abolished = refund_operations.while_selling(now, sell_it)

    def work(conn: sqlite3.Connection) -> tuple[operations.CounterSale, bool]:
        made = sell_unless_abolished(conn)
        if not made.is_repeat:
            _record(token, made.voucher.voucher_id, "sale", None, now)(conn)
            return made, True
        is_open = not made.sale.is_cancelled and tables.renew_token(
            conn, made.voucher.voucher_id, token_hash(token)
        )
        return made, is_open

    made, has_link = await node.require_writer().submit(work)
    link = _link(node, token) if has_link else None
    return Sold(made.voucher, made.sale, link, made.is_repeat)


async def renew_link(node: Node, voucher_id: str) -> str:
    """A fresh link for a voucher still waiting for its customer (the hand-over QR shown again);
    the link shown before stops working, so only the QR on screen now hands the voucher over.
    LinkInvalid when the voucher was taken already or is no counter sale's (a gift's link is
    derived from its number, so renewing it would only break the link the giver sent)."""
    token = secrets.token_urlsafe(24)

    def work(conn: sqlite3.Connection) -> None:
        voucher = ledger_tables.load_voucher(conn, voucher_id)
        if voucher is not None and voucher.status == VoucherStatus.VOID:
            raise SaleCancelled()
        if not tables.renew_token(conn, voucher_id, token_hash(token)):
            raise LinkInvalid("This voucher has been received already; there is no link to show.")

    await node.require_writer().submit(work)
    return _link(node, token)


async def gift(node: Node, voucher_id: str, customer_id: str, amount_yen: int | None) -> Handed:
    """Move all or part of the customer's voucher into a gift voucher held by nobody yet."""
    now = node.clock.now()
    gift_request = GiftRequest(
        recipient_id=None,
        amount_yen=amount_yen,
        new_voucher_id=_fresh_number(node),
        new_secret=node.rng.token_bytes(SECRET_BYTES),
        txn_id=ordered_id(now, node.rng, "tx"),
    )
    give = operations.gift(
        voucher_id, gift_request, node.settings, now, lambda: _fresh_number(node)
    )

    def work(conn: sqlite3.Connection) -> Voucher:
        source = ledger_tables.load_voucher(conn, voucher_id)
        if source is None or source.holder_id != customer_id:
            raise VoucherNotFound()
        _, made = give(conn)
        _record(link_token(node, made.voucher_id), made.voucher_id, "gift", customer_id, now)(conn)
        return made

    made = await node.require_writer().submit(work)
    return Handed(made, _link(node, link_token(node, made.voucher_id)))


def take_back(
    gift_voucher_id: str, customer_id: str, now: datetime, txn_id: str
) -> Callable[[sqlite3.Connection], Voucher]:
    """The giver takes back a gift nobody received: the value returns exactly to the voucher it
    came from (a `gift_return` entry). In the writer, so whichever of this and a recipient's
    `take` comes first wins; the other is refused. Returns the giver's voucher after it."""

    def work(conn: sqlite3.Connection) -> Voucher:
        handover = tables.gift_handover(conn, gift_voucher_id)
        if handover is None or handover.from_customer != customer_id:
            raise VoucherNotFound()  # not a gift of this customer's: nothing to show
        if handover.taken_by is not None:
            raise GiftAlreadyReceived()
        source, _ = operations.return_gift(gift_voucher_id, now, txn_id)(conn)
        return source

    return work


async def shown_again(node: Node, voucher_id: str) -> str | None:
    """The link of an unclaimed hand-over, again; None if it was taken (or predates derived
    tokens: its stored hash is not the derived token's)."""
    token = link_token(node, voucher_id)
    pending = await web_queries.pending_handover(node.require_reader(), token_hash(token))
    return _link(node, token) if pending == voucher_id else None


def take(token: str, customer_id: str, now: datetime) -> Callable[[sqlite3.Connection], Voucher]:
    """The customer receives the voucher behind the link; a used or unknown link is LinkInvalid."""

    def work(conn: sqlite3.Connection) -> Voucher:
        handover = tables.open_handover(conn, token_hash(token))
        if handover is None:
            raise LinkInvalid("This voucher link is wrong or has been used already.")
        waiting = ledger_tables.load_voucher(conn, handover.voucher_id)
        if _is_cancelled_sale(handover.from_customer, waiting):
            raise SaleCancelled()
        if handover.from_customer == customer_id:
            raise GiftToHolder("This is your own gift; give the link to the recipient.")
        if waiting is not None and waiting.status == VoucherStatus.VOID:
            raise GiftReturned()
        tables.mark_taken(conn, token_hash(token), customer_id, now)
        voucher = operations.hand_over(handover.voucher_id, customer_id, now)(conn)
        if voucher is None:
            raise LinkInvalid("This voucher belongs to someone already.")
        return voucher

    return work


async def cancel_sale(
    node: Node, voucher_id: str, at_store: str | None, actor: str
) -> tuple[Sale, Voucher]:
    """Cancel a same-day counter sale (node.ledger.core.cancel_sale, with a product's stock given
    back: node.products.operations.cancel_sale); its hand-over link stops working, as the voucher
    behind it is void. `at_store`: the counter asking (None: head office)."""
    now = node.clock.now()
    return await node.require_writer().submit(
        product_operations.cancel_sale(
            voucher_id, at_store, actor, node.settings, now, ordered_id(now, node.rng, "tx")
        )
    )


def _is_cancelled_sale(giver: str | None, voucher: Voucher | None) -> bool:
    """A sale's voucher (no giver) is void only when its sale was cancelled (node.ledger.core)."""
    return giver is None and voucher is not None and voucher.status == VoucherStatus.VOID


async def giver_name(node: Node, token: str) -> str | None:
    """Who gave the gift behind a link, by the name the shop registered for them. None for a
    counter sale, and for a customer who signed up by email alone: their name is then only the
    part of their email before the @, which the recipient is not to learn."""
    giver_id = await web_queries.handover_giver(node.require_reader(), token_hash(token))
    giver = None if giver_id is None else await get_customer(node.require_reader(), giver_id)
    if giver is None:
        return None
    is_unnamed = giver.email is not None and giver.name == giver.email.split("@")[0]
    return None if is_unnamed else giver.name


class LinkState(StrEnum):
    """What a handover link's landing page says: receive it, or why it can no longer be."""

    PENDING = "pending"  # waiting for whoever opens it
    TAKEN = "taken"  # received by someone else
    MINE = "mine"  # received by the customer looking at it
    EXPIRED = "expired"  # a gift not received before its expiry
    WITHDRAWN = "withdrawn"  # taken back by the giver: no value left
    CANCELLED = "cancelled"  # the sale was cancelled at the store (refunded there)
    UNKNOWN = "unknown"  # no such link (mistyped, or removed)


@dataclass(frozen=True)
class LinkView:
    state: LinkState
    voucher: Voucher | None


async def link_view(node: Node, token: str, customer_id: str | None) -> LinkView:
    """The state of the link `token` as seen by `customer_id` (None: not signed in)."""
    found = await web_queries.handover_link(node.require_reader(), token_hash(token))
    if found is None:
        return LinkView(LinkState.UNKNOWN, None)
    voucher = await queries.get_voucher(node.require_reader(), found.voucher_id)
    if found.taken_by is not None:
        is_mine = customer_id is not None and found.taken_by == customer_id
        return LinkView(
            LinkState.MINE if is_mine else LinkState.TAKEN, voucher if is_mine else None
        )
    if voucher is not None and (
        voucher.status == VoucherStatus.EXPIRED or voucher.is_expired_at(node.clock.now())
    ):
        return LinkView(LinkState.EXPIRED, None)
    if voucher is None or voucher.status != VoucherStatus.ACTIVE or voucher.balance_yen <= 0:
        sale = await sale_queries.get_sale(node.require_reader(), found.voucher_id)
        if sale is not None and sale.is_cancelled:
            return LinkView(LinkState.CANCELLED, None)
        return LinkView(LinkState.WITHDRAWN, None)
    return LinkView(LinkState.PENDING, voucher)
