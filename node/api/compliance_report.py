"""Admin API for the 基準日 report (資金決済法): `GET /api/v1/compliance/report?date=&format=`,
as JSON, CSV or the PDF laid out like the 報告書; and its part of the OpenAPI document."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from node.compliance.reference_date import parse_reference_date
from node.compliance.report_actions import reference_date_report
from node.errors import ValidationError
from node.http import input as body_input
from node.http.schema_parts import COUNT, TIME, YEN0, Schema, obj, op, ref
from node.runtime import NODE, Handler
from node.web.report_download import FORMATS, report_response, requested_format

DATE_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


@body_input.accepts_query("date", "format")
async def compliance_report(request: web.Request) -> web.Response:
    node = request.app[NODE]
    text = request.query.get("date")
    if text is None:
        raise ValidationError("Give the 基準日 as `date`, e.g. 2027-03-31.", field="date")
    fmt = requested_format(request.query.get("format"))
    report = await reference_date_report(node, parse_reference_date(text))
    return await report_response(node, report, fmt)


REPORT_ROUTES: tuple[tuple[str, str, Handler], ...] = (
    ("GET", "/api/v1/compliance/report", compliance_report),
)


def report_paths() -> dict[str, dict[str, Any]]:
    operation = op(
        "The 基準日 report (資金決済法): 基準日未使用残高, issued, collected, deposit, deadline",
        ref("ComplianceReport"),
        query={"format": {"type": "string", "enum": list(FORMATS), "default": "json"}},
        errors=(422,),
    )
    operation["parameters"].insert(
        0,
        {
            "name": "date",
            "in": "query",
            "required": True,
            "description": "the 基準日: 31 March or 30 September (else 422)",
            "schema": {"type": "string", "pattern": DATE_PATTERN},
        },
    )
    content = operation["responses"]["200"]["content"]
    content["text/csv"] = {"schema": {"type": "string"}}
    content["application/pdf"] = {"schema": {"type": "string", "format": "binary"}}
    return {"/api/v1/compliance/report": {"get": operation}}


def _figures(class_schema: Schema) -> Schema:
    names = (
        "opening",
        "issued",
        "collected",
        "used_here",
        "used_by_partners",
        "refunded",
        "expired",
        "moved",
        "closing",
    )
    signed = {"type": "integer", "description": "whole yen"}
    return obj(["class", *names], **{"class": class_schema}, **{n: signed for n in names})


def report_schemas() -> dict[str, Schema]:
    day = {"type": "string", "format": "date"}
    classes = {"type": "string", "enum": ["own", "third_party", "exempt", "free"]}
    fields: dict[str, Schema] = {
        "issuer": {"type": "string"},
        "reference_date": day,
        "previous_date": day,
        "period_start": TIME,
        "period_end": TIME,
        "filing_deadline": day,
        "final": {"type": "boolean"},
        "computed_at": TIME,
        "unused": YEN0,
        "issued": {"type": "integer"},
        "collected": {"type": "integer"},
        "threshold": YEN0,
        "passes_threshold": {"type": "boolean"},
        "deposit_required": YEN0,
        "filing_required": {"type": "boolean"},
        "third_party": {"type": "boolean"},
        "acceptance": obj(
            [
                "basis",
                "active_partners",
                "unrelated_partners",
                "changed_after_reference_date",
                "last_partner_change",
            ],
            basis={"type": "string", "enum": ["today"]},
            active_partners=COUNT,
            unrelated_partners=COUNT,
            changed_after_reference_date={"type": "boolean"},
            last_partner_change={"type": ["string", "null"], "format": "date-time"},
        ),
        "classes": {"type": "array", "items": _figures(classes)},
        "under_act": _figures({"type": "string", "enum": ["under_act"]}),
    }
    return {"ComplianceReport": obj(list(fields), **fields)}
