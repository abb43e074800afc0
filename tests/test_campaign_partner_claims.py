"""A municipal campaign's coupon is spent only at the office's own participating stores: a
partner's store that scans it gets a clean rejection (`voucher.not_for_this_store`), and nothing
moves on either node (two real partnered nodes on 127.0.0.1)."""

from __future__ import annotations

from tests.conftest import NodeFactory, ok
from tests.settlement_helpers import ledger_ok, redeem, store_of, two_partners, voucher_of


async def test_a_campaign_coupon_is_refused_at_a_partners_store(nodes: NodeFactory) -> None:
    office, partner = await two_partners(nodes)
    made = await ok(
        office,
        "POST",
        "campaigns",
        {
            "kind": "first-come",
            "name": "ウェルカム北九州クーポン",
            "face_yen": 1000,
            "starts_at": "2026-11-01T00:00:00+09:00",  # around the nodes' clock
            "ends_at": "2027-06-30T23:59:59+09:00",
            "stock": 10,
        },
    )
    resident = (await ok(office, "POST", "customers", {"name": "北九州花子"}))["customer_id"]
    granted = await ok(
        office, "POST", f"campaigns/{made['campaign_id']}/grants", {"customer_id": resident}
    )
    partner_store = await store_of(partner, "提携先の店")
    status, refused = await redeem(partner, office, granted["voucher_id"], 500, partner_store)
    assert status >= 400 and "not_for_this_store" in str(refused), refused
    shown = await ok(office, "GET", f"campaigns/{made['campaign_id']}")
    assert shown["outstanding_yen"] == 1000 and shown["reconciled"] is True
    # an ordinary voucher of the same office still goes through at the partner
    plain = await voucher_of(office, 1000)
    status, answer = await redeem(partner, office, plain, 500, partner_store)
    assert status == 201, answer
    await ledger_ok(office, partner)
