"""The audit bundle: a node's settlement log, checkpoints and countersignatures in one file.

A bundle is a sequence of msgpack objects, one after the other (docs/audit.md, "Bundle format"):

1. a header map: {"format": "kippu-audit/1", "origin", "name", "exported", "size", "checkpoints"};
2. `checkpoints` maps, by increasing size: {"body", "signature", "cosignatures": [[node id, sig]]};
3. `size` entries, each a two-item array [index, envelope], index counting from 0.

Every public key needed to check it is inside: the origin's node id is its first key, a partner's
node id is the partner's first key, and each later key comes with the notice (an entry) that the
key before it signed. This module writes it (`kippu audit export`); the verifier streams it
(node/verifier/bundle_reader.py), holding only the header and the checkpoints in memory.
"""

from __future__ import annotations

import msgpack

from node.peering.envelope import pack
from node.settlement.audit.checkpoint import Checkpoint

FORMAT = "kippu-audit/1"


def header_record(origin: str, name: str, exported: int, size: int, checkpoints: int) -> bytes:
    return pack(
        {
            "format": FORMAT,
            "origin": origin,
            "name": name,
            "exported": exported,
            "size": size,
            "checkpoints": checkpoints,
        }
    )


def checkpoint_record(made: Checkpoint, cosignatures: list[tuple[str, bytes]]) -> bytes:
    return pack(
        {
            "body": made.body,
            "signature": made.signature,
            "cosignatures": [[cosigner, sig] for cosigner, sig in cosignatures],
        }
    )


def entry_record(index: int, envelope: bytes) -> bytes:
    packed: bytes = msgpack.packb([index, envelope], use_bin_type=True)
    return packed
