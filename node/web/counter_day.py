"""The counter's day (本日の利用): this store's redemptions, partner claims and sales with the
day's totals per payment method (node/web/day_close.py), and voiding a redemption.

A redemption of our own voucher is voided in the ledger at once. A partner's voucher was a claim
to its issuer, so voiding it asks the issuer, who gives the value back to its customer; until the
issuer answers the void is shown as pending.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from aiohttp import web

from node.clock import ordered_id
from node.errors import Forbidden
from node.ledger import operations, queries, sale_queries
from node.ledger.model import Redemption, Sale
from node.ledger.rows import from_epoch
from node.reads import Reader
from node.runtime import Node
from node.settlement import queries as settlement_queries
from node.settlement.actions import void_partner_claim
from node.settlement.model import Claim, ClaimStatus
from node.settlement.model import Role as ClaimRole
from node.web import day_close
from node.web.counter import Counter, masked, require_counter, staff_page
from node.web.guard import read_form, requires
from node.web.model import Role, Session

MAX_LINES = 200
ALL_LATER = 2**62  # "since": no end


@dataclass(frozen=True)
class CounterLine:
    """One line of the day: our voucher's redemption (rd_) or a partner voucher's claim (cl_)."""

    ref: str
    created_at: datetime
    amount_yen: int
    receipt_no: str | None
    voucher: str  # masked
    issuer: str | None  # the partner's name; None for our own vouchers
    state: str  # done, voided, pending, rejected, void_pending; sale, sale_cancelled
    method: str | None = None  # a sale's payment method

    @property
    def is_voidable(self) -> bool:
        return self.state == "done"


def _claim_state(status: ClaimStatus, void_requested: bool) -> str:
    """Only an accepted claim not yet in a statement can still be voided ("done")."""
    if status == ClaimStatus.ACCEPTED:
        return "void_pending" if void_requested else "done"
    return {
        ClaimStatus.CLAIMED: "pending",
        ClaimStatus.REJECTED: "rejected",
        ClaimStatus.VOIDED: "voided",
    }.get(status, "settled")


async def day_at_store(reader: Reader, store_id: str, since_s: int) -> list[CounterLine]:
    """Since `since_s` (the local midnight), newest first; claims still pending from before too."""
    own = await queries.redemptions_at_store(reader, store_id, since_s, MAX_LINES)
    partner = await settlement_queries.claims_at_store(reader, store_id, since_s, MAX_LINES)
    names = await settlement_queries.peer_names(reader)
    sales = await sale_queries.sales_between(reader, store_id, since_s, ALL_LATER, MAX_LINES)
    lines = [_own_line(redemption) for redemption in own]
    lines += [_partner_line(claim, names) for claim in partner]
    lines += [_sale_line(sale) for sale in sales]
    lines.sort(key=lambda line: line.created_at, reverse=True)
    return lines[:MAX_LINES]


def _own_line(r: Redemption) -> CounterLine:
    state = "voided" if r.voided_at else "done"
    return CounterLine(
        r.redemption_id, r.created_at, r.amount_yen, r.receipt_no, masked(r.voucher_id), None, state
    )


def _sale_line(s: Sale) -> CounterLine:
    state = "sale_cancelled" if s.is_cancelled else "sale"
    return CounterLine(
        s.voucher_id,
        s.created_at,
        s.price_yen,
        None,
        masked(s.voucher_id),
        None,
        state,
        str(s.payment_method),
    )


def _partner_line(c: Claim, names: dict[str, str]) -> CounterLine:
    return CounterLine(
        c.claim_id,
        from_epoch(c.created_at),
        c.amount_yen,
        c.receipt_no,
        masked(c.voucher_id),
        names.get(c.peer, c.peer[:8]),
        _claim_state(c.status, c.void_requested_at is not None),
    )


@requires(Role.STAFF)
async def today(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    counter = await require_counter(node, session)
    local = node.clock.now().astimezone(node.config.zone)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    lines = await day_at_store(node.require_reader(), counter.store_id, int(midnight.timestamp()))
    totals = await day_close.load_day(
        node.require_reader(), counter.store_id, midnight.date(), node.config.zone
    )
    return staff_page(
        request, node, session, "staff_today.html", counter=counter, lines=lines, close=totals
    )


@requires(Role.STAFF)
async def void(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    counter = await require_counter(node, session)
    ref = (await read_form(request)).get("redemption_id", "")
    if ref.startswith("cl_"):
        return await _void_claim(request, node, counter, ref)
    found = await queries.get_redemption(node.require_reader(), ref)
    if found is None or found.store_id != counter.store_id:
        raise Forbidden("Only a redemption made at your store can be voided here.")
    now = node.clock.now()
    redemption, voucher = await node.require_writer().submit(
        operations.void_redemption(ref, node.settings, now, ordered_id(now, node.rng, "tx"))
    )
    return staff_page(
        request,
        node,
        session,
        "staff_voided.html",
        counter=counter,
        amount=redemption.amount_yen,
        receipt_no=redemption.receipt_no,
        balance=voucher.balance_yen,
        outcome="voided",
    )


async def _void_claim(
    request: web.Request, node: Node, counter: Counter, claim_id: str
) -> web.Response:
    mine = await settlement_queries.own_claim(node.require_reader(), claim_id)
    if mine.role != ClaimRole.REDEEMER or mine.store_id != counter.store_id:
        raise Forbidden("Only a redemption made at your store can be voided here.")
    claim = await void_partner_claim(node, claim_id)
    return staff_page(
        request,
        node,
        counter.session,
        "staff_voided.html",
        counter=counter,
        amount=claim.amount_yen,
        receipt_no=claim.receipt_no,
        balance=None,
        outcome="voided" if claim.status == ClaimStatus.VOIDED else "void_pending",
    )


def routes() -> list[web.RouteDef]:
    return [web.get("/staff/today", today), web.post("/staff/void", void)]
