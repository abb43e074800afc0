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
    PurchaseNotFound,
    PurchaseReturned,
    StoreNotFound,
    UseAlreadyReturned,
)
from node.ledger import tables as ledger_tables
from node.points import entry_tables, events, rank_operations, shortfall_tables, tables
from node.points.core import (
    DEFAULT_PROGRAM,
    earn_terms,
    entry,
    in_force,
    live_lots,
    lot_expiry,
    points_for,
    require_signed_points,
    take_from,
)
from node.points.give_back import give_back
from node.points.model import (
    ADJUSTMENT_ACCOUNT,
    BREAKAGE_ACCOUNT,
    USED_PREFIX,
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


# -- returns ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Returned:
    txn_id: str
    entry_id: str | None
    taken_back: int  # points taken from the member
    shortfall: int  # points of the purchase already spent: recorded, never a negative balance


def return_purchase(
    conn: sqlite3.Connection, txn_id: str, actor: str, now: datetime, rng: Randomness
) -> Returned:
    """Reverse a purchase's earn: take its points back, from its own lot first and then from the
    member's other live lots (soonest expiry first); what the member no longer has is recorded
    as a shortfall for head office, and the balance never goes below zero. Points of the
    purchase whose lot is past its expiry (swept or not) lapsed already: the member lost them
    then, so they are not taken again from the member's other lots (they go, or went, to
    breakage)."""
    purchase = tables.load_purchase(conn, txn_id)
    if purchase is None:
        raise PurchaseNotFound(txn=txn_id)
    if purchase.returned_at is not None:
        raise PurchaseReturned(txn=txn_id)
    customer_id = purchase.customer_id
    lots = tables.open_lots(conn, customer_id)
    live = live_lots(lots, now)
    own = [lot for lot in live if lot.entry_id == purchase.entry_id]
    others = [lot for lot in live if lot.entry_id != purchase.entry_id]
    wanted = purchase.points - _lapsed_points(conn, purchase, now)
    moves: list[LotMove] = []
    for lot in [*own, *others]:
        if wanted == 0:
            break
        taken = min(lot.remaining, wanted)
        moves.append(LotMove(lot.lot_id, -taken))
        wanted -= taken
    taken_back = -sum(move.points for move in moves)
    entry_id: str | None = None
    if taken_back > 0:
        entry_id = ordered_id(now, rng, "pe")
        tables.save_entry(
            conn,
            entry(
                entry_id,
                EntryKind.RETURN,
                customer_id,
                now,
                actor,
                f"return of {txn_id}",
                (member_account(customer_id), taken_back),
                (expense_account(purchase.store_id), -taken_back),
            ),
        )
        tables.move_lots(conn, entry_id, tuple(moves))
    tables.mark_returned(conn, txn_id, entry_id, now)
    if wanted > 0:
        shortfall_tables.insert_shortfall(conn, txn_id, customer_id, entry_id, wanted, now)
    events.purchase_returned(conn, customer_id, txn_id, entry_id, taken_back, wanted, now, rng)
    return Returned(txn_id, entry_id, taken_back, wanted)


def _lapsed_points(conn: sqlite3.Connection, purchase: Purchase, now: datetime) -> int:
    """The purchase's points that expired: its lot's remainder once past its expiry, with what
    the sweep already moved out of it."""
    if purchase.entry_id is None:
        return 0
    lot = entry_tables.lot_of_entry(conn, purchase.entry_id)
    if lot is None or lot.expires_at is None or now < lot.expires_at:
        return 0
    return lot.remaining + entry_tables.swept_points(conn, lot.lot_id)


@dataclass(frozen=True)
class UseReturned:
    entry_id: str
    given_back: int  # points back in live lots
    lapsed: int  # points whose lot expired meanwhile: straight to breakage


def return_use(
    conn: sqlite3.Connection,
    use_entry_id: str,
    customer_id: str,
    store_id: str | None,
    actor: str,
    now: datetime,
    rng: Randomness,
) -> UseReturned:
    """Undo a use (the sale it discounted was returned): each lot it took from gets its points
    back, with its own expiry; a lot past its expiry since (swept or not) gives its share to
    breakage. Only a use of this member, and only once: giving a use back twice would create
    points. The points go back out of the points-used account the use credited, whichever
    store (`store_id`) takes the return, so each store's account stays its own uses."""
    del store_id  # kept in the signature for the callers; the use's own store is the one reversed
    use_entry = entry_tables.load_entry(conn, use_entry_id)
    if (
        use_entry is None
        or use_entry.kind is not EntryKind.USE
        or use_entry.customer_id != customer_id
    ):
        raise PurchaseNotFound(entry_id=use_entry_id)
    reason = f"return of use {use_entry_id}"
    if entry_tables.use_return_of(conn, customer_id, reason) is not None:
        raise UseAlreadyReturned(entry_id=use_entry_id)
    used_at = next(p.account for p in use_entry.postings if p.account.startswith(USED_PREFIX))
    back = give_back(
        conn, use_entry_id, EntryKind.USE_RETURN, used_at, customer_id, actor, reason, now, rng
    )
    entry_id, given_back, lapsed = back.entry_id, back.given_back, back.lapsed
    events.use_returned(conn, customer_id, use_entry_id, entry_id, given_back, lapsed, now, rng)
    return UseReturned(entry_id, given_back, lapsed)


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
