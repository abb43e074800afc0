"""No yen is doubled by retried codes: random sequences of redemptions with a few codes, some
repeated at other stores, for other amounts, after the codes grew old (issue 13, item 4).

The rule is `core.repeat_of`; this drives it through the ledger's shell on a real SQLite file, as
the writer does (one transaction per unit), and checks the books after every step.
"""

from __future__ import annotations

import sqlite3
import tempfile
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from node import db
from node.app import prepare_database
from node.errors import CodeAlreadyUsed, KippuError
from node.ledger import core, operations
from node.ledger.model import LedgerPolicy, Redemption, Store
from node.ledger.numbers import voucher_number_from
from node.ledger.qr import make_payload, parse_code
from tests.conftest import START

NODE_ID = "A" * 52
SETTINGS = operations.LedgerSettings(
    node_id=NODE_ID,
    policy=LedgerPolicy(max_voucher_yen=100_000, void_same_day_only=True),
    zone=ZoneInfo("Asia/Tokyo"),
    step_seconds=30,
)
FACE = 10_000
STORES = ("st_1", "st_2")
CODES = 4
VOUCHER = voucher_number_from(b"retry-me")

attempts = st.lists(
    st.tuples(
        st.integers(0, CODES - 1),  # which code
        st.sampled_from(STORES),
        st.sampled_from((1_000, 2_500, 4_000)),
        st.integers(0, 200),  # seconds that pass before it: some retries are past the window
    ),
    max_size=25,
)


def run(conn: sqlite3.Connection, unit: object) -> object:
    conn.execute("BEGIN IMMEDIATE")
    try:
        answer = unit(conn)  # type: ignore[operator]
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return answer


def books(conn: sqlite3.Connection, voucher_id: str) -> tuple[int, int, int]:
    balance = conn.execute(
        "SELECT balance_yen FROM vouchers WHERE voucher_id = ?", (voucher_id,)
    ).fetchone()[0]
    redeemed, count = conn.execute(
        "SELECT coalesce(sum(amount_yen), 0), count(*) FROM redemptions WHERE voucher_id = ?",
        (voucher_id,),
    ).fetchone()
    return int(balance), int(redeemed), int(count)


@settings(max_examples=60, deadline=None)
@given(attempts)
def test_retried_codes_never_debit_twice(steps: list[tuple[int, str, int, int]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "kippu.db"
        prepare_database(path)
        conn = db.connect(path)
        try:
            check_sequence(conn, steps)
        finally:
            conn.close()


def check_sequence(conn: sqlite3.Connection, steps: list[tuple[int, str, int, int]]) -> None:
    now = START
    for store_id in STORES:
        run(conn, operations.add_store(Store(store_id, store_id, now)))
    issue = core.IssueRequest(VOUCHER, b"k" * 32, FACE, FACE, None, None, None, "tx_issue")
    voucher = run(conn, operations.issue(issue, SETTINGS, now, lambda: "000000000000"))
    voucher_id = voucher.voucher_id  # type: ignore[attr-defined]
    codes = [
        parse_code(make_payload(NODE_ID, voucher_id, b"k" * 32, now, 30, bytes([n]) * 5))
        for n in range(CODES)
    ]
    made: dict[int, Redemption] = {}  # code -> the redemption it made
    for number, (which, store_id, amount, seconds) in enumerate(steps):
        now += timedelta(seconds=seconds)
        unit = operations.redeem(
            codes[which], amount, store_id, SETTINGS, now, f"rd_{number}", f"tx_{number}"
        )
        earlier = made.get(which)
        try:
            answer = run(conn, unit)
        except CodeAlreadyUsed:
            assert earlier is not None
            is_late = (now - earlier.created_at).total_seconds() > SETTINGS.retry_window_s
            assert is_late or (earlier.store_id, earlier.amount_yen) != (store_id, amount)
        except KippuError:
            assert earlier is None  # expired or too little left: a retry is never refused so
        else:
            assert isinstance(answer, operations.Redeemed)
            if earlier is None:
                assert not answer.is_repeat
                made[which] = answer.redemption
            else:
                assert answer.is_repeat
                assert answer.redemption == earlier
                assert (now - earlier.created_at).total_seconds() <= SETTINGS.retry_window_s
                assert (store_id, amount) == (earlier.store_id, earlier.amount_yen)
        balance, redeemed, count = books(conn, voucher_id)
        assert count == len(made)
        assert redeemed == sum(r.amount_yen for r in made.values())
        assert balance == FACE - redeemed
