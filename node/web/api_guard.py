"""Who may call the admin API: the node's admin token or an integration key, from the
`Authorization: Bearer <token>` header. The guard on every /api/v1/ route (node/app.py) and the
rush relay's node side (node/relay/backend.py) admit callers by this one rule."""

from __future__ import annotations

import hmac

from node.errors import InvalidToken, MissingToken
from node.http.caller import ADMIN_CALLER, key_caller
from node.runtime import Node
from node.web import api_keys
from node.web.api_key_model import KEY_PREFIX


async def admitted_caller(node: Node, header: str, method: str, route: str | None) -> str:
    """The caller that `header` (the Authorization header's value, "" when absent) names, or
    why not raised. `route`: the matched route's pattern (None: no route, the 404 or 405 to
    come), against which an integration key's scope is checked."""
    if not header:
        raise MissingToken()
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer":
        raise InvalidToken()
    if token.startswith(KEY_PREFIX):
        key = await api_keys.admit(node, token, method, route)
        return key_caller(key.name)
    # surrogateescape: a header's bytes that are no UTF-8 compare unequal, never fail.
    if hmac.compare_digest(token.encode("utf-8", "surrogateescape"), node.admin_token.encode()):
        return ADMIN_CALLER
    raise InvalidToken()
