"""Use cases of stores' bank accounts, taking `Node`: what the admin API and the CLI share."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from node.campaigns import bank_tables
from node.campaigns.bank import BankAccount, check_account
from node.errors import StoreBankMissing
from node.runtime import Node


async def set_store_bank(
    node: Node,
    store_id: str,
    bank_code: str,
    branch_code: str,
    account_type: str,
    account_number: str,
    holder: str,
) -> dict[str, Any]:
    """Check the account against the bank-code list, then replace the store's in one writer
    unit (which refuses a store that does not exist). Nothing is kept when anything is wrong."""
    account = check_account(
        bank_code, branch_code, account_type, account_number, holder, store_id=store_id
    )
    saved = await node.require_writer().submit(
        bank_tables.record_store_bank(store_id, account, node.clock.now())
    )
    return {"store_id": store_id, **saved.to_json()}


async def accounts_to_pay(node: Node, store_ids: Iterable[str]) -> dict[str, BankAccount]:
    """The account of every store to be paid, or StoreBankMissing naming the first store (by
    id) without one: a payout pays every store it lists or none."""
    wanted = sorted(set(store_ids))
    found = await bank_tables.accounts_of(node.require_reader(), wanted)
    for store_id in wanted:
        if store_id not in found:
            raise StoreBankMissing(
                f"store {store_id} has no bank account on record", store_id=store_id
            )
    return found
