"""Admin API for web accounts (what `kippu staff ...` and `kippu admin passwd` call)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from node.clock import new_id
from node.errors import ValidationError
from node.http import input as body_input
from node.http.schema_parts import ID, obj, op, ref, text
from node.runtime import NODE
from node.web import account_tables, accounts, passwords, staff_tables
from node.web.accounts import MAX_LOGIN_CHARS, check_login
from node.web.passwords import MAX_LENGTH, MIN_LENGTH


def _password(body: dict[str, Any]) -> str:
    password = body.get("password")
    if not isinstance(password, str):
        raise ValidationError("`password` must be text.", field="password")
    passwords.require_strong(password)
    return password


async def set_admin_password(request: web.Request) -> web.Response:
    node = request.app[NODE]
    body = await body_input.read_body(request, {"password"})
    hashed = await passwords.hashed(_password(body))
    created = await node.require_writer().submit(
        account_tables.set_admin_password(new_id(node.rng, "ac"), hashed, node.clock.now())
    )
    return web.json_response({"login": "admin", "created": created}, status=201 if created else 200)


async def add_staff(request: web.Request) -> web.Response:
    node = request.app[NODE]
    body = await body_input.read_body(request, {"name", "stores", "password"})
    name = check_login(body_input.required_text(body, "name", MAX_LOGIN_CHARS))
    stores = body.get("stores")
    if not (
        isinstance(stores, list)
        and 1 <= len(stores) <= 100
        and all(isinstance(s, str) and s for s in stores)
    ):
        raise ValidationError("`stores` must list 1-100 store ids.", field="stores")
    hashed = await passwords.hashed(_password(body))
    account = await node.require_writer().submit(
        accounts.add_staff(new_id(node.rng, "ac"), name, hashed, stores, node.clock.now())
    )
    return web.json_response(
        {"account_id": account.account_id, "name": account.login, "stores": list(account.stores)},
        status=201,
    )


async def list_staff(request: web.Request) -> web.Response:
    listing = await staff_tables.staff_listing(request.app[NODE].require_reader())
    staff = [
        {
            "account_id": member.account_id,
            "name": member.login,
            "stores": list(member.store_ids),
            "disabled": member.is_disabled,
        }
        for member in listing
    ]
    return web.json_response({"staff": staff})


ACCOUNT_ROUTES = (
    ("PUT", "/api/v1/admin/password", set_admin_password),
    ("POST", "/api/v1/staff", add_staff),
    ("GET", "/api/v1/staff", list_staff),
)


def account_schemas() -> dict[str, Any]:
    password = {"type": "string", "minLength": MIN_LENGTH, "maxLength": MAX_LENGTH}
    return {
        "AdminPassword": obj(["password"], password=password),
        "AdminAccount": obj(["login", "created"], login=ID, created={"type": "boolean"}),
        "NewStaff": obj(
            ["name", "stores", "password"],
            name=text(MAX_LOGIN_CHARS),
            stores={"type": "array", "items": ID, "minItems": 1, "maxItems": 100},
            password=password,
        ),
        "Staff": obj(
            ["account_id", "name", "stores"],
            account_id=ID,
            name=ID,
            stores={"type": "array", "items": ID},
            disabled={"type": "boolean"},
        ),
    }


def account_paths() -> dict[str, dict[str, Any]]:
    """The web accounts' admin routes, for the node's OpenAPI document."""
    staff_list = obj(["staff"], staff={"type": "array", "items": ref("Staff")})
    set_password = op(
        "Set the admin password for the console (200; 201 when this creates the account)",
        ref("AdminAccount"),
        body="AdminPassword",
        errors=(422,),
        also={201: ref("AdminAccount")},
    )
    set_password["responses"]["201"]["description"] = "the admin account was created"
    return {
        "/api/v1/admin/password": {"put": set_password},
        "/api/v1/staff": {
            "post": op(
                "Add a staff member bound to stores",
                ref("Staff"),
                201,
                body="NewStaff",
                errors=(404, 409, 422),
            ),
            "get": op("Staff accounts and their stores", staff_list),
        },
    }
