"""The settlement protocol between parties in memory (no node, no SQLite, no HTTP): claims,
rejections, voids and their windows, statements, netting, simultaneous and overtaken proposals,
claims in flight at the cut-off, payment and confirmation rules, disputes, lost and repeated
answers. Each test drives two or three parties against each other (tests/settlement_parties.py)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from node.errors import (
    AlreadyVoided,
    DiskFull,
    KippuError,
    NothingToSettle,
    NotThePayee,
    NotThePayer,
    PeerExists,
    SettlementPending,
    StatementNotAgreed,
    StatementOpen,
    VoidNotAllowed,
    VoidWindowClosed,
    known_codes,
)
from node.ledger.rows import from_epoch
from node.settlement import core, protocol
from node.settlement import payment_protocol as payments
from node.settlement import statement_protocol as statements
from node.settlement.book import Book
from node.settlement.messages import (
    ClaimMessage,
    ClaimResult,
    ClaimVoidMessage,
    PaymentConfirmationMessage,
    PaymentMessage,
    StatementResult,
)
from node.settlement.model import GENESIS_STATEMENT, ClaimStatus, Owed, Role, StatementItem
from tests.settlement_parties import START_S, Party, Queued, deliver, drain, federation

DAY_S = 24 * 3600


def accepted(at: Party, issuer: Party, voucher: str, amount: int, now_s: int) -> str:
    """`at`'s store redeems the issuer's voucher; the issuer accepts; the answer is applied."""
    claim = at.redeem(issuer, issuer.show_code(voucher, now_s), amount, now_s)
    answer = deliver(at, issuer, now_s)
    assert isinstance(answer.result, ClaimResult) and answer.result.decision == "accepted", answer
    return claim.claim_id


def both(a: Party, b: Party, claim_id: str, redeemer: Party) -> tuple[ClaimStatus, ClaimStatus]:
    issuer = a if redeemer is b else b
    at_redeemer = redeemer.claim(issuer.node_id, Role.REDEEMER, claim_id)
    at_issuer = issuer.claim(redeemer.node_id, Role.ISSUER, claim_id)
    assert at_redeemer is not None and at_issuer is not None
    return at_redeemer.status, at_issuer.status


def pair_agrees(a: Party, b: Party) -> None:
    assert a.receivable(b.node_id) == b.payable(a.node_id)
    assert b.receivable(a.node_id) == a.payable(b.node_id)


# -- claims --------------------------------------------------------------------------------------


def test_an_accepted_claim_is_owed_by_the_issuer_to_the_redeemer() -> None:
    a, b = federation("A", "B")
    voucher = a.issue(5000)

    claim_id = accepted(b, a, voucher, 1200, START_S)

    assert both(a, b, claim_id, b) == (ClaimStatus.ACCEPTED, ClaimStatus.ACCEPTED)
    assert b.claim(a.node_id, Role.REDEEMER, claim_id).balance_after == 3800  # type: ignore[union-attr]
    assert a.vouchers[voucher].balance_yen == 3800
    assert (b.receivable(a.node_id), a.payable(b.node_id)) == (1200, 1200)
    assert b.balances["revenue:B-1"] == -1200


@pytest.mark.parametrize(
    ("case", "reason"),
    [
        ("over the balance", "ledger.insufficient_balance"),
        ("code used at the partner", "voucher.code_used"),
        ("code used at the issuer's store", "voucher.code_used"),
        ("another currency", "ledger.currency"),
        ("unreadable payload", "voucher.invalid_payload"),
        ("no such voucher", "voucher.not_found"),
    ],
)
def test_a_rejected_claim_is_recorded_on_both_sides_and_moves_no_yen(
    case: str, reason: str
) -> None:
    a, b = federation("A", "B")
    voucher = a.issue(3000)
    code = a.show_code(voucher, START_S)
    amount = 3001 if case == "over the balance" else 500
    if case == "code used at the partner":
        accepted_first = b.redeem(a, code, 1000, START_S)
        deliver(b, a, START_S)
        assert both(a, b, accepted_first.claim_id, b)[1] == ClaimStatus.ACCEPTED
    if case == "code used at the issuer's store":
        a.spent_codes.add((voucher, int(code.split(":")[3]), code.split(":")[4]))
    claim = b.redeem(a, code, amount, START_S)
    queued = b.outbox[a.node_id][0]
    if case == "another currency":
        queued.msg = replace(queued.msg, currency="USD")  # type: ignore[type-var]
    elif case == "unreadable payload":
        queued.msg = replace(queued.msg, payload="not a code")  # type: ignore[type-var]
    elif case == "no such voucher":
        del a.vouchers[voucher]
    balances = (dict(a.balances), dict(b.balances))

    answer = deliver(b, a, START_S)

    assert isinstance(answer.result, ClaimResult)
    assert (answer.result.decision, answer.result.code) == ("rejected", reason)
    assert both(a, b, claim.claim_id, b) == (ClaimStatus.REJECTED, ClaimStatus.REJECTED)
    for side, peer in ((b, a), (a, b)):
        found = side.claim(
            peer.node_id, Role.REDEEMER if side is b else Role.ISSUER, claim.claim_id
        )
        assert found is not None and found.reason_code == reason
    assert (dict(a.balances), dict(b.balances)) == balances


def test_a_voucher_that_expired_before_the_scan_is_rejected() -> None:
    a, b = federation("A", "B")
    voucher = a.issue(2000)
    expiry = START_S + 3600
    a.vouchers[voucher] = replace(a.vouchers[voucher], expires_at=from_epoch(expiry))
    code = a.show_code(voucher, expiry - 10)  # shown before the expiry, scanned after it
    claim = b.redeem(a, code, 500, expiry + 5)

    answer = deliver(b, a, expiry + 5)

    assert isinstance(answer.result, ClaimResult) and answer.result.code == "voucher.expired"
    assert both(a, b, claim.claim_id, b) == (ClaimStatus.REJECTED, ClaimStatus.REJECTED)
    assert a.vouchers[voucher].balance_yen == 2000


def test_a_reason_the_redeemer_does_not_know_is_shown_in_its_own_words() -> None:
    a, b = federation("A", "B")
    claim = b.redeem(a, a.show_code(a.issue(1000), START_S), 100, START_S)
    sent = b.outbox[a.node_id][0].msg
    assert isinstance(sent, ClaimMessage)
    told = ClaimResult(claim.claim_id, "rejected", "partner.own_code", "<script>", 0, START_S)

    b.apply(a.node_id, sent, told, START_S)

    found = b.claim(a.node_id, Role.REDEEMER, claim.claim_id)
    assert found is not None and found.status == ClaimStatus.REJECTED
    assert (found.reason_code, found.reason) == (
        "settlement.claim_rejected",
        "The issuer rejected the claim.",
    )


def test_the_issuers_refusal_table_decides_by_code_not_by_class(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A rejection is a code in CLAIM_REFUSALS; a fault (even one whose class sits under a
    branch of rejections, like PeerExists under LedgerError) refuses the message instead."""
    known = known_codes()
    assert set(protocol.CLAIM_REFUSALS) - set(known) == set()
    assert set(protocol.VOID_REFUSALS) - set(known) == set()
    assert PeerExists.code not in protocol.CLAIM_REFUSALS
    for fault in (PeerExists("planted"), DiskFull()):
        a, b = federation("A", "B")
        b.redeem(a, a.show_code(a.issue(1000), START_S), 100, START_S)

        def failing(*_: object, error: KippuError = fault) -> object:
            raise error

        monkeypatch.setattr(protocol.core, "accept_claim", failing)
        answer = deliver(b, a, START_S)
        monkeypatch.undo()
        assert answer.refused == fault.code, answer
        assert a.books[b.node_id].claims == {}  # nothing recorded; the redeemer sends it again
        assert deliver(b, a, START_S).result.decision == "accepted"  # type: ignore[union-attr]


def test_a_claim_id_used_twice_is_refused_not_decided_again() -> None:
    a, b = federation("A", "B")
    voucher = a.issue(5000)
    claim_id = accepted(b, a, voucher, 1000, START_S)
    again = ClaimMessage(claim_id, a.show_code(voucher, START_S), 1000, "JPY", "B-1", "B")

    with pytest.raises(KippuError) as refused:
        a.receive(b.node_id, Queued(again, "msg_new", START_S), START_S)

    assert refused.value.code == "peer.malformed"
    assert a.vouchers[voucher].balance_yen == 4000


def test_a_lost_reply_gets_the_same_answer_and_is_booked_once() -> None:
    a, b = federation("A", "B")
    voucher = a.issue(5000)
    claim = b.redeem(a, a.show_code(voucher, START_S), 900, START_S)

    lost = deliver(b, a, START_S, lose_reply=True)
    assert both(a, b, claim.claim_id, b) == (ClaimStatus.CLAIMED, ClaimStatus.ACCEPTED)
    again = deliver(b, a, START_S + 3600)

    assert again.result == lost.result
    assert both(a, b, claim.claim_id, b) == (ClaimStatus.ACCEPTED, ClaimStatus.ACCEPTED)
    assert a.vouchers[voucher].balance_yen == 4100
    pair_agrees(a, b)
    book, balances = b.books[a.node_id], dict(b.balances)
    repeated = b.apply(a.node_id, again.msg, again.result, START_S + 7200)  # a repeated reply
    assert (repeated.claim_writes, repeated.postings) == ((), ())
    assert (b.books[a.node_id], dict(b.balances)) == (book, balances)


def test_a_result_that_answers_another_claim_or_decides_nothing_known_is_not_taken() -> None:
    a, b = federation("A", "B")
    claim = b.redeem(a, a.show_code(a.issue(1000), START_S), 100, START_S)
    sent = b.outbox[a.node_id][0].msg
    assert isinstance(sent, ClaimMessage)
    for told in (
        ClaimResult("cl_another", "accepted", "ok", "", 900, START_S),
        ClaimResult(claim.claim_id, "maybe", "ok", "", 900, START_S),
    ):
        with pytest.raises(KippuError) as refused:
            protocol.apply_claim_result(b.books[a.node_id], sent, told, START_S)
        assert refused.value.code == "peer.malformed"
    assert b.claim(a.node_id, Role.REDEEMER, claim.claim_id).status == "CLAIMED"  # type: ignore[union-attr]


def test_the_exposure_limit_counts_pending_and_open_claims_net() -> None:
    a, b = federation("A", "B")
    b.limits[a.node_id] = 2000
    voucher = a.issue(10_000)
    accepted(b, a, voucher, 1500, START_S)
    with pytest.raises(KippuError) as refused:
        b.redeem(a, a.show_code(voucher, START_S), 600, START_S)
    assert refused.value.code == "settlement.exposure_limit"
    b.redeem(a, a.show_code(voucher, START_S), 500, START_S)  # pending counts too: now at the limit
    with pytest.raises(KippuError):
        b.redeem(a, a.show_code(voucher, START_S), 1, START_S)
    accepted(a, b, b.issue(1000), 300, START_S)  # the other direction nets against it
    b.redeem(a, a.show_code(voucher, START_S), 300, START_S)


# -- voids ---------------------------------------------------------------------------------------


def test_a_void_the_same_day_gives_the_value_back_on_both_sides() -> None:
    a, b = federation("A", "B")
    voucher = a.issue(4000)
    claim_id = accepted(b, a, voucher, 1500, START_S)

    b.void(a.node_id, claim_id, START_S + 60)
    deliver(b, a, START_S + 60)

    assert both(a, b, claim_id, b) == (ClaimStatus.VOIDED, ClaimStatus.VOIDED)
    assert a.vouchers[voucher].balance_yen == 4000
    assert (b.receivable(a.node_id), a.payable(b.node_id)) == (0, 0)
    assert b.balances["revenue:B-1"] == 0
    with pytest.raises(AlreadyVoided):
        b.void(a.node_id, claim_id, START_S + 120)


def test_a_void_on_the_next_business_day_is_refused_at_either_end() -> None:
    a, b = federation("A", "B")
    voucher = a.issue(4000)
    claim_id = accepted(b, a, voucher, 1500, START_S)
    with pytest.raises(VoidWindowClosed):
        b.void(a.node_id, claim_id, START_S + DAY_S)

    b.void(a.node_id, claim_id, START_S + 60)  # asked in time, but the void is sent a day late
    b.outbox[a.node_id][0].created = START_S + DAY_S
    answer = deliver(b, a, START_S + DAY_S)

    assert answer.result.code == "redemption.void_window_closed"  # type: ignore[union-attr]
    assert both(a, b, claim_id, b) == (ClaimStatus.ACCEPTED, ClaimStatus.ACCEPTED)
    kept = b.claim(a.node_id, Role.REDEEMER, claim_id)
    assert kept is not None and kept.void_requested_at is None
    assert kept.reason_code == "redemption.void_window_closed"
    assert a.vouchers[voucher].balance_yen == 2500
    pair_agrees(a, b)


def test_a_claim_in_a_statement_cannot_be_voided() -> None:
    a, b, c = federation("A", "B", "C")
    voucher = a.issue(5000)
    claim_id = accepted(b, a, voucher, 1000, START_S)
    b.propose(a.node_id, START_S, START_S + 1)
    deliver(b, a, START_S + 1)
    with pytest.raises(VoidNotAllowed):
        b.void(a.node_id, claim_id, START_S + 2)

    refused = []
    for sender, claim in ((b, claim_id), (b, "cl_unknown"), (c, claim_id)):
        step = protocol.decide_void(
            a.books[sender.node_id], a.terms, ClaimVoidMessage(claim), START_S, None, START_S
        )
        refused.append((step.result.decision, step.result.code))  # type: ignore[union-attr]
        assert step.claim_writes == () and step.postings == ()

    assert refused == [
        ("refused", "voucher.not_found"),
        ("refused", "settlement.claim_not_found"),
        ("refused", "settlement.claim_not_found"),  # C cannot void a claim B made
    ]
    step = protocol.decide_void(
        a.books[b.node_id],
        a.terms,
        ClaimVoidMessage(claim_id),
        START_S,
        a.vouchers[voucher],
        START_S,
    )
    assert (step.result.decision, step.result.code) == ("refused", "settlement.void_not_allowed")  # type: ignore[union-attr]


# -- statements ----------------------------------------------------------------------------------


def test_a_statement_nets_both_directions_and_payment_then_confirmation_clear_it() -> None:
    a, b = federation("A", "B")
    a_voucher, b_voucher = a.issue(10_000), b.issue(10_000)
    owed_by_a = [accepted(b, a, a_voucher, 1200, START_S), accepted(b, a, a_voucher, 300, START_S)]
    owed_by_b = [accepted(a, b, b_voucher, 500, START_S)]
    now = START_S + 10

    sid = b.propose(a.node_id, now - 1, now)
    deliver(b, a, now)
    later = accepted(b, a, a_voucher, 700, now + 5)

    for side, peer in ((a, b), (b, a)):
        record = side.books[peer.node_id].statements[sid]
        assert record.status == "agreed"
        assert (record.statement.net.payer, record.statement.net.amount_yen) == (a.node_id, 1000)
        for claim_id in owed_by_a + owed_by_b:
            claims = [c for c in side.books[peer.node_id].claims.values() if c.claim_id == claim_id]
            assert [c.status for c in claims] == [ClaimStatus.INVOICED]
    assert (
        a.books[b.node_id].statements[sid].statement_hash
        == b.books[a.node_id].statements[sid].statement_hash
    )
    with pytest.raises(NotThePayer):
        b.pay(a.node_id, sid, now)
    with pytest.raises(NotThePayee):
        a.confirm(b.node_id, sid, now)

    a.pay(b.node_id, sid, now + 10)
    deliver(a, b, now + 10)
    assert b.books[a.node_id].statements[sid].reference == "振込 0042"
    assert both(a, b, owed_by_a[0], b) == (ClaimStatus.PAID, ClaimStatus.PAID)
    assert b.receivable(a.node_id) == 2200  # paid is not received: nothing cleared yet
    b.confirm(a.node_id, sid, now + 20)
    deliver(b, a, now + 20)

    for claim_id in owed_by_a:
        assert both(a, b, claim_id, b) == (ClaimStatus.CLEARED, ClaimStatus.CLEARED)
    assert both(a, b, owed_by_b[0], a) == (ClaimStatus.CLEARED, ClaimStatus.CLEARED)
    assert both(a, b, later, b) == (ClaimStatus.ACCEPTED, ClaimStatus.ACCEPTED)
    assert (b.receivable(a.node_id), b.payable(a.node_id)) == (700, 0)
    assert (b.balances["cash:hq"], a.balances["cash:hq"]) == (1000, -1000)
    pair_agrees(a, b)
    with pytest.raises(StatementNotAgreed):
        a.pay(b.node_id, sid, now + 30)


def test_the_next_statement_opens_with_the_last_closing_and_lists_the_payment() -> None:
    a, b = federation("A", "B")
    voucher = a.issue(10_000)
    accepted(b, a, voucher, 2000, START_S)
    first = b.propose(a.node_id, START_S, START_S + 1)
    drain([a, b], START_S + 1)
    a.pay(b.node_id, first, START_S + 2)
    b.confirm(a.node_id, first, START_S + 3)
    drain([a, b], START_S + 3)
    second_claim = accepted(b, a, voucher, 800, START_S + 3600)

    second = a.propose(b.node_id, START_S + 3601, START_S + 3602)  # the other side this time
    drain([a, b], START_S + 3602)

    for side, peer in ((a, b), (b, a)):
        records = side.books[peer.node_id].statements
        shown, previous = records[second].statement, records[first].statement
        assert records[second].status == "agreed"
        assert shown.number == previous.number + 1 == 2
        assert shown.previous == records[first].statement_hash
        assert shown.opening == previous.closing == Owed(a.node_id, 2000)
        assert [(c.statement_id, c.amount_yen) for c in shown.cleared] == [(first, 2000)]
        assert [c.claim_id for c in shown.claims] == [second_claim]
        assert shown.closing == Owed(a.node_id, 800)
        assert records[first].listed_in == second


def test_a_statement_that_nets_to_zero_clears_at_once() -> None:
    a, b = federation("A", "B")
    one = accepted(b, a, a.issue(3000), 800, START_S)
    other = accepted(a, b, b.issue(3000), 800, START_S)

    sid = a.propose(b.node_id, START_S, START_S + 1)
    drain([a, b], START_S + 1)

    for side, peer in ((a, b), (b, a)):
        assert side.statement_status(peer.node_id, sid) == "cleared"
        assert (side.receivable(peer.node_id), side.payable(peer.node_id)) == (0, 0)
        assert side.balances["cash:hq"] == 0
    assert both(a, b, one, b) == (ClaimStatus.CLEARED, ClaimStatus.CLEARED)
    assert both(a, b, other, a) == (ClaimStatus.CLEARED, ClaimStatus.CLEARED)
    with pytest.raises(NothingToSettle):
        b.propose(a.node_id, START_S + 1, START_S + 2)


def test_a_statement_of_only_a_cleared_payment_clears_at_once() -> None:
    a, b = federation("A", "B")
    accepted(b, a, a.issue(5000), 1000, START_S)
    first = b.propose(a.node_id, START_S, START_S + 1)
    drain([a, b], START_S + 1)
    a.pay(b.node_id, first, START_S + 2)
    b.confirm(a.node_id, first, START_S + 3)
    drain([a, b], START_S + 3)

    second = a.propose(b.node_id, START_S + 300, START_S + 301)
    drain([a, b], START_S + 301)

    for side, peer in ((a, b), (b, a)):
        record = side.books[peer.node_id].statements[second]
        assert (record.status, record.statement.claims) == ("cleared", ())
        assert (record.statement.opening.amount_yen, record.statement.closing.amount_yen) == (
            1000,
            0,
        )
    with pytest.raises(NothingToSettle):
        b.propose(a.node_id, START_S + 301, START_S + 302)


def test_a_cut_off_leaves_later_claims_for_the_next_statement() -> None:
    a, b = federation("A", "B")
    voucher = a.issue(10_000)
    early = accepted(b, a, voucher, 1000, START_S)
    late = accepted(b, a, voucher, 2000, START_S + 3600)
    with pytest.raises(KippuError) as future:
        b.propose(a.node_id, START_S + 7200, START_S + 7200)
    assert future.value.code == "request.invalid"

    sid = b.propose(a.node_id, START_S + 1800, START_S + 7200)
    drain([a, b], START_S + 7200)

    record = a.books[b.node_id].statements[sid]
    assert (record.status, [c.claim_id for c in record.statement.claims]) == ("agreed", [early])
    assert both(a, b, late, b) == (ClaimStatus.ACCEPTED, ClaimStatus.ACCEPTED)
    second = a.propose(b.node_id, START_S + 7200, START_S + 7201)
    drain([a, b], START_S + 7201)
    shown = b.books[a.node_id].statements[second].statement
    assert (shown.number, shown.net.amount_yen) == (2, 2000)


def test_proposals_made_at_once_leave_the_smaller_ids_on_both_sides() -> None:
    a, b = federation("A", "B")  # A's id is the smaller
    claims = [
        accepted(b, a, a.issue(3000), 1000, START_S),
        accepted(a, b, b.issue(3000), 400, START_S),
    ]
    losing = b.propose(a.node_id, START_S, START_S + 1)
    winning = a.propose(b.node_id, START_S, START_S + 1)
    with pytest.raises(StatementOpen):
        a.propose(b.node_id, START_S, START_S + 2)

    drain([a, b], START_S + 2)

    for side, peer in ((a, b), (b, a)):
        assert side.statement_status(peer.node_id, winning) == "agreed"
        assert side.statement_status(peer.node_id, losing) == "superseded"
    for claim_id, redeemer in zip(claims, (b, a), strict=True):
        assert both(a, b, claim_id, redeemer) == (ClaimStatus.INVOICED, ClaimStatus.INVOICED)
    pair_agrees(a, b)


def test_a_proposal_overtaken_by_an_agreement_is_superseded_on_both_sides() -> None:
    a, b = federation("A", "B")
    claim_id = accepted(b, a, a.issue(3000), 1000, START_S)
    losing = b.propose(a.node_id, START_S, START_S + 1)  # queued; the larger id's
    winning = a.propose(b.node_id, START_S, START_S + 1)
    deliver(a, b, START_S + 2)  # B gives up its own proposal and agrees to A's
    assert b.statement_status(a.node_id, losing) == "superseded"

    late = deliver(b, a, START_S + 3)  # B's proposal arrives after the agreement

    assert late.result.decision == "superseded"  # type: ignore[union-attr]
    assert a.statement_status(b.node_id, losing) == "superseded"
    assert (
        b.statement_status(a.node_id, winning) == a.statement_status(b.node_id, winning) == "agreed"
    )
    assert both(a, b, claim_id, b) == (ClaimStatus.INVOICED, ClaimStatus.INVOICED)


def test_a_claim_in_flight_at_the_cut_off_holds_the_statement_back() -> None:
    a, b = federation("A", "B")
    voucher = a.issue(5000)
    settled = accepted(b, a, voucher, 1000, START_S)
    in_flight = b.redeem(a, a.show_code(voucher, START_S + 5), 400, START_S + 5).claim_id
    with pytest.raises(SettlementPending):
        b.propose(a.node_id, START_S + 5, START_S + 6)  # our own claim is unanswered

    sid = a.propose(b.node_id, START_S + 5, START_S + 6)  # A does not know the claim B sends
    held = deliver(a, b, START_S + 6)
    assert held.refused == "settlement.pending"
    drain([a, b], START_S + 6)  # the claim reaches A (decided after the cut-off), then the proposal

    record = b.books[a.node_id].statements[sid]
    assert (record.status, [c.claim_id for c in record.statement.claims]) == ("agreed", [settled])
    assert both(a, b, in_flight, b) == (ClaimStatus.ACCEPTED, ClaimStatus.ACCEPTED)
    assert b.receivable(a.node_id) == 1400
    pair_agrees(a, b)


def test_a_void_in_flight_or_an_unconfirmed_payment_holds_our_proposal_back() -> None:
    a, b = federation("A", "B")
    voucher = a.issue(5000)
    claim_id = accepted(b, a, voucher, 2000, START_S)
    b.void(a.node_id, claim_id, START_S + 1)
    with pytest.raises(SettlementPending):
        b.propose(a.node_id, START_S + 1, START_S + 2)
    drain([a, b], START_S + 2)
    accepted(b, a, voucher, 1000, START_S + 3)
    sid = b.propose(a.node_id, START_S + 3, START_S + 4)
    drain([a, b], START_S + 4)
    a.pay(b.node_id, sid, START_S + 5)
    drain([a, b], START_S + 5)
    b.confirm(a.node_id, sid, START_S + 6)  # the confirmation waits in B's outbox
    accepted(a, b, b.issue(1000), 100, START_S + 7)

    with pytest.raises(SettlementPending):
        a.propose(b.node_id, START_S + 7, START_S + 8)  # our payment awaits its confirmation
    drain([a, b], START_S + 8)
    a.propose(b.node_id, START_S + 8, START_S + 9)


def test_a_confirmation_crossing_a_proposal_is_no_dispute() -> None:
    a, b = federation("A", "B")
    voucher = b.issue(10_000)
    accepted(a, b, voucher, 1000, START_S)  # B owes A
    first = b.propose(a.node_id, START_S, START_S + 1)
    drain([a, b], START_S + 1)
    accepted(a, b, voucher, 700, START_S + 60)
    a.confirm(b.node_id, first, START_S + 70)  # money in A's bank before B recorded the transfer
    second = b.propose(a.node_id, START_S + 80, START_S + 81)  # before A's confirmation arrives

    drain([a, b], START_S + 81)

    assert (
        b.statement_status(a.node_id, second) == a.statement_status(b.node_id, second) == "agreed"
    )
    assert b.books[a.node_id].statements[second].statement.cleared == ()
    pair_agrees(a, b)


# -- disputes and replies that do not fit ----------------------------------------------------------

LIES = {
    "a wrong amount": [("amount", 1000, 1300)],
    "an invented claim": [("missing_here", 0, 2500)],
    "a claim left out": [("missing_there", 1000, 0)],
    "the wrong issuer": [("issuer", 1000, 1000)],
    "a net that does not add up": [("totals", None, None)],
    "a payment never made": [("cleared", 0, 700)],
    "a wrong number": [("sequence", 1, 2)],
}


@pytest.mark.parametrize("lie", sorted(LIES))
def test_a_statement_that_lies_is_disputed_and_moves_nothing(lie: str) -> None:
    a, b = federation("A", "B")
    voucher = a.issue(5000)
    claims = [accepted(b, a, voucher, amount, START_S) for amount in (1000, 600)]
    items = [StatementItem(claims[0], a.node_id, 1000), StatementItem(claims[1], a.node_id, 600)]
    if lie == "a wrong amount":
        items[0] = StatementItem(claims[0], a.node_id, 1300)
    elif lie == "an invented claim":
        items.append(StatementItem("cl_invented", a.node_id, 2500))
    elif lie == "a claim left out":
        items = items[1:]
    elif lie == "the wrong issuer":
        items[0] = StatementItem(claims[0], b.node_id, 1000)
    cleared = (
        [core.ClearedItem("st_never", a.node_id, 700)] if lie == "a payment never made" else []
    )
    number = 2 if lie == "a wrong number" else 1
    pair = core.parties(a.node_id, b.node_id)
    crafted = core.build_statement(
        "st_crafted", number, START_S, GENESIS_STATEMENT, pair, items, cleared, Owed("", 0)
    )
    message = core.statement_message(crafted)
    if lie == "a net that does not add up":
        message = replace(message, amount=message.amount + 500)
    book_before, balances = a.books[b.node_id], dict(a.balances)

    step = statements.receive_statement(a.books[b.node_id], message, START_S + 1)

    result = step.result
    assert isinstance(result, StatementResult) and result.decision == "disputed"
    got = [(row.kind, row.ours, row.theirs) for row in result.breaks]
    for kind, ours, theirs in LIES[lie]:
        assert any(g[0] == kind and ours in (None, g[1]) and theirs in (None, g[2]) for g in got)
    assert {g[0] for g in got} == {kind for kind, _, _ in LIES[lie]}
    assert step.claim_writes == () and step.postings == ()
    [written] = step.statement_writes
    assert (written.before, written.after.status) == (None, "disputed")
    assert {str(x.kind) for x in written.after.breaks or ()} == {k for k, _, _ in LIES[lie]}
    assert (a.books[b.node_id], dict(a.balances)) == (book_before, balances)

    # The truth still settles: A's own proposal is agreed by B.
    sid = a.propose(b.node_id, START_S + 1, START_S + 2)
    drain([a, b], START_S + 2)
    assert b.books[a.node_id].statements[sid].statement.net.amount_yen == 1600


def test_a_dispute_releases_the_proposals_claims_for_the_next_one() -> None:
    a, b = federation("A", "B")
    claim_id = accepted(b, a, a.issue(5000), 1000, START_S)
    sid = b.propose(a.node_id, START_S, START_S + 1)
    sent = b.outbox[a.node_id][0].msg
    told = StatementResult(sid, "disputed", bytes(32), ())

    b.apply(a.node_id, sent, told, START_S + 2)

    assert b.statement_status(a.node_id, sid) == "disputed"
    assert b.claim(a.node_id, Role.REDEEMER, claim_id).statement_id is None  # type: ignore[union-attr]


def test_an_agreement_to_another_statement_or_with_another_partner_is_not_taken() -> None:
    a, b, c = federation("A", "B", "C")
    accepted(b, a, a.issue(5000), 1000, START_S)
    accepted(b, c, c.issue(5000), 1000, START_S)
    with_c = b.propose(c.node_id, START_S, START_S + 1)
    with_a = b.propose(a.node_id, START_S, START_S + 1)
    sent = b.outbox[a.node_id][0].msg
    record = b.books[a.node_id].statements[with_a]
    wrong_hash = StatementResult(with_a, "agreed", bytes(32), ())
    other_partner = StatementResult(with_c, "disputed", record.statement_hash, ())
    mixed_book = Book(
        b.node_id,
        a.node_id,
        b.books[a.node_id].claims,
        {**b.books[a.node_id].statements, **b.books[c.node_id].statements},
    )

    for told, book in ((wrong_hash, b.books[a.node_id]), (other_partner, mixed_book)):
        with pytest.raises(KippuError) as refused:
            statements.apply_statement_result(
                book, replace(sent, statement_id=told.statement_id), told, START_S
            )  # type: ignore[type-var]
        assert refused.value.code == "peer.malformed"
    assert (
        b.statement_status(a.node_id, with_a) == b.statement_status(c.node_id, with_c) == "proposed"
    )


def test_payment_messages_that_do_not_match_the_statement_are_refused() -> None:
    a, b = federation("A", "B")
    accepted(b, a, a.issue(5000), 1000, START_S)
    sid = b.propose(a.node_id, START_S, START_S + 1)
    drain([a, b], START_S + 1)  # A pays B
    book = a.books[b.node_id]

    for refusal, step in (
        (
            "peer.malformed",
            lambda: payments.receive_payment(book, PaymentMessage(sid, 1000, "x"), START_S),
        ),
        (
            "peer.malformed",
            lambda: payments.receive_confirmation(
                book, PaymentConfirmationMessage(sid, 999), START_S
            ),
        ),
        (
            "settlement.statement_not_found",
            lambda: payments.receive_confirmation(
                book, PaymentConfirmationMessage("st_nope", 1000), START_S
            ),
        ),
    ):
        with pytest.raises(KippuError) as refused:
            step()
        assert refused.value.code == refusal
    assert a.statement_status(b.node_id, sid) == "agreed"
    assert a.payable(b.node_id) == 1000
