"""Reconciliation (照合): the breaks the partner reported against our last proposals, what became
of each, and the claims that stay different marked DISPUTED (they leave the statement cycle until
the two companies settle them by hand)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from node.errors import ClaimNotFound, ValidationError
from node.peering import tables as peer_tables
from node.settlement import tables as settlement_tables
from node.settlement.model import BreakKind, Claim, ClaimStatus, Role

CLAIM_BREAKS = frozenset(
    {BreakKind.MISSING_HERE, BreakKind.MISSING_THERE, BreakKind.AMOUNT, BreakKind.ISSUER}
)


def reconcile(peer_id: str) -> Callable[[sqlite3.Connection], dict[str, Any]]:
    def work(conn: sqlite3.Connection) -> dict[str, Any]:
        peer = peer_tables.require_peer(conn, peer_id.strip().upper())
        breaks = []
        for statement in settlement_tables.disputed_since_last_agreed(conn, peer.node_id):
            for item in json.loads(statement.breaks or "[]"):
                resolution = _resolve(conn, peer.node_id, item)
                breaks.append(
                    {**item, "statement_id": statement.statement_id, "resolution": resolution}
                )
        in_flight = settlement_tables.in_flight(conn, peer.node_id, 2**62)
        return {
            "peer": peer.node_id,
            "breaks": breaks,
            "claims_in_flight": in_flight,
            "open_statement": settlement_tables.open_statement(conn, peer.node_id),
            "disputed_claims": settlement_tables.count_claims(
                conn, peer.node_id, ClaimStatus.DISPUTED
            ),
        }

    return work


def _resolve(conn: sqlite3.Connection, peer: str, item: dict[str, Any]) -> str:
    """What became of one break; a claim whose records still differ is marked DISPUTED here."""
    if item["kind"] not in CLAIM_BREAKS:
        return "unresolved: compare the two statements (kippu settlement statements)"
    claims = [
        c
        for c in (
            settlement_tables.load_claim(conn, peer, role, item["item"])
            for role in (Role.REDEEMER, Role.ISSUER)
        )
        if c is not None
    ]
    if not claims:
        return "unresolved: no such claim here"
    claim = claims[0]
    if claim.status == ClaimStatus.CLAIMED or claim.void_requested_at is not None:
        return "waiting: the issuer has not answered yet"
    if claim.status in (ClaimStatus.INVOICED, ClaimStatus.PAID, ClaimStatus.CLEARED):
        return f"resolved: in statement {claim.statement_id}"
    if claim.status == ClaimStatus.ACCEPTED and claim.statement_id is None:
        settlement_tables.update_claim(conn, claim, status=ClaimStatus.DISPUTED)
        return "disputed"
    return f"unresolved: the claim is {claim.status} here"


def resolve(peer_id: str | None, claim_id: str) -> Callable[[sqlite3.Connection], Claim]:
    """The admins settled a disputed claim between them: it goes back into the statement cycle
    as recorded here (the partner does the same on its side; a next statement checks both)."""

    def work(conn: sqlite3.Connection) -> Claim:
        rows = settlement_tables.disputed_claims(conn, claim_id, peer_id)
        if not rows:
            raise ClaimNotFound("No disputed claim with that id here.")
        if len(rows) > 1:
            raise ValidationError("Two partners used that claim id; give --peer.", field="peer")
        claim = rows[0]
        settlement_tables.update_claim(conn, claim, status=ClaimStatus.ACCEPTED)
        return replace(claim, status=ClaimStatus.ACCEPTED)

    return work
