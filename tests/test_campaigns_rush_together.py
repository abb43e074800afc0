"""A rush's unit of grants decided together and written in a few statements
(rush_operations.grant_batch, node/ledger/bulk_issue.py) gives exactly what the grants one by one
give (operations.grant_in, each under its own SAVEPOINT): the same answers and the same rows in
every table a grant writes, journal order included, on real SQLite files. When writing them
together fails at the database, the unit decides them one by one and only the faulty request is
refused."""

from __future__ import annotations

import dataclasses
import shutil
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from node import db
from node.admission.batching import decide_each
from node.app import prepare_database
from node.campaigns import core, grant_keys, operations, rush_operations
from node.campaigns.model import Campaign
from node.campaigns.rush_operations import Granted
from node.errors import KippuError
from node.ledger import bulk_issue
from node.ledger import operations as ledger_operations
from node.ledger.core import IssueRequest
from node.ledger.fresh import NewVoucher
from node.ledger.model import LedgerPolicy
from node.ledger.operations import LedgerSettings

pytestmark = pytest.mark.node  # real SQLite files

NOW = datetime(2026, 12, 3, 1, 0, tzinfo=UTC)
SETTINGS = LedgerSettings("n1", LedgerPolicy(100_000, False), ZoneInfo("Asia/Tokyo"), 30)
PEOPLE = tuple(f"cu_person{i}" for i in range(5))
UNKNOWN = "cu_nobody"
TAKEN = "900000000001"  # a voucher number the database already holds
SHARED = "300000000001"  # a number drawn for more than one request of a unit
# Every table a grant writes, each in a fixed order (journal_seq: in the order entries came).
TABLES = {
    "vouchers": "voucher_id",
    "postings": "txn_id, line",
    "journal": "txn_id",
    "journal_seq": "seq",
    "voucher_terms": "voucher_id",
    "campaign_grants": "grant_id",
    "campaign_grant_vouchers": "voucher_id",
    "campaigns": "campaign_id",
}


def _campaign(kind: str, stock: int, per_person: int, local_yen: int, checks: bool) -> Campaign:
    sent = core.NewTerms(
        kind=kind,
        name="先着テスト",
        face_yen=1000,
        price_yen=500 if kind == "premium" else None,
        local_yen=local_yen or None,
        book_count=3 if kind == "ticket-book" else None,
        starts_at=NOW - timedelta(hours=1),
        ends_at=NOW + timedelta(days=30),
        stock=stock,
        per_person=per_person,
        eligibility=["email"] if checks else None,
    )
    return core.new_campaign("cp_rush", sent, NOW, "admin")


def _database(path: Path, campaign: Campaign, verified: Sequence[str]) -> None:
    """The people, the campaign, the checks some people passed, one voucher numbered TAKEN."""
    prepare_database(path)
    conn = db.open_checked(path)
    try:
        conn.execute("BEGIN IMMEDIATE")
        for person in PEOPLE:
            ledger_operations.add_customer(person, "住民", None, NOW)(conn)
        operations.create(campaign)(conn)
        for person in verified:
            conn.execute(
                "INSERT INTO campaign_verifications VALUES (?, ?, 'email', ?, 0)",
                (campaign.campaign_id, person, f"{person}@example.jp"),
            )
        request = IssueRequest(TAKEN, b"s" * 32, 1000, 1000, None, None, None, "tx_taken")
        ledger_operations.issue(request, SETTINGS, NOW, _numbers("9"))(conn)
        conn.execute("COMMIT")
    finally:
        conn.close()


def _numbers(prefix: str) -> Callable[[], str]:
    """Fresh voucher numbers, the same sequence for both ways of granting."""
    counter: Iterator[int] = iter(range(1, 10_000))
    return lambda: f"{prefix}{next(counter):011d}"


def _requests(
    people: Sequence[str], first_numbers: Sequence[str | None], gate: bool
) -> list[operations.GrantRequest]:
    """A request per person; its first voucher numbered as given (TAKEN, SHARED) or its own."""
    made = []
    for n, (person, first) in enumerate(zip(people, first_numbers, strict=True)):
        drawn = [
            NewVoucher(
                first if first is not None and k == 0 else f"1{n:05d}{k:06d}",
                bytes([n, k]) * 16,
                f"tx_{n:03d}_{k}",
            )
            for k in range(3)
        ]
        made.append(operations.GrantRequest("cp_rush", person, "admin", f"gr_{n:03d}", drawn, gate))
    return made


def _one_by_one(
    conn: sqlite3.Connection, requests: Sequence[operations.GrantRequest]
) -> list[object]:
    fresh = _numbers("8")
    return decide_each(conn, requests, lambda c, r: operations.grant_in(c, r, SETTINGS, NOW, fresh))


def _together(
    conn: sqlite3.Connection, requests: Sequence[operations.GrantRequest]
) -> list[object]:
    unit = rush_operations.grant_batch("cp_rush", requests, SETTINGS, NOW, _numbers("8"))
    return [o.grant if isinstance(o, Granted) else o for o in unit(conn)]


Decide = Callable[[sqlite3.Connection, Sequence[operations.GrantRequest]], list[object]]


def _run(path: Path, decide: Decide, requests: Sequence[operations.GrantRequest]) -> list[object]:
    conn = db.open_checked(path)
    try:
        conn.execute("BEGIN IMMEDIATE")
        outcomes = decide(conn, requests)
        conn.execute("COMMIT")
        return outcomes
    finally:
        conn.close()


def _rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(path)
    try:
        return {
            table: conn.execute(f"SELECT * FROM {table} ORDER BY {order}").fetchall()  # noqa: S608
            for table, order in TABLES.items()
        }
    finally:
        conn.close()


def _answer(outcome: object) -> object:
    """A grant as itself; a refusal by its stable code (or its type, for a database's)."""
    if isinstance(outcome, KippuError):
        return outcome.code
    return outcome if not isinstance(outcome, Exception) else type(outcome).__name__


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("together")


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    kind=st.sampled_from(["first-come", "premium", "ticket-book", "lottery"]),
    stock=st.integers(1, 8),
    per_person=st.integers(1, 2),
    local_yen=st.sampled_from([0, 300]),
    checks=st.booleans(),
    verified=st.sets(st.sampled_from(PEOPLE)),
    gate=st.booleans(),
    asks=st.lists(
        st.tuples(st.sampled_from((*PEOPLE, UNKNOWN)), st.sampled_from((None, TAKEN, SHARED))),
        max_size=12,
    ),
)
def test_together_answers_and_writes_what_one_by_one_does(
    scratch: Path,
    kind: str,
    stock: int,
    per_person: int,
    local_yen: int,
    checks: bool,
    verified: set[str],
    gate: bool,
    asks: list[tuple[str, str | None]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    campaign = _campaign(kind, stock, per_person, 0 if kind == "ticket-book" else local_yen, checks)
    template = scratch / "template.sqlite"
    template.unlink(missing_ok=True)
    _database(template, campaign, sorted(verified))
    one, together = scratch / "one.sqlite", scratch / "together.sqlite"
    for copy in (one, together):
        shutil.copyfile(template, copy)
    requests = _requests([a[0] for a in asks], [a[1] for a in asks], gate)

    expected = _run(one, _one_by_one, requests)
    caplog.clear()
    got = _run(together, _together, requests)

    assert "one by one" not in caplog.text  # decided and written together, no fallback
    assert [_answer(o) for o in got] == [_answer(o) for o in expected]
    assert _rows(together) == _rows(one)
    granted = sum(1 for o in got if not isinstance(o, Exception))
    assert granted <= stock


def test_a_unit_the_database_refuses_whole_is_decided_one_by_one(scratch: Path) -> None:
    """A request whose entry id is taken (the journal's key) fails the unit's writing together;
    the unit then decides one by one: that request alone is refused, the others granted."""
    campaign = _campaign("first-come", 10, 1, 0, False)
    path = scratch / "refused.sqlite"
    path.unlink(missing_ok=True)
    _database(path, campaign, [])
    requests = _requests(list(PEOPLE[:3]), [None] * 3, False)
    requests[1] = operations.GrantRequest(
        "cp_rush",
        PEOPLE[1],
        "admin",
        "gr_clash",
        [NewVoucher("777000000001", b"x" * 32, "tx_taken")],  # the seeded voucher's entry
    )

    got = _run(path, _together, requests)

    assert [type(o).__name__ for o in got] == ["Grant", "IntegrityError", "Grant"]
    rows = _rows(path)
    assert len(rows["campaign_grants"]) == 2
    conn = sqlite3.connect(path)
    try:
        (sets,) = conn.execute("SELECT granted_sets FROM campaigns").fetchone()
        (total,) = conn.execute("SELECT sum(amount_yen) FROM postings").fetchone()
    finally:
        conn.close()
    assert (sets, total) == (2, 0)


def test_voucher_numbers_already_taken_are_drawn_again(scratch: Path) -> None:
    path = scratch / "numbers.sqlite"
    path.unlink(missing_ok=True)
    _database(path, _campaign("first-come", 10, 1, 0, False), [])
    fresh = iter([TAKEN, "500000000001", "500000000002"])
    conn = db.open_checked(path)
    try:
        numbers = bulk_issue.VoucherNumbers(conn, [TAKEN, "400000000001"], lambda: next(fresh))
        first = numbers.choose(["400000000001", "400000000001"])  # twice in one request
        numbers.keep(first)
        second = numbers.choose([TAKEN])  # in the database; the first fresh one is too
    finally:
        conn.close()
    assert first == ["400000000001", "500000000001"]
    assert second == ["500000000002"]


def test_a_unit_with_a_key_is_decided_one_by_one_and_keeps_its_key(scratch: Path) -> None:
    """Keys are grant_in's to keep (a replay answers its earlier grant): a unit with one is not
    decided together, and the key is stored with its grant."""
    path = scratch / "keyed.sqlite"
    path.unlink(missing_ok=True)
    _database(path, _campaign("first-come", 10, 1, 0, False), [])
    requests = _requests(list(PEOPLE[:3]), [None] * 3, False)
    key = grant_keys.grant_key("office-001", "admin", "cp_rush", PEOPLE[1])
    requests[1] = dataclasses.replace(requests[1], key=key)
    assert not rush_operations.is_plain(_campaign("first-come", 10, 1, 0, False), requests)

    got = _run(path, _together, requests)
    again = _run(path, _together, [dataclasses.replace(requests[1], grant_id="gr_retry")])

    assert [type(o).__name__ for o in got] == ["Grant", "Grant", "Grant"]
    assert again == [got[1]]  # the key's replay: the grant it made, not a second one
    conn = sqlite3.connect(path)
    try:
        (sets,) = conn.execute("SELECT granted_sets FROM campaigns").fetchone()
        (keys,) = conn.execute("SELECT count(*) FROM campaign_grant_keys").fetchone()
    finally:
        conn.close()
    assert (sets, keys) == (3, 1)
