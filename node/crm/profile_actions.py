"""Customers' profiles for the admin API (and the console), and what the counter sees of a
voucher's holder when it scans (お声がけ: name, rank, greeting note; nothing else)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from node.clock import new_id
from node.crm import operations, queries
from node.crm.consents import ConsentMethod
from node.crm.profiles import Profile, read_profile
from node.errors import CustomerNotFound, InvalidProfile
from node.ledger import queries as ledger_queries
from node.runtime import Node
from node.text import is_printable


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


async def erase(
    node: Node, customer_id: str, raw_reason: object, method: ConsentMethod, actor: str
) -> None:
    """Erase the customer's personal data on their request (operations.erase_customer)."""
    if not isinstance(raw_reason, str) or not raw_reason.strip() or len(raw_reason) > 200:
        raise InvalidProfile(
            "`reason` must say whose request it was, 1 to 200 characters.", field="reason"
        )
    if not is_printable(raw_reason):
        raise InvalidProfile("`reason` must be printable text.", field="reason")
    work = operations.erase_customer(
        customer_id, new_id(node.rng, "ce"), method, actor, raw_reason.strip(), node.clock.now()
    )
    await node.require_writer().submit(work)


async def greeting(node: Node, customer_id: str | None) -> Greeting | None:
    if customer_id is None:
        return None
    found = await queries.greeting(node.require_reader(), customer_id)
    return None if found is None else Greeting(*found)
