"""The OpenAPI document describes exactly the operations the router serves under /api/v1/."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

from node.api.openapi import openapi_document
from node.app import create_app
from node.server import load_node
from tests.conftest import FakeClock, SeededRandomness, make_home


def _served(app: web.Application) -> set[tuple[str, str]]:
    """(method, path template) of every route the app registers under /api/v1/."""
    served = set()
    for route in app.router.routes():
        info = route.resource.get_info() if route.resource is not None else {}
        template = str(info.get("formatter") or info.get("path") or "")
        if template.startswith("/api/v1/") and route.method != "HEAD":
            served.add((route.method, template))
    return served


def test_every_api_route_is_documented_and_every_documented_route_served(tmp_path: Path) -> None:
    home = make_home(tmp_path / "node")
    app = create_app(load_node(home, FakeClock(), SeededRandomness()))
    document = openapi_document("http://127.0.0.1:8470")
    described = {(m.upper(), p) for p, ops in document["paths"].items() for m in ops}
    served = _served(app)
    assert served, "the router serves no /api/v1/ route: the test reads it wrongly"
    assert served - described == set(), "served but not in the OpenAPI document"
    assert described - served == set(), "in the OpenAPI document but not served"


def test_every_operation_documents_its_errors_and_no_default() -> None:
    document = openapi_document("http://127.0.0.1:8470")
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            statuses = set(operation["responses"])
            assert "default" not in statuses, (method, path)
            assert "500" in statuses, (method, path)
            if operation.get("security") != []:
                assert "401" in statuses, (method, path)
            for status, answer in operation["responses"].items():
                schema = answer.get("content", {}).get("application/json", {}).get("schema")
                assert schema != {"type": "object"}, (method, path, status)
