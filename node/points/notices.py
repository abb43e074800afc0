"""Points-expiring notices (ポイント失効のお知らせ): a member is told once per day on which some
of their points lapse, `[points] expiry_notice_days` before it. Each notice is recorded with a
`points.expiring` webhook event in one writer unit; a member who opted in (in the wallet) is
also mailed, by the sender the composition root hands in (node/web/points_mail.py), and the mail
is marked sent after it went, so a crash between the two sends it again rather than never.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from node.clock import Randomness
from node.ledger.calendar import start_of_local_day
from node.ledger.record_queries import get_customer
from node.points import actions, events, notice_tables, operations, tables
from node.points.model import Member
from node.points.notice_tables import ExpiringLot, MailDue, Notice
from node.runtime import Node

log = logging.getLogger(__name__)

LOTS_PER_UNIT = 500
MAILS_PER_RUN = 200


@dataclass(frozen=True)
class ExpiryMail:
    """What the mail says: to whom, how many points, their last day."""

    to: str
    points: int
    last_day: date


# Sends one mail; None when sent, else why not (logged and tried again on the next run).
MailSender = Callable[[ExpiryMail], Awaitable[str | None]]


def last_day(expires_at: datetime, zone: ZoneInfo) -> date:
    """The last local day points expiring at `expires_at` (a local midnight) can be used."""
    return (expires_at - timedelta(seconds=1)).astimezone(zone).date()


def group_by_day(lots: list[ExpiringLot], zone: ZoneInfo) -> dict[tuple[str, date], int]:
    """Points per member and last day, in the order the lots came (soonest first)."""
    grouped: dict[tuple[str, date], int] = {}
    for lot in lots:
        key = (lot.customer_id, last_day(lot.expires_at, zone))
        grouped[key] = grouped.get(key, 0) + lot.remaining
    return grouped


def record_due(
    days: int, now: datetime, zone: ZoneInfo, rng: Randomness
) -> Callable[[sqlite3.Connection], int]:
    """The writer unit: a notice and a `points.expiring` event for each member and day whose
    points lapse within `days` and were not noticed yet; how many notices it made."""

    def unit(conn: sqlite3.Connection) -> int:
        horizon = now + timedelta(days=days)
        lots = notice_tables.unnoticed_lots(conn, now, horizon, LOTS_PER_UNIT)
        made = 0
        for customer_id, day in group_by_day(lots, zone):
            member = tables.load_member(conn, customer_id)
            # Bounds of the `expires_at` of this day's lots: after its start, up to next midnight.
            starts = start_of_local_day(day, zone) + timedelta(seconds=1)
            ends = start_of_local_day(day + timedelta(days=1), zone) + timedelta(seconds=1)
            # The day's whole sum: a batch cut at LOTS_PER_UNIT may hold only some of its lots.
            points = notice_tables.points_expiring_between(conn, customer_id, starts, ends)
            notice = Notice(
                customer_id,
                day.isoformat(),
                starts,
                ends,
                points,
                now,
                member is not None and member.notify_expiry,
            )
            if notice_tables.insert_notice(conn, notice):
                expires_at = start_of_local_day(day + timedelta(days=1), zone)
                events.expiring(conn, customer_id, points, day.isoformat(), expires_at, now, rng)
                made += 1
        return made

    return unit


async def record_notices(node: Node) -> int:
    """Every notice due now, in writer units of at most LOTS_PER_UNIT lots."""
    days = node.config.points.expiry_notice_days
    if days == 0:
        return 0
    made = 0
    while True:
        now = node.clock.now()
        count = await node.require_writer().submit(
            record_due(days, now, node.config.zone, node.rng)
        )
        made += count
        if count == 0:
            return made


async def send_mails(node: Node, send: MailSender) -> int:
    """Mail the notices whose members asked for it; how many went. A member with no address on
    file is marked failed (no mail can reach them)."""
    reader = node.require_reader()
    sent = 0
    for due in await notice_tables.mails_due(reader, MAILS_PER_RUN):
        customer = await get_customer(reader, due.customer_id)
        email = None if customer is None else customer.email
        error = "no email address" if not email else await send(_mail(due, email))
        await node.require_writer().submit(_mark(due, error, node.clock.now()))
        if error is None:
            sent += 1
        else:
            log.warning("points notice mail to member %s not sent: %s", due.customer_id, error)
    return sent


def _mark(due: MailDue, error: str | None, now: datetime) -> Callable[[sqlite3.Connection], None]:
    def unit(conn: sqlite3.Connection) -> None:
        notice_tables.mark_mailed(conn, due.customer_id, due.expires_on, error, now)

    return unit


def _mail(due: MailDue, email: str) -> ExpiryMail:
    return ExpiryMail(email, due.points, date.fromisoformat(due.expires_on))


async def run(node: Node, send: MailSender) -> None:
    """One run of the periodic job: record what is due, then mail who asked for it."""
    made = await record_notices(node)
    if made:
        log.info("recorded %d points-expiring notices", made)
    await send_mails(node, send)


async def set_opt_in(node: Node, customer_id: str, wanted: bool) -> dict[str, Any]:
    """The member's choice (the wallet's switch): a mail before points expire, or none; the
    member's answer as `kippu member show` gives it. Made a member on first need, as every
    customer is one; MemberNotFound when there is no such customer."""
    now = node.clock.now()

    def unit(conn: sqlite3.Connection) -> Member:
        member = operations.ensure_member(conn, customer_id, now, node.rng)
        tables.set_notify_expiry(conn, customer_id, wanted)
        return replace(member, notify_expiry=wanted)

    member = await node.require_writer().submit(unit)
    return await actions.member_answer(node, member)
