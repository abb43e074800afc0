"""Admin API of a campaign mail's test send: `POST /api/v1/mail/drafts/test` sends the message one of
the segment's recipients would get, marked as a test, to an address head office names, through
[web]'s SMTP server (the web layer owns the connection); and its part of the OpenAPI document."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from typing import Any

from aiohttp import web

from node.crm.mail_api import MAIL_REQUEST_BYTES, draft_schema
from node.crm.mail_compose import Draft, read_draft, test_message
from node.errors import MailNotSent
from node.http import input as body_input
from node.http.schema_parts import Schema, email, obj, op, text
from node.runtime import NODE, Handler, Node
from node.web.mail import send_message

TEST_SEND = "/api/v1/mail/drafts/test"


async def test_send(request: web.Request) -> web.Response:
    body = await body_input.read_body(
        request,
        {"segment", "subject", "body", "send_at", "offer", "customer_id", "to"},
        MAIL_REQUEST_BYTES,
    )
    node = request.app[NODE]
    draft, _ = await read_draft(
        node, body.get("subject"), body.get("body"), body.get("offer"), body.get("send_at")
    )
    made = await send_test(
        node, body.get("segment"), draft, body.get("to"), body.get("customer_id")
    )
    return web.json_response({"to": str(made["To"]), "subject": str(made["Subject"])})


async def send_test(
    node: Node, segment: object, draft: Draft, to: object, customer_id: object = None
) -> EmailMessage:
    """The test message sent (for the API and the console); MailNotSent with the SMTP server's
    reason when it is refused or cannot be reached."""
    made = await test_message(node, segment, draft, to, customer_id)
    try:
        await send_message(node.config.web, made)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailNotSent(reason=f"{type(exc).__name__}: {exc}"[:300]) from exc
    return made


MAIL_TEST_ROUTES: tuple[tuple[str, str, Handler], ...] = (("POST", TEST_SEND, test_send),)


def mail_test_paths() -> dict[str, dict[str, Any]]:
    return {
        TEST_SEND: {
            "post": op(
                "Send the mail as one of the segment's recipients would read it, marked as a"
                " test, to `to` (no coupon given, nothing recorded)",
                obj(["to", "subject"], to={"type": "string"}, subject={"type": "string"}),
                body="MailTest",
                errors=(404, 409, 422, 502),
            )
        }
    }


def mail_test_schemas() -> dict[str, Schema]:
    return {
        "MailTest": obj(
            ["segment", "subject", "body", "to"],
            **draft_schema(),
            customer_id=text(60),
            to=email(),
        )
    }
