"""What the office and residents do with a lottery campaign (抽選式), shared by the JSON API,
the CLI, the console and the wallet: set up the draw, apply, close the entries, draw (and draw
again for the wins left unclaimed), claim, read a standing, export the draw file that
`kippu campaign verify-draw` checks offline (node/campaigns/draw.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from node.campaigns import actions, draw, lottery_operations, lottery_queries, lottery_rules
from node.campaigns.gate_model import DrawRound, Lottery, SeedMode, Win, WinState
from node.clock import iso, ordered_id
from node.errors import InvalidLottery, LotteryNotSetUp
from node.ledger.fresh import fresh_number
from node.moments import parse_moment
from node.runtime import Node

ENTRY_ID_PREFIX = "le"


def lottery_answer(lottery: Lottery) -> dict[str, Any]:
    return {
        "campaign_id": lottery.campaign_id,
        "seed_mode": lottery.seed_mode.value,
        "commitment": None if lottery.commitment is None else lottery.commitment.hex(),
        "beacon_name": lottery.beacon_name,
        "beacon_round": lottery.beacon_round,
        "entries_until": iso(lottery.entries_until),
        "claim_days": lottery.claim_days,
        "entries_closed_at": iso(lottery.entries_closed_at),
        "entry_count": lottery.entry_count,
        "entries_hash": None if lottery.entries_hash is None else lottery.entries_hash.hex(),
    }


def round_answer(drawn: DrawRound, winners: list[Win]) -> dict[str, Any]:
    mine = [w for w in winners if w.round_no == drawn.round_no]
    return {
        "round": drawn.round_no,
        "entries_hash": drawn.entries_hash.hex(),
        "entry_count": drawn.entry_count,
        "seed": drawn.seed.hex(),
        "beacon_round": drawn.beacon_round,
        "asked": drawn.asked,
        "claim_until": iso(drawn.claim_until),
        "drawn_at": iso(drawn.drawn_at),
        "winners": [w.entry_id for w in mine],
        "claimed": sum(1 for w in mine if w.grant_id is not None),
    }


async def require_lottery(node: Node, campaign_id: str) -> Lottery:
    await actions.require_campaign(node, campaign_id)
    found = await lottery_queries.lottery(node.require_reader(), campaign_id)
    if found is None:
        raise LotteryNotSetUp()
    return found


async def set_up(
    node: Node,
    campaign_id: str,
    seed_mode: object,
    entries_until: object,
    claim_days: object,
    *,
    commitment: object = None,
    beacon_name: object = None,
    beacon_round: object = None,
    actor: str,
) -> dict[str, Any]:
    sent = lottery_rules.LotteryTerms(
        seed_mode=seed_mode,
        entries_until=parse_moment(entries_until, "entries_until", error=InvalidLottery),
        claim_days=claim_days,
        commitment=commitment,
        beacon_name=beacon_name,
        beacon_round=beacon_round,
    )
    now = node.clock.now()
    made = await node.require_writer().submit(
        lottery_operations.set_up(campaign_id, sent, now, actor)
    )
    return lottery_answer(made)


async def lottery_status(node: Node, campaign_id: str) -> dict[str, Any]:
    """The set-up, the entries so far, each round with its winners and claims."""
    lottery = await require_lottery(node, campaign_id)
    reader = node.require_reader()
    drawn = await lottery_queries.rounds(reader, campaign_id)
    won = await lottery_queries.wins(reader, campaign_id)
    campaign = await actions.require_campaign(node, campaign_id)
    now = node.clock.now()
    return {
        **lottery_answer(lottery),
        "campaign": actions.campaign_answer(campaign, now),
        "entries": await lottery_queries.entry_count(reader, campaign_id),
        "rounds": [round_answer(r, won) for r in drawn],
        "winners": len(won),
        "claimed": sum(1 for w in won if w.grant_id is not None),
        "to_draw": lottery_rules.draw_count(campaign),
    }


async def apply(node: Node, campaign_id: str, customer_id: str) -> dict[str, Any]:
    now = node.clock.now()
    entry_id = ordered_id(now, node.rng, ENTRY_ID_PREFIX)
    made = await node.require_writer().submit(
        lottery_operations.apply(campaign_id, customer_id, entry_id, now)
    )
    return {"campaign_id": campaign_id, "customer_id": customer_id, "entry_id": made}


async def close_entries(node: Node, campaign_id: str) -> dict[str, Any]:
    closed = await node.require_writer().submit(
        lottery_operations.close_entries(campaign_id, node.clock.now())
    )
    return lottery_answer(closed)


async def draw_round(
    node: Node,
    campaign_id: str,
    *,
    secret: object = None,
    beacon_round: object = None,
    beacon_value: object = None,
    actor: str,
) -> dict[str, Any]:
    request = lottery_operations.DrawRequest(campaign_id, secret, beacon_round, beacon_value)
    made = await node.require_writer().submit(
        lottery_operations.draw_round(request, node.clock.now(), actor)
    )
    answer = round_answer(made.round, [])
    return {**answer, "campaign_id": campaign_id, "winners": list(made.winners)}


async def claim(node: Node, campaign_id: str, customer_id: str, actor: str) -> dict[str, Any]:
    campaign = await actions.require_campaign(node, campaign_id)
    request = actions.grant_request(node, campaign, customer_id, actor, gate_passed=True)
    made = await node.require_writer().submit(
        lottery_operations.claim(
            request, node.settings, node.clock.now(), lambda: fresh_number(node.rng)
        )
    )
    return actions.grant_answer(made)


def state_of(applied: bool, won: Win | None, drawn: bool, now: datetime) -> WinState:
    if not applied:
        return WinState.NOT_APPLIED
    if won is not None:
        if won.grant_id is not None:
            return WinState.CLAIMED
        return WinState.WON if now <= won.claim_until else WinState.EXPIRED
    return WinState.NOT_WON if drawn else WinState.APPLIED


async def standing(node: Node, campaign_id: str, customer_id: str) -> dict[str, Any]:
    """A resident's view: applied, drawn, won (claim by `claim_until`), claimed, not won."""
    lottery = await require_lottery(node, campaign_id)
    campaign = await actions.require_campaign(node, campaign_id)
    reader = node.require_reader()
    entry = await lottery_queries.entry_of(reader, campaign_id, customer_id)
    won = await lottery_queries.win_of(reader, campaign_id, customer_id)
    drawn = await lottery_queries.rounds(reader, campaign_id)
    now = node.clock.now()
    state = state_of(entry is not None, won, bool(drawn), now)
    return {
        "campaign_id": campaign_id,
        "state": state.value,
        "entry_id": entry,
        "entries_until": iso(lottery.entries_until),
        "may_apply": entry is None
        and lottery.entries_closed_at is None
        and campaign.closed_at is None
        and campaign.starts_at <= now <= lottery.entries_until,
        "claim_until": None if won is None else iso(won.claim_until),
        "grant_id": None if won is None else won.grant_id,
        "round": None if won is None else won.round_no,
    }


async def win_of(node: Node, campaign_id: str, customer_id: str) -> Win | None:
    return await lottery_queries.win_of(node.require_reader(), campaign_id, customer_id)


async def draw_file(node: Node, campaign_id: str) -> dict[str, Any]:
    """The published draw: the entries, their hash, the commitment or beacon, each round's seed
    and winners. Everything `kippu campaign verify-draw` needs, and nothing about who applied."""
    lottery = await require_lottery(node, campaign_id)
    campaign = await actions.require_campaign(node, campaign_id)
    reader = node.require_reader()
    won = await lottery_queries.wins(reader, campaign_id)
    rounds = [
        draw.round_json(
            draw.RoundFacts(
                round_no=r.round_no,
                entries_hash=r.entries_hash,
                seed=r.seed,
                beacon_round=r.beacon_round,
                count=r.asked,
                winners=tuple(w.entry_id for w in won if w.round_no == r.round_no),
            )
        )
        for r in await lottery_queries.rounds(reader, campaign_id)
    ]
    return {
        "format": draw.FORMAT,
        "campaign": {
            "campaign_id": campaign.campaign_id,
            "name": campaign.name,
            "stock": campaign.stock,
            "face_yen": campaign.face_yen,
        },
        "seed_mode": lottery.seed_mode.value,
        "commitment": None if lottery.commitment is None else lottery.commitment.hex(),
        "beacon_name": lottery.beacon_name if lottery.seed_mode == SeedMode.BEACON else None,
        "entries_closed_at": iso(lottery.entries_closed_at),
        "entries_hash": None if lottery.entries_hash is None else lottery.entries_hash.hex(),
        "entries": await lottery_queries.entries(reader, campaign_id)
        if lottery.entries_closed_at is not None
        else [],
        "rounds": rounds,
    }
