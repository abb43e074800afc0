"""Serial codes as the API, the CLI and the wallet use them (they take `Node`): a printed batch
drawn for a campaign, and a resident's use of one code as proof of eligibility."""

from __future__ import annotations

import asyncio
from typing import Any

from node.campaigns import serial_operations
from node.campaigns.serials import draw_serial, grouped, parse_serial, serial_hash
from node.campaigns.verification_model import proof_answer
from node.clock import Randomness
from node.errors import InvalidSerialCount
from node.runtime import Node

MAX_BATCH = 100_000  # a city prints in several batches
# Codes stored per writer unit: a print run of 100,000 must not hold the writer (and so the
# stores' redemptions) for seconds; each unit of 10,000 takes a fraction of one.
CHUNK = 10_000


def _draw(rng: Randomness, count: int) -> tuple[list[str], list[bytes]]:
    codes = [draw_serial(rng) for _ in range(count)]
    return codes, [serial_hash(code) for code in codes]


async def _store(
    node: Node, campaign_id: str, codes: list[str], hashes: list[bytes], positions: range
) -> None:
    """Store the codes at `positions`; a code drawn before (by chance) is replaced and tried
    again until every one is new."""
    writer, pending = node.require_writer(), list(positions)
    while pending:
        batch = [hashes[i] for i in pending]
        taken = await writer.submit(
            serial_operations.add_serials(campaign_id, batch, node.clock.now())
        )
        pending = [pending[i] for i in taken]
        for position in pending:
            codes[position] = draw_serial(node.rng)
            hashes[position] = serial_hash(codes[position])


async def generate_serials(node: Node, campaign_id: str, count: object) -> dict[str, Any]:
    """Draw `count` codes, store their hashes, and answer the plain codes (grouped for print):
    this answer is the only place they exist, so the caller writes them out at once. Should a
    later unit fail, the hashes stored before it stay, with no plain code anywhere: codes nobody
    holds, which only count in `printed`."""
    if type(count) is not int or not 1 <= count <= MAX_BATCH:
        raise InvalidSerialCount(field="count", max=MAX_BATCH)
    codes, hashes = await asyncio.to_thread(_draw, node.rng, count)
    for start in range(0, count, CHUNK):
        await _store(node, campaign_id, codes, hashes, range(start, min(start + CHUNK, count)))
    return {"campaign_id": campaign_id, "count": count, "serials": [grouped(c) for c in codes]}


async def use_serial(node: Node, campaign_id: str, customer_id: str, typed: str) -> dict[str, Any]:
    """The resident's proof by a printed code; a mistyped code is refused before any lookup."""
    code = parse_serial(typed)
    proof = await node.require_writer().submit(
        serial_operations.use_serial(campaign_id, customer_id, code, node.clock.now())
    )
    return proof_answer(proof)
