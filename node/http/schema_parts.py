"""Building blocks of the admin API's OpenAPI document, each stating exactly what the server takes.

The contract the document keeps (and tests/test_openapi_schemathesis.py holds it to): a request
the document allows is never answered 400; a request it forbids is never answered 2xx. What the
server refuses for a reason JSON Schema cannot state (a price above the face value, a password of
too few different characters, text that is no voucher code) is answered 422, never 400.
"""

from __future__ import annotations

from typing import Any

from node.http.input import MAX_AMOUNT_YEN, MAX_TEXT_CHARS
from node.text import printable_class, printable_pattern, spaces, trimmed_pattern

Schema = dict[str, Any]

TIME: Schema = {"type": "string", "format": "date-time", "description": "UTC, ISO 8601, with Z"}
MAYBE_TIME: Schema = {"type": ["string", "null"], "format": "date-time"}
COUNT: Schema = {"type": "integer", "minimum": 0}
SIGNED_YEN: Schema = {"type": "integer", "description": "whole yen"}
YEN0: Schema = {"type": "integer", "minimum": 0, "description": "whole yen"}
ID: Schema = {"type": "string", "minLength": 1}
PATH_ID: Schema = {"type": "string", "minLength": 1}
# Path parameters the router itself narrows (node/api/routes.py), so /vouchers/expire is no voucher.
PATH_SCHEMAS: dict[str, Schema] = {"voucher_id": {"type": "string", "pattern": "^[0-9]+$"}}


def text(max_chars: int = MAX_TEXT_CHARS, description: str | None = None) -> Schema:
    """Printable text (node/text.py), trimmed of spaces by the server, not empty once trimmed."""
    schema: Schema = {
        "type": "string",
        "minLength": 1,
        "maxLength": max_chars,
        "pattern": printable_pattern(),
    }
    if description:
        schema["description"] = description
    return schema


def text_matching(core: str, max_chars: int = MAX_TEXT_CHARS, description: str = "") -> Schema:
    """Printable text whose trimmed value matches the regular expression `core` whole."""
    schema = {**text(max_chars, description or None), "pattern": trimmed_pattern(core)}
    return schema


def email() -> Schema:
    """What the server takes as an email address: something@domain.with.a.dot, no spaces inside."""
    local = printable_class("@" + spaces())
    domain = printable_class(spaces())
    return text_matching(f"{local}+@{domain}*\\.{domain}*", description="an email address")


def yen(minimum: int = 1, maximum: int = MAX_AMOUNT_YEN) -> Schema:
    """A whole number of yen. JSON counts 326.0 as the integer 326, and so does the server."""
    return {"type": "integer", "minimum": minimum, "maximum": maximum, "description": "whole yen"}


def whole(minimum: int, maximum: int) -> Schema:
    return {"type": "integer", "minimum": minimum, "maximum": maximum}


def nullable(schema: Schema) -> Schema:
    """The same, or null (which the server reads as "not given")."""
    if "$ref" in schema:
        return {"oneOf": [schema, {"type": "null"}]}
    kind = schema["type"]
    return {**schema, "type": [*(kind if isinstance(kind, list) else [kind]), "null"]}


def obj(required: list[str], **props: Any) -> Schema:
    """A JSON object with exactly these fields (extra fields are refused or never sent)."""
    return {
        "type": "object",
        "required": required,
        "properties": props,
        "additionalProperties": False,
    }


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def list_of(key: str, item: str) -> Schema:
    return obj([key], **{key: {"type": "array", "items": ref(item)}})


ERRORS = {
    400: "the request does not match this document (request.*)",
    401: "no admin token or integration key, a wrong one, or a revoked key (auth.*)",
    403: "a partner refused, or this node is not allowed to do this (peer.*)",
    404: "no such record (*.not_found)",
    409: "the record's state does not allow it (ledger.*, peer.*, settlement.*, audit.*, refund.*)",
    422: "the request matches this document but breaks a rule it cannot state",
    500: "internal error: logged by the node, nothing of it is shown",
    502: "a server the node relies on (the SMTP server) refused or could not be reached;"
    " nothing was recorded (mail.not_sent)",
    # Every operation lists 503: the connection guard answers it before any routing, whatever
    # the route (node/connections.py), so a client can meet it on any of them.
    503: "the node cannot do this now; nothing was changed, try again later. On any operation: "
    "server.too_many_connections (this client address, or the node, has too many connections "
    "open; answered before the request is read, then the connection is closed). On an "
    "operation that writes: storage.* (the database is full, read-only, locked by another "
    "program or failing: the admin must act, see docs/operations.md). Also receipt.unavailable "
    "(no Japanese font for receipt PDFs)",
}


def op(
    summary: str,
    response: Schema | None,
    status: int = 200,
    *,
    body: str | None = None,
    params: tuple[str, ...] = (),
    query: dict[str, Schema] | None = None,
    errors: tuple[int, ...] = (),
    also: dict[int, Schema] | None = None,
    links: dict[str, Any] | None = None,
    public: bool = False,
) -> dict[str, Any]:
    """One operation: its success answer, every error status it can answer, its inputs."""
    success: dict[str, Any] = {"description": "success"}
    if response is not None:
        success["content"] = {"application/json": {"schema": response}}
    if links:
        success["links"] = links
    responses: dict[str, Any] = {str(status): success}
    for extra_status, schema in (also or {}).items():
        responses[str(extra_status)] = {
            "description": "accepted, still pending",
            "content": {"application/json": {"schema": schema}},
        }
    statuses = set(errors) | {500, 503}  # 503: see ERRORS
    if not public:
        statuses.add(401)
    if body is not None or query or params:
        statuses.add(400)
    if params:
        statuses.add(404)
    for code in sorted(statuses):
        responses[str(code)] = {
            "description": ERRORS[code],
            "content": {"application/json": {"schema": ref("Error")}},
        }
    operation: dict[str, Any] = {"summary": summary, "responses": responses}
    parameters = [
        {"name": p, "in": "path", "required": True, "schema": PATH_SCHEMAS.get(p, PATH_ID)}
        for p in params
    ]
    parameters += [
        {"name": name, "in": "query", "required": False, "schema": schema}
        for name, schema in (query or {}).items()
    ]
    if parameters:
        operation["parameters"] = parameters
    if public:
        operation["security"] = []
    if body is not None:
        operation["requestBody"] = {
            "required": body not in OPTIONAL_BODIES,
            "content": {"application/json": {"schema": ref(body)}},
        }
    return operation


# Bodies whose every field is optional: the server reads a missing body as {}.
OPTIONAL_BODIES = frozenset(
    {"Invite", "Resolve", "Nothing", "RefundVoucher", "SetProgram", "ProfileIn"}
)

ERROR_SCHEMA: Schema = {
    "type": "object",
    "required": ["error"],
    "additionalProperties": False,
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string", "pattern": "^[a-z_]+\\.[a-z_]+$"},
                "message": {"type": "string", "minLength": 1},
                "field": {"type": "string"},
            },
            "description": "code and message, and details such as the field at fault",
        }
    },
}
