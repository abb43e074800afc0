"""`kippu demo`, the points part: head office sets the program, a member earns at a store with the
printed card number (a POS's retry earns once), spends with the wallet card's one-time code (the
printed number may not spend), and the balance with its lots; all through the admin API."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from node.admin_client import AdminClient
from node.errors import ApiRefused

Echo = Callable[[str], None]


def _refused(step: Callable[[], Any]) -> str:
    try:
        step()
    except ApiRefused as exc:
        return exc.refused_code
    raise AssertionError("the node accepted an operation the demo expected it to refuse")


def run_points(api: AdminClient, echo: Echo, store_id: str, customer_id: str) -> dict[str, Any]:
    """Play the points part, printing each step; return what the tests check."""
    program = api.request(
        "PUT",
        "points/program",
        {"earn_points": 1, "earn_per_yen": 100, "rounding": "floor", "expiry": "end_of_year"},
    )["in_force"]
    echo(
        f"P1. program from now on: {program['earn_points']} pt per ¥{program['earn_per_yen']} "
        f"(rounded: {program['rounding']}), expiry: {program['expiry']}, "
        f"1 pt = ¥{program['point_value_yen']}"
    )
    member = api.post(f"customers/{customer_id}/member")
    echo(f"P2. 山田 is member {member['member_no']}, printed card number {member['card_no']}")
    purchase = {
        "member": member["card_no"],
        "purchase_yen": 12_345,
        "txn": "demo-pos-0001",
        "store_id": store_id,
    }
    earned = api.post("points/earn", purchase)
    again = api.post("points/earn", purchase)  # the POS did not hear the answer and retried
    echo(
        f"P3. a ¥12,345 purchase at 渋谷店 earns {earned['points']} pt (card number scanned); "
        f"the POS's retry answers the same (replayed: {again['replayed']}), "
        f"balance {again['balance']} pt"
    )
    card_only = _refused(
        lambda: api.post(
            "points/use",
            {"member": member["card_no"], "points": 100, "txn": "demo-pos-0002"},
        )
    )
    echo(f"P4. spending with the printed card number: refused [{card_only}]")
    card = api.get(f"customers/{customer_id}/member/card")
    used = api.post(
        "points/use",
        {"member": card["payload"], "points": 100, "txn": "demo-pos-0003", "store_id": store_id},
    )
    echo(
        f"P5. the wallet's card code {card['payload'][:24]}... spends {used['points']} pt "
        f"= ¥{used['value_yen']:,} off; balance {used['balance']} pt"
    )
    replayed_code = _refused(
        lambda: api.post(
            "points/use", {"member": card["payload"], "points": 1, "txn": "demo-pos-0004"}
        )
    )
    echo(f"P6. the same card code again (a screenshot): refused [{replayed_code}]")
    balance = api.get(f"members/{member['member_no']}/points")
    for lot in balance["lots"]:
        echo(
            f"    lot earned {lot['earned_at']}: {lot['remaining']} of {lot['points']} pt left, "
            f"expires {lot['expires_at']}"
        )
    echo(f"P7. {member['member_no']}'s balance: {balance['balance']} pt")
    return {
        "earned": earned["points"],
        "replayed": again["replayed"],
        "used": used["points"],
        "balance": balance["balance"],
        "refusals": [card_only, replayed_code],
    }
