"""Writer units that give points back to a member: a use, an exchange order or a lottery ticket
undone. One rule for all three, and the settling of a return's shortfall out of what comes back.

Giving back: each lot the debit took from gets its points back, with its own expiry; a lot past
its expiry since (swept or not) gives its share to breakage instead, since points put back into
it could never be spent.

Settling: a purchase returned after its points were spent leaves a shortfall (the member kept
goods' worth of points they no longer had). When points come back to that member later, the
open shortfalls are taken out of them first, oldest first, in the same transaction: a `return`
entry (Dr the member, Cr the returned purchase's store's points expense) for the part settled.
Without it, returning goods and then undoing the use their points paid for would leave the
member the points of goods they gave back.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from node.clock import Randomness, ordered_id
from node.points import shortfall_tables, tables
from node.points.core import entry, take_from
from node.points.model import (
    BREAKAGE_ACCOUNT,
    EntryKind,
    Lot,
    LotMove,
    expense_account,
    member_account,
)


@dataclass(frozen=True)
class GivenBack:
    entry_id: str
    given_back: int  # points back in live lots (before any shortfall was settled out of them)
    lapsed: int  # points whose lot is past its expiry: to breakage
    settled: int  # of `given_back`, taken at once to settle the member's open shortfalls


def open_at(lot: Lot, now: datetime) -> bool:
    """Not past its expiry at `now` (empty or not): points given back to it can be spent."""
    return lot.expired_at is None and (lot.expires_at is None or now < lot.expires_at)


def give_back(
    conn: sqlite3.Connection,
    taken_entry_id: str,
    kind: EntryKind,
    account: str,
    customer_id: str,
    actor: str,
    reason: str,
    now: datetime,
    rng: Randomness,
) -> GivenBack:
    """Undo the debit `taken_entry_id` of the member to `account` (one entry of `kind`), then
    settle the member's open shortfalls out of what came back."""
    moves = tables.moves_of(conn, taken_entry_id)
    lots = {lot.lot_id: lot for lot in tables.load_lots(conn, [m.lot_id for m in moves])}
    back = tuple(LotMove(m.lot_id, -m.points) for m in moves if open_at(lots[m.lot_id], now))
    given_back = sum(m.points for m in back)
    lapsed = -sum(m.points for m in moves) - given_back
    entry_id = ordered_id(now, rng, "pe")
    tables.save_entry(
        conn,
        entry(
            entry_id,
            kind,
            customer_id,
            now,
            actor,
            reason,
            (account, given_back + lapsed),
            (member_account(customer_id), -given_back),
            (BREAKAGE_ACCOUNT, -lapsed),
        ),
    )
    tables.move_lots(conn, entry_id, back)
    settled = settle_shortfalls(conn, customer_id, given_back, actor, now, rng)
    return GivenBack(entry_id, given_back, lapsed, settled)


def settle_shortfalls(
    conn: sqlite3.Connection,
    customer_id: str,
    available: int,
    actor: str,
    now: datetime,
    rng: Randomness,
) -> int:
    """Take up to `available` points from the member to settle open shortfalls, oldest first;
    the points settled (0 when none is open)."""
    if available <= 0:
        return 0
    parts: list[tuple[str, str | None, int]] = []
    left = available
    for shortfall in shortfall_tables.open_shortfalls(conn, customer_id):
        if left == 0:
            break
        part = min(left, shortfall.open_points)
        parts.append((shortfall.txn_id, shortfall.store_id, part))
        left -= part
    settled = available - left
    if settled == 0:
        return 0
    moves = take_from(tables.lots_to_spend(conn, customer_id, now, settled), settled, now)
    by_store: dict[str, int] = {}
    for _, store_id, part in parts:
        by_store[expense_account(store_id)] = by_store.get(expense_account(store_id), 0) + part
    entry_id = ordered_id(now, rng, "pe")
    tables.save_entry(
        conn,
        entry(
            entry_id,
            EntryKind.RETURN,
            customer_id,
            now,
            actor,
            "shortfall of " + ", ".join(txn for txn, _, _ in parts),
            (member_account(customer_id), settled),
            *((account, -points) for account, points in sorted(by_store.items())),
        ),
    )
    tables.move_lots(conn, entry_id, moves)
    for txn_id, _, part in parts:
        shortfall_tables.settle(conn, txn_id, part)
    return settled
