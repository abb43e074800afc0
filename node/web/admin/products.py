"""The console's products (商品): the list with each one's state (core.sale_state: on sale, not
yet, ended, sold out, retired), sold count and stock; the add form with its refusals shown
inline; retiring one after a confirm step. The same actions as the admin API (node/products/actions.py)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from node.errors import InvalidAmount, ProductRetired, ValidationError
from node.products import actions
from node.products.core import sale_state
from node.runtime import Node
from node.web.admin.form_errors import shown_inline
from node.web.admin.frame import admin_page, after_action
from node.web.amounts import typed_yen
from node.web.guard import read_form, requires
from node.web.model import Role, Session

PAGE = "/admin/products"
TEXT_FIELDS = ("valid_until", "limit_period", "sale_from", "sale_until")


@requires(Role.ADMIN)
async def overview(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    now = node.clock.now()
    listed = await actions.list_products(node)
    context: dict[str, Any] = {
        "listed": [(s, str(sale_state(s.product, now))) for s in listed],
        "periods": ("ever", "day", "month"),
    }
    return admin_page(request, node, session, "admin_products.html", context, section=PAGE)


def _number(form: dict[str, str], key: str, minimum: int = 1) -> int | None:
    """A whole number typed in ASCII or full-width digits; empty: not given."""
    text = form.get(key, "")[:20]
    if not text.strip():
        return None
    try:
        return typed_yen(text, minimum=minimum)
    except InvalidAmount:
        raise InvalidAmount(field=key) from None


def product_input(form: dict[str, str]) -> actions.ProductInput:
    face = _number(form, "face_yen")
    if face is None:
        raise InvalidAmount(field="face_yen")
    texts = {key: form.get(key, "")[:20] or None for key in TEXT_FIELDS}
    name = form.get("name", "")[:200]
    if not name.strip():
        raise ValidationError(field="name")
    return actions.ProductInput(
        name=name,
        face_yen=face,
        price_yen=_number(form, "price_yen", minimum=0),
        valid_days=_number(form, "valid_days"),
        limit_count=_number(form, "limit_count"),
        limit_yen=_number(form, "limit_yen"),
        stock=_number(form, "stock", minimum=0),
        **texts,
    )


@requires(Role.ADMIN)
@shown_inline("add-product", overview)
async def add(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    await actions.add_product(node, product_input(await read_form(request)))
    return after_action(PAGE, "done_pr_added")


@requires(Role.ADMIN)
async def confirm_retire(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    found = await actions.show_product(node, request.match_info["product_id"])
    if found.product.is_retired:
        raise ProductRetired()
    context = {"summary": found}
    return admin_page(request, node, session, "admin_product_retire.html", context, section=PAGE)


@requires(Role.ADMIN)
async def retire(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    await read_form(request)
    await actions.retire_product(node, request.match_info["product_id"])
    return after_action(PAGE, "done_pr_retired")


def routes() -> list[web.RouteDef]:
    return [
        web.get(PAGE, overview),
        web.post(PAGE, add),
        web.get(PAGE + "/{product_id}/retire", confirm_retire),
        web.post(PAGE + "/{product_id}/retire", retire),
    ]
