"""Writer units that take a transaction back: a purchase returned (its earned points taken back,
what the member spent since recorded as a shortfall, never a negative balance) and a use undone
(its points given back through give_back.py, which settles open shortfalls first). Each runs
inside the writer's transaction, one balanced entry per change."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from node.clock import Randomness, ordered_id
from node.errors import PurchaseNotFound, PurchaseReturned, UseAlreadyReturned
from node.points import entry_tables, events, shortfall_tables, tables
from node.points.core import entry, live_lots
from node.points.give_back import give_back
from node.points.model import (
    USED_PREFIX,
    EntryKind,
    LotMove,
    Purchase,
    expense_account,
    member_account,
)


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
    settled: int = 0  # of `given_back`, taken at once to settle open shortfalls


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
    return UseReturned(entry_id, given_back, lapsed, back.settled)
