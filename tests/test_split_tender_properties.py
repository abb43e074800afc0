"""全額利用と差額 (the whole balance, the rest paid another way) never moves more than the
voucher's part (issue 15, item 2).

Random sales against one voucher, decided as the counter's confirm step decides them
(counter_result.shortfall_yen): a sale the balance covers is one redemption; a larger one uses the
whole balance and records the rest with its method; some redemptions are voided. Driven through
the ledger's shell on a real SQLite file, one transaction per unit as the writer runs them; after
every step the ledger check (the same query GET /api/v1/ledger/check runs) is ok, the voucher
moved exactly the voucher parts, and the rests are records only: no posting holds them.
"""

from __future__ import annotations

import asyncio
import sqlite3
import tempfile
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import aiosqlite
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from node import db
from node.app import prepare_database
from node.errors import RestNotWholeBalance
from node.ledger import core, operations, queries, tables, tender_tables
from node.ledger.model import LedgerPolicy, PaymentMethod, Store, Voucher
from node.ledger.numbers import voucher_number_from
from node.ledger.qr import make_payload, parse_code
from node.ledger.tender import RestPayment
from node.web.counter_result import shortfall_yen
from tests.conftest import START

NODE_ID = "A" * 52
SETTINGS = operations.LedgerSettings(
    node_id=NODE_ID,
    policy=LedgerPolicy(max_voucher_yen=100_000, void_same_day_only=True),
    zone=ZoneInfo("Asia/Tokyo"),
    step_seconds=30,
)
SECRET = b"s" * 32
STORE = "st_1"

sales = st.lists(
    st.tuples(
        st.integers(1, 30_000),  # the sale's total, keyed at the counter
        st.sampled_from(list(PaymentMethod)),
        st.booleans(),  # void it afterwards
    ),
    min_size=1,
    max_size=12,
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


async def checked(path: Path, ids: list[str]) -> tuple[queries.LedgerCheck, dict[str, RestPayment]]:
    async with aiosqlite.connect(path) as reader:
        reader.row_factory = sqlite3.Row
        return await queries.check_ledger(reader), await tender_tables.rests_of(reader, ids)


@settings(max_examples=40, deadline=None)
@given(st.integers(1_000, 50_000), sales)
def test_the_voucher_moves_exactly_its_part_and_the_books_stay_balanced(
    face: int, steps: list[tuple[int, PaymentMethod, bool]]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "kippu.db"
        prepare_database(path)
        conn = db.connect(path)
        try:
            sell_and_check(conn, path, face, steps)
        finally:
            conn.close()


def sell_and_check(
    conn: sqlite3.Connection, path: Path, face: int, steps: list[tuple[int, PaymentMethod, bool]]
) -> None:
    now = START
    run(conn, operations.add_store(Store(STORE, STORE, now)))
    number = voucher_number_from(b"split-" + str(face).encode())
    issue = core.IssueRequest(number, SECRET, face, face, None, None, None, "tx_issue")
    voucher = run(conn, operations.issue(issue, SETTINGS, now, lambda: "000000000000"))
    voucher_id = str(voucher.voucher_id)  # type: ignore[attr-defined]
    balance, moved = face, 0  # moved: the voucher parts of the redemptions still standing
    expected_rests: dict[str, RestPayment] = {}
    ids: list[str] = []
    for n, (total, method, is_voided) in enumerate(steps):
        if balance == 0:
            break
        now += timedelta(seconds=40)
        code = parse_code(make_payload(NODE_ID, voucher_id, SECRET, now, 30, bytes([n]) * 5))
        short = shortfall_yen(load(conn, voucher_id), total)
        part, rest = (total, None) if not short else (balance, RestPayment(short, method))
        answer = run(
            conn,
            operations.redeem(code, part, STORE, SETTINGS, now, f"rd_{n}", f"tx_{n}", rest),
        )
        assert isinstance(answer, operations.Redeemed)
        assert answer.voucher.balance_yen == balance - part  # exactly its part
        assert answer.rest == rest
        balance, moved = balance - part, moved + part
        ids.append(f"rd_{n}")
        if rest is not None:
            assert balance == 0  # the whole balance, no more
            expected_rests[f"rd_{n}"] = rest
        if is_voided:
            run(conn, operations.void_redemption(f"rd_{n}", SETTINGS, now, f"tx_void_{n}"))
            balance, moved = balance + part, moved - part  # the rest stays a record
        check, rests = asyncio.run(checked(path, ids))
        assert check.ok, check
        assert check.voucher_balances_yen == balance == load(conn, voucher_id).balance_yen
        assert rests == expected_rests
        assert moved == face - balance


def load(conn: sqlite3.Connection, voucher_id: str) -> Voucher:
    found = tables.load_voucher(conn, voucher_id)
    assert found is not None
    return found


def books(conn: sqlite3.Connection) -> tuple[int, int, int, int]:
    row = conn.execute(
        "SELECT (SELECT count(*) FROM journal), (SELECT count(*) FROM redemptions),"
        " (SELECT count(*) FROM rest_payments), (SELECT sum(balance_yen) FROM vouchers)"
    ).fetchone()
    return int(row[0]), int(row[1]), int(row[2]), int(row[3])


@settings(max_examples=30, deadline=None)
@given(st.integers(2, 50_000), st.data())
def test_a_rest_with_less_than_the_whole_balance_is_refused_and_changes_nothing(
    face: int, data: st.DataObject
) -> None:
    """The server, not the page, makes a rest mean "the whole balance": a part below the balance
    (a client's mistake, or a balance that grew back by a void since the confirm step) with a
    rest is refused in the writer, and nothing is redeemed or recorded."""
    part = data.draw(st.integers(1, face - 1))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "kippu.db"
        prepare_database(path)
        conn = db.connect(path)
        try:
            now = START
            run(conn, operations.add_store(Store(STORE, STORE, now)))
            number = voucher_number_from(b"part-" + str(face).encode())
            issue = core.IssueRequest(number, SECRET, face, face, None, None, None, "tx_issue")
            run(conn, operations.issue(issue, SETTINGS, now, lambda: "000000000000"))
            code = parse_code(make_payload(NODE_ID, number, SECRET, now, 30, b"\x01" * 5))
            before = books(conn)
            rest = RestPayment(data.draw(st.integers(1, 30_000)), PaymentMethod.CASH)
            unit = operations.redeem(code, part, STORE, SETTINGS, now, "rd_1", "tx_1", rest)
            with pytest.raises(RestNotWholeBalance) as refused:
                run(conn, unit)
            assert refused.value.code == "redemption.rest_not_whole_balance"
            assert books(conn) == before
            assert load(conn, number).balance_yen == face
            # The same code with the whole balance goes through: the refusal used nothing up.
            whole = operations.redeem(code, face, STORE, SETTINGS, now, "rd_2", "tx_2", rest)
            answer = run(conn, whole)
            assert isinstance(answer, operations.Redeemed) and answer.voucher.balance_yen == 0
            check, _ = asyncio.run(checked(path, ["rd_2"]))
            assert check.ok and check.voucher_balances_yen == 0
        finally:
            conn.close()
