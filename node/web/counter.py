"""Where a staff member stands: their chosen store (the counter) and how counter pages render."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from node.ledger import queries
from node.ledger.model import Redemption, Voucher
from node.ledger.operations import Redeemed
from node.ledger.qr import VoucherCode, authentic_step, first_retry_step
from node.runtime import Node
from node.web.counter_staff_tables import insert_redemption_staff
from node.web.model import Session
from node.web.pages import render


@dataclass(frozen=True)
class Counter:
    """The request's staff member at their chosen store."""

    session: Session
    store_id: str
    store_name: str


async def find_counter(node: Node, session: Session) -> Counter | None:
    store_id = session.store_id
    if store_id is None or store_id not in session.account.stores:
        return None
    found = await queries.get_store(node.require_reader(), store_id)
    return None if found is None else Counter(session, store_id, found.name)


async def require_counter(node: Node, session: Session) -> Counter:
    """The counter, or off to /staff to choose a store first."""
    counter = await find_counter(node, session)
    if counter is None:
        raise web.HTTPSeeOther("/staff")
    return counter


@dataclass(frozen=True)
class CodeUse:
    """What the node knows of a code of its own voucher: the step it was made in, whether it
    was used, and the redemption that used it (None: used, but by no redemption of ours)."""

    step: int
    is_used: bool
    earlier: Redemption | None


async def code_use(node: Node, code: VoucherCode, voucher: Voucher) -> CodeUse:
    """The use of `code`, however old (CodeInvalid for a code not made with the voucher's
    secret): the one lookup behind the confirm step's "already redeemed" and the "did it go
    through" a sign-in interrupted (counter_resume.py). A typed code is recognised in the recent
    steps in which one of the voucher's typed codes made a redemption, within the retry window."""
    now, steps = node.clock.now(), node.settings.step_seconds
    reader = node.require_reader()
    used: list[int] = []
    if code.step is None:
        since = first_retry_step(now, steps, node.settings.retry_window_s)
        used = await queries.used_manual_steps(reader, voucher.voucher_id, since)
    step = authentic_step(code, voucher.secret, now, steps, used)
    is_used, earlier = await queries.code_use(reader, voucher.voucher_id, step, code.nonce)
    return CodeUse(step, is_used, earlier)


def staff_page(
    request: web.Request,
    node: Node,
    session: Session,
    template: str,
    status: int = 200,
    **context: Any,
) -> web.Response:
    context.setdefault("account", session.account)
    return render(
        request, template, context, zone=node.config.zone, csrf=session.csrf, status=status
    )


def masked(voucher_id: str) -> str:
    """Only the last four digits, as on receipts: the number alone must not be readable off a screen."""
    return "**** **** " + voucher_id[-4:]


def redeemed_by(
    unit: Callable[[sqlite3.Connection], Redeemed], account_id: str
) -> Callable[[sqlite3.Connection], Redeemed]:
    """The redemption `unit` makes, with the staff member who made it recorded in the same
    transaction (a retried request's earlier redemption keeps its first record)."""

    def work(conn: sqlite3.Connection) -> Redeemed:
        redeemed = unit(conn)
        if not redeemed.is_repeat:
            insert_redemption_staff(conn, redeemed.redemption.redemption_id, account_id)
        return redeemed

    return work
