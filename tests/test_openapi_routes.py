"""The OpenAPI document describes exactly the operations the router serves under /api/v1/."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

from node.api import routes
from node.api.openapi import openapi_document
from node.app import create_app
from node.server import load_node, start
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


def test_every_operation_documents_503_for_the_connection_cap_and_storage() -> None:
    """The connection guard answers 503 server.too_many_connections before any routing, so any
    operation can meet it; an operation that writes can meet storage.* too."""
    document = openapi_document("http://127.0.0.1:8470")
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            answer = operation["responses"].get("503")
            assert answer is not None, (method, path)
            assert "server.too_many_connections" in answer["description"], (method, path)
            assert "storage.*" in answer["description"], (method, path)


CROWDED = "127.0.0.3"  # a client address that already holds its one allowed connection


async def test_the_503_answers_a_real_node_gives_are_in_the_document(tmp_path: Path) -> None:
    home = make_home(tmp_path / "node")
    text = home.config_path.read_text(encoding="utf-8")
    capped, found = re.subn(
        r"^max_connections_per_address = .*$", "max_connections_per_address = 1", text, flags=re.M
    )
    assert found == 1
    home.config_path.write_text(capped, encoding="utf-8")
    node = load_node(home, FakeClock(), SeededRandomness())
    runner, port = await start(node, "127.0.0.1", 0)
    api = f"http://127.0.0.1:{port}/api/v1"
    documented = openapi_document(api)["paths"]
    answers: list[tuple[str, str, int, str]] = []
    try:
        await node.require_writer().submit(lambda conn: conn.execute("PRAGMA query_only = ON"))
        headers = {"Authorization": f"Bearer {node.admin_token}"}
        async with aiohttp.ClientSession(headers=headers) as session:
            for path, body in (("/stores", {"name": "本店"}), ("/peers/invite", {})):
                async with session.post(f"{api}{path}", json=body) as reply:
                    code = (await reply.json())["error"]["code"]
                    answers.append(("post", f"/api/v1{path}", reply.status, code))
        _, holder = await asyncio.open_connection("127.0.0.1", port, local_addr=(CROWDED, 0))
        try:
            connector = aiohttp.TCPConnector(local_addr=(CROWDED, 0))
            async with (
                aiohttp.ClientSession(connector=connector, headers=headers) as session,
                session.get(f"{api}/redemptions") as reply,
            ):
                code = (await reply.json())["error"]["code"]
                answers.append(("get", "/api/v1/redemptions", reply.status, code))
        finally:
            holder.close()
            await holder.wait_closed()
    finally:
        await runner.cleanup()
    assert [(status, code) for _, _, status, code in answers] == [
        (503, "storage.read_only"),
        (503, "storage.read_only"),
        (503, "server.too_many_connections"),
    ]
    for method, path, status, _ in answers:
        assert str(status) in documented[path][method]["responses"], (method, path)


def test_a_route_added_twice_stops_the_node_from_starting() -> None:
    async def handler(request: web.Request) -> web.Response:
        return web.Response()

    table = [("GET", "/api/v1/x", handler), ("POST", "/api/v1/x", handler)]
    routes._require_distinct(table)  # the same path by another method is a distinct route
    with pytest.raises(ValueError, match="GET /api/v1/x is registered twice"):
        routes._require_distinct([*table, ("GET", "/api/v1/x", handler)])
