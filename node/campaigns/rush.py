"""First-come grants in a rush (先着の殺到): the waiting room, the bulk batcher and the grant batch,
wired to a running node.

A grant asked for goes into the campaign's waiting room (node/admission/rooms.py). Within the
room's bound it is decided now: gathered with the campaign's other grants into one writer unit on
the writer's bulk lane (node/admission/batching.py, rush_operations.grant_batch), so the counter's
redemptions are served first. Beyond the bound it gets a ticket and its place in line, and the
line moves by itself. Once a durable grant took the last of the stock, everyone waiting and
everyone arriving is answered `campaign.sold_out` without the writer.

Every surface asks through here (the admin API's grant, the wallet): `ask` answers the grant, a
refusal raised, or a ticket; `poll` answers a ticket's decision or its new place.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from node.admission.batching import Budget, BulkBatcher
from node.admission.rooms import Admitted, Decided, LineFull, Pacing, SoldOut, WaitingRooms
from node.campaigns import actions, core, operations, queries, rush_operations
from node.campaigns.grant_keys import GrantKey
from node.campaigns.rush_operations import Granted, Outcome
from node.clock import Randomness, ordered_id
from node.errors import (
    CampaignBusy,
    CampaignSoldOut,
    CampaignTicketUnknown,
    KippuError,
    MunicipalCampaignNotFound,
)
from node.ledger.fresh import fresh_number, new_voucher
from node.runtime import NODE, Node

# How long an admitted request's caller is kept waiting for its decision before it is given its
# ticket instead (a slow disk must not hold thousands of connections open).
HOLD_S = 2.0
# Grants one writer unit decides at most: with the writer's one bulk unit a batch (`max_bulk`),
# this bounds the batch a counter's redemption may find in the writer when it arrives. Measured
# (docs/performance.md, bench/rush.py): 32 a unit and two units a batch kept the counters' p99
# at 85-120 ms above demand; 24 and one, 28-52 ms, for about a tenth of the grants.
GRANTS_PER_UNIT = 24
# How long one unit may decide grants before it hands the rest back (they go out again first):
# with the writer's one bulk unit to a batch, this bounds a batch however slow the machine is
# at the moment; and while a counter's redemption is in the batch or queued for the next, only
# BESIDE_COUNTER_S, so that a redemption waits for a few grants, not a unit's worth.
UNIT_BUDGET_S = 0.020
BESIDE_COUNTER_S = 0.002
# A campaign's units in the writer at once: the writer's batch takes one of them, so a few more
# keep the bulk lane fed while a batch commits.
UNITS_IN_FLIGHT = 4
# Random bytes drawn from the node's randomness at a time (the loop's ids and secrets for a
# rush's grants: eight draws a grant would be eight system calls).
DRAW_BYTES = 16_384


class DrawnAhead:
    """The node's randomness drawn in blocks, for the event loop only (not thread-safe): the
    same bytes, fewer system calls. Bytes handed out are never handed out again."""

    def __init__(self, source: Randomness, block: int = DRAW_BYTES) -> None:
        self._source = source
        self._block = block
        self._bytes = b""
        self._at = 0

    def token_bytes(self, count: int) -> bytes:
        if self._at + count > len(self._bytes):
            self._bytes = self._source.token_bytes(max(self._block, count))
            self._at = 0
        start, self._at = self._at, self._at + count
        return self._bytes[start : self._at]


@dataclass(frozen=True)
class Ask:
    """Who asks, for whom: what the room holds until the grant is decided (the ids a grant needs
    are drawn only when it goes to the writer)."""

    customer_id: str
    actor: str
    key: GrantKey | None = None


@dataclass(frozen=True)
class Reply:
    """The grant made (`is_queued` false, HTTP 201) or a ticket and its place (true, 202)."""

    is_queued: bool
    body: dict[str, Any]


class GrantRush:
    """One per running node: every campaign's room and batcher."""

    def __init__(
        self, node: Node, pacing: Pacing | None = None, grants_per_unit: int = GRANTS_PER_UNIT
    ) -> None:
        self._node = node
        self._rng = DrawnAhead(node.rng)
        self.rooms: WaitingRooms[Ask, Granted] = WaitingRooms(
            self._decide, node.clock, self._rng, pacing
        )
        self.batcher: BulkBatcher[Ask, Granted] = BulkBatcher(
            node.require_writer(),
            self._unit_for,
            max_size=grants_per_unit,
            max_units_in_flight=UNITS_IN_FLIGHT,
            refuse_early=self._refuse_early,
        )
        self._budget = Budget(UNIT_BUDGET_S, BESIDE_COUNTER_S, node.require_writer().counter_waits)
        # Vouchers one grant of each campaign seen issues (core.coupon_plan; its terms never
        # change): a rush reads the campaign once, not once per request, and draws no spare ids.
        self._coupon_counts: dict[str, int] = {}

    def refuse_if_sold_out(self, campaign_id: str) -> None:
        """Raise `campaign.sold_out` now if the campaign is known to have nothing left."""
        if self.rooms.is_sold_out(campaign_id):
            raise CampaignSoldOut()

    async def ask(
        self, campaign_id: str, customer_id: str, actor: str, key: GrantKey | None = None
    ) -> Reply:
        """One grant asked for `customer_id`: made, refused (raised), or a ticket. A keyed ask
        holds its own place (one per person and key): the office's second grant to a person
        under another key is a grant of its own, not the first one's ticket."""
        self.refuse_if_sold_out(campaign_id)
        await self._require_campaign(campaign_id)
        owner = customer_id if key is None else f"{customer_id} {key.key}"
        arrival = self.rooms.arrive(campaign_id, owner, Ask(customer_id, actor, key))
        if isinstance(arrival, SoldOut):
            raise CampaignSoldOut()
        if isinstance(arrival, LineFull):
            raise CampaignBusy(retry_after_ms=arrival.retry_after_ms)
        if not isinstance(arrival, Admitted):
            return _queued(campaign_id, arrival.ticket, arrival.position, arrival.retry_after_ms)
        if not await _decided_within(arrival.decision, HOLD_S):
            self.rooms.hand_out(arrival.ticket)
            retry_ms = self.rooms.pacing.retry_after_ms(0)
            return _queued(campaign_id, arrival.ticket, 0, retry_ms)
        self.rooms.forget(arrival.ticket)  # its answer is the grant, or the refusal raised
        return Reply(False, actions.grant_answer(arrival.decision.result().grant))

    def poll(self, campaign_id: str, ticket: str, customer_id: str | None) -> Reply:
        """A ticket's decision once made (the grant, or its refusal raised), else its place.
        `customer_id`: the resident polling their own ticket; None for the office."""
        answer = self.rooms.poll(campaign_id, ticket, customer_id)
        if answer is None:
            raise CampaignTicketUnknown()
        if isinstance(answer, SoldOut):
            raise CampaignSoldOut()
        if isinstance(answer, Decided):
            return Reply(False, actions.grant_answer(answer.decision.result().grant))
        return _queued(campaign_id, answer.ticket, answer.position, answer.retry_after_ms)

    async def close(self) -> None:
        await self.rooms.close()
        await self.batcher.close()

    async def _require_campaign(self, campaign_id: str) -> None:
        if campaign_id in self._coupon_counts:
            return
        campaign = await queries.campaign(self._node.require_reader(), campaign_id)
        if campaign is None:
            raise MunicipalCampaignNotFound()
        self._coupon_counts[campaign_id] = len(core.coupon_plan(campaign))

    def _decide(self, campaign_id: str, ask: Ask) -> asyncio.Future[Granted]:
        decision = self.batcher.decide_soon(campaign_id, ask)
        # Before the room's own callback (callbacks run in the order added): the room learns the
        # stock is gone before it admits anyone else from its line.
        decision.add_done_callback(lambda _: self._learn_sold_out(campaign_id, decision))
        return decision

    def _learn_sold_out(self, campaign_id: str, decision: asyncio.Future[Granted]) -> None:
        if decision.cancelled():
            return
        refused = decision.exception()
        if isinstance(refused, CampaignSoldOut) or (
            refused is None and rush_operations.shows_sold_out(decision.result())
        ):
            self.rooms.mark_sold_out(campaign_id)

    def _refuse_early(self, campaign_id: str) -> Exception | None:
        return CampaignSoldOut() if self.rooms.is_sold_out(campaign_id) else None

    def _unit_for(
        self, campaign_id: str, asks: Sequence[Ask]
    ) -> Callable[[sqlite3.Connection], list[Outcome]]:
        node, now = self._node, self._node.clock.now()
        coupons = self._coupon_counts[campaign_id]  # known: every ask came through ask()
        requests = [
            operations.GrantRequest(
                campaign_id=campaign_id,
                customer_id=ask.customer_id,
                actor=ask.actor,
                grant_id=ordered_id(now, self._rng, "gr"),
                vouchers=[new_voucher(self._rng, now) for _ in range(coupons)],
                key=ask.key,
            )
            for ask in asks
        ]
        return rush_operations.grant_batch(
            campaign_id,
            requests,
            node.settings,
            now,
            lambda: fresh_number(node.rng),
            self._budget,
        )


async def _decided_within(decision: asyncio.Future[Granted], seconds: float) -> bool:
    """Whether `decision` is made within `seconds`. Waiting never cancels it (a grant in the
    writer commits either way); cancelling the waiter leaves it be. One future and one timer a
    request: asyncio.wait_for around asyncio.shield made three futures and a hop more, which a
    rush pays thousands of times a second on the loop the counters share."""
    if decision.done():
        return True
    loop = asyncio.get_running_loop()
    waiter: asyncio.Future[None] = loop.create_future()

    def wake(_: object = None) -> None:
        if not waiter.done():
            waiter.set_result(None)

    decision.add_done_callback(wake)
    timer = loop.call_later(seconds, wake)
    try:
        await waiter
    except asyncio.CancelledError:
        decision.add_done_callback(_seen)  # nobody hears a refusal now: not logged as unheard
        raise
    finally:
        timer.cancel()
        decision.remove_done_callback(wake)
    return decision.done()


def _seen(decision: asyncio.Future[Granted]) -> None:
    if not decision.cancelled():
        decision.exception()


def _queued(campaign_id: str, ticket: str, position: int, retry_after_ms: int) -> Reply:
    body = {
        "campaign_id": campaign_id,
        "ticket": ticket,
        "position": position,
        "retry_after_ms": retry_after_ms,
    }
    return Reply(True, body)


@dataclass
class RushSlot:
    """The node's GrantRush while it serves (set by `install`'s context), None otherwise."""

    rush: GrantRush | None = None

    def require(self) -> GrantRush:
        if self.rush is None:
            raise KippuError("the node is not started")
        return self.rush


RUSH = web.AppKey("campaign_rush", RushSlot)


def install(app: web.Application) -> None:
    """Before the app starts: the rush's slot and its life (after the writer's)."""
    app[RUSH] = RushSlot()
    app.cleanup_ctx.append(_rush_ctx)


async def _rush_ctx(app: web.Application) -> AsyncIterator[None]:
    rush = GrantRush(app[NODE])
    app[RUSH].rush = rush
    try:
        yield
    finally:
        app[RUSH].rush = None
        await rush.close()
