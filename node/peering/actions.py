"""What an admin does with partners, shared by the JSON API and the console: invite, join, add,
suspend/resume/remove, ping, and the partner list with its delivery state. (The exposure limit
is settlement's: node/settlement/actions.py.)"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from node.app import Node
from node.clock import new_id
from node.errors import InviteExpired, PeerNotFound, ValidationError
from node.ledger.rows import from_epoch
from node.peering import core, operations
from node.peering.model import Peer, PeerStatus
from node.peering.outbound import enqueue
from node.peering.store import PEER_COLUMNS, peer_from_row

DELIVERY_WAIT_S = 8.0
MAX_INVITE_HOURS = 24 * 30
STATUS_ACTIONS = ("suspend", "resume", "remove")


@dataclass(frozen=True)
class PartnerView:
    """A partner as an admin sees it: the registration and what still waits to reach it."""

    peer: Peer
    queued_messages: int
    last_error: str | None


async def _view(node: Node, peer: Peer) -> PartnerView:
    rows = list(
        await node.require_reader().execute_fetchall(
            "SELECT count(*), max(last_error) FROM deliveries"
            " WHERE peer = ? AND delivered_at IS NULL",
            (peer.node_id,),
        )
    )
    queued, last_error = rows[0] if rows else (0, None)
    return PartnerView(peer, int(queued), None if last_error is None else str(last_error))


async def partner_view(node: Node, node_id: str) -> PartnerView:
    """One partner (removed ones too: its page still says what it was)."""
    rows = list(
        await node.require_reader().execute_fetchall(
            f"SELECT {PEER_COLUMNS} FROM peers WHERE node_id = ?",  # noqa: S608
            (node_id.strip().upper(),),
        )
    )
    if not rows:
        raise PeerNotFound()
    return await _view(node, peer_from_row(rows[0]))


async def partner_views(node: Node) -> list[PartnerView]:
    """Every partner not removed, oldest first."""
    rows = await node.require_reader().execute_fetchall(
        f"SELECT {PEER_COLUMNS} FROM peers WHERE status != 'removed'"  # noqa: S608
        " ORDER BY created_at, node_id"
    )
    return [await _view(node, peer_from_row(row)) for row in rows]


async def _deliver_now(node: Node, peer_id: str) -> PartnerView:
    """Try to reach the partner at once, so the person waiting sees the outcome."""
    await node.require_outbox().deliver_within(peer_id, DELIVERY_WAIT_S)
    node.share_stores_soon()  # the partnership may have just become active
    return await partner_view(node, peer_id)


async def add_partner(
    node: Node, node_id: str, url: str, name: str | None, max_receivable_yen: int | None
) -> PartnerView:
    """The manual path (`kippu peer add`): register a partner by its node id and URL."""
    work = operations.add_peer(
        node.me, node_id, url, name, max_receivable_yen, node.now_s(), new_id(node.rng, "msg")
    )
    peer = await node.require_writer().submit(work)
    return await _deliver_now(node, peer.node_id)


async def make_invite(node: Node, hours: int) -> tuple[str, datetime]:
    """A one-time invitation valid for `hours`; only its secret's hash is kept here."""
    if not 1 <= hours <= MAX_INVITE_HOURS:
        raise ValidationError(f"`valid_hours` must be 1..{MAX_INVITE_HOURS}.", field="valid_hours")
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
    """Accept a partner's invitation: register it and send it our signed join at once."""
    invite = core.decode_invite(invite_text)
    if invite.expires <= node.now_s():
        raise InviteExpired()
    peer = await node.require_writer().submit(
        operations.join(node.me, invite, node.now_s(), new_id(node.rng, "msg"))
    )
    return await _deliver_now(node, peer.node_id)


async def change_partner_status(node: Node, node_id: str, action: str) -> PartnerView:
    """Suspend, resume or remove a partner here (a signed note in the settlement log)."""
    if action not in STATUS_ACTIONS:
        raise ValidationError(f"Unknown action {action!r}.")
    peer = await node.require_writer().submit(
        operations.change_status(node.identity, node_id, action, node.now_s())
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
        lambda conn: enqueue(conn, node.identity, peer.node_id, "ping", {"note": ""}, now_s, msg_id)
    )
    return await _deliver_now(node, peer.node_id)
