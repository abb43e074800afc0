"""Admin API for segments and consents: `GET|POST /api/v1/segments`, `GET|DELETE
/api/v1/segments/{name}`, `GET|POST /api/v1/customers/{customer_id}/consent`; and their part
of the OpenAPI document."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from node.clock import iso
from node.crm import consent_actions, data_actions, profile_actions, segment_actions
from node.crm.consents import WORDING_MAX, ConsentEvent, ConsentMethod
from node.crm.profiles import (
    FIELDS,
    GENDERS,
    GREETING_MAX,
    NOTES_MAX,
    TAGS_MAX,
    Profile,
    profile_fields,
)
from node.crm.rfm_classes import RfmClass
from node.crm.segments import NAME_MAX, TAG_MAX, Segment, filters_json
from node.http import input as body_input
from node.http.caller import api_caller
from node.http.schema_parts import COUNT, TIME, Schema, obj, op, ref, text, whole
from node.runtime import NODE, Handler

DAY: Schema = {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}


async def segment_json(request: web.Request, segment: Segment) -> dict[str, Any]:
    return {
        "name": segment.name,
        "filters": filters_json(segment.filters),
        "customers": await segment_actions.count(request.app[NODE], segment.filters),
    }


async def list_segments(request: web.Request) -> web.Response:
    found = await segment_actions.listed(request.app[NODE])
    return web.json_response({"segments": [await segment_json(request, s) for s in found]})


async def create_segment(request: web.Request) -> web.Response:
    body = await body_input.read_body(request, {"name", "filters"})
    segment = await segment_actions.create(
        request.app[NODE], body.get("name"), body.get("filters", {}), api_caller(request)
    )
    return web.json_response(await segment_json(request, segment), status=201)


async def get_segment(request: web.Request) -> web.Response:
    segment = await segment_actions.named(request.app[NODE], request.match_info["name"])
    return web.json_response(await segment_json(request, segment))


async def delete_segment(request: web.Request) -> web.Response:
    name = request.match_info["name"]
    await segment_actions.delete(request.app[NODE], name)
    return web.json_response({"name": name, "deleted": True})


def consent_json(event: ConsentEvent) -> dict[str, Any]:
    return {
        "marketing": event.is_granted,
        "address": event.address,
        "method": str(event.method),
        "wording": event.wording,
        "actor": event.actor,
        "recorded_at": iso(event.recorded_at),
    }


async def get_consent(request: web.Request) -> web.Response:
    customer_id = request.match_info["customer_id"]
    history = await consent_actions.history(request.app[NODE], customer_id)
    return web.json_response(
        {
            "customer_id": customer_id,
            "marketing": bool(history) and history[-1].is_granted,
            "history": [consent_json(e) for e in history],
        }
    )


async def record_consent(request: web.Request) -> web.Response:
    body = await body_input.read_body(request, {"marketing", "wording", "via"})
    method = ConsentMethod.CLI if body.get("via") == "cli" else ConsentMethod.API
    event = await consent_actions.record(
        request.app[NODE],
        request.match_info["customer_id"],
        body.get("marketing"),
        body.get("wording"),
        method,
        api_caller(request),
    )
    return web.json_response({"customer_id": event.customer_id, **consent_json(event)}, status=201)


def profile_json(profile: Profile) -> dict[str, Any]:
    return {"customer_id": profile.customer_id, **profile_fields(profile)}


async def get_profile(request: web.Request) -> web.Response:
    found = await profile_actions.shown(request.app[NODE], request.match_info["customer_id"])
    return web.json_response(profile_json(found))


async def put_profile(request: web.Request) -> web.Response:
    body = await body_input.read_body(request, set(FIELDS))
    saved = await profile_actions.save(
        request.app[NODE], request.match_info["customer_id"], body, api_caller(request)
    )
    return web.json_response(profile_json(saved))


async def get_data(request: web.Request) -> web.Response:
    found = await data_actions.customer_data(request.app[NODE], request.match_info["customer_id"])
    return web.json_response(found)


CRM_ROUTES: tuple[tuple[str, str, Handler], ...] = (
    ("GET", "/api/v1/customers/{customer_id}/data", get_data),
    ("GET", "/api/v1/customers/{customer_id}/profile", get_profile),
    ("PUT", "/api/v1/customers/{customer_id}/profile", put_profile),
    ("GET", "/api/v1/segments", list_segments),
    ("POST", "/api/v1/segments", create_segment),
    ("GET", "/api/v1/segments/{name}", get_segment),
    ("DELETE", "/api/v1/segments/{name}", delete_segment),
    ("GET", "/api/v1/customers/{customer_id}/consent", get_consent),
    ("POST", "/api/v1/customers/{customer_id}/consent", record_consent),
)


def crm_paths() -> dict[str, dict[str, Any]]:
    return {
        "/api/v1/segments": {
            "get": op(
                "Every saved segment with its live count, the built-in `all` first",
                ref("Segments"),
            ),
            "post": op(
                "Save a segment: a name and filters (every filter given must hold)",
                ref("Segment"),
                201,
                body="NewSegment",
                errors=(409, 422),
            ),
        },
        "/api/v1/segments/{name}": {
            "get": op("One segment with its live count", ref("Segment"), params=("name",)),
            "delete": op(
                "Delete a saved segment (mail already sent to it keeps its recipients)",
                ref("SegmentDeleted"),
                params=("name",),
            ),
        },
        "/api/v1/customers/{customer_id}/data": {
            "get": op(
                "Everything the node keeps about the customer, to hand over on request"
                " (個人情報保護法: 開示): registration, profile, consents, vouchers, points, mail",
                ref("CustomerData"),
                params=("customer_id",),
            )
        },
        "/api/v1/customers/{customer_id}/profile": {
            "get": op(
                "The customer's profile: kana, phone, birthday, postcode, gender, head office's"
                " notes, the counter's greeting note, tags",
                ref("Profile"),
                params=("customer_id",),
            ),
            "put": op(
                "Replace the customer's profile (a field left out or empty is cleared)",
                ref("Profile"),
                body="ProfileIn",
                params=("customer_id",),
                errors=(422,),
            ),
        },
        "/api/v1/customers/{customer_id}/consent": {
            "get": op(
                "The customer's consent to marketing mail now, and every consent event kept"
                " (特定電子メール法 3条2項)",
                ref("Consents"),
                params=("customer_id",),
            ),
            "post": op(
                "Record the customer's consent to marketing mail, given or withdrawn, with the"
                " wording they were shown",
                ref("ConsentRecorded"),
                201,
                body="NewConsent",
                params=("customer_id",),
                errors=(422,),
            ),
        },
    }


def filters_schema() -> Schema:
    yen = {"type": "integer", "minimum": 0, "maximum": 10**12}
    return {
        "type": "object",
        "additionalProperties": False,
        "description": "every filter given must hold (docs/operations.md, セグメント)",
        "properties": {
            "has_active_voucher": {"type": "boolean"},
            "balance_min": yen,
            "balance_max": yen,
            "rank": text(40),
            "rfm_class": {"type": "string", "enum": [str(c) for c in RfmClass]},
            "last_visit_before": DAY,
            "last_visit_after": DAY,
            "stores_visited": {
                "type": "array",
                "items": text(64),
                "minItems": 1,
                "maxItems": 100,
            },
            "spend_min": yen,
            "spend_max": yen,
            "spend_from": DAY,
            "spend_to": DAY,
            "birthday_month": whole(1, 12),
            "points_expiring_within_days": whole(1, 3660),
            "marketing_consent": {"type": "boolean"},
            "tag": text(TAG_MAX),
        },
    }


def crm_schemas() -> dict[str, Schema]:
    segment = obj(
        ["name", "filters", "customers"],
        name={"type": "string"},
        filters=filters_schema(),
        customers=COUNT,
    )
    event = obj(
        ["marketing", "address", "method", "wording", "actor", "recorded_at"],
        marketing={"type": "boolean"},
        address={"type": ["string", "null"]},
        method={"type": "string", "enum": [str(m) for m in ConsentMethod]},
        wording={"type": "string"},
        actor={"type": "string"},
        recorded_at=TIME,
    )
    maybe = {"type": ["string", "null"]}
    profile_out = obj(
        [*FIELDS, "customer_id"],
        customer_id={"type": "string"},
        kana=maybe,
        phone=maybe,
        birthday=maybe,
        postcode=maybe,
        gender={"type": ["string", "null"], "enum": [*GENDERS, None]},
        notes=maybe,
        greeting=maybe,
        tags={"type": "array", "items": {"type": "string"}},
    )
    text_in = {"type": ["string", "null"], "maxLength": NOTES_MAX}
    profile_in = obj(
        [],
        kana={"type": ["string", "null"], "maxLength": 80},
        phone={"type": ["string", "null"], "maxLength": 20},
        birthday={"type": ["string", "null"], "maxLength": 10},
        postcode={"type": ["string", "null"], "maxLength": 10},
        gender={"type": ["string", "null"], "enum": [*GENDERS, "", None]},
        notes=text_in,
        greeting={"type": ["string", "null"], "maxLength": GREETING_MAX},
        tags={
            "type": ["array", "null"],
            "items": {"type": "string", "maxLength": TAG_MAX},
            "maxItems": TAGS_MAX,
        },
    )
    maybe_time = {"type": ["string", "null"], "format": "date-time"}
    customer_data = obj(
        ["exported_at", "customer", "profile", "consents", "vouchers", "points", "mail"],
        exported_at=TIME,
        customer=obj(
            ["customer_id", "name", "email", "registered_at"],
            customer_id={"type": "string"},
            name={"type": "string"},
            email=maybe,
            registered_at=TIME,
        ),
        profile=obj(
            list(FIELDS),
            **{k: v for k, v in profile_out["properties"].items() if k != "customer_id"},
        ),
        consents={
            "type": "array",
            "items": obj(
                ["marketing", "address", "method", "wording", "recorded_at"],
                marketing={"type": "boolean"},
                address=maybe,
                method={"type": "string", "enum": [str(m) for m in ConsentMethod]},
                wording={"type": "string"},
                recorded_at=TIME,
            ),
        },
        vouchers={
            "type": "array",
            "items": obj(
                [
                    "voucher_id",
                    "face_yen",
                    "price_yen",
                    "balance_yen",
                    "status",
                    "bought_at",
                    "expires_at",
                ],
                voucher_id={"type": "string"},
                face_yen=COUNT,
                price_yen=COUNT,
                balance_yen=COUNT,
                status={"type": "string"},
                bought_at=TIME,
                expires_at=maybe_time,
            ),
        },
        points=obj(["member_no", "points"], member_no=maybe, points=COUNT),
        mail={
            "type": "array",
            "items": obj(
                ["subject", "status", "at"],
                subject={"type": "string"},
                status={"type": "string"},
                at=TIME,
            ),
        },
    )
    return {
        "CustomerData": customer_data,
        "Profile": profile_out,
        "ProfileIn": profile_in,
        "Segment": segment,
        "Segments": obj(["segments"], segments={"type": "array", "items": ref("Segment")}),
        "NewSegment": obj(["name"], name=text(NAME_MAX), filters=filters_schema()),
        "SegmentDeleted": obj(
            ["name", "deleted"], name={"type": "string"}, deleted={"type": "boolean"}
        ),
        "Consents": obj(
            ["customer_id", "marketing", "history"],
            customer_id={"type": "string"},
            marketing={"type": "boolean"},
            history={"type": "array", "items": event},
        ),
        "ConsentRecorded": {
            **event,
            "required": ["customer_id", *event["required"]],
            "properties": {"customer_id": {"type": "string"}, **event["properties"]},
        },
        "NewConsent": obj(
            ["marketing"],
            marketing={"type": "boolean"},
            wording={"type": "string", "minLength": 1, "maxLength": WORDING_MAX},
            via={"type": "string", "enum": ["api", "cli"]},
        ),
    }
