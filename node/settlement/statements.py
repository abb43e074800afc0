"""Statements, netting, payment and clearing between two partners.

Either side proposes a statement up to a cut-off: every accepted claim in both directions not yet
in a statement, the payments cleared since the last one, and the running balance (opening, net of
the claims, closing). The partner recomputes it from its own records; when it matches, its signed
reply naming the statement's hash makes the statement one record signed by both. The net is paid
by one side (`pay`), confirmed by the other (`confirm`), and both clear it in their books.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from node.errors import (
    IllegalTransition,
    MalformedEnvelope,
    NothingToSettle,
    NotThePayee,
    NotThePayer,
    PartnerNotActive,
    SettlementPending,
    StatementNotAgreed,
    StatementOpen,
    StatementTooLarge,
    ValidationError,
)
from node.ledger import tables as ledger_tables
from node.ledger.rows import from_epoch
from node.peering import tables as peer_tables
from node.peering.envelope import MAX_ENVELOPE_BYTES, pack, strict_unpack
from node.peering.messages import CLOCK_SKEW_S, MAX_ROWS, decode_result, encode_result
from node.peering.model import Peer, PeerStatus
from node.peering.operations import Self
from node.peering.outbound import enqueue
from node.peering.routing import Checked
from node.settlement import core
from node.settlement import tables as settlement_tables
from node.settlement.audit.checkpoints import make_checkpoint
from node.settlement.claims import answers, derived_txn_id, printable, require_claim_id
from node.settlement.model import (
    Break,
    BreakKind,
    ClaimStatus,
    Decision,
    Owed,
    Role,
    Statement,
    StatementRecord,
    StatementStatus,
)

# Headroom for the envelope's header and signature around the statement's fields.
MAX_STATEMENT_BYTES = MAX_ENVELOPE_BYTES - 4096


def _my_view(
    conn: sqlite3.Connection,
    me: str,
    peer: str,
    statement_id: str,
    cutoff: int,
    theirs: Statement | None = None,
) -> Statement:
    """The statement our own records give for this partner and cut-off.

    Comparing with a partner's proposal (`theirs`): a payment we cleared that it does not list
    yet is left for the next statement (our confirmation may have crossed its proposal); every
    payment it lists must be one we cleared."""
    number, previous, last = settlement_tables.last_agreed(conn, peer)
    claims = settlement_tables.unsettled_claims(conn, peer, cutoff)
    cleared = settlement_tables.newly_cleared(conn, peer)
    if theirs is not None and set(theirs.cleared) <= set(cleared):
        cleared = list(theirs.cleared)
    return core.build_statement(
        statement_id,
        number + 1,
        cutoff,
        previous,
        core.parties(me, peer),
        settlement_tables.items_of(claims, me),
        cleared,
        last.closing if last is not None else Owed("", 0),
    )


def _require_quiet(conn: sqlite3.Connection, me: str, peer: str, cutoff: int) -> None:
    """Before proposing: nothing of ours may be on its way, or the two sides would count
    different things (our claims and voids not yet answered, our payment not yet confirmed)."""
    flying = settlement_tables.in_flight(conn, peer, cutoff + CLOCK_SKEW_S)
    unconfirmed = settlement_tables.awaiting_confirmation(conn, peer, me)
    if flying or unconfirmed:
        raise SettlementPending(claims_in_flight=flying, payments_unconfirmed=unconfirmed)


def _require_caught_up(conn: sqlite3.Connection, peer: str, theirs: Statement) -> None:
    """Before answering a proposal: our own claims to the proposer must be answered (it may list
    decisions we have not received yet), else it retries shortly. Payments are no reason to wait
    (see `_my_view`): waiting would deadlock a payee that proposes before it confirms."""
    flying = settlement_tables.in_flight(conn, peer, theirs.cutoff + CLOCK_SKEW_S)
    if flying:
        raise SettlementPending(claims_in_flight=flying)


def propose(
    me: Self, peer_id: str, cutoff: int, statement_id: str, now_s: int, msg_id: str
) -> Callable[[sqlite3.Connection], str]:
    """Propose the next statement with a partner; returns its id."""

    def work(conn: sqlite3.Connection) -> str:
        peer = peer_tables.require_peer(conn, peer_id)
        if peer.status != PeerStatus.ACTIVE:
            raise PartnerNotActive(issuer=peer_id)
        if cutoff >= now_s:
            raise ValidationError("The cut-off (--until) must be in the past.", field="until")
        if settlement_tables.open_statement(conn, peer_id) is not None:
            raise StatementOpen()
        _require_quiet(conn, me.identity.node_id, peer_id, cutoff)
        statement = _my_view(conn, me.identity.node_id, peer_id, statement_id, cutoff)
        if not statement.claims and not statement.cleared:
            raise NothingToSettle()
        fields = core.statement_fields(statement)
        packed = pack(fields)
        if len(packed) > MAX_STATEMENT_BYTES or len(statement.claims) > MAX_ROWS:
            raise StatementTooLarge(claims=len(statement.claims))
        settlement_tables.insert_statement(
            conn, peer_id, me.identity.node_id, statement, packed, StatementStatus.PROPOSED, now_s
        )
        for item in statement.claims:
            settlement_tables.propose_claim(conn, peer_id, item.claim_id, statement_id)
        enqueue(conn, me.identity, peer_id, "statement", fields, now_s, msg_id)
        return statement_id

    return work


def _agree(conn: sqlite3.Connection, me: str, peer: str, statement: Statement, now_s: int) -> None:
    """Both sides, on agreement: the claims are invoiced; a statement that nets to nothing and
    has claims is cleared at once (nothing to pay). The caller then checkpoints the settlement
    log (the proposer here, the partner once its reply is logged: checkpoint_if_agreed)."""
    sid = statement.statement_id
    for item in statement.claims:
        role = Role.ISSUER if item.issuer == me else Role.REDEEMER
        claim = settlement_tables.load_claim(conn, peer, role, item.claim_id)
        if claim is None or claim.status not in (ClaimStatus.ACCEPTED, ClaimStatus.DISPUTED):
            raise IllegalTransition(f"statement {sid} lists claim {item.claim_id} not open here")
        settlement_tables.update_claim(conn, claim, status=ClaimStatus.INVOICED, statement_id=sid)
    for cleared in statement.cleared:
        settlement_tables.mark_listed(conn, peer, cleared.statement_id, listed_in=sid)
    if statement.net.amount_yen == 0:
        _clear(conn, me, peer, sid, statement, StatementStatus.AGREED, now_s)


def _clear(
    conn: sqlite3.Connection,
    me: str,
    peer: str,
    statement_id: str,
    statement: Statement,
    current: StatementStatus,
    now_s: int,
) -> None:
    """Both sides: book the clearing entry and mark the statement and its claims CLEARED."""
    txn_id = derived_txn_id("clear", me, peer, statement_id)
    outcome = core.clearing_outcome(me, peer, statement, from_epoch(now_s), txn_id)
    if outcome is not None:
        ledger_tables.save_outcome(conn, outcome)
    settlement_tables.update_statement(
        conn,
        statement_id,
        current,
        status=StatementStatus.CLEARED,
        cleared_at=now_s,
        txn_id=txn_id if outcome is not None else None,
    )
    for claim in settlement_tables.claims_of_statement(conn, statement_id):
        if claim.peer == peer:
            settlement_tables.update_claim(conn, claim, status=ClaimStatus.CLEARED)


def _release(conn: sqlite3.Connection, peer: str, statement_id: str) -> None:
    """A proposal that did not become a statement gives its claims back to the next one."""
    settlement_tables.release_claims(conn, peer, statement_id)


def _load(conn: sqlite3.Connection, statement_id: str) -> tuple[StatementRecord, Statement]:
    row = settlement_tables.require_statement_row(conn, statement_id)
    return row, core.statement_from_fields(strict_unpack(row.fields))


def on_statement(
    conn: sqlite3.Connection, me: Self, checked: Checked, peer: Peer | None, now_s: int
) -> bytes:
    """A partner proposes a statement: recompute it from our records; agree, or list the breaks."""
    sender, me_id = checked.header.sender, me.identity.node_id
    theirs = core.statement_from_fields(checked.fields)
    require_claim_id(theirs.statement_id)
    for item in theirs.claims:
        require_claim_id(item.claim_id)
    result: dict[str, Any] = {
        "statement_id": theirs.statement_id,
        "decision": str(Decision.DISPUTED),
        "statement_hash": core.statement_hash(theirs),
        "breaks": [],
    }
    packed = pack(checked.fields)
    if settlement_tables.load_statement_row(conn, theirs.statement_id) is not None:
        raise MalformedEnvelope("This statement id is already in use.")
    if theirs.cutoff > now_s + CLOCK_SKEW_S:
        raise MalformedEnvelope("The statement's cut-off is in the future.")
    agreed_number, _, _ = settlement_tables.last_agreed(conn, sender)
    if theirs.number <= agreed_number:  # overtaken: a statement with its number was agreed
        settlement_tables.insert_statement(
            conn, sender, sender, theirs, packed, StatementStatus.SUPERSEDED, now_s
        )
        return encode_result("statement", {**result, "decision": str(Decision.SUPERSEDED)})
    mine_open = settlement_tables.open_statement(conn, sender)
    if mine_open is not None:
        if me_id < sender:  # both proposed at once: the proposal of the smaller node id stands
            settlement_tables.insert_statement(
                conn, sender, sender, theirs, packed, StatementStatus.SUPERSEDED, now_s
            )
            return encode_result("statement", {**result, "decision": str(Decision.SUPERSEDED)})
        settlement_tables.update_statement(
            conn, mine_open, StatementStatus.PROPOSED, status=StatementStatus.SUPERSEDED
        )
        _release(conn, sender, mine_open)
    _require_caught_up(conn, sender, theirs)
    mine = _my_view(conn, me_id, sender, theirs.statement_id, theirs.cutoff, theirs)
    breaks = core.compare_statements(theirs, mine, core.parties(me_id, sender))
    if breaks:
        settlement_tables.insert_statement(
            conn, sender, sender, theirs, packed, StatementStatus.DISPUTED, now_s, breaks
        )
        rows = [[b.item[:64], str(b.kind), b.ours, b.theirs] for b in breaks[: core.MAX_BREAKS]]
        return encode_result("statement", {**result, "breaks": _non_negative(rows)})
    settlement_tables.insert_statement(
        conn, sender, sender, theirs, packed, StatementStatus.AGREED, now_s
    )
    settlement_tables.mark_agreed_at(conn, theirs.statement_id, now_s)
    _agree(conn, me_id, sender, theirs, now_s)
    return encode_result("statement", {**result, "decision": str(Decision.AGREED)})


def _non_negative(rows: list[list[Any]]) -> list[list[Any]]:
    """Break amounts on the wire are magnitudes (closing balances may be signed here)."""
    return [[item, kind, abs(ours), abs(theirs)] for item, kind, ours, theirs in rows]


def apply_statement_result(
    conn: sqlite3.Connection,
    me: Self,
    peer_id: str,
    sent: dict[str, Any],
    result: dict[str, Any],
    now_s: int,
) -> None:
    """The partner's signed answer to our proposal."""
    answers(sent, result, "statement_id")
    row, statement = _load(conn, result["statement_id"])
    decision = result["decision"]
    if row.peer != peer_id or decision not in (
        Decision.AGREED,
        Decision.DISPUTED,
        Decision.SUPERSEDED,
    ):
        raise MalformedEnvelope("The reply does not answer our proposal.")
    if decision == Decision.AGREED and result["statement_hash"] != bytes(row.statement_hash):
        raise MalformedEnvelope("The partner agreed to a different statement.")
    status = StatementStatus(row.status)
    if status != StatementStatus.PROPOSED:
        return
    if decision == Decision.AGREED:
        settlement_tables.update_statement(
            conn, statement.statement_id, status, status=StatementStatus.AGREED, agreed_at=now_s
        )
        _agree(conn, me.identity.node_id, peer_id, statement, now_s)
        make_checkpoint(conn, me.identity, now_s)
    elif decision in (Decision.DISPUTED, Decision.SUPERSEDED):
        target = (
            StatementStatus.DISPUTED
            if decision == Decision.DISPUTED
            else StatementStatus.SUPERSEDED
        )
        kinds = {str(k) for k in BreakKind}
        breaks = [
            Break(
                printable(b[0]), BreakKind(b[1]) if b[1] in kinds else BreakKind.TOTALS, b[2], b[3]
            )
            for b in result["breaks"]
        ]
        settlement_tables.update_statement(
            conn,
            statement.statement_id,
            status,
            status=target,
            breaks=settlement_tables.breaks_json(breaks),
        )
        _release(conn, peer_id, statement.statement_id)


def pay(
    me: Self, statement_id: str, reference: str, now_s: int, msg_id: str
) -> Callable[[sqlite3.Connection], str]:
    """The payer records its bank transfer of the statement's net amount and tells the payee;
    returns the payee."""

    def work(conn: sqlite3.Connection) -> str:
        row, statement = _load(conn, statement_id)
        status, peer = StatementStatus(row.status), row.peer
        if statement.net.payer != me.identity.node_id:
            raise NotThePayer(payer=statement.net.payer or None)
        if status != StatementStatus.AGREED:
            raise StatementNotAgreed(status=str(status))
        settlement_tables.update_statement(
            conn,
            statement_id,
            status,
            status=StatementStatus.PAID,
            paid_at=now_s,
            reference=reference,
        )
        for claim in settlement_tables.claims_of_statement(conn, statement_id):
            if claim.peer == peer:
                settlement_tables.update_claim(conn, claim, status=ClaimStatus.PAID)
        fields = {
            "statement_id": statement_id,
            "amount": statement.net.amount_yen,
            "reference": reference,
        }
        enqueue(conn, me.identity, peer, "payment", fields, now_s, msg_id)
        return str(peer)

    return work


def on_payment(
    conn: sqlite3.Connection, me: Self, checked: Checked, peer: Peer | None, now_s: int
) -> bytes:
    """The payer says it paid: the payee's admin then confirms once the money is in the bank."""
    fields, sender = checked.fields, checked.header.sender
    row, statement = _load(conn, fields["statement_id"])
    status = StatementStatus(row.status)
    if row.peer != sender or statement.net.payer != sender:
        raise MalformedEnvelope("The sender is not the payer of this statement.")
    if fields["amount"] != statement.net.amount_yen:
        raise MalformedEnvelope("The payment's amount is not the statement's.")
    if status == StatementStatus.AGREED:
        settlement_tables.update_statement(
            conn,
            statement.statement_id,
            status,
            status=StatementStatus.PAID,
            paid_at=now_s,
            reference=fields["reference"],
        )
        for claim in settlement_tables.claims_of_statement(conn, statement.statement_id):
            if claim.peer == sender:
                settlement_tables.update_claim(conn, claim, status=ClaimStatus.PAID)
    elif status not in (StatementStatus.PAID, StatementStatus.CLEARED):
        raise StatementNotAgreed(status=str(status))
    return b""


def confirm(
    me: Self, statement_id: str, now_s: int, msg_id: str
) -> Callable[[sqlite3.Connection], str]:
    """The payee saw the money arrive: clear the statement here and tell the payer to do so;
    returns the payer."""

    def work(conn: sqlite3.Connection) -> str:
        row, statement = _load(conn, statement_id)
        status, peer = StatementStatus(row.status), row.peer
        if statement.net.payer != peer:
            raise NotThePayee(payer=statement.net.payer or None)
        if status not in (StatementStatus.AGREED, StatementStatus.PAID):
            raise StatementNotAgreed(status=str(status))
        _clear(conn, me.identity.node_id, peer, statement_id, statement, status, now_s)
        fields = {"statement_id": statement_id, "amount": statement.net.amount_yen}
        enqueue(conn, me.identity, peer, "payment_confirmation", fields, now_s, msg_id)
        return str(peer)

    return work


def on_payment_confirmation(
    conn: sqlite3.Connection, me: Self, checked: Checked, peer: Peer | None, now_s: int
) -> bytes:
    """The payee confirmed our payment: clear the statement in our books too."""
    fields, sender = checked.fields, checked.header.sender
    row, statement = _load(conn, fields["statement_id"])
    status = StatementStatus(row.status)
    if row.peer != sender or statement.net.payer != me.identity.node_id:
        raise MalformedEnvelope("We are not the payer of this statement.")
    if fields["amount"] != statement.net.amount_yen:
        raise MalformedEnvelope("The confirmed amount is not the statement's.")
    if status in (StatementStatus.AGREED, StatementStatus.PAID):
        _clear(conn, me.identity.node_id, sender, statement.statement_id, statement, status, now_s)
    elif status != StatementStatus.CLEARED:
        raise StatementNotAgreed(status=str(status))
    return b""


def checkpoint_if_agreed(conn: sqlite3.Connection, me: Self, result: bytes, now_s: int) -> None:
    """After our reply to a partner's statement is logged: an agreed statement gets a checkpoint
    (made after the reply, so the checkpoint never covers a message without its answer)."""
    if decode_result("statement", result)["decision"] == Decision.AGREED:
        make_checkpoint(conn, me.identity, now_s)
