"""`kippu points ...` and `kippu member ...` against a running node, through the admin API: head
office sets the program, a store's rate and a campaign; a member earns, uses with the card's
code, is adjusted and returns; refusals exit 1 with their stable codes and the field at fault,
usage mistakes exit 2."""

from __future__ import annotations

from tests.cli_helpers import kippu, ok_json, refused
from tests.conftest import NodeHandle


def a_customer_and_store(node: NodeHandle) -> tuple[str, str]:
    customer = node.client.post("customers", {"name": "佐藤一郎"})["customer_id"]
    store = node.client.post("stores", {"name": "梅田店"})["store_id"]
    return str(customer), str(store)


def test_points_commands_round_trip(node: NodeHandle) -> None:
    customer, store = a_customer_and_store(node)
    shown = ok_json(node, "member", "show", customer)
    no = shown["member_no"]
    assert (len(no), shown["points"], shown["rank"]) == (10, 0, None)
    assert f"member_no: {no}" in kippu(node, "member", "show", customer).stdout

    program = ok_json(
        node, "points", "program", "set", "--points-per-100-yen", "2", "--expiry", "end-of-year"
    )
    assert program["in_force"]["earn_points"] == 2
    assert program["in_force"]["expiry"] == "end_of_year"
    text = kippu(node, "points", "program", "show").stdout
    assert "earn_points: 2" in text and "expiry: end_of_year" in text

    earned = ok_json(
        node, "points", "earn", no, "--purchase", "5000", "--txn", "t-1", "--store", store
    )
    assert (earned["points"], earned["balance"], earned["replayed"]) == (100, 100, False)
    again = ok_json(
        node, "points", "earn", no, "--purchase", "5000", "--txn", "t-1", "--store", store
    )
    assert again == {**earned, "replayed": True}

    card = ok_json(node, "member", "card", customer)
    assert card["payload"].startswith("KIPPUM1:") and card["member_no"] == no
    used = ok_json(node, "points", "use", card["payload"], "--points", "30", "--txn", "t-2")
    assert (used["points"], used["value_yen"], used["balance"]) == (30, 30, 70)
    adjusted = ok_json(node, "points", "adjust", no, "--points", "-20", "--reason", "誤付与の訂正")
    assert adjusted["balance"] == 50

    balance = kippu(node, "points", "balance", no)
    assert balance.exit_code == 0 and "balance: 50" in balance.stdout
    assert "expires_at" in balance.stdout and "remaining" in balance.stdout
    lots = ok_json(node, "points", "balance", no)["lots"]
    assert [(lot["remaining"], lot["expires_at"]) for lot in lots] == [
        (50, "2026-12-31T15:00:00Z")  # through 31 December in Tokyo
    ]

    returned = ok_json(node, "points", "return", "--txn", "t-1")
    assert (returned["points_taken_back"], returned["shortfall"], returned["balance"]) == (
        50,
        50,
        0,
    )
    history = ok_json(node, "points", "history", no)["entries"]
    assert {e["kind"] for e in history} == {"earn", "use", "adjust", "return"}
    assert "誤付与の訂正" in kippu(node, "points", "history", no).stdout


def test_store_rates_and_campaigns(node: NodeHandle) -> None:
    customer, store = a_customer_and_store(node)
    no = ok_json(node, "member", "show", customer)["member_no"]
    rate = ok_json(
        node, "points", "store-rate", "set", store, "--earn-points", "5", "--per-yen", "100"
    )
    assert (rate["store_id"], rate["earn_points"]) == (store, 5)
    assert store in kippu(node, "points", "store-rate", "list").stdout

    made = ok_json(
        node,
        *("points", "campaign", "add", "--name", "梅田3倍", "--multiplier-pct", "300"),
        *("--ends", "2030-01-01T00:00:00+09:00", "--store", store),
    )
    assert made["running"] is True
    earned = ok_json(
        node, "points", "earn", no, "--purchase", "1000", "--txn", "c-1", "--store", store
    )
    assert (earned["points"], earned["campaign_pct"]) == (150, 300)
    assert "梅田3倍" in kippu(node, "points", "campaign", "list").stdout
    cancelled = ok_json(node, "points", "campaign", "cancel", made["campaign_id"])
    assert cancelled["running"] is False
    earned = ok_json(
        node, "points", "earn", no, "--purchase", "1000", "--txn", "c-2", "--store", store
    )
    assert earned["points"] == 50


def test_refusals_exit_1_with_their_code_and_usage_mistakes_exit_2(node: NodeHandle) -> None:
    customer, _ = a_customer_and_store(node)
    member = ok_json(node, "member", "show", customer)
    bad_days = refused(node, "points", "program", "set", "--expiry-days", "0")
    assert (bad_days["code"], bad_days["field"]) == ("points.invalid", "expiry_days")
    unknown = refused(node, "points", "earn", "0000000000", "--purchase", "100", "--txn", "x")
    assert unknown["code"] == "member.not_found"
    printed = refused(node, "points", "use", member["card_no"], "--points", "1", "--txn", "u")
    assert printed["code"] == "member.card_cannot_spend"
    debit = refused(
        node, "points", "adjust", member["member_no"], "--points", "-1", "--reason", "x"
    )
    assert debit["code"] == "points.insufficient"
    assert (
        refused(node, "points", "return", "--txn", "never")["code"] == "points.purchase_not_found"
    )
    assert refused(node, "member", "show", "cu_nobody")["code"] == "member.not_found"
    text = kippu(node, "points", "return", "--txn", "never")
    assert text.exit_code == 1 and "[points.purchase_not_found]" in text.stderr

    for usage in (
        ("points", "program", "set", "--points-per-100-yen", "1", "--earn-points", "2"),
        ("points", "program", "set", "--expiry-days", "30", "--expiry", "none"),
        ("points", "program", "set", "--expiry", "weekly"),
        ("points", "earn", member["member_no"], "--txn", "no-purchase"),
    ):
        assert kippu(node, *usage).exit_code == 2, usage
    assert ok_json(node, "points", "balance", member["member_no"])["balance"] == 0
