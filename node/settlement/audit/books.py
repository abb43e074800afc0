"""The auditor's books: a log's settlement exchanges replayed into balances and a claim register.

Each exchange is a message and the signed reply that answered it, both in the log. The register
lives in a temporary SQLite file, not in memory, so that verifying a bundle of any size needs the
same memory; it also lets two bundles' claims be matched with one query (node/settlement/audit/pairs.py).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from node.peering.model import GENESIS_HASH
from node.peering.wire import WireMessage, WireRecord
from node.settlement import core
from node.settlement.audit.report import Balance, BundleReport
from node.settlement.messages import (
    ClaimMessage,
    ClaimResult,
    ClaimVoidMessage,
    ClaimVoidResult,
    PaymentConfirmationMessage,
    PaymentMessage,
    StatementMessage,
    StatementResult,
)
from node.settlement.model import Decision, Owed, Statement

REGISTER_SCHEMA = """
    CREATE TABLE IF NOT EXISTS claims (
        origin TEXT NOT NULL,
        role TEXT NOT NULL,
        claim_id TEXT NOT NULL,
        peer TEXT NOT NULL,
        amount INTEGER NOT NULL,
        status TEXT NOT NULL,
        claim_hash BLOB NOT NULL,
        decision_hash BLOB NOT NULL,
        decided_at INTEGER NOT NULL,
        changed_at INTEGER NOT NULL,
        statement_id TEXT,
        PRIMARY KEY (origin, role, claim_id)
    ) WITHOUT ROWID
"""


def open_register(path: str) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute(REGISTER_SCHEMA)
    conn.execute("BEGIN")
    return conn


@dataclass(slots=True)  # one per exchange of the log: slots, not frozen, keep it cheap to make
class Exchange:
    """One message of the log and the reply that answered it."""

    index: int  # the reply's entry (where the exchange completed)
    peer: str
    outgoing: bool  # the bundle's origin sent the message
    message: WireMessage
    result: WireRecord | None
    message_digest: bytes  # SHA-256 of the message's envelope bytes
    reply_digest: bytes  # SHA-256 of the reply's envelope bytes
    replied_at: int


@dataclass
class StatementSums:
    peer: str
    owed_to_origin: int
    owed_by_origin: int
    net: int
    payer: str
    cleared: bool = False


class Books:
    def __init__(self, origin: str, register: sqlite3.Connection, report: BundleReport) -> None:
        self._origin, self._register, self._report = origin, register, report
        self._statements: dict[str, StatementSums] = {}
        self._agreed: dict[str, tuple[int, bytes, Owed]] = {}  # per partner: number, hash, closing

    def balance(self, peer: str) -> Balance:
        found = self._report.balances.get(peer)
        if found is None:
            found = self._report.balances[peer] = Balance(peer[:8])
        return found

    def exchanged(self, ex: Exchange) -> None:
        message, result = ex.message, ex.result
        if result is None:
            if isinstance(message, PaymentConfirmationMessage) and not ex.outgoing:
                self._confirmed(ex.index, ex.peer, message, payer=self._origin)
            elif isinstance(message, PaymentMessage):
                self._check_payment(ex, message)
            return
        if isinstance(message, ClaimMessage) and isinstance(result, ClaimResult):
            self._claim(ex, message, result)
        elif isinstance(message, ClaimVoidMessage) and isinstance(result, ClaimVoidResult):
            self._void(ex, message, result)
        elif isinstance(message, StatementMessage) and isinstance(result, StatementResult):
            self._statement(ex, message, result)

    def sent(self, index: int, peer: str, message: WireMessage) -> None:
        """Effects of a message the moment we send it: a payee clears when it confirms."""
        if isinstance(message, PaymentConfirmationMessage):
            self._confirmed(index, peer, message, payer=peer)

    def _confirmed(
        self, index: int, peer: str, confirmation: PaymentConfirmationMessage, payer: str
    ) -> None:
        """A payment confirmation, sent by the payee: of the statement's net, by its payer."""
        sid = confirmation.statement_id
        sums = self._statements.get(sid)
        if sums is not None and (
            sums.peer != peer or sums.payer != payer or sums.net != confirmation.amount
        ):
            self._report.problem(
                f"payment confirmation for statement {sid} does not match the agreed statement",
                index,
            )
        self._clear(index, sid)

    def _role(self, outgoing_claim: bool) -> str:
        return "redeemer" if outgoing_claim else "issuer"

    def _claim(self, ex: Exchange, claim: ClaimMessage, result: ClaimResult) -> None:
        decision, amount, claim_id = result.decision, claim.amount, claim.claim_id
        role = self._role(ex.outgoing)
        if decision not in (Decision.ACCEPTED, Decision.REJECTED):
            self._report.problem(f"claim {claim_id}: unknown decision {decision!r}", ex.index)
            return
        status = "ACCEPTED" if decision == Decision.ACCEPTED else "REJECTED"
        try:
            self._register.execute(
                "INSERT INTO claims (origin, role, claim_id, peer, amount, status, claim_hash,"
                " decision_hash, decided_at, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    self._origin,
                    role,
                    claim_id,
                    ex.peer,
                    amount,
                    status,
                    ex.message_digest,
                    ex.reply_digest,
                    ex.replied_at,
                    ex.replied_at,
                ),
            )
        except sqlite3.IntegrityError:
            self._report.problem(f"claim {claim_id} is decided twice", ex.index)
            return
        if status == "ACCEPTED":
            self._move(ex.peer, role, amount)

    def _move(self, peer: str, role: str, amount: int) -> None:
        balance = self.balance(peer)
        if role == "redeemer":
            balance.receivable += amount
        else:
            balance.payable += amount

    def _void(self, ex: Exchange, void: ClaimVoidMessage, result: ClaimVoidResult) -> None:
        if result.decision != Decision.VOIDED:
            return
        claim_id, role = void.claim_id, self._role(ex.outgoing)
        row = self._register.execute(
            "SELECT amount, status, peer FROM claims WHERE origin = ? AND role = ? AND claim_id = ?",
            (self._origin, role, claim_id),
        ).fetchone()
        if row is None or row[1] != "ACCEPTED" or row[2] != ex.peer:
            self._report.problem(f"claim {claim_id} is voided but not accepted before", ex.index)
            return
        self._register.execute(
            "UPDATE claims SET status = 'VOIDED', changed_at = ? WHERE origin = ? AND role = ?"
            " AND claim_id = ?",
            (ex.replied_at, self._origin, role, claim_id),
        )
        self._move(ex.peer, role, -int(row[0]))

    def _statement(self, ex: Exchange, proposal: StatementMessage, result: StatementResult) -> None:
        if result.decision != Decision.AGREED:
            return
        statement = core.statement_from_message(proposal)
        sid = statement.statement_id
        self._follows(ex, statement, result.statement_hash)
        owed_to = owed_by = 0
        for item in statement.claims:
            role = self._role(item.issuer != self._origin)
            cursor = self._register.execute(
                "UPDATE claims SET status = 'INVOICED', statement_id = ? WHERE origin = ?"
                " AND role = ? AND claim_id = ? AND peer = ? AND amount = ? AND status = 'ACCEPTED'",
                (sid, self._origin, role, item.claim_id, ex.peer, item.amount_yen),
            )
            if cursor.rowcount != 1:
                self._report.problem(
                    f"statement {sid} lists claim {item.claim_id} ({item.amount_yen} yen), which"
                    " the log does not show accepted and open for that amount",
                    ex.index,
                )
            if role == "redeemer":
                owed_to += item.amount_yen
            else:
                owed_by += item.amount_yen
        sums = StatementSums(
            ex.peer, owed_to, owed_by, statement.net.amount_yen, statement.net.payer
        )
        self._statements[sid] = sums
        if statement.net.amount_yen == 0:
            self._clear(ex.index, sid)

    def _follows(self, ex: Exchange, statement: Statement, digest: bytes) -> None:
        """An agreed statement's totals follow from its rows, and it follows the last one agreed
        with that partner: its number + 1, its hash, its closing as the opening (a receiver
        disputes anything else: protocol.md, section 4, "How the partner compares")."""
        sid, pair = statement.statement_id, core.parties(self._origin, ex.peer)
        recomputed = core.build_statement(
            sid,
            statement.number,
            statement.cutoff,
            statement.previous,
            pair,
            statement.claims,
            statement.cleared,
            statement.opening,
        )
        if (recomputed.net, recomputed.closing) != (statement.net, statement.closing):
            self._report.problem(
                f"statement {sid}: its totals do not follow from its rows", ex.index
            )
        number, previous, closing = self._agreed.get(ex.peer, (0, GENESIS_HASH, Owed("", 0)))
        opening = core.signed_owed(statement.opening, pair)
        if (statement.number, statement.previous, opening) != (
            number + 1,
            previous,
            core.signed_owed(closing, pair),
        ):
            self._report.problem(
                f"statement {sid} does not follow the last statement agreed with that partner"
                " (number, previous hash or opening)",
                ex.index,
            )
        self._agreed[ex.peer] = (statement.number, digest, statement.closing)

    def _check_payment(self, ex: Exchange, payment: PaymentMessage) -> None:
        sid = payment.statement_id
        sums = self._statements.get(sid)
        payer = self._origin if ex.outgoing else ex.peer
        if sums is None or sums.payer != payer or sums.net != payment.amount:
            self._report.problem(
                f"payment for statement {sid} does not match an agreed statement", ex.index
            )

    def _clear(self, index: int, sid: str) -> None:
        sums = self._statements.get(sid)
        if sums is None or sums.cleared:
            self._report.problem(
                f"statement {sid} is cleared but not agreed, or cleared twice", index
            )
            return
        sums.cleared = True
        balance = self.balance(sums.peer)
        balance.receivable -= sums.owed_to_origin
        balance.payable -= sums.owed_by_origin
        self._register.execute(
            "UPDATE claims SET status = 'CLEARED' WHERE origin = ? AND statement_id = ?",
            (self._origin, sid),
        )
