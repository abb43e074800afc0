"""Writer units for points: each a plain function of the writer's connection, run inside its
transaction, so every change is one balanced points entry with its lots, durable before the
caller hears of it. Time and randomness come in (`now`, `rng`).

A caller's transaction id makes a request idempotent (`replay_or_run`): the same id with the
same request answers the first answer, stored beside it; the same id with another request is
refused (points.txn_conflict). So a POS that retries after a lost answer credits once.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from node.clock import Randomness, ordered_id
from node.errors import (
    BelowMinimumUse,
    KippuError,
    MemberNotFound,
    PointsTxnConflict,
    StoreNotFound,
)
from node.ledger import tables as ledger_tables
from node.points import events, rank_operations, tables
from node.points.core import (
    DEFAULT_PROGRAM,
    earn_terms,
    entry,
    in_force,
    lot_expiry,
    points_for,
    require_signed_points,
    take_from,
)
from node.points.model import (
    ADJUSTMENT_ACCOUNT,
    BREAKAGE_ACCOUNT,
    EntryKind,
    Lot,
    LotMove,
    Member,
    Program,
    Purchase,
    PurchaseLine,
    expense_account,
    member_account,
    used_account,
)
from node.points.numbers import card_number_from, member_number_from

CARD_SECRET_BYTES = 32
EXPIRY_BATCH = 500


def request_hash(operation: str, request: dict[str, Any]) -> bytes:
    """The hash a repeated request is compared by: the operation and its canonical JSON."""
    canonical = json.dumps(
        {"operation": operation, "request": request},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode("utf-8")).digest()


def replay_or_run(
    conn: sqlite3.Connection,
    txn_id: str,
    operation: str,
    request: dict[str, Any],
    caller: str,
    now: datetime,
    run: Callable[[], tuple[dict[str, Any], str | None, str | None]],
) -> dict[str, Any]:
    """The stored answer to `txn_id` when it was asked before with the same request; else run
    it (`run` returns the answer, the entry id and the member) and store the answer beside its
    effects, in the same transaction. A refusal is not stored: the caller may fix and retry.
    Transaction ids are one namespace for every caller, so another caller's id is refused, never
    answered with that caller's answer (which would leak it, and credit the second purchase
    nothing)."""
    digest = request_hash(operation, request)
    earlier = tables.load_request(conn, txn_id)
    if earlier is not None:
        if (
            earlier["operation"] != operation
            or bytes(earlier["request_hash"]) != digest
            or earlier["caller"] != caller
        ):
            raise PointsTxnConflict(txn=txn_id)
        answer: dict[str, Any] = json.loads(earlier["response"])
        return {**answer, "replayed": True}
    answer, entry_id, customer_id = run()
    tables.insert_request(
        conn,
        txn_id,
        operation,
        digest,
        json.dumps(answer, ensure_ascii=False, sort_keys=True),
        entry_id,
        customer_id,
        caller,
        now,
    )
    return {**answer, "replayed": False}


# -- members ---------------------------------------------------------------------------------


def ensure_member(
    conn: sqlite3.Connection, customer_id: str, now: datetime, rng: Randomness
) -> Member:
    """The customer's membership, made on first need (every customer is a member): a member
    number, a card number and the card's secret, drawn until both numbers are unused."""
    found = tables.load_member(conn, customer_id)
    if found is not None:
        return found
    if not ledger_tables.customer_exists(conn, customer_id):
        raise MemberNotFound(customer_id=customer_id)
    for _ in range(20):
        member_no = member_number_from(rng.token_bytes(8))
        card_no = card_number_from(rng.token_bytes(8))
        if not tables.number_taken(conn, member_no, card_no):
            member = Member(
                customer_id, member_no, card_no, rng.token_bytes(CARD_SECRET_BYTES), False, now
            )
            tables.insert_member(conn, member)
            return member
    raise KippuError("no free member number after 20 draws")


def require_member(conn: sqlite3.Connection, member_no: str) -> Member:
    member = tables.member_by_number(conn, member_no)
    if member is None:
        raise MemberNotFound(member_no=member_no)
    return member


def require_store(conn: sqlite3.Connection, store_id: str | None) -> None:
    """A store named by a caller exists (None is head office): an unknown one is refused, not
    written as an account of its own or failed on a foreign key."""
    if store_id is not None and ledger_tables.load_store(conn, store_id) is None:
        raise StoreNotFound(store_id=store_id)


def program_at(conn: sqlite3.Connection, at: datetime) -> Program:
    """The program in force at `at` (the built-in default before head office set one)."""
    return in_force(tables.load_programs(conn), at) or DEFAULT_PROGRAM


# -- earn ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Earned:
    purchase: Purchase
    expires_at: datetime | None
    campaign_pct: int
    rank_pct: int


def earn(
    conn: sqlite3.Connection,
    member: Member,
    purchase_yen: int,
    store_id: str | None,
    txn_id: str,
    lines: tuple[PurchaseLine, ...],
    actor: str,
    now: datetime,
    zone: ZoneInfo,
    rng: Randomness,
) -> Earned:
    """Points for a purchase under the terms in force now: a lot and its entry (Dr the store's
    points expense, Cr the member), and the purchase recorded with its lines. A purchase that
    earns 0 points is recorded all the same (it counts toward the member's rank). A manual rank
    that has ended is settled first (the purchase earns at the rank the member holds now); the
    rank's upgrade, if the purchase reaches one, comes last: it counts from the next purchase."""
    if tables.load_purchase(conn, txn_id) is not None:
        raise PointsTxnConflict(txn=txn_id)
    require_store(conn, store_id)
    rank_operations.end_floor_if_due(conn, member.customer_id, now, zone, rng)
    program = program_at(conn, now)
    rate = in_force(tables.load_store_rates(conn, store_id), now) if store_id else None
    terms = earn_terms(
        program,
        rate,
        tables.campaigns_at(conn, now),
        tables.rank_pct(conn, member.customer_id),
        store_id,
        now,
    )
    points = points_for(purchase_yen, terms)
    expires_at = lot_expiry(program, now, zone)
    entry_id: str | None = None
    if points > 0:
        entry_id = ordered_id(now, rng, "pe")
        made = entry(
            entry_id,
            EntryKind.EARN,
            member.customer_id,
            now,
            actor,
            None,
            (expense_account(store_id), points),
            (member_account(member.customer_id), -points),
        )
        tables.save_entry(conn, made)
        lot = Lot(
            ordered_id(now, rng, "pl"),
            member.customer_id,
            entry_id,
            now,
            expires_at,
            points,
            points,
            None,
        )
        tables.insert_lot(conn, lot)
    purchase = Purchase(
        txn_id, member.customer_id, store_id, purchase_yen, points, entry_id, now, None
    )
    tables.insert_purchase(conn, purchase, lines)
    events.earned(conn, purchase, expires_at, now, rng)
    rank_operations.after_spend_change(conn, member.customer_id, now, zone, rng)
    return Earned(purchase, expires_at, terms.campaign_pct, terms.rank_pct)


# -- use -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Used:
    entry_id: str
    points: int
    value_yen: int  # what the points were worth as a discount
    moves: tuple[LotMove, ...]


def use(
    conn: sqlite3.Connection,
    member: Member,
    points: int,
    store_id: str | None,
    actor: str,
    now: datetime,
    rng: Randomness,
) -> Used:
    """Take `points` as a discount: from the soonest-expiring lots first (Dr the member, Cr the
    store's points used). Refused below the program's minimum or above the live balance; the
    lots are read and changed in the one writer transaction, so two uses cannot both pass."""
    require_store(conn, store_id)
    program = program_at(conn, now)
    if points < program.min_use_points:
        raise BelowMinimumUse(min_use_points=program.min_use_points)
    moves = take_from(tables.lots_to_spend(conn, member.customer_id, now, points), points, now)
    entry_id = ordered_id(now, rng, "pe")
    tables.save_entry(
        conn,
        entry(
            entry_id,
            EntryKind.USE,
            member.customer_id,
            now,
            actor,
            None,
            (member_account(member.customer_id), points),
            (used_account(store_id), -points),
        ),
    )
    tables.move_lots(conn, entry_id, moves)
    events.used(
        conn, member, entry_id, points, points * program.point_value_yen, store_id, now, rng
    )
    return Used(entry_id, points, points * program.point_value_yen, moves)


# -- adjust and expire -----------------------------------------------------------------------


def adjust(
    conn: sqlite3.Connection,
    member: Member,
    points: int,
    reason: str,
    actor: str,
    now: datetime,
    zone: ZoneInfo,
    rng: Randomness,
) -> str:
    """Head office's correction with its reason and who made it: a credit is a new lot under
    the program's expiry; a debit takes from the soonest-expiring lots (never below zero)."""
    require_signed_points(points)
    customer_id = member.customer_id
    # A debit's lots are chosen first: a refusal (too few points) is raised before any write.
    taken = (
        ()
        if points > 0
        else take_from(tables.lots_to_spend(conn, customer_id, now, -points), -points, now)
    )
    entry_id = ordered_id(now, rng, "pe")
    tables.save_entry(
        conn,
        entry(
            entry_id,
            EntryKind.ADJUST,
            customer_id,
            now,
            actor,
            reason,
            (ADJUSTMENT_ACCOUNT, points),
            (member_account(customer_id), -points),
        ),
    )
    if points > 0:
        expires_at = lot_expiry(program_at(conn, now), now, zone)
        lot = Lot(
            ordered_id(now, rng, "pl"), customer_id, entry_id, now, expires_at, points, points, None
        )
        tables.insert_lot(conn, lot)
    else:
        tables.move_lots(conn, entry_id, taken)
    events.adjusted(conn, customer_id, entry_id, points, reason, actor, now, rng)
    return entry_id


def expire_due(conn: sqlite3.Connection, now: datetime, rng: Randomness) -> int:
    """Move the remainder of every lot past its expiry to breakage, one entry per member; the
    points it moved. A lot past its expiry already counts for nothing before this runs."""
    due = tables.lots_due(conn, now, EXPIRY_BATCH)
    by_member: dict[str, list[Lot]] = {}
    for lot in due:
        by_member.setdefault(lot.customer_id, []).append(lot)
    moved = 0
    for customer_id, lots in by_member.items():
        total = sum(lot.remaining for lot in lots)
        entry_id = ordered_id(now, rng, "pe")
        tables.save_entry(
            conn,
            entry(
                entry_id,
                EntryKind.EXPIRE,
                customer_id,
                now,
                "system",
                None,
                (member_account(customer_id), total),
                (BREAKAGE_ACCOUNT, -total),
            ),
        )
        for lot in lots:
            tables.close_expired(conn, entry_id, lot, now)
        moved += total
    return moved
