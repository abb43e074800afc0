"""What an admin does with partners, shared by the JSON API and the console: invite, join, add,
suspend/resume/remove, ping, and the partner list with its delivery state. (The exposure limit
is settlement's: node/settlement/actions.py.)"""

from __future__ import annotations

import asyncio
import secrets
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import aiohttp

from node.clock import new_id
from node.errors import (
    InviteExpired,
    JoinRefused,
    KippuError,
    PeerNotFound,
    ValidationError,
    known_codes,
)
from node.ledger.rows import from_epoch
from node.peering import core, operations, parked_tables, parking, queries, registration
from node.peering.messages import PingMessage
from node.peering.model import ParkedMessage, Peer, PeerStatus
from node.peering.outbound import enqueue
from node.peering.transport import Pending
from node.runtime import Node

DELIVERY_WAIT_S = 8.0
MAX_INVITE_HOURS = 24 * 30
STATUS_ACTIONS = ("suspend", "resume", "remove")


@dataclass(frozen=True)
class PartnerView:
    """A partner as an admin sees it: the registration, what still waits to reach it, and the
    message parked at the head of its channel, if the partner refused one for good."""

    peer: Peer
    queued_messages: int
    last_error: str | None
    parked: tuple[ParkedMessage, ...] = ()


async def _view(node: Node, peer: Peer) -> PartnerView:
    reader = node.require_reader()
    queue = await queries.queue_of(reader, peer.node_id)
    parked = await parked_tables.parked_of(reader, peer.node_id)
    return PartnerView(peer, queue.messages, queue.last_error, tuple(parked))


async def partner_view(node: Node, node_id: str) -> PartnerView:
    """One partner (removed ones too: its page still says what it was)."""
    peer = await queries.get_peer(node.require_reader(), node_id.strip().upper())
    if peer is None:
        raise PeerNotFound()
    return await _view(node, peer)


async def partner_views(node: Node) -> list[PartnerView]:
    """Every partner not removed, oldest first."""
    return [await _view(node, peer) for peer in await queries.current_peers(node.require_reader())]


async def _deliver_now(node: Node, peer_id: str) -> PartnerView:
    """Try to reach the partner at once, so the person waiting sees the outcome."""
    await node.require_outbox().deliver_within(peer_id, DELIVERY_WAIT_S)
    node.share_stores_soon()  # the partnership may have just become active
    return await partner_view(node, peer_id)


async def add_partner(
    node: Node, node_id: str, url: str, name: str | None, max_receivable_yen: int | None
) -> PartnerView:
    """The manual path (`kippu peer add`): register a partner by its node id and URL. Refused
    (RegistrationRequired) unless we are a registered 第三者型 issuer or it is a related company."""
    registration.require_may_accept(node.config.issuer, node_id)
    work = operations.add_peer(
        node.me, node_id, url, name, max_receivable_yen, node.now_s(), new_id(node.rng, "msg")
    )
    peer = await node.require_writer().submit(work)
    return await _deliver_now(node, peer.node_id)


async def make_invite(node: Node, hours: int) -> tuple[str, datetime]:
    """A one-time invitation valid for `hours`; only its secret's hash is kept here. Anyone may
    join with it, so only a registered 第三者型 issuer may invite (RegistrationRequired)."""
    registration.require_may_invite(node.config.issuer)
    if not 1 <= hours <= MAX_INVITE_HOURS:
        raise ValidationError(
            f"`valid_hours` must be 1..{MAX_INVITE_HOURS}.",
            field="valid_hours",
            maximum=MAX_INVITE_HOURS,
        )
    expires = node.clock.now() + timedelta(hours=hours)
    invite = core.Invite(
        url=node.config.node.public_url,
        node_id=node.identity.node_id,
        name=node.config.node.name,
        invite_id=new_id(node.rng, "inv"),
        secret=secrets.token_bytes(16),
        expires=int(expires.timestamp()),
    )
    await node.require_writer().submit(
        operations.create_invite(invite.invite_id, invite.secret, node.now_s(), invite.expires)
    )
    return core.encode_invite(invite), from_epoch(invite.expires)


async def join_partner(node: Node, invite_text: str) -> PartnerView:
    """Accept a partner's invitation: send it our signed join at once, and register it only if
    it accepts (or cannot be reached: then the join waits in the outbox, and the view says so).
    A refusal for good (a used or expired invitation...) registers nothing: JoinRefused."""
    invite = core.decode_invite(invite_text)
    if invite.expires <= node.now_s():
        raise InviteExpired()
    registration.require_may_accept(node.config.issuer, invite.node_id)
    now_s, outbox = node.now_s(), node.require_outbox()
    jitter = node.rng.token_bytes(1)[0] / 256
    async with outbox.channel_lock(invite.node_id):
        signed = await node.require_writer().submit(
            operations.sign_join(node.me, invite, now_s, new_id(node.rng, "msg"))
        )
        header = signed.header
        pending = Pending(
            signed.peer_id, invite.url, header.seq, header.msg_id, "join", signed.envelope
        )
        outcome: Callable[[sqlite3.Connection], None]
        try:
            answer = await asyncio.wait_for(outbox.post_alone(pending), DELIVERY_WAIT_S)
        except (aiohttp.ClientError, TimeoutError, OSError, KippuError) as exc:
            answer = exc if isinstance(exc, KippuError) else KippuError(type(exc).__name__)
        if isinstance(answer, KippuError):  # no answer we can trust: retried from the outbox
            reason = answer.code if answer.code != KippuError.code else answer.message
            outcome = operations.record_failure(signed.peer_id, header.seq, reason, now_s, jitter)
        else:
            reply, reply_raw = answer
            if not reply.ok and core.is_permanent_refusal(reply.code):
                # Its code is one of ours (every permanent one is), so our words say why; its
                # own text goes along, marked as the partner's and made safe to print.
                reason = (known_codes()[reply.code].__doc__ or reply.code).split("\n\n")[0]
                raise JoinRefused(
                    f"The partner refused the join ({reply.code}): {' '.join(reason.split())}",
                    partner_code=reply.code,
                    partner_message=core.partner_text(reply.message),
                )
            outcome = operations.record_reply(
                node.me.hooks, signed.peer_id, header.seq, "join", reply, reply_raw, now_s, jitter
            )
        peer = await node.require_writer().submit(
            operations.store_join(node.me.hooks, invite, signed, now_s, outcome)
        )
    node.share_stores_soon()  # the partnership may have just become active
    return await partner_view(node, peer.node_id)


async def change_partner_status(node: Node, node_id: str, action: str) -> PartnerView:
    """Suspend, resume or remove a partner here (a signed note in the settlement log)."""
    if action not in STATUS_ACTIONS:
        raise ValidationError(f"Unknown action {action!r}.")
    if action == "resume":  # a resumed partner accepts our vouchers again
        registration.require_may_accept(node.config.issuer, node_id)
    peer = await node.require_writer().submit(
        operations.change_status(node.me, node_id, action, node.now_s())
    )
    if action == "resume":
        node.require_outbox().wake()
        node.share_stores_soon()
    return await _view(node, peer)


async def ping_partner(node: Node, node_id: str) -> PartnerView:
    """Send an active partner a ping and wait briefly for its answer."""
    peer = (await partner_view(node, node_id)).peer
    # Only register and join may wait in the channel of a partnership that is not active.
    core.require_status(peer, frozenset({PeerStatus.ACTIVE}))
    msg_id = new_id(node.rng, "msg")
    now_s = node.now_s()
    await node.require_writer().submit(
        lambda conn: enqueue(conn, node.me, peer.node_id, PingMessage(""), now_s, msg_id)
    )
    return await _deliver_now(node, peer.node_id)


async def resign_parked(node: Node, node_id: str, seq: int) -> PartnerView:
    """Re-sign the parked message (and what is queued after it) with a fresh window; send now."""
    peer = (await partner_view(node, node_id)).peer
    await node.require_writer().submit(parking.resign(node.me, peer.node_id, seq, node.now_s()))
    return await _deliver_now(node, peer.node_id)


async def drop_parked(node: Node, node_id: str, seq: int) -> PartnerView:
    """Drop a parked registration: never sent again; its position goes to the next message."""
    peer = (await partner_view(node, node_id)).peer
    await node.require_writer().submit(parking.drop(node.me, peer.node_id, seq, node.now_s()))
    node.require_outbox().wake()
    return await partner_view(node, peer.node_id)


async def rewind_channel(node: Node, node_id: str, from_seq: int) -> PartnerView:
    """Send the channel again from `from_seq`, with the bytes already signed; send now."""
    peer = (await partner_view(node, node_id)).peer
    await node.require_writer().submit(parking.rewind(peer.node_id, from_seq, node.now_s()))
    return await _deliver_now(node, peer.node_id)
