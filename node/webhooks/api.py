"""Admin API for webhooks (what `kippu webhook ...` calls), and its OpenAPI parts.

Only the admin token reaches these routes: an integration key never makes or reads webhooks
(their secrets sign what the node tells integrations)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from node.errors import InvalidWebhook
from node.http import input as body_input
from node.http.schema_parts import COUNT, ID, MAYBE_TIME, TIME, Schema, nullable, obj, op, ref, text
from node.runtime import NODE, Handler
from node.webhooks import actions, service
from node.webhooks.core import MAX_URL_CHARS
from node.webhooks.model import DeliveryState, EventType


async def create(request: web.Request) -> web.Response:
    body = await body_input.read_body(request, {"url", "events"})
    url = body_input.required_text(body, "url", MAX_URL_CHARS)
    events = body.get("events")
    if not isinstance(events, list):
        raise InvalidWebhook(field="events")
    made = await actions.add(request.app[NODE], url, events)
    service.wake(request.app)
    response = web.json_response(made, status=201)
    response.headers["Cache-Control"] = "no-store"  # the secret is in this answer, once
    return response


async def list_all(request: web.Request) -> web.Response:
    return web.json_response({"webhooks": await actions.listing(request.app[NODE])})


async def disable(request: web.Request) -> web.Response:
    await body_input.read_body(request, set())
    return web.json_response(
        await actions.disable(request.app[NODE], request.match_info["webhook_id"])
    )


async def deliveries(request: web.Request) -> web.Response:
    found = await actions.deliveries(request.app[NODE], request.match_info["webhook_id"])
    return web.json_response({"deliveries": found})


async def test_event(request: web.Request) -> web.Response:
    await body_input.read_body(request, set())
    queued = await actions.ping(request.app[NODE], request.match_info["webhook_id"])
    service.wake(request.app)
    return web.json_response(queued, status=201)


async def retry(request: web.Request) -> web.Response:
    await body_input.read_body(request, set())
    again = await actions.retry(
        request.app[NODE], request.match_info["webhook_id"], request.match_info["delivery_id"]
    )
    service.wake(request.app)
    return web.json_response(again)


WEBHOOK_ROUTES: tuple[tuple[str, str, Handler], ...] = (
    ("POST", "/api/v1/webhooks", create),
    ("GET", "/api/v1/webhooks", list_all),
    ("DELETE", "/api/v1/webhooks/{webhook_id}", disable),
    ("GET", "/api/v1/webhooks/{webhook_id}/deliveries", deliveries),
    ("POST", "/api/v1/webhooks/{webhook_id}/test", test_event),
    ("POST", "/api/v1/webhooks/{webhook_id}/deliveries/{delivery_id}/retry", retry),
)


def webhook_schemas() -> dict[str, Schema]:
    event = {"type": "string", "enum": [str(e) for e in EventType]}
    fields: dict[str, Any] = {
        "webhook_id": ID,
        "url": {"type": "string"},
        "events": {"type": "array", "items": event},
        "secret_prefix": {"type": "string", "description": "the secret's start; never all of it"},
        "created_at": TIME,
        "disabled_at": MAYBE_TIME,
    }
    maybe_text = nullable({"type": "string"})
    return {
        "NewWebhook": obj(
            ["url", "events"],
            url=text(
                MAX_URL_CHARS,
                "https:// (http:// only to this machine: 127.0.0.1, ::1, "
                "localhost); no user or password in it",
            ),
            events={"type": "array", "items": event, "minItems": 1},
        ),
        "Webhook": obj(list(fields), **fields),
        "CreatedWebhook": obj(
            [*fields, "secret"],
            **fields,
            secret={"type": "string", "description": "the signing secret, shown this once"},
        ),
        "WebhookDelivery": obj(
            [
                "delivery_id",
                "webhook_id",
                "event",
                "event_id",
                "state",
                "attempts",
                "last_status",
                "last_error",
                "created_at",
                "next_attempt_at",
                "delivered_at",
                "given_up_at",
            ],
            delivery_id=ID,
            webhook_id=ID,
            event={"type": "string"},
            event_id=ID,
            state={"enum": [str(s) for s in DeliveryState]},
            attempts=COUNT,
            last_status=nullable({"type": "integer"}),
            last_error=maybe_text,
            created_at=TIME,
            next_attempt_at=MAYBE_TIME,
            delivered_at=MAYBE_TIME,
            given_up_at=MAYBE_TIME,
        ),
    }


def webhook_paths() -> dict[str, dict[str, Any]]:
    """The webhooks' admin routes, for the node's OpenAPI document."""
    listed = obj(["webhooks"], webhooks={"type": "array", "items": ref("Webhook")})
    sent = obj(["deliveries"], deliveries={"type": "array", "items": ref("WebhookDelivery")})
    one = ("webhook_id",)
    return {
        "/api/v1/webhooks": {
            "post": op(
                "Add a webhook endpoint (its signing secret is in this answer only)",
                ref("CreatedWebhook"),
                201,
                body="NewWebhook",
                errors=(409, 422),
            ),
            "get": op("Webhook endpoints, live and disabled (never their secrets)", listed),
        },
        "/api/v1/webhooks/{webhook_id}": {
            "delete": op(
                "Disable a webhook: nothing more is posted to it, what was pending is given up",
                ref("Webhook"),
                params=one,
            )
        },
        "/api/v1/webhooks/{webhook_id}/deliveries": {
            "get": op("The webhook's latest deliveries, newest first", sent, params=one)
        },
        "/api/v1/webhooks/{webhook_id}/test": {
            "post": op(
                "Send a webhook.ping event to this webhook", ref("WebhookDelivery"), 201, params=one
            )
        },
        "/api/v1/webhooks/{webhook_id}/deliveries/{delivery_id}/retry": {
            "post": op(
                "Try a delivery not received yet once more, now",
                ref("WebhookDelivery"),
                params=("webhook_id", "delivery_id"),
                errors=(409,),
            )
        },
    }
