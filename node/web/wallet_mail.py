"""The wallet's mail setting (/wallet/mail) and the customer's own data (/wallet/my-data.json,
linked from it). On the mail page the customer sees whether they get offer mails and turns them
on or off. Turning them on shows the wording that is recorded with the consent
(node/crm/consents.py, MARKETING_WORDING); every change is a consent event with method `wallet`."""

from __future__ import annotations

import json

from aiohttp import web

from node.crm import consent_actions, data_actions
from node.crm.consents import MARKETING_WORDING, WITHDRAWN_WORDING, ConsentMethod
from node.runtime import Node
from node.web.guard import read_form, requires
from node.web.model import Role, Session
from node.web.wallet_pages import customer_of, page


@requires(Role.CUSTOMER)
async def mail_page(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    history = await consent_actions.history(node, customer_of(session))
    return await page(
        request,
        node,
        session,
        "wallet_mail.html",
        is_on=bool(history) and history[-1].is_granted,
        wording=MARKETING_WORDING,
        saved=request.query.get("saved", ""),
    )


@requires(Role.CUSTOMER)
async def set_mail(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """The form sends `marketing` = "1" (wanted) or "0"."""
    wanted = (await read_form(request)).get("marketing", "") == "1"
    wording = MARKETING_WORDING if wanted else WITHDRAWN_WORDING
    actor = f"customer:{customer_of(session)}"
    await consent_actions.record(
        node, customer_of(session), wanted, wording, ConsentMethod.WALLET, actor
    )
    raise web.HTTPSeeOther("/wallet/mail?saved=" + ("on" if wanted else "off"))


@requires(Role.CUSTOMER)
async def my_data(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """Everything the node keeps about the signed-in customer, as a JSON file to keep."""
    found = await data_actions.customer_data(node, customer_of(session))
    return web.json_response(
        found,
        dumps=lambda value: json.dumps(value, ensure_ascii=False, indent=2),
        headers={
            "Content-Disposition": 'attachment; filename="my-data.json"',
            "Cache-Control": "no-store",
        },
    )


def routes() -> list[web.RouteDef]:
    return [
        web.get("/wallet/mail", mail_page),
        web.post("/wallet/mail", set_mail),
        web.get("/wallet/my-data.json", my_data),
    ]
