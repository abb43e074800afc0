"""Points at the counter (ポイント): staff scan or key in what identifies the member, key in the
purchase amount, see the points it earns on a confirm step, and earn; or take points as a
discount with the card's rotating code (QR or its 16 digits) and a confirm step showing the yen.

Identifying: the membership card's rotating code, the customer's voucher QR (its holder), the
member number or the printed card number; the last two earn only (actions.resolve refuses them
for spending with member.card_cannot_spend). Each confirm page carries a transaction id made for
it (actions.new_txn), so the same form sent twice earns or spends once: the second answer is the
first (`replayed`). Wrong member codes count in the counter's wrong-code throttle (staff.py), as
wrong voucher codes do: the 16-digit typed form must not be guessed at a till.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

from aiohttp import web

from node.errors import (
    BelowMinimumUse,
    InsufficientPoints,
    InvalidMemberCode,
    KippuError,
    MemberCodeExpired,
    MemberCodeInvalid,
    MemberCodeUsed,
    MemberNotFound,
)
from node.points import actions, preview
from node.points.actions import Caller
from node.points.core import page_txn, require_points, require_txn
from node.points.model import MAX_PURCHASE_YEN, MAX_TXN_CHARS
from node.runtime import Node
from node.web.actors import recorded_actor
from node.web.amounts import typed_yen
from node.web.counter import Counter, require_counter, staff_page
from node.web.guard import read_form, requires
from node.web.model import Role, Session
from node.web.staff import CODE_THROTTLE

# Refusals of the member code itself: counted by the wrong-code throttle.
BAD_MEMBER_CODES = (
    InvalidMemberCode,
    MemberCodeInvalid,
    MemberCodeExpired,
    MemberCodeUsed,
    MemberNotFound,
)
MAX_CODE_CHARS = 200
T = TypeVar("T")


def _typed_points(text: str) -> int:
    cleaned = text.strip()
    return require_points(int(cleaned) if cleaned.isascii() and cleaned.isdigit() else cleaned)


def _form_page(
    request: web.Request,
    node: Node,
    counter: Counter,
    template: str,
    error: KippuError | None,
    **kept: str,
) -> web.Response:
    return staff_page(
        request,
        node,
        counter.session,
        template,
        status=error.http_status if error else 200,
        counter=counter,
        error=error,
        max_yen=MAX_PURCHASE_YEN,
        **kept,
    )


async def _counted(
    request: web.Request, node: Node, session: Session, work: Callable[[], Awaitable[T]]
) -> T:
    """`work`'s answer, a refused member code counting in this staff member's wrong-code
    throttle (a guessed 16-digit code is refused there before it is checked)."""
    throttle = request.app[CODE_THROTTLE]
    key = f"codes:{session.account.account_id}"
    async with throttle.attempt(key, node.clock.now().timestamp()) as attempt:
        try:
            return await work()
        except BAD_MEMBER_CODES:
            attempt.failed = True
            raise


async def _identified(
    request: web.Request, node: Node, session: Session, presented: str, to_spend: bool
) -> preview.Identified:
    return await _counted(
        request, node, session, lambda: preview.identify(node, presented, to_spend)
    )


# -- earn ------------------------------------------------------------------------------------


@requires(Role.STAFF)
async def earn_form(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    counter = await require_counter(node, session)
    return _form_page(request, node, counter, "staff_points.html", None, member="", amount="")


@requires(Role.STAFF)
async def earn_confirm(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """Step two: who, the amount, and the points it earns under the terms in force now."""
    counter = await require_counter(node, session)
    form = await read_form(request)
    member_text, amount_text = form.get("member", "")[:MAX_CODE_CHARS], form.get("amount", "")[:20]
    try:
        amount = typed_yen(amount_text)
        found = await _identified(request, node, session, member_text, to_spend=False)
        points = await preview.earn_preview(
            node, found.member.customer_id, amount, counter.store_id
        )
    except KippuError as exc:
        kept = {"member": member_text, "amount": amount_text}
        return _form_page(request, node, counter, "staff_points.html", exc, **kept)
    return staff_page(
        request,
        node,
        session,
        "staff_points_confirm.html",
        counter=counter,
        kind="earn",
        member_text=member_text.strip(),
        found=found,
        amount=amount,
        points=points,
        txn=actions.new_txn(node, "ce"),
    )


@requires(Role.STAFF)
async def earn(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """Step three: the points earned, once for the form's transaction id."""
    counter = await require_counter(node, session)
    form = await read_form(request)
    member_text, amount_text = form.get("member", "")[:MAX_CODE_CHARS], form.get("amount", "")[:20]
    try:
        amount = typed_yen(amount_text)
        answer = await actions.earn(
            node,
            member_text,
            amount,
            staff_txn(session, form),
            Caller(recorded_actor(session)),
            counter.store_id,
        )
    except KippuError as exc:
        kept = {"member": member_text, "amount": amount_text}
        return _form_page(request, node, counter, "staff_points.html", exc, **kept)
    return _done(request, node, counter, "earn", answer)


def staff_txn(session: Session, form: Mapping[str, str]) -> str:
    """The id a confirm form's posted `txn` stands for: `staff:` and a hash over the staff login
    and the posted id (checked for shape), never the posted text itself, so no one at the counter
    can take a POS's id; the same form sent twice still earns or spends once."""
    posted = require_txn(form.get("txn", "")[:MAX_TXN_CHARS])
    return page_txn("staff", session.account.login, posted)


def _done(
    request: web.Request, node: Node, counter: Counter, kind: str, answer: dict[str, Any]
) -> web.Response:
    return staff_page(
        request,
        node,
        counter.session,
        "staff_points_done.html",
        counter=counter,
        kind=kind,
        answer=answer,
    )


# -- use -------------------------------------------------------------------------------------


@requires(Role.STAFF)
async def use_form(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    counter = await require_counter(node, session)
    return _form_page(request, node, counter, "staff_points_use.html", None, member="", points="")


@requires(Role.STAFF)
async def use_confirm(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """Step two: the points, what they take off the bill, and the balance after."""
    counter = await require_counter(node, session)
    form = await read_form(request)
    member_text, points_text = form.get("member", "")[:MAX_CODE_CHARS], form.get("points", "")[:12]
    try:
        wanted = _typed_points(points_text)
        found = await _identified(request, node, session, member_text, to_spend=True)
        program = await preview.program_now(node)
        if wanted < program.min_use_points:
            raise BelowMinimumUse(min_use_points=program.min_use_points)
        if wanted > found.balance:
            raise InsufficientPoints(balance=found.balance)
    except KippuError as exc:
        kept = {"member": member_text, "points": points_text}
        return _form_page(request, node, counter, "staff_points_use.html", exc, **kept)
    return staff_page(
        request,
        node,
        session,
        "staff_points_confirm.html",
        counter=counter,
        kind="use",
        member_text=member_text.strip(),
        found=found,
        points=wanted,
        discount=preview.discount_yen(program, wanted),
        txn=actions.new_txn(node, "cu"),
    )


@requires(Role.STAFF)
async def use(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """Step three: the points taken (the card's code used up), once for the transaction id."""
    counter = await require_counter(node, session)
    form = await read_form(request)
    member_text, points_text = form.get("member", "")[:MAX_CODE_CHARS], form.get("points", "")[:12]
    try:
        wanted, txn = _typed_points(points_text), staff_txn(session, form)
        caller = Caller(recorded_actor(session))
        answer = await _counted(
            request,
            node,
            session,
            lambda: actions.use(
                node, member_text, wanted, txn, caller, counter.store_id, typed_code=True
            ),
        )
    except KippuError as exc:
        kept = {"member": "", "points": points_text}  # a card code is spent or stale: scan anew
        return _form_page(request, node, counter, "staff_points_use.html", exc, **kept)
    return _done(request, node, counter, "use", answer)


def routes() -> list[web.RouteDef]:
    return [
        web.get("/staff/points", earn_form),
        web.post("/staff/points/confirm", earn_confirm),
        web.post("/staff/points/earn", earn),
        web.get("/staff/points/use", use_form),
        web.post("/staff/points/use/confirm", use_confirm),
        web.post("/staff/points/use", use),
    ]
