"""The lottery's writer units: set up, apply, close the entries, draw a round, claim a win. Each
loads what it decides on and writes in the writer's one transaction, so nothing is decided on a
read another unit could have changed (one application per person, one win per entry, one grant
per claim hold in the schema too).

A claim is a grant made inside the same unit (operations.grant_in with the gate passed), so the
stock, the budget and the per-person limit hold for winners exactly as for any grant.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from node.campaigns import draw, lottery_rules, lottery_tables, operations, tables
from node.campaigns.gate_model import DrawRound, Lottery, SeedMode
from node.campaigns.model import Campaign, Grant
from node.errors import (
    CustomerNotFound,
    KippuError,
    LotteryAlreadyApplied,
    LotteryAlreadySetUp,
    LotteryNotSetUp,
    LotteryNotWon,
    MunicipalCampaignNotFound,
)
from node.ledger import tables as ledger_tables
from node.ledger.operations import LedgerSettings


def _campaign(conn: sqlite3.Connection, campaign_id: str) -> Campaign:
    campaign = tables.load_campaign(conn, campaign_id)
    if campaign is None:
        raise MunicipalCampaignNotFound()
    return campaign


def _lottery(conn: sqlite3.Connection, campaign_id: str) -> tuple[Campaign, Lottery]:
    campaign = _campaign(conn, campaign_id)
    lottery = lottery_tables.load_lottery(conn, campaign_id)
    if lottery is None:
        raise LotteryNotSetUp()
    return campaign, lottery


def set_up(
    campaign_id: str, sent: lottery_rules.LotteryTerms, now: datetime, actor: str
) -> Callable[[sqlite3.Connection], Lottery]:
    def work(conn: sqlite3.Connection) -> Lottery:
        lottery = lottery_rules.new_lottery(_campaign(conn, campaign_id), sent, now, actor)
        if not lottery_tables.insert_lottery(conn, lottery):
            raise LotteryAlreadySetUp()
        return lottery

    return work


def apply(
    campaign_id: str, customer_id: str, entry_id: str, now: datetime
) -> Callable[[sqlite3.Connection], str]:
    """One application; answers its entry id."""

    def work(conn: sqlite3.Connection) -> str:
        campaign, lottery = _lottery(conn, campaign_id)
        if not ledger_tables.customer_exists(conn, customer_id):
            raise CustomerNotFound()
        passed = tables.passed_methods(conn, campaign_id, customer_id)
        lottery_rules.require_may_apply(campaign, lottery, now, passed)
        if not lottery_tables.insert_entry(conn, entry_id, campaign_id, customer_id, now):
            raise LotteryAlreadyApplied()
        return entry_id

    return work


def close_entries(campaign_id: str, now: datetime) -> Callable[[sqlite3.Connection], Lottery]:
    """Fix the entries: their count and hash (round 1's), published from now on."""

    def work(conn: sqlite3.Connection) -> Lottery:
        _, lottery = _lottery(conn, campaign_id)
        lottery_rules.require_may_close(lottery, now)
        entries = lottery_tables.entry_ids(conn, campaign_id)
        hashed = draw.entries_hash(campaign_id, 1, entries)
        lottery_tables.close_entries(conn, campaign_id, len(entries), hashed, now)
        closed = lottery_tables.load_lottery(conn, campaign_id)
        assert closed is not None  # noqa: S101 - loaded just above in this transaction
        return closed

    return work


@dataclass(frozen=True)
class DrawRequest:
    """A draw asked for: the secret revealed (secret mode) or the beacon's round and value."""

    campaign_id: str
    secret: object = None
    beacon_round: object = None
    beacon_value: object = None


@dataclass(frozen=True)
class Drawn:
    round: DrawRound
    winners: tuple[str, ...]


def draw_round(
    request: DrawRequest, now: datetime, actor: str
) -> Callable[[sqlite3.Connection], Drawn]:
    """The next round: round 1 from every entry for the stock, a later one from the entries that
    have not won for what the earlier rounds' claims left."""

    def work(conn: sqlite3.Connection) -> Drawn:
        campaign, lottery = _lottery(conn, request.campaign_id)
        rounds = lottery_tables.rounds_of(conn, campaign.campaign_id)
        lottery_rules.require_may_draw(campaign, lottery, rounds, now)
        beacon_round = lottery_rules.require_beacon_order(lottery, request.beacon_round, rounds)
        seed = lottery_rules.seed_for(lottery, request.secret, request.beacon_value)
        round_no = len(rounds) + 1
        pool = draw.remaining(
            lottery_tables.entry_ids(conn, campaign.campaign_id),
            lottery_tables.winning_entries(conn, campaign.campaign_id),
        )
        count = lottery_rules.draw_count(campaign)
        lottery_rules.require_something(count, len(pool))
        hashed = draw.entries_hash(campaign.campaign_id, round_no, pool)
        if round_no == 1 and hashed != lottery.entries_hash:
            raise KippuError("the entries changed after they were closed")
        winners = tuple(draw.winners(pool, hashed, seed, count))
        drawn = DrawRound(
            campaign_id=campaign.campaign_id,
            round_no=round_no,
            entries_hash=hashed,
            entry_count=len(pool),
            seed=seed,
            beacon_round=beacon_round if lottery.seed_mode == SeedMode.BEACON else None,
            asked=count,
            claim_until=lottery_rules.claim_until(campaign, lottery, now),
            drawn_at=now,
        )
        lottery_tables.insert_round(conn, drawn, winners, actor)
        return Drawn(drawn, winners)

    return work


def claim(
    request: operations.GrantRequest,
    settings: LedgerSettings,
    now: datetime,
    fresh_number: Callable[[], str],
) -> Callable[[sqlite3.Connection], Grant]:
    """A winner's claim: the win checked, the grant made and the win marked, all in this unit."""

    def work(conn: sqlite3.Connection) -> Grant:
        _lottery(conn, request.campaign_id)
        win = lottery_tables.win_of(conn, request.campaign_id, request.customer_id)
        if win is None:
            raise LotteryNotWon()
        lottery_rules.require_claimable(win, now)
        granted = operations.grant_in(conn, request, settings, now, fresh_number)
        lottery_tables.mark_claimed(conn, win.entry_id, granted.grant_id, now)
        return granted

    return work
