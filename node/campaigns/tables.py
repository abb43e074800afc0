"""The campaigns' SQL in the writer: campaigns and their rounds, grants and the vouchers they
issued, the checks residents passed (0035)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime

from node.campaigns.model import Campaign, CampaignKind, Grant, Method, Round, StoreClass
from node.ledger.rows import from_epoch, maybe_epoch, to_epoch

CAMPAIGN_COLUMNS = (
    "campaign_id, kind, name, terms, face_yen, price_yen, local_yen, book_count, stock,"
    " per_person, budget_yen, starts_at, ends_at, use_until, eligibility, postcodes,"
    " granted_sets, granted_yen, closed_at, created_at, actor"
)


def campaign_from_row(row: sqlite3.Row, rounds: Sequence[Round]) -> Campaign:
    return Campaign(
        campaign_id=row["campaign_id"],
        kind=CampaignKind(row["kind"]),
        name=row["name"],
        terms=row["terms"],
        face_yen=row["face_yen"],
        price_yen=row["price_yen"],
        local_yen=row["local_yen"],
        book_count=row["book_count"],
        stock=row["stock"],
        per_person=row["per_person"],
        budget_yen=row["budget_yen"],
        starts_at=from_epoch(row["starts_at"]),
        ends_at=from_epoch(row["ends_at"]),
        use_until=from_epoch(row["use_until"]),
        eligibility=frozenset(Method(m) for m in row["eligibility"].split(",") if m),
        postcodes=tuple(p for p in row["postcodes"].split(",") if p),
        granted_sets=row["granted_sets"],
        granted_yen=row["granted_yen"],
        closed_at=None if row["closed_at"] is None else from_epoch(row["closed_at"]),
        created_at=from_epoch(row["created_at"]),
        actor=row["actor"],
        rounds=tuple(rounds),
    )


def rounds_of(conn: sqlite3.Connection, campaign_id: str) -> list[Round]:
    rows = conn.execute(
        "SELECT round_no, opens_at, stock FROM campaign_rounds WHERE campaign_id = ?"
        " ORDER BY round_no",
        (campaign_id,),
    ).fetchall()
    return [Round(r["round_no"], from_epoch(r["opens_at"]), r["stock"]) for r in rows]


def load_campaign(conn: sqlite3.Connection, campaign_id: str) -> Campaign | None:
    row = conn.execute(
        f"SELECT {CAMPAIGN_COLUMNS} FROM campaigns WHERE campaign_id = ?",  # noqa: S608
        (campaign_id,),
    ).fetchone()
    return None if row is None else campaign_from_row(row, rounds_of(conn, campaign_id))


def insert_campaign(conn: sqlite3.Connection, c: Campaign) -> None:
    conn.execute(
        f"INSERT INTO campaigns ({CAMPAIGN_COLUMNS})"  # noqa: S608
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            c.campaign_id,
            c.kind.value,
            c.name,
            c.terms,
            c.face_yen,
            c.price_yen,
            c.local_yen,
            c.book_count,
            c.stock,
            c.per_person,
            c.budget_yen,
            to_epoch(c.starts_at),
            to_epoch(c.ends_at),
            to_epoch(c.use_until),
            ",".join(sorted(m.value for m in c.eligibility)),
            ",".join(c.postcodes),
            c.granted_sets,
            c.granted_yen,
            maybe_epoch(c.closed_at),
            to_epoch(c.created_at),
            c.actor,
        ),
    )
    conn.executemany(
        "INSERT INTO campaign_rounds (campaign_id, round_no, opens_at, stock) VALUES (?, ?, ?, ?)",
        [(c.campaign_id, r.round_no, to_epoch(r.opens_at), r.stock) for r in c.rounds],
    )


def count_grant(conn: sqlite3.Connection, campaign_id: str, face_yen: int) -> None:
    """One more grant of `face_yen`; the schema's CHECKs refuse an oversell even if a rule missed
    it (the writer unit then fails whole)."""
    conn.execute(
        "UPDATE campaigns SET granted_sets = granted_sets + 1, granted_yen = granted_yen + ?"
        " WHERE campaign_id = ?",
        (face_yen, campaign_id),
    )


def close_campaign(conn: sqlite3.Connection, campaign_id: str, now: datetime) -> None:
    conn.execute(
        "UPDATE campaigns SET closed_at = ? WHERE campaign_id = ? AND closed_at IS NULL",
        (to_epoch(now), campaign_id),
    )


def grants_of_person(conn: sqlite3.Connection, campaign_id: str, customer_id: str) -> int:
    row = conn.execute(
        "SELECT COUNT(*) AS n FROM campaign_grants WHERE campaign_id = ? AND customer_id = ?",
        (campaign_id, customer_id),
    ).fetchone()
    return int(row["n"])


def insert_grant(conn: sqlite3.Connection, grant: Grant, classes: Sequence[StoreClass]) -> None:
    conn.execute(
        "INSERT INTO campaign_grants (grant_id, campaign_id, customer_id, seq, face_yen,"
        " price_yen, granted_at, actor) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            grant.grant_id,
            grant.campaign_id,
            grant.customer_id,
            grant.seq,
            grant.face_yen,
            grant.price_yen,
            to_epoch(grant.granted_at),
            grant.actor,
        ),
    )
    conn.executemany(
        "INSERT INTO campaign_grant_vouchers (voucher_id, grant_id, campaign_id, store_class)"
        " VALUES (?, ?, ?, ?)",
        [
            (voucher_id, grant.grant_id, grant.campaign_id, store_class.value)
            for voucher_id, store_class in zip(grant.voucher_ids, classes, strict=True)
        ],
    )


def vouchers_of_grant(conn: sqlite3.Connection, grant_id: str) -> list[str]:
    """A grant's vouchers, the 共通券 before the 専用券."""
    rows = conn.execute(
        "SELECT voucher_id FROM campaign_grant_vouchers WHERE grant_id = ?"
        " ORDER BY store_class = 'local', voucher_id",
        (grant_id,),
    ).fetchall()
    return [str(r["voucher_id"]) for r in rows]


def passed_methods(conn: sqlite3.Connection, campaign_id: str, customer_id: str) -> set[Method]:
    rows = conn.execute(
        "SELECT method FROM campaign_verifications WHERE campaign_id = ? AND customer_id = ?",
        (campaign_id, customer_id),
    ).fetchall()
    return {Method(r["method"]) for r in rows}


def record_verification(
    conn: sqlite3.Connection,
    campaign_id: str,
    customer_id: str,
    method: Method,
    subject: str,
    now: datetime,
) -> bool:
    """Record that the resident passed `method` with `subject`; False (nothing written) when the
    subject already proved it for someone else, or the resident had passed it already."""
    cursor = conn.execute(
        "INSERT INTO campaign_verifications (campaign_id, customer_id, method, subject,"
        " verified_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        (campaign_id, customer_id, method.value, subject, to_epoch(now)),
    )
    return cursor.rowcount == 1


def verification_subject_of(
    conn: sqlite3.Connection, campaign_id: str, customer_id: str, method: Method
) -> str | None:
    row = conn.execute(
        "SELECT subject FROM campaign_verifications WHERE campaign_id = ? AND customer_id = ?"
        " AND method = ?",
        (campaign_id, customer_id, method.value),
    ).fetchone()
    return None if row is None else str(row["subject"])
