"""Segments for the admin API (and so the CLI) and the console: save, list with live counts,
delete, and who is in one now."""

from __future__ import annotations

from datetime import timedelta

from node.clock import new_id
from node.crm import operations, queries, segment_queries
from node.crm.analytics_actions import rfm_class_members
from node.crm.consents import Purpose
from node.crm.facts import DEFAULT_WINDOW_DAYS, Period
from node.crm.segments import BUILT_IN, Filters, Segment, read_filters, read_name
from node.errors import InvalidSegment, SegmentNotFound
from node.ledger.calendar import end_of_local_day, start_of_local_day
from node.ledger.rows import to_epoch
from node.runtime import Node

EVERYONE = Segment("all", BUILT_IN, Filters())


async def create(node: Node, raw_name: object, raw_filters: object, actor: str) -> Segment:
    segment = Segment(new_id(node.rng, "sg"), read_name(raw_name), read_filters(raw_filters))
    today = node.clock.now().astimezone(node.config.zone).date()
    starts = segment.filters.spend_from
    if starts is not None and segment.filters.spend_to is None and starts > today:
        raise InvalidSegment(
            "`spend_from` must not be after today unless `spend_to` is given.", field="spend_from"
        )
    work = operations.create_segment(segment, actor, node.clock.now())
    return await node.require_writer().submit(work)


async def delete(node: Node, name: str) -> None:
    if name == BUILT_IN:
        raise SegmentNotFound("The built-in segment `all` cannot be deleted.")
    await node.require_writer().submit(operations.delete_segment(name))


async def listed(node: Node) -> list[Segment]:
    return [EVERYONE, *await queries.segments(node.require_report_reader())]


async def named(node: Node, name: str) -> Segment:
    if name == BUILT_IN:
        return EVERYONE
    found = await queries.segment_named(node.require_report_reader(), name)
    if found is None:
        raise SegmentNotFound()
    return found


def _within(figures: dict[str, int], low: int | None, high: int | None, ids: set[str]) -> set[str]:
    return {
        c
        for c in ids
        if (low is None or figures.get(c, 0) >= low) and (high is None or figures.get(c, 0) <= high)
    }


async def members(node: Node, filters: Filters) -> set[str]:
    """The customers every given filter holds for, now (segments.py)."""
    db = node.require_report_reader()
    now = node.clock.now()
    zone = node.config.zone
    today = now.astimezone(zone).date()
    day_end = end_of_local_day(today, zone)  # payments and visits count up to the end of today
    chosen = await segment_queries.every_customer(db)
    if filters.has_active_voucher is not None:
        holders = await segment_queries.holding_usable(db, now)
        chosen = chosen & holders if filters.has_active_voucher else chosen - holders
    if filters.balance_min is not None or filters.balance_max is not None:
        balances = await segment_queries.usable_balances(db, now)
        chosen = _within(balances, filters.balance_min, filters.balance_max, chosen)
    if filters.rank is not None:
        chosen &= await segment_queries.ranked(db, filters.rank)
    if filters.rfm_class is not None:
        period = Period(today, DEFAULT_WINDOW_DAYS, zone)
        chosen &= await rfm_class_members(node, period, filters.rfm_class)
    if filters.last_visit_before is not None or filters.last_visit_after is not None:
        last = await segment_queries.last_seen(db, day_end)
        if filters.last_visit_before is not None:
            before = to_epoch(start_of_local_day(filters.last_visit_before, zone))
            chosen = {c for c in chosen if c in last and last[c] < before}
        if filters.last_visit_after is not None:
            after = to_epoch(start_of_local_day(filters.last_visit_after, zone))
            chosen = {c for c in chosen if c in last and last[c] >= after}
    if filters.stores_visited:
        chosen &= await segment_queries.seen_at_stores(db, filters.stores_visited, day_end)
    if filters.names_spend:
        last_day = filters.spend_to or today
        first = filters.spend_from or last_day - timedelta(days=DEFAULT_WINDOW_DAYS - 1)
        spend = await segment_queries.spend_between(
            db, start_of_local_day(first, zone), end_of_local_day(last_day, zone)
        )
        chosen = _within(spend, filters.spend_min, filters.spend_max, chosen)
    if filters.birthday_month is not None:
        chosen &= await segment_queries.born_in_month(db, filters.birthday_month)
    if filters.points_expiring_within_days is not None:
        until = now + timedelta(days=filters.points_expiring_within_days)
        chosen &= await segment_queries.points_expiring(db, now, until)
    if filters.marketing_consent is not None:
        consenting = await segment_queries.consenting(db, str(Purpose.MARKETING_EMAIL))
        chosen = chosen & consenting if filters.marketing_consent else chosen - consenting
    if filters.tag is not None:
        chosen &= await segment_queries.tagged(db, filters.tag)
    return chosen
