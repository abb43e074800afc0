"""Settlement's pure rules: netting, statements, comparison, clearing, claim entries; properties."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from node.errors import ExposureLimit, VoucherSuspended
from node.ledger.model import Voucher, VoucherStatus
from node.settlement import core
from node.settlement.model import (
    ALLOWED_CLAIM_TRANSITIONS,
    BreakKind,
    ClaimStatus,
    ClearedItem,
    Owed,
    StatementItem,
)

A = "A" * 52
B = "B" * 52
PAIR = core.parties(B, A)
NOW = datetime(2026, 11, 24, 1, tzinfo=UTC)

items = st.lists(
    st.builds(
        StatementItem,
        st.text("abcdef0123456789", min_size=4, max_size=8),
        st.sampled_from([A, B]),
        st.integers(1, 10_000_000),
    ),
    max_size=30,
    unique_by=lambda i: i.claim_id,
)
owed = st.builds(Owed, st.sampled_from([A, B]), st.integers(0, 10**9)).map(
    lambda o: Owed("", 0) if o.amount_yen == 0 else o
)
cleared = st.lists(
    st.builds(
        ClearedItem,
        st.text("st0123456789", min_size=3, max_size=6),
        st.sampled_from([A, B]),
        st.integers(1, 10**8),
    ),
    max_size=5,
    unique_by=lambda c: c.statement_id,
)


def voucher(balance: int) -> Voucher:
    return Voucher(
        voucher_id="123456789012",
        face_yen=10_000,
        price_yen=10_000,
        balance_yen=balance,
        status=VoucherStatus.ACTIVE if balance else VoucherStatus.EXHAUSTED,
        holder_id=None,
        store_id=None,
        created_at=NOW,
        expires_at=None,
        is_gift=False,
        has_given_gift=False,
        gifted_from=None,
        secret=bytes(32),
    )


def test_parties_do_not_depend_on_who_asks() -> None:
    assert core.parties(A, B) == core.parties(B, A) == (A, B)


@given(items, cleared, owed)
def test_closing_is_opening_plus_net_minus_cleared(
    claims: list[StatementItem], paid: list[ClearedItem], opening: Owed
) -> None:
    statement = core.build_statement("st1", 1, 0, bytes(32), PAIR, claims, paid, opening)
    owed_by_a = sum(i.amount_yen for i in claims if i.issuer == A)
    owed_by_b = sum(i.amount_yen for i in claims if i.issuer == B)
    assert core.signed_owed(statement.net, PAIR) == owed_by_a - owed_by_b  # one payer: netting
    paid_by_a = sum(c.amount_yen if c.payer == A else -c.amount_yen for c in paid)
    expected = core.signed_owed(opening, PAIR) + owed_by_a - owed_by_b - paid_by_a
    assert core.signed_owed(statement.closing, PAIR) == expected
    assert statement.net.amount_yen >= 0 and statement.closing.amount_yen >= 0


@given(items, cleared, owed)
def test_both_sides_build_the_same_statement(
    claims: list[StatementItem], paid: list[ClearedItem], opening: Owed
) -> None:
    mine = core.build_statement("st1", 3, 9, bytes(32), core.parties(A, B), claims, paid, opening)
    theirs = core.build_statement(
        "st1", 3, 9, bytes(32), core.parties(B, A), list(reversed(claims)), paid, opening
    )
    assert mine == theirs
    assert core.statement_hash(mine) == core.statement_hash(theirs)
    assert core.compare_statements(theirs, mine, PAIR) == []
    message = core.statement_message(mine)
    assert core.statement_from_message(message) == mine
    assert core.stored_statement(message.pack_fields()) == mine


@given(items.filter(bool), st.integers(1, 1000))
def test_a_changed_amount_or_missing_claim_is_a_break(
    claims: list[StatementItem], extra: int
) -> None:
    mine = core.build_statement("s", 1, 0, bytes(32), PAIR, claims, [], Owed("", 0))
    lied = [StatementItem(claims[0].claim_id, claims[0].issuer, claims[0].amount_yen + extra)]
    theirs = core.build_statement("s", 1, 0, bytes(32), PAIR, lied + claims[1:], [], Owed("", 0))
    kinds = {b.kind for b in core.compare_statements(theirs, mine, PAIR)}
    assert BreakKind.AMOUNT in kinds
    missing = core.build_statement("s", 1, 0, bytes(32), PAIR, claims[1:], [], Owed("", 0))
    assert BreakKind.MISSING_THERE in {b.kind for b in core.compare_statements(missing, mine, PAIR)}


def test_totals_that_do_not_follow_from_the_items_are_a_break() -> None:
    claims = [StatementItem("c1", A, 5_000)]
    mine = core.build_statement("s", 1, 0, bytes(32), PAIR, claims, [], Owed("", 0))
    forged = mine.__class__(**{**mine.__dict__, "net": Owed(A, 4_000)})
    assert [b.kind for b in core.compare_statements(forged, mine, PAIR)] == [BreakKind.TOTALS]


@given(items)
def test_clearing_balances_and_empties_both_accounts(claims: list[StatementItem]) -> None:
    statement = core.build_statement("s", 1, 0, bytes(32), PAIR, claims, [], Owed("", 0))
    for me, peer in ((A, B), (B, A)):
        outcome = core.clearing_outcome(me, peer, statement, NOW, "tx")
        if not claims:
            assert outcome is None
            continue
        assert outcome is not None and outcome.entry.is_balanced
        lines = {p.account: p.amount_yen for p in outcome.entry.postings}
        assert lines.get(core.payable_account(peer), 0) == sum(
            i.amount_yen for i in claims if i.issuer == me
        )
        assert -lines.get(core.receivable_account(peer), 0) == sum(
            i.amount_yen for i in claims if i.issuer == peer
        )


@given(st.integers(1, 10_000), st.integers(1, 10_000))
def test_accepting_then_voiding_a_claim_restores_the_voucher(balance: int, amount: int) -> None:
    before = voucher(balance)
    if amount > balance:
        return
    accepted = core.accept_claim(before, B, amount, NOW, NOW, "t1")
    assert accepted.vouchers[0].balance_yen == balance - amount
    assert accepted.entry.is_balanced
    voided = core.void_accepted_claim(accepted.vouchers[0], B, amount, NOW, "t2")
    assert voided.vouchers[0].balance_yen == balance
    assert voided.vouchers[0].status == VoucherStatus.ACTIVE
    booked = core.book_claim(A, "st_x", amount, NOW, "t3")
    unbooked = core.unbook_claim(A, "st_x", amount, NOW, "t4")
    net: dict[str, int] = {}
    for entry in (booked.entry, unbooked.entry):
        for posting in entry.postings:
            net[posting.account] = net.get(posting.account, 0) + posting.amount_yen
    assert set(net.values()) == {0}


def test_claim_lifecycle_has_no_way_back_from_cleared_or_rejected() -> None:
    sources = {a for a, _ in ALLOWED_CLAIM_TRANSITIONS}
    assert ClaimStatus.CLEARED not in sources
    assert ClaimStatus.REJECTED not in sources
    assert ClaimStatus.VOIDED not in sources


def test_exposure_counts_the_new_amount() -> None:
    core.check_exposure(10_000, 9_000, 1_000)
    core.check_exposure(None, 10**9, 10**9)
    with pytest.raises(ExposureLimit):
        core.check_exposure(10_000, 9_000, 1_001)


def test_a_claim_scanned_before_the_suspension_is_honoured() -> None:
    """Head office suspends a voucher (a lost phone) after a partner's counter took it: the
    customer has paid, so the claim that arrives later is still accepted."""
    suspended = replace(voucher(5_000), suspended_at=NOW)
    scanned = NOW - timedelta(minutes=5)
    accepted = core.accept_claim(suspended, B, 3_000, scanned, NOW + timedelta(hours=1), "t1")
    assert accepted.vouchers[0].balance_yen == 2_000
    assert accepted.vouchers[0].suspended_at == NOW
    assert accepted.entry.is_balanced


@pytest.mark.parametrize("after", [timedelta(0), timedelta(seconds=1)])
def test_a_claim_scanned_at_or_after_the_suspension_is_refused(after: timedelta) -> None:
    suspended = replace(voucher(5_000), suspended_at=NOW)
    with pytest.raises(VoucherSuspended):
        core.accept_claim(suspended, B, 3_000, NOW + after, NOW + timedelta(hours=1), "t1")
