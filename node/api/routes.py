"""Admin API handlers: stores, customers, vouchers, QR codes, redemptions, voids, gifts, checks."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from aiohttp import web

from node.api.compliance_report import REPORT_ROUTES
from node.api.openapi import openapi_document
from node.api.products import PRODUCT_ROUTES
from node.api.serialize import (
    customer_json,
    history_json,
    redemption_json,
    sale_json,
    store_json,
    voucher_json,
)
from node.api.voucher_changes import CHANGE_ROUTES
from node.campaigns.api import CAMPAIGN_ROUTES
from node.campaigns.bank_api import BANK_ROUTES
from node.campaigns.eligibility_api import ELIGIBILITY_ROUTES
from node.campaigns.lottery_api import LOTTERY_ROUTES as CAMPAIGN_LOTTERY_ROUTES
from node.campaigns.payout_api import PAYOUT_ROUTES
from node.campaigns.payout_preview_api import PREVIEW_ROUTES
from node.campaigns.survey_api import SURVEY_ROUTES
from node.clock import iso, new_id, ordered_id
from node.compliance import refund_actions, refund_operations
from node.compliance.acceptance import load_acceptance
from node.compliance.refund_api import REFUND_ROUTES
from node.compliance.warnings import compliance_warnings
from node.crm.analytics_api import ANALYTICS_ROUTES
from node.crm.api import CRM_ROUTES
from node.crm.mail_api import MAIL_ROUTES
from node.errors import (
    RedemptionNotFound,
    RestForPartnerVoucher,
    ValidationError,
    VoucherNotFound,
)
from node.http import input as body_input
from node.ledger import operations, queries, tender_tables
from node.ledger.core import GiftRequest, IssueRequest
from node.ledger.fresh import SECRET_BYTES, fresh_number
from node.ledger.model import API_ACTOR, Store
from node.ledger.qr import fresh_code, parse_code
from node.ledger.tender import RestPayment, rest_payment
from node.payments.api import PAYMENT_ROUTES
from node.peering.api import PEER_ROUTES
from node.points.api import POINTS_ROUTES
from node.points.api_members import MEMBER_ROUTES
from node.points.exchange_api import EXCHANGE_ROUTES
from node.points.lottery_api import LOTTERY_ROUTES
from node.points.rank_api import RANK_ROUTES
from node.points.report_api import REPORT_ROUTES as POINTS_REPORT_ROUTES
from node.points.sweep import SWEEP_ROUTES
from node.runtime import NODE, Handler, Node
from node.settlement.api import (
    SETTLEMENT_ROUTES,
    redeem_partner_voucher,
    void_partner_redemption,
)
from node.settlement.audit.api import AUDIT_ROUTES
from node.web.crm_mail_api import MAIL_TEST_ROUTES
from node.web.customer_erase_api import ERASE_ROUTES
from node.web.handover import cancel_sale as cancel_counter_sale
from node.web.store_applications_api import APPLICATION_ROUTES
from node.web.store_poster_api import POSTER_ROUTES
from node.webhooks.api import WEBHOOK_ROUTES


def _node(request: web.Request) -> Node:
    return request.app[NODE]


def _fresh_number(node: Node) -> str:
    return fresh_number(node.rng)


async def status(request: web.Request) -> web.Response:
    node = _node(request)
    acceptance = await load_acceptance(node.require_reader(), node.config.issuer)
    return web.json_response(
        {
            "name": node.config.node.name,
            "node_id": node.identity.node_id,
            "fingerprint": node.identity.fingerprint,
            "key_fingerprint": node.identity.key_fingerprint,
            "currency": node.config.node.currency,
            "public_url": node.config.node.public_url,
            "time": iso(node.clock.now()),
            "compliance_warnings": compliance_warnings(node.config.issuer, acceptance),
        }
    )


async def add_store(request: web.Request) -> web.Response:
    node = _node(request)
    body = await body_input.read_body(request, {"name"})
    store = Store(new_id(node.rng, "st"), body_input.required_text(body, "name"), node.clock.now())
    await node.require_writer().submit(operations.add_store(store))
    node.share_stores_soon()
    return web.json_response(store_json(store), status=201)


async def list_stores(request: web.Request) -> web.Response:
    stores = await queries.list_stores(_node(request).require_reader())
    return web.json_response({"stores": [store_json(s) for s in stores]})


async def add_customer(request: web.Request) -> web.Response:
    node = _node(request)
    body = await body_input.read_body(request, {"name", "email"})
    name = body_input.required_text(body, "name")
    email = body_input.text(body, "email", required=False)
    if email is not None:
        email = email.lower()
        local, at, domain = email.partition("@")
        if not (local and at and "." in domain and not any(c.isspace() for c in email)):
            raise ValidationError("`email` is not an email address.", field="email")
    customer_id = new_id(node.rng, "cu")
    await node.require_writer().submit(
        operations.add_customer(customer_id, name, email, node.clock.now())
    )
    return web.json_response({"customer_id": customer_id, "name": name, "email": email}, status=201)


async def list_customers(request: web.Request) -> web.Response:
    customers = await queries.list_customers(_node(request).require_reader())
    return web.json_response({"customers": [customer_json(c) for c in customers]})


async def issue_voucher(request: web.Request) -> web.Response:
    node = _node(request)
    body = await body_input.read_body(
        request, {"amount", "price", "customer_id", "store_id", "valid_days"}
    )
    face = body_input.required_amount(body, "amount")
    price = body_input.amount(body, "price", required=False, minimum=0)
    valid_days = body.get("valid_days")
    if valid_days is not None and (isinstance(valid_days, bool) or not isinstance(valid_days, int)):
        raise ValidationError("`valid_days` must be a whole number of days.", field="valid_days")
    issue_request = IssueRequest(
        voucher_id=_fresh_number(node),
        secret=node.rng.token_bytes(SECRET_BYTES),
        face_yen=face,
        price_yen=face if price is None else price,
        holder_id=body_input.text(body, "customer_id", required=False),
        store_id=body_input.text(body, "store_id", required=False),
        valid_days=valid_days,
        txn_id=ordered_id(node.clock.now(), node.rng, "tx"),
    )
    await refund_actions.require_selling(node)
    now = node.clock.now()
    issue = operations.issue(issue_request, node.settings, now, lambda: _fresh_number(node))
    voucher = await node.require_writer().submit(refund_operations.while_selling(now, issue))
    return web.json_response(voucher_json(voucher), status=201)


@body_input.accepts_query("customer_id")
async def list_vouchers(request: web.Request) -> web.Response:
    node = _node(request)
    vouchers = await queries.list_vouchers(
        node.require_reader(), body_input.query_text(request, "customer_id")
    )
    return web.json_response({"vouchers": [voucher_json(v) for v in vouchers]})


async def show_voucher(request: web.Request) -> web.Response:
    reader = _node(request).require_reader()
    voucher_id = request.match_info["voucher_id"]
    voucher = await queries.get_voucher(reader, voucher_id)
    if voucher is None:
        raise VoucherNotFound()
    history = await queries.voucher_history(reader, voucher_id)
    return web.json_response(
        {**voucher_json(voucher), "history": [history_json(h) for h in history]}
    )


async def voucher_code(request: web.Request) -> web.Response:
    """A fresh QR payload and manual code for the voucher, valid for about a minute, once."""
    node = _node(request)
    voucher = await queries.get_voucher(node.require_reader(), request.match_info["voucher_id"])
    if voucher is None:
        raise VoucherNotFound()
    code = fresh_code(
        node.identity.node_id,
        voucher,
        node.clock.now(),
        node.settings.step_seconds,
        node.rng.token_bytes(5),
    )
    return web.json_response(code)


CLAIM_PREFIX = "cl_"  # redemptions of partners' vouchers are claims (node/settlement/)


async def redeem(request: web.Request) -> web.Response:
    node = _node(request)
    body = await body_input.read_body(request, {"payload", "amount", "store_id", "rest"})
    payload = body_input.required_text(body, "payload")
    code = parse_code(payload)
    amount = body_input.required_amount(body, "amount")
    store_id = body_input.required_text(body, "store_id")
    rest = _rest_in(body)
    if code.issuer_id is not None and code.issuer_id != node.identity.node_id:
        if rest is not None:
            raise RestForPartnerVoucher()
        return await redeem_partner_voucher(node, code, payload.strip(), amount, store_id)
    redeemed = await node.require_writer().submit(
        operations.redeem(
            code,
            amount,
            store_id,
            node.settings,
            node.clock.now(),
            ordered_id(node.clock.now(), node.rng, "rd"),
            ordered_id(node.clock.now(), node.rng, "tx"),
            rest,
        )
    )
    # A retried code (the same store and amount) gets the redemption it already made: 200.
    body = redemption_json(redeemed.redemption, redeemed.voucher.balance_yen, redeemed.rest)
    body["retried"] = redeemed.is_repeat
    return web.json_response(body, status=200 if redeemed.is_repeat else 201)


def _rest_in(body: dict[str, Any]) -> RestPayment | None:
    """The optional `rest`: {"amount": yen, "method": "cash" | "card" | "other"}, paid otherwise."""
    given = body.get("rest")
    if given is None:
        return None
    if not isinstance(given, dict) or not set(given) <= {"amount", "method"}:
        raise ValidationError("`rest` must be an object with `amount` and `method`.", field="rest")
    method = given.get("method")
    if not isinstance(method, str):
        raise ValidationError("`rest.method` must be cash, card or other.", field="rest")
    return rest_payment(body_input.required_amount(given, "amount"), method)


@body_input.accepts_query("voucher_id", "store_id")
async def list_redemptions(request: web.Request) -> web.Response:
    node = _node(request)
    redemptions = await queries.list_redemptions(
        node.require_reader(),
        body_input.query_text(request, "voucher_id"),
        body_input.query_text(request, "store_id"),
    )
    rests = await tender_tables.rests_of(
        node.require_reader(), [r.redemption_id for r in redemptions]
    )
    return web.json_response(
        {"redemptions": [redemption_json(r, rest=rests.get(r.redemption_id)) for r in redemptions]}
    )


async def show_redemption(request: web.Request) -> web.Response:
    reader = _node(request).require_reader()
    found = await queries.get_redemption(reader, request.match_info["redemption_id"])
    if found is None:
        raise RedemptionNotFound()
    rests = await tender_tables.rests_of(reader, [found.redemption_id])
    return web.json_response(redemption_json(found, rest=rests.get(found.redemption_id)))


async def void_redemption(request: web.Request) -> web.Response:
    node = _node(request)
    await body_input.read_body(request, set())
    if request.match_info["redemption_id"].startswith(CLAIM_PREFIX):
        return await void_partner_redemption(node, request.match_info["redemption_id"])
    redemption, voucher = await node.require_writer().submit(
        operations.void_redemption(
            request.match_info["redemption_id"],
            node.settings,
            node.clock.now(),
            ordered_id(node.clock.now(), node.rng, "tx"),
        )
    )
    rests = await tender_tables.rests_of(node.require_reader(), [redemption.redemption_id])
    return web.json_response(
        redemption_json(redemption, voucher.balance_yen, rests.get(redemption.redemption_id))
    )


async def gift_voucher(request: web.Request) -> web.Response:
    node = _node(request)
    body = await body_input.read_body(request, {"to", "amount"})
    gift_request = GiftRequest(
        recipient_id=body_input.required_text(body, "to"),
        amount_yen=body_input.amount(body, "amount", required=False),
        new_voucher_id=_fresh_number(node),
        new_secret=node.rng.token_bytes(SECRET_BYTES),
        txn_id=ordered_id(node.clock.now(), node.rng, "tx"),
    )
    source, gift = await node.require_writer().submit(
        operations.gift(
            request.match_info["voucher_id"],
            gift_request,
            node.settings,
            node.clock.now(),
            lambda: _fresh_number(node),
        )
    )
    return web.json_response({**voucher_json(gift), "source": voucher_json(source)}, status=201)


async def cancel_sale(request: web.Request) -> web.Response:
    """Head office cancels a counter sale of any store, on its business day (node.ledger.core)."""
    node = _node(request)
    await body_input.read_body(request, set())
    sale, voucher = await cancel_counter_sale(
        node, request.match_info["voucher_id"], None, API_ACTOR
    )
    return web.json_response(sale_json(sale, voucher))


async def return_gift(request: web.Request) -> web.Response:
    """Take back a gift nobody has received yet (the voucher in the address is the gift)."""
    node = _node(request)
    await body_input.read_body(request, set())
    now = node.clock.now()
    source, gift = await node.require_writer().submit(
        operations.return_gift(
            request.match_info["voucher_id"], now, ordered_id(now, node.rng, "tx")
        )
    )
    return web.json_response({**voucher_json(gift), "source": voucher_json(source)})


async def expire_vouchers(request: web.Request) -> web.Response:
    node = _node(request)
    await body_input.read_body(request, set())
    expired = breakage = 0
    while True:
        sweep = await node.require_writer().submit(
            operations.expire_due(node.settings, node.clock.now())
        )
        expired += sweep.expired
        breakage += sweep.breakage_yen
        if sweep.expired < operations.EXPIRY_BATCH:
            break
    return web.json_response({"expired": expired, "breakage": breakage})


async def ledger_check(request: web.Request) -> web.Response:
    check = await queries.check_ledger(_node(request).require_reader())
    return web.json_response(
        {
            "ok": check.ok,
            "entries": check.entries,
            "postings_sum": check.postings_sum_yen,
            "unbalanced_entries": check.unbalanced_entries,
            "voucher_liability": check.voucher_liability_yen,
            "voucher_balances": check.voucher_balances_yen,
            "negative_balances": check.negative_balances,
        }
    )


async def openapi(request: web.Request) -> web.Response:
    config = _node(request).config
    # Built off the event loop: its text patterns come from a scan of all of Unicode (cached).
    document = await asyncio.to_thread(
        openapi_document, config.node.public_url, config.ledger.max_voucher_yen
    )
    return web.json_response(document)


ROUTES: tuple[tuple[str, str, Handler], ...] = (
    ("GET", "/api/v1/openapi.json", openapi),
    ("GET", "/api/v1/status", status),
    ("POST", "/api/v1/stores", add_store),
    ("GET", "/api/v1/stores", list_stores),
    ("POST", "/api/v1/customers", add_customer),
    ("GET", "/api/v1/customers", list_customers),
    ("POST", "/api/v1/vouchers", issue_voucher),
    ("GET", "/api/v1/vouchers", list_vouchers),
    # Digits only, as the OpenAPI document says: /vouchers/expire is never read as a voucher.
    ("GET", "/api/v1/vouchers/{voucher_id:[0-9]+}", show_voucher),
    ("GET", "/api/v1/vouchers/{voucher_id:[0-9]+}/code", voucher_code),
    ("POST", "/api/v1/vouchers/{voucher_id:[0-9]+}/gift", gift_voucher),
    ("POST", "/api/v1/vouchers/{voucher_id:[0-9]+}/cancel-sale", cancel_sale),
    ("POST", "/api/v1/vouchers/{voucher_id:[0-9]+}/gift-return", return_gift),
    ("POST", "/api/v1/vouchers/expire", expire_vouchers),
    ("POST", "/api/v1/redemptions", redeem),
    ("GET", "/api/v1/redemptions", list_redemptions),
    ("GET", "/api/v1/redemptions/{redemption_id}", show_redemption),
    ("POST", "/api/v1/redemptions/{redemption_id}/void", void_redemption),
    ("GET", "/api/v1/ledger/check", ledger_check),
)


def add_routes(app: web.Application) -> None:
    routes = (
        ROUTES
        + CHANGE_ROUTES
        + PRODUCT_ROUTES
        + REFUND_ROUTES
        + PEER_ROUTES
        + SETTLEMENT_ROUTES
        + AUDIT_ROUTES
        + PAYMENT_ROUTES
        + RANK_ROUTES
        + EXCHANGE_ROUTES
        + LOTTERY_ROUTES
    )
    routes += REPORT_ROUTES
    routes += POINTS_ROUTES + MEMBER_ROUTES
    routes += SWEEP_ROUTES
    routes += WEBHOOK_ROUTES
    routes += POINTS_REPORT_ROUTES
    routes += CAMPAIGN_ROUTES
    routes += CRM_ROUTES
    routes += ANALYTICS_ROUTES
    routes += MAIL_ROUTES
    routes += MAIL_TEST_ROUTES
    routes += ERASE_ROUTES
    routes += CAMPAIGN_LOTTERY_ROUTES
    routes += SURVEY_ROUTES
    routes += BANK_ROUTES
    routes += POSTER_ROUTES
    routes += PAYOUT_ROUTES
    routes += ELIGIBILITY_ROUTES
    routes += PREVIEW_ROUTES
    routes += APPLICATION_ROUTES
    _require_distinct(routes)
    for method, path, handler in routes:
        app.router.add_route(method, path, handler)


def _require_distinct(routes: Sequence[tuple[str, str, Handler]]) -> None:
    """aiohttp accepts a route added twice and serves the first: a merge that appends a table
    again would go unnoticed, so the node refuses to start instead."""
    seen: set[tuple[str, str]] = set()
    for method, path, _ in routes:
        if (method, path) in seen:
            raise ValueError(f"the API route {method} {path} is registered twice")
        seen.add((method, path))
