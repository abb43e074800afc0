"""What the settlement protocol's book (node/settlement/book.py) is loaded from: a partner's live
claims and statements, read by column name inside the writer's transaction (bookkeeping.py)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Any

from node.settlement import book, core
from node.settlement.model import Break, BreakKind, Claim, ClaimStatus, Role, StatementStatus
from node.settlement.tables import CLAIM_COLUMNS, STATEMENT_COLUMNS

_RECORD_COLUMNS = STATEMENT_COLUMNS + ", txn_id, listed_in"
_LIVE_CLAIMS = ", ".join(f"'{s}'" for s in book.LIVE_CLAIM_STATUSES)


def _named_rows(cursor: sqlite3.Cursor) -> list[dict[str, Any]]:
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _claim_of(values: dict[str, Any]) -> Claim:
    return Claim(
        **{**values, "role": Role(values["role"]), "status": ClaimStatus(values["status"])}
    )


def live_claims(conn: sqlite3.Connection, peer: str) -> list[Claim]:
    """The partner's claims that can still move before a statement: pending, accepted, disputed."""
    cursor = conn.execute(
        f"SELECT {CLAIM_COLUMNS} FROM claims WHERE peer = ? AND status IN ({_LIVE_CLAIMS})",  # noqa: S608
        (peer,),
    )
    return [_claim_of(values) for values in _named_rows(cursor)]


def statement_claims(conn: sqlite3.Connection, statement_id: str) -> list[Claim]:
    cursor = conn.execute(
        f"SELECT {CLAIM_COLUMNS} FROM claims WHERE statement_id = ?",  # noqa: S608
        (statement_id,),
    )
    return [_claim_of(values) for values in _named_rows(cursor)]


def _record_of(values: dict[str, Any]) -> book.StatementRecord:
    breaks = None
    if values["breaks"] is not None:
        breaks = tuple(
            Break(b["item"], BreakKind(b["kind"]), b["ours"], b["theirs"])
            for b in json.loads(values["breaks"])
        )
    return book.StatementRecord(
        statement=core.stored_statement(bytes(values["fields"])),
        peer=values["peer"],
        proposer=values["proposer"],
        status=StatementStatus(values["status"]),
        statement_hash=bytes(values["statement_hash"]),
        created_at=values["created_at"],
        breaks=breaks,
        reference=values["reference"],
        agreed_at=values["agreed_at"],
        paid_at=values["paid_at"],
        cleared_at=values["cleared_at"],
        txn_id=values["txn_id"],
        listed_in=values["listed_in"],
    )


def statement_records(conn: sqlite3.Connection, ids: Sequence[str]) -> list[book.StatementRecord]:
    """The statements with these ids (any partner's), those that exist."""
    found: list[book.StatementRecord] = []
    for statement_id in ids:
        cursor = conn.execute(
            f"SELECT {_RECORD_COLUMNS} FROM statements WHERE statement_id = ?",  # noqa: S608
            (statement_id,),
        )
        found.extend(_record_of(values) for values in _named_rows(cursor))
    return found


def live_statements(conn: sqlite3.Connection, me: str, peer: str) -> list[book.StatementRecord]:
    """The partner's statements the rules read: the open proposal, the newest agreed one, those
    cleared but not yet listed in a later statement, and those we paid and the partner has not
    confirmed yet (any number of them, however old: they hold back our next proposal)."""
    cursor = conn.execute(
        f"SELECT {_RECORD_COLUMNS} FROM statements WHERE peer = ? AND (status = 'proposed'"  # noqa: S608
        " OR (status = 'cleared' AND listed_in IS NULL AND amount_yen > 0)"
        " OR (status = 'paid' AND payer = ?)"
        " OR statement_id = (SELECT statement_id FROM statements WHERE peer = ?"
        " AND status IN ('agreed', 'paid', 'cleared') ORDER BY number DESC LIMIT 1))",
        (peer, me, peer),
    )
    return [_record_of(values) for values in _named_rows(cursor)]
