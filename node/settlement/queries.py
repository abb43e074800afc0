"""Settlement reads for the admin API (aiosqlite): balances from the journal, claims, statements."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from node.api.serialize import iso
from node.errors import ClaimNotFound, StatementNotFound
from node.ledger.rows import maybe_datetime
from node.reads import Reader
from node.settlement import core
from node.settlement.model import ISSUER_ACCEPTED, Claim, ClaimStatus, Owed, Role
from node.settlement.tables import CLAIM_COLUMNS, STATEMENT_COLUMNS, claim_from_row

MAX_ROWS = 1000


def _time(seconds: int | None) -> str | None:
    return iso(maybe_datetime(seconds))


async def peer_names(reader: Reader) -> dict[str, str]:
    rows = await reader.execute_fetchall("SELECT node_id, name FROM peers")
    return {str(r[0]): str(r[1]) for r in rows}


async def balances(reader: Reader) -> list[dict[str, Any]]:
    """Per partner, from the journal: receivable (売掛), payable (買掛), net; pending claims apart."""
    rows = await reader.execute_fetchall(
        "SELECT p.node_id, p.name, p.status, p.max_receivable_yen,"
        " (SELECT coalesce(sum(amount_yen), 0) FROM postings"
        "   WHERE account = 'receivable:' || p.node_id),"
        " (SELECT coalesce(-sum(amount_yen), 0) FROM postings"
        "   WHERE account = 'payable:' || p.node_id),"
        " (SELECT coalesce(sum(amount_yen), 0) FROM claims"
        "   WHERE peer = p.node_id AND role = 'redeemer' AND status = 'CLAIMED'),"
        " (SELECT count(*) FROM claims WHERE peer = p.node_id)"
        " FROM peers p ORDER BY p.created_at, p.node_id"
    )
    result = []
    for node_id, name, status, limit, receivable, payable, pending, claims in rows:
        if status == "removed" and not claims:
            continue
        result.append(
            {
                "peer": node_id,
                "name": name,
                "status": status,
                "receivable": receivable,
                "payable": payable,
                "net": receivable - payable,
                "pending": pending,
                "max_receivable": limit,
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


def statement_json(row: Sequence[Any], me: str, names: dict[str, str]) -> dict[str, Any]:
    statement = core.stored_statement(bytes(row[5]))
    peer, payer = row[1], row[8]
    role = "payer" if payer == me else "payee" if payer else "none"
    return {
        "statement_id": row[0],
        "peer": peer,
        "peer_name": names.get(peer, peer[:8]),
        "proposer": "us" if row[2] == me else "partner",
        "number": row[3],
        "cutoff": _time(row[4]),
        "statement_hash": bytes(row[6]).hex(),
        "status": row[7],
        "payer": payer or None,
        "amount": row[9],
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
        "breaks": json.loads(row[10]) if row[10] else [],
        "reference": row[11],
        "created_at": _time(row[12]),
        "agreed_at": _time(row[13]),
        "paid_at": _time(row[14]),
        "cleared_at": _time(row[15]),
    }


def _owed(owed: Owed, me: str) -> dict[str, Any]:
    """Signed from our side: positive when the partner owes us."""
    if owed.amount_yen == 0:
        return {"payer": None, "amount": 0, "owed_to_us": 0}
    sign = -1 if owed.payer == me else 1
    return {"payer": owed.payer, "amount": owed.amount_yen, "owed_to_us": sign * owed.amount_yen}


async def list_statements(reader: Reader, peer: str | None) -> list[Sequence[Any]]:
    clause, args = ("WHERE peer = ?", [peer]) if peer else ("", [])
    rows = await reader.execute_fetchall(
        f"SELECT {STATEMENT_COLUMNS} FROM statements {clause}"  # noqa: S608
        f" ORDER BY created_at DESC, statement_id DESC LIMIT {MAX_ROWS}",
        args,
    )
    return list(rows)


async def statement_row(reader: Reader, statement_id: str) -> Sequence[Any]:
    rows = list(
        await reader.execute_fetchall(
            f"SELECT {STATEMENT_COLUMNS} FROM statements WHERE statement_id = ?",  # noqa: S608
            (statement_id,),
        )
    )
    if not rows:
        raise StatementNotFound()
    return rows[0]


async def claim_counts(reader: Reader) -> list[tuple[str, str, int]]:
    """How many claims there are per role and status (for metrics)."""
    rows = await reader.execute_fetchall(
        "SELECT role, status, COUNT(*) FROM claims GROUP BY role, status ORDER BY role, status"
    )
    return [(str(r[0]), str(r[1]).lower(), int(r[2])) for r in rows]
