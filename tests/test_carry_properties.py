"""Carry-forward of store payouts, pure: over any sequence of redemptions, voids (of coupons paid
or not yet paid), payout runs and write-offs, each store's transfers less what it owes back less
what was written off is its net use in the paid periods, nothing negative is ever transferred,
each run's entry balances, and the store's revenue account (redemptions, voids, payouts and
write-offs posted as the node posts them) is its use not paid yet less what it owes back."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import UTC, datetime

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from node.campaigns.bank import AccountType, BankAccount
from node.campaigns.carry_core import (
    WRITE_OFF_ACCOUNT,
    StoreBooks,
    carries_of,
    outstanding,
    store_reconciliation,
    store_runs,
    write_off_entry,
)
from node.campaigns.payout_core import payout_entry, transfers
from node.ledger.model import revenue_account

NOW = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)
STORES = ("st_a", "st_b", "st_c")
ACCOUNT = BankAccount("0001", "001", AccountType.ORDINARY, "0000001", "ｱ")


class Payouts(RuleBasedStateMachine):
    """Stores' use period by period; what the node records (runs, write-offs, postings) kept in
    plain lists, as its tables keep them."""

    def __init__(self) -> None:
        super().__init__()
        self.redemptions: list[tuple[str, int]] = []
        self.voided: set[int] = set()
        self.period_use: dict[str, int] = defaultdict(int)  # the open period's net, by store
        self.runs: list[tuple[str, int, int, int, int]] = []  # store, net, in, transferred, out
        self.write_offs: list[tuple[str, int]] = []
        self.revenue: dict[str, int] = defaultdict(int)  # postings on revenue:<store>
        self.runs_made = 0

    def sums(self) -> dict[str, tuple[int, int, int]]:
        """Per store (transferred, net, written off), as carry_tables.SUMS_SQL reads them."""
        found: dict[str, list[int]] = {}
        for store, net, _, transferred, _ in self.runs:
            figures = found.setdefault(store, [0, 0, 0])
            figures[0] += transferred
            figures[1] += net
        for store, amount in self.write_offs:
            found.setdefault(store, [0, 0, 0])[2] += amount
        return {store: (f[0], f[1], f[2]) for store, f in found.items()}

    @rule(store=st.sampled_from(STORES), amount=st.integers(1, 50_000))
    def redeem(self, store: str, amount: int) -> None:
        self.redemptions.append((store, amount))
        self.period_use[store] += amount
        self.revenue[store] -= amount

    @precondition(lambda self: len(self.voided) < len(self.redemptions))
    @rule(data=st.data())
    def void(self, data: st.DataObject) -> None:
        """A void counts in the open period, whichever period its redemption was paid in."""
        open_ones = [n for n in range(len(self.redemptions)) if n not in self.voided]
        n = data.draw(st.sampled_from(open_ones))
        store, amount = self.redemptions[n]
        self.voided.add(n)
        self.period_use[store] -= amount
        self.revenue[store] += amount

    @rule()
    def run(self) -> None:
        totals = {store: net for store, net in self.period_use.items() if net != 0}
        runs = store_runs(totals, carries_of(self.sums()))
        paid = transfers(runs, dict.fromkeys(STORES, ACCOUNT))
        entry = payout_entry(f"tx_{self.runs_made}", NOW, paid)
        assert (entry is None) == (not paid)
        if entry is not None:
            assert entry.is_balanced
            for posting in entry.postings:
                if posting.account.startswith("revenue:"):
                    self.revenue[posting.account.removeprefix("revenue:")] += posting.amount_yen
        for r in runs:
            assert r.transferred_yen >= 0 and r.carry_out_yen >= 0 and r.carry_in_yen >= 0
            assert r.transferred_yen == 0 or r.carry_out_yen == 0
            assert r.transferred_yen - r.carry_out_yen == r.net_yen - r.carry_in_yen
            self.runs.append(
                (r.store_id, r.net_yen, r.carry_in_yen, r.transferred_yen, r.carry_out_yen)
            )
        assert sum(t.amount_yen for t in paid) == sum(r.transferred_yen for r in runs)
        self.period_use.clear()
        self.runs_made += 1

    @rule(store=st.sampled_from(STORES))
    def write_off(self, store: str) -> None:
        owed = carries_of(self.sums()).get(store, 0)
        if owed <= 0:
            return
        entry = write_off_entry(f"tx_w{len(self.write_offs)}", NOW, store, owed)
        assert entry.is_balanced
        postings = {p.account: p.amount_yen for p in entry.postings}
        assert postings == {WRITE_OFF_ACCOUNT: owed, revenue_account(store): -owed}
        self.revenue[store] -= owed
        self.write_offs.append((store, owed))

    @invariant()
    def transferred_less_owed_is_the_net_use_of_the_paid_periods(self) -> None:
        sums = self.sums()
        for store in STORES:
            transferred, net, written_off = sums.get(store, (0, 0, 0))
            owed = outstanding(transferred, net, written_off)
            assert owed >= 0
            assert transferred - owed - written_off == net
            unpaid_use = self.period_use.get(store, 0)
            assert -self.revenue[store] == unpaid_use - owed

    @invariant()
    def all_use_is_transferred_owed_written_off_or_unpaid(self) -> None:
        use = sum(a for n, (_, a) in enumerate(self.redemptions) if n not in self.voided)
        transferred = sum(r[3] for r in self.runs)
        owed = sum(carries_of(self.sums()).values())
        written_off = sum(a for _, a in self.write_offs)
        assert transferred - owed - written_off + sum(self.period_use.values()) == use


Payouts.TestCase.settings = settings(max_examples=150, stateful_step_count=40, deadline=None)
test_carry_forward_keeps_every_yen_accounted_for = Payouts.TestCase


def test_a_stores_books_fail_when_the_revenue_account_disagrees() -> None:
    """鍵屋: ¥5,500 of use paid over its runs, ¥8,500 sent, ¥1,000 written off, so it owes
    ¥2,000; ¥700 used since. Its revenue account: debited 8,500 - 1,000, balance 700 - 2,000."""
    good = StoreBooks(
        store_id="st_a",
        store_name="鍵屋",
        run_net_yen=5500,
        transferred_yen=8500,
        written_off_yen=1000,
        carry_yen=outstanding(8500, 5500, 1000),
        unpaid_use_yen=700,
        ledger_paid_yen=7500,
        ledger_balance_yen=-1300,
    )
    assert store_reconciliation(good)["reconciled"] is True
    assert good.carry_yen == 2000
    for broken in (
        replace(good, ledger_paid_yen=7501),
        replace(good, ledger_balance_yen=-1299),
        replace(good, carry_yen=-1, ledger_balance_yen=701),
    ):
        assert store_reconciliation(broken)["reconciled"] is False, broken
