"""The payout's read of stores' accounts on a real node: every listed store's account, or a
refusal naming the first store without one."""

from __future__ import annotations

import pytest

from node.campaigns import bank_actions
from node.errors import StoreBankMissing, StoreNotFound
from node.home import NodeHome
from tests.conftest import FakeClock
from tests.points_helpers import points_node


async def test_accounts_to_pay_are_read_or_the_store_without_one_is_named(
    home: NodeHome, clock: FakeClock
) -> None:
    async with points_node(home, clock) as running:
        node = running.node
        first, second, third = [await running.store(name) for name in ("一", "二", "三")]
        await bank_actions.set_store_bank(node, first, "0001", "001", "ordinary", "1", "ｱ")
        await bank_actions.set_store_bank(node, second, "0033", "001", "savings", "22", "イ")
        found = await bank_actions.accounts_to_pay(node, [second, first, first])
        assert sorted(found) == sorted([first, second])
        assert found[second].account_number == "0000022"
        assert found[second].holder_kana == "ｲ"
        with pytest.raises(StoreBankMissing) as refused:
            await bank_actions.accounts_to_pay(node, [first, third, second])
        assert refused.value.details["store_id"] == third
        assert refused.value.code == "payout.no_bank_account"
        with pytest.raises(StoreNotFound):
            await bank_actions.set_store_bank(node, "st_nosuch", "0001", "001", "current", "1", "ｱ")
