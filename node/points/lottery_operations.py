"""Writer units of point lotteries, each a plain function of the writer's connection run inside
its transaction: set-up (the terms checked against 景品表示法 with the point's yen value in
force, the seed's commitment stored), an entry (a `lottery` entry, Dr member Cr points_lottery,
and its ticket; the per-member cap counted in the same transaction), the close (the entries'
hash recorded once), the draw (the seed checked against its commitment, the winners recorded),
and the cancel (every ticket's points back: `lottery_refund` entries)."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import datetime

from node.clock import Randomness, new_id, ordered_id
from node.errors import (
    KippuError,
    LotteryDrawn,
    LotteryEntryLimit,
    LotteryNotClosed,
    LotteryNotFound,
    LotteryNotOpen,
    SeedMismatch,
)
from node.points import lottery_tables, operations, tables
from node.points.core import entry, take_from
from node.points.give_back import give_back
from node.points.lottery_draw import commitment_of, draw, entries_hash
from node.points.lottery_model import Lottery, LotteryState, LotteryTerms, Ticket, Winner
from node.points.lottery_rules import check_terms
from node.points.model import LOTTERY_ACCOUNT, EntryKind, Member, member_account


def add_lottery(
    conn: sqlite3.Connection,
    terms: LotteryTerms,
    lottery_id: str,
    seed: bytes,
    actor: str,
    now: datetime,
) -> Lottery:
    """The lottery, its terms checked (PrizeLimitExceeded, InvalidPoints) with the point's yen
    value of the program in force now, which it keeps: a later program does not change it."""
    point_value_yen = operations.program_at(conn, now).point_value_yen
    checked = check_terms(terms, point_value_yen)
    lottery = Lottery(
        lottery_id=lottery_id,
        name=checked.name,
        entry_points=checked.entry_points,
        max_entries=checked.max_entries,
        opens_at=checked.opens_at,
        closes_at=checked.closes_at,
        related_sales_yen=checked.related_sales_yen,
        point_value_yen=point_value_yen,
        prizes=checked.prizes,
        commitment=commitment_of(seed),
        seed=seed,
        created_at=now,
        created_by=actor,
        closed_at=None,
        entries_hash=None,
        entry_count=None,
        drawn_at=None,
        cancelled_at=None,
    )
    lottery_tables.insert_lottery(conn, lottery)
    return lottery


def require_lottery(conn: sqlite3.Connection, lottery_id: str) -> Lottery:
    found = lottery_tables.load_lottery(conn, lottery_id)
    if found is None:
        raise LotteryNotFound(lottery_id=lottery_id)
    return found


def enter(
    conn: sqlite3.Connection,
    member: Member,
    lottery_id: str,
    actor: str,
    now: datetime,
    rng: Randomness,
) -> Ticket:
    """One entry: the entry's points from the soonest-expiring lots and a ticket numbered next.
    LotteryNotOpen outside the period; LotteryEntryLimit at the member's cap."""
    lottery = require_lottery(conn, lottery_id)
    if lottery.state_at(now) is not LotteryState.OPEN:
        raise LotteryNotOpen(lottery_id=lottery_id)
    if lottery_tables.tickets_held(conn, lottery_id, member.customer_id) >= lottery.max_entries:
        raise LotteryEntryLimit(lottery_id=lottery_id, limit=lottery.max_entries)
    moves = take_from(
        tables.lots_to_spend(conn, member.customer_id, now, lottery.entry_points),
        lottery.entry_points,
        now,
    )
    entry_id = ordered_id(now, rng, "pe")
    tables.save_entry(
        conn,
        entry(
            entry_id,
            EntryKind.LOTTERY,
            member.customer_id,
            now,
            actor,
            f"entry to lottery {lottery_id}",
            (member_account(member.customer_id), lottery.entry_points),
            (LOTTERY_ACCOUNT, -lottery.entry_points),
        ),
    )
    tables.move_lots(conn, entry_id, moves)
    ticket = Ticket(new_id(rng, "lt"), lottery_id, 0, member.customer_id, entry_id, now, None)
    return lottery_tables.insert_ticket(conn, ticket)


def close(conn: sqlite3.Connection, lottery_id: str, now: datetime) -> Lottery:
    """Fix the entries: their canonical hash recorded (and published) before the seed is shown.
    Closing a closed lottery answers it as it is."""
    lottery = require_lottery(conn, lottery_id)
    state = lottery.state_at(now)
    if state in (LotteryState.CLOSED, LotteryState.DRAWN):
        return lottery
    if state is LotteryState.CANCELLED:
        raise LotteryNotOpen(lottery_id=lottery_id)
    if state is not LotteryState.ENDED:
        raise LotteryNotClosed(lottery_id=lottery_id)
    tickets = [t.ticket_id for t in lottery_tables.tickets(conn, lottery_id)]
    hashed = entries_hash(lottery_id, tickets)
    lottery_tables.mark_closed(conn, lottery_id, now, hashed, len(tickets))
    return require_lottery(conn, lottery_id)


def draw_lottery(conn: sqlite3.Connection, lottery_id: str, now: datetime) -> Lottery:
    """Reveal the seed and record the winners: the draw from the published hash and the seed
    (lottery_draw.draw). LotteryNotClosed before the close; LotteryDrawn after the draw."""
    lottery = require_lottery(conn, lottery_id)
    state = lottery.state_at(now)
    if state is LotteryState.DRAWN:
        raise LotteryDrawn(lottery_id=lottery_id)
    if state is LotteryState.CANCELLED:
        raise LotteryNotOpen(lottery_id=lottery_id)
    if state is not LotteryState.CLOSED or lottery.entries_hash is None:
        raise LotteryNotClosed(lottery_id=lottery_id)
    if commitment_of(lottery.seed) != lottery.commitment:
        raise SeedMismatch(lottery_id=lottery_id)
    tickets = [t.ticket_id for t in lottery_tables.tickets(conn, lottery_id)]
    if entries_hash(lottery_id, tickets) != lottery.entries_hash:
        raise KippuError(f"lottery {lottery_id}: its tickets changed after the close")
    drawn = draw(tickets, lottery.entries_hash, lottery.seed, [p.count for p in lottery.prizes])
    lottery_tables.record_draw(
        conn, lottery_id, [Winner(w.place, w.ticket_id, w.position) for w in drawn], now
    )
    return replace(lottery, drawn_at=now)


def cancel(
    conn: sqlite3.Connection, lottery_id: str, actor: str, now: datetime, rng: Randomness
) -> tuple[Lottery, int]:
    """Call the lottery off before its draw: every ticket's points back to the lots they came
    from (`lottery_refund`), a lot swept as expired meanwhile giving its share to breakage.
    The lottery and how many tickets were refunded."""
    lottery = require_lottery(conn, lottery_id)
    state = lottery.state_at(now)
    if state is LotteryState.DRAWN:
        raise LotteryDrawn(lottery_id=lottery_id)
    if state is LotteryState.CANCELLED:
        return lottery, 0
    refunded = 0
    for ticket in lottery_tables.tickets(conn, lottery_id):
        if ticket.refund_entry_id is not None:
            continue
        back = give_back(
            conn,
            ticket.entry_id,
            EntryKind.LOTTERY_REFUND,
            LOTTERY_ACCOUNT,
            ticket.customer_id,
            actor,
            f"lottery {lottery_id} cancelled",
            now,
            rng,
        )
        lottery_tables.mark_refunded(conn, ticket.ticket_id, back.entry_id)
        refunded += 1
    lottery_tables.mark_cancelled(conn, lottery_id, now, actor)
    return require_lottery(conn, lottery_id), refunded
