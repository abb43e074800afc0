"""Statements, netting, payment and clearing between two partners.

Either side proposes a statement up to a cut-off: every accepted claim in both directions not yet
in a statement, the payments cleared since the last one, and the running balance (opening, net of
the claims, closing). The partner recomputes it from its own records; when it matches, its signed
reply naming the statement's hash makes the statement one record signed by both. The net is paid
by one side (`pay`), confirmed by the other (`confirm`), and both clear it in their books.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import replace

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
from node.peering.envelope import MAX_ENVELOPE_BYTES
from node.peering.messages import CLOCK_SKEW_S, MAX_ROWS
from node.peering.model import Peer, PeerStatus
from node.peering.operations import Self
from node.peering.outbound import enqueue
from node.peering.routing import Checked
from node.settlement import core
from node.settlement import tables as settlement_tables
from node.settlement.audit.checkpoints import make_checkpoint
from node.settlement.claims import answers, derived_txn_id, printable, require_claim_id
from node.settlement.messages import (
    BreakRow,
    PaymentConfirmationMessage,
    PaymentMessage,
    StatementMessage,
    StatementResult,
)
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
        message = core.statement_message(statement)
        packed = message.pack_fields()
        if len(packed) > MAX_STATEMENT_BYTES or len(statement.claims) > MAX_ROWS:
            raise StatementTooLarge(claims=len(statement.claims))
        settlement_tables.insert_statement(
            conn, peer_id, me.identity.node_id, statement, packed, StatementStatus.PROPOSED, now_s
        )
        for item in statement.claims:
            settlement_tables.propose_claim(conn, peer_id, item.claim_id, statement_id)
        enqueue(conn, me, peer_id, message, now_s, msg_id)
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
    return row, core.stored_statement(bytes(row.fields))


def on_statement(
    conn: sqlite3.Connection,
    me: Self,
    checked: Checked[StatementMessage],
    peer: Peer | None,
    now_s: int,
) -> bytes:
    """A partner proposes a statement: recompute it from our records; agree, or list the breaks."""
    sender, me_id = checked.header.sender, me.identity.node_id
    theirs = core.statement_from_message(checked.message)
    require_claim_id(theirs.statement_id)
    for item in theirs.claims:
        require_claim_id(item.claim_id)
    result = StatementResult(
        statement_id=theirs.statement_id,
        decision=str(Decision.DISPUTED),
        statement_hash=core.statement_hash(theirs),
        breaks=(),
    )
    superseded = replace(result, decision=str(Decision.SUPERSEDED)).encode
    packed = checked.message.pack_fields()
    if settlement_tables.load_statement_row(conn, theirs.statement_id) is not None:
        raise MalformedEnvelope("This statement id is already in use.")
    if theirs.cutoff > now_s + CLOCK_SKEW_S:
        raise MalformedEnvelope("The statement's cut-off is in the future.")
    agreed_number, _, _ = settlement_tables.last_agreed(conn, sender)
    if theirs.number <= agreed_number:  # overtaken: a statement with its number was agreed
        settlement_tables.insert_statement(
            conn, sender, sender, theirs, packed, StatementStatus.SUPERSEDED, now_s
        )
        return superseded()
    mine_open = settlement_tables.open_statement(conn, sender)
    if mine_open is not None:
        if me_id < sender:  # both proposed at once: the proposal of the smaller node id stands
            settlement_tables.insert_statement(
                conn, sender, sender, theirs, packed, StatementStatus.SUPERSEDED, now_s
            )
            return superseded()
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
        return replace(result, breaks=_wire_breaks(breaks[: core.MAX_BREAKS])).encode()
    settlement_tables.insert_statement(
        conn, sender, sender, theirs, packed, StatementStatus.AGREED, now_s
    )
    settlement_tables.mark_agreed_at(conn, theirs.statement_id, now_s)
    _agree(conn, me_id, sender, theirs, now_s)
    return replace(result, decision=str(Decision.AGREED)).encode()


def _wire_breaks(breaks: Sequence[Break]) -> tuple[BreakRow, ...]:
    """Break amounts on the wire are magnitudes (closing balances may be signed here)."""
    return tuple(BreakRow(b.item[:64], str(b.kind), abs(b.ours), abs(b.theirs)) for b in breaks)


def apply_statement_result(
    conn: sqlite3.Connection,
    me: Self,
    peer_id: str,
    sent: StatementMessage,
    result: StatementResult,
    now_s: int,
) -> None:
    """The partner's signed answer to our proposal."""
    answers(sent.statement_id, result.statement_id, "statement_id")
    row, statement = _load(conn, result.statement_id)
    decision = result.decision
    if row.peer != peer_id or decision not in (
        Decision.AGREED,
        Decision.DISPUTED,
        Decision.SUPERSEDED,
    ):
        raise MalformedEnvelope("The reply does not answer our proposal.")
    if decision == Decision.AGREED and result.statement_hash != bytes(row.statement_hash):
        raise MalformedEnvelope("The partner agreed to a different statement.")
    status = StatementStatus(row.status)
    if status != StatementStatus.PROPOSED:
        return
    if decision == Decision.AGREED:
        settlement_tables.update_statement(
            conn, statement.statement_id, status, status=StatementStatus.AGREED, agreed_at=now_s
        )
        _agree(conn, me.identity.node_id, peer_id, statement, now_s)
        make_checkpoint(conn, me, now_s)
    elif decision in (Decision.DISPUTED, Decision.SUPERSEDED):
        target = (
            StatementStatus.DISPUTED
            if decision == Decision.DISPUTED
            else StatementStatus.SUPERSEDED
        )
        kinds = {str(k) for k in BreakKind}
        breaks = [
            Break(
                printable(b.claim_id),
                BreakKind(b.kind) if b.kind in kinds else BreakKind.TOTALS,
                b.ours,
                b.theirs,
            )
            for b in result.breaks
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
        payment = PaymentMessage(statement_id, statement.net.amount_yen, reference)
        enqueue(conn, me, peer, payment, now_s, msg_id)
        return str(peer)

    return work


def on_payment(
    conn: sqlite3.Connection,
    me: Self,
    checked: Checked[PaymentMessage],
    peer: Peer | None,
    now_s: int,
) -> bytes:
    """The payer says it paid: the payee's admin then confirms once the money is in the bank."""
    payment, sender = checked.message, checked.header.sender
    row, statement = _load(conn, payment.statement_id)
    status = StatementStatus(row.status)
    if row.peer != sender or statement.net.payer != sender:
        raise MalformedEnvelope("The sender is not the payer of this statement.")
    if payment.amount != statement.net.amount_yen:
        raise MalformedEnvelope("The payment's amount is not the statement's.")
    if status == StatementStatus.AGREED:
        settlement_tables.update_statement(
            conn,
            statement.statement_id,
            status,
            status=StatementStatus.PAID,
            paid_at=now_s,
            reference=payment.reference,
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
        confirmation = PaymentConfirmationMessage(statement_id, statement.net.amount_yen)
        enqueue(conn, me, peer, confirmation, now_s, msg_id)
        return str(peer)

    return work


def on_payment_confirmation(
    conn: sqlite3.Connection,
    me: Self,
    checked: Checked[PaymentConfirmationMessage],
    peer: Peer | None,
    now_s: int,
) -> bytes:
    """The payee confirmed our payment: clear the statement in our books too."""
    confirmation, sender = checked.message, checked.header.sender
    row, statement = _load(conn, confirmation.statement_id)
    status = StatementStatus(row.status)
    if row.peer != sender or statement.net.payer != me.identity.node_id:
        raise MalformedEnvelope("We are not the payer of this statement.")
    if confirmation.amount != statement.net.amount_yen:
        raise MalformedEnvelope("The confirmed amount is not the statement's.")
    if status in (StatementStatus.AGREED, StatementStatus.PAID):
        _clear(conn, me.identity.node_id, sender, statement.statement_id, statement, status, now_s)
    elif status != StatementStatus.CLEARED:
        raise StatementNotAgreed(status=str(status))
    return b""


def checkpoint_if_agreed(conn: sqlite3.Connection, me: Self, result: bytes, now_s: int) -> None:
    """After our reply to a partner's statement is logged: an agreed statement gets a checkpoint
    (made after the reply, so the checkpoint never covers a message without its answer)."""
    if StatementResult.decode(result).decision == Decision.AGREED:
        make_checkpoint(conn, me, now_s)
