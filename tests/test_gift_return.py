"""A gift taken back before anyone received it (issue 15, item 4): through the ledger's and the
web's units on a real SQLite file, one transaction per unit as the writer runs them.

- gift then take back returns exactly what was given, to the yen, and the giver may give again;
- random sequences of gifts, take-backs and receipts never create or lose a yen: the books
  balance, liabilities equal balances, and the sum of balances stays what was issued;
- a gift received cannot be taken back, and a gift taken back cannot be received: whichever
  unit the writer runs first wins, the other is refused and changes nothing (both orders).
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from node import db
from node.app import prepare_database
from node.errors import GiftAlreadyReceived, GiftNotReturnable, GiftReturned, KippuError
from node.ledger import core, operations
from node.ledger import tables as ledger_tables
from node.ledger.model import LedgerPolicy, Voucher, VoucherStatus
from node.web import handover
from node.web import tables as web_tables
from node.web.account_tables import token_hash
from tests.conftest import START

SETTINGS = operations.LedgerSettings(
    node_id="A" * 52,
    policy=LedgerPolicy(max_voucher_yen=100_000, void_same_day_only=True),
    zone=ZoneInfo("Asia/Tokyo"),
    step_seconds=30,
)
GIVER, FRIEND = "cu_giver", "cu_friend"


def run(conn: sqlite3.Connection, unit: object) -> object:
    conn.execute("BEGIN IMMEDIATE")
    try:
        answer = unit(conn)  # type: ignore[operator]
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return answer


@contextmanager
def books() -> Iterator[sqlite3.Connection]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "kippu.db"
        prepare_database(path)
        conn = db.connect(path)
        try:
            for customer in (GIVER, FRIEND):
                run(conn, operations.add_customer(customer, customer, f"{customer}@x.jp", START))
            yield conn
        finally:
            conn.close()


def issue(conn: sqlite3.Connection, number: int, face: int) -> str:
    request = core.IssueRequest(
        f"{number:016d}", b"k" * 32, face, face, GIVER, None, None, f"tx_issue_{number}"
    )
    voucher = run(conn, operations.issue(request, SETTINGS, START, lambda: "0" * 16))
    assert isinstance(voucher, Voucher)
    return voucher.voucher_id


def give(conn: sqlite3.Connection, source_id: str, amount: int | None, tag: str) -> str:
    """What handover.gift does in the writer: the gift, and its link's record (token = tag)."""
    request = core.GiftRequest(None, amount, f"9{tag:0>15}", b"g" * 32, f"tx_gift_{tag}")
    unit = operations.gift(source_id, request, SETTINGS, START, lambda: "8" * 16)

    def work(c: sqlite3.Connection) -> str:
        _, made = unit(c)
        web_tables.insert_handover(c, token_hash(tag), made.voucher_id, "gift", GIVER, START)
        return made.voucher_id

    return str(run(conn, work))


def balance(conn: sqlite3.Connection, voucher_id: str) -> int:
    voucher = ledger_tables.load_voucher(conn, voucher_id)
    assert voucher is not None
    return voucher.balance_yen


def books_hold(conn: sqlite3.Connection, issued: int) -> None:
    """No yen created or lost: the journal balances, each voucher's liability is its balance,
    and (nothing was spent) the vouchers together still hold what was issued."""
    postings, liability = conn.execute(
        "SELECT coalesce(sum(amount_yen), 0),"
        " coalesce(-sum(CASE WHEN substr(account, 1, 8) = 'voucher:' THEN amount_yen END), 0)"
        " FROM postings"
    ).fetchone()
    (held,) = conn.execute("SELECT coalesce(sum(balance_yen), 0) FROM vouchers").fetchone()
    assert postings == 0
    assert liability == held == issued


def test_gift_then_take_back_returns_exactly_and_the_giver_may_give_again() -> None:
    with books() as conn:
        source = issue(conn, 1, 10_000)
        gift = give(conn, source, 3_000, "t1")
        assert balance(conn, source) == 7_000
        back = run(conn, handover.take_back(gift, GIVER, START, "tx_back_1"))
        assert isinstance(back, Voucher)
        assert back.balance_yen == balance(conn, source) == 10_000
        assert not back.has_given_gift
        void = ledger_tables.load_voucher(conn, gift)
        assert void is not None and void.status == VoucherStatus.VOID and void.balance_yen == 0
        (kind,) = conn.execute("SELECT kind FROM journal WHERE txn_id = 'tx_back_1'").fetchone()
        assert kind == "gift_return"
        with pytest.raises(GiftNotReturnable):  # twice: nothing left to take back
            run(conn, handover.take_back(gift, GIVER, START, "tx_back_2"))
        with pytest.raises(GiftReturned):  # its link now says so
            run(conn, handover.take("t1", FRIEND, START))
        again = give(conn, source, None, "t2")  # the whole balance, once more
        assert balance(conn, again) == 10_000 and balance(conn, source) == 0
        books_hold(conn, 10_000)


def test_only_the_giver_can_take_a_gift_back() -> None:
    with books() as conn:
        gift = give(conn, issue(conn, 1, 5_000), 1_000, "t1")
        with pytest.raises(KippuError) as refused:
            run(conn, handover.take_back(gift, FRIEND, START, "tx_back"))
        assert refused.value.code == "voucher.not_found"
        assert balance(conn, gift) == 1_000


def test_a_received_gift_cannot_be_taken_back() -> None:
    with books() as conn:
        source = issue(conn, 1, 10_000)
        gift = give(conn, source, 4_000, "t1")
        run(conn, handover.take("t1", FRIEND, START))
        with pytest.raises(GiftAlreadyReceived):
            run(conn, handover.take_back(gift, GIVER, START, "tx_back"))
        # The API's take-back, which knows no link, reads the holder: refused the same way.
        with pytest.raises(GiftAlreadyReceived):
            run(conn, operations.return_gift(gift, START, "tx_back_api"))
        assert balance(conn, source) == 6_000 and balance(conn, gift) == 4_000
        books_hold(conn, 10_000)


def test_a_gift_past_its_expiry_cannot_be_taken_back_swept_or_not() -> None:
    """The giver's voucher never expires; the gift does, six months after it was given. Past that
    moment, before the sweep has run, taking it back would put expired value back into use."""
    with books() as conn:
        source = issue(conn, 1, 10_000)
        gift = give(conn, source, 4_000, "t1")
        expired = ledger_tables.load_voucher(conn, gift)
        assert expired is not None and expired.expires_at is not None
        later = expired.expires_at + timedelta(seconds=1)
        with pytest.raises(GiftNotReturnable) as refused:
            run(conn, handover.take_back(gift, GIVER, later, "tx_back"))
        assert refused.value.details.get("status") == "expired"
        assert balance(conn, source) == 6_000 and balance(conn, gift) == 4_000
        one_second_before = expired.expires_at - timedelta(seconds=1)
        run(conn, handover.take_back(gift, GIVER, one_second_before, "tx_back_in_time"))
        assert balance(conn, source) == 10_000
        books_hold(conn, 10_000)


@pytest.mark.parametrize("first", ["take", "take_back"])
def test_the_writer_decides_between_receiving_and_taking_back(first: str) -> None:
    """Both units in one batch, as the writer runs them (each in its savepoint): the first wins."""
    with books() as conn:
        source = issue(conn, 1, 10_000)
        gift = give(conn, source, 2_500, "t1")
        units = {
            "take": handover.take("t1", FRIEND, START),
            "take_back": handover.take_back(gift, GIVER, START, "tx_back"),
        }
        order = [first, *(name for name in units if name != first)]
        outcomes: dict[str, object] = {}
        conn.execute("BEGIN IMMEDIATE")
        for name in order:
            conn.execute("SAVEPOINT unit")
            try:
                outcomes[name] = units[name](conn)
            except KippuError as exc:
                conn.execute("ROLLBACK TO unit")
                outcomes[name] = exc
            conn.execute("RELEASE unit")
        conn.execute("COMMIT")
        assert not isinstance(outcomes[first], KippuError)
        loser = outcomes[order[1]]
        if first == "take":
            assert isinstance(loser, GiftAlreadyReceived)
            assert balance(conn, source) == 7_500 and balance(conn, gift) == 2_500
        else:
            assert isinstance(loser, GiftReturned)
            assert balance(conn, source) == 10_000 and balance(conn, gift) == 0
        books_hold(conn, 10_000)


steps = st.lists(
    st.tuples(
        st.sampled_from(["give", "take_back", "receive"]),
        st.integers(0, 2),  # which voucher (or gift) of the three
        st.none() | st.integers(-10, 12_000),  # the amount to give (None: all)
    ),
    max_size=20,
)


@settings(max_examples=50, deadline=None)
@given(steps, st.lists(st.integers(1, 10_000), min_size=3, max_size=3))
def test_gifts_and_take_backs_never_create_or_lose_a_yen(
    moves: list[tuple[str, int, int | None]], faces: list[int]
) -> None:
    with books() as conn:
        sources = [issue(conn, n, face) for n, face in enumerate(faces)]
        gifts: dict[int, tuple[str, str]] = {}  # source index -> (gift, its link's token)
        for number, (move, which, amount) in enumerate(moves):
            try:
                if move == "give":
                    token = f"t{number}"
                    gifts[which] = (give(conn, sources[which], amount, token), token)
                elif move == "take_back" and which in gifts:
                    before = balance(conn, sources[which])
                    given_yen = balance(conn, gifts[which][0])
                    run(conn, handover.take_back(gifts[which][0], GIVER, START, f"tx_{number}"))
                    assert balance(conn, sources[which]) == before + given_yen  # exactly
                elif move == "receive" and which in gifts:
                    run(conn, handover.take(gifts[which][1], FRIEND, START + timedelta(1)))
            except KippuError:
                pass  # refused: nothing changed (the books below say so)
            books_hold(conn, sum(faces))
