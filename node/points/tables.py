"""SQL for points inside the writer's transaction: members and their card codes, the program's
versions, store rates and campaigns, the points journal and its lots, callers' requests,
purchases, returns' shortfalls, and the member's rank multiplier."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from node.errors import KippuError
from node.ledger.rows import maybe_epoch, to_epoch
from node.points.model import (
    Campaign,
    Lot,
    LotMove,
    Member,
    PointEntry,
    Program,
    Purchase,
    PurchaseLine,
    StoreRate,
)
from node.points.rows import (
    CAMPAIGN_COLUMNS,
    LOT_COLUMNS,
    MEMBER_COLUMNS,
    PROGRAM_COLUMNS,
    PURCHASE_COLUMNS,
    STORE_RATE_COLUMNS,
    campaign_from_row,
    lot_from_row,
    member_from_row,
    program_from_row,
    purchase_from_row,
    store_rate_from_row,
)

# -- members ---------------------------------------------------------------------------------


def load_member(conn: sqlite3.Connection, customer_id: str) -> Member | None:
    row = conn.execute(
        f"SELECT {MEMBER_COLUMNS} FROM members WHERE customer_id = ?",  # noqa: S608
        (customer_id,),
    ).fetchone()
    return None if row is None else member_from_row(row)


def member_by_number(conn: sqlite3.Connection, member_no: str) -> Member | None:
    row = conn.execute(
        f"SELECT {MEMBER_COLUMNS} FROM members WHERE member_no = ?",  # noqa: S608
        (member_no,),
    ).fetchone()
    return None if row is None else member_from_row(row)


def member_by_card(conn: sqlite3.Connection, card_no: str) -> Member | None:
    row = conn.execute(
        f"SELECT {MEMBER_COLUMNS} FROM members WHERE card_no = ?",  # noqa: S608
        (card_no,),
    ).fetchone()
    return None if row is None else member_from_row(row)


def number_taken(conn: sqlite3.Connection, member_no: str, card_no: str) -> bool:
    row = conn.execute(
        "SELECT 1 FROM members WHERE member_no = ? OR card_no = ?", (member_no, card_no)
    ).fetchone()
    return row is not None


def insert_member(conn: sqlite3.Connection, member: Member) -> None:
    conn.execute(
        f"INSERT INTO members ({MEMBER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",  # noqa: S608
        (
            member.customer_id,
            member.member_no,
            member.card_no,
            member.card_secret,
            int(member.notify_expiry),
            to_epoch(member.created_at),
        ),
    )


def set_notify_expiry(conn: sqlite3.Connection, customer_id: str, wanted: bool) -> None:
    conn.execute(
        "UPDATE members SET notify_expiry = ? WHERE customer_id = ?", (int(wanted), customer_id)
    )


def claim_card_code(
    conn: sqlite3.Connection, customer_id: str, step: int, nonce: str, now: datetime
) -> bool:
    """Record a rotating card code as used; False when it already was."""
    cursor = conn.execute(
        "INSERT INTO member_codes_used (customer_id, step, nonce, used_at)"
        " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
        (customer_id, step, nonce, to_epoch(now)),
    )
    return cursor.rowcount == 1


# -- the program -----------------------------------------------------------------------------


def load_programs(conn: sqlite3.Connection) -> list[Program]:
    """Every version of the program (a handful: one per change head office made)."""
    rows = conn.execute(
        f"SELECT {PROGRAM_COLUMNS} FROM point_programs ORDER BY effective_from"  # noqa: S608
    ).fetchall()
    return [program_from_row(r) for r in rows]


def insert_program(conn: sqlite3.Connection, program: Program) -> None:
    conn.execute(
        f"INSERT INTO point_programs ({PROGRAM_COLUMNS})"  # noqa: S608
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            program.version_id,
            to_epoch(program.effective_from),
            program.earn_points,
            program.earn_per_yen,
            str(program.rounding),
            str(program.expiry_kind),
            program.expiry_days,
            program.point_value_yen,
            program.min_use_points,
            to_epoch(program.created_at),
            program.created_by,
        ),
    )


def load_store_rates(conn: sqlite3.Connection, store_id: str) -> list[StoreRate]:
    rows = conn.execute(
        f"SELECT {STORE_RATE_COLUMNS} FROM point_store_rates WHERE store_id = ?"  # noqa: S608
        " ORDER BY effective_from",
        (store_id,),
    ).fetchall()
    return [store_rate_from_row(r) for r in rows]


def insert_store_rate(conn: sqlite3.Connection, rate: StoreRate) -> None:
    conn.execute(
        f"INSERT INTO point_store_rates ({STORE_RATE_COLUMNS})"  # noqa: S608
        " VALUES (?, ?, ?, ?, ?, ?)",
        (
            rate.store_id,
            to_epoch(rate.effective_from),
            rate.earn_points,
            rate.earn_per_yen,
            to_epoch(rate.created_at),
            rate.created_by,
        ),
    )


def campaigns_at(conn: sqlite3.Connection, at: datetime) -> list[Campaign]:
    """The campaigns running at `at`, cancelled or not (the caller's rule decides)."""
    rows = conn.execute(
        f"SELECT {CAMPAIGN_COLUMNS} FROM point_campaigns"  # noqa: S608
        " WHERE ends_at > ? AND starts_at <= ?",
        (to_epoch(at), to_epoch(at)),
    ).fetchall()
    return [campaign_from_row(r) for r in rows]


def load_campaign(conn: sqlite3.Connection, campaign_id: str) -> Campaign | None:
    row = conn.execute(
        f"SELECT {CAMPAIGN_COLUMNS} FROM point_campaigns WHERE campaign_id = ?",  # noqa: S608
        (campaign_id,),
    ).fetchone()
    return None if row is None else campaign_from_row(row)


def insert_campaign(conn: sqlite3.Connection, campaign: Campaign) -> None:
    conn.execute(
        f"INSERT INTO point_campaigns ({CAMPAIGN_COLUMNS})"  # noqa: S608
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            campaign.campaign_id,
            campaign.name,
            campaign.store_id,
            campaign.multiplier_pct,
            to_epoch(campaign.starts_at),
            to_epoch(campaign.ends_at),
            to_epoch(campaign.created_at),
            campaign.created_by,
            maybe_epoch(campaign.cancelled_at),
        ),
    )


def cancel_campaign(conn: sqlite3.Connection, campaign_id: str, now: datetime) -> bool:
    cursor = conn.execute(
        "UPDATE point_campaigns SET cancelled_at = ?"
        " WHERE campaign_id = ? AND cancelled_at IS NULL",
        (to_epoch(now), campaign_id),
    )
    return cursor.rowcount == 1


def rank_pct(conn: sqlite3.Connection, customer_id: str) -> int:
    """The member's rank's earn multiplier (percent); 100 for a member without a rank."""
    row = conn.execute(
        "SELECT multiplier_pct FROM member_ranks WHERE customer_id = ?", (customer_id,)
    ).fetchone()
    return 100 if row is None else int(row["multiplier_pct"])


# -- the points journal and its lots ---------------------------------------------------------


def save_entry(conn: sqlite3.Connection, entry: PointEntry) -> None:
    if not entry.is_balanced:
        raise KippuError(f"unbalanced points entry {entry.entry_id}")
    conn.execute(
        "INSERT INTO point_entries (entry_id, kind, customer_id, created_at, actor, reason)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (
            entry.entry_id,
            str(entry.kind),
            entry.customer_id,
            to_epoch(entry.created_at),
            entry.actor,
            entry.reason,
        ),
    )
    conn.executemany(
        "INSERT INTO point_postings (entry_id, line, account, points) VALUES (?, ?, ?, ?)",
        [(entry.entry_id, i, p.account, p.points) for i, p in enumerate(entry.postings)],
    )


def insert_lot(conn: sqlite3.Connection, lot: Lot) -> None:
    conn.execute(
        f"INSERT INTO point_lots ({LOT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",  # noqa: S608
        (
            lot.lot_id,
            lot.customer_id,
            lot.entry_id,
            to_epoch(lot.earned_at),
            maybe_epoch(lot.expires_at),
            lot.points,
            lot.remaining,
            maybe_epoch(lot.expired_at),
        ),
    )


def open_lots(conn: sqlite3.Connection, customer_id: str) -> list[Lot]:
    """The member's lots with something left (live or past their expiry, not yet swept)."""
    rows = conn.execute(
        f"SELECT {LOT_COLUMNS} FROM point_lots"  # noqa: S608
        " WHERE customer_id = ? AND remaining > 0",
        (customer_id,),
    ).fetchall()
    return [lot_from_row(r) for r in rows]


def lots_to_spend(
    conn: sqlite3.Connection, customer_id: str, now: datetime, points: int
) -> list[Lot]:
    """The member's live lots in spending order (core.spend_order_key: soonest expiry first,
    none last, then earned, then id), read only until they hold `points`: a use takes from the
    first few, not from every lot a frequent shopper has. All of them when they hold fewer, so
    core.take_from reports the true balance."""
    cursor = conn.execute(
        f"SELECT {LOT_COLUMNS} FROM point_lots"  # noqa: S608
        " WHERE customer_id = ? AND remaining > 0 AND (expires_at IS NULL OR expires_at > ?)"
        " ORDER BY expires_at IS NULL, expires_at, earned_at, lot_id",
        (customer_id, to_epoch(now)),
    )
    lots: list[Lot] = []
    held = 0
    for row in cursor:
        lots.append(lot_from_row(row))
        held += lots[-1].remaining
        if held >= points:
            break
    cursor.close()
    return lots


def load_lots(conn: sqlite3.Connection, lot_ids: list[str]) -> list[Lot]:
    marks = ", ".join("?" for _ in lot_ids)
    rows = conn.execute(
        f"SELECT {LOT_COLUMNS} FROM point_lots WHERE lot_id IN ({marks})",  # noqa: S608
        lot_ids,
    ).fetchall()
    return [lot_from_row(r) for r in rows]


def move_lots(conn: sqlite3.Connection, entry_id: str, moves: tuple[LotMove, ...]) -> None:
    """Apply each move to its lot and record it. The database refuses a lot below zero or
    above what it was given; a lot that changed since it was read fails loudly."""
    for move in moves:
        changed = conn.execute(
            "UPDATE point_lots SET remaining = remaining + ?"
            " WHERE lot_id = ? AND expired_at IS NULL",
            (move.points, move.lot_id),
        ).rowcount
        if changed != 1:
            raise KippuError(f"lot {move.lot_id} cannot move")
    conn.executemany(
        "INSERT INTO point_lot_moves (entry_id, lot_id, points) VALUES (?, ?, ?)",
        [(entry_id, m.lot_id, m.points) for m in moves],
    )


def moves_of(conn: sqlite3.Connection, entry_id: str) -> tuple[LotMove, ...]:
    rows = conn.execute(
        "SELECT lot_id, points FROM point_lot_moves WHERE entry_id = ? ORDER BY lot_id",
        (entry_id,),
    ).fetchall()
    return tuple(LotMove(r["lot_id"], r["points"]) for r in rows)


def lots_due(conn: sqlite3.Connection, now: datetime, limit: int) -> list[Lot]:
    """Lots past their expiry with something left, oldest expiry first, at most `limit`."""
    rows = conn.execute(
        f"SELECT {LOT_COLUMNS} FROM point_lots"  # noqa: S608
        " WHERE remaining > 0 AND expires_at IS NOT NULL AND expires_at <= ?"
        " ORDER BY expires_at, lot_id LIMIT ?",
        (to_epoch(now), limit),
    ).fetchall()
    return [lot_from_row(r) for r in rows]


def close_expired(conn: sqlite3.Connection, entry_id: str, lot: Lot, now: datetime) -> None:
    """The lot's remainder moved to breakage by `entry_id`: zero it and mark it closed."""
    changed = conn.execute(
        "UPDATE point_lots SET remaining = 0, expired_at = ?"
        " WHERE lot_id = ? AND remaining = ? AND expired_at IS NULL",
        (to_epoch(now), lot.lot_id, lot.remaining),
    ).rowcount
    if changed != 1:
        raise KippuError(f"lot {lot.lot_id} changed while it expired")
    conn.execute(
        "INSERT INTO point_lot_moves (entry_id, lot_id, points) VALUES (?, ?, ?)",
        (entry_id, lot.lot_id, -lot.remaining),
    )


# -- callers' requests (idempotency) ---------------------------------------------------------


def load_request(conn: sqlite3.Connection, txn_id: str) -> sqlite3.Row | None:
    row: sqlite3.Row | None = conn.execute(
        "SELECT txn_id, operation, request_hash, response, entry_id, customer_id, caller,"
        " created_at FROM point_requests WHERE txn_id = ?",
        (txn_id,),
    ).fetchone()
    return row


def insert_request(
    conn: sqlite3.Connection,
    txn_id: str,
    operation: str,
    request_hash: bytes,
    response: str,
    entry_id: str | None,
    customer_id: str | None,
    caller: str,
    now: datetime,
) -> None:
    conn.execute(
        "INSERT INTO point_requests (txn_id, operation, request_hash, response, entry_id,"
        " customer_id, caller, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (txn_id, operation, request_hash, response, entry_id, customer_id, caller, to_epoch(now)),
    )


# -- purchases -------------------------------------------------------------------------------


def insert_purchase(
    conn: sqlite3.Connection, purchase: Purchase, lines: tuple[PurchaseLine, ...]
) -> None:
    conn.execute(
        f"INSERT INTO point_purchases ({PURCHASE_COLUMNS})"  # noqa: S608
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            purchase.txn_id,
            purchase.customer_id,
            purchase.store_id,
            purchase.purchase_yen,
            purchase.points,
            purchase.entry_id,
            to_epoch(purchase.created_at),
            maybe_epoch(purchase.returned_at),
        ),
    )
    conn.executemany(
        "INSERT INTO point_purchase_lines (txn_id, line, sku, name, quantity, amount_yen)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [
            (purchase.txn_id, i, line.sku, line.name, line.quantity, line.amount_yen)
            for i, line in enumerate(lines)
        ],
    )


def load_purchase(conn: sqlite3.Connection, txn_id: str) -> Purchase | None:
    row = conn.execute(
        f"SELECT {PURCHASE_COLUMNS} FROM point_purchases WHERE txn_id = ?",  # noqa: S608
        (txn_id,),
    ).fetchone()
    return None if row is None else purchase_from_row(row)


def mark_returned(
    conn: sqlite3.Connection, txn_id: str, entry_id: str | None, now: datetime
) -> None:
    changed = conn.execute(
        "UPDATE point_purchases SET returned_at = ?, return_entry_id = ?"
        " WHERE txn_id = ? AND returned_at IS NULL",
        (to_epoch(now), entry_id, txn_id),
    ).rowcount
    if changed != 1:
        raise KippuError(f"purchase {txn_id} was returned already")


# -- the books (the checks' reads, run on any connection) -----------------------------------


def live_balance(conn: sqlite3.Connection, customer_id: str, now: datetime) -> int:
    """The member's points spendable at `now`: the sum of the live lots' remainders, summed by
    the database (a frequent shopper has a lot per purchase: hundreds of rows not to load)."""
    row = conn.execute(
        "SELECT coalesce(SUM(remaining), 0) AS total FROM point_lots"
        " WHERE customer_id = ? AND remaining > 0 AND (expires_at IS NULL OR expires_at > ?)",
        (customer_id, to_epoch(now)),
    ).fetchone()
    return int(row["total"])


def account_sums(conn: sqlite3.Connection) -> dict[str, int]:
    """Every account of the points journal and its sum (debits positive)."""
    rows = conn.execute(
        "SELECT account, SUM(points) AS total FROM point_postings GROUP BY account"
    ).fetchall()
    return {r["account"]: int(r["total"]) for r in rows}


def lot_remainders(conn: sqlite3.Connection) -> dict[str, int]:
    """Each member's sum of lot remainders (live, or past expiry and unswept)."""
    rows = conn.execute(
        "SELECT customer_id, SUM(remaining) AS total FROM point_lots GROUP BY customer_id"
    ).fetchall()
    return {r["customer_id"]: int(r["total"]) for r in rows}
