"""Two partner nodes whose homes the last release made (tests/fixtures/prev_release/, by
make_prev_release.py with the code of 24e3534) open with today's code and go on working: they
redeem, settle a statement and export logs that verify offline."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from node.config import ListenAddress, render_config
from node.demo import free_port
from node.home import NodeHome
from node.server import load_node, start
from tests.audit_helpers import export_bundle, verify
from tests.conftest import (
    START,
    TEST_REGISTRATION,
    FakeClock,
    NodeFactory,
    RunningNode,
    SeededRandomness,
    ok,
)
from tests.settlement_helpers import (
    balance_with,
    deliver,
    propose,
    quiesce,
    redeem,
    voucher_of,
)

PREV_RELEASE = Path(__file__).parent / "fixtures" / "prev_release"
NAMES = {"a": "Izakaya A", "b": "Trattoria B"}


def _node_id(path: Path) -> str:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return str(conn.execute("SELECT node_id FROM node_identity").fetchone()[0])
    finally:
        conn.close()


def _copy_homes(root: Path) -> dict[str, tuple[NodeHome, int]]:
    """The released homes at fresh ports: each partner's address updated, as an admin does when
    a partner moves (the ports of the run that made them are long gone)."""
    homes = {}
    for key, name in NAMES.items():
        home = NodeHome(root / key)
        shutil.copytree(PREV_RELEASE / key, home.root, ignore=shutil.ignore_patterns("*.db-*"))
        # git keeps no file modes but the executable bit: a clone has these 0644, as `kippu
        # init` never leaves them, so they are set as the release left them.
        home.root.chmod(0o700)
        for secret in home.root.iterdir():
            secret.chmod(0o600)
        port = free_port()
        home.config_path.write_text(
            render_config(
                name, ListenAddress("127.0.0.1", port), registration_number=TEST_REGISTRATION
            ),
            encoding="utf-8",
        )
        homes[key] = (home, port)
    for key, (home, _) in homes.items():
        other = "b" if key == "a" else "a"
        other_home, other_port = homes[other]
        conn = sqlite3.connect(home.database_path)
        with conn:
            conn.execute(
                "UPDATE peers SET url = ? WHERE node_id = ?",
                (f"http://127.0.0.1:{other_port}", _node_id(other_home.database_path)),
            )
        conn.close()
    return homes


async def _start(nodes: NodeFactory, home: NodeHome, port: int, clock: FakeClock) -> RunningNode:
    node = load_node(home, clock, SeededRandomness(port + 7_000_000))
    runner, _ = await start(node, "127.0.0.1", port)
    running = RunningNode(
        f"http://127.0.0.1:{port}",
        node.admin_token,
        clock,
        nodes.session,  # type: ignore[arg-type]
        home,
        node.identity.node_id,
        node.identity.fingerprint,
        port,
        runner,
    )
    nodes.nodes.append(running)  # stopped by the fixture
    return running


async def test_homes_of_the_last_release_open_redeem_settle_and_verify(
    nodes: NodeFactory, tmp_path: Path
) -> None:
    homes = _copy_homes(tmp_path / "homes")
    nodes.clock.set(START.replace(day=START.day + 2))  # after everything the release wrote
    a = await _start(nodes, *homes["a"], nodes.clock)
    b = await _start(nodes, *homes["b"], nodes.clock)

    before = await balance_with(b, a)
    assert before["receivable"] > 0, before  # the release's claim after its statement
    (store_a,) = [s["store_id"] for s in (await ok(a, "GET", "stores"))["stores"]]
    (store_b,) = [s["store_id"] for s in (await ok(b, "GET", "stores"))["stores"]]
    claims = (await ok(b, "GET", "settlement/claims"))["claims"]
    assert len(claims) == 4, claims

    local = await voucher_of(a, 2000)
    status, answer = await redeem(a, a, local, 500, store_a)
    assert status == 201, answer
    status, answer = await redeem(b, a, await voucher_of(a, 3000), 300, store_b)
    assert status == 201 and answer["status"] == "accepted", answer

    status, proposed = await propose(b, a)
    assert status == 201 and proposed["status"] == "agreed", proposed
    sid = proposed["statement_id"]
    payer, payee = (a, b) if proposed["payer"] == a.node_id else (b, a)
    await ok(payer, "POST", f"settlement/statements/{sid}/pay", {"reference": "BANK-2"})
    confirmed = await ok(payee, "POST", f"settlement/statements/{sid}/confirm", {})
    assert confirmed["status"] == "cleared"
    await deliver(nodes.clock, a, b)
    await quiesce([a, b], "after the upgrade")
    assert (await balance_with(b, a))["receivable"] == 0

    paths = [await export_bundle(n, tmp_path / f"{n.node_id}.kippu-audit") for n in (a, b)]
    report = verify(paths, {"A": a.node_id, "B": b.node_id})
    assert report.ok, report.to_json()["problems"]
    [pair] = report.pairs
    assert pair.claims_matched >= 5
