"""The console's integration keys (APIキー): make one (shown once, with a copy button), list them,
revoke one after a confirm step."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from node.errors import ApiKeyNameTaken, ApiKeyNotFound, ValidationError
from node.runtime import Node
from node.web import api_key_tables, api_keys
from node.web.admin.frame import admin_page, after_action
from node.web.api_key_model import ApiKey, NewKey, Scope
from node.web.guard import read_form, requires
from node.web.model import Role, Session

PAGE = "/admin/keys"


async def _keys_page(
    request: web.Request,
    node: Node,
    session: Session,
    *,
    new: NewKey | None = None,
    form: dict[str, str] | None = None,
    problem: str | None = None,
    status: int = 200,
) -> web.Response:
    context: dict[str, Any] = {
        "keys": await api_keys.listing(node),
        "new": new,
        "form": form or {"name": "", "scope": Scope.WRITE.value},
        "problem": problem,  # a text key: the form's error, shown beside it
    }
    return admin_page(
        request, node, session, "admin_keys.html", context, section=PAGE, status=status
    )


@requires(Role.ADMIN)
async def overview(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    return await _keys_page(request, node, session)


@requires(Role.ADMIN)
async def create(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    form = await read_form(request)
    kept = {"name": form.get("name", ""), "scope": form.get("scope", Scope.WRITE.value)}
    try:
        name = api_keys.check_name(kept["name"])
        new = await api_keys.create(node, name, api_keys.check_scope(kept["scope"]))
    except ApiKeyNameTaken:
        problem = "error:auth.key_name_taken"
        return await _keys_page(request, node, session, form=kept, problem=problem, status=409)
    except ValidationError:  # a name too long, empty or unprintable; a scope not offered
        problem = "ak_err_name"
        return await _keys_page(request, node, session, form=kept, problem=problem, status=422)
    return await _keys_page(request, node, session, new=new, status=201)


async def _live_key(node: Node, key_id: str) -> ApiKey:
    key = await api_key_tables.load_key(node.require_reader(), key_id)
    if key is None or key.is_revoked:
        raise ApiKeyNotFound()
    return key


@requires(Role.ADMIN)
async def confirm_revoke(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    key = await _live_key(node, request.match_info["key_id"])
    return admin_page(request, node, session, "admin_key_revoke.html", {"key": key}, section=PAGE)


@requires(Role.ADMIN)
async def revoke(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    await api_keys.revoke_by_id(node, request.match_info["key_id"])
    return after_action(PAGE, "done_ak_revoked")


def routes() -> list[web.RouteDef]:
    return [
        web.get(PAGE, overview),
        web.post(PAGE, create),
        web.get(PAGE + "/{key_id}/revoke", confirm_revoke),
        web.post(PAGE + "/{key_id}/revoke", revoke),
    ]
