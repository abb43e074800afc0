"""Statements, netting, payment and clearing between two partners, pure: book in, Step out.

Either side proposes a statement up to a cut-off from its book; the partner recomputes it from
its own book and agrees (both then invoice the claims) or lists the breaks. The payer records its
bank transfer (`payment`), the payee confirms (`payment_confirmation`), and both clear the
statement's claims. No clock, no database, no network: statements.py loads and persists.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from node.errors import (
    IllegalTransition,
    MalformedEnvelope,
    NothingToSettle,
    PartnerNotActive,
    SettlementPending,
    StatementNotFound,
    StatementOpen,
    StatementTooLarge,
    ValidationError,
)
from node.ledger.rows import from_epoch
from node.peering.envelope import MAX_ENVELOPE_BYTES
from node.peering.messages import CLOCK_SKEW_S, MAX_ROWS
from node.peering.model import PeerStatus
from node.settlement import core
from node.settlement.book import (
    Book,
    ClaimWrite,
    StatementRecord,
    StatementWrite,
    Step,
    awaiting_confirmation,
    claims_of_statement,
    in_flight,
    items_of,
    newly_cleared,
    next_position,
    open_proposal,
    then,
    unsettled,
    write_claims,
    write_statements,
)
from node.settlement.messages import (
    BreakRow,
    StatementMessage,
    StatementResult,
)
from node.settlement.model import (
    Break,
    BreakKind,
    ClaimStatus,
    Decision,
    Role,
    Statement,
    StatementStatus,
)
from node.settlement.protocol import derived_txn_id, printable, require_claim_id

# Headroom for the envelope's header and signature around the statement's fields.
MAX_STATEMENT_BYTES = MAX_ENVELOPE_BYTES - 4096


def my_view(
    book: Book, statement_id: str, cutoff: int, theirs: Statement | None = None
) -> Statement:
    """The statement our own book gives for the partner and cut-off.

    Comparing with a partner's proposal (`theirs`): a payment we cleared that it does not list
    yet is left for the next statement (our confirmation may have crossed its proposal); every
    payment it lists must be one we cleared."""
    number, previous, opening = next_position(book)
    cleared = newly_cleared(book)
    if theirs is not None and set(theirs.cleared) <= set(cleared):
        cleared = list(theirs.cleared)
    return core.build_statement(
        statement_id,
        number,
        cutoff,
        previous,
        core.parties(book.me, book.peer),
        items_of(unsettled(book, cutoff), book.me),
        cleared,
        opening,
    )


def statement_of(msg: StatementMessage) -> Statement:
    """The statement a partner's `statement` message proposes."""
    return core.statement_from_message(msg)


def packed_fields(statement: Statement) -> bytes:
    """The statement's fields as stored and signed (msgpack, keys sorted)."""
    return core.statement_message(statement).pack_fields()


def _record(
    book: Book, statement: Statement, proposer: str, status: StatementStatus, now_s: int
) -> StatementRecord:
    return StatementRecord(
        statement=statement,
        peer=book.peer,
        proposer=proposer,
        status=status,
        statement_hash=core.statement_hash(statement),
        created_at=now_s,
    )


def move(record: StatementRecord, **values: Any) -> StatementWrite:
    """A statement's new state; a status change must be an allowed move."""
    status = values.get("status")
    if isinstance(status, StatementStatus):
        core.statement_transition(record.status, status)
    return StatementWrite(record, replace(record, **values))


# -- proposing ----------------------------------------------------------------------------------


def propose(
    book: Book, peer_status: PeerStatus, cutoff: int, statement_id: str, now_s: int
) -> Step:
    """Propose the next statement with the partner: record it, mark its claims, send it."""
    if peer_status != PeerStatus.ACTIVE:
        raise PartnerNotActive(issuer=book.peer)
    if cutoff >= now_s:
        raise ValidationError("The cut-off (--until) must be in the past.", field="until")
    if open_proposal(book) is not None:
        raise StatementOpen()
    flying, unconfirmed = in_flight(book, cutoff + CLOCK_SKEW_S), awaiting_confirmation(book)
    if flying or unconfirmed:  # the two sides would count different things
        raise SettlementPending(claims_in_flight=flying, payments_unconfirmed=unconfirmed)
    statement = my_view(book, statement_id, cutoff)
    if not statement.claims and not statement.cleared:
        raise NothingToSettle()
    if len(packed_fields(statement)) > MAX_STATEMENT_BYTES or len(statement.claims) > MAX_ROWS:
        raise StatementTooLarge(claims=len(statement.claims))
    record = _record(book, statement, book.me, StatementStatus.PROPOSED, now_s)
    listed = {item.claim_id for item in statement.claims}
    marked = [
        ClaimWrite(c, replace(c, statement_id=statement_id))
        for c in book.claims.values()
        if c.claim_id in listed and c.status == ClaimStatus.ACCEPTED
    ]
    step = then(
        write_statements(book, [StatementWrite(None, record)]),
        write_claims(book.with_statements([record]), marked),
    )
    return replace(step, outgoing=(core.statement_message(statement),))


def _release(book: Book, statement_id: str) -> Step:
    """A proposal that did not become a statement gives its claims back to the next one."""
    return write_claims(
        book,
        [
            ClaimWrite(c, replace(c, statement_id=None))
            for c in book.claims.values()
            if c.statement_id == statement_id and c.status == ClaimStatus.ACCEPTED
        ],
    )


def _agree(book: Book, statement: Statement, now_s: int) -> Step:
    """Both sides, on agreement: the claims are invoiced and the cleared statements listed; a
    statement that nets to nothing is cleared at once (nothing to pay)."""
    sid = statement.statement_id
    invoiced = []
    for item in statement.claims:
        role = Role.ISSUER if item.issuer == book.me else Role.REDEEMER
        claim = book.claim(role, item.claim_id)
        if claim is None or claim.status not in (ClaimStatus.ACCEPTED, ClaimStatus.DISPUTED):
            raise IllegalTransition(f"statement {sid} lists claim {item.claim_id} not open here")
        core.claim_transition(claim.status, ClaimStatus.INVOICED)
        invoiced.append(
            ClaimWrite(claim, replace(claim, status=ClaimStatus.INVOICED, statement_id=sid))
        )
    step = write_claims(book, invoiced)
    listed = [
        StatementWrite(r, replace(r, listed_in=sid))
        for r in (step.book.statements.get(c.statement_id) for c in statement.cleared)
        if r is not None and r.peer == book.peer
    ]
    step = then(step, write_statements(step.book, listed))
    if statement.net.amount_yen == 0:
        step = then(step, clear(step.book, step.book.statements[sid], now_s))
    return step


def clear(book: Book, record: StatementRecord, now_s: int) -> Step:
    """Both sides: book the clearing entry and mark the statement and its claims CLEARED."""
    sid = record.statement.statement_id
    txn_id = derived_txn_id("clear", book.me, book.peer, sid)
    posting = core.clearing_outcome(book.me, book.peer, record.statement, from_epoch(now_s), txn_id)
    cleared = move(
        record,
        status=StatementStatus.CLEARED,
        cleared_at=now_s,
        txn_id=txn_id if posting is not None else None,
    )
    step = write_statements(book, [cleared])
    claims = [
        ClaimWrite(c, replace(c, status=core.claim_transition(c.status, ClaimStatus.CLEARED)))
        for c in claims_of_statement(step.book, sid)
        if c.peer == book.peer
    ]
    step = then(step, write_claims(step.book, claims))
    return replace(step, postings=(posting,) if posting is not None else ())


# -- answering a proposal -------------------------------------------------------------------------


def receive_statement(
    book: Book, msg: StatementMessage, now_s: int, *, id_taken: bool = False
) -> Step:
    """A partner proposes a statement: recompute it from our book; agree, or list the breaks.
    `id_taken`: a statement with this id is already recorded here (with anyone)."""
    theirs = statement_of(msg)
    require_claim_id(theirs.statement_id)
    for item in theirs.claims:
        require_claim_id(item.claim_id)
    if id_taken:
        raise MalformedEnvelope("This statement id is already in use.")
    if theirs.cutoff > now_s + CLOCK_SKEW_S:
        raise MalformedEnvelope("The statement's cut-off is in the future.")
    number, _, _ = next_position(book)
    if theirs.number < number:  # overtaken: a statement with its number was agreed
        return _answered(book, theirs, StatementStatus.SUPERSEDED, now_s)
    step = Step(book=book)
    mine_open = open_proposal(book)
    if mine_open is not None:
        if book.me < book.peer:  # both proposed at once: the proposal of the smaller id stands
            return _answered(book, theirs, StatementStatus.SUPERSEDED, now_s)
        superseded = move(mine_open, status=StatementStatus.SUPERSEDED)
        step = write_statements(book, [superseded])
        step = then(step, _release(step.book, mine_open.statement.statement_id))
    flying = in_flight(step.book, theirs.cutoff + CLOCK_SKEW_S)
    if flying:  # it may list decisions we have not received yet: it retries shortly
        raise SettlementPending(claims_in_flight=flying)
    mine = my_view(step.book, theirs.statement_id, theirs.cutoff, theirs)
    breaks = core.compare_statements(theirs, mine, core.parties(book.me, book.peer))
    if breaks:
        return then(step, _answered(step.book, theirs, StatementStatus.DISPUTED, now_s, breaks))
    step = then(step, _answered(step.book, theirs, StatementStatus.AGREED, now_s))
    return then(step, _agree(step.book, theirs, now_s))


def _answered(
    book: Book,
    theirs: Statement,
    status: StatementStatus,
    now_s: int,
    breaks: list[Break] | None = None,
) -> Step:
    """Record the partner's proposal as we answer it, and the answer."""
    record = _record(book, theirs, book.peer, status, now_s)
    if breaks is not None:
        record = replace(record, breaks=tuple(breaks))
    if status == StatementStatus.AGREED:
        record = replace(record, agreed_at=now_s)
    rows = tuple(
        BreakRow(b.item[:64], str(b.kind), abs(b.ours), abs(b.theirs))
        for b in (breaks or [])[: core.MAX_BREAKS]
    )  # amounts on the wire are magnitudes (closing balances may be signed here)
    result = StatementResult(
        statement_id=theirs.statement_id,
        decision=str(_DECISIONS[status]),
        statement_hash=record.statement_hash,
        breaks=rows,
    )
    return replace(write_statements(book, [StatementWrite(None, record)]), result=result)


_DECISIONS = {
    StatementStatus.SUPERSEDED: Decision.SUPERSEDED,
    StatementStatus.DISPUTED: Decision.DISPUTED,
    StatementStatus.AGREED: Decision.AGREED,
}


def apply_statement_result(
    book: Book, sent: StatementMessage, result: StatementResult, now_s: int
) -> Step:
    """The partner's signed answer to our proposal (a checkpoint follows an agreement)."""
    if sent.statement_id != result.statement_id:
        raise MalformedEnvelope("The reply's result names another statement_id than the message.")
    record = require_record(book, result.statement_id)
    if record.peer != book.peer or result.decision not in (
        Decision.AGREED,
        Decision.DISPUTED,
        Decision.SUPERSEDED,
    ):
        raise MalformedEnvelope("The reply does not answer our proposal.")
    if result.decision == Decision.AGREED and result.statement_hash != record.statement_hash:
        raise MalformedEnvelope("The partner agreed to a different statement.")
    if record.status != StatementStatus.PROPOSED:
        return Step(book=book)
    if result.decision == Decision.AGREED:
        step = write_statements(
            book, [move(record, status=StatementStatus.AGREED, agreed_at=now_s)]
        )
        step = then(step, _agree(step.book, record.statement, now_s))
        return replace(step, checkpoint=True)
    target = (
        StatementStatus.DISPUTED
        if result.decision == Decision.DISPUTED
        else StatementStatus.SUPERSEDED
    )
    breaks = tuple(_their_break(row) for row in result.breaks)
    step = write_statements(book, [move(record, status=target, breaks=breaks)])
    return then(step, _release(step.book, record.statement.statement_id))


def _their_break(row: BreakRow) -> Break:
    kinds = {str(k) for k in BreakKind}
    kind = BreakKind(row.kind) if row.kind in kinds else BreakKind.TOTALS
    return Break(printable(row.claim_id), kind, row.ours, row.theirs)


def require_record(book: Book, statement_id: str) -> StatementRecord:
    record = book.statements.get(statement_id)
    if record is None:
        raise StatementNotFound()
    return record
