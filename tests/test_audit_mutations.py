"""Every single-entry alteration of a real audit bundle is caught, and reported where it is.

One bundle is built once for the module: three real nodes settle a month (tests/audit_helpers.py),
then Trattoria B suspends and resumes a partner and both A and B rotate their keys, so that B's log
holds every kind of entry (messages and replies both ways, notes, rotation notices) and checkpoints
signed by two keys, each countersigned by both partners. Each test then alters that bundle at EVERY
entry (or checkpoint) position, writes it and runs the offline verifier on it.

The bundle's record stream is read and written here with msgpack directly, not with
node/settlement/audit/bundle.py, so the test does not share the code it checks. Each test collects
every alteration the verifier misses or misplaces and fails once with the whole list.

What "reported where it is" means, per alteration:

- an entry changed in place (flipped byte, replaced signature, another index field, forged entry
  inserted): a problem names that entry's index;
- records moved, dropped or repeated with their index fields kept (removed entry, swapped pair, a
  genuine entry replayed): the record now at position k says another index, so a problem names
  index k;
- records re-numbered to be contiguous after a removal, a swap or a replay: the stream looks
  like a whole log, and no single entry need be wrong in itself (a removed or repeated note, or
  two messages from different partners swapped, break no chain or signature). Only the Merkle
  root shows it, so what is asserted is the best a verifier can do: the first checkpoint covering
  index k is reported (problem.checkpoint == j) and no checkpoint before it is (the damage is
  placed in that range). A forged entry stays wrong in itself, so re-numbered it must still be
  named at index k;
- the tail cut off: a problem names the first missing index, whether the header still gives the
  old size or was lowered to match;
- checkpoint records (reordered, a countersignature replaced, a byte flipped): a problem names the
  checkpoint record concerned (either one of a swapped pair).
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import aiohttp
import msgpack
import pytest
from nacl.signing import SigningKey

from node.peering.envelope import pack, seal
from node.verifier.report import Report
from tests.audit_helpers import export_bundle, settle_a_month, verify
from tests.conftest import NodeFactory, ok
from tests.settlement_helpers import deliver, quiesce, redeem, store_of, voucher_of

# -- the record stream, read and written independently of bundle.py ---------------------------


@dataclass(frozen=True)
class Records:
    header: bytes  # the header record, verbatim unless a test rewrites it on purpose
    checkpoints: tuple[dict[str, Any], ...]
    entries: tuple[tuple[int, bytes], ...]

    @property
    def size(self) -> int:
        return int(header_of(self)["size"])


def parse(data: bytes) -> Records:
    unpacker = msgpack.Unpacker(raw=False, strict_map_key=True)
    unpacker.feed(data)
    header = next(unpacker)
    header_bytes = data[: unpacker.tell()]
    checkpoints = tuple(next(unpacker) for _ in range(header["checkpoints"]))
    entries = tuple((int(index), bytes(envelope)) for index, envelope in unpacker)
    return Records(header_bytes, checkpoints, entries)


def encode(records: Records) -> bytes:
    parts = [records.header]
    parts += [msgpack.packb(cp, use_bin_type=True) for cp in records.checkpoints]
    parts += [msgpack.packb([index, env], use_bin_type=True) for index, env in records.entries]
    return b"".join(parts)


def header_of(records: Records) -> dict[str, Any]:
    value: dict[str, Any] = msgpack.unpackb(records.header, raw=False)
    return value


def with_size(records: Records, size: int) -> Records:
    """The header rewritten to give `size` entries (the other fields and their order kept)."""
    header = {**header_of(records), "size": size}
    return replace(records, header=msgpack.packb(header, use_bin_type=True))


def renumbered(envelopes: Iterable[bytes]) -> tuple[tuple[int, bytes], ...]:
    return tuple(enumerate(envelopes))


def envelope_map(raw: bytes) -> dict[str, Any]:
    value: dict[str, Any] = msgpack.unpackb(raw, raw=False)
    return value


def checkpoint_size(record: dict[str, Any]) -> int:
    return int(msgpack.unpackb(record["body"], raw=False)["size"])


def garbage(label: str) -> bytes:
    """64 bytes no one signed; derived from a label, so a failure can be reproduced."""
    return hashlib.sha512(f"kippu test garbage {label}".encode()).digest()


def stranger_key(label: str) -> SigningKey:
    return SigningKey(hashlib.sha256(f"kippu test stranger {label}".encode()).digest())


def flip(data: bytes, position: int, mask: int) -> bytes:
    return data[:position] + bytes([data[position] ^ mask]) + data[position + 1 :]


# -- the bundle, built once ---------------------------------------------------------------------


@dataclass(frozen=True)
class Pristine:
    data: bytes
    records: Records
    origin: str
    partners: tuple[str, ...]


async def _build(root: Path) -> Pristine:
    async with aiohttp.ClientSession() as session:
        factory = NodeFactory(root, session)
        try:
            a, b, c = await settle_a_month(factory)
            await ok(b, "POST", f"peers/{c.node_id}/suspend", {})
            await ok(b, "POST", f"peers/{c.node_id}/resume", {})
            for rotating in (b, a):
                await ok(rotating, "POST", "key/rotate", {})
                await deliver(factory.clock, rotating)
            status, answer = await redeem(
                b, a, await voucher_of(a, 900), 400, await store_of(b, "B2")
            )
            assert status == 201, answer
            await quiesce([a, b, c], "after the rotations")
            path = await export_bundle(b, root / "b.bundle")
            return Pristine(
                path.read_bytes(), parse(path.read_bytes()), b.node_id, (a.node_id, c.node_id)
            )
        finally:
            for running in factory.nodes:
                await running.stop()


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Pristine:
    """B's bundle, as bytes: each test alters its own copies, so no state is shared."""
    return asyncio.run(_build(tmp_path_factory.mktemp("mutations")))


# -- running the verifier on altered copies -----------------------------------------------------

Expectation = Callable[[Report], bool]


def names_index(k: int) -> Expectation:
    return lambda report: any(p.index == k for p in report.problems)


def names_checkpoint(*numbers: int) -> Expectation:
    return lambda report: any(p.checkpoint in numbers for p in report.problems)


def placed_at_checkpoint(j: int) -> Expectation:
    """Checkpoint j is reported and none before it: the damage is placed between the two."""

    def check(report: Report) -> bool:
        named = {p.checkpoint for p in report.problems if p.checkpoint is not None}
        return j in named and not any(n < j for n in named)

    return check


class Sweep:
    """Verifies altered copies of the bundle and collects every one that is missed or misplaced."""

    def __init__(self, pristine: Pristine, tmp_path: Path) -> None:
        self.pristine, self.path = pristine, tmp_path / "altered.bundle"
        self.misses: list[str] = []
        self.count = 0

    def check(self, what: str, altered: Records, expected: Expectation) -> None:
        data = encode(altered)
        assert data != self.pristine.data, f"{what}: the alteration changed nothing"
        self.path.write_bytes(data)
        report = verify([self.path])
        self.count += 1
        if report.ok:
            self.misses.append(f"{what}: NOT DETECTED (report ok)")
        elif not expected(report):
            found = [(p.index, p.checkpoint, p.reason[:70]) for p in report.problems[:6]]
            self.misses.append(f"{what}: detected but misplaced: {found}")

    def done(self, at_least: int) -> None:
        assert self.count >= at_least, f"only {self.count} alterations were checked"
        assert not self.misses, f"{len(self.misses)} of {self.count} alterations:\n" + "\n".join(
            self.misses
        )


def first_covering(records: Records, k: int) -> int:
    """The first checkpoint record whose tree includes entry k."""
    return next(j for j, cp in enumerate(records.checkpoints) if checkpoint_size(cp) > k)


# -- the tests ----------------------------------------------------------------------------------


def test_the_untouched_bundle_verifies_and_holds_every_kind_of_entry(
    pristine: Pristine, tmp_path: Path
) -> None:
    records = pristine.records
    assert encode(records) == pristine.data  # this file's reader and writer lose nothing
    assert len(records.entries) == records.size >= 50
    assert [index for index, _ in records.entries] == list(range(records.size))
    assert len(records.checkpoints) >= 3
    assert checkpoint_size(records.checkpoints[-1]) == records.size
    assert all(len(cp["cosignatures"]) == 2 for cp in records.checkpoints)
    kinds = {
        (envelope_map(env)["from"] == pristine.origin, envelope_map(env)["type"])
        for _, env in records.entries
    }
    for kind in ("log_note", "reply", "claim", "statement", "checkpoint", "key_rotation"):
        assert (True, kind) in kinds, kind
    for kind in ("reply", "claim", "checkpoint", "key_rotation"):
        assert (False, kind) in kinds, kind
    [rotated] = [
        k
        for k, (_, env) in enumerate(records.entries)
        if envelope_map(env)["type"] == "log_note"
        and msgpack.unpackb(envelope_map(env)["body"], raw=False)["event"] == "key_rotated"
    ]
    # checkpoints signed before B's rotation (old key) and after it (new key)
    assert checkpoint_size(records.checkpoints[0]) <= rotated < records.size
    path = tmp_path / "b.bundle"
    path.write_bytes(pristine.data)
    report = verify([path])
    assert report.ok, report.to_json()["problems"]
    assert report.bundles[0].entries == records.size


def test_a_flipped_byte_anywhere_in_an_entry_is_reported_at_that_entry(
    pristine: Pristine, tmp_path: Path
) -> None:
    records, sweep = pristine.records, Sweep(pristine, tmp_path)
    for k, (index, env) in enumerate(records.entries):
        fields = envelope_map(env)
        body_at, sig_at = env.index(fields["body"]), env.index(fields["sig"])
        positions = {
            "first": 0,
            "middle": len(env) // 2,
            "last": len(env) - 1,
            "body": body_at + len(fields["body"]) // 2,
            "signature": sig_at + 10,
        }
        for where, position in positions.items():
            for mask in (0x01, 0xFF):
                altered = list(records.entries)
                altered[k] = (index, flip(env, position, mask))
                sweep.check(
                    f"entry {k}: byte {position} ({where}) ^ {mask:#04x}",
                    replace(records, entries=tuple(altered)),
                    names_index(k),
                )
    sweep.done(len(records.entries) * 10)


def test_a_removed_entry_is_reported(pristine: Pristine, tmp_path: Path) -> None:
    records, sweep = pristine.records, Sweep(pristine, tmp_path)
    n = records.size
    for k in range(n):
        kept = records.entries[:k] + records.entries[k + 1 :]
        contiguous = renumbered(env for _, env in kept)
        j = first_covering(records, k)
        for header, size in (("header kept", n), ("header lowered", n - 1)):
            sweep.check(
                f"entry {k} removed, indices kept, {header}",
                with_size(replace(records, entries=kept), size),
                names_index(k),
            )
            sweep.check(
                f"entry {k} removed, re-numbered, {header}",
                with_size(replace(records, entries=contiguous), size),
                placed_at_checkpoint(j),
            )
    sweep.done(n * 4)


def test_a_swapped_pair_of_entries_is_reported(pristine: Pristine, tmp_path: Path) -> None:
    records, sweep = pristine.records, Sweep(pristine, tmp_path)
    entries = records.entries
    for k in range(len(entries) - 1):
        moved = (*entries[:k], entries[k + 1], entries[k], *entries[k + 2 :])
        sweep.check(
            f"entries {k} and {k + 1} swapped, indices kept",
            replace(records, entries=moved),
            names_index(k),
        )
        sweep.check(
            f"entries {k} and {k + 1} swapped, re-numbered",
            replace(records, entries=renumbered(env for _, env in moved)),
            placed_at_checkpoint(first_covering(records, k)),
        )
    sweep.done((len(entries) - 1) * 2)


def test_an_entry_record_giving_another_index_is_reported_there(
    pristine: Pristine, tmp_path: Path
) -> None:
    records, sweep = pristine.records, Sweep(pristine, tmp_path)
    entries = records.entries
    for k, (index, env) in enumerate(entries):
        for wrong in {index + 1, index - 1 if index else index + 2, 2**32}:
            altered = list(entries)
            altered[k] = (wrong, env)
            sweep.check(
                f"entry {k} says it is entry {wrong}",
                replace(records, entries=tuple(altered)),
                names_index(k),
            )
    sweep.done(len(entries) * 3)


def _forged(env: bytes, sender: str, label: str) -> bytes:
    """A validly shaped envelope with `env`'s type and body, naming `sender`, signed by a stranger."""
    fields = envelope_map(env)
    return seal(stranger_key(label), sender, fields["type"], fields["body"])


def test_a_forged_entry_inserted_anywhere_is_reported_at_its_index(
    pristine: Pristine, tmp_path: Path
) -> None:
    records, sweep = pristine.records, Sweep(pristine, tmp_path)
    entries, n = records.entries, records.size
    for k in range(n + 1):
        model = entries[min(k, n - 1)][1]
        its_sender = envelope_map(model)["from"]
        other = pristine.partners[0] if its_sender == pristine.origin else pristine.origin
        for who, sender in (("its own sender", its_sender), ("the other side", other)):
            forged = _forged(model, sender, f"{k} {who}")
            kept = (*entries[:k], (k, forged), *entries[k:])
            sweep.check(
                f"forged entry ({who}) inserted at {k}, later indices kept",
                replace(records, entries=kept),
                names_index(k),
            )
            sweep.check(
                f"forged entry ({who}) inserted at {k}, re-numbered, header raised",
                with_size(replace(records, entries=renumbered(e for _, e in kept)), n + 1),
                names_index(k),
            )
    sweep.done((n + 1) * 4)


def test_a_genuine_entry_replayed_after_itself_is_reported(
    pristine: Pristine, tmp_path: Path
) -> None:
    """A copy of entry k, signature and all, inserted right after it. Its copy is genuine, so with
    the records re-numbered only the tree can show it (a repeated note breaks nothing else): the
    first checkpoint covering position k + 1 is reported, or, past the last checkpoint, the copy."""
    records, sweep = pristine.records, Sweep(pristine, tmp_path)
    entries, n = records.entries, records.size
    for k in range(n):
        kept = (*entries[: k + 1], entries[k], *entries[k + 1 :])
        sweep.check(
            f"entry {k} repeated after itself, indices kept",
            replace(records, entries=kept),
            names_index(k + 1),
        )
        expected = (
            names_index(n) if k + 1 == n else placed_at_checkpoint(first_covering(records, k + 1))
        )
        sweep.check(
            f"entry {k} repeated after itself, re-numbered, header raised",
            with_size(replace(records, entries=renumbered(e for _, e in kept)), n + 1),
            expected,
        )
    sweep.done(n * 2)


def test_a_replaced_signature_is_reported_at_its_entry(pristine: Pristine, tmp_path: Path) -> None:
    records, sweep = pristine.records, Sweep(pristine, tmp_path)
    entries = records.entries
    for k, (index, env) in enumerate(entries):
        neighbour = envelope_map(entries[(k + 1) % len(entries)][1])["sig"]
        for what, signature in (("garbage", garbage(f"entry {k}")), ("another entry's", neighbour)):
            altered = list(entries)
            altered[k] = (index, pack({**envelope_map(env), "sig": signature}))
            sweep.check(
                f"entry {k}: signature replaced by {what}",
                replace(records, entries=tuple(altered)),
                names_index(k),
            )
    sweep.done(len(entries) * 2)


def test_a_truncated_tail_is_reported_where_the_bundle_stops(
    pristine: Pristine, tmp_path: Path
) -> None:
    records, sweep = pristine.records, Sweep(pristine, tmp_path)
    n = records.size
    for dropped in (1, 2, 3):
        cut = replace(records, entries=records.entries[: n - dropped])
        sweep.check(f"last {dropped} entries dropped, header kept", cut, names_index(n - dropped))
        sweep.check(
            f"last {dropped} entries dropped, header lowered to match",
            with_size(cut, n - dropped),
            names_index(n - dropped),
        )
    sweep.done(6)


def test_reordered_checkpoints_are_reported(pristine: Pristine, tmp_path: Path) -> None:
    records, sweep = pristine.records, Sweep(pristine, tmp_path)
    count = len(records.checkpoints)
    for i in range(count):
        for j in range(i + 1, count):
            order = list(records.checkpoints)
            order[i], order[j] = order[j], order[i]
            sweep.check(
                f"checkpoints {i} and {j} swapped",
                replace(records, checkpoints=tuple(order)),
                names_checkpoint(i, j),
            )
    sweep.done(count * (count - 1) // 2)


def test_a_countersignature_replaced_by_garbage_is_reported_at_its_checkpoint(
    pristine: Pristine, tmp_path: Path
) -> None:
    records, sweep = pristine.records, Sweep(pristine, tmp_path)
    checkpoints = records.checkpoints
    for j, cp in enumerate(checkpoints):
        for c, (cosigner, signature) in enumerate(cp["cosignatures"]):
            other_cosigner = cp["cosignatures"][1 - c][0]
            # the same cosigner's real signature on another of this node's checkpoints: a replay
            replayed = checkpoints[(j + 1) % len(checkpoints)]["cosignatures"][c][1]
            replacements = {
                "64 bytes of garbage": [cosigner, garbage(f"checkpoint {j} {c}")],
                "short garbage": [cosigner, b"garbage"],
                "a flipped bit": [cosigner, flip(signature, 5, 0x01)],
                "a signature replayed from another checkpoint": [cosigner, replayed],
                "another cosigner's name": [other_cosigner, signature],
                "a garbage cosigner": ["NOT-A-NODE", signature],
            }
            for what, pair in replacements.items():
                cosignatures = list(cp["cosignatures"])
                cosignatures[c] = pair
                altered = list(checkpoints)
                altered[j] = {**cp, "cosignatures": cosignatures}
                sweep.check(
                    f"checkpoint {j}, countersignature {c}: {what}",
                    replace(records, checkpoints=tuple(altered)),
                    names_checkpoint(j),
                )
    sweep.done(len(checkpoints) * 2 * 6)


def test_a_flipped_byte_in_a_checkpoint_is_reported_at_that_checkpoint(
    pristine: Pristine, tmp_path: Path
) -> None:
    records, sweep = pristine.records, Sweep(pristine, tmp_path)
    for j, cp in enumerate(records.checkpoints):
        for field in ("body", "signature"):
            value: bytes = cp[field]
            for position in range(len(value)):
                altered = list(records.checkpoints)
                altered[j] = {**cp, field: flip(value, position, 0x01)}
                sweep.check(
                    f"checkpoint {j}: {field} byte {position} ^ 0x01",
                    replace(records, checkpoints=tuple(altered)),
                    names_checkpoint(j),
                )
    sweep.done(len(records.checkpoints) * 64)
