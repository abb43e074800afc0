"""Admin API for store payouts (精算・振込): run one for a period (POST /api/v1/payouts), list and
show them, a run's usage CSV and its 全銀 総合振込 file, and the campaigns' reconciliation
(GET /api/v1/payout-reconciliation); with their OpenAPI parts."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from node.campaigns import payout_actions
from node.campaigns.carry_api import (
    CARRY_ROUTES,
    carry_paths,
    carry_schemas,
    run_store_schema,
    store_books_schema,
)
from node.http import input as body_input
from node.http.schema_parts import COUNT, TIME, YEN0, Schema, list_of, nullable, obj, op, ref, text
from node.runtime import NODE, Handler

ADMIN_ACTOR = "admin"
LINE_FIELDS = (
    "store_id",
    "store_name",
    "campaign_id",
    "store_class",
    "uses",
    "amount_yen",
    "transferred",
    "cash_yen",
)
DAY = {"type": "string", "description": "YYYY-MM-DD, a local day"}


async def run_payout(request: web.Request) -> web.Response:
    body = await body_input.read_body(request, {"from", "to", "transfer_date"})
    answer = await payout_actions.run_payout(
        request.app[NODE],
        body_input.required_text(body, "from", max_chars=10),
        body_input.required_text(body, "to", max_chars=10),
        body_input.text(body, "transfer_date", required=False, max_chars=10),
        ADMIN_ACTOR,
    )
    return web.json_response(answer)


async def list_payouts(request: web.Request) -> web.Response:
    return web.json_response(await payout_actions.list_payouts(request.app[NODE]))


async def show_payout(request: web.Request) -> web.Response:
    payout_id = request.match_info["payout_id"]
    return web.json_response(await payout_actions.show_payout(request.app[NODE], payout_id))


async def payout_csv(request: web.Request) -> web.Response:
    payout_id = request.match_info["payout_id"]
    content = await payout_actions.payout_csv(request.app[NODE], payout_id)
    return web.Response(
        body=content.encode("utf-8"),
        content_type="text/csv",
        charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="{payout_id}.csv"'},
    )


async def payout_file(request: web.Request) -> web.Response:
    payout_id = request.match_info["payout_id"]
    content = await payout_actions.payout_file(request.app[NODE], payout_id)
    return web.Response(
        body=content,
        content_type="application/octet-stream",
        headers={"Content-Disposition": f'attachment; filename="{payout_id}.txt"'},
    )


async def reconciliation(request: web.Request) -> web.Response:
    return web.json_response(await payout_actions.reconcile(request.app[NODE]))


PAYOUT_ROUTES: tuple[tuple[str, str, Handler], ...] = (
    ("POST", "/api/v1/payouts", run_payout),
    ("GET", "/api/v1/payouts", list_payouts),
    ("GET", "/api/v1/payouts/{payout_id}", show_payout),
    ("GET", "/api/v1/payouts/{payout_id}/usage.csv", payout_csv),
    ("GET", "/api/v1/payouts/{payout_id}/transfer-file", payout_file),
    ("GET", "/api/v1/payout-reconciliation", reconciliation),
    *CARRY_ROUTES,
)


def _download(summary: str, media: str, schema: Schema) -> dict[str, Any]:
    operation = op(summary, None, params=("payout_id",), errors=(404, 409, 422))
    operation["responses"]["200"]["content"] = {media: {"schema": schema}}
    return operation


def payout_paths() -> dict[str, dict[str, Any]]:
    one = ("payout_id",)
    return {
        "/api/v1/payouts": {
            "post": op(
                "Pay the stores for a period of whole local days that is over: each store's use"
                " of campaign coupons net of voids, less what it owes back from earlier runs,"
                " transferred if above zero (else carried to its next runs), booked as one"
                " entry (Dr revenue:<store>, Cr cash:hq). No day is paid twice; asking for"
                " exactly a paid period again shows its run",
                ref("Payout"),
                body="NewPayout",
                errors=(404, 409, 422),
            ),
            "get": op("Every payout run, oldest period first", list_of("payouts", "PayoutSummary")),
        },
        "/api/v1/payouts/{payout_id}": {
            "get": op("A payout run with its lines", ref("Payout"), params=one, errors=(404,))
        },
        "/api/v1/payouts/{payout_id}/usage.csv": {
            "get": _download(
                "The run's use by store, campaign and store class (CSV, UTF-8 with BOM)",
                "text/csv",
                {"type": "string"},
            )
        },
        "/api/v1/payouts/{payout_id}/transfer-file": {
            "get": _download(
                "The run's 全銀協 総合振込 file: 120-byte Shift_JIS records with CR LF",
                "application/octet-stream",
                {"type": "string", "format": "binary"},
            )
        },
        "/api/v1/payout-reconciliation": {
            "get": op(
                "Each campaign's books: budget = granted + remaining; granted = used + lapsed +"
                " outstanding; paid + unpaid = used; and each store's: its revenue account's"
                " payouts are what was transferred less written off, its balance the use not"
                " paid yet less what it owes back",
                ref("PayoutReconciliation"),
            )
        },
        **carry_paths(),
    }


def payout_schemas() -> dict[str, Schema]:
    plain = {"type": "string"}
    summary_fields: dict[str, Schema] = {
        "payout_id": plain,
        "from": DAY,
        "to": DAY,
        "transfer_date": DAY,
        "stores": COUNT,
        "total_yen": YEN0,
        "txn_id": nullable(plain),
        "created_at": TIME,
        "actor": plain,
    }
    line = obj(
        list(LINE_FIELDS),
        store_id=plain,
        store_name=plain,
        campaign_id=plain,
        store_class={"type": "string", "enum": ["common", "local"]},
        uses={"type": "integer"},
        amount_yen={"type": "integer"},
        transferred={"type": "boolean"},
        cash_yen=YEN0,
    )
    maybe_yen = {"type": ["integer", "null"]}
    books = obj(
        [
            "campaign_id",
            "budget_yen",
            "granted_yen",
            "remaining_yen",
            "used_yen",
            "lapsed_yen",
            "outstanding_yen",
            "settled_yen",
            "paid_yen",
            "netted_yen",
            "unpaid_yen",
            "unpaid_periods_yen",
            "budget_holds",
            "granted_holds",
            "paid_holds",
            "reconciled",
        ],
        campaign_id=plain,
        budget_yen=maybe_yen,
        granted_yen={"type": "integer"},
        remaining_yen=maybe_yen,
        used_yen={"type": "integer"},
        lapsed_yen={"type": "integer"},
        outstanding_yen={"type": "integer"},
        settled_yen={"type": "integer"},
        paid_yen=YEN0,
        netted_yen={"type": "integer"},
        unpaid_yen={"type": "integer"},
        unpaid_periods_yen={"type": "integer"},
        budget_holds={"type": "boolean"},
        granted_holds={"type": "boolean"},
        paid_holds={"type": "boolean"},
        reconciled={"type": "boolean"},
    )
    return {
        "NewPayout": obj(
            ["from", "to"],
            **{
                "from": text(10, "the first day, YYYY-MM-DD"),
                "to": text(10, "the last day, YYYY-MM-DD, before today"),
                "transfer_date": nullable(
                    text(10, "振込指定日, YYYY-MM-DD, today or later (default tomorrow)")
                ),
            },
        ),
        "PayoutSummary": obj(list(summary_fields), **summary_fields),
        "Payout": obj(
            [*summary_fields, "by_store", "lines"],
            **summary_fields,
            by_store={"type": "array", "items": run_store_schema()},
            lines={"type": "array", "items": line},
        ),
        "PayoutReconciliation": obj(
            ["campaigns", "stores", "cash_sent_yen", "cash_holds", "reconciled"],
            campaigns={"type": "array", "items": books},
            stores={"type": "array", "items": store_books_schema()},
            cash_sent_yen=YEN0,
            cash_holds={"type": "boolean"},
            reconciled={"type": "boolean"},
        ),
        **carry_schemas(),
    }
