"""The residence check as the wallet uses it (takes `Node`): a resident's declared postcode."""

from __future__ import annotations

from typing import Any

from node.campaigns import residence_operations
from node.campaigns.residence import parse_postcode
from node.campaigns.verification_model import proof_answer
from node.runtime import Node


async def declare_residence(
    node: Node, campaign_id: str, customer_id: str, typed: str
) -> dict[str, Any]:
    postcode = parse_postcode(typed)
    proof = await node.require_writer().submit(
        residence_operations.declare_residence(campaign_id, customer_id, postcode, node.clock.now())
    )
    return proof_answer(proof)
