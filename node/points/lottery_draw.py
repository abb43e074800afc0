"""The draw of a point lottery, and its check, pure: anyone holding the draw file recomputes it
(`kippu points verify-draw FILE`, no node needed).

The protocol, in the order things become public:
1. At set-up the node draws a secret 32-byte seed and publishes its commitment, SHA-256(seed).
2. At close the entries (ticket ids, in the order taken) are serialized canonically and hashed;
   the hash is published. From then on neither the entries nor the seed can change unseen.
3. The seed is revealed. The draw key is SHA-256(entries hash || seed); a stream of bytes is
   SHA-256(key || counter), counter a big-endian 64-bit integer from 0, each block 32 bytes used
   whole, 8 bytes (big-endian) per number. A number below n is drawn by rejection: a 64-bit
   value at or above the largest multiple of n is discarded, so every number is equally likely.
4. The tickets are shuffled by Fisher-Yates (i from the last index down to 1, swap i with a
   number below i + 1); the first tickets of the shuffled order win, the first prize's count
   first, then the next prize's, in the order the prizes were set up.

What a check catches (`differences`): a seed that is not the committed one, entries that do not
hash to the published hash, winners that are not what the seed and entries give. What it cannot:
an operator who added entries of its own before the close knowing the seed (the seed is the
node's; docs/operations.md "Point lotteries" says so).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, repeat
from typing import Any

FORMAT = "kippu-point-lottery-draw/1"
SEED_BYTES = 32


def commitment_of(seed: bytes) -> bytes:
    return hashlib.sha256(seed).digest()


def canonical_entries(lottery_id: str, tickets: Sequence[str]) -> bytes:
    """The bytes the entries hash is taken over: JSON, keys sorted, no spaces, ASCII."""
    document = {"lottery_id": lottery_id, "tickets": list(tickets)}
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode(
        "ascii"
    )


def entries_hash(lottery_id: str, tickets: Sequence[str]) -> bytes:
    return hashlib.sha256(canonical_entries(lottery_id, tickets)).digest()


class _Stream:
    """The draw's random numbers: SHA-256 in counter mode over the draw key."""

    def __init__(self, key: bytes) -> None:
        self._key = key
        self._blocks = self._generate()

    def _generate(self) -> Iterator[int]:
        counter = 0
        while True:
            block = hashlib.sha256(self._key + counter.to_bytes(8, "big")).digest()
            for start in range(0, 32, 8):
                yield int.from_bytes(block[start : start + 8], "big")
            counter += 1

    def below(self, n: int) -> int:
        """A number in [0, n), each equally likely (rejection, never a biased modulo)."""
        limit = (1 << 64) - (1 << 64) % n
        while True:
            value = next(self._blocks)
            if value < limit:
                return value % n


def shuffled(tickets: Sequence[str], hashed: bytes, seed: bytes) -> list[str]:
    """The tickets in the draw's order (Fisher-Yates driven by the stream)."""
    order = list(tickets)
    stream = _Stream(hashlib.sha256(hashed + seed).digest())
    for i in range(len(order) - 1, 0, -1):
        j = stream.below(i + 1)
        order[i], order[j] = order[j], order[i]
    return order


@dataclass(frozen=True)
class DrawnWinner:
    place: int  # 1-based
    ticket_id: str
    position: int  # index of the prize


def draw(
    tickets: Sequence[str], hashed: bytes, seed: bytes, counts: Sequence[int]
) -> list[DrawnWinner]:
    """The winners: the shuffled tickets, the first `counts[0]` winning prize 0, and so on; with
    fewer tickets than prizes the last prizes are not given."""
    order = shuffled(tickets, hashed, seed)
    prizes = chain.from_iterable(repeat(position, count) for position, count in enumerate(counts))
    return [
        DrawnWinner(place, ticket, position)
        for place, (ticket, position) in enumerate(zip(order, prizes, strict=False), start=1)
    ]


def winners_json(winners: Sequence[DrawnWinner]) -> list[dict[str, Any]]:
    return [{"place": w.place, "ticket": w.ticket_id, "prize": w.position} for w in winners]


class DrawFileInvalid(ValueError):
    """The file is not a draw file this version reads."""


def _hex(document: dict[str, Any], key: str, size: int) -> bytes:
    value = document.get(key)
    try:
        raw = bytes.fromhex(value) if isinstance(value, str) else b""
    except ValueError:
        raw = b""
    if len(raw) != size:
        raise DrawFileInvalid(f"`{key}` must be {size} bytes in hex")
    return raw


def _counts(document: dict[str, Any]) -> list[int]:
    lottery = document.get("lottery")
    prizes = lottery.get("prizes") if isinstance(lottery, dict) else None
    if not isinstance(prizes, list) or not prizes:
        raise DrawFileInvalid("`lottery.prizes` must be a list of prizes")
    counts = [p.get("count") if isinstance(p, dict) else None for p in prizes]
    if not all(isinstance(c, int) and not isinstance(c, bool) and c >= 1 for c in counts):
        raise DrawFileInvalid("each prize needs a whole `count` of at least 1")
    return [int(c) for c in counts if isinstance(c, int)]


def differences(document: object) -> list[str]:
    """What in a draw file does not hold, each said in one line; [] when it all recomputes.
    DrawFileInvalid when it is not a draw file at all."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise DrawFileInvalid(f"not a draw file: `format` must be {FORMAT!r}")
    lottery = document.get("lottery")
    lottery_id = lottery.get("lottery_id") if isinstance(lottery, dict) else None
    if not isinstance(lottery_id, str):
        raise DrawFileInvalid("`lottery.lottery_id` is missing")
    tickets = document.get("entries")
    if not isinstance(tickets, list) or not all(isinstance(t, str) for t in tickets):
        raise DrawFileInvalid("`entries` must be a list of ticket ids")
    if not isinstance(document.get("winners"), list):
        raise DrawFileInvalid("`winners` must be a list")
    seed = _hex(document, "seed", SEED_BYTES)
    commitment = _hex(document, "commitment", 32)
    published = _hex(document, "entries_hash", 32)
    counts = _counts(document)
    found: list[str] = []
    if commitment_of(seed) != commitment:
        found.append(
            "commitment: it is not SHA-256 of the seed (the seed is not the committed one)"
        )
    recomputed_hash = entries_hash(lottery_id, tickets)
    if recomputed_hash != published:
        found.append(
            f"entries_hash: the entries hash to {recomputed_hash.hex()}, not the published"
            f" {published.hex()}"
        )
    expected = winners_json(draw(tickets, published, seed, counts))
    stated = document["winners"]
    if stated != expected:
        place = next(
            (i + 1 for i, (a, b) in enumerate(zip(stated, expected, strict=False)) if a != b),
            min(len(stated), len(expected)) + 1,
        )
        found.append(
            f"winners: they differ from the recomputed draw from place {place}"
            f" ({len(stated)} stated, {len(expected)} recomputed)"
        )
    return found
