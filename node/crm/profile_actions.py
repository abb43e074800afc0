"""Customers' profiles for the admin API (and the console), and what the counter sees of a
voucher's holder when it scans (お声がけ: name, rank, greeting note; nothing else)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from node.crm import operations, queries
from node.crm.profiles import Profile, read_profile
from node.errors import CustomerNotFound
from node.ledger import queries as ledger_queries
from node.runtime import Node


@dataclass(frozen=True)
class Greeting:
    name: str
    rank: str | None
    note: str | None


async def save(node: Node, customer_id: str, body: dict[str, Any], actor: str) -> Profile:
    today = node.clock.now().astimezone(node.config.zone).date()
    made = read_profile(customer_id, body, today)
    return await node.require_writer().submit(
        operations.save_profile(made, actor, node.clock.now())
    )


async def shown(node: Node, customer_id: str) -> Profile:
    db = node.require_reader()
    if await ledger_queries.get_customer(db, customer_id) is None:
        raise CustomerNotFound()
    return await queries.profile(db, customer_id)


async def greeting(node: Node, customer_id: str | None) -> Greeting | None:
    if customer_id is None:
        return None
    found = await queries.greeting(node.require_reader(), customer_id)
    return None if found is None else Greeting(*found)
