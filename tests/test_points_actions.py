"""The points use cases on a real node (node/points/actions.py): earn by member number, card
number or a voucher's QR code; spend only with the card's fresh code, once per code; a repeated
transaction id answers the first answer and a changed body is refused; a return takes back what
is left and records the rest as a shortfall; an adjustment needs a reason."""

from __future__ import annotations

from datetime import timedelta

import pytest

from node.errors import (
    CardCannotSpend,
    InsufficientPoints,
    InvalidPoints,
    MemberCodeUsed,
    MemberNotFound,
    PointsTxnConflict,
    PurchaseNotFound,
)
from node.home import NodeHome
from node.points import actions, program_actions
from node.points.actions import ADMIN, Caller
from node.points.program_actions import CampaignInput, ProgramInput
from tests.conftest import FakeClock
from tests.points_helpers import points_node

POS = Caller("key:ak_test")


async def test_earn_use_return_round_trip(home: NodeHome, clock: FakeClock) -> None:
    async with points_node(home, clock) as p:
        store = await p.store()
        member = await p.member()
        earned = await actions.earn(p.node, member.member_no, 12_345, "pos-1", POS, store)
        assert (earned["points"], earned["balance"], earned["replayed"]) == (123, 123, False)
        again = await actions.earn(p.node, member.member_no, 12_345, "pos-1", POS, store)
        assert again == {**earned, "replayed": True}
        with pytest.raises(PointsTxnConflict):
            await actions.earn(p.node, member.member_no, 999, "pos-1", POS, store)

        by_card = await actions.earn(p.node, member.card_no, 1_000, "pos-2", POS, store)
        assert by_card["points"] == 10 and by_card["balance"] == 133
        with pytest.raises(CardCannotSpend):
            await actions.use(p.node, member.card_no, 10, "pos-3", POS, store)

        code = actions.card_code(p.node, member)
        used = await actions.use(p.node, str(code["payload"]), 100, "pos-3", POS, store)
        assert (used["points"], used["value_yen"], used["balance"]) == (100, 100, 33)
        with pytest.raises(MemberCodeUsed):
            await actions.use(p.node, str(code["payload"]), 1, "pos-4", POS, store)
        with pytest.raises(InsufficientPoints):
            fresh = actions.card_code(p.node, member)
            await actions.use(p.node, str(fresh["payload"]), 34, "pos-5", POS, store)

        returned = await actions.return_txn(p.node, "pos-1", POS)
        assert (returned["points_taken_back"], returned["shortfall"]) == (33, 90)
        assert returned["balance"] == 0
        assert await actions.return_txn(p.node, "pos-1", POS) == {**returned, "replayed": True}
        # Undoing the use gives its 100 points back, and the returned purchase's shortfall of 90
        # is settled out of them at once: the member keeps nothing of goods given back.
        back = await actions.return_txn(p.node, "pos-3", POS)
        assert (back["kind"], back["points_given_back"], back["balance"]) == ("use", 100, 10)


async def test_adjust_and_expiry(home: NodeHome, clock: FakeClock) -> None:
    async with points_node(home, clock) as p:
        member = await p.member()
        with pytest.raises(InvalidPoints):
            await actions.adjust(p.node, member.member_no, 50, "  ", ADMIN)
        made = await actions.adjust(p.node, member.member_no, 50, "お詫び", ADMIN)
        assert made["balance"] == 50
        with pytest.raises(InsufficientPoints):
            await actions.adjust(p.node, member.member_no, -51, "誤付与の訂正", ADMIN)
        with pytest.raises(MemberNotFound):
            await actions.adjust(p.node, "0000000000", 5, "x", ADMIN)
        clock.advance(days=367)
        shown = await actions.balance_answer(p.node, member)
        assert shown == {"member_no": member.member_no, "balance": 0, "lots": []}


async def test_program_changes_apply_from_their_moment(home: NodeHome, clock: FakeClock) -> None:
    async with points_node(home, clock) as p:
        store = await p.store()
        member = await p.member()
        now = clock.now()
        later = (now + timedelta(days=1)).isoformat()
        with pytest.raises(InvalidPoints) as past:
            await program_actions.set_program(
                p.node, ProgramInput(effective_from=(now - timedelta(days=1)).isoformat()), "admin"
            )
        assert past.value.details["field"] == "effective_from"
        shown = await program_actions.set_program(
            p.node, ProgramInput(earn_points=5, effective_from=later), "admin"
        )
        assert shown["in_force"]["earn_points"] == 1 and shown["scheduled"][0]["earn_points"] == 5
        assert (await actions.earn(p.node, member.member_no, 1000, "t1", POS, store))[
            "points"
        ] == 10
        await program_actions.add_campaign(
            p.node,
            CampaignInput("2月ダブル", 200, later, (now + timedelta(days=30)).isoformat(), store),
            "admin",
        )
        clock.advance(days=2)
        doubled = await actions.earn(p.node, member.member_no, 1000, "t2", POS, store)
        assert (doubled["points"], doubled["campaign_pct"]) == (100, 200)
        elsewhere = await actions.earn(p.node, member.member_no, 1000, "t3", POS, None)
        assert elsewhere["points"] == 50


async def test_a_return_is_the_earning_integrations_own(home: NodeHome, clock: FakeClock) -> None:
    async with points_node(home, clock) as p:
        member = await p.member()
        long_a, long_b = "A" * 60 + "-001", "A" * 60 + "-002"
        await actions.earn(p.node, member.member_no, 1000, long_a, POS)
        await actions.earn(p.node, member.member_no, 2000, long_b, POS)
        with pytest.raises(PurchaseNotFound):  # another integration cannot undo it
            await actions.return_txn(p.node, long_a, Caller("key:ak_other"))
        first = await actions.return_txn(p.node, long_a, POS)
        second = await actions.return_txn(p.node, long_b, ADMIN)  # head office may
        assert (first["points_taken_back"], second["points_taken_back"]) == (10, 20)
        assert actions.return_key(long_a) != actions.return_key(long_b)
        assert len(actions.return_key(long_a)) == 64


async def test_an_adjustment_with_a_transaction_id_is_made_once(
    home: NodeHome, clock: FakeClock
) -> None:
    async with points_node(home, clock) as p:
        member = await p.member()
        first = await actions.adjust(p.node, member.member_no, 50, "お詫び", ADMIN, "adj-1")
        again = await actions.adjust(p.node, member.member_no, 50, "お詫び", ADMIN, "adj-1")
        assert again == {**first, "replayed": True} and again["balance"] == 50
        with pytest.raises(PointsTxnConflict):
            await actions.adjust(p.node, member.member_no, 60, "お詫び", ADMIN, "adj-1")
        with pytest.raises(InvalidPoints):  # the node's own namespace
            await actions.adjust(p.node, member.member_no, 5, "x", ADMIN, "staff:abc")
        plain = await actions.adjust(p.node, member.member_no, 5, "来店", ADMIN)
        assert (plain["replayed"], plain["balance"]) == (False, 55)
