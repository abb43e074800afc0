"""The residence check as the API and the wallet use it (they take `Node`): the office's area for
a campaign, and a resident's declared postcode."""

from __future__ import annotations

from typing import Any

from node.campaigns import eligibility_queries, residence_operations
from node.campaigns.residence import parse_area, parse_postcode
from node.campaigns.serial_actions import proof_answer
from node.errors import InvalidPostcode
from node.runtime import Node


async def set_area(node: Node, campaign_id: str, entries: object) -> dict[str, Any]:
    """Replace the campaign's area: postcodes (7 digits) and prefixes (3 digits)."""
    if not isinstance(entries, list):
        raise InvalidPostcode(field="postcodes", entry="")
    area = parse_area(entries)
    await node.require_writer().submit(residence_operations.set_area(campaign_id, area))
    return {"campaign_id": campaign_id, "postcodes": area}


async def show_area(node: Node, campaign_id: str) -> dict[str, Any]:
    area = await eligibility_queries.area(node.require_reader(), campaign_id)
    return {"campaign_id": campaign_id, "postcodes": area}


async def declare_residence(
    node: Node, campaign_id: str, customer_id: str, typed: str
) -> dict[str, Any]:
    postcode = parse_postcode(typed)
    proof = await node.require_writer().submit(
        residence_operations.declare_residence(campaign_id, customer_id, postcode, node.clock.now())
    )
    return proof_answer(proof)
