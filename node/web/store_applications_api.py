"""Admin API of the store applications (加盟店申込) the office reviews, what `kippu store
applications`, `approve` and `reject` call: list them (of one status), approve one (the store
made, its code given, the applicant mailed) or reject one with a reason (mailed), the same
decisions as the console's (node/web/store_decisions.py), and their part of the OpenAPI document."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from node.campaigns import store_actions
from node.campaigns.bank import AccountType
from node.campaigns.store_model import MAX_REASON, ApplicationStatus, StoreCategory
from node.http import input as body_input
from node.http.schema_parts import Schema, list_of, nullable, obj, op, ref, text
from node.ledger.model import API_ACTOR
from node.runtime import NODE, Handler
from node.web import store_decisions

APPLICATIONS = "/api/v1/store-applications"
APPROVE = APPLICATIONS + "/{application_id}/approve"
REJECT = APPLICATIONS + "/{application_id}/reject"


def _decision_answer(decision: store_decisions.Decision) -> dict[str, Any]:
    answer = store_actions.application_answer(decision.application)
    return {**answer, "store_code": decision.store_code, "mailed": decision.is_mailed}


@body_input.accepts_query("status")
async def list_applications(request: web.Request) -> web.Response:
    status = store_actions.checked_status(body_input.query_text(request, "status"))
    found = await store_actions.applications(request.app[NODE], status)
    answer = [store_actions.application_answer(a) for a in found]
    return web.json_response({"applications": answer})


async def approve(request: web.Request) -> web.Response:
    await body_input.read_body(request, set())
    decision = await store_decisions.approve(
        request.app[NODE], request.match_info["application_id"], API_ACTOR
    )
    return web.json_response(_decision_answer(decision))


async def reject(request: web.Request) -> web.Response:
    body = await body_input.read_body(request, {"reason"})
    reason = body_input.required_text(body, "reason", MAX_REASON)
    decision = await store_decisions.reject(
        request.app[NODE], request.match_info["application_id"], reason, API_ACTOR
    )
    return web.json_response(_decision_answer(decision))


APPLICATION_ROUTES: tuple[tuple[str, str, Handler], ...] = (
    ("GET", APPLICATIONS, list_applications),
    ("POST", APPROVE, approve),
    ("POST", REJECT, reject),
)


def application_paths() -> dict[str, dict[str, Any]]:
    statuses = {"type": "string", "enum": [s.value for s in ApplicationStatus]}
    return {
        APPLICATIONS: {
            "get": op(
                "Store applications (加盟店申込), newest first (500 at most), of one status when given",
                ref("StoreApplications"),
                query={"status": statuses},
            )
        },
        APPROVE: {
            "post": op(
                "Approve a pending application: the store is made (a small local shop when it"
                " asked), its bank account recorded, its store code given, the applicant mailed"
                " (`mailed` false: the mail went to the log). Decided already: 409",
                ref("StoreDecision"),
                params=("application_id",),
                body="Nothing",
                errors=(409,),
            )
        },
        REJECT: {
            "post": op(
                "Reject a pending application with a reason the applicant is mailed. Decided"
                " already: 409",
                ref("StoreDecision"),
                params=("application_id",),
                body="StoreRejection",
                errors=(409, 422),
            )
        },
    }


def application_schemas() -> dict[str, Schema]:
    plain: Schema = {"type": "string"}
    fields: dict[str, Schema] = {
        "application_id": plain,
        "name": plain,
        "address": plain,
        "category": {"type": "string", "enum": [c.value for c in StoreCategory]},
        "wants_local": {"type": "boolean"},
        "email": plain,
        "bank_code": plain,
        "branch_code": plain,
        "account_type": {"type": "string", "enum": [t.value for t in AccountType]},
        "account_number": plain,
        "holder_kana": plain,
        "status": {"type": "string", "enum": [s.value for s in ApplicationStatus]},
        "reason": nullable(plain),
        "applied_at": plain,
        "decided_at": nullable(plain),
        "store_id": nullable(plain),
    }
    decided: dict[str, Schema] = {
        **fields,
        "store_code": nullable(plain),
        "mailed": {"type": "boolean"},
    }
    return {
        "StoreApplication": obj(list(fields), **fields),
        "StoreApplications": list_of("applications", "StoreApplication"),
        "StoreDecision": obj(list(decided), **decided),
        "StoreRejection": obj(
            ["reason"], reason=text(MAX_REASON, "why, as the applicant reads it in the mail")
        ),
    }
