"""Admin API for the preview of a payout run (GET /api/v1/payout-preview?from=&to=): what a run for
the period would pay each store and every reason it would be refused now, with nothing written;
what `kippu demo` shows while its period is still today. With its OpenAPI parts."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from node.campaigns import payout_preview
from node.http.input import accepts_query
from node.http.schema_parts import Schema, obj, op, ref
from node.runtime import NODE, Handler

MAX_DAY_CHARS = 20  # a day is 10; longer is refused by the period's own check, not cut to fit


@accepts_query("from", "to", "transfer_date")
async def preview(request: web.Request) -> web.Response:
    def day(name: str) -> str:
        return request.query.get(name, "")[:MAX_DAY_CHARS]

    answer = await payout_preview.preview_payout(
        request.app[NODE], day("from"), day("to"), day("transfer_date") or None
    )
    answer["refusals"] = [error.to_json()["error"] for error in answer["refusals"]]
    return web.json_response(answer)


PREVIEW_ROUTES: tuple[tuple[str, str, Handler], ...] = (("GET", "/api/v1/payout-preview", preview),)


def preview_paths() -> dict[str, dict[str, Any]]:
    day = {"type": "string", "description": "YYYY-MM-DD, a local day"}
    return {
        "/api/v1/payout-preview": {
            "get": op(
                "What a payout run for the period would pay, by store, campaign and store class,"
                " and every reason it would be refused now (`refusals`, each an error body);"
                " nothing is written",
                ref("PayoutPreview"),
                query={"from": day, "to": day, "transfer_date": day},
                errors=(422,),
            )
        }
    }


def preview_schemas() -> dict[str, Schema]:
    plain = {"type": "string"}
    yen = {"type": "integer"}
    line = obj(
        [
            "store_id",
            "store_name",
            "campaign_id",
            "campaign_name",
            "store_class",
            "uses",
            "amount_yen",
            "has_account",
        ],
        store_id=plain,
        store_name=plain,
        campaign_id=plain,
        campaign_name=plain,
        store_class={"type": "string", "enum": ["common", "local"]},
        uses={"type": "integer"},
        amount_yen=yen,
        has_account={"type": "boolean"},
    )
    store = obj(
        [
            "store_id",
            "store_name",
            "total_yen",
            "carry_in_yen",
            "transfer_yen",
            "carry_out_yen",
            "has_account",
            "paid",
        ],
        store_id=plain,
        store_name=plain,
        total_yen=yen,
        carry_in_yen=yen,
        transfer_yen=yen,
        carry_out_yen=yen,
        has_account={"type": "boolean"},
        paid={"type": "boolean"},
    )
    return {
        "PayoutPreview": obj(
            ["from", "to", "transfer_date", "lines", "stores", "total_yen", "refusals"],
            **{
                "from": plain,
                "to": plain,
                "transfer_date": plain,
                "lines": {"type": "array", "items": line},
                "stores": {"type": "array", "items": store},
                "total_yen": yen,
                "refusals": {"type": "array", "items": {"type": "object"}},
            },
        )
    }
