"""Admin API for voucher products (商品): list, add, show, retire (what `kippu product ...` calls),
and its OpenAPI parts. The console's products page calls the same actions."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from node.api.voucher_changes import DATE_CORE
from node.clock import iso
from node.errors import ValidationError
from node.http import input as body_input
from node.http.schema_parts import (
    COUNT,
    ID,
    MAYBE_TIME,
    TIME,
    Schema,
    list_of,
    nullable,
    obj,
    op,
    ref,
    text,
    text_matching,
    whole,
    yen,
)
from node.ledger.core import MAX_VALID_DAYS
from node.products import actions
from node.products.core import NAME_MAX, is_on_sale
from node.products.model import LimitPeriod, Product
from node.products.queries import ProductSummary
from node.runtime import NODE, Handler

MAX_COUNT = 1_000_000
BODY_FIELDS = {
    "name",
    "face_yen",
    "price_yen",
    "valid_days",
    "valid_until",
    "limit_count",
    "limit_yen",
    "limit_period",
    "sale_from",
    "sale_until",
    "stock",
}


def product_json(
    product: Product, sold: int | None = None, sold_yen: int | None = None
) -> dict[str, Any]:
    return {
        "product_id": product.product_id,
        "name": product.name,
        "face_yen": product.face_yen,
        "price_yen": product.price_yen,
        "premium_yen": product.premium_yen,
        "valid_days": product.valid_days,
        "valid_until": iso(product.valid_until),
        "limit_count": product.limit_count,
        "limit_yen": product.limit_yen,
        "limit_period": str(product.limit_period),
        "sale_starts_at": iso(product.sale_starts_at),
        "sale_ends_at": iso(product.sale_ends_at),
        "stock": product.stock,
        "created_at": iso(product.created_at),
        "retired_at": iso(product.retired_at),
        "sold": sold,
        "sold_yen": sold_yen,
    }


def summary_json(summary: ProductSummary, on_sale: bool) -> dict[str, Any]:
    return product_json(summary.product, summary.sold, summary.sold_yen) | {"on_sale": on_sale}


def _whole(body: dict[str, Any], key: str, minimum: int, maximum: int) -> int | None:
    value = body.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
        raise ValidationError(f"`{key}` must be a whole number {minimum}..{maximum}.", field=key)
    return value


def _text(body: dict[str, Any], key: str) -> str | None:
    return body_input.text(body, key, required=False, max_chars=20)


def product_input(body: dict[str, Any]) -> actions.ProductInput:
    return actions.ProductInput(
        name=body_input.required_text(body, "name", NAME_MAX),
        face_yen=body_input.required_amount(body, "face_yen"),
        price_yen=body_input.amount(body, "price_yen", required=False, minimum=0),
        valid_days=_whole(body, "valid_days", 1, MAX_VALID_DAYS),
        valid_until=_text(body, "valid_until"),
        limit_count=_whole(body, "limit_count", 1, MAX_COUNT),
        limit_yen=body_input.amount(body, "limit_yen", required=False),
        limit_period=_text(body, "limit_period"),
        sale_from=_text(body, "sale_from"),
        sale_until=_text(body, "sale_until"),
        stock=_whole(body, "stock", 0, MAX_COUNT),
    )


async def list_products(request: web.Request) -> web.Response:
    node = request.app[NODE]
    now = node.clock.now()
    found = await actions.list_products(node)
    return web.json_response(
        {"products": [summary_json(s, is_on_sale(s.product, now)) for s in found]}
    )


async def add_product(request: web.Request) -> web.Response:
    node = request.app[NODE]
    body = await body_input.read_body(request, BODY_FIELDS)
    product = await actions.add_product(node, product_input(body))
    on_sale = is_on_sale(product, node.clock.now())
    return web.json_response(product_json(product, 0, 0) | {"on_sale": on_sale}, status=201)


async def show_product(request: web.Request) -> web.Response:
    node = request.app[NODE]
    found = await actions.show_product(node, request.match_info["product_id"])
    return web.json_response(summary_json(found, is_on_sale(found.product, node.clock.now())))


async def retire_product(request: web.Request) -> web.Response:
    node = request.app[NODE]
    await body_input.read_body(request, set())
    await actions.retire_product(node, request.match_info["product_id"])
    found = await actions.show_product(node, request.match_info["product_id"])
    return web.json_response(summary_json(found, False))


PRODUCT_ROUTES: tuple[tuple[str, str, Handler], ...] = (
    ("GET", "/api/v1/products", list_products),
    ("POST", "/api/v1/products", add_product),
    ("GET", "/api/v1/products/{product_id}", show_product),
    ("POST", "/api/v1/products/{product_id}/retire", retire_product),
)


def product_paths() -> dict[str, dict[str, Any]]:
    """The products' admin routes, for the node's OpenAPI document."""
    return {
        "/api/v1/products": {
            "get": op(
                "Voucher products (商品), newest first, with what each has sold",
                list_of("products", "Product"),
            ),
            "post": op(
                "Add a product: face, price (a premium when lower), validity, limits, sale"
                " period, stock",
                ref("Product"),
                201,
                body="NewProduct",
                errors=(422,),
            ),
        },
        "/api/v1/products/{product_id}": {
            "get": op("One product with its sales", ref("Product"), params=("product_id",))
        },
        "/api/v1/products/{product_id}/retire": {
            "post": op(
                "Retire a product: no longer sold; the vouchers sold keep their terms",
                ref("Product"),
                params=("product_id",),
                body="Nothing",
                errors=(409,),
            )
        },
    }


def product_schemas() -> dict[str, Schema]:
    day = text_matching(DATE_CORE, 20, "a day of the node's zone, YYYY-MM-DD")
    count = whole(1, MAX_COUNT)
    period = {"type": "string", "enum": [p.value for p in LimitPeriod]}
    return {
        "NewProduct": obj(
            ["name", "face_yen"],
            name=text(NAME_MAX),
            face_yen=yen(),
            price_yen=nullable(yen(0)),
            valid_days=nullable(whole(1, MAX_VALID_DAYS)),
            valid_until=nullable({**day, "description": "valid through this day"}),
            limit_count=nullable(count),
            limit_yen=nullable(yen()),
            limit_period=nullable({**period, "description": "default ever"}),
            sale_from=nullable({**day, "description": "on sale from this day's start"}),
            sale_until=nullable({**day, "description": "on sale through this day"}),
            stock=nullable(whole(0, MAX_COUNT)),
        ),
        "Product": obj(
            [
                "product_id",
                "name",
                "face_yen",
                "price_yen",
                "premium_yen",
                "valid_days",
                "valid_until",
                "limit_count",
                "limit_yen",
                "limit_period",
                "sale_starts_at",
                "sale_ends_at",
                "stock",
                "created_at",
                "retired_at",
                "sold",
                "sold_yen",
                "on_sale",
            ],
            product_id=ID,
            name={"type": "string"},
            face_yen=yen(),
            price_yen=yen(0),
            premium_yen=COUNT,
            valid_days={"type": ["integer", "null"]},
            valid_until=MAYBE_TIME,
            limit_count={"type": ["integer", "null"]},
            limit_yen={"type": ["integer", "null"]},
            limit_period=period,
            sale_starts_at=MAYBE_TIME,
            sale_ends_at=MAYBE_TIME,
            stock={"type": ["integer", "null"], "description": "null: no limit"},
            created_at=TIME,
            retired_at=MAYBE_TIME,
            sold=COUNT,
            sold_yen=COUNT,
            on_sale={"type": "boolean"},
        ),
    }
