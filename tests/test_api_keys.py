"""Integration keys against real nodes on 127.0.0.1: scopes, revocation, restarts, the stored hash,
and `kippu apikey ...` (issue 15, item 8)."""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

import pytest
from click.testing import CliRunner

from cli import main
from tests.conftest import NodeFactory, NodeHandle, RunningNode


async def call(
    node: RunningNode, method: str, path: str, key: str, body: object = None
) -> tuple[int, dict[str, Any]]:
    return await node.call(method, path, body, token=key)


async def admin(node: RunningNode, method: str, path: str, body: object = None) -> dict[str, Any]:
    status, answer = await node.call(method, path, body)
    assert status in (200, 201), answer
    return answer


async def a_voucher_and_code(node: RunningNode) -> tuple[str, str, str]:
    store = await admin(node, "POST", "stores", {"name": "渋谷店"})
    voucher = await admin(node, "POST", "vouchers", {"amount": 10000})
    code = await admin(node, "GET", f"vouchers/{voucher['voucher_id']}/code")
    return store["store_id"], voucher["voucher_id"], code["payload"]


def database_bytes(node: RunningNode) -> bytes:
    path = node.home.database_path
    parts = [path, path.with_name(path.name + "-wal")]
    return b"".join(p.read_bytes() for p in parts if p.exists())


async def test_scopes_revocation_and_restart(
    nodes: NodeFactory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    node = await nodes.start("Sakura")
    store_id, voucher_id, payload = await a_voucher_and_code(node)
    pos = await admin(node, "POST", "apikeys", {"name": "POS 渋谷", "scope": "write"})
    bi = await admin(node, "POST", "apikeys", {"name": "BI", "scope": "read"})
    assert pos["key"].startswith("kippu_ak_") and "key" not in (await admin(node, "GET", "apikeys"))

    redeem = {"payload": payload, "amount": 3000, "store_id": store_id}
    status, spent = await call(node, "POST", "redemptions", pos["key"], redeem)
    assert status == 201 and spent["balance_after"] == 7000, spent

    status, refused = await call(node, "POST", "redemptions", bi["key"], redeem)
    assert (status, refused["error"]["code"]) == (403, "auth.key_read_only")
    status, shown = await call(node, "GET", f"vouchers/{voucher_id}", bi["key"])
    assert status == 200 and shown["balance"] == 7000
    someone = await admin(node, "POST", "customers", {"name": "花子", "email": "h@example.jp"})
    gift = {"to": someone["customer_id"], "amount": 1000}
    for key in (pos["key"], bi["key"]):  # a fresh code, a gift, everyone's email: no key's
        for method, path, body in (
            ("GET", f"vouchers/{voucher_id}/code", None),
            ("POST", f"vouchers/{voucher_id}/gift", gift),
            ("GET", "customers", None),
        ):
            status, refused = await call(node, method, path, key, body)
            assert (status, refused["error"]["code"]) == (403, "auth.key_not_allowed"), path
    assert (await admin(node, "GET", f"vouchers/{voucher_id}"))["balance"] == 7000

    for method, path, body in (
        ("POST", "apikeys", {"name": "mine"}),
        ("GET", "apikeys", None),
        ("GET", "staff", None),
        ("GET", "peers", None),
        ("POST", "stores", {"name": "x"}),
        ("PUT", "admin/password", {"password": "kanri-Sakura-2026"}),
    ):
        status, refused = await call(node, method, path, pos["key"], body)
        assert (status, refused["error"]["code"]) == (403, "auth.key_not_allowed"), path

    forged = pos["key"][:-4] + ("0000" if not pos["key"].endswith("0000") else "1111")
    status, refused = await call(node, "GET", "vouchers", forged)
    assert (status, refused["error"]["code"]) == (401, "auth.key_unknown")

    status, taken = await node.call("POST", "apikeys", {"name": "POS 渋谷"})
    assert (status, taken["error"]["code"]) == (409, "auth.key_name_taken")

    listed = {k["name"]: k for k in (await admin(node, "GET", "apikeys"))["apikeys"]}
    assert listed["POS 渋谷"]["last_used_at"] is not None and listed["BI"]["scope"] == "read"
    assert listed["POS 渋谷"]["prefix"] == f"kippu_{pos['key_id']}_…"

    revoked = await admin(node, "POST", "apikeys/revoke", {"name": "BI"})
    assert revoked["revoked_at"] is not None
    status, refused = await call(node, "GET", "vouchers", bi["key"])
    assert (status, refused["error"]["code"]) == (401, "auth.key_revoked")
    status, missing = await node.call("POST", "apikeys/revoke", {"name": "BI"})
    assert (status, missing["error"]["code"]) == (404, "auth.key_not_found")
    again = await admin(node, "POST", "apikeys", {"name": "BI", "scope": "read"})  # name free

    await node.restart()
    status, _ = await call(node, "GET", "vouchers", pos["key"])
    assert status == 200
    status, refused = await call(node, "GET", "vouchers", bi["key"])
    assert (status, refused["error"]["code"]) == (401, "auth.key_revoked")
    status, _ = await call(node, "GET", "stores", again["key"])
    assert status == 200

    await node.stop()  # everything checkpointed: the file is all there is
    stored = database_bytes(node)
    for made in (pos, bi, again):
        secret = made["key"].rsplit("_", 1)[1]
        assert made["key"].encode() not in stored and secret.encode() not in stored
        assert hashlib.sha256(secret.encode()).digest() in stored
        assert secret not in caplog.text  # never logged, whatever the level


async def test_the_admin_token_still_does_everything(nodes: NodeFactory) -> None:
    node = await nodes.start("Sakura")
    await admin(node, "POST", "apikeys", {"name": "EC"})
    assert (await admin(node, "GET", "apikeys"))["apikeys"][0]["scope"] == "write"
    status, refused = await node.call("POST", "apikeys", {"name": "x", "scope": "admin"})
    assert (status, refused["error"]["code"]) == (400, "request.invalid")
    status, refused = await node.call("POST", "apikeys", {"name": "   "})
    assert status == 400 and refused["error"]["field"] == "name"
    status, refused = await node.call("GET", "vouchers", token="kippu_nonsense")
    assert (status, refused["error"]["code"]) == (401, "auth.key_unknown")


def kippu(node: NodeHandle, *args: str) -> Any:
    return CliRunner().invoke(main, [*args, "--home", str(node.home.root)], catch_exceptions=False)


def test_cli_round_trip(node: NodeHandle) -> None:
    made = kippu(node, "apikey", "create", "--name", "POS 1", "--scope", "read")
    assert made.exit_code == 0, made.output
    key = next(line for line in made.stdout.splitlines() if line.startswith("key: "))[5:]
    assert key.startswith("kippu_ak_") and "only this once" in made.stderr
    status = node.client.__class__(node.base_url, key).get("status")
    assert status["node_id"]

    as_json = kippu(node, "apikey", "create", "--name", "EC", "--json")
    assert json.loads(as_json.stdout)["scope"] == "write"
    taken = kippu(node, "apikey", "create", "--name", "EC")
    assert taken.exit_code == 1 and "auth.key_name_taken" in taken.stderr
    assert taken.stderr.count("\n") == 1

    listing = kippu(node, "apikey", "list")
    assert listing.exit_code == 0 and "POS 1" in listing.stdout and "never" in listing.stdout
    assert key not in listing.stdout and key[-64:] not in listing.stdout
    revoked = kippu(node, "apikey", "revoke", "POS 1")
    assert revoked.exit_code == 0 and "revoked_at: 20" in revoked.stdout
    gone = kippu(node, "apikey", "revoke", "POS 1", "--json")
    assert gone.exit_code == 1
    assert json.loads(gone.stderr)["error"]["code"] == "auth.key_not_found"
    rows = json.loads(kippu(node, "apikey", "list", "--json").stdout)["apikeys"]
    assert [(r["name"], r["revoked_at"] is None) for r in rows] == [("EC", True), ("POS 1", False)]
    assert kippu(node, "apikey", "create", "--name", "x", "--scope", "admin").exit_code == 2
