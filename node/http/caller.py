"""Who sent an admin API request, as the guard (node/app.py) admitted it: `admin` for the node's
admin token, `key:<key name>` for an integration key. Handlers record it beside what they change
(the points journal's actor), so head office can tell a POS's credit from its own. The name, not
the key's id: a key is rotated by revoking it and making one of the same name (names are unique
among live keys), and the system keeps returning and replaying what it did under the old key."""

from __future__ import annotations

from aiohttp import web

from node.errors import KippuError

ADMIN_CALLER = "admin"
API_CALLER = web.RequestKey("api_caller", str)


def key_caller(key_name: str) -> str:
    return f"key:{key_name}"


def api_caller(request: web.Request) -> str:
    """The caller the guard admitted; a route under /api/v1/ never runs without one."""
    try:
        return request[API_CALLER]
    except KeyError:
        raise KippuError("the request was not admitted by the admin API's guard") from None
