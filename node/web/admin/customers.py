"""Console pages for customers: search by name or email; one customer's account, vouchers,
profile and consents."""

from __future__ import annotations

from aiohttp import web

from node.crm import consent_actions, profile_actions
from node.crm.profiles import GENDERS
from node.errors import CustomerNotFound, ValidationError
from node.ledger import queries as ledger_queries
from node.ledger import record_queries as ledger_records
from node.ledger.model import VoucherStatus
from node.ledger.numbers import spaced_number
from node.runtime import Node
from node.web import queries as web_queries
from node.web.admin.frame import admin_page
from node.web.admin.vouchers import MAX_QUERY_CHARS, SEARCH_LIMIT
from node.web.guard import requires
from node.web.model import Role, Session


@requires(Role.ADMIN)
async def search(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """GET /admin/customers?q=: customers whose name or email contains q, newest first."""
    text = request.query.get("q", "").strip()
    if len(text) > MAX_QUERY_CHARS:
        raise ValidationError("The search text (`q`) is too long.", field="q")
    customers = await ledger_records.search_customers(
        node.require_report_reader(), text, SEARCH_LIMIT
    )
    context = {
        "q": text,
        "customers": customers[:SEARCH_LIMIT],
        "is_capped": len(customers) > SEARCH_LIMIT,
        "limit": SEARCH_LIMIT,
    }
    return admin_page(
        request, node, session, "admin_customers.html", context, section="/admin/customers"
    )


@requires(Role.ADMIN)
async def detail(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """GET /admin/customers/{customer_id}: contact, wallet sign-in account, vouchers, the profile
    and consent forms (node/web/admin/customer_profile.py) and the way to erasure."""
    reader = node.require_report_reader()
    customer = await ledger_records.get_customer(reader, request.match_info["customer_id"])
    if customer is None:
        raise CustomerNotFound()
    vouchers = await ledger_queries.list_vouchers(reader, customer.customer_id)
    vouchers.reverse()  # newest first, as everywhere in the console
    consents = await consent_actions.history(node, customer.customer_id)
    context = {
        "customer": customer,
        "wallet": await web_queries.wallet_account(reader, customer),
        "vouchers": vouchers,
        "balance_yen": sum(v.balance_yen for v in vouchers if v.status == VoucherStatus.ACTIVE),
        "spaced": spaced_number,
        "profile": await profile_actions.shown(node, customer.customer_id),
        "genders": GENDERS,
        "consents": list(reversed(consents)),  # newest first
        "is_consenting": bool(consents) and consents[-1].is_granted,
        "erased_at": await profile_actions.erased_at(node, customer.customer_id),
    }
    return admin_page(
        request, node, session, "admin_customer.html", context, section="/admin/customers"
    )


def routes() -> list[web.RouteDef]:
    return [
        web.get("/admin/customers", search),
        web.get("/admin/customers/{customer_id}", detail),
    ]
