"""The counter's day in figures (日計): sales by payment method with their cancels, redemptions,
voids and partner vouchers, the rests of redemptions paid another way (全額利用と差額) by method,
for one store and one business day; and its printable page.

`close_day` is pure: it sums the day's records the shell loads (node/ledger/sale_queries.py,
node/settlement/queries.py). Sales count on the day they were made; a cancel is always the same
day (node/ledger/core.py). A void counts on the day it was made (it may void an earlier day), and
so does the rest it gives back.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from aiohttp import web

from node.errors import DateInFuture, InvalidDate, KippuError
from node.ledger import queries as ledger_queries
from node.ledger import sale_queries, tender_tables
from node.ledger.model import PaymentMethod, Redemption, Sale
from node.ledger.tender import RestPayment
from node.reads import Reader
from node.runtime import Node
from node.settlement import queries as settlement_queries
from node.settlement.model import Claim, ClaimStatus
from node.web.counter import Counter, require_counter, staff_page
from node.web.guard import requires
from node.web.model import Role, Session

DAY_LIMIT = 5000  # records of one kind in one store's day; a busier day is cut (and said so)
NOT_STANDING = frozenset({ClaimStatus.CLAIMED, ClaimStatus.REJECTED, ClaimStatus.VOIDED})


@dataclass(frozen=True)
class MethodTotals:
    """One payment method's sales and cancels of the day, and the rests of redemptions it took
    (a voucher's balance short of the sale) and gave back (those redemptions voided)."""

    method: PaymentMethod
    sold_count: int
    sold_yen: int
    cancelled_count: int
    cancelled_yen: int
    rest_count: int = 0
    rest_yen: int = 0
    rest_refunded_yen: int = 0

    @property
    def net_yen(self) -> int:
        return self.sold_yen - self.cancelled_yen

    @property
    def rest_net_yen(self) -> int:
        return self.rest_yen - self.rest_refunded_yen


@dataclass(frozen=True)
class DayClose:
    day: date
    by_method: tuple[MethodTotals, ...]
    redemptions_count: int
    redemptions_yen: int
    voids_count: int
    voids_yen: int
    partner_count: int
    partner_yen: int
    is_cut: bool  # a kind of record reached DAY_LIMIT: the figures are not the whole day

    @property
    def sold_count(self) -> int:
        return sum(m.sold_count for m in self.by_method)

    @property
    def sold_yen(self) -> int:
        return sum(m.sold_yen for m in self.by_method)

    @property
    def cancelled_count(self) -> int:
        return sum(m.cancelled_count for m in self.by_method)

    @property
    def cancelled_yen(self) -> int:
        return sum(m.cancelled_yen for m in self.by_method)

    @property
    def net_sales_yen(self) -> int:
        return self.sold_yen - self.cancelled_yen

    @property
    def net_redemptions_yen(self) -> int:
        return self.redemptions_yen - self.voids_yen + self.partner_yen

    @property
    def rest_yen(self) -> int:
        return sum(m.rest_yen for m in self.by_method)

    @property
    def rest_refunded_yen(self) -> int:
        return sum(m.rest_refunded_yen for m in self.by_method)

    @property
    def rest_net_yen(self) -> int:
        return self.rest_yen - self.rest_refunded_yen

    @property
    def cash_drawer_yen(self) -> int:
        """What the day left in the till: cash taken for sales and for rests, less cash given back."""
        cash = next(m for m in self.by_method if m.method == PaymentMethod.CASH)
        return cash.net_yen + cash.rest_net_yen


def close_day(
    day: date,
    sales: Sequence[Sale],
    redemptions: Sequence[Redemption],
    voids: Sequence[Redemption],
    claims: Sequence[Claim],
    rests: Mapping[str, RestPayment] | None = None,
    is_cut: bool = False,
) -> DayClose:
    """The day's figures from its records (each already limited to the store and the day);
    `rests`: the rest paid another way of any of the redemptions and voids, by redemption id."""
    rests = rests or {}
    by_method = []
    for method in PaymentMethod:
        mine = [s for s in sales if s.payment_method == method]
        gone = [s for s in mine if s.is_cancelled]
        taken = [rests[r.redemption_id] for r in redemptions if r.redemption_id in rests]
        given = [rests[r.redemption_id] for r in voids if r.redemption_id in rests]
        taken = [rest for rest in taken if rest.method == method]
        by_method.append(
            MethodTotals(
                method,
                len(mine),
                sum(s.price_yen for s in mine),
                len(gone),
                sum(s.price_yen for s in gone),
                len(taken),
                sum(rest.amount_yen for rest in taken),
                sum(rest.amount_yen for rest in given if rest.method == method),
            )
        )
    standing = [c for c in claims if c.status not in NOT_STANDING]
    return DayClose(
        day=day,
        by_method=tuple(by_method),
        redemptions_count=len(redemptions),
        redemptions_yen=sum(r.amount_yen for r in redemptions),
        voids_count=len(voids),
        voids_yen=sum(r.amount_yen for r in voids),
        partner_count=len(standing),
        partner_yen=sum(c.amount_yen for c in standing),
        is_cut=is_cut,
    )


def day_bounds(day: date, zone: ZoneInfo) -> tuple[int, int]:
    """The business day's first second and the next day's, in epoch seconds."""
    start = datetime.combine(day, time(0), zone)
    end = datetime.combine(day + timedelta(days=1), time(0), zone)
    return int(start.timestamp()), int(end.timestamp())


async def load_day(reader: Reader, store_id: str, day: date, zone: ZoneInfo) -> DayClose:
    start, end = day_bounds(day, zone)
    sales = await sale_queries.sales_between(reader, store_id, start, end, DAY_LIMIT)
    used = await ledger_queries.redemptions_at_store(reader, store_id, start, end, DAY_LIMIT)
    voids = await sale_queries.voids_between(reader, store_id, start, end, DAY_LIMIT)
    claims = await settlement_queries.claims_at_store(reader, store_id, start, DAY_LIMIT)
    claims = [c for c in claims if start <= c.created_at < end]
    is_cut = DAY_LIMIT in (len(sales), len(used), len(voids), len(claims))
    ids = sorted({r.redemption_id for r in (*used, *voids)})
    rests = await tender_tables.rests_of(reader, ids)
    return close_day(day, sales, used, voids, claims, rests, is_cut)


def read_day(text: str, today: date) -> date:
    """A chosen business day (YYYY-MM-DD, not in the future); today when none is chosen."""
    if not text:
        return today
    try:
        chosen = date.fromisoformat(text.strip()[:10])
    except ValueError:
        raise InvalidDate("Type the day as YYYY-MM-DD.", field="day") from None
    if chosen > today:
        raise DateInFuture("Choose today or a day before.", field="day")
    return chosen


@requires(Role.STAFF)
async def close_page(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """GET /staff/close?day=YYYY-MM-DD: the store's 日計 for that day (today by default)."""
    counter: Counter = await require_counter(node, session)
    now = node.clock.now()
    today = now.astimezone(node.config.zone).date()
    typed = request.query.get("day", "")[:20]
    error: KippuError | None = None
    try:
        day = read_day(typed, today)
    except KippuError as exc:
        error, day = exc, today
    figures = await load_day(node.require_reader(), counter.store_id, day, node.config.zone)
    return staff_page(
        request,
        node,
        session,
        "staff_close.html",
        status=error.http_status if error else 200,
        counter=counter,
        close=figures,
        error=error,
        typed=typed if error else day.isoformat(),
        today=today.isoformat(),
        made_at=now,
    )


def routes() -> list[web.RouteDef]:
    return [web.get("/staff/close", close_page)]
