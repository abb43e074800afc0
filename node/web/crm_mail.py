"""Campaign mail's web side: the job that sends it (every second, each mail at most its
`per_minute`, through [web]'s SMTP server) and the unsubscribe link's page.

The link (`/mail/unsubscribe/<token>`, its token known only to the mail) answers:
- GET: a page naming the address, with one button that stops the mail (a link preview or a
  virus scanner that opens the link stops nothing);
- POST: stops the mail. A mail program's one-click unsubscribe (RFC 8058) posts
  `List-Unsubscribe=One-Click` to it with no cookie and no page, so it takes no CSRF token:
  the token in the address is what proves the right to refuse, and refusing is all it can do.
Either way the refusal is recorded as a consent event (node/crm/consents.py) before the answer.
"""

from __future__ import annotations

import logging
import math
from collections.abc import AsyncIterator
from email.message import EmailMessage

from aiohttp import web

from node.crm import mail_actions, mail_queries
from node.crm.consents import ConsentMethod
from node.periodic import every
from node.runtime import NODE, Node
from node.web.mail import send_message
from node.web.pages import render

log = logging.getLogger(__name__)
TICK_S = 1.0
ONE_CLICK_BODY = "List-Unsubscribe=One-Click"
MAX_FORM_BYTES = 1024


class MailJob:
    """Starts the mail whose time has come and sends each at its rate: a mail's allowance grows
    by per_minute / 60 each second, at most two seconds' worth kept (a pause does not become a
    burst)."""

    def __init__(self, node: Node) -> None:
        self.node = node
        self.allowance: dict[str, float] = {}

    async def send(self, made: EmailMessage) -> None:
        await send_message(self.node.config.web, made)

    async def run(self) -> None:
        await mail_actions.start_due(self.node)
        for mail in await mail_queries.sending(self.node.require_reader()):
            per_tick = mail.per_minute * TICK_S / 60
            allowance = min(self.allowance.get(mail.mail_id, 0.0) + per_tick, max(per_tick, 1) * 2)
            budget = math.floor(allowance)
            if budget:
                allowance -= await mail_actions.send_some(self.node, mail, budget, self.send)
            self.allowance[mail.mail_id] = max(allowance, 0.0)


async def _job_ctx(app: web.Application) -> AsyncIterator[None]:
    job = MailJob(app[NODE])
    async with every(TICK_S, job.run, "crm-mail", log):
        yield


def _page(request: web.Request, address: str, done: bool) -> web.Response:
    node = request.app[NODE]
    context = {"address": address, "done": done, "account": None}
    return render(request, "mail_unsubscribe.html", context, zone=node.config.zone, csrf="")


async def unsubscribe_page(request: web.Request) -> web.StreamResponse:
    node = request.app[NODE]
    recipient = await mail_actions.recipient_of(node, request.match_info["token"])
    return _page(request, recipient.address, done=False)


async def unsubscribe(request: web.Request) -> web.StreamResponse:
    node = request.app[NODE]
    raw = await request.content.read(MAX_FORM_BYTES)
    one_click = raw.decode("utf-8", "replace").strip() == ONE_CLICK_BODY
    method = ConsentMethod.ONE_CLICK if one_click else ConsentMethod.UNSUBSCRIBE_LINK
    recipient = await mail_actions.unsubscribe(node, request.match_info["token"], method)
    if one_click:
        return web.Response(text="unsubscribed\n", content_type="text/plain")
    return _page(request, recipient.address, done=True)


def routes() -> list[web.RouteDef]:
    return [
        web.get("/mail/unsubscribe/{token}", unsubscribe_page),
        web.post("/mail/unsubscribe/{token}", unsubscribe),
    ]


def install(app: web.Application) -> None:
    app.cleanup_ctx.append(_job_ctx)
