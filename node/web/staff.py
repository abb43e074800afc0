"""The counter (店舗スタッフ): choose a store, scan or type the customer's code, redeem, void.

A staff member works at one of their stores per session. Every redemption goes through the same
ledger operations as the admin API (node/ledger/operations.py); a partner's voucher becomes a
claim to its issuer (node/settlement/). Failed codes are counted per session and throttled.
Selling is node/web/counter_sales.py.
"""

from __future__ import annotations

from aiohttp import web

from node.clock import ordered_id
from node.crm import profile_actions
from node.errors import (
    Forbidden,
    KippuError,
    RestForPartnerVoucher,
    VoucherNotFound,
)
from node.ledger import operations, queries
from node.ledger.core import repeat_of, require_usable
from node.ledger.model import PaymentMethod, Redemption, Store, Voucher
from node.ledger.qr import (
    VoucherCode,
    parse_code,
    require_fresh,
)
from node.ledger.rows import from_epoch
from node.runtime import Node
from node.settlement import queries as settlement_queries
from node.settlement.api import claim_partner_voucher
from node.settlement.model import Claim, ClaimStatus
from node.web import account_tables
from node.web.actors import recorded_actor
from node.web.amounts import typed_yen
from node.web.counter import (
    Counter,
    code_use,
    find_counter,
    masked,
    redeemed_by,
    require_counter,
    staff_page,
)
from node.web.counter_points_redeem import points_to_earn, with_points
from node.web.counter_result import (
    BAD_CODES,
    entry_page,
    posted_rest,
    refused_page,
    sale_total_text,
    shortfall_yen,
)
from node.web.counter_resume import RESUME_PATH, has_interrupted, resumable
from node.web.guard import read_form, requires
from node.web.model import Role, Session
from node.web.throttle import CodeThrottle

CODE_THROTTLE = web.AppKey("kippu_code_throttle", CodeThrottle)


def install_throttle(app: web.Application) -> None:
    # A guessed manual code: 10 wrong codes per staff login in 5 minutes, then a pause.
    app[CODE_THROTTLE] = CodeThrottle(limit=10, window_s=5 * 60)


@requires(Role.STAFF)
async def home(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    counter = await find_counter(node, session)
    if counter is None:
        mine = await _my_stores(node, session)
        if len(mine) == 1:
            await node.require_writer().submit(
                account_tables.choose_store(session.token_hash, mine[0].store_id)
            )
            raise web.HTTPSeeOther("/staff")
        return staff_page(request, node, session, "staff_store.html", stores=mine)
    if has_interrupted(request):  # signed in again mid-sale: say what became of it first
        raise web.HTTPSeeOther(RESUME_PATH)
    return entry_page(request, node, counter, error=None, code="", amount="")


@requires(Role.STAFF)
async def store_chooser(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """Change store (店舗を変更) for staff who work at more than one."""
    mine = await _my_stores(node, session)
    return staff_page(request, node, session, "staff_store.html", stores=mine)


async def _my_stores(node: Node, session: Session) -> list[Store]:
    stores = await queries.list_stores(node.require_reader())
    return [s for s in stores if s.store_id in session.account.stores]


@requires(Role.STAFF)
async def choose_store(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    store_id = (await read_form(request)).get("store_id", "")
    if store_id not in session.account.stores:
        raise Forbidden("You do not work at that store.")
    await node.require_writer().submit(account_tables.choose_store(session.token_hash, store_id))
    raise web.HTTPSeeOther("/staff")


@requires(Role.STAFF)
async def confirm(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """Step two: what will happen, before it happens."""
    counter, code_text, amount_text, throttle, key, now_s = await _code_form(request, node, session)
    try:
        amount = typed_yen(amount_text)  # a typo in the amount says nothing about the code
        async with throttle.attempt(key, now_s) as attempt:
            try:
                code = parse_code(code_text)
                voucher, earlier = None, None
                if code.issuer_id is None or code.issuer_id == node.identity.node_id:
                    voucher = await queries.get_voucher(node.require_reader(), code.voucher_id)
                    if voucher is None:
                        raise VoucherNotFound()
                    earlier = await _earlier_redemption(node, code, voucher, counter, amount)
            except BAD_CODES:
                attempt.failed = True
                raise
    except KippuError as exc:
        return entry_page(request, node, counter, error=exc, code=code_text, amount=amount_text)
    issuer = None
    if voucher is None and code.issuer_id is not None:
        issuer = (await settlement_queries.peer_names(node.require_reader())).get(code.issuer_id)
    return staff_page(
        request,
        node,
        session,
        "staff_confirm.html",
        counter=counter,
        code=code_text.strip(),
        amount=amount,
        voucher=voucher,
        masked=masked(code.voucher_id),
        partner=issuer or (code.issuer_id[:8] if voucher is None and code.issuer_id else None),
        is_repeat=earlier is not None,
        earlier=earlier,
        shortfall=shortfall_yen(voucher, amount) if earlier is None else 0,
        methods=tuple(PaymentMethod),
        points=await points_to_earn(node, voucher, amount, counter.store_id, earlier),
        greeting=await profile_actions.greeting(node, voucher.holder_id if voucher else None),
    )


@requires(Role.STAFF)
async def edit(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """Back from the confirm step or a ✗ result to the form, with the code and amount kept."""
    counter = await require_counter(node, session)
    form = await read_form(request)
    code, amount = form.get("code", "")[:200], form.get("amount", "")[:20]
    return entry_page(request, node, counter, error=None, code=code, amount=amount)


async def _earlier_redemption(
    node: Node, code: VoucherCode, voucher: Voucher, counter: Counter, amount: int
) -> Redemption | None:
    """The redemption this code already made at this counter for this amount within the retry
    window, however old the code, or None for a fresh, usable code; anything else is refused as
    `redeem` would.

    The code itself is checked, not only the number: a guessed number shows no balance."""
    use = await code_use(node, code, voucher)
    now = node.clock.now()
    if use.is_used:
        return repeat_of(use.earlier, counter.store_id, amount, now, node.settings.retry_window_s)
    require_fresh(use.step, now, node.settings.step_seconds)
    require_usable(voucher, now)
    return None


@requires(Role.STAFF)
async def redeem(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    counter, code_text, amount_text, throttle, key, now_s = await _code_form(request, node, session)
    form = await read_form(request)
    try:
        amount = typed_yen(amount_text)
        rest = posted_rest(form)
        async with throttle.attempt(key, now_s) as attempt:
            try:
                code = parse_code(code_text)
                if code.issuer_id is not None and code.issuer_id != node.identity.node_id:
                    if rest is not None:
                        raise RestForPartnerVoucher()
                    claim, is_repeat = await claim_partner_voucher(
                        node, code, code_text.strip(), amount, counter.store_id
                    )
                    return _claim_result(request, node, counter, claim, is_repeat)
                now = node.clock.now()
                redeemed, points = await node.require_writer().submit(
                    with_points(  # the holder's points in the same unit: counter_points_redeem
                        redeemed_by(
                            operations.redeem(
                                code,
                                amount,
                                counter.store_id,
                                node.settings,
                                now,
                                ordered_id(now, node.rng, "rd"),
                                ordered_id(now, node.rng, "tx"),
                                rest,
                            ),
                            session.account.account_id,
                        ),
                        node,
                        counter.store_id,
                        recorded_actor(session),
                    )
                )
            except BAD_CODES:
                # A used code is a wrong code, unless it is this store's retry (answered above).
                attempt.failed = True
                raise
    except KippuError as exc:
        return refused_page(request, node, counter, exc, code_text, sale_total_text(form))
    redemption, voucher = redeemed.redemption, redeemed.voucher
    return staff_page(
        request,
        node,
        session,
        "staff_done.html",
        counter=counter,
        amount=redemption.amount_yen,
        balance=voucher.balance_yen,
        receipt_no=redemption.receipt_no,
        redemption_id=redemption.redemption_id,
        outcome="accepted",
        is_repeat=redeemed.is_repeat,
        earlier_at=redemption.created_at if redeemed.is_repeat else None,
        masked=masked(voucher.voucher_id),
        rest=redeemed.rest,
        points=points,
    )


def _claim_result(
    request: web.Request, node: Node, counter: Counter, claim: Claim, is_repeat: bool = False
) -> web.Response:
    shown = {
        ClaimStatus.CLAIMED: "pending",
        ClaimStatus.REJECTED: "rejected",
    }.get(claim.status, "accepted")
    return staff_page(
        request,
        node,
        counter.session,
        "staff_done.html",
        counter=counter,
        amount=claim.amount_yen,
        balance=None,
        receipt_no=claim.receipt_no if is_repeat else None,
        redemption_id=claim.claim_id,
        outcome=shown,
        is_repeat=is_repeat,
        earlier_at=from_epoch(claim.created_at) if is_repeat else None,
        masked="",
    )


@requires(Role.STAFF)
async def claim_status(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """The pending partner claim's page, reloaded until the issuer decides."""
    counter = await require_counter(node, session)
    claim = await settlement_queries.own_claim(
        node.require_reader(), request.match_info["claim_id"]
    )
    if claim.store_id != counter.store_id:
        raise Forbidden("That claim was made at another store.")
    return _claim_result(request, node, counter, claim)


async def _code_form(
    request: web.Request, node: Node, session: Session
) -> tuple[Counter, str, str, CodeThrottle, str, float]:
    """The counter, the posted code and amount, and this session's wrong-code throttle."""
    counter = await require_counter(node, session)
    form = await read_form(request)
    code_text, amount_text = form.get("code", "")[:200], form.get("amount", "")[:20]
    key = f"codes:{session.account.account_id}"  # signing in again does not reset it
    return (
        counter,
        code_text,
        amount_text,
        request.app[CODE_THROTTLE],
        key,
        node.clock.now().timestamp(),
    )


def routes() -> list[web.RouteDef]:
    return [
        web.get("/staff", home),
        web.get("/staff/store", store_chooser),
        web.post("/staff/store", choose_store),
        web.post("/staff/confirm", resumable("confirm", confirm)),
        web.post("/staff/edit", resumable("edit", edit)),
        web.post("/staff/redeem", resumable("redeem", redeem)),
        web.get("/staff/claims/{claim_id}", claim_status),
    ]
