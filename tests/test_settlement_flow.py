"""Cross-company redemption and settlement between real nodes: claims, voids, statements, netting,
payment, clearing, exposure limits and concurrent redemptions of one voucher at two partners."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.conftest import NodeFactory, RunningNode, ok
from tests.settlement_helpers import (
    balance_with,
    books_agree,
    claim_at,
    deliver,
    journal_size,
    pair_agrees,
    partner,
    payload,
    propose,
    redeem,
    restart,
    statement_at,
    store_of,
    two_partners,
    voucher_balance,
    voucher_of,
)


async def snapshot(*nodes: RunningNode) -> list[Any]:
    """What a refused or rejected redemption must leave as it was: books and balances."""
    taken = []
    for node in nodes:
        balances = (await ok(node, "GET", "settlement/balances"))["balances"]
        taken.append(
            (
                journal_size(node),
                [(e["peer"], e["receivable"], e["payable"]) for e in balances],
                (await ok(node, "GET", "ledger/check"))["voucher_balances"],
            )
        )
    return taken


async def accepted(at: RunningNode, issuer: RunningNode, voucher: str, amount: int) -> str:
    """Redeem a partner's voucher at `at`'s first store and insist the issuer accepted it."""
    store = (await ok(at, "GET", "stores"))["stores"][0]["store_id"]
    status, answer = await redeem(at, issuer, voucher, amount, store)
    assert (status, answer["status"]) == (201, "accepted"), answer
    return str(answer["claim_id"])


async def rejected(
    at: RunningNode, issuer: RunningNode, body: dict[str, Any], reason: str
) -> dict[str, Any]:
    """The issuer rejected the claim for `reason`; nothing was booked on either side."""
    before = await snapshot(at, issuer)
    status, answer = await at.call("POST", "redemptions", body)
    assert status == 409, answer
    error = answer["error"]
    assert error["code"] == "settlement.claim_rejected", error
    assert (error["reason"], error["status"], error["issuer"]) == (
        reason,
        "rejected",
        issuer.node_id,
    ), error
    assert await snapshot(at, issuer) == before
    claim_id = error["claim_id"]
    for node in (at, issuer):
        claim = await claim_at(node, claim_id)
        assert (claim["status"], claim["reason_code"]) == ("REJECTED", reason), claim
    return dict(error)


async def settle(payer: RunningNode, payee: RunningNode, statement_id: str) -> None:
    await ok(payer, "POST", f"settlement/statements/{statement_id}/pay", {"reference": "振込 0042"})
    await ok(payee, "POST", f"settlement/statements/{statement_id}/confirm", {})


# -- claims --------------------------------------------------------------------------------------


async def test_partner_voucher_redeemed_at_b_is_owed_by_a(nodes: NodeFactory) -> None:
    a, b = await two_partners(nodes)
    shop = await store_of(b, "Trattoria B Shibuya")
    voucher = await voucher_of(a, 5000)

    status, answer = await redeem(b, a, voucher, 1200, shop)

    assert status == 201, answer
    assert answer["status"] == "accepted"
    assert (answer["issuer"], answer["issuer_name"]) == (a.node_id, "Izakaya A")
    assert answer["redemption_id"] == answer["claim_id"]
    assert answer["balance_after"] == 3800
    assert answer["receipt_no"]
    assert await voucher_balance(a, voucher) == 3800
    at_a, at_b = await balance_with(a, b), await balance_with(b, a)
    assert (at_b["receivable"], at_b["payable"], at_b["pending"]) == (1200, 0, 0)
    assert (at_a["receivable"], at_a["payable"]) == (0, 1200)
    for node, role in ((a, "issuer"), (b, "redeemer")):
        claim = await claim_at(node, answer["claim_id"])
        assert (claim["status"], claim["role"], claim["amount"]) == ("ACCEPTED", role, 1200)
        assert claim["store_name"] == "Trattoria B Shibuya"
    await books_agree(a, b)


async def test_claims_over_the_balance_or_with_a_used_code_are_rejected(
    nodes: NodeFactory,
) -> None:
    a, b = await two_partners(nodes)
    shop_a, shop_b = await store_of(a, "A honten"), await store_of(b, "B ekimae")
    voucher = await voucher_of(a, 3000)

    over = {"payload": await payload(a, voucher), "amount": 3001, "store_id": shop_b}
    await rejected(b, a, over, "ledger.insufficient_balance")

    # A code shown once is spent once: at the partner, then again at the partner or at home.
    code = await payload(a, voucher)
    status, first = await b.call(
        "POST", "redemptions", {"payload": code, "amount": 1000, "store_id": shop_b}
    )
    assert (status, first["status"]) == (201, "accepted"), first
    await rejected(b, a, {"payload": code, "amount": 500, "store_id": shop_b}, "voucher.code_used")
    status, at_home = await a.call(
        "POST", "redemptions", {"payload": code, "amount": 500, "store_id": shop_a}
    )
    assert (status, at_home["error"]["code"]) == (409, "voucher.code_used"), at_home

    # ...and a code first spent at the issuer's own store is no good at the partner either.
    home_code = await payload(a, voucher)
    await ok(a, "POST", "redemptions", {"payload": home_code, "amount": 200, "store_id": shop_a})
    await rejected(
        b, a, {"payload": home_code, "amount": 100, "store_id": shop_b}, "voucher.code_used"
    )

    assert await voucher_balance(a, voucher) == 1800
    assert (await balance_with(b, a))["receivable"] == 1000
    await books_agree(a, b)


async def test_void_gives_the_value_back_and_removes_the_receivable(nodes: NodeFactory) -> None:
    a, b = await two_partners(nodes)
    await store_of(b, "B")
    voucher = await voucher_of(a, 4000)
    claim_id = await accepted(b, a, voucher, 1500)

    status, voided = await b.call("POST", f"redemptions/{claim_id}/void")

    assert status == 200, voided
    assert (voided["voided"], voided["status"]) == (True, "VOIDED")
    assert await voucher_balance(a, voucher) == 4000
    assert (await balance_with(b, a))["receivable"] == 0
    assert (await balance_with(a, b))["payable"] == 0
    for node in (a, b):
        assert (await claim_at(node, claim_id))["status"] == "VOIDED"
    status, again = await b.call("POST", f"redemptions/{claim_id}/void")
    assert (status, again["error"]["code"]) == (409, "redemption.already_voided"), again
    assert await voucher_balance(a, voucher) == 4000
    await books_agree(a, b)


async def test_statement_nets_both_directions_then_pay_and_confirm_clear_it(
    nodes: NodeFactory,
) -> None:
    a, b = await two_partners(nodes)
    await store_of(a, "A")
    await store_of(b, "B")
    a_voucher, b_voucher = await voucher_of(a, 10_000), await voucher_of(b, 10_000)
    owed_by_a = [await accepted(b, a, a_voucher, 1200), await accepted(b, a, a_voucher, 300)]
    owed_by_b = [await accepted(a, b, b_voucher, 500)]

    status, proposed = await propose(b, a)

    assert status == 201, proposed
    sid = proposed["statement_id"]
    for node, owed_to_us, owed_by_us, we_are in ((b, 1500, 500, "payee"), (a, 500, 1500, "payer")):
        shown = await statement_at(node, sid)
        assert shown["status"] == "agreed"
        assert (shown["payer"], shown["amount"], shown["we_are"]) == (a.node_id, 1000, we_are)
        assert (shown["owed_to_us"], shown["owed_by_us"]) == (owed_to_us, owed_by_us)
        assert sorted(c["claim_id"] for c in shown["claims"]) == sorted(owed_by_a + owed_by_b)
        for claim_id in owed_by_a + owed_by_b:
            assert (await claim_at(node, claim_id))["status"] == "INVOICED"
    assert (await statement_at(a, sid))["statement_hash"] == proposed["statement_hash"]

    # One more redemption after the cut-off: not in this statement, still owed after clearing.
    later = await accepted(b, a, a_voucher, 700)
    before_a, before_b = await balance_with(a, b), await balance_with(b, a)
    assert (before_b["receivable"], before_b["payable"]) == (2200, 500)

    status, wrong = await b.call("POST", f"settlement/statements/{sid}/pay", {"reference": "x"})
    assert (status, wrong["error"]["code"]) == (409, "settlement.not_payer"), wrong
    status, wrong = await a.call("POST", f"settlement/statements/{sid}/confirm", {})
    assert (status, wrong["error"]["code"]) == (409, "settlement.not_payee"), wrong

    paid = await ok(a, "POST", f"settlement/statements/{sid}/pay", {"reference": "振込 0042"})
    assert paid["status"] == "paid"
    seen = await statement_at(b, sid)
    assert (seen["status"], seen["reference"]) == ("paid", "振込 0042")
    for node in (a, b):
        assert (await claim_at(node, owed_by_a[0]))["status"] == "PAID"
    assert await balance_with(b, a) == before_b  # paid is not received: nothing cleared yet

    confirmed = await ok(b, "POST", f"settlement/statements/{sid}/confirm", {})
    assert confirmed["status"] == "cleared"
    assert (await statement_at(a, sid))["status"] == "cleared"
    for node in (a, b):
        for claim_id in owed_by_a + owed_by_b:
            assert (await claim_at(node, claim_id))["status"] == "CLEARED"
        assert (await claim_at(node, later))["status"] == "ACCEPTED"
    after_a, after_b = await balance_with(a, b), await balance_with(b, a)
    assert (after_b["receivable"], after_b["payable"]) == (
        before_b["receivable"] - 1500,
        before_b["payable"] - 500,
    )
    assert (after_a["receivable"], after_a["payable"]) == (
        before_a["receivable"] - 500,
        before_a["payable"] - 1500,
    )
    assert (after_b["receivable"], after_b["payable"]) == (700, 0)
    status, again = await a.call("POST", f"settlement/statements/{sid}/pay", {"reference": "y"})
    assert (status, again["error"]["code"]) == (409, "settlement.statement_state"), again
    await books_agree(a, b)


async def test_our_unconfirmed_payment_blocks_our_proposal_after_a_later_statement(
    nodes: NodeFactory,
) -> None:
    """We paid statement 1 and the partner has not confirmed it; its statement 2 is agreed since.
    We may not propose statement 3 until the confirmation arrives: the partner would not list the
    payment as cleared, we might (and the unconfirmed payment is no longer the newest statement)."""
    a, b = await two_partners(nodes)
    await store_of(a, "A")
    await store_of(b, "B")
    a_voucher = await voucher_of(a, 10_000)
    await accepted(b, a, a_voucher, 1000)
    status, first = await propose(b, a)
    assert (status, first["status"], first["payer"]) == (201, "agreed", a.node_id), first
    first_id = first["statement_id"]
    await ok(a, "POST", f"settlement/statements/{first_id}/pay", {"reference": "振込 0001"})
    await accepted(b, a, a_voucher, 400)
    status, second = await propose(b, a)  # the payee has no payment of its own unconfirmed
    assert (status, second["status"]) == (201, "agreed"), second
    assert (await statement_at(a, second["statement_id"]))["status"] == "agreed"
    assert (await statement_at(a, first_id))["status"] == "paid"
    await accepted(a, b, await voucher_of(b, 5000), 300)

    status, refused = await propose(a, b)

    assert status == 409 and refused["error"]["code"] == "settlement.pending", refused
    listed = (await ok(a, "GET", "settlement/statements"))["statements"]
    assert sorted(s["statement_id"] for s in listed) == sorted([first_id, second["statement_id"]])
    await ok(b, "POST", f"settlement/statements/{first_id}/confirm", {})
    assert (await statement_at(a, first_id))["status"] == "cleared"
    status, third = await propose(a, b)
    assert (status, third["status"]) == (201, "agreed"), third
    assert [c["statement_id"] for c in third["cleared"]] == [first_id], third
    await books_agree(a, b)


async def test_a_superseded_proposal_delivered_late_is_superseded_on_both_sides(
    nodes: NodeFactory,
) -> None:
    a, b = await two_partners(nodes)
    await store_of(b, "B")
    await accepted(b, a, await voucher_of(a, 3000), 1000)
    low, high = sorted((a, b), key=lambda n: n.node_id)
    await low.stop()
    status, losing = await propose(high, low)
    assert (status, losing["status"]) == (201, "proposed"), losing
    await restart(low)
    assert (await propose(low, high))[0] == 201
    await deliver(nodes.clock, high, low)
    assert (await statement_at(high, losing["statement_id"]))["status"] == "superseded"

    seen = await low.call("GET", f"settlement/statements/{losing['statement_id']}")
    reconciled = await ok(low, "POST", "settlement/reconcile", {"peer": high.node_id})

    assert seen[0] == 404 or seen[1]["status"] == "superseded", seen
    assert reconciled["breaks"] == [], reconciled
    await books_agree(a, b)


async def test_voucher_of_a_partners_partner_is_refused(nodes: NodeFactory) -> None:
    a, b, c = [await nodes.start(n) for n in ("Izakaya A", "Trattoria B", "Cafe C")]
    await partner(a, b)
    await partner(b, c)
    shop_b, shop_c = await store_of(b, "B"), await store_of(c, "C")
    a_voucher = await voucher_of(a, 5000)
    c_voucher = await voucher_of(c, 5000)
    before = await snapshot(a, c)

    status, refused = await redeem(c, a, a_voucher, 1000, shop_c)

    assert (status, refused["error"]["code"]) == (409, "voucher.foreign_issuer"), refused
    assert await snapshot(a, c) == before
    assert (await ok(c, "GET", "settlement/claims"))["claims"] == []
    assert (await ok(a, "GET", "settlement/claims"))["claims"] == []
    # B, partner of both, takes either voucher; each issuer owes B for its own.
    for issuer, voucher in ((a, a_voucher), (c, c_voucher)):
        status, answer = await redeem(b, issuer, voucher, 1000, shop_b)
        assert (status, answer["status"]) == (201, "accepted"), answer
        assert (await balance_with(b, issuer))["receivable"] == 1000
        assert (await balance_with(issuer, b))["payable"] == 1000
    assert await voucher_balance(a, a_voucher) == 4000
    await books_agree(a, b, c)


async def set_limit(node: RunningNode, peer: RunningNode, limit: int | None) -> dict[str, Any]:
    return await ok(node, "POST", f"peers/{peer.node_id}/limit", {"max_receivable": limit})


async def test_exposure_limit_refuses_until_a_payment_lowers_what_is_owed(
    nodes: NodeFactory,
) -> None:
    a, b = await two_partners(nodes)
    await store_of(a, "A")
    shop = await store_of(b, "B")
    voucher = await voucher_of(a, 10_000)
    assert (await set_limit(b, a, 2000))["max_receivable"] == 2000
    await accepted(b, a, voucher, 1500)

    before = await snapshot(a, b)
    status, refused = await redeem(b, a, voucher, 600, shop)
    assert (status, refused["error"]["code"]) == (409, "settlement.exposure_limit"), refused
    assert await snapshot(a, b) == before
    assert await voucher_balance(a, voucher) == 8500
    await accepted(b, a, voucher, 500)  # exactly up to the limit is fine

    # A's store taking B's voucher nets against what A owes B.
    await accepted(a, b, await voucher_of(b, 1000), 300)
    await accepted(b, a, voucher, 300)
    status, refused = await redeem(b, a, voucher, 1, shop)
    assert (status, refused["error"]["code"]) == (409, "settlement.exposure_limit"), refused

    status, statement = await propose(b, a)
    assert (status, statement["amount"]) == (201, 2000), statement
    status, refused = await redeem(b, a, voucher, 1, shop)  # agreed is not yet paid
    assert (status, refused["error"]["code"]) == (409, "settlement.exposure_limit"), refused
    await settle(a, b, statement["statement_id"])

    await accepted(b, a, voucher, 2000)
    status, refused = await redeem(b, a, voucher, 1, shop)
    assert (status, refused["error"]["code"]) == (409, "settlement.exposure_limit"), refused
    assert (await set_limit(b, a, None))["max_receivable"] is None
    await accepted(b, a, voucher, 1)
    assert await voucher_balance(a, voucher) == 10_000 - 1500 - 500 - 300 - 2000 - 1
    await books_agree(a, b)


async def test_two_partners_racing_for_one_voucher_never_overspend_it(nodes: NodeFactory) -> None:
    a, b, c = [await nodes.start(n) for n in ("Izakaya A", "Trattoria B", "Cafe C")]
    await partner(a, b)
    await partner(a, c)
    shops = {b.node_id: await store_of(b, "B"), c.node_id: await store_of(c, "C")}
    voucher = await voucher_of(a, 10_000)
    shops[a.node_id] = await store_of(a, "A")
    attempts = [
        (at, {"payload": await payload(a, voucher), "amount": 1500, "store_id": shops[at.node_id]})
        for at in [b, c] * 8 + [a, a]  # the issuer's own store joins in
    ]

    answers = await asyncio.gather(*(at.call("POST", "redemptions", body) for at, body in attempts))

    statuses = sorted(status for status, _ in answers)
    assert set(statuses) <= {201, 202, 409}, answers
    for (at, _), (status, answer) in zip(attempts, answers, strict=True):
        if status == 409 and at is a:  # the issuer's own store
            assert answer["error"]["code"] == "ledger.insufficient_balance", answer
        elif status == 409:
            assert answer["error"]["reason"] == "ledger.insufficient_balance", answer
    await deliver(nodes.clock, b, c)  # anything that waited longer than the counter does
    issued = (await ok(a, "GET", "settlement/claims?role=issuer&status=ACCEPTED"))["claims"]
    outcomes = [(at, status) for (at, _), (status, _) in zip(attempts, answers, strict=True)]
    at_home = sum(1 for at, status in outcomes if at is a and status == 201)
    assert len(issued) + at_home == 10_000 // 1500
    assert await voucher_balance(a, voucher) == 10_000 - 6 * 1500
    owed = [(await balance_with(at, a))["receivable"] for at in (b, c)]
    assert sum(owed) == len(issued) * 1500
    for at in (b, c):
        await pair_agrees(a, at)
        mine = await ok(at, "GET", "settlement/claims?role=redeemer")
        assert all(claim["status"] in ("ACCEPTED", "REJECTED") for claim in mine["claims"])
    await books_agree(a, b, c)


async def test_concurrent_redemptions_never_pass_the_exposure_limit(nodes: NodeFactory) -> None:
    a, b = await two_partners(nodes)
    shop = await store_of(b, "B")
    voucher = await voucher_of(a, 100_000)
    await set_limit(b, a, 1000)
    bodies = [
        {"payload": await payload(a, voucher), "amount": 300, "store_id": shop} for _ in range(10)
    ]

    answers = await asyncio.gather(*(b.call("POST", "redemptions", body) for body in bodies))

    codes = sorted(
        answer["status"] if status == 201 else answer["error"]["code"] for status, answer in answers
    )
    assert codes == ["accepted"] * 3 + ["settlement.exposure_limit"] * 7, answers
    assert (await balance_with(b, a))["receivable"] == 900
    assert await voucher_balance(a, voucher) == 100_000 - 900
    await books_agree(a, b)


async def test_a_suspended_partners_voucher_is_refused_until_resumed(nodes: NodeFactory) -> None:
    a, b = await two_partners(nodes)
    shop = await store_of(b, "B")
    voucher = await voucher_of(a, 5000)
    await ok(b, "POST", f"peers/{a.node_id}/suspend")
    before = await snapshot(a, b)

    status, refused = await redeem(b, a, voucher, 1000, shop)

    assert (status, refused["error"]["code"]) == (409, "settlement.partner_not_active"), refused
    assert await snapshot(a, b) == before
    await ok(b, "POST", f"peers/{a.node_id}/resume")
    await accepted(b, a, voucher, 1000)
    await books_agree(a, b)
