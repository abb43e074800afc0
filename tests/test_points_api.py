"""The points JSON API end to end over HTTP on a real node: a POS earns, uses and returns with its
integration key and head office adjusts with the admin token, each recorded with who did it; the
same transaction id answers the first answer however often it is sent (1,000 concurrent replays
credit once) and another body under it is refused; keys that are wrong, revoked or read-only are
refused; bad bodies are refused naming the field and change nothing; purchase lines are kept."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from node.errors import MemberCodeUsed
from node.home import NodeHome
from node.points import actions, queries
from node.points.actions import Caller
from node.points.model import PurchaseLine
from tests.conftest import FakeClock
from tests.points_api_helpers import (
    admin_ok,
    balance,
    books,
    call,
    card_payload,
    new_key,
    new_member,
)
from tests.points_helpers import points_node

LINES = [
    {"sku": "4901234567894", "name": "緑茶 500ml", "quantity": 2, "amount_yen": 300},
    {"sku": "SKU-2", "name": "おにぎり", "quantity": 1, "amount_yen": 11_745},
]


async def test_a_pos_earns_uses_and_returns_with_its_key(home: NodeHome, clock: FakeClock) -> None:
    async with points_node(home, clock) as p:
        store = await p.store()
        member = await new_member(p)
        pos_name = "POS 渋谷"
        pos, _ = await new_key(p, pos_name, "write")
        no = member["member_no"]
        assert (member["points"], member["rank"]) == (0, None)

        earn = {"member": no, "purchase_yen": 12_345, "txn": "pos-1", "store_id": store}
        status, earned = await call(p, "POST", "points/earn", pos, {**earn, "lines": LINES})
        assert status == 201, earned
        assert (earned["points"], earned["balance"], earned["replayed"]) == (123, 123, False)
        assert await queries.purchase_lines(p.node.require_reader(), "pos-1") == [
            PurchaseLine(**line) for line in LINES
        ]
        status, again = await call(p, "POST", "points/earn", pos, {**earn, "lines": LINES})
        assert (status, again) == (201, {**earned, "replayed": True})

        # The printed card number earns but never spends; the card's fresh code spends, once.
        by_card = {"member": member["card_no"], "points": 10, "txn": "pos-2"}
        status, refused = await call(p, "POST", "points/use", pos, by_card)
        assert (status, refused["error"]["code"]) == (403, "member.card_cannot_spend")
        clock.advance(seconds=1)  # entries listed newest first
        payload = await card_payload(p, member["customer_id"])
        use = {"member": payload, "points": 100, "txn": "pos-3", "store_id": store}
        status, used = await call(p, "POST", "points/use", pos, use)
        assert status == 201, used
        assert (used["points"], used["value_yen"], used["balance"]) == (100, 100, 23)
        status, refused = await call(p, "POST", "points/use", pos, {**use, "txn": "pos-4"})
        assert (status, refused["error"]["code"]) == (409, "member.code_used")
        status, again = await call(p, "POST", "points/use", pos, use)
        assert (status, again) == (201, {**used, "replayed": True})

        clock.advance(seconds=1)  # entries listed newest first
        status, returned = await call(p, "POST", "points/returns", pos, {"txn": "pos-1"})
        assert status == 201, returned
        assert (returned["kind"], returned["points_taken_back"], returned["shortfall"]) == (
            "purchase",
            23,
            100,
        )
        status, again = await call(p, "POST", "points/returns", pos, {"txn": "pos-1"})
        assert (status, again) == (201, {**returned, "replayed": True})
        clock.advance(seconds=1)  # entries listed newest first
        status, back = await call(p, "POST", "points/returns", pos, {"txn": "pos-3"})
        # The use's 100 points come back and settle the returned purchase's shortfall of 100.
        assert (status, back["kind"], back["points_given_back"], back["balance"]) == (
            201,
            "use",
            100,
            0,
        )

        clock.advance(seconds=1)  # entries listed newest first
        adjusted = await admin_ok(
            p, "POST", f"members/{no}/adjust", {"points": 40, "reason": "お詫びの付与"}
        )
        assert adjusted["balance"] == 40

        shown = await admin_ok(p, "GET", f"members/{no}/points")
        assert shown["balance"] == 40 and sum(lot["remaining"] for lot in shown["lots"]) == 40
        assert all(lot["expires_at"] is not None for lot in shown["lots"])
        status, history = await call(p, "GET", f"members/{no}/history", pos)
        assert status == 200, history
        shown_entries = [(e["kind"], e["points"], e["actor"]) for e in history["entries"]]
        assert shown_entries[0] == ("adjust", 40, "admin")
        assert sorted(shown_entries[1:3]) == [  # the same second: in either order
            ("return", -100, f"key:{pos_name}"),  # the shortfall settled
            ("use_return", 100, f"key:{pos_name}"),
        ]
        assert shown_entries[3:] == [
            ("return", -23, f"key:{pos_name}"),
            ("use", -100, f"key:{pos_name}"),
            ("earn", 123, f"key:{pos_name}"),
        ]
        assert history["entries"][0]["reason"] == "お詫びの付与"
        assert sum((await books(p)).values()) == 0


async def test_a_rotated_key_returns_and_replays_what_its_name_did(
    home: NodeHome, clock: FakeClock
) -> None:
    """Rotation is revoking a key and making one of the same name: the system behind it keeps
    its sales (the caller recorded is the key's name, not its id)."""
    async with points_node(home, clock) as p:
        no = (await new_member(p))["member_no"]
        old, _ = await new_key(p, "POS 池袋", "write")
        other, _ = await new_key(p, "POS 上野", "write")
        earn = {"member": no, "purchase_yen": 1_000, "txn": "ike-1"}
        status, earned = await call(p, "POST", "points/earn", old, earn)
        assert status == 201 and earned["points"] == 10
        await admin_ok(p, "POST", "apikeys/revoke", {"name": "POS 池袋"})
        new, _ = await new_key(p, "POS 池袋", "write")
        status, again = await call(p, "POST", "points/earn", new, earn)
        assert status == 201 and again["replayed"] is True, again
        status, refused = await call(p, "POST", "points/returns", other, {"txn": "ike-1"})
        assert (status, refused["error"]["code"]) == (404, "points.purchase_not_found")
        status, returned = await call(p, "POST", "points/returns", new, {"txn": "ike-1"})
        assert status == 201 and returned["points_taken_back"] == 10, returned


async def test_keys_wrong_revoked_read_only_and_head_office_routes(
    home: NodeHome, clock: FakeClock
) -> None:
    async with points_node(home, clock) as p:
        member = await new_member(p)
        no = member["member_no"]
        pos, _ = await new_key(p, "POS 新宿", "write")
        bi, _ = await new_key(p, "BI", "read")
        earn = {"member": no, "purchase_yen": 1_000, "txn": "k-1"}

        unknown = pos[:-1] + ("0" if pos[-1] != "0" else "1")
        status, refused = await call(p, "POST", "points/earn", unknown, earn)
        assert (status, refused["error"]["code"]) == (401, "auth.key_unknown")

        status, refused = await call(p, "POST", "points/earn", bi, earn)
        assert (status, refused["error"]["code"]) == (403, "auth.key_read_only")
        status, shown = await call(p, "GET", f"members/{no}", bi)
        assert status == 200 and shown["member_no"] == no and shown["points"] == 0

        customer = member["customer_id"]
        for method, path, body in (
            ("GET", f"customers/{customer}/member/card", None),
            ("POST", f"customers/{customer}/member", None),
            ("POST", f"members/{no}/adjust", {"points": 5, "reason": "x"}),
            ("GET", "points/program", None),
            ("PUT", "points/program", {"earn_points": 5}),
            ("POST", "points/campaigns", {"name": "x", "multiplier_pct": 200, "ends_at": "x"}),
            ("GET", "points/store-rates", None),
        ):
            status, refused = await call(p, method, path, pos, body)
            assert (status, refused["error"]["code"]) == (403, "auth.key_not_allowed"), path

        status, earned = await call(p, "POST", "points/earn", pos, earn)
        assert status == 201 and earned["points"] == 10
        # Another POS numbering its sales alike neither reads this answer nor undoes the sale.
        other, _ = await new_key(p, "POS 渋谷", "write")
        status, refused = await call(p, "POST", "points/earn", other, earn)
        assert (status, refused["error"]["code"]) == (409, "points.txn_conflict")
        status, refused = await call(p, "POST", "points/returns", other, {"txn": "k-1"})
        assert (status, refused["error"]["code"]) == (404, "points.purchase_not_found")
        await admin_ok(p, "POST", "apikeys/revoke", {"name": "POS 新宿"})
        status, refused = await call(p, "POST", "points/earn", pos, {**earn, "txn": "k-2"})
        assert (status, refused["error"]["code"]) == (401, "auth.key_revoked")
        assert await balance(p, no) == 10


REPLAYS = 1_000
BATCH = 100


async def test_a_thousand_replays_of_one_earn_credit_once(home: NodeHome, clock: FakeClock) -> None:
    async with points_node(home, clock) as p:
        member = await new_member(p)
        pos, _ = await new_key(p, "POS 池袋", "write")
        earn = {"member": member["member_no"], "purchase_yen": 5_000, "txn": "dup-1"}
        answers: list[tuple[int, dict[str, Any]]] = []
        for _ in range(REPLAYS // BATCH):
            answers += await asyncio.gather(
                *(call(p, "POST", "points/earn", pos, earn) for _ in range(BATCH))
            )
        assert {status for status, _ in answers} == {201}
        firsts = [a for _, a in answers if not a["replayed"]]
        assert len(firsts) == 1 and firsts[0]["points"] == 50
        assert all(a == {**firsts[0], "replayed": True} for _, a in answers if a["replayed"])
        assert await balance(p, member["member_no"]) == 50

        status, refused = await call(p, "POST", "points/earn", pos, {**earn, "purchase_yen": 5_001})
        assert (status, refused["error"]["code"]) == (409, "points.txn_conflict")
        # A use under an earn's id is another request too.
        payload = await card_payload(p, member["customer_id"])
        use = {"member": payload, "points": 1, "txn": "dup-1"}
        status, refused = await call(p, "POST", "points/use", pos, use)
        assert (status, refused["error"]["code"]) == (409, "points.txn_conflict")
        history = await admin_ok(p, "GET", f"members/{member['member_no']}/history")
        assert [e["kind"] for e in history["entries"]] == ["earn"]


BAD_EARNS: list[tuple[dict[str, Any], str, str]] = [
    ({"purchase_yen": 100, "txn": "b-1"}, "points.invalid", "member"),
    ({"member": "  ", "purchase_yen": 100, "txn": "b-1"}, "points.invalid", "member"),
    ({"member": 12, "purchase_yen": 100, "txn": "b-1"}, "points.invalid", "member"),
    ({"member": "M", "purchase_yen": 100}, "points.invalid", "txn"),
    ({"member": "M", "purchase_yen": 100, "txn": "has space"}, "points.invalid", "txn"),
    ({"member": "M", "purchase_yen": 100, "txn": "x" * 65}, "points.invalid", "txn"),
    ({"member": "M", "purchase_yen": -1, "txn": "b-1"}, "points.invalid", "purchase_yen"),
    ({"member": "M", "purchase_yen": "100", "txn": "b-1"}, "points.invalid", "purchase_yen"),
    ({"member": "M", "purchase_yen": True, "txn": "b-1"}, "points.invalid", "purchase_yen"),
    ({"member": "M", "purchase_yen": 100, "txn": "b-1", "lines": {}}, "points.invalid", "lines"),
    (
        {"member": "M", "purchase_yen": 1, "txn": "b-1", "lines": [{"sku": "x"}]},
        "points.invalid",
        "lines",
    ),
    (
        {"member": "M", "purchase_yen": 1, "txn": "b-1", "store_id": ""},
        "points.invalid",
        "store_id",
    ),
    ({"member": "not a card", "purchase_yen": 1, "txn": "b-1"}, "member.invalid_code", ""),
]


async def test_bad_bodies_are_refused_naming_the_field(home: NodeHome, clock: FakeClock) -> None:
    async with points_node(home, clock) as p:
        member = await new_member(p)
        no = member["member_no"]
        pos, _ = await new_key(p, "POS 上野", "write")
        for body, code, field in BAD_EARNS:
            sent = {k: (no if v == "M" else v) for k, v in body.items()}
            status, refused = await call(p, "POST", "points/earn", pos, sent)
            assert status == 422 and refused["error"]["code"] == code, (sent, refused)
            assert refused["error"].get("field", "") == field, (sent, refused)
        status, refused = await call(p, "POST", "points/earn", pos, {"member": no, "extra": 1})
        assert (status, refused["error"]["code"]) == (400, "request.invalid")

        payload = await card_payload(p, member["customer_id"])
        for body, field in (
            ({"member": payload, "points": 0, "txn": "u-1"}, "points"),
            ({"member": payload, "points": 1.5, "txn": "u-1"}, "points"),
            ({"member": payload, "points": 1}, "txn"),
        ):
            status, refused = await call(p, "POST", "points/use", pos, body)
            assert (status, refused["error"]["code"]) == (422, "points.invalid"), refused
            assert refused["error"]["field"] == field
        status, refused = await call(p, "POST", "points/returns", pos, {"txn": ""})
        assert (status, refused["error"]["field"]) == (422, "txn")
        status, refused = await call(p, "POST", "points/returns", pos, {"txn": "never"})
        assert (status, refused["error"]["code"]) == (404, "points.purchase_not_found")
        for body, field in (({"points": 0, "reason": "x"}, "points"), ({"points": 5}, "reason")):
            status, refused = await p.admin("POST", f"members/{no}/adjust", body)
            assert (status, refused["error"]["field"]) == (422, field), refused
        status, refused = await p.admin("GET", "members/0000000000/points")
        assert (status, refused["error"]["code"]) == (404, "member.not_found")

        assert await balance(p, no) == 0
        assert (await admin_ok(p, "GET", f"members/{no}/history"))["entries"] == []
        assert await books(p) == {}


async def test_head_office_sets_the_program_rates_and_campaigns(
    home: NodeHome, clock: FakeClock
) -> None:
    async with points_node(home, clock) as p:
        store = await p.store()
        member = await new_member(p)
        program = await admin_ok(p, "GET", "points/program")
        assert program["is_default"] is True
        program = await admin_ok(
            p, "PUT", "points/program", {"earn_points": 2, "earn_per_yen": 100, "min_use_points": 5}
        )
        assert program["in_force"]["earn_points"] == 2 and program["in_force"]["set_by"] == "admin"
        status, refused = await p.admin(
            "PUT", "points/program", {"effective_from": "2020-01-01T00:00:00+09:00"}
        )
        assert (status, refused["error"]["field"]) == (422, "effective_from")

        rate = await admin_ok(
            p,
            "POST",
            "points/store-rates",
            {"store_id": store, "earn_points": 3, "earn_per_yen": 100},
        )
        assert rate["earn_points"] == 3
        rates = await admin_ok(p, "GET", "points/store-rates")
        assert [r["store_id"] for r in rates["store_rates"]] == [store]
        campaign = await admin_ok(
            p,
            "POST",
            "points/campaigns",
            {"name": "2倍デー", "multiplier_pct": 200, "ends_at": "2030-01-01T00:00:00Z"},
        )
        assert campaign["running"] is True
        earn = {"member": member["member_no"], "purchase_yen": 1_000, "txn": "c-1"}
        status, earned = await p.admin("POST", "points/earn", {**earn, "store_id": store})
        assert (status, earned["points"], earned["campaign_pct"]) == (201, 60, 200)
        cancelled = await admin_ok(p, "POST", f"points/campaigns/{campaign['campaign_id']}/cancel")
        assert cancelled["running"] is False
        status, earned = await p.admin("POST", "points/earn", {**earn, "txn": "c-2"})
        assert (status, earned["points"]) == (201, 20)
        listed = await admin_ok(p, "GET", "points/campaigns")
        assert [c["cancelled_at"] is not None for c in listed["campaigns"]] == [True]
        status, refused = await p.admin("POST", "points/campaigns/pc_nothing/cancel")
        assert (status, refused["error"]["code"]) == (404, "points.campaign_not_found")


async def test_a_use_takes_the_soonest_expiring_lot_first(home: NodeHome, clock: FakeClock) -> None:
    """Three lots: no expiry, 30 days, 10 days. A use of 60 empties the 10-day lot and takes the
    rest from the 30-day one; the lot without expiry is spent last; asking for more than all
    is refused with the whole balance."""
    async with points_node(home, clock) as p:
        member = await new_member(p)
        no = member["member_no"]
        for expiry, purchase_yen, txn in (
            ({"expiry": "none"}, 10_000, "o-1"),
            ({"expiry": "days", "expiry_days": 30}, 5_000, "o-2"),
            ({"expiry": "days", "expiry_days": 10}, 3_000, "o-3"),
        ):
            await admin_ok(p, "PUT", "points/program", expiry)
            earn = {"member": no, "purchase_yen": purchase_yen, "txn": txn}
            await admin_ok(p, "POST", "points/earn", earn)
            clock.advance(seconds=1)  # each program version starts at its own moment
        payload = await card_payload(p, member["customer_id"])
        await admin_ok(p, "POST", "points/use", {"member": payload, "points": 60, "txn": "o-4"})
        lots = (await admin_ok(p, "GET", f"members/{no}/points"))["lots"]
        assert [(lot["points"], lot["remaining"]) for lot in lots] == [(50, 20), (100, 100)]
        assert lots[0]["expires_at"] is not None and lots[1]["expires_at"] is None

        payload = await card_payload(p, member["customer_id"])
        status, refused = await p.admin(
            "POST", "points/use", {"member": payload, "points": 121, "txn": "o-5"}
        )
        assert (status, refused["error"]["code"]) == (409, "points.insufficient")
        assert refused["error"]["balance"] == 120


async def test_the_cards_typed_code_spends_at_the_counter_only(
    home: NodeHome, clock: FakeClock
) -> None:
    """The 16 digits under the card's QR code are 6 guessable digits: over the API (no
    wrong-code throttle, refusals not stored) they never spend, whoever calls; the counter (which
    throttles wrong codes) may key them in, once per step."""
    async with points_node(home, clock) as p:
        member = await new_member(p)
        await admin_ok(
            p, "POST", f"members/{member['member_no']}/adjust", {"points": 500, "reason": "開始"}
        )
        pos, _ = await new_key(p, "POS 渋谷", "write")
        card = await admin_ok(p, "GET", f"customers/{member['customer_id']}/member/card")
        typed = str(card["manual_code"])
        assert len(typed) == 16 and typed.startswith(member["member_no"])
        for token in (pos, p.node.admin_token):
            body = {"member": typed, "points": 5, "txn": "m-1"}
            status, refused = await call(p, "POST", "points/use", token, body)
            assert (status, refused["error"]["code"]) == (403, "member.card_cannot_spend")
            assert "QR" in refused["error"]["message"]
        assert await balance(p, member["member_no"]) == 500

        counter = Caller("staff:yamada")
        used = await actions.use(p.node, typed, 5, "m-1", counter, typed_code=True)
        assert used["balance"] == 495
        with pytest.raises(MemberCodeUsed):
            await actions.use(p.node, typed, 5, "m-2", counter, typed_code=True)
