"""The membership card (会員証) and the points in the wallet: the card with its rotating QR (the
voucher's QR refresh, node/web/static/qr-show.js, same step), its 16-digit typed form, the member
number and the printed card number (digits and an EAN-13 barcode drawn here); the points page with
the balance, the lots soonest-expiring first, the history and the expiry-mail choice.

Every customer is a member: the membership is made on the first visit (actions.member_of). The
card shows the rank and what is left to the next (rank_actions.progress: the rank table's rule,
_rank_progress.html), or none while head office has set no rank table.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from aiohttp import web

from node.points import actions, notices, queries, rank_actions
from node.points.model import EntryKind, Lot, Member
from node.points.queries import HistoryLine
from node.runtime import Node
from node.web.barcode import ean13_svg
from node.web.guard import read_form, requires
from node.web.model import Role, Session
from node.web.wallet_pages import customer_of, page


@dataclass(frozen=True)
class LotLine:
    """A lot as the points page shows it: 「○月○日に○pt失効予定」 (the last day it counts)."""

    points: int
    last_day: datetime | None  # None: never expires
    this_year: bool = True  # the last day falls in this year (then its year is not written)

    @property
    def text_key(self) -> str:
        if self.last_day is None:
            return "pw_lot_no_expiry"
        return "pw_lot_expires" if self.this_year else "pw_lot_expires_year"


def _lot_lines(lots: tuple[Lot, ...], node: Node) -> list[LotLine]:
    """One line per last day (lots earned the same day expire together), soonest first, the
    points without expiry last: queries.balance gives the lots in that order."""
    zone = node.config.zone
    year_now = node.clock.now().astimezone(zone).year
    lines: list[LotLine] = []
    for lot in lots:
        last_day = (
            None
            if lot.expires_at is None
            else (lot.expires_at - timedelta(seconds=1)).astimezone(zone)
        )
        day = None if last_day is None else last_day.date()
        if lines and (lines[-1].last_day.date() if lines[-1].last_day else None) == day:
            lines[-1] = replace(lines[-1], points=lines[-1].points + lot.remaining)
        else:
            this_year = last_day is None or last_day.year == year_now
            lines.append(LotLine(lot.remaining, last_day, this_year))
    return lines


def history_kind(line: HistoryLine) -> str:
    """The text key of what an entry did, e.g. pw_kind_earn (ポイント獲得)."""
    return f"pw_kind_{EntryKind(line.kind).value}"


async def membership(node: Node, customer_id: str) -> Member:
    """The customer's membership: read, and made (a writer unit) only the first time, so an open
    card asking for a fresh code every step costs the writer nothing."""
    found = await queries.member(node.require_reader(), customer_id)
    return found if found is not None else await actions.member_of(node, customer_id)


@requires(Role.CUSTOMER)
async def card_page(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    customer_id = customer_of(session)
    member = await membership(node, customer_id)
    db = node.require_reader()
    balance = await queries.balance(db, customer_id, node.clock.now())
    return await page(
        request,
        node,
        session,
        "wallet_card.html",
        member=member,
        points=balance.points,
        progress=await rank_actions.progress(node, customer_id),
        barcode=ean13_svg(member.card_no, member.card_no),
    )


@requires(Role.CUSTOMER)
async def card_code(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """A fresh one-time card code for the QR; the page asks again before this one expires."""
    customer_id = customer_of(session)
    member = await membership(node, customer_id)
    balance = await queries.balance(node.require_reader(), customer_id, node.clock.now())
    return web.json_response(
        {**actions.card_code(node, member), "balance": balance.points},
        headers={"Cache-Control": "no-store"},
    )


@requires(Role.CUSTOMER)
async def points_page(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    customer_id = customer_of(session)
    member = await membership(node, customer_id)
    db = node.require_reader()
    balance = await queries.balance(db, customer_id, node.clock.now())
    return await page(
        request,
        node,
        session,
        "wallet_points.html",
        member=member,
        points=balance.points,
        lots=_lot_lines(balance.lots, node),
        history=await queries.history(db, customer_id),
        kind_of=history_kind,
        saved=request.query.get("saved", ""),
    )


@requires(Role.CUSTOMER)
async def notify_expiry(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """The expiry-mail choice (node/points/notices.py sends the mails): the form sends
    `notify` = "1" (wanted) or "0"."""
    wanted = (await read_form(request)).get("notify", "") == "1"
    await notices.set_opt_in(node, customer_of(session), wanted)
    raise web.HTTPSeeOther("/wallet/points?saved=" + ("on" if wanted else "off"))


def routes() -> list[web.RouteDef]:
    return [
        web.get("/wallet/card", card_page),
        web.get("/wallet/card/code.json", card_code),
        web.get("/wallet/points", points_page),
        web.post("/wallet/points/notify", notify_expiry),
    ]
