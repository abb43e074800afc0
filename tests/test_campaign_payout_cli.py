"""`kippu campaign payout` and `kippu campaign reconcile` against a real node: the CSV and the
全銀 file written to --out, the same period asked again, an overlapping one refused (exit 1 with
the code), --json answers."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from cli import main
from node.campaigns.zengin import read_zengin
from node.home import NodeHome
from tests.campaign_helpers import terms
from tests.conftest import FakeClock, NodeHandle, NodeThread
from tests.test_campaign_payouts import configure


@pytest.fixture
def office_node(home: NodeHome, clock: FakeClock) -> Iterator[NodeHandle]:
    configure(home)
    thread = NodeThread(home, clock)
    try:
        yield thread.start()
    finally:
        thread.stop()


def kippu(home: NodeHome, *args: str) -> Result:
    return CliRunner().invoke(main, [*args, "--home", str(home.root)], catch_exceptions=False)


def kippu_json(home: NodeHome, *args: str) -> dict[str, Any]:
    result = kippu(home, *args, "--json")
    assert result.exit_code == 0, result.output + result.stderr
    value: dict[str, Any] = json.loads(result.stdout)
    return value


def test_a_period_paid_through_the_cli(office_node: NodeHandle, tmp_path: Path) -> None:
    home, api = office_node.home, office_node.client
    campaign = api.post("campaigns", terms(office_node.clock, stock=5))["campaign_id"]
    store = kippu_json(home, "store", "add", "鍵屋")["store_id"]
    kippu_json(
        home,
        "store",
        "bank",
        store,
        "--bank",
        "0005",
        "--branch",
        "001",
        "--type",
        "ordinary",
        "--number",
        "1234",
        "--holder",
        "カギヤ",
    )
    person = api.post("customers", {"name": "花子"})["customer_id"]
    (voucher,) = api.post(f"campaigns/{campaign}/grants", {"customer_id": person})["voucher_ids"]
    code = api.get(f"vouchers/{voucher}/code")["payload"]
    api.post("redemptions", {"payload": code, "amount": 800, "store_id": store})
    office_node.clock.advance(days=1)

    zengin = tmp_path / "furikomi.txt"
    answer = kippu_json(
        home,
        "campaign",
        "payout",
        "--from",
        "2026-11-24",
        "--to",
        "2026-11-24",
        "--format",
        "zengin",
        "--out",
        str(zengin),
        "--transfer-date",
        "2026-11-30",
    )
    assert (answer["total_yen"], answer["stores"], answer["bytes"]) == (800, 1, 4 * 122)
    read = read_zengin(zengin.read_bytes())
    assert read.header["transfer_date"] == "1130"
    assert [(r["holder_name"], int(r["amount"])) for r in read.data] == [("ｶｷﾞﾔ", 800)]

    usage = tmp_path / "usage.csv"
    human = kippu(
        home,
        "campaign",
        "payout",
        "--from",
        "2026-11-24",
        "--to",
        "2026-11-24",
        "--format",
        "csv",
        "--out",
        str(usage),
    )
    assert human.exit_code == 0, human.stderr
    assert f"payout_id: {answer['payout_id']}" in human.stdout
    rows = list(csv.DictReader(io.StringIO(usage.read_text(encoding="utf-8-sig"))))
    assert [(r["store_name"], r["uses"], r["amount_yen"], r["line"]) for r in rows] == [
        ("鍵屋", "1", "800", "use"),
        ("鍵屋", "", "800", "transferred"),
    ]

    office_node.clock.advance(days=2)
    refused = kippu(
        home,
        "campaign",
        "payout",
        "--from",
        "2026-11-20",
        "--to",
        "2026-11-25",
        "--format",
        "csv",
        "--out",
        str(tmp_path / "x.csv"),
        "--json",
    )
    assert refused.exit_code == 1
    assert json.loads(refused.stderr)["error"]["code"] == "payout.period_overlaps"
    assert not (tmp_path / "x.csv").exists()

    books = kippu_json(home, "campaign", "reconcile")
    assert books["reconciled"] is True
    (only,) = books["campaigns"]
    assert (only["used_yen"], only["paid_yen"], only["unpaid_yen"]) == (800, 800, 0)
    table = kippu(home, "campaign", "reconcile")
    assert table.exit_code == 0 and campaign in table.stdout


def paid_then_voided(office_node: NodeHandle) -> str:
    """鍵屋 was paid ¥800 for the 24th and the redemption voided on the 25th (not yet run): the
    25th's run leaves it owing ¥800. Its id."""
    api = office_node.client
    campaign = api.post("campaigns", terms(office_node.clock, stock=5))["campaign_id"]
    store = api.post("stores", {"name": "鍵屋"})["store_id"]
    account = {"bank_code": "0005", "branch_code": "001", "account_type": "ordinary"}
    api.request(
        "PUT", f"stores/{store}/bank", {**account, "account_number": "1", "holder_kana": "ｶｷﾞﾔ"}
    )
    person = api.post("customers", {"name": "花子"})["customer_id"]
    (voucher,) = api.post(f"campaigns/{campaign}/grants", {"customer_id": person})["voucher_ids"]
    code = api.get(f"vouchers/{voucher}/code")["payload"]
    redemption = api.post("redemptions", {"payload": code, "amount": 800, "store_id": store})
    office_node.clock.advance(days=1)
    api.post("payouts", {"from": "2026-11-24", "to": "2026-11-24"})
    api.post(f"redemptions/{redemption['redemption_id']}/void")
    office_node.clock.advance(days=1)
    return str(store)


def test_a_store_that_owes_back_is_listed_and_written_off_through_the_cli(
    office_node: NodeHandle, tmp_path: Path
) -> None:
    home = office_node.home
    store = paid_then_voided(office_node)
    shown = kippu(
        home,
        "campaign",
        "payout",
        "--from",
        "2026-11-25",
        "--to",
        "2026-11-25",
        "--format",
        "csv",
        "--out",
        str(tmp_path / "usage.csv"),
    )
    assert shown.exit_code == 0, shown.stderr
    header, row = shown.stdout.split("carry_in_yen", 1)[1].splitlines()[0:2]
    assert "transferred_yen" in header and "carry_out_yen" in header
    assert row.split()[-4:] == ["-800", "0", "0", "800"]

    listed = kippu_json(home, "campaign", "carries")
    assert listed["carries"] == [
        {"store_id": store, "store_name": "鍵屋", "carry_yen": 800, "is_legacy": False}
    ]
    repaid = kippu_json(
        home, "campaign", "carry-repaid", store, "--amount-yen", "300", "--reason", "現金受領"
    )
    assert (repaid["kind"], repaid["amount_yen"]) == ("repaid", 300)
    stale = kippu(
        home, "campaign", "write-off", store, "--amount-yen", "800", "--reason", "退店", "--json"
    )
    assert stale.exit_code == 1
    assert json.loads(stale.stderr)["error"] == {
        "code": "payout.carry_changed",
        "message": json.loads(stale.stderr)["error"]["message"],
        "store_id": store,
        "carry_yen": 500,
    }
    made = kippu_json(
        home, "campaign", "write-off", store, "--amount-yen", "500", "--reason", "退店"
    )
    assert (made["amount_yen"], made["reason"]) == (500, "退店")
    table = kippu(home, "campaign", "carries")
    assert table.exit_code == 0 and "total_yen: 0" in table.stdout and "退店" in table.stdout
    assert "現金受領" in table.stdout.split("repayments:")[1]
    books = kippu(home, "campaign", "reconcile")
    assert books.exit_code == 0 and "ledger_balance_yen" in books.stdout
