"""Admin API for campaign mail: `POST /api/v1/mail` (to a segment, now or at `send_at`),
`GET /api/v1/mail`, `GET /api/v1/mail/{mail_id}` (its status and recipients), `POST
/api/v1/mail/{mail_id}/cancel`; and their part of the OpenAPI document."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from node.clock import iso
from node.crm import mail_actions, mail_compose, mail_queries
from node.crm.analytics_actions import WHOLE
from node.crm.mail_compose import Preview, read_draft
from node.crm.mail_model import (
    BODY_MAX,
    PER_MINUTE_MAX,
    SUBJECT_MAX,
    MailCampaign,
    MailStatus,
    RecipientStatus,
)
from node.crm.offers import FACE_MAX, STORES_MAX, Offer
from node.errors import InvalidMail
from node.http import input as body_input
from node.http.caller import api_caller
from node.http.schema_parts import COUNT, MAYBE_TIME, TIME, Schema, obj, op, ref, text, whole
from node.moments import MOMENT_CORE
from node.runtime import NODE, Handler

RECIPIENTS_LIMIT = 100
# A body of BODY_MAX characters, each escaped as \uXXXX (6 bytes) at worst, and the rest.
MAIL_REQUEST_BYTES = 6 * (BODY_MAX + SUBJECT_MAX) + 4096


def mail_json(mail: MailCampaign) -> dict[str, Any]:
    return {
        "mail_id": mail.mail_id,
        "subject": mail.subject,
        "segment": mail.segment_name,
        "status": str(mail.status),
        "send_at": iso(mail.send_at),
        "per_minute": mail.per_minute,
        "created_at": iso(mail.created_at),
        "created_by": mail.created_by,
        "started_at": None if mail.started_at is None else iso(mail.started_at),
        "finished_at": None if mail.finished_at is None else iso(mail.finished_at),
    }


def offer_json(offer: Offer | None) -> dict[str, Any] | None:
    if offer is None:
        return None
    return {
        "face_yen": offer.face_yen,
        "use_until": offer.last_day.isoformat(),
        "expires_at": iso(offer.use_until),
        "stores": list(offer.store_ids),
    }


async def create_mail(request: web.Request) -> web.Response:
    body = await body_input.read_body(
        request,
        {"segment", "subject", "body", "send_at", "per_minute", "offer"},
        MAIL_REQUEST_BYTES,
    )
    mail = await mail_actions.create(
        request.app[NODE],
        body.get("segment"),
        body.get("subject"),
        body.get("body"),
        body.get("send_at"),
        body.get("per_minute"),
        api_caller(request),
        body.get("offer"),
    )
    return web.json_response(mail_json(mail), status=201)


def sample_json(preview: Preview) -> dict[str, Any]:
    made = preview.sample
    content = made.get_body(("plain",))
    return {
        "to": str(made["To"]),
        "from": str(made["From"]),
        "subject": str(made["Subject"]),
        "list_unsubscribe": str(made["List-Unsubscribe"]),
        "list_unsubscribe_post": str(made["List-Unsubscribe-Post"]),
        "text": "" if content is None else str(content.get_content()),
    }


async def preview_mail(request: web.Request) -> web.Response:
    body = await body_input.read_body(
        request,
        {"segment", "subject", "body", "send_at", "offer", "customer_id"},
        MAIL_REQUEST_BYTES,
    )
    node = request.app[NODE]
    draft, _ = await read_draft(
        node, body.get("subject"), body.get("body"), body.get("offer"), body.get("send_at")
    )
    found = await mail_compose.preview(node, body.get("segment"), draft, body.get("customer_id"))
    return web.json_response(
        {
            "members": found.members,
            "without_address": found.without_address,
            "not_consenting": found.not_consenting,
            "recipients": found.recipients,
            "customer_id": found.customer_id,
            "sample": sample_json(found),
        }
    )


async def list_mail(request: web.Request) -> web.Response:
    found = await mail_queries.campaigns(request.app[NODE].require_reader())
    return web.json_response({"mail": [mail_json(m) for m in found]})


def _whole_query(request: web.Request, key: str, default: int, high: int) -> int:
    raw = request.query.get(key)
    if raw is None:
        return default
    if not WHOLE.fullmatch(raw) or int(raw) > high:
        raise InvalidMail(f"`{key}` must be a whole number from 0 to {high}.", field=key)
    return int(raw)


@body_input.accepts_query("limit", "offset")
async def get_mail(request: web.Request) -> web.Response:
    limit = _whole_query(request, "limit", RECIPIENTS_LIMIT, 1000)
    offset = _whole_query(request, "offset", 0, 10**9)
    found = await mail_actions.state(
        request.app[NODE], request.match_info["mail_id"], limit, offset
    )
    counts = {str(s): found.counts.get(str(s), 0) for s in RecipientStatus}
    use = found.offer_use
    return web.json_response(
        mail_json(found.mail)
        | {
            "offer": offer_json(found.offer),
            "coupons": {"issued": use.issued, "used": use.used, "used_yen": use.used_yen},
            "recipients": sum(counts.values()),
            "counts": counts,
            "recipient_rows": [
                {
                    "customer_id": r.customer_id,
                    "address": r.address,
                    "status": str(r.status),
                    "reason": r.reason,
                    "attempts": r.attempts,
                }
                for r in found.recipients
            ],
        }
    )


async def cancel_mail(request: web.Request) -> web.Response:
    mail = await mail_actions.cancel(request.app[NODE], request.match_info["mail_id"])
    return web.json_response(mail_json(mail))


MAIL_ROUTES: tuple[tuple[str, str, Handler], ...] = (
    ("POST", "/api/v1/mail", create_mail),
    ("POST", "/api/v1/mail/drafts/preview", preview_mail),
    ("GET", "/api/v1/mail", list_mail),
    ("GET", "/api/v1/mail/{mail_id}", get_mail),
    ("POST", "/api/v1/mail/{mail_id}/cancel", cancel_mail),
)


def mail_paths() -> dict[str, dict[str, Any]]:
    return {
        "/api/v1/mail": {
            "post": op(
                "Mail a segment's consenting customers, now or at `send_at`, at most"
                " `per_minute` a minute (特定電子メール法: sender, contact and unsubscribe link in"
                " every message), with a coupon for each if `offer` is given",
                ref("Mail"),
                201,
                body="NewMail",
                errors=(404, 409, 422),
            ),
            "get": op("Campaign mail, newest first", ref("MailList")),
        },
        "/api/v1/mail/drafts/preview": {
            "post": op(
                "What a mail to the segment would do now, nothing recorded: how many would"
                " receive it, how many not and why, and the message as one of them reads it",
                ref("MailPreview"),
                body="MailDraft",
                errors=(404, 409, 422),
            )
        },
        "/api/v1/mail/{mail_id}": {
            "get": op(
                "A campaign mail's status: counts by recipient status and one page of recipients",
                ref("MailStatus"),
                params=("mail_id",),
                query={
                    "limit": whole(1, 1000),
                    "offset": whole(0, 10**9),
                },
                errors=(422,),
            )
        },
        "/api/v1/mail/{mail_id}/cancel": {
            "post": op(
                "Cancel a campaign mail that has not started",
                ref("Mail"),
                params=("mail_id",),
                errors=(422,),
            )
        },
    }


def mail_schemas() -> dict[str, Schema]:
    mail = obj(
        [
            "mail_id",
            "subject",
            "segment",
            "status",
            "send_at",
            "per_minute",
            "created_at",
            "created_by",
            "started_at",
            "finished_at",
        ],
        mail_id={"type": "string"},
        subject={"type": "string"},
        segment={"type": "string"},
        status={"type": "string", "enum": [str(s) for s in MailStatus]},
        send_at=TIME,
        per_minute=COUNT,
        created_at=TIME,
        created_by={"type": "string"},
        started_at=MAYBE_TIME,
        finished_at=MAYBE_TIME,
    )
    statuses = [str(s) for s in RecipientStatus]
    draft = draft_schema()
    row = obj(
        ["customer_id", "address", "status", "reason", "attempts"],
        customer_id={"type": "string"},
        address={"type": "string"},
        status={"type": "string", "enum": statuses},
        reason={"type": ["string", "null"]},
        attempts=COUNT,
    )
    status = {
        **mail,
        "required": [
            *mail["required"],
            "offer",
            "coupons",
            "recipients",
            "counts",
            "recipient_rows",
        ],
        "properties": {
            **mail["properties"],
            "offer": {"oneOf": [ref("MailOffer"), {"type": "null"}]},
            "coupons": obj(
                ["issued", "used", "used_yen"], issued=COUNT, used=COUNT, used_yen=COUNT
            ),
            "recipients": COUNT,
            "counts": obj(statuses, **dict.fromkeys(statuses, COUNT)),
            "recipient_rows": {"type": "array", "items": row},
        },
    }
    return {
        "Mail": mail,
        "MailList": obj(["mail"], mail={"type": "array", "items": ref("Mail")}),
        "MailStatus": status,
        "NewMail": obj(
            ["segment", "subject", "body"], **draft, per_minute=whole(1, PER_MINUTE_MAX)
        ),
        "MailDraft": obj(["segment", "subject", "body"], **draft, customer_id=text(60)),
        "OfferIn": obj(
            ["face_yen", "use_until"],
            face_yen=whole(1, FACE_MAX),
            use_until={"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
            stores={"type": "array", "items": text(60), "maxItems": STORES_MAX},
        ),
        "MailOffer": obj(
            ["face_yen", "use_until", "expires_at", "stores"],
            face_yen=COUNT,
            use_until={"type": "string", "format": "date"},
            expires_at=TIME,
            stores={"type": "array", "items": {"type": "string"}},
        ),
        "MailPreview": obj(
            ["members", "without_address", "not_consenting", "recipients", "customer_id", "sample"],
            members=COUNT,
            without_address=COUNT,
            not_consenting=COUNT,
            recipients=COUNT,
            customer_id={"type": ["string", "null"]},
            sample=obj(
                ["to", "from", "subject", "list_unsubscribe", "list_unsubscribe_post", "text"],
                **{
                    key: {"type": "string"}
                    for key in (
                        "to",
                        "from",
                        "subject",
                        "list_unsubscribe",
                        "list_unsubscribe_post",
                        "text",
                    )
                },
            ),
        ),
    }


def draft_schema() -> dict[str, Schema]:
    """A mail's fields as head office types them (NewMail, MailDraft, the test send's body)."""
    return {
        "segment": text(60),
        "subject": {"type": "string", "minLength": 1, "maxLength": SUBJECT_MAX},
        "body": {"type": "string", "minLength": 1, "maxLength": BODY_MAX},
        "send_at": {"type": "string", "pattern": f"^{MOMENT_CORE}$"},
        "offer": ref("OfferIn"),
    }
