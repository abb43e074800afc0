"""Properties of the pure ledger rules under random sequences of issue/redeem/void/gift/expire."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import timedelta
from zoneinfo import ZoneInfo

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from node.errors import KippuError
from node.ledger import core, payouts
from node.ledger.model import (
    BREAKAGE_ACCOUNT,
    REFUND_PAYABLE_ACCOUNT,
    VOUCHER_PREFIX,
    JournalEntry,
    LedgerPolicy,
    Outcome,
    Redemption,
    Voucher,
    VoucherStatus,
)
from tests.conftest import START

ZONE = ZoneInfo("Asia/Tokyo")
POLICY = LedgerPolicy(max_voucher_yen=50_000, void_same_day_only=True)
yen = st.integers(min_value=-5, max_value=60_000)


class LedgerMachine(RuleBasedStateMachine):
    """Drives the core as the shell would: keep the outcome if a rule accepts, nothing if it refuses."""

    def __init__(self) -> None:
        super().__init__()
        self.now = START
        self.vouchers: dict[str, Voucher] = {}
        self.redemptions: list[Redemption] = []
        self.entries: list[JournalEntry] = []
        self.issued_face = 0
        self.refunded = 0
        self.set_aside: list[int] = []  # claimed refunds not paid yet
        self.counter = 0

    def _next_id(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter:011d}"

    def _apply(self, outcome: Outcome) -> None:
        assert outcome.entry.is_balanced
        for voucher in outcome.vouchers:
            assert voucher.balance_yen >= 0
            before = self.vouchers.get(voucher.voucher_id)
            if before is not None and before.status != voucher.status:
                assert (before.status, voucher.status) in core.ALLOWED_TRANSITIONS
            self.vouchers[voucher.voucher_id] = voucher
        self.entries.append(outcome.entry)

    def _attempt(self, action: object) -> Outcome | None:
        snapshot = dict(self.vouchers)
        try:
            return action()  # type: ignore[operator, no-any-return]
        except KippuError:
            assert self.vouchers == snapshot  # a refusal changes nothing
            return None

    @rule(face=yen, discount=st.integers(0, 2_000), days=st.none() | st.integers(-1, 40))
    def issue(self, face: int, discount: int, days: int | None) -> None:
        cmd = core.IssueRequest(
            self._next_id(""),
            b"s" * 32,
            face,
            face - discount,
            None,
            None,
            days,
            self._next_id("tx"),
        )
        outcome = self._attempt(lambda: core.issue_voucher(cmd, POLICY, self.now, ZONE))
        if outcome is not None:
            assert 0 < face <= POLICY.max_voucher_yen and face - discount >= 0
            self.issued_face += face
            self._apply(outcome)

    @precondition(lambda self: self.vouchers)
    @rule(data=st.data(), amount=yen)
    def redeem(self, data: st.DataObject, amount: int) -> None:
        voucher = self.vouchers[data.draw(st.sampled_from(sorted(self.vouchers)))]
        txn = self._next_id("tx")
        outcome = self._attempt(lambda: core.redeem(voucher, "st_a", amount, self.now, txn))
        if outcome is not None:
            assert 1 <= amount <= voucher.balance_yen
            self._apply(outcome)
            self.redemptions.append(
                Redemption(
                    self._next_id("rd"),
                    voucher.voucher_id,
                    "st_a",
                    amount,
                    self._next_id("R"),
                    txn,
                    self.now,
                )
            )

    @precondition(lambda self: self.redemptions)
    @rule(data=st.data())
    def void(self, data: st.DataObject) -> None:
        index = data.draw(st.integers(0, len(self.redemptions) - 1))
        redemption = self.redemptions[index]
        voucher = self.vouchers[redemption.voucher_id]
        outcome = self._attempt(
            lambda: core.void_redemption(
                voucher, redemption, POLICY, self.now, ZONE, self._next_id("tx")
            )
        )
        if outcome is not None:
            self._apply(outcome)
            self.redemptions[index] = replace(redemption, voided_at=self.now)

    @precondition(lambda self: self.vouchers)
    @rule(data=st.data(), amount=st.none() | yen, recipient=st.sampled_from(["cu_friend", None]))
    def gift(self, data: st.DataObject, amount: int | None, recipient: str | None) -> None:
        source = self.vouchers[data.draw(st.sampled_from(sorted(self.vouchers)))]
        cmd = core.GiftRequest(recipient, amount, self._next_id(""), b"g" * 32, self._next_id("tx"))
        outcome = self._attempt(lambda: core.gift_voucher(source, cmd, self.now, ZONE))
        if outcome is not None:
            assert not source.is_gift and not source.has_given_gift
            self._apply(outcome)
            new = self.vouchers[cmd.new_voucher_id]
            assert new.is_gift and new.expires_at is not None
            assert timedelta(days=180) < new.expires_at - self.now <= timedelta(days=185)

    def _gifts(self) -> list[Voucher]:
        return [v for v in self.vouchers.values() if v.is_gift]

    @precondition(lambda self: self._gifts())
    @rule(data=st.data())
    def receive_gift(self, data: st.DataObject) -> None:
        """A link opened: the gift gets its holder (node/web/handover.py does this in the shell)."""
        gift = data.draw(st.sampled_from(sorted(self._gifts(), key=lambda v: v.voucher_id)))
        if gift.holder_id is None and gift.status == VoucherStatus.ACTIVE:
            self.vouchers[gift.voucher_id] = replace(gift, holder_id="cu_friend")

    @precondition(lambda self: self._gifts())
    @rule(data=st.data())
    def take_back(self, data: st.DataObject) -> None:
        gift = data.draw(st.sampled_from(sorted(self._gifts(), key=lambda v: v.voucher_id)))
        assert gift.gifted_from is not None
        source = self.vouchers[gift.gifted_from]
        txn = self._next_id("tx")
        outcome = self._attempt(lambda: core.return_gift(source, gift, self.now, txn))
        if outcome is None:
            return
        assert gift.holder_id is None and gift.status == VoucherStatus.ACTIVE
        self._apply(outcome)
        back, void = self.vouchers[source.voucher_id], self.vouchers[gift.voucher_id]
        assert back.balance_yen == source.balance_yen + gift.balance_yen  # exactly, to the yen
        assert not back.has_given_gift and back.status == VoucherStatus.ACTIVE
        assert void.status == VoucherStatus.VOID and void.balance_yen == 0

    @precondition(lambda self: self.vouchers)
    @rule(data=st.data(), off_by=st.sampled_from([0, 0, 0, 1, -1]))
    def refund(self, data: st.DataObject, off_by: int) -> None:
        """払戻し (where the law allows it): the whole balance to head office's cash, voucher void."""
        voucher = self.vouchers[data.draw(st.sampled_from(sorted(self.vouchers)))]
        amount = voucher.balance_yen + off_by
        outcome = self._attempt(
            lambda: payouts.refund_balance(voucher, amount, self.now, self._next_id("tx"))
        )
        if outcome is not None:
            assert off_by == 0 and outcome.vouchers[0].status == VoucherStatus.VOID
            self._apply(outcome)
            self.refunded += amount

    @precondition(lambda self: self.vouchers)
    @rule(data=st.data())
    def claim_refund(self, data: st.DataObject) -> None:
        """A refund claim under an abolition: the whole balance set aside, the voucher void, so
        that no later rule (expiry, a void, another refund) can move the value claimed."""
        voucher = self.vouchers[data.draw(st.sampled_from(sorted(self.vouchers)))]
        outcome = self._attempt(
            lambda: payouts.set_aside_refund(voucher, self.now, self._next_id("tx"))
        )
        if outcome is not None:
            assert outcome.vouchers[0].status == VoucherStatus.VOID
            self._apply(outcome)
            self.set_aside.append(voucher.balance_yen)

    @precondition(lambda self: self.set_aside)
    @rule()
    def pay_claim(self) -> None:
        amount = self.set_aside.pop(0)
        self._apply(payouts.pay_refund_payable(amount, self.now, self._next_id("tx")))
        self.refunded += amount

    @rule(hours=st.integers(1, 24 * 40))
    def time_passes(self, hours: int) -> None:
        self.now += timedelta(hours=hours)

    @rule()
    def sweep_expired(self) -> None:
        for voucher in list(self.vouchers.values()):
            outcome = core.expire_voucher(voucher, self.now, self._next_id("tx"))
            if outcome is not None:
                assert voucher.is_expired_at(self.now)
                self._apply(outcome)
                assert self.vouchers[voucher.voucher_id].status == VoucherStatus.EXPIRED

    def _account_totals(self) -> dict[str, int]:
        totals: dict[str, int] = defaultdict(int)
        for entry in self.entries:
            for posting in entry.postings:
                totals[posting.account] += posting.amount_yen
        return totals

    @invariant()
    def every_entry_balances(self) -> None:
        assert all(entry.is_balanced for entry in self.entries)

    @invariant()
    def voucher_balances_equal_liability_accounts(self) -> None:
        totals = self._account_totals()
        for voucher in self.vouchers.values():
            assert voucher.balance_yen >= 0
            assert voucher.balance_yen == -totals.get(VOUCHER_PREFIX + voucher.voucher_id, 0)
            if voucher.status == VoucherStatus.EXHAUSTED:
                assert voucher.balance_yen == 0
            if voucher.status == VoucherStatus.ACTIVE:
                assert voucher.balance_yen > 0

    @invariant()
    def no_value_is_created_or_lost(self) -> None:
        """Face value issued = what vouchers still hold + what stores redeemed + breakage + what
        was refunded (paid back out of the issuer's cash) + what is claimed and owed."""
        totals = self._account_totals()
        owed = -totals.get(REFUND_PAYABLE_ACCOUNT, 0)
        assert owed == sum(self.set_aside) >= 0
        held = sum(v.balance_yen for v in self.vouchers.values())
        redeemed = -sum(y for a, y in totals.items() if a.startswith("revenue:"))
        broken = -totals.get(BREAKAGE_ACCOUNT, 0)
        assert held + redeemed + broken + self.refunded + owed == self.issued_face
        assert redeemed >= 0 and broken >= 0

    @invariant()
    def a_voucher_gives_at_most_one_gift(self) -> None:
        """One gift standing per voucher; a gift taken back (void) frees the giver to give again."""
        sources = [
            v.gifted_from
            for v in self.vouchers.values()
            if v.gifted_from is not None and v.status != VoucherStatus.VOID
        ]
        assert len(sources) == len(set(sources))
        assert not any(self.vouchers[s].is_gift for s in sources)


TestLedgerMachine = LedgerMachine.TestCase
TestLedgerMachine.settings = settings(max_examples=150, stateful_step_count=40, deadline=None)


def test_lifecycle_table_is_the_designed_one() -> None:
    allowed = {(a.value, b.value) for a, b in core.ALLOWED_TRANSITIONS}
    assert allowed == {
        ("active", "exhausted"),
        ("active", "expired"),
        ("active", "void"),
        ("exhausted", "active"),
    }
