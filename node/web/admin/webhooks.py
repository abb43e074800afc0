"""The console's webhooks (Webhook): add one (its signing secret shown once, with a copy button),
list them, send a test, see an endpoint's recent deliveries with their attempts and last error,
send one again, disable an endpoint after a confirm step."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from node.errors import InvalidWebhook, WebhookNotFound, WebhookUrlTaken
from node.runtime import Node
from node.web.admin.frame import admin_page, after_action
from node.web.guard import read_form, requires
from node.web.model import Role, Session
from node.webhooks import actions, queries, service
from node.webhooks.model import Endpoint, EventType

PAGE = "/admin/webhooks"
EVENT_FIELD = "event:"  # one checkbox per event: event:points.earned=1


async def _list_page(
    request: web.Request,
    node: Node,
    session: Session,
    *,
    new: dict[str, Any] | None = None,
    form: dict[str, Any] | None = None,
    problem: str | None = None,
    status: int = 200,
) -> web.Response:
    context: dict[str, Any] = {
        "hooks": await queries.endpoints(node.require_reader()),
        "event_types": [str(e) for e in EventType],
        "new": new,
        "form": form or {"url": "", "events": []},
        "problem": problem,  # a text key: the form's error, shown beside it
    }
    return admin_page(
        request, node, session, "admin_webhooks.html", context, section=PAGE, status=status
    )


@requires(Role.ADMIN)
async def overview(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    return await _list_page(request, node, session)


@requires(Role.ADMIN)
async def create(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    posted = await read_form(request)
    events = [name[len(EVENT_FIELD) :] for name in posted if name.startswith(EVENT_FIELD)]
    url = posted.get("url", "")
    kept: dict[str, Any] = {"url": url, "events": events}
    try:
        new = await actions.add(node, url, events)
    except WebhookUrlTaken:
        problem = "error:webhook.url_taken"
        return await _list_page(request, node, session, form=kept, problem=problem, status=409)
    except InvalidWebhook as exc:
        problem = "wh_err_events" if exc.details.get("field") == "events" else "wh_err_url"
        return await _list_page(request, node, session, form=kept, problem=problem, status=422)
    service.wake(request.app)
    return await _list_page(request, node, session, new=new, status=201)


async def _endpoint(node: Node, webhook_id: str) -> Endpoint:
    found = await queries.endpoint(node.require_reader(), webhook_id)
    if found is None:
        raise WebhookNotFound()
    return found


@requires(Role.ADMIN)
async def detail(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    webhook_id = request.match_info["webhook_id"]
    hook = await _endpoint(node, webhook_id)
    shown = await queries.deliveries_of(node.require_reader(), webhook_id, actions.DELIVERIES_SHOWN)
    context = {"hook": hook, "deliveries": shown}
    return admin_page(request, node, session, "admin_webhook.html", context, section=PAGE)


@requires(Role.ADMIN)
async def send_test(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    webhook_id = request.match_info["webhook_id"]
    await actions.ping(node, webhook_id)
    service.wake(request.app)
    return after_action(f"{PAGE}/{webhook_id}", "done_wh_test")


@requires(Role.ADMIN)
async def retry(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    webhook_id = request.match_info["webhook_id"]
    await actions.retry(node, webhook_id, request.match_info["delivery_id"])
    service.wake(request.app)
    return after_action(f"{PAGE}/{webhook_id}", "done_wh_retry")


@requires(Role.ADMIN)
async def confirm_disable(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    hook = await _endpoint(node, request.match_info["webhook_id"])
    if hook.is_disabled:
        raise WebhookNotFound()
    context = {"hook": hook}
    return admin_page(request, node, session, "admin_webhook_disable.html", context, section=PAGE)


@requires(Role.ADMIN)
async def disable(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    await actions.disable(node, request.match_info["webhook_id"])
    return after_action(PAGE, "done_wh_disabled")


def routes() -> list[web.RouteDef]:
    one = PAGE + "/{webhook_id}"
    return [
        web.get(PAGE, overview),
        web.post(PAGE, create),
        web.get(one, detail),
        web.post(one + "/test", send_test),
        web.post(one + "/deliveries/{delivery_id}/retry", retry),
        web.get(one + "/disable", confirm_disable),
        web.post(one + "/disable", disable),
    ]
