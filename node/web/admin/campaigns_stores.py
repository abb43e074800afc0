"""The stores' classes for campaigns (店舗区分): which stores are small local shops (中小店舗), where
a 専用券 is accepted; one toggle per store. The same actions as `kippu campaign store-class`."""

from __future__ import annotations

from aiohttp import web

from node.campaigns import actions, store_classes
from node.errors import InvalidCampaign
from node.runtime import Node
from node.web.admin.campaigns import PAGE, section_tabs
from node.web.admin.form_errors import shown_inline
from node.web.admin.frame import admin_page, after_action
from node.web.guard import read_form, requires
from node.web.model import Role, Session

CLASSES = f"{PAGE}/stores/classes"
STORE_ID_CHARS = 40


@requires(Role.ADMIN)
async def overview(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """GET /admin/campaigns/stores/classes: every store and whether it takes 専用券."""
    context = {
        "stores": (await store_classes.store_classes(node))["stores"],
        "tabs": section_tabs(request),
        "tab": CLASSES,
    }
    return admin_page(request, node, session, "admin_campaigns_classes.html", context, section=PAGE)


@requires(Role.ADMIN)
@shown_inline("cp-class-{store_id}", overview)
async def set_class(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """POST /admin/campaigns/stores/classes: one store made a small local shop, or not."""
    form = await read_form(request)
    local = form.get("local", "")
    if local not in ("1", "0"):
        raise InvalidCampaign("`local` is 1 (a small local shop) or 0.", field="local")
    await actions.set_store_local(node, form.get("store_id", "")[:STORE_ID_CHARS], local == "1")
    done = "done_cpc_local_on" if local == "1" else "done_cpc_local_off"
    return after_action(CLASSES, done)


def routes() -> list[web.RouteDef]:
    return [web.get(CLASSES, overview), web.post(CLASSES, set_class)]
