"""Segments for the admin API (and so the CLI) and the console: save, list with live counts,
delete, and who is in one now."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Set
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any, TypeVar

from node.clock import new_id
from node.crm import consent_snapshot, operations, queries, report_process, segment_queries
from node.crm.analytics_actions import Asked, asked, class_members, spends_for
from node.crm.consents import Purpose
from node.crm.facts import DEFAULT_WINDOW_DAYS, Period
from node.crm.segments import BUILT_IN, Filters, Segment, read_filters, read_name
from node.errors import InvalidSegment, SegmentNotFound
from node.ledger.calendar import start_of_local_day
from node.ledger.rows import to_epoch
from node.reads import Reader
from node.runtime import Node

EVERYONE = Segment("all", BUILT_IN, Filters())
T = TypeVar("T")


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


class Chosen:
    """The customers the filters so far hold for: nobody is listed until a filter needs
    everyone (a "not" filter, or a range that holds for those with no figure), so a narrow
    segment of a company of a million customers never lists the million."""

    def __init__(self, db: Reader) -> None:
        self.db = db
        self.ids: set[str] | None = None  # None: every customer not erased

    async def everyone(self) -> set[str]:
        if self.ids is None:
            self.ids = await segment_queries.every_customer(self.db)
        return self.ids

    def keep(self, some: Set[str]) -> None:
        self.ids = set(some) if self.ids is None else self.ids & some

    async def drop(self, some: Set[str]) -> None:
        self.ids = await self.everyone() - some

    async def within(self, figures: dict[str, int], low: int | None, high: int | None) -> None:
        """Keep those whose figure (0 when they have none) is in [low, high]."""
        ids: Iterable[str]
        if low is None or low <= 0:
            ids = await self.everyone()
        else:
            ids = figures if self.ids is None else self.ids
        self.ids = {
            c
            for c in ids
            if (low is None or figures.get(c, 0) >= low)
            and (high is None or figures.get(c, 0) <= high)
        }

    async def result(self) -> set[str]:
        if self.ids is None:
            return await self.everyone()
        return self.ids - await segment_queries.erased(self.db)


async def members(node: Node, filters: Filters) -> set[str]:
    """The customers every given filter holds for, now (segments.py). Worked out in the report
    worker (report_process.py): a filter can read every customer's payments."""
    return await in_worker(node, chosen, filters)


async def count(node: Node, filters: Filters) -> int:
    """How many customers `members` would give: counted in the report worker, so a segment of
    a million customers does not cross to the node's process to be counted there."""
    return await in_worker(node, _count, filters)


async def in_worker(
    node: Node, job: Callable[..., Awaitable[T]], filters: Filters, *args: Any
) -> T:
    """`await job(db, today, filters, now, *args)` in the report worker: `today` the default
    window as of today, `now` the node's now. `job` is a module-level coroutine function taking
    those first (it is sent to the worker by name), and calls `chosen` for the members."""
    now = node.clock.now()
    today = now.astimezone(node.config.zone).date()
    asking = asked(node, Period(today, DEFAULT_WINDOW_DAYS, node.config.zone))
    return await report_process.run(node.database_path, job, asking, filters, now, *args)


async def _count(db: Reader, today: Asked, filters: Filters, now: datetime) -> int:
    return len(await chosen(db, today, filters, now))


async def chosen(db: Reader, today: Asked, filters: Filters, now: datetime) -> set[str]:
    """`members`, in the report worker."""
    zone = today.period.zone
    day_end = today.period.end  # payments and visits count up to the end of today
    chosen = Chosen(db)
    if filters.has_active_voucher is not None:
        holders = await segment_queries.holding_usable(db, now)
        if filters.has_active_voucher:
            chosen.keep(holders)
        else:
            await chosen.drop(holders)
    if filters.balance_min is not None or filters.balance_max is not None:
        balances = await segment_queries.usable_balances(db, now)
        await chosen.within(balances, filters.balance_min, filters.balance_max)
    if filters.rank is not None:
        chosen.keep(await segment_queries.ranked(db, filters.rank))
    if filters.rfm_class is not None:
        chosen.keep(await class_members(db, today, filters.rfm_class))
    if filters.last_visit_before is not None or filters.last_visit_after is not None:
        last = await segment_queries.last_seen(db, day_end)
        if filters.last_visit_before is not None:
            before = to_epoch(start_of_local_day(filters.last_visit_before, zone))
            chosen.keep({c for c, at in last.items() if at < before})
        if filters.last_visit_after is not None:
            after = to_epoch(start_of_local_day(filters.last_visit_after, zone))
            chosen.keep({c for c, at in last.items() if at >= after})
    if filters.stores_visited:
        chosen.keep(await segment_queries.seen_at_stores(db, filters.stores_visited, day_end))
    if filters.names_spend:
        last_day = filters.spend_to or today.period.as_of
        first = filters.spend_from or last_day - timedelta(days=DEFAULT_WINDOW_DAYS - 1)
        window = Period(last_day, (last_day - first).days + 1, zone)
        # a window of the segment's own is read in full, not kept (only the reports' are)
        spends = await spends_for(db, replace(today, period=window, keep=window == today.period))
        low, high = filters.spend_min, filters.spend_max
        if low is not None and low > 0:  # one pass: those who spent nothing are out anyway
            chosen.keep(
                {
                    s.customer_id
                    for s in spends
                    if s.window_yen >= low and (high is None or s.window_yen <= high)
                }
            )
        else:
            await chosen.within({s.customer_id: s.window_yen for s in spends}, low, high)
    if filters.birthday_month is not None:
        chosen.keep(await segment_queries.born_in_month(db, filters.birthday_month))
    if filters.points_expiring_within_days is not None:
        until = now + timedelta(days=filters.points_expiring_within_days)
        chosen.keep(await segment_queries.points_expiring(db, now, until))
    if filters.marketing_consent is not None:
        consenting = await consent_snapshot.consenting(
            db, today.database, str(Purpose.MARKETING_EMAIL)
        )
        if filters.marketing_consent:
            chosen.keep(consenting)
        else:
            await chosen.drop(consenting)
    if filters.tag is not None:
        chosen.keep(await segment_queries.tagged(db, filters.tag))
    return await chosen.result()
