"""The wallet's eligibility by sign-in: LINE Login (a redirect to LINE and its callback) and a
passkey on this device (the options for navigator.credentials.create and its response, as JSON
for node/web/static/campaign-passkey.js). The flows are node/campaigns/line_actions.py's and
passkey_actions.py's."""

from __future__ import annotations

from aiohttp import web

from node.campaigns import line_actions, passkey_actions
from node.errors import KippuError, shown_to_user
from node.runtime import Node
from node.web.campaign_verify import campaign_of, show, verify_path
from node.web.guard import requires
from node.web.model import Role, Session
from node.web.signin import see_other
from node.web.wallet_pages import customer_of

CALLBACK = "/wallet/line/callback"


@requires(Role.CUSTOMER)
async def start_line(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """Off to LINE's authorize page, with this sign-in's state, nonce and PKCE challenge."""
    campaign_id = campaign_of(request)
    try:
        target = await line_actions.start(node, campaign_id, customer_of(session))
    except KippuError as exc:
        if not exc.is_actionable:
            raise
        return await show(request, node, session, error=exc)
    return see_other(target)


@requires(Role.CUSTOMER)
async def line_callback(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """Back from LINE: with a code, the proof is recorded; with an error (the resident cancelled)
    or anything that does not check out, LoginFailed on the error page."""
    state, code = request.query.get("state", ""), request.query.get("code", "")
    if "error" in request.query:
        code = ""  # the state is still taken below: a cancelled sign-in is over
    finished = await line_actions.finish(node, customer_of(session), state, code)
    return see_other(f"{verify_path(finished.campaign_id)}?done=line")


def _json_error(exc: KippuError) -> web.Response:
    shown = shown_to_user(exc)
    if shown is not exc:
        raise exc
    return web.json_response(exc.to_json(), status=exc.http_status)


@requires(Role.CUSTOMER)
async def passkey_options(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    campaign_id = campaign_of(request)
    try:
        created = await passkey_actions.options(node, campaign_id, customer_of(session))
    except KippuError as exc:
        return _json_error(exc)
    return web.json_response(created)


@requires(Role.CUSTOMER)
async def passkey_register(
    request: web.Request, node: Node, session: Session
) -> web.StreamResponse:
    campaign_id = campaign_of(request)
    text = await request.text()
    try:
        answer = await passkey_actions.register(node, campaign_id, customer_of(session), text)
    except KippuError as exc:
        return _json_error(exc)
    return web.json_response({**answer, "next": f"{verify_path(campaign_id)}?done=passkey"})


def routes() -> list[web.RouteDef]:
    return [
        web.get("/wallet/campaigns/{campaign_id}/line", start_line),
        web.get(CALLBACK, line_callback),
        web.post("/wallet/campaigns/{campaign_id}/verify/passkey/options", passkey_options),
        web.post("/wallet/campaigns/{campaign_id}/verify/passkey", passkey_register),
    ]
