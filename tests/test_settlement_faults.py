"""Settlement through faults: the issuer down, a node restarted, replies lost, messages duplicated,
replayed or reordered. Every claim ends decided once, the same way on both sides."""

from __future__ import annotations

from tests.conftest import NodeFactory, RunningNode, ok
from tests.settlement_helpers import (
    balance_with,
    books_agree,
    claim_at,
    deliver,
    journal_size,
    outbox,
    payload,
    post_peer,
    propose,
    read,
    redeem,
    restart,
    statement_at,
    store_of,
    two_partners,
    voucher_balance,
    voucher_of,
)


async def pending_claim(b: RunningNode, code: str, amount: int) -> str:
    """B redeems A's voucher (its QR `code`, shown before A went down) while A cannot answer:
    the staff see "pending", not a guess."""
    shop = (await ok(b, "GET", "stores"))["stores"][0]["store_id"]
    status, answer = await b.call(
        "POST", "redemptions", {"payload": code, "amount": amount, "store_id": shop}
    )
    assert (status, answer["status"]) == (202, "pending"), answer
    return str(answer["claim_id"])


async def accepted_claim(b: RunningNode, a: RunningNode, voucher: str, amount: int) -> str:
    shop = (await ok(b, "GET", "stores"))["stores"][0]["store_id"]
    status, answer = await redeem(b, a, voucher, amount, shop)
    assert (status, answer["status"]) == (201, "accepted"), answer
    return str(answer["claim_id"])


def issuer_claims(node: RunningNode) -> list[tuple[str, str, int]]:
    return [
        (str(c), str(s), int(n))
        for c, s, n in read(
            node, "SELECT claim_id, status, amount_yen FROM claims WHERE role = 'issuer'"
        )
    ]


async def test_issuer_down_claim_waits_pending_then_is_accepted_on_both_sides(
    nodes: NodeFactory,
) -> None:
    a, b = await two_partners(nodes)
    await store_of(b, "B")
    voucher = await voucher_of(a, 5000)
    code = await payload(a, voucher)
    await a.stop()

    claim_id = await pending_claim(b, code, 1200)

    entry = await balance_with(b, a)
    assert (entry["receivable"], entry["pending"]) == (0, 1200)
    assert (await claim_at(b, claim_id))["status"] == "CLAIMED"
    status, refused = await b.call("POST", f"redemptions/{claim_id}/void")
    assert (status, refused["error"]["code"]) == (409, "settlement.claim_pending"), refused

    await restart(a)
    await deliver(nodes.clock, b)  # an hour later: the code is judged as it was when scanned

    for node in (a, b):
        claim = await claim_at(node, claim_id)
        assert (claim["status"], claim["balance_after"]) == ("ACCEPTED", 3800), claim
    entry = await balance_with(b, a)
    assert (entry["receivable"], entry["pending"]) == (1200, 0)
    assert (await balance_with(a, b))["payable"] == 1200
    assert await voucher_balance(a, voucher) == 3800
    await books_agree(a, b)


async def test_a_claim_queued_before_a_restart_of_the_redeemer_is_still_delivered(
    nodes: NodeFactory,
) -> None:
    a, b = await two_partners(nodes)
    await store_of(b, "B")
    voucher = await voucher_of(a, 5000)
    code = await payload(a, voucher)
    await a.stop()
    claim_id = await pending_claim(b, code, 700)
    await restart(b)  # the outbox is in SQLite: nothing is lost
    await restart(a)

    await deliver(nodes.clock, b)

    for node in (a, b):
        assert (await claim_at(node, claim_id))["status"] == "ACCEPTED"
    assert await voucher_balance(a, voucher) == 4300
    await books_agree(a, b)


async def test_void_while_the_issuer_is_down_completes_after_delivery(nodes: NodeFactory) -> None:
    a, b = await two_partners(nodes)
    await store_of(b, "B")
    voucher = await voucher_of(a, 5000)
    claim_id = await accepted_claim(b, a, voucher, 2000)
    await a.stop()

    status, waiting = await b.call("POST", f"redemptions/{claim_id}/void")
    assert (status, waiting["status"], waiting["voided"]) == (202, "void_pending", False), waiting
    status, statement = await propose(b, a)  # a void on its way: nothing can be settled yet
    assert (status, statement["error"]["code"]) == (409, "settlement.pending"), statement

    await restart(a)
    await deliver(nodes.clock, b, seconds=60)  # the same business day

    for node in (a, b):
        assert (await claim_at(node, claim_id))["status"] == "VOIDED"
    assert await voucher_balance(a, voucher) == 5000
    assert (await balance_with(b, a))["receivable"] == 0
    await books_agree(a, b)


async def test_own_pending_claim_blocks_a_statement_until_it_is_decided(
    nodes: NodeFactory,
) -> None:
    a, b = await two_partners(nodes)
    await store_of(b, "B")
    voucher = await voucher_of(a, 5000)
    first = await accepted_claim(b, a, voucher, 1000)
    code = await payload(a, voucher)
    await a.stop()
    second = await pending_claim(b, code, 500)

    status, refused = await propose(b, a)

    assert (status, refused["error"]["code"]) == (409, "settlement.pending"), refused
    assert (await ok(b, "GET", "settlement/statements"))["statements"] == []
    await restart(a)
    await deliver(nodes.clock, b)
    status, statement = await propose(b, a)
    assert (status, statement["status"]) == (201, "agreed"), statement
    assert sorted(c["claim_id"] for c in statement["claims"]) == sorted([first, second])
    assert statement["amount"] == 1500
    await books_agree(a, b)


async def test_issuers_statement_waits_for_the_redeemers_claim_in_flight(
    nodes: NodeFactory,
) -> None:
    a, b = await two_partners(nodes)
    await store_of(b, "B")
    voucher = await voucher_of(a, 5000)
    settled = await accepted_claim(b, a, voucher, 1000)
    code = await payload(a, voucher)
    await a.stop()
    in_flight = await pending_claim(b, code, 400)
    await restart(a)

    status, proposed = await propose(a, b)  # A does not know of the claim B still sends

    assert (status, proposed["status"]) == (201, "proposed"), proposed
    assert (await ok(b, "GET", "settlement/statements"))["statements"] == []
    rows = read(
        a,
        "SELECT d.last_error FROM deliveries d JOIN outbox o USING (peer, seq)"
        " WHERE o.msg_type = 'statement'",
    )
    assert rows and str(rows[0][0]).startswith("settlement.pending"), rows

    await deliver(nodes.clock, b)
    await deliver(nodes.clock, a)

    sid = proposed["statement_id"]
    for node in (a, b):
        shown = await statement_at(node, sid)
        assert shown["status"] == "agreed", shown
        assert [c["claim_id"] for c in shown["claims"]] == [settled]
        assert (await claim_at(node, settled))["status"] == "INVOICED"
        assert (await claim_at(node, in_flight))["status"] == "ACCEPTED"
    assert (await balance_with(b, a))["receivable"] == 1400
    await books_agree(a, b)


async def test_a_duplicated_claim_gets_the_stored_reply_and_is_booked_once(
    nodes: NodeFactory,
) -> None:
    a, b = await two_partners(nodes)
    await store_of(b, "B")
    voucher = await voucher_of(a, 5000)
    claim_id = await accepted_claim(b, a, voucher, 1200)
    [(_, msg_id, envelope)] = outbox(b, a, "claim")
    stored_reply = bytes(read(a, "SELECT reply FROM inbox WHERE msg_id = ?", msg_id)[0][0])
    before = (journal_size(a), journal_size(b), issuer_claims(a))

    replies = [await post_peer(a, envelope) for _ in range(3)]

    for status, reply in replies:
        assert (status, reply.ok, reply.in_reply_to) == (200, True, msg_id), reply
    raw_again = read(a, "SELECT reply FROM inbox WHERE msg_id = ?", msg_id)[0][0]
    assert bytes(raw_again) == stored_reply
    assert (journal_size(a), journal_size(b), issuer_claims(a)) == before
    assert await voucher_balance(a, voucher) == 3800
    assert (await claim_at(a, claim_id))["status"] == "ACCEPTED"
    await books_agree(a, b)


async def test_a_lost_reply_is_answered_again_and_the_claim_booked_once(
    nodes: NodeFactory,
) -> None:
    a, b = await two_partners(nodes)
    await store_of(b, "B")
    voucher = await voucher_of(a, 5000)
    code = await payload(a, voucher)
    await a.stop()
    claim_id = await pending_claim(b, code, 900)
    await restart(a)
    [(_, _, envelope)] = outbox(b, a, "claim")
    status, reply = await post_peer(a, envelope)  # A decides; B never hears the answer
    assert (status, reply.ok) == (200, True), reply
    assert (await claim_at(a, claim_id))["status"] == "ACCEPTED"
    assert (await claim_at(b, claim_id))["status"] == "CLAIMED"
    journal_at_a = journal_size(a)

    await deliver(nodes.clock, b)  # B sends the same claim again

    assert (await claim_at(b, claim_id))["status"] == "ACCEPTED"
    assert journal_size(a) == journal_at_a
    assert await voucher_balance(a, voucher) == 4100
    assert (await balance_with(a, b))["payable"] == 900
    await books_agree(a, b)


async def test_a_message_overtaking_its_predecessor_is_refused_until_the_gap_is_filled(
    nodes: NodeFactory,
) -> None:
    a, b = await two_partners(nodes)
    await store_of(b, "B")
    voucher = await voucher_of(a, 5000)
    code, second_code = await payload(a, voucher), await payload(a, voucher)
    await a.stop()
    earlier = await pending_claim(b, code, 1000)
    later = await pending_claim(b, second_code, 2000)
    await restart(a)
    (seq_n, _, first), (seq_next, _, second) = outbox(b, a, "claim")
    assert seq_next == seq_n + 1

    status, reply = await post_peer(a, second)

    assert (status, reply.ok, reply.code) == (409, False, "peer.sequence_gap"), reply
    assert reply.expected_seq == seq_n
    assert issuer_claims(a) == []
    assert await voucher_balance(a, voucher) == 5000

    await deliver(nodes.clock, b)

    for node in (a, b):
        assert (await claim_at(node, earlier))["status"] == "ACCEPTED"
        assert (await claim_at(node, later))["status"] == "ACCEPTED"
    for raw in (first, second):  # the delayed copies arrive at last: already answered
        status, reply = await post_peer(a, raw)
        assert (status, reply.ok) == (200, True), reply
    assert await voucher_balance(a, voucher) == 2000
    assert len(issuer_claims(a)) == 2
    await books_agree(a, b)


async def test_payment_and_confirmation_survive_the_partner_being_down(
    nodes: NodeFactory,
) -> None:
    a, b = await two_partners(nodes)
    await store_of(b, "B")
    await accepted_claim(b, a, await voucher_of(a, 5000), 1500)
    status, statement = await propose(b, a)
    assert (status, statement["status"]) == (201, "agreed"), statement
    sid = statement["statement_id"]

    await b.stop()
    paid = await ok(a, "POST", f"settlement/statements/{sid}/pay", {"reference": "furikomi-7"})
    assert paid["status"] == "paid"
    await restart(b)
    assert (await statement_at(b, sid))["status"] == "agreed"  # B has not heard yet
    await deliver(nodes.clock, a)
    assert (await statement_at(b, sid))["status"] == "paid"

    await a.stop()
    assert (await ok(b, "POST", f"settlement/statements/{sid}/confirm", {}))["status"] == "cleared"
    assert (await balance_with(b, a))["receivable"] == 0
    await restart(a)
    assert (await statement_at(a, sid))["status"] == "paid"
    status, refused = await propose(a, b)  # our payment awaits its confirmation
    assert (status, refused["error"]["code"]) == (409, "settlement.pending"), refused
    await deliver(nodes.clock, b)

    assert (await statement_at(a, sid))["status"] == "cleared"
    assert (await balance_with(a, b))["payable"] == 0
    await books_agree(a, b)


async def test_a_lost_statement_reply_and_an_early_payment_converge(nodes: NodeFactory) -> None:
    a, b = await two_partners(nodes)
    await store_of(b, "B")
    await accepted_claim(b, a, await voucher_of(a, 5000), 1500)
    await a.stop()
    status, proposed = await propose(b, a)
    assert (status, proposed["status"]) == (201, "proposed"), proposed
    sid = proposed["statement_id"]
    await restart(a)
    [(_, _, envelope)] = outbox(b, a, "statement")
    status, reply = await post_peer(a, envelope)  # A agrees; the answer never reaches B
    assert (status, reply.ok) == (200, True), reply
    assert (await statement_at(a, sid))["status"] == "agreed"
    assert (await statement_at(b, sid))["status"] == "proposed"

    paid = await ok(a, "POST", f"settlement/statements/{sid}/pay", {"reference": "early"})
    assert paid["status"] == "paid"
    # B takes the payment only once it has A's agreement: A reaching B makes B send its queue
    # (the statement again, answered from A's store), which may or may not overtake the payment.
    assert (await statement_at(b, sid))["status"] in ("proposed", "agreed", "paid")

    await deliver(nodes.clock, b)  # B asks again: A's stored answer
    await deliver(nodes.clock, a)  # and A's payment follows

    assert (await statement_at(b, sid))["status"] == "paid"
    await ok(b, "POST", f"settlement/statements/{sid}/confirm", {})
    for node in (a, b):
        assert (await statement_at(node, sid))["status"] == "cleared"
    assert (await balance_with(b, a))["receivable"] == 0
    await books_agree(a, b)


async def test_payee_confirms_and_proposes_while_the_payer_is_down(nodes: NodeFactory) -> None:
    a, b = await two_partners(nodes)
    await store_of(b, "B")
    voucher = await voucher_of(a, 9000)
    await accepted_claim(b, a, voucher, 1500)
    b.clock.advance(seconds=1)
    first = await ok(b, "POST", "settlement/statements", {"peer": a.node_id})
    await ok(a, "POST", f"settlement/statements/{first['statement_id']}/pay", {"reference": "r1"})
    nodes.clock.advance(minutes=10)
    later = await accepted_claim(b, a, voucher, 700)
    await a.stop()

    await ok(b, "POST", f"settlement/statements/{first['statement_id']}/confirm", {})
    status, second = await propose(b, a)  # lists the payment A has not heard confirmed yet
    assert (status, second["status"]) == (201, "proposed"), second
    await restart(a)
    await deliver(nodes.clock, b)  # the confirmation goes first (same channel), then the proposal

    for node in (a, b):
        assert (await statement_at(node, first["statement_id"]))["status"] == "cleared"
        shown = await statement_at(node, second["statement_id"])
        assert shown["status"] == "agreed", shown
        assert [c["claim_id"] for c in shown["claims"]] == [later]
        assert [c["statement_id"] for c in shown["cleared"]] == [first["statement_id"]]
    await books_agree(a, b)


async def test_payee_proposing_before_it_confirms_does_not_deadlock(nodes: NodeFactory) -> None:
    a, b = await two_partners(nodes)
    await store_of(b, "B")
    voucher = await voucher_of(a, 9000)
    await accepted_claim(b, a, voucher, 1500)
    b.clock.advance(seconds=1)
    first = await ok(b, "POST", "settlement/statements", {"peer": a.node_id})
    await ok(a, "POST", f"settlement/statements/{first['statement_id']}/pay", {"reference": "r1"})
    nodes.clock.advance(minutes=10)
    await accepted_claim(b, a, voucher, 700)

    status, second = await propose(b, a)  # B has not confirmed the first payment yet
    assert (status, second["status"]) == (201, "agreed"), second
    await ok(b, "POST", f"settlement/statements/{first['statement_id']}/confirm", {})

    for node in (a, b):
        assert (await statement_at(node, first["statement_id"]))["status"] == "cleared"
    assert (await balance_with(b, a))["receivable"] == 700
    await books_agree(a, b)


async def test_replaying_every_message_of_a_settled_cycle_changes_nothing(
    nodes: NodeFactory,
) -> None:
    a, b = await two_partners(nodes)
    await store_of(a, "A")
    await store_of(b, "B")
    voucher = await voucher_of(a, 5000)
    claim_id = await accepted_claim(b, a, voucher, 1000)
    voided = await accepted_claim(b, a, voucher, 300)
    await ok(b, "POST", f"redemptions/{voided}/void")
    await accepted_claim(a, b, await voucher_of(b, 5000), 200)
    b.clock.advance(seconds=1)
    statement = await ok(b, "POST", "settlement/statements", {"peer": a.node_id})
    sid = statement["statement_id"]
    await ok(a, "POST", f"settlement/statements/{sid}/pay", {"reference": "r"})
    await ok(b, "POST", f"settlement/statements/{sid}/confirm", {})
    assert {"claim", "claim_void", "statement", "payment", "payment_confirmation"} <= {
        str(t) for n in (a, b) for (t,) in read(n, "SELECT msg_type FROM outbox")
    }
    sent = [
        (to, read(sender, "SELECT envelope FROM outbox WHERE peer = ? ORDER BY seq", to.node_id))
        for sender, to in ((a, b), (b, a))
    ]
    before = [(journal_size(n), read(n, "SELECT * FROM claims ORDER BY 1, 2, 3")) for n in (a, b)]

    for to, rows in sent:
        for (raw,) in rows:
            status, reply = await post_peer(to, bytes(raw))
            assert (status, reply.ok) == (200, True), reply

    assert [
        (journal_size(n), read(n, "SELECT * FROM claims ORDER BY 1, 2, 3")) for n in (a, b)
    ] == before
    assert (await claim_at(a, claim_id))["status"] == "CLEARED"
    assert await voucher_balance(a, voucher) == 4000
    await books_agree(a, b)


async def test_pending_claims_count_against_the_exposure_limit(nodes: NodeFactory) -> None:
    a, b = await two_partners(nodes)
    await store_of(b, "B")
    voucher = await voucher_of(a, 5000)
    await ok(b, "POST", f"peers/{a.node_id}/limit", {"max_receivable": 1000})
    code, other = await payload(a, voucher), await payload(a, voucher)
    await a.stop()
    await pending_claim(b, code, 800)
    shop = (await ok(b, "GET", "stores"))["stores"][0]["store_id"]

    status, refused = await b.call(
        "POST", "redemptions", {"payload": other, "amount": 300, "store_id": shop}
    )

    assert (status, refused["error"]["code"]) == (409, "settlement.exposure_limit"), refused
    assert len(outbox(b, a, "claim")) == 1
    await restart(a)
    await deliver(nodes.clock, b)
    assert await voucher_balance(a, voucher) == 4200
    await books_agree(a, b)


async def test_a_code_shown_at_two_partners_during_an_outage_is_spent_once(
    nodes: NodeFactory,
) -> None:
    a, b = await two_partners(nodes)
    c = await nodes.start("Cafe C")
    invite = await ok(a, "POST", "peers/invite", {"valid_hours": 2})
    await ok(c, "POST", "peers/join", {"invite": invite["invite"]})
    await store_of(b, "B")
    await store_of(c, "C")
    voucher = await voucher_of(a, 5000)
    code = await payload(a, voucher)  # one QR, shown at two counters while A is down
    await a.stop()
    first = await pending_claim(b, code, 1000)
    second = await pending_claim(c, code, 1000)
    await restart(a)
    await deliver(nodes.clock, b)
    assert (await claim_at(b, first))["status"] == "ACCEPTED"

    await deliver(nodes.clock, c)

    assert (await claim_at(c, second))["status"] == "REJECTED"
    assert (await claim_at(c, second))["reason_code"] == "voucher.code_used"
    assert await voucher_balance(a, voucher) == 4000
    await books_agree(a, b, c)


async def test_a_code_spent_once_stays_spent_after_the_expiry_sweep(nodes: NodeFactory) -> None:
    a, b = await two_partners(nodes)
    c = await nodes.start("Cafe C")
    invite = await ok(a, "POST", "peers/invite", {"valid_hours": 2})
    await ok(c, "POST", "peers/join", {"invite": invite["invite"]})
    await store_of(b, "B")
    await store_of(c, "C")
    voucher = await voucher_of(a, 5000)
    code = await payload(a, voucher)
    await a.stop()
    first = await pending_claim(b, code, 1000)
    second = await pending_claim(c, code, 1000)
    await restart(a)
    await deliver(nodes.clock, b)
    assert (await claim_at(b, first))["status"] == "ACCEPTED"
    await ok(a, "POST", "vouchers/expire")  # the sweep that runs every few minutes

    await deliver(nodes.clock, c)

    assert (await claim_at(c, second))["status"] == "REJECTED"
    assert await voucher_balance(a, voucher) == 4000
    await books_agree(a, b, c)
