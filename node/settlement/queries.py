"""Settlement reads for the admin API (aiosqlite): balances from the journal, claims, statements."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from node.clock import iso
from node.errors import ClaimNotFound, StatementNotFound
from node.ledger.rows import from_epoch, maybe_datetime
from node.reads import Reader
from node.settlement import core
from node.settlement.model import (
    ISSUER_ACCEPTED,
    Claim,
    ClaimStatus,
    Owed,
    Role,
    StatementRow,
)
from node.settlement.tables import (
    CLAIM_COLUMNS,
    STATEMENT_COLUMNS,
    claim_from_row,
    statement_from_row,
)

MAX_ROWS = 1000


def _time(seconds: int | None) -> str | None:
    return iso(maybe_datetime(seconds))


async def peer_names(reader: Reader) -> dict[str, str]:
    rows = await reader.execute_fetchall("SELECT node_id, name FROM peers")
    return {str(r["node_id"]): str(r["name"]) for r in rows}


async def balances(reader: Reader) -> list[dict[str, Any]]:
    """Per partner, from the journal: receivable (売掛), payable (買掛), net; pending claims apart."""
    rows = await reader.execute_fetchall(
        "SELECT p.node_id, p.name, p.status, p.max_receivable_yen,"
        " (SELECT coalesce(sum(amount_yen), 0) FROM postings"
        "   WHERE account = 'receivable:' || p.node_id) AS receivable,"
        " (SELECT coalesce(-sum(amount_yen), 0) FROM postings"
        "   WHERE account = 'payable:' || p.node_id) AS payable,"
        " (SELECT coalesce(sum(amount_yen), 0) FROM claims"
        "   WHERE peer = p.node_id AND role = 'redeemer' AND status = 'CLAIMED') AS pending,"
        " (SELECT count(*) FROM claims WHERE peer = p.node_id) AS claims"
        " FROM peers p ORDER BY p.created_at, p.node_id"
    )
    result = []
    for row in rows:
        if row["status"] == "removed" and not row["claims"]:
            continue
        result.append(
            {
                "peer": row["node_id"],
                "name": row["name"],
                "status": row["status"],
                "receivable": row["receivable"],
                "payable": row["payable"],
                "net": row["receivable"] - row["payable"],
                "pending": row["pending"],
                "max_receivable": row["max_receivable_yen"],
            }
        )
    return result


def claim_json(claim: Claim, me: str, names: dict[str, str]) -> dict[str, Any]:
    issuer = me if claim.role == Role.ISSUER else claim.peer
    redeemer = claim.peer if claim.role == Role.ISSUER else me
    return {
        "claim_id": claim.claim_id,
        "redemption_id": claim.claim_id,
        "peer": claim.peer,
        "peer_name": names.get(claim.peer, claim.peer[:8]),
        "role": str(claim.role),
        "issuer": issuer,
        "redeemer": redeemer,
        "voucher_id": claim.voucher_id,
        "store_id": claim.store_id,
        "store_name": claim.store_name,
        "amount": claim.amount_yen,
        "status": str(claim.status),
        "reason_code": claim.reason_code,
        "reason": claim.reason,
        "balance_after": claim.balance_after,
        "receipt_no": claim.receipt_no,
        "void_pending": claim.void_requested_at is not None
        and claim.status == ClaimStatus.ACCEPTED,
        "statement_id": claim.statement_id,
        "created_at": _time(claim.created_at),
        "decided_at": _time(claim.decided_at),
    }


async def list_claims(
    reader: Reader,
    peer: str | None,
    status: str | None,
    role: str | None,
) -> list[Claim]:
    where, args = [], []
    for column, value in (("peer", peer), ("status", status), ("role", role)):
        if value is not None:
            where.append(f"{column} = ?")
            args.append(value)
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    rows = await reader.execute_fetchall(
        f"SELECT {CLAIM_COLUMNS} FROM claims{clause}"  # noqa: S608
        f" ORDER BY created_at DESC, claim_id DESC LIMIT {MAX_ROWS}",
        args,
    )
    return [claim_from_row(r) for r in rows]


async def own_claim(reader: Reader, claim_id: str) -> Claim:
    rows = list(
        await reader.execute_fetchall(
            f"SELECT {CLAIM_COLUMNS} FROM claims WHERE claim_id = ?"  # noqa: S608
            " ORDER BY role = 'redeemer' DESC LIMIT 1",
            (claim_id,),
        )
    )
    if not rows:
        raise ClaimNotFound()
    return claim_from_row(rows[0])


_ACCEPTED_LIST = ", ".join("?" for _ in ISSUER_ACCEPTED)


async def partner_uses(reader: Reader, voucher_id: str) -> list[Claim]:
    """Our voucher used at partners' stores (we are the issuer and accepted), oldest first."""
    rows = await reader.execute_fetchall(
        f"SELECT {CLAIM_COLUMNS} FROM claims WHERE role = ? AND voucher_id = ?"  # noqa: S608
        f" AND status IN ({_ACCEPTED_LIST}) ORDER BY created_at, claim_id",
        (str(Role.ISSUER), voucher_id, *map(str, ISSUER_ACCEPTED)),
    )
    return [claim_from_row(r) for r in rows]


async def claims_at_store(reader: Reader, store_id: str, since_s: int, limit: int) -> list[Claim]:
    """Our claims on partners' vouchers taken at the store since `since_s`, and those still
    pending from before, newest first."""
    rows = await reader.execute_fetchall(
        f"SELECT {CLAIM_COLUMNS} FROM claims WHERE role = ? AND store_id = ?"  # noqa: S608
        " AND (created_at >= ? OR status = ?) ORDER BY created_at DESC LIMIT ?",
        (str(Role.REDEEMER), store_id, since_s, str(ClaimStatus.CLAIMED), limit),
    )
    return [claim_from_row(r) for r in rows]


async def partner_use_of_holder(reader: Reader, claim_id: str, holder_id: str) -> Claim | None:
    """One accepted use at a partner of a voucher `holder_id` holds (what their receipt shows).
    Claim ids are unique per partner only, so the holder's vouchers pick the row."""
    rows = list(
        await reader.execute_fetchall(
            f"SELECT {CLAIM_COLUMNS} FROM claims WHERE role = ? AND claim_id = ?"  # noqa: S608
            f" AND status IN ({_ACCEPTED_LIST}) AND voucher_id IN"
            " (SELECT voucher_id FROM vouchers WHERE holder_id = ?) LIMIT 1",
            (str(Role.ISSUER), claim_id, *map(str, ISSUER_ACCEPTED), holder_id),
        )
    )
    return claim_from_row(rows[0]) if rows else None


def statement_json(row: StatementRow, me: str, names: dict[str, str]) -> dict[str, Any]:
    statement = core.stored_statement(bytes(row.fields))
    peer, payer = row.peer, row.payer
    role = "payer" if payer == me else "payee" if payer else "none"
    return {
        "statement_id": row.statement_id,
        "peer": peer,
        "peer_name": names.get(peer, peer[:8]),
        "proposer": "us" if row.proposer == me else "partner",
        "number": row.number,
        "cutoff": _time(row.cutoff),
        "statement_hash": row.statement_hash.hex(),
        "status": str(row.status),
        "payer": payer or None,
        "amount": row.amount_yen,
        "we_are": role,
        "opening": _owed(statement.opening, me),
        "closing": _owed(statement.closing, me),
        "claims": [
            {"claim_id": i.claim_id, "issuer": i.issuer, "amount": i.amount_yen}
            for i in statement.claims
        ],
        "owed_to_us": sum(i.amount_yen for i in statement.claims if i.issuer == peer),
        "owed_by_us": sum(i.amount_yen for i in statement.claims if i.issuer == me),
        "cleared": [
            {"statement_id": c.statement_id, "payer": c.payer, "amount": c.amount_yen}
            for c in statement.cleared
        ],
        "breaks": json.loads(row.breaks) if row.breaks else [],
        "reference": row.reference,
        "created_at": _time(row.created_at),
        "agreed_at": _time(row.agreed_at),
        "paid_at": _time(row.paid_at),
        "cleared_at": _time(row.cleared_at),
    }


def _owed(owed: Owed, me: str) -> dict[str, Any]:
    """Signed from our side: positive when the partner owes us."""
    if owed.amount_yen == 0:
        return {"payer": None, "amount": 0, "owed_to_us": 0}
    sign = -1 if owed.payer == me else 1
    return {"payer": owed.payer, "amount": owed.amount_yen, "owed_to_us": sign * owed.amount_yen}


async def list_statements(reader: Reader, peer: str | None) -> list[StatementRow]:
    clause, args = ("WHERE peer = ?", [peer]) if peer else ("", [])
    rows = await reader.execute_fetchall(
        f"SELECT {STATEMENT_COLUMNS} FROM statements {clause}"  # noqa: S608
        f" ORDER BY created_at DESC, statement_id DESC LIMIT {MAX_ROWS}",
        args,
    )
    return [statement_from_row(r) for r in rows]


async def statement_row(reader: Reader, statement_id: str) -> StatementRow:
    rows = list(
        await reader.execute_fetchall(
            f"SELECT {STATEMENT_COLUMNS} FROM statements WHERE statement_id = ?",  # noqa: S608
            (statement_id,),
        )
    )
    if not rows:
        raise StatementNotFound()
    return statement_from_row(rows[0])


@dataclass(frozen=True)
class ClaimGroup:
    """Claims with one partner of one status, split by whether a void was asked for."""

    status: ClaimStatus
    is_void_asked: bool
    claims: int
    amount_yen: int


async def claim_groups(reader: Reader, peer: str) -> list[ClaimGroup]:
    """Claims with the partner, both directions, counted and summed by where they stand."""
    rows = await reader.execute_fetchall(
        "SELECT status, void_requested_at IS NOT NULL AS is_void_asked, count(*) AS claims,"
        " coalesce(sum(amount_yen), 0) AS amount_yen FROM claims WHERE peer = ? GROUP BY 1, 2",
        (peer,),
    )
    return [
        ClaimGroup(
            ClaimStatus(r["status"]),
            bool(r["is_void_asked"]),
            int(r["claims"]),
            int(r["amount_yen"]),
        )
        for r in rows
    ]


async def claim_counts(reader: Reader) -> list[tuple[str, str, int]]:
    """How many claims there are per role and status (for metrics)."""
    rows = await reader.execute_fetchall(
        "SELECT role, status, COUNT(*) AS claims FROM claims GROUP BY role, status"
        " ORDER BY role, status"
    )
    return [(str(r["role"]), str(r["status"]).lower(), int(r["claims"])) for r in rows]


@dataclass(frozen=True)
class PartnerRedemption:
    """A claim a partner sent for this voucher (its store took it): role 'issuer' on our side."""

    claim_id: str
    partner: str
    store_name: str
    amount_yen: int
    status: str
    created_at: datetime
    balance_after: int | None
    receipt_no: str | None
    txn_id: str | None
    void_txn_id: str | None


async def partner_redemptions(db: Reader, voucher_id: str) -> list[PartnerRedemption]:
    rows = await db.execute_fetchall(
        "SELECT c.claim_id, coalesce(p.name, c.peer) AS partner, c.store_name, c.amount_yen,"
        " c.status,"
        " c.created_at, c.balance_after, c.receipt_no, c.txn_id, c.void_txn_id"
        " FROM claims c LEFT JOIN peers p ON p.node_id = c.peer"
        " WHERE c.role = 'issuer' AND c.voucher_id = ? ORDER BY c.created_at, c.claim_id",
        (voucher_id,),
    )
    return [
        PartnerRedemption(
            claim_id=r["claim_id"],
            partner=r["partner"],
            store_name=r["store_name"],
            amount_yen=r["amount_yen"],
            status=r["status"],
            created_at=from_epoch(r["created_at"]),
            balance_after=r["balance_after"],
            receipt_no=r["receipt_no"],
            txn_id=r["txn_id"],
            void_txn_id=r["void_txn_id"],
        )
        for r in rows
    ]


MAX_IDS_PER_QUERY = 500  # below SQLite's bound-parameter limit


async def claims_by_id(reader: Reader, claim_ids: list[str]) -> dict[str, Claim]:
    """The claims a statement lists, by id (for their date, store and receipt number)."""
    found: dict[str, Claim] = {}
    for start in range(0, len(claim_ids), MAX_IDS_PER_QUERY):
        chunk = claim_ids[start : start + MAX_IDS_PER_QUERY]
        marks = ", ".join("?" for _ in chunk)
        rows = await reader.execute_fetchall(
            f"SELECT {CLAIM_COLUMNS} FROM claims WHERE claim_id IN ({marks})"  # noqa: S608
            " ORDER BY role = 'redeemer'",
            chunk,
        )
        found.update({claim.claim_id: claim for claim in map(claim_from_row, rows)})
    return found
