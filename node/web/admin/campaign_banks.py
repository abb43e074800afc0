"""The stores' bank accounts (振込先口座) in the console: each store's account as the bank-code
list names it (the number masked but for its last digits: the page is shown on office screens)
and a form to set it, refused beside the field at fault (bank.* codes). The same action as the
admin API's PUT /api/v1/stores/{store_id}/bank (node/campaigns/bank_actions.py)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from node.campaigns import bank_actions, payout_preview
from node.runtime import Node
from node.web.admin.campaigns import PAGE, section_tabs
from node.web.admin.form_errors import shown_inline
from node.web.admin.frame import admin_page, after_action
from node.web.guard import read_form, requires
from node.web.model import Role, Session

BANKS = f"{PAGE}/stores/banks"
FIELDS = ("bank_code", "branch_code", "account_type", "account_number", "holder_kana")
ACCOUNT_TYPES = ("ordinary", "current", "savings")
SHOWN_DIGITS = 3
FIELD_CHARS = 60
STORE_ID_CHARS = 40


def masked(number: str) -> str:
    """All but the last digits hidden (•••• 567)."""
    return "•" * (len(number) - SHOWN_DIGITS) + number[-SHOWN_DIGITS:]


@requires(Role.ADMIN)
async def overview(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """GET /admin/campaigns/stores/banks: every store's account and the form to set it."""
    stores: list[dict[str, Any]] = (await payout_preview.store_banks(node))["stores"]
    for store in stores:
        if store["account"] is not None:
            store["masked"] = masked(store["account"]["account_number"])
    context = {
        "stores": stores,
        "account_types": ACCOUNT_TYPES,
        "tabs": section_tabs(request),
        "tab": BANKS,
    }
    return admin_page(request, node, session, "admin_campaign_banks.html", context, section=PAGE)


@requires(Role.ADMIN)
@shown_inline("cp-bank-{store_id}", overview)
async def set_bank(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """POST /admin/campaigns/stores/banks: one store's account checked and replaced."""
    form = await read_form(request)
    typed = [form.get(name, "")[:FIELD_CHARS] for name in FIELDS]
    store_id = form.get("store_id", "")[:STORE_ID_CHARS]
    await bank_actions.set_store_bank(node, store_id, *typed)
    return after_action(BANKS, "done_cpp_bank_set", store=store_id)


def routes() -> list[web.RouteDef]:
    return [web.get(BANKS, overview), web.post(BANKS, set_bank)]
