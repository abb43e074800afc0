"""Consent to marketing mail recorded by head office (the admin API, the CLI, the console) or
the customer (the wallet, a mail's unsubscribe link), and read back with its history."""

from __future__ import annotations

from node.clock import new_id
from node.crm import operations, queries
from node.crm.consents import ConsentEvent, ConsentMethod, read_answer, read_wording
from node.runtime import Node


async def record(
    node: Node,
    customer_id: str,
    raw_answer: object,
    raw_wording: object,
    method: ConsentMethod,
    actor: str,
) -> ConsentEvent:
    is_granted = read_answer(raw_answer)
    wording = read_wording(raw_wording, is_granted)
    work = operations.record_consent(
        new_id(node.rng, "ce"), customer_id, is_granted, method, wording, actor, node.clock.now()
    )
    return await node.require_writer().submit(work)


async def history(node: Node, customer_id: str) -> list[ConsentEvent]:
    return await queries.consent_history(node.require_reader(), customer_id)
