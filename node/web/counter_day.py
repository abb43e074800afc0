"""The counter's day (本日の利用): this store's redemptions, partner claims and sales, each
redemption with any rest paid another way, and the day's totals per payment method
(node/web/day_close.py); a line's 取り消す leads to the void's confirm step (counter_void.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from aiohttp import web

from node.ledger import queries, sale_queries, tender_tables
from node.ledger.model import Redemption, Sale
from node.ledger.rows import from_epoch
from node.reads import Reader
from node.runtime import Node
from node.settlement import queries as settlement_queries
from node.settlement.model import Claim, ClaimStatus
from node.web import day_close
from node.web.counter import masked, require_counter, staff_page
from node.web.guard import requires
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
    state: str  # done, voided, pending, rejected, void_pending; sale, sale_received, sale_cancelled
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
    own = await queries.redemptions_at_store(reader, store_id, since_s, ALL_LATER, MAX_LINES)
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
    state = "sale_cancelled" if s.is_cancelled else "sale_received" if s.is_received else "sale"
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
    reader = node.require_reader()
    lines = await day_at_store(reader, counter.store_id, int(midnight.timestamp()))
    rests = await tender_tables.rests_of(reader, [line.ref for line in lines])
    totals = await day_close.load_day(reader, counter.store_id, midnight.date(), node.config.zone)
    return staff_page(
        request,
        node,
        session,
        "staff_today.html",
        counter=counter,
        lines=lines,
        rests=rests,
        close=totals,
    )


def routes() -> list[web.RouteDef]:
    return [web.get("/staff/today", today)]
