"""Admin API of a customer's erasure (個人情報保護法): `POST /api/v1/customers/{customer_id}/erase`
(what `kippu customer erase` calls), and its part of the OpenAPI document. It sits with the web
layer because the erasure retires the customer's wallet account in the same transaction (its
sign-in address and sessions are the web's), whichever door it comes through: the console, the
wallet, or this route."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from node.crm import profile_actions
from node.crm.consents import ConsentMethod
from node.http import input as body_input
from node.http.caller import api_caller
from node.http.schema_parts import Schema, obj, op, ref, text
from node.runtime import NODE, Handler
from node.web.accounts import retire_customer_account

ERASE = "/api/v1/customers/{customer_id}/erase"


async def erase_customer(request: web.Request) -> web.Response:
    body = await body_input.read_body(request, {"reason", "via"})
    method = ConsentMethod.CLI if body.get("via") == "cli" else ConsentMethod.API
    customer_id = request.match_info["customer_id"]
    node = request.app[NODE]
    await profile_actions.erase(
        node,
        customer_id,
        body.get("reason"),
        method,
        api_caller(request),
        also=retire_customer_account(customer_id, node.clock.now()),
    )
    return web.json_response({"customer_id": customer_id, "erased": True})


ERASE_ROUTES: tuple[tuple[str, str, Handler], ...] = (("POST", ERASE, erase_customer),)


def erase_paths() -> dict[str, dict[str, Any]]:
    return {
        ERASE: {
            "post": op(
                "Erase the customer's personal data on their request (個人情報保護法): name and"
                " address removed, profile and tags gone, consent withdrawn, wallet account"
                " retired with its sessions; the books untouched. Refused while they hold a"
                " voucher balance or points",
                ref("Erased"),
                body="Erase",
                params=("customer_id",),
                errors=(409, 422),
            )
        }
    }


def erase_schemas() -> dict[str, Schema]:
    return {
        "Erase": obj(
            ["reason"],
            reason=text(200),
            via={"type": "string", "enum": ["api", "cli"]},
        ),
        "Erased": obj(
            ["customer_id", "erased"], customer_id={"type": "string"}, erased={"type": "boolean"}
        ),
    }
