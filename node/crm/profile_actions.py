"""Customers' profiles for the admin API (and the console), and what the counter sees of a
voucher's holder when it scans (お声がけ: name, rank, greeting note; nothing else)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from node.clock import new_id
from node.crm import operations, queries
from node.crm.consents import ConsentMethod
from node.crm.profiles import OWN_FIELDS, Profile, read_name, read_profile
from node.errors import CustomerNotFound, InvalidProfile
from node.ledger import queries as ledger_queries
from node.runtime import Node
from node.text import is_printable


@dataclass(frozen=True)
class Greeting:
    name: str
    rank: str | None
    note: str | None


def _today(node: Node) -> date:
    return node.clock.now().astimezone(node.config.zone).date()


async def save(node: Node, customer_id: str, body: dict[str, Any], actor: str) -> Profile:
    made = read_profile(customer_id, body, _today(node))
    return await node.require_writer().submit(
        operations.save_profile(made, actor, node.clock.now())
    )


async def save_with_name(
    node: Node, customer_id: str, raw_name: object, body: dict[str, Any], actor: str
) -> Profile:
    """Head office's form in the console: the customer's name and their whole profile."""
    name = read_name(raw_name)
    made = read_profile(customer_id, body, _today(node))
    return await node.require_writer().submit(
        operations.save_profile(made, actor, node.clock.now(), name)
    )


async def save_own(node: Node, customer_id: str, raw_name: object, body: dict[str, Any]) -> Profile:
    """The customer's own edit in the wallet: name and OWN_FIELDS only (anything else sent is
    ignored: notes, greeting and tags are head office's)."""
    name = read_name(raw_name)
    made = read_profile(customer_id, {k: body.get(k) for k in OWN_FIELDS}, _today(node))
    work = operations.save_own_profile(made, name, f"customer:{customer_id}", node.clock.now())
    return await node.require_writer().submit(work)


async def shown(node: Node, customer_id: str) -> Profile:
    db = node.require_reader()
    if await ledger_queries.get_customer(db, customer_id) is None:
        raise CustomerNotFound()
    return await queries.profile(db, customer_id)


async def erase(
    node: Node,
    customer_id: str,
    raw_reason: object,
    method: ConsentMethod,
    actor: str,
    also: Callable[[sqlite3.Connection], None] | None = None,
) -> None:
    """Erase the customer's personal data on their request (operations.erase_customer). `also`
    runs in the same transaction once the erasure is allowed: the pages end the customer's
    wallet sign-in with it (a table of the web layer, which this one cannot name)."""
    if not isinstance(raw_reason, str) or not raw_reason.strip() or len(raw_reason) > 200:
        raise InvalidProfile(
            "`reason` must say whose request it was, 1 to 200 characters.", field="reason"
        )
    if not is_printable(raw_reason):
        raise InvalidProfile("`reason` must be printable text.", field="reason")
    erasure = operations.erase_customer(
        customer_id, new_id(node.rng, "ce"), method, actor, raw_reason.strip(), node.clock.now()
    )

    def work(conn: sqlite3.Connection) -> None:
        erasure(conn)
        if also is not None:
            also(conn)

    await node.require_writer().submit(work)


async def erased_at(node: Node, customer_id: str) -> datetime | None:
    return await queries.erased_at(node.require_reader(), customer_id)


async def greeting(node: Node, customer_id: str | None) -> Greeting | None:
    if customer_id is None:
        return None
    found = await queries.greeting(node.require_reader(), customer_id)
    return None if found is None else Greeting(*found)
