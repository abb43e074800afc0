"""Admin API for integration keys (what `kippu apikey ...` calls), and its OpenAPI parts.

Only the admin token reaches these routes: a key never makes, lists or revokes keys."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from node.clock import iso
from node.http import input as body_input
from node.http.schema_parts import ID, MAYBE_TIME, TIME, nullable, obj, op, ref, text
from node.runtime import NODE
from node.web import api_keys
from node.web.api_key_model import (
    MAX_NAME_CHARS,
    READ_ROUTES,
    WRITE_ROUTES,
    ApiKey,
    Scope,
)


def key_json(key: ApiKey) -> dict[str, Any]:
    return {
        "key_id": key.key_id,
        "name": key.name,
        "scope": key.scope.value,
        "prefix": key.shown_prefix,
        "created_at": iso(key.created_at),
        "last_used_at": iso(key.last_used_at),
        "revoked_at": iso(key.revoked_at),
    }


async def create_key(request: web.Request) -> web.Response:
    node = request.app[NODE]
    body = await body_input.read_body(request, {"name", "scope"})
    name = api_keys.check_name(body_input.required_text(body, "name", MAX_NAME_CHARS))
    scope = api_keys.check_scope(body_input.text(body, "scope", required=False) or "write")
    new = await api_keys.create(node, name, scope)
    response = web.json_response({**key_json(new.record), "key": new.key}, status=201)
    response.headers["Cache-Control"] = "no-store"  # the key is in this answer, once
    return response


async def list_keys(request: web.Request) -> web.Response:
    keys = await api_keys.listing(request.app[NODE])
    return web.json_response({"apikeys": [key_json(k) for k in keys]})


async def revoke_key(request: web.Request) -> web.Response:
    body = await body_input.read_body(request, {"name"})
    name = body_input.required_text(body, "name", MAX_NAME_CHARS)
    return web.json_response(key_json(await api_keys.revoke(request.app[NODE], name)))


API_KEY_ROUTES = (
    ("POST", "/api/v1/apikeys", create_key),
    ("GET", "/api/v1/apikeys", list_keys),
    ("POST", "/api/v1/apikeys/revoke", revoke_key),
)


def api_key_schemas() -> dict[str, Any]:
    scope = {"type": "string", "enum": [s.value for s in Scope]}
    fields = {
        "key_id": ID,
        "name": ID,
        "scope": scope,
        "prefix": {"type": "string", "description": "the key's start; never its secret"},
        "created_at": TIME,
        "last_used_at": {**MAYBE_TIME, "description": "to the minute; null: never used"},
        "revoked_at": MAYBE_TIME,
    }
    required = list(fields)
    return {
        "NewApiKey": obj(
            ["name"],
            name=text(MAX_NAME_CHARS, "unique among the keys in use"),
            scope=nullable(
                {
                    **scope,
                    "description": "read: GETs only; write (the default, also for null): "
                    "a POS's calls",
                }
            ),
        ),
        "RevokeApiKey": obj(["name"], name=text(MAX_NAME_CHARS)),
        "ApiKey": obj(required, **fields),
        "CreatedApiKey": obj(
            [*required, "key"],
            **fields,
            key={"type": "string", "description": "shown this once; only its hash is kept"},
        ),
    }


def api_key_paths() -> dict[str, dict[str, Any]]:
    """The integration keys' admin routes, for the node's OpenAPI document."""
    keys_list = obj(["apikeys"], apikeys={"type": "array", "items": ref("ApiKey")})
    return {
        "/api/v1/apikeys": {
            "post": op(
                "Make an integration key for a POS or EC system (the key is in this answer only)",
                ref("CreatedApiKey"),
                201,
                body="NewApiKey",
                errors=(409,),
            ),
            "get": op("Integration keys, in use and revoked (never their secrets)", keys_list),
        },
        "/api/v1/apikeys/revoke": {
            "post": op(
                "Revoke the key in use with this name: refused from its next request on",
                ref("ApiKey"),
                body="RevokeApiKey",
                errors=(404,),
            )
        },
    }


KEY_SECURITY_NOTE = (
    "Admin token, or an integration key with the scope `{scope}` "
    "(`Authorization: Bearer kippu_ak_…`; docs/operations.md, Integration keys)."
)


def open_to_keys(paths: dict[str, dict[str, Any]]) -> None:
    """Mark the operations an integration key may call: its scope in `security`, 403 listed."""
    for routes, scope in ((READ_ROUTES, Scope.READ), (WRITE_ROUTES, Scope.WRITE)):
        for method, route in routes:
            operation = paths[route][method.lower()]
            operation["security"] = [{"adminToken": []}, {"integrationKey": [scope.value]}]
            operation["description"] = KEY_SECURITY_NOTE.format(scope=scope.value)
            operation["responses"].setdefault(
                "403",
                {
                    "description": "an integration key whose scope does not allow this (auth.*)",
                    "content": {"application/json": {"schema": ref("Error")}},
                },
            )
