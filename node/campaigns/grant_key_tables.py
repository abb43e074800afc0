"""SQL of campaign_grant_keys: a grant's idempotency key, stored in the unit that made the grant,
and read back with that grant (the writer's, and the API's read before the waiting room)."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from node.campaigns.grant_keys import GrantKey, StoredKey
from node.campaigns.model import Grant
from node.ledger.rows import from_epoch, to_epoch

STORED_KEY = (
    "SELECT k.idempotency_key, k.caller, k.request_hash, k.voucher_ids, g.grant_id,"
    " g.campaign_id, g.customer_id, g.seq, g.face_yen, g.price_yen, g.granted_at, g.actor"
    " FROM campaign_grant_keys k JOIN campaign_grants g ON g.grant_id = k.grant_id"
    " WHERE k.idempotency_key = ?"
)


def stored_from_row(row: sqlite3.Row) -> StoredKey:
    grant = Grant(
        grant_id=row["grant_id"],
        campaign_id=row["campaign_id"],
        customer_id=row["customer_id"],
        seq=row["seq"],
        face_yen=row["face_yen"],
        price_yen=row["price_yen"],
        granted_at=from_epoch(row["granted_at"]),
        actor=row["actor"],
        voucher_ids=tuple(row["voucher_ids"].split(" ")),
    )
    key = GrantKey(row["idempotency_key"], row["caller"], bytes(row["request_hash"]))
    return StoredKey(key, grant)


def stored_key(conn: sqlite3.Connection, key: str) -> StoredKey | None:
    row = conn.execute(STORED_KEY, (key,)).fetchone()
    return None if row is None else stored_from_row(row)


def insert_key(conn: sqlite3.Connection, key: GrantKey, grant: Grant, now: datetime) -> None:
    """The key beside the grant it made; its vouchers in the order first answered."""
    conn.execute(
        "INSERT INTO campaign_grant_keys (idempotency_key, caller, campaign_id, request_hash,"
        " grant_id, voucher_ids, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            key.key,
            key.caller,
            grant.campaign_id,
            key.digest,
            grant.grant_id,
            " ".join(grant.voucher_ids),
            to_epoch(now),
        ),
    )
