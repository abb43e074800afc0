"""Payment and confirmation of an agreed statement, pure: book in, Step out.

The payer records its bank transfer (`payment`), the payee confirms the money arrived
(`payment_confirmation`), and both clear the statement's claims (消し込み). statements.py loads
the book and persists the Step.
"""

from __future__ import annotations

from dataclasses import replace

from node.errors import MalformedEnvelope, NotThePayee, NotThePayer, StatementNotAgreed
from node.settlement import core
from node.settlement.book import (
    Book,
    ClaimWrite,
    StatementRecord,
    Step,
    claims_of_statement,
    then,
    write_claims,
    write_statements,
)
from node.settlement.messages import PaymentConfirmationMessage, PaymentMessage
from node.settlement.model import ClaimStatus, StatementStatus
from node.settlement.statement_protocol import clear, move, require_record


def _paid(book: Book, record: StatementRecord, reference: str, now_s: int) -> Step:
    step = write_statements(
        book, [move(record, status=StatementStatus.PAID, paid_at=now_s, reference=reference)]
    )
    claims = [
        ClaimWrite(c, replace(c, status=core.claim_transition(c.status, ClaimStatus.PAID)))
        for c in claims_of_statement(step.book, record.statement.statement_id)
        if c.peer == book.peer
    ]
    return then(step, write_claims(step.book, claims))


def pay(book: Book, statement_id: str, reference: str, now_s: int) -> Step:
    """The payer records its bank transfer of the statement's net amount and tells the payee."""
    record = require_record(book, statement_id)
    statement = record.statement
    if statement.net.payer != book.me:
        raise NotThePayer(payer=statement.net.payer or None)
    if record.status != StatementStatus.AGREED:
        raise StatementNotAgreed(status=str(record.status))
    message = PaymentMessage(
        statement_id=statement_id, amount=statement.net.amount_yen, reference=reference
    )
    return replace(_paid(book, record, reference, now_s), outgoing=(message,))


def receive_payment(book: Book, msg: PaymentMessage, now_s: int) -> Step:
    """The payer says it paid: the payee's admin then confirms once the money is in the bank."""
    record = require_record(book, msg.statement_id)
    if record.peer != book.peer or record.statement.net.payer != book.peer:
        raise MalformedEnvelope("The sender is not the payer of this statement.")
    if msg.amount != record.statement.net.amount_yen:
        raise MalformedEnvelope("The payment's amount is not the statement's.")
    if record.status == StatementStatus.AGREED:
        return _paid(book, record, msg.reference, now_s)
    if record.status not in (StatementStatus.PAID, StatementStatus.CLEARED):
        raise StatementNotAgreed(status=str(record.status))
    return Step(book=book)


def confirm(book: Book, statement_id: str, now_s: int) -> Step:
    """The payee saw the money arrive: clear the statement here and tell the payer to do so."""
    record = require_record(book, statement_id)
    statement = record.statement
    if statement.net.payer != record.peer:
        raise NotThePayee(payer=statement.net.payer or None)
    if record.status not in (StatementStatus.AGREED, StatementStatus.PAID):
        raise StatementNotAgreed(status=str(record.status))
    message = PaymentConfirmationMessage(statement_id=statement_id, amount=statement.net.amount_yen)
    return replace(clear(book, record, now_s), outgoing=(message,))


def receive_confirmation(book: Book, msg: PaymentConfirmationMessage, now_s: int) -> Step:
    """The payee confirmed our payment: clear the statement in our books too."""
    record = require_record(book, msg.statement_id)
    if record.peer != book.peer or record.statement.net.payer != book.me:
        raise MalformedEnvelope("We are not the payer of this statement.")
    if msg.amount != record.statement.net.amount_yen:
        raise MalformedEnvelope("The confirmed amount is not the statement's.")
    if record.status in (StatementStatus.AGREED, StatementStatus.PAID):
        return clear(book, record, now_s)
    if record.status != StatementStatus.CLEARED:
        raise StatementNotAgreed(status=str(record.status))
    return Step(book=book)
