"""What an admin does in settlement (propose, pay, confirm, reconcile, resolve, limits, voids):
one implementation behind both the JSON API and the console's pages."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from node.clock import new_id, ordered_id
from node.errors import InvalidAmount, ValidationError, VoidNotAllowed
from node.http.input import MAX_AMOUNT_YEN, MAX_TEXT_CHARS
from node.peering import tables as peer_tables
from node.peering.model import PeerStatus
from node.runtime import Node
from node.settlement import claims, queries, statements
from node.settlement.model import Claim, ClaimStatus, Role
from node.settlement.reconcile import reconcile, resolve
from node.text import require_printable

# How long the admin (or staff at the counter) waits for the partner's answer before the page
# or the API says "pending"; the outbox keeps retrying after that.
DECISION_WAIT_S = 5.0
MAX_REFERENCE_CHARS = MAX_TEXT_CHARS  # as the JSON API reads any text field


def _partner_id(text: str) -> str:
    return text.strip().upper()


@dataclass(frozen=True)
class ClaimFilter:
    """Which claims a list shows; None means any."""

    peer: str | None = None
    status: ClaimStatus | None = None
    role: Role | None = None


def claim_filter(peer: str | None, status: str | None, role: str | None) -> ClaimFilter:
    """The list's filters as typed, checked values; None means any (an empty text is refused)."""
    statuses = {str(s) for s in ClaimStatus}
    if status is not None and status.upper() not in statuses:
        raise ValidationError(f"`status` must be one of {', '.join(sorted(statuses))}.")
    if role is not None and role not in {str(r) for r in Role}:
        raise ValidationError("`role` must be issuer or redeemer.", field="role")
    return ClaimFilter(
        _partner_id(peer) if peer else None,
        ClaimStatus(status.upper()) if status is not None else None,
        Role(role) if role is not None else None,
    )


async def find_claims(node: Node, wanted: ClaimFilter) -> list[Claim]:
    """The newest claims that match, at most queries.MAX_ROWS."""
    return await queries.list_claims(
        node.require_reader(),
        wanted.peer,
        str(wanted.status) if wanted.status else None,
        str(wanted.role) if wanted.role else None,
    )


async def propose_statement(node: Node, peer_id: str, cutoff_s: int | None) -> str:
    """Propose the next statement with a partner up to `cutoff_s` (default: now); its id.

    The partner's answer (agreed or disputed) is waited for briefly; it may come later."""
    peer = _partner_id(peer_id)
    now = node.clock.now()
    # The last whole second: a claim decided later in the current second could not be in the
    # proposal, yet the partner would count it.
    cutoff = int(now.timestamp()) - 1 if cutoff_s is None else cutoff_s
    msg_id = new_id(node.rng, "msg")
    statement_id = await node.require_writer().submit(
        statements.propose(
            node.me,
            peer,
            cutoff,
            ordered_id(now, node.rng, "st"),
            int(now.timestamp()),
            msg_id,
        )
    )
    await node.require_outbox().send_and_wait(peer, msg_id, DECISION_WAIT_S)
    return statement_id


def payment_reference(text: str) -> str:
    """The bank transfer's reference as recorded: trimmed, non-empty, printable, limited."""
    cleaned = text.strip()
    if not cleaned:
        raise ValidationError("The bank transfer's reference is required.", field="reference")
    if len(cleaned) > MAX_REFERENCE_CHARS:
        raise ValidationError(
            f"The reference must be at most {MAX_REFERENCE_CHARS} characters.", field="reference"
        )
    return require_printable(cleaned, "reference")


async def pay_statement(node: Node, statement_id: str, reference: str) -> None:
    """We are the payer: record the bank transfer of the agreed statement and tell the payee."""
    checked = payment_reference(reference)
    msg_id = new_id(node.rng, "msg")
    payee = await node.require_writer().submit(
        statements.pay(node.me, statement_id, checked, node.now_s(), msg_id)
    )
    await node.require_outbox().send_and_wait(payee, msg_id, DECISION_WAIT_S)


async def confirm_payment(node: Node, statement_id: str) -> None:
    """We are the payee and the money arrived: clear the statement and tell the payer."""
    msg_id = new_id(node.rng, "msg")
    payer = await node.require_writer().submit(
        statements.confirm(node.me, statement_id, node.now_s(), msg_id)
    )
    await node.require_outbox().send_and_wait(payer, msg_id, DECISION_WAIT_S)


async def reconcile_partner(node: Node, peer_id: str) -> dict[str, Any]:
    """Deliver what is queued for the partner, then list the breaks it reported and what became
    of each (claims that stay different are marked DISPUTED)."""
    peer = _partner_id(peer_id)
    await node.require_outbox().deliver_within(peer, DECISION_WAIT_S)
    return await node.require_writer().submit(reconcile(peer))


async def resolve_claim(node: Node, claim_id: str, peer_id: str | None) -> Claim:
    """A disputed claim the two admins settled by hand goes back into the statement cycle."""
    peer = _partner_id(peer_id) if peer_id and peer_id.strip() else None
    return await node.require_writer().submit(resolve(peer, claim_id))


async def set_partner_limit(node: Node, node_id: str, limit_yen: int | None) -> dict[str, Any]:
    """The most a partner may owe us (net, pending claims included) before we refuse its
    vouchers; None removes the limit. Returns the partner's balances entry."""
    if limit_yen is not None and not 0 <= limit_yen <= MAX_AMOUNT_YEN:
        raise InvalidAmount(
            f"The limit must be between 0 and {MAX_AMOUNT_YEN} yen.", field="max_receivable"
        )
    peer = _partner_id(node_id)
    now_s = node.now_s()

    def work(conn: sqlite3.Connection) -> None:
        if peer_tables.require_peer(conn, peer).status == PeerStatus.REMOVED:
            raise ValidationError("The partner has been removed.")  # before anything changes
        peer_tables.update_peer(conn, peer, now_s, max_receivable_yen=limit_yen)

    await node.require_writer().submit(work)
    for entry in await queries.balances(node.require_reader()):
        if entry["peer"] == peer:
            return entry
    raise ValidationError("The partner has been removed.")


async def void_partner_claim(node: Node, claim_id: str) -> Claim:
    """Void a redemption of a partner's voucher made at our store: the issuer gives the value
    back. Returns the claim, VOIDED or (the issuer not yet answering) with the void pending."""
    msg_id = new_id(node.rng, "msg")
    claim, queued = await node.require_writer().submit(
        claims.request_void(node.me, claim_id, node.now_s(), msg_id)
    )
    if queued:
        await node.require_outbox().send_and_wait(claim.peer, msg_id, DECISION_WAIT_S)
    found = await queries.own_claim(node.require_reader(), claim_id)
    if found.status != ClaimStatus.VOIDED and found.void_requested_at is None:
        raise VoidNotAllowed(
            f"The issuer refused the void: {found.reason}", reason=found.reason_code
        )
    return found
