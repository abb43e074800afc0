"""The OpenAPI 3.1 document of the admin API, served at /api/v1/openapi.json.

Exact, not indicative (node/http/schema_parts.py states the contract): tests/test_openapi_routes.py
checks that the router serves exactly the operations described here, and
tests/test_openapi_schemathesis.py runs schemathesis against a real node with every check on.
"""

from __future__ import annotations

from typing import Any

import node
from node.api.compliance_report import report_paths, report_schemas
from node.api.openapi_schemas import request_schemas, response_schemas
from node.api.products import product_paths, product_schemas
from node.api.voucher_changes import change_paths, change_schemas
from node.campaigns.api import campaign_paths, campaign_schemas
from node.campaigns.bank_api import bank_paths, bank_schemas
from node.campaigns.eligibility_api import eligibility_paths, eligibility_schemas
from node.campaigns.lottery_api import lottery_paths as campaign_lottery_paths
from node.campaigns.lottery_api import lottery_schemas as campaign_lottery_schemas
from node.campaigns.payout_api import payout_paths, payout_schemas
from node.campaigns.payout_preview_api import preview_paths, preview_schemas
from node.campaigns.survey_api import survey_paths, survey_schemas
from node.compliance.refund_api import refund_paths, refund_schemas
from node.crm.analytics_api import analytics_paths, analytics_schemas
from node.crm.api import crm_paths, crm_schemas
from node.crm.mail_api import mail_paths, mail_schemas
from node.http.input import MAX_AMOUNT_YEN
from node.http.schema_parts import list_of, op, ref, text
from node.payments.api import payment_paths, payment_schemas
from node.peering.openapi import parked_paths, peering_schemas
from node.points.api import points_paths
from node.points.api_members import member_paths
from node.points.api_schemas import points_schemas
from node.points.exchange_api import exchange_paths, exchange_schemas
from node.points.lottery_api import lottery_paths, lottery_schemas
from node.points.rank_api import rank_paths, rank_schemas
from node.points.report_api import report_paths as points_report_paths
from node.points.report_api import report_schemas as points_report_schemas
from node.points.sweep import sweep_paths, sweep_schemas
from node.settlement.openapi import audit_paths, audit_schemas, settlement_paths, settlement_schemas
from node.web.api import account_paths, account_schemas
from node.web.api_keys_api import api_key_paths, api_key_schemas, open_to_keys
from node.web.crm_mail_api import mail_test_paths, mail_test_schemas
from node.web.customer_erase_api import erase_paths, erase_schemas
from node.web.store_applications_api import application_paths, application_schemas
from node.web.store_poster_api import poster_paths
from node.webhooks.api import webhook_paths, webhook_schemas

_VOUCHER_LINKS = {
    name: {"operationId": target, "parameters": {"voucher_id": "$response.body#/voucher_id"}}
    for name, target in (
        ("ShowVoucher", "showVoucher"),
        ("VoucherCode", "voucherCode"),
        ("GiftVoucher", "giftVoucher"),
        ("ReturnGift", "returnGift"),
    )
}
_REDEMPTION_LINKS = {
    name: {"operationId": target, "parameters": {"redemption_id": "$response.body#/redemption_id"}}
    for name, target in (("ShowRedemption", "showRedemption"), ("VoidRedemption", "voidRedemption"))
}
_CUSTOMER_LINKS = {
    "CustomerMember": {
        "operationId": "customerMember",
        "parameters": {"customer_id": "$response.body#/customer_id"},
    }
}
_PEER_LINKS = {
    f"{action.capitalize()}Peer": {
        "operationId": f"{action}Peer",
        "parameters": {"node_id": "$response.body#/node_id"},
    }
    for action in ("suspend", "resume", "remove", "ping", "limit")
}


def _ledger_paths() -> dict[str, dict[str, Any]]:
    voucher_query = {"customer_id": text()}
    return {
        "/api/v1/openapi.json": {
            "get": op("This document (no token needed)", ref("Document"), public=True)
        },
        "/api/v1/status": {"get": op("Node name, id, fingerprint, currency", ref("Status"))},
        "/api/v1/stores": {
            "post": op("Add a store (店舗)", ref("Store"), 201, body="NewStore"),
            "get": op("List stores", list_of("stores", "Store")),
        },
        "/api/v1/customers": {
            "post": op(
                "Add a customer",
                ref("Customer"),
                201,
                body="NewCustomer",
                errors=(409,),
                links=_CUSTOMER_LINKS,
            ),
            "get": op("List customers", list_of("customers", "Customer")),
        },
        "/api/v1/vouchers": {
            "post": op(
                "Issue (sell) a voucher",
                ref("Voucher"),
                201,
                body="IssueVoucher",
                errors=(404, 422),
                links=_VOUCHER_LINKS,
            ),
            "get": op("List vouchers", list_of("vouchers", "Voucher"), query=voucher_query),
        },
        "/api/v1/vouchers/expire": {
            "post": op("Expire vouchers past their date; remainder to breakage", ref("ExpirySweep"))
        },
        "/api/v1/vouchers/{voucher_id}": {
            "get": op("A voucher with its history", ref("Voucher"), params=("voucher_id",))
            | {"operationId": "showVoucher"},
        },
        "/api/v1/vouchers/{voucher_id}/code": {
            "get": op(
                "A fresh one-time QR payload and manual code",
                ref("VoucherCode"),
                params=("voucher_id",),
                errors=(409,),
            )
            | {"operationId": "voucherCode"},
        },
        "/api/v1/vouchers/{voucher_id}/gift": {
            "post": op(
                "Gift all or part of a voucher, once (贈呈)",
                ref("Voucher"),
                201,
                body="Gift",
                params=("voucher_id",),
                errors=(409, 422),
            )
            | {"operationId": "giftVoucher"},
        },
        "/api/v1/vouchers/{voucher_id}/cancel-sale": {
            "post": op(
                "Cancel a counter sale on its business day (the voucher unused): a correcting"
                " sale_cancel entry, the voucher void; refund the payment method it names",
                ref("Sale"),
                params=("voucher_id",),
                body="Nothing",
                errors=(404, 409),
            )
            | {"operationId": "cancelSale"},
        },
        "/api/v1/vouchers/{voucher_id}/gift-return": {
            "post": op(
                "Take back a gift nobody has received yet: its value returns to the giver's"
                " voucher (the voucher in the path is the gift; answers the void gift and"
                " `source`)",
                ref("Voucher"),
                params=("voucher_id",),
                errors=(409,),
            )
            | {"operationId": "returnGift"},
        },
        "/api/v1/redemptions": {
            "post": _answers_retries(
                op(
                    "Redeem with a scanned or typed code (a partner's voucher: a claim)",
                    {"anyOf": [ref("Redemption"), ref("PartnerRedemption")]},
                    201,
                    body="Redeem",
                    errors=(403, 404, 409, 422),
                    also={202: ref("PartnerRedemption")},
                    links=_REDEMPTION_LINKS,
                )
            ),
            "get": op(
                "List redemptions",
                list_of("redemptions", "Redemption"),
                query={"voucher_id": text(), "store_id": text()},
            ),
        },
        "/api/v1/redemptions/{redemption_id}": {
            "get": op("One redemption", ref("Redemption"), params=("redemption_id",))
            | {"operationId": "showRedemption"},
        },
        "/api/v1/redemptions/{redemption_id}/void": {
            "post": op(
                "Void a redemption (same business day)",
                {"anyOf": [ref("Redemption"), ref("PartnerRedemption")]},
                params=("redemption_id",),
                body="Nothing",
                errors=(409,),
                also={202: ref("PartnerRedemption")},
            )
            | {"operationId": "voidRedemption"},
        },
        "/api/v1/ledger/check": {"get": op("Recompute the ledger invariants", ref("LedgerCheck"))},
    }


def _peer_paths() -> dict[str, dict[str, Any]]:
    def status_change(action: str) -> dict[str, Any]:
        summary = f"{action.capitalize()} a partner"
        return op(
            summary, ref("Peer"), params=("node_id",), body="Nothing", errors=(403, 409, 503)
        ) | {"operationId": f"{action}Peer"}

    return {
        "/api/v1/peers": {
            "get": op("Partners with status and fingerprint", list_of("peers", "Peer")),
            "post": op(
                "Register a partner by key and URL (pending until mutual)",
                ref("Peer"),
                201,
                body="NewPeer",
                errors=(409,),
                links=_PEER_LINKS,
            ),
        },
        "/api/v1/peers/import": {
            "post": op("Register a list of partners", ref("Imported"), body="ImportPeers")
        },
        "/api/v1/peers/invite": {
            "post": op("Make a one-time invitation", ref("Invitation"), 201, body="Invite")
        },
        "/api/v1/peers/join": {
            "post": op(
                "Accept a partner's invitation (409 peer.join_refused with the partner's reason)",
                ref("Peer"),
                201,
                body="Join",
                errors=(403, 409, 503),
            )
        },
        "/api/v1/key/rotate": {
            "post": op(
                "Rotate this node's signing key; partners are notified",
                ref("Rotated"),
                body="Nothing",
            )
        },
        "/api/v1/peers/sync": {
            "post": op("Deliver every queued message now", ref("Delivered"), body="Nothing")
        },
        **{
            f"/api/v1/peers/{{node_id}}/{action}": {"post": status_change(action)}
            for action in ("suspend", "resume", "remove", "ping")
        },
    }


# A code used already at the same store for the same amount, within ledger.retry_window_seconds of
# that use, answers 200 with what it made (`retried`: true) instead of 201: the retry of a request
# whose answer was lost (issue 13, item 4). After the window it is voucher.code_used (409).
def _answers_retries(operation: dict[str, Any]) -> dict[str, Any]:
    operation["responses"]["200"] = {
        "description": "the code's earlier redemption or claim: nothing new was redeemed",
        "content": {
            "application/json": {"schema": {"anyOf": [ref("Redemption"), ref("PartnerRedemption")]}}
        },
    }
    return operation


def _distinct(*parts: dict[str, Any]) -> dict[str, Any]:
    """The components of every package in one map; a name two packages give is a bug (the later
    would silently replace the earlier, and the earlier's routes would be checked against it)."""
    merged: dict[str, Any] = {}
    for part in parts:
        twice = merged.keys() & part.keys()
        if twice:
            raise KeyError(f"OpenAPI component names given twice: {sorted(twice)}")
        merged.update(part)
    return merged


def openapi_document(server_url: str, max_voucher_yen: int = MAX_AMOUNT_YEN) -> dict[str, Any]:
    """The document as this node serves it: `max_voucher_yen` is its [ledger] limit."""
    paths = _distinct(
        _ledger_paths(),
        change_paths(),
        product_paths(),
        refund_paths(),
        _peer_paths(),
        parked_paths(),
        settlement_paths(),
        audit_paths(),
        account_paths(),
        api_key_paths(),
        report_paths(),
        payment_paths(),
        points_paths(),
        member_paths(),
        sweep_paths(),
        webhook_paths(),
        rank_paths(),
        exchange_paths(),
        lottery_paths(),
        points_report_paths(),
        campaign_paths(),
        crm_paths(),
        analytics_paths(),
        mail_paths(),
        campaign_lottery_paths(),
        survey_paths(),
        bank_paths(),
        payout_paths(),
        eligibility_paths(),
        poster_paths(),
        mail_test_paths(),
        erase_paths(),
        preview_paths(),
        application_paths(),
    )
    open_to_keys(paths)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Kippu node admin API",
            "version": node.__version__,
            "description": 'Errors use one shape: {"error": {"code", "message"}}. '
            "Every route except this document needs `Authorization: Bearer <admin.token>`; "
            "the operations marked with `integrationKey` also take an integration key of the "
            "scope they name (read: GETs only; write: read and a POS's writes). "
            "A request this document allows is never answered 400; one it forbids is never "
            "answered 2xx; a rule it cannot state (a price above the face value, a weak "
            "password, text that is no voucher code) is answered 422. Text is printable "
            "(no control or invisible formatting characters, no line separators) and trimmed; "
            "numbers are whole (326.0 counts as 326, as in JSON Schema; 326.5 is refused).",
        },
        "servers": [{"url": server_url}],
        "security": [{"adminToken": []}],
        "paths": paths,
        "components": {
            "schemas": _distinct(
                response_schemas(),
                change_schemas(),
                product_schemas(),
                refund_schemas(),
                payment_schemas(),
                peering_schemas(),
                request_schemas(max_voucher_yen),
                settlement_schemas(),
                audit_schemas(),
                account_schemas(),
                api_key_schemas(),
                report_schemas(),
                points_schemas(),
                sweep_schemas(),
                webhook_schemas(),
                rank_schemas(),
                exchange_schemas(),
                lottery_schemas(),
                points_report_schemas(),
                campaign_schemas(),
                crm_schemas(),
                analytics_schemas(),
                mail_schemas(),
                mail_test_schemas(),
                erase_schemas(),
                campaign_lottery_schemas(),
                survey_schemas(),
                bank_schemas(),
                payout_schemas(),
                eligibility_schemas(),
                preview_schemas(),
                application_schemas(),
            ),
            "securitySchemes": {
                "adminToken": {"type": "http", "scheme": "bearer"},
                "integrationKey": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "a named integration key (`kippu apikey create`): scope read "
                    "(the GETs a POS needs) or write (read, and issue, gift, redeem, void, a "
                    "fresh code); never the admin-only routes",
                },
            },
        },
    }
