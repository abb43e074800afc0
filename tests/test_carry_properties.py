"""Carry-forward of store payouts, pure: over any sequence of redemptions, voids (of coupons paid
or not yet paid), payout runs, write-offs and repayments (part or all of a carry), each store's
transfers less what it owes back less what was written off or repaid is its net use in the paid
periods, nothing negative is ever transferred, each run's entry balances, the store's revenue
account (redemptions, voids, payouts, write-offs and repayments posted as the node posts them)
is its use not paid yet less what it owes back, and head office's cash is the repayments less
the transfers; each run's transfers apportioned to campaigns add up to the run's cash."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import UTC, datetime

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from node.campaigns.bank import AccountType, BankAccount
from node.campaigns.carry_core import (
    REPAID,
    WRITE_OFF,
    WRITE_OFF_ACCOUNT,
    CarrySums,
    StoreBooks,
    carries_of,
    clearing_entry,
    outstanding,
    store_reconciliation,
    store_runs,
)
from node.campaigns.payout_core import apportion, payout_entry, transfers
from node.ledger.model import cash_account, revenue_account

NOW = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)
STORES = ("st_a", "st_b", "st_c")
CAMPAIGNS = ("cp_a", "cp_b")
HQ = cash_account(None)
ACCOUNT = BankAccount("0001", "001", AccountType.ORDINARY, "0000001", "ｱ")


class Payouts(RuleBasedStateMachine):
    """Stores' use period by period; what the node records (runs, write-offs, postings) kept in
    plain lists, as its tables keep them."""

    def __init__(self) -> None:
        super().__init__()
        self.redemptions: list[tuple[str, str, int]] = []  # store, campaign, yen
        self.voided: set[int] = set()
        # the open period's net, by store and (campaign, store class) line
        self.period_use: dict[str, dict[tuple[str, str], int]] = defaultdict(
            lambda: defaultdict(int)
        )
        self.runs: list[tuple[str, int, int, int, int]] = []  # store, net, in, transferred, out
        self.clearings: list[tuple[str, str, int]] = []  # kind, store, yen
        self.revenue: dict[str, int] = defaultdict(int)  # postings on revenue:<store>
        self.hq_cash = 0  # postings on cash:hq
        self.runs_made = 0

    def sums(self) -> dict[str, CarrySums]:
        """Per store its sums, as carry_tables.SUMS_SQL reads them."""
        found: dict[str, list[int]] = {}
        for store, net, _, transferred, _ in self.runs:
            figures = found.setdefault(store, [0, 0, 0, 0])
            figures[0] += transferred
            figures[1] += net
        for kind, store, amount in self.clearings:
            found.setdefault(store, [0, 0, 0, 0])[2 if kind == WRITE_OFF else 3] += amount
        return {store: CarrySums(*f) for store, f in found.items()}

    def open_net(self, store: str) -> int:
        return sum(self.period_use[store].values())

    @rule(
        store=st.sampled_from(STORES),
        campaign=st.sampled_from(CAMPAIGNS),
        amount=st.integers(1, 50_000),
    )
    def redeem(self, store: str, campaign: str, amount: int) -> None:
        self.redemptions.append((store, campaign, amount))
        self.period_use[store][(campaign, "common")] += amount
        self.revenue[store] -= amount

    @precondition(lambda self: len(self.voided) < len(self.redemptions))
    @rule(data=st.data())
    def void(self, data: st.DataObject) -> None:
        """A void counts in the open period, whichever period its redemption was paid in."""
        open_ones = [n for n in range(len(self.redemptions)) if n not in self.voided]
        n = data.draw(st.sampled_from(open_ones))
        store, campaign, amount = self.redemptions[n]
        self.voided.add(n)
        self.period_use[store][(campaign, "common")] -= amount
        self.revenue[store] += amount

    @rule()
    def run(self) -> None:
        totals = {
            store: self.open_net(store) for store in self.period_use if self.period_use[store]
        }
        runs = store_runs(totals, carries_of(self.sums()))
        paid = transfers(runs, dict.fromkeys(STORES, ACCOUNT))
        entry = payout_entry(f"tx_{self.runs_made}", NOW, paid)
        assert (entry is None) == (not paid)
        if entry is not None:
            assert entry.is_balanced
            for posting in entry.postings:
                if posting.account.startswith("revenue:"):
                    self.revenue[posting.account.removeprefix("revenue:")] += posting.amount_yen
                if posting.account == HQ:
                    self.hq_cash += posting.amount_yen
        for r in runs:
            shares = apportion(self.period_use[r.store_id], r.transferred_yen)
            assert sum(shares.values()) == r.transferred_yen
            for key, yen in shares.items():
                assert 0 <= yen <= self.period_use[r.store_id][key]
            assert r.transferred_yen >= 0 and r.carry_out_yen >= 0 and r.carry_in_yen >= 0
            assert r.transferred_yen == 0 or r.carry_out_yen == 0
            assert r.transferred_yen - r.carry_out_yen == r.net_yen - r.carry_in_yen
            self.runs.append(
                (r.store_id, r.net_yen, r.carry_in_yen, r.transferred_yen, r.carry_out_yen)
            )
        assert sum(t.amount_yen for t in paid) == sum(r.transferred_yen for r in runs)
        self.period_use.clear()
        self.runs_made += 1

    def clear(self, kind: str, store: str, amount: int) -> None:
        entry = clearing_entry(kind, f"tx_c{len(self.clearings)}", NOW, store, amount)
        assert entry.is_balanced
        postings = {p.account: p.amount_yen for p in entry.postings}
        debited = WRITE_OFF_ACCOUNT if kind == WRITE_OFF else HQ
        assert postings == {debited: amount, revenue_account(store): -amount}
        self.revenue[store] -= amount
        self.hq_cash += postings.get(HQ, 0)
        self.clearings.append((kind, store, amount))

    @rule(store=st.sampled_from(STORES))
    def write_off(self, store: str) -> None:
        owed = carries_of(self.sums()).get(store, 0)
        if owed > 0:
            self.clear(WRITE_OFF, store, owed)

    @rule(store=st.sampled_from(STORES), data=st.data())
    def repay(self, store: str, data: st.DataObject) -> None:
        """The store pays back part or all of what it owes (the node refuses more)."""
        owed = carries_of(self.sums()).get(store, 0)
        if owed > 0:
            self.clear(REPAID, store, data.draw(st.integers(1, owed)))

    @invariant()
    def transferred_less_owed_is_the_net_use_of_the_paid_periods(self) -> None:
        sums = self.sums()
        for store in STORES:
            figures = sums.get(store, CarrySums())
            owed = figures.owed_yen
            assert owed >= 0
            assert owed == carries_of(sums).get(store, 0)
            assert (
                figures.transferred_yen - owed - figures.written_off_yen - figures.repaid_yen
                == figures.net_yen
            )
            assert -self.revenue[store] == self.open_net(store) - owed

    @invariant()
    def all_use_is_transferred_owed_cleared_or_unpaid(self) -> None:
        use = sum(a for n, (_, _, a) in enumerate(self.redemptions) if n not in self.voided)
        transferred = sum(r[3] for r in self.runs)
        owed = sum(carries_of(self.sums()).values())
        cleared = sum(a for _, _, a in self.clearings)
        unpaid = sum(self.open_net(store) for store in STORES)
        assert transferred - owed - cleared + unpaid == use
        repaid = sum(a for kind, _, a in self.clearings if kind == REPAID)
        assert self.hq_cash == repaid - transferred


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
        repaid_yen=0,
        carry_yen=outstanding(8500, 5500, 1000, 0),
        unpaid_use_yen=700,
        ledger_paid_yen=7500,
        ledger_balance_yen=-1300,
    )
    assert store_reconciliation(good)["reconciled"] is True
    assert good.carry_yen == 2000
    repaid = replace(good, repaid_yen=500, carry_yen=1500, ledger_paid_yen=7000)
    assert store_reconciliation(replace(repaid, ledger_balance_yen=-800))["reconciled"] is True
    for broken in (
        replace(repaid, ledger_paid_yen=7500, ledger_balance_yen=-800),
        replace(good, ledger_paid_yen=7501),
        replace(good, ledger_balance_yen=-1299),
        replace(good, carry_yen=-1, ledger_balance_yen=701),
    ):
        assert store_reconciliation(broken)["reconciled"] is False, broken


def test_a_negative_sum_is_never_netted() -> None:
    """A store whose sums say it is owed (more repaid than it owed, which the node refuses) is
    not given a negative carry_in: carries_of keeps only amounts above zero."""
    sums = {"st_a": CarrySums(1000, 0, 0, 1500), "st_b": CarrySums(500, 0, 0, 0)}
    assert carries_of(sums) == {"st_b": 500}
    assert [r.carry_in_yen for r in store_runs({"st_a": 800}, carries_of(sums))] == [0]


def test_a_transfer_is_shared_among_campaigns_by_use() -> None:
    """¥7,000 sent for ¥10,000 of A and ¥5,000 of B less a ¥1,000 void of C: A 4,667, B 2,333
    (largest remainder), C nothing; the shares add up to what was sent."""
    use = {("cp_a", "common"): 10_000, ("cp_b", "local"): 5_000, ("cp_c", "common"): -1_000}
    assert apportion(use, 7_000) == {("cp_a", "common"): 4_667, ("cp_b", "local"): 2_333}
    assert apportion(use, 0) == {}
    assert apportion({("cp_a", "common"): 3, ("cp_b", "common"): 3}, 1) == {
        ("cp_a", "common"): 1,
        ("cp_b", "common"): 0,
    }
