"""Admin API for stores' bank accounts (振込先口座): PUT /api/v1/stores/{store_id}/bank, with its
OpenAPI parts. The account is checked against the bank-code list (node/campaigns/bank.py)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from node.campaigns import bank_actions
from node.http import input as body_input
from node.http.schema_parts import Schema, obj, op, ref, text
from node.runtime import NODE, Handler

FIELDS = ("bank_code", "branch_code", "account_type", "account_number", "holder_kana")


async def set_store_bank(request: web.Request) -> web.Response:
    body = await body_input.read_body(request, set(FIELDS))
    bank_code, branch_code, account_type, account_number, holder = (
        body_input.required_text(body, name, max_chars=60) for name in FIELDS
    )
    answer = await bank_actions.set_store_bank(
        request.app[NODE],
        request.match_info["store_id"],
        bank_code,
        branch_code,
        account_type,
        account_number,
        holder,
    )
    return web.json_response(answer)


BANK_ROUTES: tuple[tuple[str, str, Handler], ...] = (
    ("PUT", "/api/v1/stores/{store_id}/bank", set_store_bank),
)


def bank_paths() -> dict[str, dict[str, Any]]:
    return {
        "/api/v1/stores/{store_id}/bank": {
            "put": op(
                "The bank account a store is paid to (振込先口座), replacing the one on record:"
                " codes checked against the bank-code list, the holder written in half-width"
                " katakana (bank.* codes: 422)",
                ref("StoreBank"),
                params=("store_id",),
                body="NewStoreBank",
                errors=(404, 422),
            )
        }
    }


def bank_schemas() -> dict[str, Schema]:
    plain = {"type": "string"}
    return {
        "NewStoreBank": obj(
            list(FIELDS),
            bank_code=text(60, "4 digits, a bank in the bank-code list"),
            branch_code=text(60, "3 digits, a branch of that bank"),
            account_type=text(60, "ordinary (普通), current (当座) or savings (貯蓄)"),
            account_number=text(60, "up to 7 digits (zero-filled to 7)"),
            holder_kana=text(60, "the holder as the passbook shows it, in katakana"),
        ),
        "StoreBank": obj(
            ["store_id", "bank_name", "branch_name", *FIELDS],
            store_id=plain,
            bank_code=plain,
            bank_name=plain,
            branch_code=plain,
            branch_name=plain,
            account_type={"type": "string", "enum": ["ordinary", "current", "savings"]},
            account_number=plain,
            holder_kana=plain,
        ),
    }
