"""Head office's program settings, shared by the admin API (and so the CLI) and the console: the
program's terms, a store's own earn rate and the campaigns. A change applies from a stated
moment (now, or later) and never from the past: what was earned before it keeps its terms."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from node.clock import iso, new_id
from node.errors import CampaignNotFound, InvalidPoints, StoreNotFound
from node.ledger import tables as ledger_tables
from node.moments import parse_moment
from node.points import operations, queries, tables
from node.points.core import DEFAULT_PROGRAM, in_force, require_whole
from node.points.model import Campaign, ExpiryKind, Program, Rounding, StoreRate
from node.runtime import Node
from node.text import require_printable

MAX_CAMPAIGN_NAME = 80


@dataclass(frozen=True)
class ProgramInput:
    """What head office sends; a field left None keeps the value in force."""

    earn_points: object = None
    earn_per_yen: object = None
    rounding: object = None
    expiry: object = None  # days, end_of_month, end_of_year, none
    expiry_days: object = None
    point_value_yen: object = None
    min_use_points: object = None
    effective_from: object = None  # ISO 8601 moment; None: now


def _choice(value: object, field: str, kind: type[Rounding] | type[ExpiryKind]) -> Any:
    try:
        return kind(str(value))
    except ValueError:
        names = ", ".join(str(v) for v in kind)
        raise InvalidPoints(f"`{field}` must be one of {names}.", field=field) from None


def moment(value: object, field: str, now: datetime) -> datetime:
    """An ISO 8601 moment with its offset, not in the past (None: now)."""
    if value is None:
        return now
    return parse_moment(value, field, not_before=now, error=InvalidPoints)


def new_terms(
    current: Program, sent: ProgramInput, version_id: str, now: datetime, actor: str
) -> Program:
    """The program after `sent`, checked: every field within its range, the expiry's days only
    with a days expiry."""
    expiry = (
        current.expiry_kind if sent.expiry is None else _choice(sent.expiry, "expiry", ExpiryKind)
    )
    days: int | None = None
    if expiry is ExpiryKind.DAYS:
        raw_days = sent.expiry_days if sent.expiry_days is not None else current.expiry_days
        days = require_whole(raw_days, "expiry_days", 1, 3660)
    elif sent.expiry_days is not None:
        raise InvalidPoints("`expiry_days` goes with the expiry `days` only.", field="expiry_days")
    return replace(
        current,
        version_id=version_id,
        effective_from=moment(sent.effective_from, "effective_from", now),
        earn_points=current.earn_points
        if sent.earn_points is None
        else require_whole(sent.earn_points, "earn_points", 0, 1000),
        earn_per_yen=current.earn_per_yen
        if sent.earn_per_yen is None
        else require_whole(sent.earn_per_yen, "earn_per_yen", 1, 100_000),
        rounding=current.rounding
        if sent.rounding is None
        else _choice(sent.rounding, "rounding", Rounding),
        expiry_kind=expiry,
        expiry_days=days,
        point_value_yen=current.point_value_yen
        if sent.point_value_yen is None
        else require_whole(sent.point_value_yen, "point_value_yen", 1, 100),
        min_use_points=current.min_use_points
        if sent.min_use_points is None
        else require_whole(sent.min_use_points, "min_use_points", 1, 1_000_000),
        created_at=now,
        created_by=actor,
    )


def program_json(program: Program) -> dict[str, Any]:
    return {
        "version_id": program.version_id,
        "effective_from": iso(program.effective_from),
        "earn_points": program.earn_points,
        "earn_per_yen": program.earn_per_yen,
        "rounding": str(program.rounding),
        "expiry": str(program.expiry_kind),
        "expiry_days": program.expiry_days,
        "point_value_yen": program.point_value_yen,
        "min_use_points": program.min_use_points,
        "set_by": program.created_by,
    }


def _program_answer(versions: list[Program], now: datetime) -> dict[str, Any]:
    current = in_force(versions, now) or DEFAULT_PROGRAM
    return {
        "in_force": program_json(current),
        "scheduled": [program_json(v) for v in versions if v.effective_from > now],
        "is_default": current is DEFAULT_PROGRAM,
    }


async def show_program(node: Node) -> dict[str, Any]:
    """The program in force now and the versions scheduled after it."""
    return _program_answer(await queries.programs(node.require_reader()), node.clock.now())


async def set_program(node: Node, sent: ProgramInput, actor: str) -> dict[str, Any]:
    """A new version from its moment on, built on the version in force at that moment."""
    now = node.clock.now()
    version_id = new_id(node.rng, "pg")

    def work(conn: sqlite3.Connection) -> dict[str, Any]:
        start = moment(sent.effective_from, "effective_from", now)
        base = operations.program_at(conn, start)
        program = new_terms(base, sent, version_id, now, actor)
        if any(v.effective_from == program.effective_from for v in tables.load_programs(conn)):
            raise InvalidPoints(
                "A version starts at that moment already; choose another.", field="effective_from"
            )
        tables.insert_program(conn, program)
        return _program_answer(tables.load_programs(conn), now)

    return await node.require_writer().submit(work)


async def set_store_rate(
    node: Node,
    store_id: str,
    earn_points: object,
    earn_per_yen: object,
    effective_from: object,
    actor: str,
) -> dict[str, Any]:
    """A store's own earn rate from a moment on (the program's rounding and expiry still apply)."""
    now = node.clock.now()
    rate = StoreRate(
        store_id,
        moment(effective_from, "effective_from", now),
        require_whole(earn_points, "earn_points", 0, 1000),
        require_whole(earn_per_yen, "earn_per_yen", 1, 100_000),
        now,
        actor,
    )

    def work(conn: sqlite3.Connection) -> dict[str, Any]:
        if ledger_tables.load_store(conn, store_id) is None:
            raise StoreNotFound(store_id=store_id)
        if any(
            r.effective_from == rate.effective_from for r in tables.load_store_rates(conn, store_id)
        ):
            raise InvalidPoints(
                "This store's rate changes at that moment already.", field="effective_from"
            )
        tables.insert_store_rate(conn, rate)
        return store_rate_json(rate)

    return await node.require_writer().submit(work)


def store_rate_json(rate: StoreRate) -> dict[str, Any]:
    return {
        "store_id": rate.store_id,
        "effective_from": iso(rate.effective_from),
        "earn_points": rate.earn_points,
        "earn_per_yen": rate.earn_per_yen,
        "set_by": rate.created_by,
    }


@dataclass(frozen=True)
class CampaignInput:
    name: object
    multiplier_pct: object
    starts_at: object
    ends_at: object
    store_id: str | None = None


def campaign_json(campaign: Campaign, now: datetime) -> dict[str, Any]:
    return {
        "campaign_id": campaign.campaign_id,
        "name": campaign.name,
        "store_id": campaign.store_id,
        "multiplier_pct": campaign.multiplier_pct,
        "starts_at": iso(campaign.starts_at),
        "ends_at": iso(campaign.ends_at),
        "cancelled_at": iso(campaign.cancelled_at),
        "running": campaign.applies(campaign.store_id, now),
        "set_by": campaign.created_by,
    }


async def add_campaign(node: Node, sent: CampaignInput, actor: str) -> dict[str, Any]:
    """A multiplier (e.g. 200 %: double points) at one store or all, for a period to come."""
    now = node.clock.now()
    if not isinstance(sent.name, str) or not 1 <= len(sent.name.strip()) <= MAX_CAMPAIGN_NAME:
        raise InvalidPoints(f"`name` must be 1-{MAX_CAMPAIGN_NAME} characters.", field="name")
    starts = moment(sent.starts_at, "starts_at", now)
    ends = moment(sent.ends_at, "ends_at", now)
    if ends <= starts:
        raise InvalidPoints("The campaign must end after it starts.", field="ends_at")
    campaign = Campaign(
        new_id(node.rng, "pc"),
        require_printable(sent.name.strip(), "name"),
        sent.store_id,
        require_whole(sent.multiplier_pct, "multiplier_pct", 101, 2000),
        starts,
        ends,
        now,
        actor,
        None,
    )

    def work(conn: sqlite3.Connection) -> dict[str, Any]:
        if (
            campaign.store_id is not None
            and ledger_tables.load_store(conn, campaign.store_id) is None
        ):
            raise StoreNotFound(store_id=campaign.store_id)
        tables.insert_campaign(conn, campaign)
        return campaign_json(campaign, now)

    return await node.require_writer().submit(work)


async def list_campaigns(node: Node) -> list[dict[str, Any]]:
    now = node.clock.now()
    return [campaign_json(c, now) for c in await queries.campaigns(node.require_reader())]


async def list_store_rates(node: Node) -> list[dict[str, Any]]:
    return [store_rate_json(r) for r in await queries.store_rates(node.require_reader())]


async def cancel_campaign(node: Node, campaign_id: str) -> dict[str, Any]:
    """Stop a campaign from now on (a purchase made while it ran keeps its points)."""
    now = node.clock.now()

    def work(conn: sqlite3.Connection) -> dict[str, Any]:
        found = tables.load_campaign(conn, campaign_id)
        if found is None:
            raise CampaignNotFound(campaign_id=campaign_id)
        if found.cancelled_at is None:
            tables.cancel_campaign(conn, campaign_id, now)
            found = replace(found, cancelled_at=now)
        return campaign_json(found, now)

    return await node.require_writer().submit(work)
