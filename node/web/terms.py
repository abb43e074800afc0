"""The public terms page (/terms, no sign-in): the whole legal display (資金決済法13条) and the
terms (約款) themselves, or the link to them."""

from __future__ import annotations

from aiohttp import web

from node.runtime import NODE
from node.web.legal import legal_display
from node.web.pages import render


async def terms_page(request: web.Request) -> web.StreamResponse:
    node = request.app[NODE]
    legal = await legal_display(node)
    context = {"legal": legal, "issuer": node.config.issuer, "account": None}
    return render(request, "terms.html", context, zone=node.config.zone, csrf="")


def routes() -> list[web.RouteDef]:
    return [web.get("/terms", terms_page)]
