"""Messages a partner refuses for good are parked, shown, and have defined ways out (real nodes
on 127.0.0.1): re-sign at the same position, drop a parked registration, rewind. The settlement
log stays verifiable through each (docs/protocol.md, "Parked messages"; docs/audit.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from node.errors import known_codes
from node.peering.core import PERMANENT_REFUSALS, TRANSIENT_REFUSALS, partner_text
from node.peering.notes import Note, NoteEvent
from node.runtime import NODE
from node.settlement.audit import log
from node.web.i18n import TEXTS
from tests.audit_helpers import export_bundle, verify
from tests.conftest import NodeFactory, RunningNode, ok
from tests.settlement_helpers import partner, read


async def partner_at(node: RunningNode, other: RunningNode) -> dict[str, Any]:
    for entry in (await ok(node, "GET", "peers"))["peers"]:
        if entry["node_id"] == other.node_id:
            return dict(entry)
    raise AssertionError(f"{other.node_id[:8]} is not listed at {node.node_id[:8]}")


def pings_received(node: RunningNode, sender: RunningNode) -> list[tuple[int, str]]:
    rows = read(
        node,
        "SELECT seq, msg_id FROM inbox WHERE peer = ? AND msg_type = 'ping' ORDER BY seq",
        sender.node_id,
    )
    return [(int(seq), str(msg_id)) for seq, msg_id in rows]


async def test_an_expired_message_is_parked_shown_and_delivered_once_re_signed(
    nodes: NodeFactory, tmp_path: Path
) -> None:
    a, b = await nodes.start("A"), await nodes.start("B")
    await partner(a, b)
    await a.stop()
    first = await ok(b, "POST", f"peers/{a.node_id}/ping")
    await ok(b, "POST", f"peers/{a.node_id}/ping")  # queued behind the first
    assert first["queued_messages"] == 1
    nodes.clock.advance(days=31)  # both pings are past their 30-day window
    await a.restart()
    await ok(b, "POST", "peers/sync")
    [parked] = (await partner_at(b, a))["parked"]
    nodes.clock.advance(hours=2)
    await ok(b, "POST", "peers/sync")  # parked: not retried, whatever the schedule

    shown = await partner_at(b, a)
    assert shown["parked"] == [parked] and shown["queued_messages"] == 2
    assert (parked["msg_type"], parked["code"]) == ("ping", "peer.expired")
    assert pings_received(a, b) == []

    resigned = await ok(b, "POST", f"peers/{a.node_id}/parked/{parked['seq']}/resign")
    assert resigned["parked"] == [] and resigned["queued_messages"] == 0, resigned
    received = pings_received(a, b)
    assert [seq for seq, _ in received] == [parked["seq"], parked["seq"] + 1]
    assert received[0][1] == parked["msg_id"]  # the same message, at the same position
    versions = read(b, "SELECT seq, version FROM outbox_current WHERE msg_type = 'ping'")
    assert sorted(versions) == [(parked["seq"], 2), (parked["seq"] + 1, 2)]

    report = verify(
        [await export_bundle(b, tmp_path / "b.bundle"), await export_bundle(a, tmp_path / "a.b")]
    )
    assert report.ok, report.problems


async def test_resign_drop_and_rewind_need_a_parked_message(nodes: NodeFactory) -> None:
    a, b = await nodes.start("A"), await nodes.start("B")
    await partner(a, b)
    for path, body in (
        (f"peers/{a.node_id}/parked/1/resign", None),
        (f"peers/{a.node_id}/parked/1/drop", None),
        (f"peers/{a.node_id}/rewind", {"from_seq": 1}),
    ):
        status, answer = await b.call("POST", path, body)
        assert status == 409 and answer["error"]["code"] == "peer.not_parked", answer  # type: ignore[index]
    status, answer = await b.call("POST", f"peers/{a.node_id}/parked/0/resign")
    assert status == 400 and answer["error"]["field"] == "seq"  # type: ignore[index]
    status, answer = await b.call("POST", f"peers/{a.node_id}/rewind", {"from_seq": "1"})
    assert status == 400 and answer["error"]["field"] == "from_seq"  # type: ignore[index]


async def test_a_parked_ping_cannot_be_dropped_and_rewind_resends(nodes: NodeFactory) -> None:
    a, b = await nodes.start("A"), await nodes.start("B")
    await partner(a, b)
    await a.stop()
    await ok(b, "POST", f"peers/{a.node_id}/ping")
    nodes.clock.advance(days=31)
    await a.restart()
    await ok(b, "POST", "peers/sync")
    [parked] = (await partner_at(b, a))["parked"]
    status, answer = await b.call("POST", f"peers/{a.node_id}/parked/{parked['seq']}/drop")
    assert status == 409 and answer["error"]["code"] == "peer.drop_not_allowed", answer  # type: ignore[index]
    status, answer = await b.call(
        "POST", f"peers/{a.node_id}/rewind", {"from_seq": parked["seq"] + 1}
    )
    assert status == 400, answer
    # Rewinding resends the very bytes: the partner refuses them again, and they park again.
    rewound = await ok(b, "POST", f"peers/{a.node_id}/rewind", {"from_seq": parked["seq"]})
    [again] = rewound["parked"]
    assert (again["seq"], again["code"]) == (parked["seq"], "peer.expired")
    assert again["attempts"] == parked["attempts"] + 1
    assert pings_received(a, b) == []


async def test_the_verifier_refuses_a_withdrawal_of_an_answered_message(
    nodes: NodeFactory, tmp_path: Path
) -> None:
    """A `message_withdrawn` note may only take back messages the partner never answered: one
    naming an accepted position (here our join, answered ok) is reported at the note's index."""
    a, b = await nodes.start("A"), await nodes.start("B")
    await partner(a, b)
    node = b.runner.app[NODE]  # type: ignore[union-attr]
    now_s = node.now_s()
    note = Note(NoteEvent.MESSAGE_WITHDRAWN, a.node_id, now_s, 1, b"", "by hand")
    index = await node.require_writer().submit(
        lambda conn: log.append_note(conn, node.identity, note)
    )
    report = verify([await export_bundle(b, tmp_path / "b.bundle")])
    reasons = [(p.index, p.reason) for p in report.problems]
    assert (index, "withdraws our message 1 to A, which the partner answered") in reasons
    note = Note(NoteEvent.MESSAGE_WITHDRAWN, a.node_id, now_s, 9, b"", "by hand")
    index = await node.require_writer().submit(
        lambda conn: log.append_note(conn, node.identity, note)
    )
    report = verify([await export_bundle(b, tmp_path / "b2.bundle")])
    assert (index, "a withdrawal names no message of our channel") in [
        (p.index, p.reason) for p in report.problems
    ]


def test_every_permanent_refusal_is_one_of_our_codes_with_console_text() -> None:
    """A parked message is explained in our words: each permanent code is a class of the error
    tree (its docstring), and the console has its Japanese and English text."""
    codes = known_codes()
    for code in PERMANENT_REFUSALS:
        assert code in codes, code
        assert f"pt_parked_code_{code}" in TEXTS, code
    assert not PERMANENT_REFUSALS & TRANSIENT_REFUSALS


def test_a_partners_text_is_made_safe_to_print() -> None:
    assert (
        partner_text("ok \x1b[2Jwiped\nline\u202eevil") == "ok \ufffd[2Jwiped\ufffdline\ufffdevil"
    )
    assert len(partner_text("x" * 2000)) == 500
