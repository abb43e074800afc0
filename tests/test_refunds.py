"""Refunds on a real node (資金決済法20条): refused by default through the API and the CLI with
nothing changed; the abolition's window (a claim before the notice refused, a claim inside it
held, paid and booked with balanced books, one after it refused; a second abolition and a period
under 60 days refused); the small-amount exception enforced at its limit per 基準期間, at random
over amounts on the writer's own operations; the unavoidable ground needs its reason."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cli import main
from node.app import prepare_database
from node.compliance import refund_actions, refund_operations, refund_rules, refund_tables
from node.compliance.refund_model import RefundGround
from node.compliance.refund_operations import RefundIds
from node.db import connect
from node.errors import (
    BusinessAbolished,
    RefundWindowClosed,
    RefundWindowNotOpen,
    SmallAmountExceeded,
)
from node.home import NodeHome
from node.ledger import core, operations
from node.ledger.model import LedgerPolicy, PaymentMethod, Store
from node.ledger.operations import LedgerSettings
from node.runtime import Node
from node.server import load_node, start
from node.web import handover
from tests.conftest import AsyncNode, FakeClock, NodeHandle, SeededRandomness, loop_watchdog

TOKYO = ZoneInfo("Asia/Tokyo")
ACCOUNT = {
    "bank_name": "みずほ銀行",
    "branch_name": "渋谷支店",
    "account_type": "ordinary",
    "account_number": "1234567",
    "account_holder": "ヤマダ ハナコ",
}


@pytest.fixture
async def served(home: NodeHome, clock: FakeClock) -> AsyncIterator[tuple[Node, AsyncNode]]:
    """A running node and its admin API client; the Node too, for what a wallet does."""
    import aiohttp

    with loop_watchdog():
        node = load_node(home, clock, SeededRandomness())
        runner, port = await start(node, "127.0.0.1", 0)
        async with aiohttp.ClientSession() as session:
            try:
                yield node, AsyncNode(f"http://127.0.0.1:{port}", node.admin_token, clock, session)
            finally:
                await runner.cleanup()


async def a_holder_with(api: AsyncNode, amount: int, name: str = "花子") -> tuple[str, str]:
    status, customer = await api.call("POST", "customers", {"name": name})
    assert status == 201, customer
    body = {"amount": amount, "customer_id": customer["customer_id"]}
    status, voucher = await api.call("POST", "vouchers", body)
    assert status == 201, voucher
    return customer["customer_id"], voucher["voucher_id"]


async def books_balance(api: AsyncNode) -> None:
    status, check = await api.call("GET", "ledger/check")
    assert status == 200 and check["ok"], check


async def test_a_refund_without_a_ground_is_refused_by_the_api_and_changes_nothing(
    served: tuple[Node, AsyncNode],
) -> None:
    _, api = served
    _, voucher_id = await a_holder_with(api, 10_000)
    for body in (None, {}, {"ground": "abolition"}):
        status, refused = await api.call("POST", f"vouchers/{voucher_id}/refund", body)
        assert (status, refused["error"]["code"]) == (409, "refund.prohibited")
        assert "20" in refused["error"]["message"]
    status, voucher = await api.call("GET", f"vouchers/{voucher_id}")
    assert (voucher["balance"], voucher["status"]) == (10_000, "active")
    status, overview = await api.call("GET", "compliance/refunds")
    assert overview["refunds"] == [] and overview["small_amount_refunded"] == 0
    await books_balance(api)


def kippu(node: NodeHandle, *args: str) -> Any:
    return CliRunner().invoke(main, [*args, "--home", str(node.home.root)], catch_exceptions=False)


def test_the_cli_refuses_a_refund_with_the_legal_reason(node: NodeHandle) -> None:
    issued = kippu(node, "voucher", "issue", "--amount", "5000", "--json")
    assert issued.exit_code == 0, issued.output
    voucher_id = issued.stdout.split('"voucher_id": "')[1].split('"')[0]
    refused = kippu(node, "voucher", "refund", voucher_id)
    assert refused.exit_code == 1
    assert "[refund.prohibited]" in refused.stderr and "資金決済法20条" in refused.stderr
    shown = kippu(node, "voucher", "show", voucher_id)
    assert "balance: 5000" in shown.stdout and "status: active" in shown.stdout
    short = kippu(
        node, "compliance", "abolish", "--notice-date", "2026-12-01", "--claim-until", "2027-01-29"
    )
    assert short.exit_code == 1 and "[refund.claim_period_too_short]" in short.stderr
    opened = kippu(
        node, "compliance", "abolish", "--notice-date", "2026-12-01", "--claim-until", "2027-01-30"
    )
    assert opened.exit_code == 0, opened.output
    state = kippu(node, "compliance", "abolition")
    assert "state: announced" in state.stdout
    listed = kippu(node, "compliance", "claims")
    assert listed.exit_code == 0, listed.output
    refunds = kippu(node, "compliance", "refunds")
    assert refunds.exit_code == 0 and "small_amount_limit: 0" in refunds.stdout, refunds.output
    small = kippu(node, "voucher", "refund", voucher_id, "--ground", "small-amount")
    assert small.exit_code == 1 and "[refund.small_amount_exceeded]" in small.stderr
    unpaid = kippu(node, "compliance", "pay-claim", "rc_nothing", "--reference", "x")
    assert unpaid.exit_code == 1 and "[refund.claim_not_found]" in unpaid.stderr


async def test_the_abolition_window_takes_pays_and_closes_claims(
    served: tuple[Node, AsyncNode], clock: FakeClock
) -> None:
    node, api = served
    customer_id, voucher_id = await a_holder_with(api, 10_000)
    other_id, other_voucher = await a_holder_with(api, 3_000, "次郎")
    short = {"notice_date": "2026-12-01", "claim_until": "2027-01-29"}
    status, refused = await api.call("POST", "compliance/abolition", short)
    assert (status, refused["error"]["code"]) == (422, "refund.claim_period_too_short")
    window = {"notice_date": "2026-12-01", "claim_until": "2027-01-30"}
    status, abolition = await api.call("POST", "compliance/abolition", window)
    assert status == 201, abolition
    assert abolition["opens_at"] == "2026-11-30T15:00:00Z"
    assert abolition["closes_at"] == "2027-01-30T15:00:00Z"
    status, refused = await api.call(
        "POST",
        "compliance/abolition",
        window | {"notice_date": "2026-12-05", "claim_until": "2027-03-01"},
    )
    assert (status, refused["error"]["code"]) == (409, "refund.abolition_open")

    with pytest.raises(RefundWindowNotOpen):
        await refund_actions.claim_refund(node, voucher_id, customer_id, ACCOUNT)
    clock.set(datetime(2026, 11, 30, 15, 0, tzinfo=UTC))  # the notice date, 00:00 in Tokyo
    claim = await refund_actions.claim_refund(node, voucher_id, customer_id, ACCOUNT)
    assert claim.amount_yen == 10_000
    status, voucher = await api.call("GET", f"vouchers/{voucher_id}")
    assert (voucher["balance"], voucher["status"]) == (0, "void")  # set aside for payment
    assert voucher["history"][-1]["kind"] == "refund"
    status, code = await api.call("GET", f"vouchers/{voucher_id}/code")
    assert (status, code["error"]["code"]) == (409, "voucher.not_active")
    status, state = await api.call("GET", "compliance/abolition")
    assert (state["state"], state["claims"], state["claimed"], state["unpaid"]) == (
        "open",
        1,
        10_000,
        1,
    )

    path = f"compliance/refund-claims/{claim.claim_id}/pay"
    status, paid = await api.call("POST", path, {"reference": "振込 0001"})
    assert status == 200 and paid["paid"] and paid["reference"] == "振込 0001"
    status, again = await api.call("POST", path, {"reference": "振込 0001"})
    assert (status, again["error"]["code"]) == (409, "refund.claim_paid")
    status, voucher = await api.call("GET", f"vouchers/{voucher_id}")
    assert [h["kind"] for h in voucher["history"]].count("refund") == 1  # the claim's half
    await books_balance(api)

    clock.set(datetime(2027, 1, 30, 15, 0, tzinfo=UTC))  # the day after claim_until begins
    with pytest.raises(RefundWindowClosed):
        await refund_actions.claim_refund(node, other_voucher, other_id, ACCOUNT)
    status, state = await api.call("GET", "compliance/abolition")
    assert (state["state"], state["paid"]) == ("closed", 10_000)
    status, overview = await api.call("GET", "compliance/refunds")
    assert [r["ground"] for r in overview["refunds"]] == ["abolition"]


async def test_a_claim_is_paid_in_full_after_its_voucher_expired_or_was_resumed(
    served: tuple[Node, AsyncNode], clock: FakeClock
) -> None:
    """The claim sets the balance aside: the expiry sweep, an admin's resume and a redemption
    cannot move it, the claim is paid for what was claimed, and the 基準日 report counts the
    refund once, as collected at the claim."""
    node, api = served
    status, customer = await api.call("POST", "customers", {"name": "花子"})
    body = {"amount": 8_000, "customer_id": customer["customer_id"], "valid_days": 10}
    status, voucher = await api.call("POST", "vouchers", body)
    assert status == 201, voucher
    voucher_id = voucher["voucher_id"]
    window = {"notice_date": "2026-12-01", "claim_until": "2027-01-30"}
    assert (await api.call("POST", "compliance/abolition", window))[0] == 201
    clock.set(datetime(2026, 12, 1, 3, 0, tzinfo=UTC))
    claim = await refund_actions.claim_refund(node, voucher_id, customer["customer_id"], ACCOUNT)
    status, refused = await api.call(
        "POST", f"vouchers/{voucher_id}/resume", {"reason": "見つかった"}
    )
    assert status in (409, 422) and refused["error"]["code"].startswith("voucher."), refused
    clock.set(datetime(2026, 12, 20, 3, 0, tzinfo=UTC))  # past the voucher's expiry
    status, swept = await api.call("POST", "vouchers/expire")
    assert (status, swept["breakage"]) == (200, 0), swept  # the claimed value is not breakage
    path = f"compliance/refund-claims/{claim.claim_id}/pay"
    status, paid = await api.call("POST", path, {"reference": "振込 0002"})
    assert status == 200 and paid["paid"] and paid["amount"] == 8_000, paid
    await books_balance(api)
    status, report = await api.call("GET", "compliance/report?date=2027-03-31")
    assert status == 200, report
    totals = {
        key: sum(c[key] for c in report["classes"])
        for key in ("issued", "collected", "refunded", "expired", "closing")
    }
    assert totals == {
        "issued": 8_000,
        "collected": 8_000,
        "refunded": 8_000,
        "expired": 0,
        "closing": 0,
    }


async def test_head_office_records_the_claim_of_a_voucher_nobody_holds(
    served: tuple[Node, AsyncNode], clock: FakeClock
) -> None:
    """A voucher with no holder (a counter sale nobody took) is claimed through head office for
    the bearer: its balance is set aside, the claim paid like any other; a held voucher's claim
    is its holder's, and a refused claim changes nothing."""
    _, api = served
    status, unheld = await api.call("POST", "vouchers", {"amount": 4_000})
    assert status == 201, unheld
    _, held_voucher = await a_holder_with(api, 2_000)
    window = {"notice_date": "2026-12-01", "claim_until": "2027-01-30"}
    assert (await api.call("POST", "compliance/abolition", window))[0] == 201
    body = ACCOUNT | {"voucher_id": unheld["voucher_id"], "claimant_name": "山田 太郎"}
    status, early = await api.call("POST", "compliance/refund-claims", body)
    assert (status, early["error"]["code"]) == (409, "refund.window_not_open")
    clock.set(datetime(2026, 12, 2, 3, 0, tzinfo=UTC))
    status, refused = await api.call(
        "POST", "compliance/refund-claims", body | {"voucher_id": held_voucher}
    )
    assert (status, refused["error"]["code"]) == (409, "refund.voucher_held")
    status, unnamed = await api.call(
        "POST", "compliance/refund-claims", body | {"claimant_name": " "}
    )
    assert (status, unnamed["error"]["field"]) == (400, "claimant_name")
    status, customers = await api.call("GET", "customers")
    assert len(customers["customers"]) == 1  # nothing made for the refused claims
    status, claim = await api.call("POST", "compliance/refund-claims", body)
    assert status == 201 and claim["amount"] == 4_000, claim
    status, voucher = await api.call("GET", f"vouchers/{unheld['voucher_id']}")
    assert (voucher["balance"], voucher["status"]) == (0, "void")
    status, again = await api.call("POST", "compliance/refund-claims", body)
    assert status == 409, again
    path = f"compliance/refund-claims/{claim['claim_id']}/pay"
    status, paid = await api.call("POST", path, {"reference": "振込 0003"})
    assert status == 200 and paid["paid"], paid
    status, held = await api.call("GET", f"vouchers/{held_voucher}")
    assert (held["balance"], held["status"]) == (2_000, "active")
    await books_balance(api)


async def test_nothing_is_sold_once_an_abolition_is_announced(
    served: tuple[Node, AsyncNode], clock: FakeClock
) -> None:
    """From the abolition's record (before its notice date) until its claim period ends, the
    admin API and the counter sell no voucher; after it, selling resumes."""
    node, api = served
    status, store = await api.call("POST", "stores", {"name": "本店"})
    assert status == 201, store
    window = {"notice_date": "2026-12-01", "claim_until": "2027-01-30"}
    assert (await api.call("POST", "compliance/abolition", window))[0] == 201
    for now in (datetime(2026, 11, 25, tzinfo=UTC), datetime(2027, 1, 20, tzinfo=UTC)):
        clock.set(now)
        status, refused = await api.call("POST", "vouchers", {"amount": 5_000})
        assert (status, refused["error"]["code"]) == (409, "refund.business_abolished")
        with pytest.raises(BusinessAbolished):
            await handover.sell(node, 5_000, store["store_id"], PaymentMethod.CASH, "staff")
    status, vouchers = await api.call("GET", "vouchers")
    assert vouchers["vouchers"] == []
    clock.set(datetime(2027, 1, 30, 15, 0, tzinfo=UTC))  # the claim period is over
    assert (await api.call("POST", "vouchers", {"amount": 5_000}))[0] == 201
    await books_balance(api)


async def test_an_unavoidable_refund_needs_its_reason(served: tuple[Node, AsyncNode]) -> None:
    _, api = served
    _, voucher_id = await a_holder_with(api, 4_000)
    path = f"vouchers/{voucher_id}/refund"
    status, refused = await api.call("POST", path, {"ground": "unavoidable"})
    assert (status, refused["error"]["code"]) == (422, "refund.reason_required")
    status, refund = await api.call("POST", path, {"ground": "unavoidable", "reason": "海外転出"})
    assert status == 201 and (refund["amount"], refund["reason"]) == (4_000, "海外転出")
    status, refused = await api.call("POST", path, {"ground": "unavoidable", "reason": "海外転出"})
    assert (status, refused["error"]["code"]) == (409, "refund.nothing_to_refund")
    await books_balance(api)


# The writer's own operations on a real database file, at random over amounts: the limit comes
# from the journal (the previous 基準期間's issuance and 基準日 balance) and is never passed.
LAST_PERIOD = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)
THIS_PERIOD = datetime(2027, 4, 10, 1, 0, tzinfo=UTC)
SETTINGS = LedgerSettings("n1", LedgerPolicy(1_000_000, False), TOKYO, 30)


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    path = Path(tmp_path_factory.mktemp("refunds")) / "kippu.db"
    prepare_database(path)
    conn = connect(path)
    try:
        yield conn
    finally:
        conn.close()


def issue(conn: sqlite3.Connection, number: int, face: int, now: datetime) -> str:
    request = core.IssueRequest(
        f"{number:012d}", b"s" * 32, face, face, None, None, None, f"tx_i{number}"
    )
    return operations.issue(request, SETTINGS, now, lambda: "x")(conn).voucher_id


@pytest.mark.node
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    issued=st.lists(st.integers(1, 200_000), min_size=0, max_size=3),
    amounts=st.lists(st.integers(1, 60_000), min_size=1, max_size=8),
)
def test_small_amount_refunds_stop_at_the_limit_of_their_period(
    database: sqlite3.Connection, issued: list[int], amounts: list[int]
) -> None:
    conn = database
    conn.execute("BEGIN")
    try:
        for i, face in enumerate(issued):
            issue(conn, i + 1, face, LAST_PERIOD)
        before = sum(issued)
        limit = max(before * 20 // 100, before * 5 // 100)
        refunded = 0
        for j, amount in enumerate(amounts):
            voucher_id = issue(conn, 100 + j, amount, THIS_PERIOD)  # this period's: no effect
            unit = refund_operations.refund_voucher(
                voucher_id,
                RefundGround.SMALL_AMOUNT,
                None,
                "admin",
                RefundIds(f"rf{j}", f"tx_r{j}"),
                THIS_PERIOD,
                TOKYO,
            )
            if refunded + amount > limit:
                with pytest.raises(SmallAmountExceeded):
                    unit(conn)
            else:
                assert unit(conn).amount_yen == amount
                refunded += amount
        total = conn.execute("SELECT coalesce(sum(amount_yen), 0) AS t FROM refunds").fetchone()[
            "t"
        ]
        assert total == refunded <= limit
        assert conn.execute("SELECT sum(amount_yen) AS t FROM postings").fetchone()["t"] in (
            0,
            None,
        )
    finally:
        conn.execute("ROLLBACK")


@pytest.mark.node
def test_a_sale_cancelled_the_same_day_is_not_issuance_in_the_small_amount_basis(
    database: sqlite3.Connection,
) -> None:
    """The previous 基準期間's issuance nets a same-day counter sale cancel (`sale_cancel`) against
    its `issue`: a sale that never stood raises no limit. The unused balance leaves it out too."""
    conn = database
    conn.execute("BEGIN")
    try:
        operations.add_store(Store("st_main", "本店", LAST_PERIOD))(conn)
        issue(conn, 1, 40_000, LAST_PERIOD)
        request = core.IssueRequest(
            "000000000002", b"s" * 32, 60_000, 60_000, None, "st_main", None, "tx_i2"
        )
        operations.sell_at_counter(
            request, PaymentMethod.CASH, "staff", SETTINGS, LAST_PERIOD, lambda: "x"
        )(conn)
        operations.cancel_sale("000000000002", "st_main", "staff", SETTINGS, LAST_PERIOD, "tx_c2")(
            conn
        )
        period = refund_rules.period_of(THIS_PERIOD.astimezone(TOKYO).date())
        basis = refund_tables.small_amount_basis(conn, period, TOKYO)
        assert (basis.previous_issued_yen, basis.previous_unused_yen) == (40_000, 40_000)
        assert refund_rules.small_amount_limit(basis) == 8_000
    finally:
        conn.execute("ROLLBACK")
