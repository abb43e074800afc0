"""Every content rule of docs/audit.md section 7 is checked: an entry that breaks one, correctly
signed by the node whose entry it is, is reported at its index with the rule broken.

tests/test_audit_mutations.py alters bytes, so signatures fail; here each altered entry is signed
again with the real key of its signer (taken from the node's home), as a node that wrote a false
log, or a partner that sent a bad message we should have refused, would. One bundle is built
once: Trattoria B's, after three real nodes settle a month, B pings A, suspends and resumes C.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import msgpack
import pytest
from nacl.signing import SigningKey

from node.identity import load_identity
from node.peering import partner_stores
from node.peering.envelope import pack, seal
from node.peering.messages import MESSAGE_LIFETIME_S
from node.settlement import core, protocol
from node.settlement.messages import StatementMessage
from node.verifier import rules
from tests.audit_helpers import export_bundle, settle_a_month, verify
from tests.conftest import NodeFactory, ok
from tests.settlement_helpers import deliver, post_peer, quiesce, read, two_partners

Entries = tuple[tuple[int, bytes], ...]


@dataclass(frozen=True)
class Bundle:
    header: bytes
    checkpoints: bytes
    entries: Entries
    keys: dict[str, SigningKey]  # node id -> its signing key (no node here rotated)
    origin: str


def _parse(data: bytes, keys: dict[str, SigningKey], origin: str) -> Bundle:
    unpacker = msgpack.Unpacker(raw=False, strict_map_key=True)
    unpacker.feed(data)
    header = next(unpacker)
    head_end = unpacker.tell()
    for _ in range(header["checkpoints"]):
        next(unpacker)
    body_start = unpacker.tell()
    entries = tuple((int(i), bytes(e)) for i, e in unpacker)
    return Bundle(data[:head_end], data[head_end:body_start], entries, keys, origin)


async def _build(root: Path) -> Bundle:
    async with aiohttp.ClientSession() as session:
        factory = NodeFactory(root, session)
        try:
            a, b, c = await settle_a_month(factory)
            await ok(b, "POST", f"peers/{a.node_id}/ping", {})
            await ok(b, "POST", f"peers/{c.node_id}/suspend", {})
            await ok(b, "POST", f"peers/{c.node_id}/resume", {})
            await deliver(factory.clock, b)
            await quiesce([a, b, c], "after the ping")
            path = await export_bundle(b, root / "b.bundle")
            keys = {n.node_id: load_identity(n.home.key_path).signing_key for n in (a, b, c)}
            return _parse(path.read_bytes(), keys, b.node_id)
        finally:
            for running in factory.nodes:
                await running.stop()


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Bundle:
    return asyncio.run(_build(tmp_path_factory.mktemp("rules")))


# -- reading and re-signing entries, with msgpack directly ---------------------------------------


def outer(raw: bytes) -> dict[str, Any]:
    value: dict[str, Any] = msgpack.unpackb(raw, raw=False)
    return value


def body(raw: bytes) -> dict[str, Any]:
    value: dict[str, Any] = msgpack.unpackb(outer(raw)["body"], raw=False)
    return value


def resigned(bundle: Bundle, raw: bytes, new_body: bytes) -> bytes:
    """The entry with another body, signed by its sender's real key."""
    envelope = outer(raw)
    return seal(bundle.keys[envelope["from"]], envelope["from"], envelope["type"], new_body)


def answered_types(bundle: Bundle) -> dict[int, str]:
    """Entry index of each reply -> the type of the message it answers."""
    asked: dict[tuple[str, str], str] = {}
    found = {}
    for k, raw in bundle.entries:
        envelope = outer(raw)
        fields = body(raw)
        if envelope["type"] == "reply":
            found[k] = asked[(fields["sender"], fields["in_reply_to"])]
        elif envelope["type"] != "log_note":
            asked[(fields["recipient"], fields["msg_id"])] = envelope["type"]
    return found


Alter = Callable[[Bundle, int, bytes], bytes | None]


def sweep(bundle: Bundle, tmp_path: Path, alter: Alter, phrase: str, at_least: int) -> None:
    """Alter every entry `alter` applies to (it returns None for the others), one at a time, and
    require a problem at that entry's index whose reason contains `phrase`."""
    path, misses, count = tmp_path / "altered.bundle", [], 0
    for k, raw in bundle.entries:
        changed = alter(bundle, k, raw)
        if changed is None:
            continue
        assert changed != raw
        entries = [*bundle.entries[:k], (k, changed), *bundle.entries[k + 1 :]]
        data = bundle.header + bundle.checkpoints
        data += b"".join(msgpack.packb([i, e], use_bin_type=True) for i, e in entries)
        path.write_bytes(data)
        report = verify([path])
        count += 1
        if not any(p.index == k and phrase in p.reason for p in report.problems):
            misses.append(
                f"entry {k} ({outer(raw)['type']}): {[p.reason for p in report.problems][:4]}"
            )
    assert count >= at_least, f"only {count} entries altered"
    assert not misses, f"{len(misses)} of {count} not reported:\n" + "\n".join(misses)


def on_messages(types: set[str], change: Callable[[dict[str, Any]], None]) -> Alter:
    def alter(bundle: Bundle, k: int, raw: bytes) -> bytes | None:
        if outer(raw)["type"] not in types:
            return None
        fields = body(raw)
        change(fields)
        return resigned(bundle, raw, pack(fields))

    return alter


MESSAGE_TYPES = {
    "register", "join", "ping", "store_list", "key_rotation", "claim", "claim_void", "statement",
    "payment", "payment_confirmation", "checkpoint",
}  # fmt: skip


# -- the rules -----------------------------------------------------------------------------------


def test_the_untouched_bundle_verifies_and_holds_what_the_rules_need(bundle: Bundle) -> None:
    types = {outer(raw)["type"] for _, raw in bundle.entries}
    assert {"ping", "store_list", "claim", "claim_void", "statement", "log_note"} <= types
    assert set(answered_types(bundle).values()) >= {"ping", "store_list", "claim", "checkpoint"}


def test_a_refusal_in_the_log_is_reported(bundle: Bundle, tmp_path: Path) -> None:
    """Only accepted messages and their replies are logged: a reply with ok false is altered."""

    def alter(bundle: Bundle, k: int, raw: bytes) -> bytes | None:
        if outer(raw)["type"] != "reply":
            return None
        fields = {**body(raw), "ok": False, "code": "peer.fork", "message": "another history"}
        return resigned(bundle, raw, pack(fields))

    sweep(bundle, tmp_path, alter, "a refusal in the log", 20)


def test_a_result_on_a_reply_to_a_type_without_one_is_reported(
    bundle: Bundle, tmp_path: Path
) -> None:
    asked = answered_types(bundle)

    def alter(bundle: Bundle, k: int, raw: bytes) -> bytes | None:
        if asked.get(k) not in {"ping", "register", "join", "store_list", "payment"}:
            return None
        fields = {**body(raw), "result": pack({"decision": "accepted"})}
        return resigned(bundle, raw, pack(fields))

    sweep(bundle, tmp_path, alter, "carries a result", 4)


def test_a_result_naming_another_claim_or_an_unknown_decision_is_reported(
    bundle: Bundle, tmp_path: Path
) -> None:
    asked = answered_types(bundle)

    def alter(bundle: Bundle, k: int, raw: bytes) -> bytes | None:
        if asked.get(k) not in {"claim", "claim_void", "statement"}:
            return None
        fields = body(raw)
        result = msgpack.unpackb(fields["result"], raw=False)
        key = "statement_id" if asked[k] == "statement" else "claim_id"
        result[key] = result[key] + "x"
        return resigned(bundle, raw, pack({**fields, "result": pack(result)}))

    sweep(bundle, tmp_path, alter, "names another", 6)

    def undecided(bundle: Bundle, k: int, raw: bytes) -> bytes | None:
        if asked.get(k) not in {"claim_void", "statement", "checkpoint"}:
            return None
        fields = body(raw)
        result = {**msgpack.unpackb(fields["result"], raw=False), "decision": "maybe"}
        return resigned(bundle, raw, pack({**fields, "result": pack(result)}))

    sweep(bundle, tmp_path, undecided, "unknown decision", 4)


def test_a_claim_id_with_other_characters_is_reported(bundle: Bundle, tmp_path: Path) -> None:
    for bad in ("cl bad", "cl/../x", "", "c" * 65, "cl_é"):
        alter = on_messages({"claim", "claim_void"}, lambda f, bad=bad: f.update(claim_id=bad))
        sweep(bundle, tmp_path, alter, "claim id", 6)
    statements = on_messages({"statement"}, lambda f: f.update(statement_id="st 1"))
    sweep(bundle, tmp_path, statements, "statement id", 2)


def test_a_statement_listing_a_claim_id_with_other_characters_is_reported(
    bundle: Bundle, tmp_path: Path
) -> None:
    def change(fields: dict[str, Any]) -> None:
        fields["claims"] = [["cl;drop", *row[1:]] for row in fields["claims"]]

    alter = on_messages({"statement"}, change)
    sweep(bundle, tmp_path, lambda b, k, r: alter(b, k, r) if body(r).get("claims") else None,
          "claim id", 1)  # fmt: skip


def test_a_claim_of_0_yen_is_reported(bundle: Bundle, tmp_path: Path) -> None:
    sweep(bundle, tmp_path, on_messages({"claim"}, lambda f: f.update(amount=0)), "0 yen", 6)


def test_a_message_expiring_over_30_days_after_it_is_made_is_reported(
    bundle: Bundle, tmp_path: Path
) -> None:
    late = on_messages(
        MESSAGE_TYPES, lambda f: f.update(expires=f["created"] + MESSAGE_LIFETIME_S + 1)
    )
    sweep(bundle, tmp_path, late, "expires", 20)
    early = on_messages(MESSAGE_TYPES, lambda f: f.update(expires=f["created"] - 1))
    sweep(bundle, tmp_path, early, "expires", 20)


def test_a_store_list_breaking_its_rules_is_reported(bundle: Bundle, tmp_path: Path) -> None:
    def twice(fields: dict[str, Any]) -> None:
        fields["stores"] = [*fields["stores"], fields["stores"][0]]

    sweep(bundle, tmp_path, on_messages({"store_list"}, twice), "repeated", 2)
    for rows in ([["", "x"]], [["s" * 65, "x"]], [["s1", " "]], [["s1", "a\nb"]]):
        alter = on_messages({"store_list"}, lambda f, rows=rows: f.update(stores=rows))
        sweep(bundle, tmp_path, alter, "store list", 2)
    too_many = [[f"s{i}", "x"] for i in range(rules.MAX_STORES + 1)]
    sweep(bundle, tmp_path, on_messages({"store_list"}, lambda f: f.update(stores=too_many)),
          "store list", 2)  # fmt: skip


def test_a_note_with_fields_its_event_does_not_have_is_reported(
    bundle: Bundle, tmp_path: Path
) -> None:
    def notes(change: dict[str, Any]) -> Alter:
        def alter(bundle: Bundle, k: int, raw: bytes) -> bytes | None:
            if outer(raw)["type"] != "log_note":
                return None
            return resigned(bundle, raw, pack({**body(raw), **change}))

        return alter

    sweep(bundle, tmp_path, notes({"position": 1}), "names a key", 2)
    sweep(bundle, tmp_path, notes({"key": bytes(32)}), "names a key", 2)
    sweep(bundle, tmp_path, notes({"text": "why"}), "carries a text", 2)
    sweep(bundle, tmp_path, notes({"subject": bundle.origin}), "subject", 2)
    sweep(bundle, tmp_path, notes({"subject": "NOT-A-NODE"}), "subject", 2)


def test_a_body_with_unsorted_keys_is_reported(bundle: Bundle, tmp_path: Path) -> None:
    """The same fields in another order: one encoding only, for every entry, both directions."""

    def alter(bundle: Bundle, k: int, raw: bytes) -> bytes | None:
        fields = body(raw)
        backwards = msgpack.packb(dict(reversed(fields.items())), use_bin_type=True)
        return resigned(bundle, raw, backwards)

    sweep(bundle, tmp_path, alter, "sorted order", len(bundle.entries))


def test_an_envelope_with_unsorted_keys_is_reported(bundle: Bundle, tmp_path: Path) -> None:
    """The signature covers type and body only, so a re-ordered envelope still verifies."""

    def alter(bundle: Bundle, k: int, raw: bytes) -> bytes | None:
        return msgpack.packb(dict(reversed(outer(raw).items())), use_bin_type=True)

    sweep(bundle, tmp_path, alter, "sorted order", len(bundle.entries))


def test_a_checkpoint_message_breaking_its_rules_is_reported(
    bundle: Bundle, tmp_path: Path
) -> None:
    def bad_proof(fields: dict[str, Any]) -> None:
        fields["proof"] = fields["proof"] + b"\x00" * 5

    sweep(bundle, tmp_path, on_messages({"checkpoint"}, bad_proof), "proof", 3)

    def not_signed(fields: dict[str, Any]) -> None:
        fields["signature"] = bytes(64)

    sweep(bundle, tmp_path, on_messages({"checkpoint"}, not_signed), "not signed", 3)


def test_a_countersignature_in_a_reply_that_does_not_verify_is_reported(
    bundle: Bundle, tmp_path: Path
) -> None:
    asked = answered_types(bundle)

    def alter(bundle: Bundle, k: int, raw: bytes) -> bytes | None:
        if asked.get(k) != "checkpoint":
            return None
        fields = body(raw)
        result = {**msgpack.unpackb(fields["result"], raw=False), "cosignature": bytes(64)}
        return resigned(bundle, raw, pack({**fields, "result": pack(result)}))

    sweep(bundle, tmp_path, alter, "countersignature in the reply", 4)


def test_the_verifiers_limits_are_the_nodes() -> None:
    """rules.py keeps its own copies (the verifier imports nothing of the running node)."""
    assert rules.MAX_STORES == partner_stores.MAX_STORES
    assert rules.MAX_STORE_ID_CHARS == partner_stores.MAX_STORE_ID_CHARS
    assert (
        rules.ID_CHARS.pattern == f"{protocol.ID_CHARS.pattern[:-1]}{{1,{protocol.MAX_ID_CHARS}}}"
    )


def test_a_payment_confirmation_of_another_amount_is_reported(
    bundle: Bundle, tmp_path: Path
) -> None:
    """The payer refuses a confirmation that is not of the statement's net amount."""
    more = on_messages({"payment_confirmation"}, lambda f: f.update(amount=f["amount"] + 1))
    sweep(bundle, tmp_path, more, "does not match the agreed statement", 1)


async def test_a_partner_message_with_unsorted_body_keys_is_refused_and_changes_nothing(
    nodes: NodeFactory,
) -> None:
    """The rule the verifier checks holds at receipt too: otherwise a log could hold an entry
    the verifier calls altered. A correctly signed ping from a real partner, fields re-ordered."""
    a, b = await two_partners(nodes)
    await quiesce([a, b], "after partnering")
    logged = read(a, "SELECT count(*) FROM audit_log")[0][0]
    [(in_seq, in_hash)] = read(
        a, "SELECT last_seq, last_hash FROM channels_in WHERE peer = ?", b.node_id
    )
    fields = {
        "msg_id": "msg_unsorted",
        "sender": b.node_id,
        "recipient": a.node_id,
        "seq": in_seq + 1,
        "prev": bytes(in_hash),
        "created": int(b.clock.now().timestamp()),
        "expires": int(b.clock.now().timestamp()) + 3600,
        "note": "",
    }
    key = load_identity(b.home.key_path).signing_key
    backwards = msgpack.packb(dict(reversed(sorted(fields.items()))), use_bin_type=True)
    status, reply = await post_peer(a, seal(key, b.node_id, "ping", backwards))
    assert (status, reply.ok, reply.code) == (400, False, "peer.malformed"), reply
    assert read(a, "SELECT count(*) FROM audit_log")[0][0] == logged
    status, reply = await post_peer(a, seal(key, b.node_id, "ping", pack(fields)))
    assert (status, reply.ok) == (200, True), reply  # the same fields, sorted: accepted


def _reply_to(asked: str, change: Callable[[dict[str, Any]], None]) -> Alter:
    answered = {}

    def alter(bundle: Bundle, k: int, raw: bytes) -> bytes | None:
        if not answered:
            answered.update(answered_types(bundle))
        if answered.get(k) != asked:
            return None
        fields = body(raw)
        result = msgpack.unpackb(fields["result"], raw=False)
        change(result)
        return resigned(bundle, raw, pack({**fields, "result": pack(result)}))

    return alter


def test_a_claim_result_whose_code_or_balance_does_not_fit_its_decision_is_reported(
    bundle: Bundle, tmp_path: Path
) -> None:
    def other_code(result: dict[str, Any]) -> None:
        result["code"] = "voucher.code_used" if result["code"] == "ok" else "ok"

    for asked in ("claim", "claim_void"):
        sweep(bundle, tmp_path, _reply_to(asked, other_code), "does not fit its decision", 1)

    def refused_with_a_balance(result: dict[str, Any]) -> None:
        result["decision"], result["code"] = "rejected", "ledger.insufficient_balance"
        result["balance_after"] = 100

    sweep(bundle, tmp_path, _reply_to("claim", refused_with_a_balance), "does not fit", 5)


def test_a_statement_result_with_another_hash_or_impossible_breaks_is_reported(
    bundle: Bundle, tmp_path: Path
) -> None:
    """Whatever its decision, the hash in the answer is of the proposal as sent."""
    sweep(bundle, tmp_path, _reply_to("statement", lambda r: r.update(statement_hash=bytes(32))),
          "countersigned hash is not its hash", 2)  # fmt: skip
    odd = [["cl_x", "nonsense", 1, 2]]
    sweep(bundle, tmp_path, _reply_to("statement", lambda r: r.update(decision="disputed", breaks=odd)),
          "unknown kind", 2)  # fmt: skip
    one = [["cl_x", "amount", 1, 2]]
    sweep(bundle, tmp_path, _reply_to("statement", lambda r: r.update(decision="agreed", breaks=one)),
          "breaks it cannot have", 2)  # fmt: skip


def _agreed_statements(bundle: Bundle) -> list[tuple[int, int]]:
    """(message index, reply index) of every statement the log shows agreed."""
    asked: dict[tuple[str, str], int] = {}
    found = []
    for k, raw in bundle.entries:
        envelope, fields = outer(raw), body(raw)
        if envelope["type"] == "statement":
            asked[(fields["recipient"], fields["msg_id"])] = k
        elif envelope["type"] == "reply":
            m = asked.get((fields["sender"], fields["in_reply_to"]))
            if m is not None and msgpack.unpackb(fields["result"])["decision"] == "agreed":
                found.append((m, k))
    return found


def test_an_agreed_statement_that_does_not_add_up_or_follow_is_reported(
    bundle: Bundle, tmp_path: Path
) -> None:
    """The statement changed and its agreement signed again for the new hash, by both sides'
    real keys: only its totals, or its place in the chain of statements, give it away."""
    pairs = _agreed_statements(bundle)
    assert len(pairs) >= 2
    changes: dict[str, Callable[[dict[str, Any]], None]] = {
        "its totals do not follow": lambda f: f.update(amount=f["amount"] + 1),
        "does not follow the last statement": lambda f: f.update(number=f["number"] + 1),
        "does not follow the last statement ": lambda f: f.update(previous=b"\x01" * 32),
    }
    path, misses = tmp_path / "altered.bundle", []
    for phrase, change in changes.items():
        for m, r in pairs:
            fields = body(bundle.entries[m][1])
            change(fields)
            message = resigned(bundle, bundle.entries[m][1], pack(fields))
            proposal = StatementMessage.decode(pack(fields))[1]
            digest = core.statement_hash(core.statement_from_message(proposal))
            reply = body(bundle.entries[r][1])
            result = {**msgpack.unpackb(reply["result"], raw=False), "statement_hash": digest}
            answer = resigned(bundle, bundle.entries[r][1], pack({**reply, "result": pack(result)}))
            entries = dict(bundle.entries) | {m: message, r: answer}
            data = bundle.header + bundle.checkpoints
            data += b"".join(msgpack.packb([i, e], use_bin_type=True) for i, e in entries.items())
            path.write_bytes(data)
            report = verify([path])
            if not any(p.index == r and phrase.strip() in p.reason for p in report.problems):
                misses.append(f"{phrase} at {r}: {[p.reason for p in report.problems][:4]}")
    assert not misses, misses


def test_our_checkpoint_message_without_its_derived_id_is_reported(
    bundle: Bundle, tmp_path: Path
) -> None:
    """protocol.md, section 5: `ck_<size>_` and 16 hex digits of SHA-256(origin|size|root|partner)."""

    def alter(bundle: Bundle, k: int, raw: bytes) -> bytes | None:
        if outer(raw)["type"] != "checkpoint" or outer(raw)["from"] != bundle.origin:
            return None
        fields = body(raw)
        carried = msgpack.unpackb(fields["checkpoint"], raw=False)
        text = (
            f"{carried['origin']}|{carried['size']}|{carried['root'].hex()}|{fields['recipient']}"
        )
        assert (
            fields["msg_id"]
            == f"ck_{carried['size']}_{hashlib.sha256(text.encode()).hexdigest()[:16]}"
        )
        return resigned(bundle, raw, pack({**fields, "msg_id": "ck_drawn_at_random"}))

    sweep(bundle, tmp_path, alter, "derived id", 2)
