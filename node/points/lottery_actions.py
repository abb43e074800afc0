"""What head office and members do with point lotteries, shared by the admin API, the CLI
(through the API), the console and the wallet. Each takes `Node`, runs any change in one writer
unit and returns the JSON answer every surface shows. The draw file (`export`) is what
`kippu points verify-draw` checks offline (node/points/lottery_draw.py)."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any

from node.clock import iso, new_id
from node.errors import LotteryNotClosed, LotteryNotFound
from node.points import lottery_operations, lottery_queries, operations, tables
from node.points.core import require_txn
from node.points.lottery_draw import FORMAT, SEED_BYTES
from node.points.lottery_model import Lottery, LotteryTerms, Prize
from node.points.lottery_queries import WinnerRow
from node.points.lottery_rules import prize_limit_yen, total_limit_yen
from node.points.model import Member
from node.runtime import Node


def _hex(raw: bytes | None) -> str | None:
    return None if raw is None else raw.hex()


def terms_json(lottery: Lottery) -> dict[str, Any]:
    """The terms as the draw file states them (and every surface shows)."""
    return {
        "lottery_id": lottery.lottery_id,
        "name": lottery.name,
        "entry_points": lottery.entry_points,
        "max_entries": lottery.max_entries,
        "opens_at": iso(lottery.opens_at),
        "closes_at": iso(lottery.closes_at),
        "related_sales_yen": lottery.related_sales_yen,
        "point_value_yen": lottery.point_value_yen,
        "prizes": [
            {"name": p.name, "value_yen": p.value_yen, "count": p.count} for p in lottery.prizes
        ],
    }


def lottery_json(lottery: Lottery, node: Node, entry_count: int) -> dict[str, Any]:
    return terms_json(lottery) | {
        "state": str(lottery.state_at(node.clock.now())),
        "entry_value_yen": lottery.entry_value_yen,
        "prize_limit_yen": prize_limit_yen(lottery.entry_value_yen),
        "prize_total_yen": sum(p.value_yen * p.count for p in lottery.prizes),
        "prize_total_limit_yen": total_limit_yen(lottery.related_sales_yen),
        "commitment": lottery.commitment.hex(),
        "entries_hash": _hex(lottery.entries_hash),
        "seed": _hex(lottery.revealed_seed),
        "entry_count": entry_count,
        "created_at": iso(lottery.created_at),
        "closed_at": iso(lottery.closed_at),
        "drawn_at": iso(lottery.drawn_at),
        "cancelled_at": iso(lottery.cancelled_at),
    }


def _winner_json(row: WinnerRow, prizes: tuple[Prize, ...], with_member: bool) -> dict[str, Any]:
    prize = prizes[row.winner.position]
    shown = {
        "place": row.winner.place,
        "ticket": row.winner.ticket_id,
        "prize": row.winner.position,
        "prize_name": prize.name,
        "value_yen": prize.value_yen,
    }
    return shown | ({"member_no": row.member_no} if with_member else {})


async def _found(node: Node, lottery_id: str) -> Lottery:
    found = await lottery_queries.lottery(node.require_reader(), lottery_id)
    if found is None:
        raise LotteryNotFound(lottery_id=lottery_id)
    return found


async def add_lottery(node: Node, terms: LotteryTerms, actor: str) -> dict[str, Any]:
    """Set a lottery up: the terms checked (PrizeLimitExceeded inline on every surface), a
    fresh secret seed drawn and its commitment published."""
    seed = node.rng.token_bytes(SEED_BYTES)
    lottery_id = new_id(node.rng, "lo")
    now = node.clock.now()
    added = await node.require_writer().submit(
        lambda conn: lottery_operations.add_lottery(conn, terms, lottery_id, seed, actor, now)
    )
    return lottery_json(added, node, 0)


async def list_lotteries(node: Node) -> dict[str, Any]:
    db = node.require_reader()
    found = await lottery_queries.lotteries(db)
    return {
        "lotteries": [
            lottery_json(lo, node, await lottery_queries.entry_count(db, lo.lottery_id))
            for lo in found
        ]
    }


async def show_lottery(node: Node, lottery_id: str) -> dict[str, Any]:
    """Head office's view: the terms, the published hash and commitment, the seed once drawn,
    and the winners with their member numbers (to deliver the prizes)."""
    db = node.require_reader()
    lottery = await _found(node, lottery_id)
    winners = await lottery_queries.winners(db, lottery_id)
    return lottery_json(lottery, node, await lottery_queries.entry_count(db, lottery_id)) | {
        "winners": [_winner_json(w, lottery.prizes, True) for w in winners]
    }


async def member_view(node: Node, lottery_id: str, customer_id: str) -> dict[str, Any]:
    """A member's view: the lottery as published, their own tickets, and what they won."""
    db = node.require_reader()
    lottery = await _found(node, lottery_id)
    mine = await lottery_queries.tickets(db, lottery_id, customer_id)
    won = [
        _winner_json(w, lottery.prizes, False)
        for w in await lottery_queries.member_winners(db, lottery_id, customer_id)
    ]
    return lottery_json(lottery, node, await lottery_queries.entry_count(db, lottery_id)) | {
        "my_tickets": [{"ticket": t.ticket_id, "entered_at": iso(t.created_at)} for t in mine],
        "my_wins": won,
    }


def _entered(
    conn: sqlite3.Connection,
    node: Node,
    member: Member,
    lottery_id: str,
    actor: str,
    txn: str | None,
    now: datetime,
) -> dict[str, Any]:
    """One entry, once per `txn` when one is given (a double tap on the confirm form, a retried
    EC request: the first ticket answered, nothing more taken)."""

    def run() -> tuple[dict[str, Any], str | None, str | None]:
        ticket = lottery_operations.enter(conn, member, lottery_id, actor, now, node.rng)
        answer = {
            "lottery_id": lottery_id,
            "ticket": ticket.ticket_id,
            "seq": ticket.seq,
            "member_no": member.member_no,
            "balance": tables.live_balance(conn, member.customer_id, now),
        }
        return answer, ticket.entry_id, member.customer_id

    if txn is None:
        return run()[0]
    request = {"member_no": member.member_no, "lottery_id": lottery_id}
    return operations.replay_or_run(conn, txn, "lottery_entry", request, actor, now, run)


async def enter(
    node: Node, lottery_id: str, customer_id: str, txn: object = None
) -> dict[str, Any]:
    """The wallet's entry: the membership made on first need, in the same writer unit."""
    now = node.clock.now()
    txn_id = None if txn is None else require_txn(txn)

    def work(conn: sqlite3.Connection) -> dict[str, Any]:
        member = operations.ensure_member(conn, customer_id, now, node.rng)
        return _entered(conn, node, member, lottery_id, f"customer:{customer_id}", txn_id, now)

    return await node.require_writer().submit(work)


async def enter_by_number(
    node: Node, lottery_id: str, member_no: str, actor: str, txn: object = None
) -> dict[str, Any]:
    """An entry for a member by number (head office, with the admin token; no integration key may)."""
    txn_id = None if txn is None else require_txn(txn)
    now = node.clock.now()

    def work(conn: sqlite3.Connection) -> dict[str, Any]:
        member = operations.require_member(conn, member_no)
        return _entered(conn, node, member, lottery_id, actor, txn_id, now)

    return await node.require_writer().submit(work)


async def close(node: Node, lottery_id: str) -> dict[str, Any]:
    now = node.clock.now()
    await node.require_writer().submit(lambda conn: lottery_operations.close(conn, lottery_id, now))
    return await show_lottery(node, lottery_id)


async def draw(node: Node, lottery_id: str) -> dict[str, Any]:
    now = node.clock.now()
    await node.require_writer().submit(
        lambda conn: lottery_operations.draw_lottery(conn, lottery_id, now)
    )
    return await show_lottery(node, lottery_id)


async def cancel(node: Node, lottery_id: str, actor: str) -> dict[str, Any]:
    now = node.clock.now()
    _, refunded = await node.require_writer().submit(
        lambda conn: lottery_operations.cancel(conn, lottery_id, actor, now, node.rng)
    )
    return await show_lottery(node, lottery_id) | {"refunded": refunded}


async def export(node: Node, lottery_id: str) -> dict[str, Any]:
    """The draw file: the terms, every ticket in the order taken, the entries' hash, the
    commitment, the seed and the winners (tickets, never member numbers). Only once drawn."""
    db = node.require_reader()
    lottery = await _found(node, lottery_id)
    seed = lottery.revealed_seed
    if seed is None or lottery.entries_hash is None:
        raise LotteryNotClosed(lottery_id=lottery_id)
    tickets = await lottery_queries.tickets(db, lottery_id)
    winners = await lottery_queries.winners(db, lottery_id)
    return {
        "format": FORMAT,
        "lottery": terms_json(lottery),
        "entries": [t.ticket_id for t in tickets],
        "entries_hash": lottery.entries_hash.hex(),
        "commitment": lottery.commitment.hex(),
        "seed": seed.hex(),
        "winners": [
            {"place": w.winner.place, "ticket": w.winner.ticket_id, "prize": w.winner.position}
            for w in winners
        ],
    }
