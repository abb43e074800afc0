"""SQL for settlement, run inside the writer's transaction: claims and statements, and the
partner's live part of them the protocol's book is loaded from (bookkeeping.py)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Any

from node.errors import ClaimNotFound
from node.settlement import book, core
from node.settlement.model import (
    OPEN_STATUSES,
    Break,
    BreakKind,
    Claim,
    ClaimStatus,
    Role,
    Statement,
    StatementRow,
    StatementStatus,
)

CLAIM_COLUMNS = (
    "claim_id, peer, role, voucher_id, store_id, store_name, amount_yen, status, created_at,"
    " decided_at, reason_code, reason, balance_after, receipt_no, void_requested_at, statement_id"
)
STATEMENT_COLUMNS = (
    "statement_id, peer, proposer, number, cutoff, fields, statement_hash, status, payer,"
    " amount_yen, breaks, reference, created_at, agreed_at, paid_at, cleared_at, txn_id, listed_in"
)
_OPEN = ", ".join(f"'{s}'" for s in OPEN_STATUSES)


def claim_from_row(row: sqlite3.Row) -> Claim:
    return Claim(
        claim_id=row["claim_id"],
        peer=row["peer"],
        role=Role(row["role"]),
        voucher_id=row["voucher_id"],
        store_id=row["store_id"],
        store_name=row["store_name"],
        amount_yen=row["amount_yen"],
        status=ClaimStatus(row["status"]),
        created_at=row["created_at"],
        decided_at=row["decided_at"],
        reason_code=row["reason_code"],
        reason=row["reason"],
        balance_after=row["balance_after"],
        receipt_no=row["receipt_no"],
        void_requested_at=row["void_requested_at"],
        statement_id=row["statement_id"],
    )


def statement_from_row(row: sqlite3.Row) -> StatementRow:
    return StatementRow(
        statement_id=row["statement_id"],
        peer=row["peer"],
        proposer=row["proposer"],
        number=row["number"],
        cutoff=row["cutoff"],
        fields=bytes(row["fields"]),
        statement_hash=bytes(row["statement_hash"]),
        status=StatementStatus(row["status"]),
        payer=row["payer"],
        amount_yen=row["amount_yen"],
        breaks=row["breaks"],
        reference=row["reference"],
        created_at=row["created_at"],
        agreed_at=row["agreed_at"],
        paid_at=row["paid_at"],
        cleared_at=row["cleared_at"],
        txn_id=row["txn_id"],
        listed_in=row["listed_in"],
    )


def insert_claim(conn: sqlite3.Connection, claim: Claim, txn_id: str | None) -> None:
    conn.execute(
        "INSERT INTO claims (claim_id, peer, role, voucher_id, store_id, store_name, amount_yen,"
        " status, created_at, decided_at, reason_code, reason, balance_after, receipt_no,"
        " void_requested_at, statement_id, txn_id)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            claim.claim_id,
            claim.peer,
            str(claim.role),
            claim.voucher_id,
            claim.store_id,
            claim.store_name,
            claim.amount_yen,
            str(claim.status),
            claim.created_at,
            claim.decided_at,
            claim.reason_code,
            claim.reason,
            claim.balance_after,
            claim.receipt_no,
            claim.void_requested_at,
            claim.statement_id,
            txn_id,
        ),
    )


def load_claim(conn: sqlite3.Connection, peer: str, role: Role, claim_id: str) -> Claim | None:
    row = conn.execute(
        f"SELECT {CLAIM_COLUMNS} FROM claims WHERE peer = ? AND role = ? AND claim_id = ?",  # noqa: S608
        (peer, str(role), claim_id),
    ).fetchone()
    return None if row is None else claim_from_row(row)


def require_own_claim(conn: sqlite3.Connection, claim_id: str) -> Claim:
    """One of our claims (we redeemed the partner's voucher), by the id we gave it."""
    row = conn.execute(
        f"SELECT {CLAIM_COLUMNS} FROM claims WHERE role = 'redeemer' AND claim_id = ?",  # noqa: S608
        (claim_id,),
    ).fetchone()
    if row is None:
        raise ClaimNotFound()
    return claim_from_row(row)


def update_claim(conn: sqlite3.Connection, claim: Claim, **values: Any) -> None:
    if "status" in values:
        values["status"] = str(core.claim_transition(claim.status, values["status"]))
    assignments = ", ".join(f"{name} = ?" for name in values)
    conn.execute(
        f"UPDATE claims SET {assignments} WHERE peer = ? AND role = ? AND claim_id = ?",  # noqa: S608
        (*values.values(), claim.peer, str(claim.role), claim.claim_id),
    )


def owed_by_peer(conn: sqlite3.Connection, peer: str) -> int:
    """What the partner owes us net: open receivables and pending claims minus open payables."""
    owed = "CASE WHEN role = 'redeemer' THEN amount_yen ELSE -amount_yen END"
    row = conn.execute(
        f"SELECT coalesce(sum({owed}), 0) AS owed FROM claims WHERE peer = ?"  # noqa: S608
        f" AND (status IN ({_OPEN}) OR status = 'CLAIMED')",
        (peer,),
    ).fetchone()
    return int(row["owed"])


def in_flight(conn: sqlite3.Connection, peer: str, cutoff: int) -> int:
    """Our claims or voids to the partner made by the cut-off and not yet answered."""
    row = conn.execute(
        "SELECT count(*) AS unanswered FROM claims WHERE peer = ? AND role = 'redeemer'"
        " AND created_at <= ?"
        " AND (status = 'CLAIMED' OR (status = 'ACCEPTED' AND void_requested_at IS NOT NULL))",
        (peer, cutoff),
    ).fetchone()
    return int(row["unanswered"])


def count_claims(conn: sqlite3.Connection, peer: str, status: ClaimStatus) -> int:
    row = conn.execute(
        "SELECT count(*) AS claims FROM claims WHERE peer = ? AND status = ?", (peer, str(status))
    ).fetchone()
    return int(row["claims"])


def disputed_claims(conn: sqlite3.Connection, claim_id: str, peer: str | None) -> list[Claim]:
    """The DISPUTED claims with that id (with any partner when `peer` is None)."""
    rows = conn.execute(
        f"SELECT {CLAIM_COLUMNS} FROM claims WHERE claim_id = ? AND status = 'DISPUTED'"  # noqa: S608
        " AND (? IS NULL OR peer = ?)",
        (claim_id, peer, peer),
    ).fetchall()
    return [claim_from_row(r) for r in rows]


# -- statements --------------------------------------------------------------------------------


def insert_statement(
    conn: sqlite3.Connection,
    peer: str,
    proposer: str,
    statement: Statement,
    fields: bytes,
    status: StatementStatus,
    now_s: int,
    breaks: list[Break] | None = None,
) -> None:
    conn.execute(
        "INSERT INTO statements (statement_id, peer, proposer, number, cutoff, fields,"
        " statement_hash, status, payer, amount_yen, breaks, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            statement.statement_id,
            peer,
            proposer,
            statement.number,
            statement.cutoff,
            fields,
            core.statement_hash(statement),
            str(status),
            statement.net.payer,
            statement.net.amount_yen,
            None if breaks is None else breaks_json(breaks),
            now_s,
        ),
    )


def breaks_json(breaks: list[Break]) -> str:
    return json.dumps(
        [{"item": b.item, "kind": str(b.kind), "ours": b.ours, "theirs": b.theirs} for b in breaks],
        ensure_ascii=False,
    )


def breaks_from_json(text: str) -> tuple[Break, ...]:
    return tuple(
        Break(b["item"], BreakKind(b["kind"]), b["ours"], b["theirs"]) for b in json.loads(text)
    )


def update_statement(
    conn: sqlite3.Connection, statement_id: str, current: StatementStatus, **values: Any
) -> None:
    if "status" in values:
        values["status"] = str(core.statement_transition(current, values["status"]))
    assignments = ", ".join(f"{name} = ?" for name in values)
    conn.execute(
        f"UPDATE statements SET {assignments} WHERE statement_id = ?",  # noqa: S608
        (*values.values(), statement_id),
    )


def disputed_since_last_agreed(conn: sqlite3.Connection, peer: str) -> list[StatementRow]:
    """Disputed statements with the partner since the newest agreed one, oldest first."""
    rows = conn.execute(
        f"SELECT {STATEMENT_COLUMNS} FROM statements WHERE peer = ?"  # noqa: S608
        " AND status = 'disputed' AND created_at >= coalesce((SELECT max(agreed_at)"
        " FROM statements WHERE peer = ? AND status IN ('agreed', 'paid', 'cleared')), 0)"
        " ORDER BY created_at",
        (peer, peer),
    ).fetchall()
    return [statement_from_row(r) for r in rows]


def open_statement(conn: sqlite3.Connection, peer: str) -> str | None:
    row = conn.execute(
        "SELECT statement_id FROM statements WHERE peer = ? AND status = 'proposed'", (peer,)
    ).fetchone()
    return None if row is None else str(row["statement_id"])


def claim_of_code(
    conn: sqlite3.Connection, code: str, store_id: str, amount_yen: int
) -> Claim | None:
    """Our latest claim made with a partner's code (its canonical form) at a store for an
    amount, if one was."""
    row = conn.execute(
        "SELECT claim_id FROM claim_codes WHERE code = ? AND store_id = ? AND amount_yen = ?",
        (code, store_id, amount_yen),
    ).fetchone()
    return None if row is None else require_own_claim(conn, str(row["claim_id"]))


def remember_claim_code(conn: sqlite3.Connection, code: str, claim: Claim) -> None:
    conn.execute(
        "INSERT INTO claim_codes (code, store_id, amount_yen, claim_id) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (code, store_id, amount_yen) DO UPDATE SET claim_id = excluded.claim_id",
        (code, claim.store_id, claim.amount_yen, claim.claim_id),
    )


def forget_claim_codes(conn: sqlite3.Connection, before_s: int) -> int:
    """Drop the codes of our claims made before `before_s` (past the retry window). The table
    holds one window's claims, each found by its claim's unique id."""
    return conn.execute(
        "DELETE FROM claim_codes WHERE (SELECT c.created_at FROM claims c WHERE c.role ="
        " 'redeemer' AND c.claim_id = claim_codes.claim_id) < ?",
        (before_s,),
    ).rowcount


# -- the protocol's book (node/settlement/book.py): what the shell loads for one partner ---------
# A partner's live claims and statements (bookkeeping.py), read by column name.

_LIVE_CLAIMS = ", ".join(f"'{s}'" for s in book.LIVE_CLAIM_STATUSES)


def live_claims(conn: sqlite3.Connection, peer: str) -> list[Claim]:
    """The partner's claims that can still move before a statement: pending, accepted, disputed."""
    rows = conn.execute(
        f"SELECT {CLAIM_COLUMNS} FROM claims WHERE peer = ? AND status IN ({_LIVE_CLAIMS})",  # noqa: S608
        (peer,),
    ).fetchall()
    return [claim_from_row(r) for r in rows]


def statement_claims(conn: sqlite3.Connection, statement_id: str) -> list[Claim]:
    rows = conn.execute(
        f"SELECT {CLAIM_COLUMNS} FROM claims WHERE statement_id = ?",  # noqa: S608
        (statement_id,),
    ).fetchall()
    return [claim_from_row(r) for r in rows]


def book_record(stored: StatementRow) -> book.StatementRecord:
    """A stored statement as the protocol's book keeps it (its signed fields decoded)."""
    return book.StatementRecord(
        statement=core.stored_statement(stored.fields),
        peer=stored.peer,
        proposer=stored.proposer,
        status=stored.status,
        statement_hash=stored.statement_hash,
        created_at=stored.created_at,
        breaks=None if stored.breaks is None else breaks_from_json(stored.breaks),
        reference=stored.reference,
        agreed_at=stored.agreed_at,
        paid_at=stored.paid_at,
        cleared_at=stored.cleared_at,
        txn_id=stored.txn_id,
        listed_in=stored.listed_in,
    )


def statement_records(conn: sqlite3.Connection, ids: Sequence[str]) -> list[book.StatementRecord]:
    """The statements with these ids (any partner's), those that exist."""
    found: list[book.StatementRecord] = []
    for statement_id in ids:
        rows = conn.execute(
            f"SELECT {STATEMENT_COLUMNS} FROM statements WHERE statement_id = ?",  # noqa: S608
            (statement_id,),
        ).fetchall()
        found.extend(book_record(statement_from_row(r)) for r in rows)
    return found


def live_statements(conn: sqlite3.Connection, me: str, peer: str) -> list[book.StatementRecord]:
    """The partner's statements the rules read: the open proposal, the newest agreed one, those
    cleared but not yet listed in a later statement, and those we paid and the partner has not
    confirmed yet (any number of them, however old: they hold back our next proposal)."""
    rows = conn.execute(
        f"SELECT {STATEMENT_COLUMNS} FROM statements WHERE peer = ? AND (status = 'proposed'"  # noqa: S608
        " OR (status = 'cleared' AND listed_in IS NULL AND amount_yen > 0)"
        " OR (status = 'paid' AND payer = ?)"
        " OR statement_id = (SELECT statement_id FROM statements WHERE peer = ?"
        " AND status IN ('agreed', 'paid', 'cleared') ORDER BY number DESC LIMIT 1))",
        (peer, me, peer),
    ).fetchall()
    return [book_record(statement_from_row(r)) for r in rows]
