"""The points writer units (node/points/operations.py) on a real SQLite database with the node's
schema, driven by a hypothesis state machine: earn, use, return a purchase, return a use, adjust
either way, sweep expired lots, let time pass (to just before, at and after a lot's expiry) and set
a new program from a moment on. Each step runs in one transaction, as the writer runs a unit.

After every step: the books hold (node/points/books.py: every entry balanced, what the journal owes
each member equal to the sum of that member's lot remainders, no lot out of bounds or unlike its
moves), and each member's balance is the sum of the remainders of the lots not past their expiry.
Each step checks its own promise: what a purchase earns under the terms in force, soonest expiry
spent first, an expired lot never spent, a return never below zero with its shortfall recorded, a
refusal changes nothing. Beside the machine: 1,000 replays of one POS request credit once, and the
database itself refuses a lot below zero or above its points.
"""

from __future__ import annotations

import atexit
import functools
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import pytest
from hypothesis import event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from node import db
from node.app import prepare_database
from node.errors import (
    BelowMinimumUse,
    InsufficientPoints,
    KippuError,
    PointsTxnConflict,
    PurchaseNotFound,
    PurchaseReturned,
    UseAlreadyReturned,
)
from node.ledger import operations as ledger_operations
from node.ledger.model import Store
from node.ledger.rows import from_epoch, maybe_datetime, to_epoch
from node.points import books, operations, queries, return_operations, tables
from node.points.core import DEFAULT_PROGRAM, earn_terms, in_force, lot_expiry, points_for
from node.points.model import (
    Campaign,
    ExpiryKind,
    Member,
    Program,
    Rounding,
    StoreRate,
)
from tests.conftest import START, SeededRandomness
from tests.points_writer_helpers import ConnectionReader, read_now

ZONE = ZoneInfo("Asia/Tokyo")
STORES = (None, "st_a", "st_b")
CUSTOMERS = ("cu_hanako", "cu_taro")
ACTOR = "staff:yamada"
T = TypeVar("T")


@dataclass
class Bought:
    txn_id: str
    customer_id: str
    points: int
    entry_id: str | None
    is_returned: bool = False


@dataclass
class Spent:
    entry_id: str
    customer_id: str
    store_id: str | None
    points: int
    is_returned: bool = False


@dataclass(frozen=True)
class LotNow:
    lot_id: str
    entry_id: str
    expires_at: datetime | None
    points: int
    remaining: int
    is_swept: bool


@functools.cache
def migrated_template() -> Path:
    """One database with the node's schema, copied for each example: migrating anew each time
    would spend the run on the migrations' own commits."""
    directory = Path(tempfile.mkdtemp(prefix="kippu-points-template-"))
    atexit.register(shutil.rmtree, directory, ignore_errors=True)
    prepare_database(directory / "node.db")
    return directory / "node.db"


def open_points_books() -> tuple[Path, sqlite3.Connection]:
    directory = Path(tempfile.mkdtemp(prefix="kippu-points-"))
    path = directory / "node.db"
    shutil.copyfile(migrated_template(), path)
    conn = db.connect(path)
    # Durability is the writer's to prove (tests/test_writer.py); here an fsync per step would
    # time the shared disk, not the rules.
    conn.execute("PRAGMA synchronous = OFF")
    return directory, conn


def run(conn: sqlite3.Connection, work: Callable[[sqlite3.Connection], T]) -> T:
    """One unit of work in one transaction, as the writer runs it: all or nothing."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        result = work(conn)
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return result


def add_members(conn: sqlite3.Connection, rng: SeededRandomness) -> list[Member]:
    members = []
    for customer_id in CUSTOMERS:
        run(conn, ledger_operations.add_customer(customer_id, customer_id, None, START))
        members.append(
            run(conn, lambda c, i=customer_id: operations.ensure_member(c, i, START, rng))
        )
    return members


class PointsMachine(RuleBasedStateMachine):
    """The writer units on a real database; a small model of what was bought and spent."""

    @initialize()
    def open_books(self) -> None:
        self.directory, self.conn = open_points_books()
        self.rng = SeededRandomness(7)
        self.now = START
        for store_id in STORES[1:]:
            run(self.conn, ledger_operations.add_store(Store(store_id, store_id, START)))
        self.members = add_members(self.conn, self.rng)
        # Taro is a gold member (150 %); st_a runs double points from day 2 to day 9; st_b gives
        # 3 points per ¥100 of its own.
        self.rank_pct = {CUSTOMERS[0]: 100, CUSTOMERS[1]: 150}
        self.conn.execute(
            "INSERT INTO member_ranks (customer_id, rank_name, position, multiplier_pct, since)"
            " VALUES (?, 'ゴールド', 2, 150, ?)",
            (CUSTOMERS[1], to_epoch(START)),
        )
        self.campaigns = [
            Campaign(
                "cp_feb",
                "ポイント2倍",
                "st_a",
                200,
                START + timedelta(days=2),
                START + timedelta(days=9),
                START,
                "hq",
                None,
            )
        ]
        self.rates = {"st_b": StoreRate("st_b", START, 3, 100, START, "hq")}
        run(self.conn, lambda c: tables.insert_campaign(c, self.campaigns[0]))
        run(self.conn, lambda c: tables.insert_store_rate(c, self.rates["st_b"]))
        self.programs: list[Program] = []
        self.bought: list[Bought] = []
        self.spent: list[Spent] = []
        self.open_shortfall: dict[str, int] = {}  # per member: shortfalls not yet settled
        self.serial = 0

    def teardown(self) -> None:
        if hasattr(self, "conn"):
            self.conn.close()
            shutil.rmtree(self.directory, ignore_errors=True)

    # -- helpers ---------------------------------------------------------------------------------

    def _txn(self) -> str:
        self.serial += 1
        return f"pos-{self.serial:06d}"

    def _run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        return run(self.conn, work)

    def _refused(self, work: Callable[[sqlite3.Connection], object]) -> KippuError:
        before = self._everything()
        with pytest.raises(KippuError) as refused:
            self._run(work)
        assert self._everything() == before, "a refusal changes nothing"
        return refused.value

    def _everything(self) -> tuple[object, ...]:
        counts = self.conn.execute(
            "SELECT (SELECT count(*) FROM point_entries) AS entries,"
            " (SELECT count(*) FROM point_lot_moves) AS moves,"
            " (SELECT count(*) FROM point_purchases WHERE returned_at IS NOT NULL) AS returned,"
            " (SELECT count(*) FROM point_shortfalls) AS shortfalls"
        ).fetchone()
        return (tuple(counts), self._lots())

    def _lots(self, customer_id: str | None = None) -> dict[str, LotNow]:
        rows = self.conn.execute(
            "SELECT l.lot_id, l.entry_id, l.expires_at, l.points, l.remaining, l.expired_at"
            " FROM point_lots l WHERE ? IS NULL OR l.customer_id = ?",
            (customer_id, customer_id),
        ).fetchall()
        return {
            r["lot_id"]: LotNow(
                r["lot_id"],
                r["entry_id"],
                maybe_datetime(r["expires_at"]),
                r["points"],
                r["remaining"],
                r["expired_at"] is not None,
            )
            for r in rows
        }

    def _is_live(self, lot: LotNow) -> bool:
        return lot.remaining > 0 and (lot.expires_at is None or self.now < lot.expires_at)

    def _balance(self, customer_id: str) -> int:
        return read_now(queries.balance(ConnectionReader(self.conn), customer_id, self.now)).points

    def _moves(self, entry_id: str) -> dict[str, int]:
        rows = self.conn.execute(
            "SELECT lot_id, points FROM point_lot_moves WHERE entry_id = ?", (entry_id,)
        ).fetchall()
        return {r["lot_id"]: r["points"] for r in rows}

    def _program(self) -> Program:
        return in_force(self.programs, self.now) or DEFAULT_PROGRAM

    def _check_soonest_first(self, before: dict[str, LotNow], taken: dict[str, int]) -> None:
        """Every lot a debit took from was live, and every live lot expiring strictly sooner than
        one it took from was emptied first (lots without expiry come last)."""

        def rank(lot: LotNow) -> tuple[int, datetime]:
            return (1, START) if lot.expires_at is None else (0, lot.expires_at)

        live = [lot for lot in before.values() if self._is_live(lot)]
        for lot_id, points in taken.items():
            moved = before[lot_id]
            assert self._is_live(moved), "an expired or empty lot is never spent"
            assert 0 < -points <= moved.remaining
            for other in live:
                if rank(other) < rank(moved):
                    assert -taken.get(other.lot_id, 0) == other.remaining, (
                        f"{moved.lot_id} was spent before the sooner-expiring {other.lot_id}"
                    )

    # -- rules -----------------------------------------------------------------------------------

    @rule(
        who=st.sampled_from(CUSTOMERS),
        purchase_yen=st.one_of(st.integers(0, 300), st.integers(0, 30_000)),
        store_id=st.sampled_from(STORES),
    )
    def earn(self, who: str, purchase_yen: int, store_id: str | None) -> None:
        member = next(m for m in self.members if m.customer_id == who)
        program = self._program()
        rate = self.rates.get(store_id or "")
        wanted = points_for(
            purchase_yen,
            earn_terms(program, rate, self.campaigns, self.rank_pct[who], store_id, self.now),
        )
        before = self._balance(who)
        txn_id = self._txn()
        earned = self._run(
            lambda c: operations.earn(
                c, member, purchase_yen, store_id, txn_id, (), ACTOR, self.now, ZONE, self.rng
            )
        )
        assert earned.purchase.points == wanted
        assert earned.expires_at == lot_expiry(program, self.now, ZONE)
        assert self._balance(who) == before + wanted
        event(f"earn {'nothing' if wanted == 0 else 'points'}")
        self.bought.append(Bought(txn_id, who, wanted, earned.purchase.entry_id))
        # The same transaction id again, as a POS that lost the answer might send it, is refused
        # by earn itself (replay_or_run answers it before earn is reached).
        assert isinstance(
            self._refused(
                lambda c: operations.earn(
                    c, member, purchase_yen, store_id, txn_id, (), ACTOR, self.now, ZONE, self.rng
                )
            ),
            PointsTxnConflict,
        )

    @rule(
        who=st.sampled_from(CUSTOMERS),
        extra=st.integers(-300, 30),
        store_id=st.sampled_from(STORES),
    )
    def use(self, who: str, extra: int, store_id: str | None) -> None:
        """Use the whole balance plus `extra` (clamped to at least 1): often all, often more."""
        member = next(m for m in self.members if m.customer_id == who)
        balance = self._balance(who)
        points = max(1, balance + extra)
        before = self._lots(who)
        work = lambda c: operations.use(c, member, points, store_id, ACTOR, self.now, self.rng)  # noqa: E731
        if points < self._program().min_use_points:
            assert isinstance(self._refused(work), BelowMinimumUse)
            return
        if points > balance:
            refused = self._refused(work)
            assert isinstance(refused, InsufficientPoints)
            assert refused.details["balance"] == balance
            event("use refused: too few points")
            return
        used = self._run(work)
        assert used.points == points
        assert used.value_yen == points * self._program().point_value_yen
        taken = self._moves(used.entry_id)
        assert sum(taken.values()) == -points
        assert taken == {m.lot_id: m.points for m in used.moves}
        self._check_soonest_first(before, taken)
        assert self._balance(who) == balance - points
        event("use")
        self.spent.append(Spent(used.entry_id, who, store_id, points))

    @rule(data=st.data())
    def return_purchase(self, data: st.DataObject) -> None:
        if not self.bought:
            return
        bought = data.draw(st.sampled_from(self.bought))

        def work(c: sqlite3.Connection) -> return_operations.Returned:
            return return_operations.return_purchase(c, bought.txn_id, ACTOR, self.now, self.rng)

        if bought.is_returned:
            assert isinstance(self._refused(work), PurchaseReturned)
            return
        who = bought.customer_id
        balance = self._balance(who)
        own = [lot for lot in self._lots(who).values() if lot.entry_id == bought.entry_id]
        # Points of the purchase whose lot is past its expiry (swept or not) lapsed already: the
        # member lost them, so a return cannot take them again from the member's other lots.
        lapsed = sum(
            lot.remaining + self._swept(lot.lot_id)
            for lot in own
            if lot.expires_at is not None and lot.expires_at <= self.now
        )
        before = self._lots(who)
        returned = self._run(work)
        assert returned.taken_back >= 0 and returned.shortfall >= 0
        assert returned.taken_back + returned.shortfall == bought.points - lapsed
        if returned.entry_id is not None:
            # The purchase's own lot first, then the others soonest expiry first.
            taken = self._moves(returned.entry_id)
            own_ids = {lot.lot_id for lot in own}
            others = {k: v for k, v in taken.items() if k not in own_ids}
            if others:
                assert all(
                    -taken.get(i, 0) == before[i].remaining
                    for i in own_ids
                    if self._is_live(before[i])
                )
            self._check_soonest_first({k: v for k, v in before.items() if k not in own_ids}, others)
        after = self._balance(who)
        assert after == balance - returned.taken_back >= 0
        if returned.shortfall:
            assert after == 0, "a shortfall only when nothing is left to take"
            row = self.conn.execute(
                "SELECT points FROM point_shortfalls WHERE txn_id = ?", (bought.txn_id,)
            ).fetchone()
            assert row is not None and row["points"] == returned.shortfall
            self.open_shortfall[who] = self.open_shortfall.get(who, 0) + returned.shortfall
            event("return with a shortfall")
        if lapsed:
            event("return of a purchase whose points lapsed")
        bought.is_returned = True

    def _swept(self, lot_id: str) -> int:
        row = self.conn.execute(
            "SELECT coalesce(-sum(m.points), 0) AS swept FROM point_lot_moves m"
            " JOIN point_entries e ON e.entry_id = m.entry_id"
            " WHERE m.lot_id = ? AND e.kind = 'expire'",
            (lot_id,),
        ).fetchone()
        return int(row["swept"])

    @rule(data=st.data())
    def return_use(self, data: st.DataObject) -> None:
        if not self.spent:
            return
        spent = data.draw(st.sampled_from(self.spent))
        who = spent.customer_id

        def work(c: sqlite3.Connection) -> return_operations.UseReturned:
            return return_operations.return_use(
                c, spent.entry_id, who, spent.store_id, ACTOR, self.now, self.rng
            )

        other = next(c for c in CUSTOMERS if c != who)
        assert isinstance(
            self._refused(
                lambda c: return_operations.return_use(
                    c, spent.entry_id, other, spent.store_id, ACTOR, self.now, self.rng
                )
            ),
            PurchaseNotFound,
        ), "another member's use is not this member's to take back"
        if spent.is_returned:
            assert isinstance(self._refused(work), UseAlreadyReturned)
            event("use returned twice: refused")
            return
        balance = self._balance(who)
        before = self._lots(who)
        back = self._run(work)
        assert back.given_back + back.lapsed == spent.points
        # Points given back settle the member's open shortfalls first (give_back.py).
        assert back.settled == min(back.given_back, self.open_shortfall.get(who, 0))
        self.open_shortfall[who] = self.open_shortfall.get(who, 0) - back.settled
        assert self._balance(who) == balance + back.given_back - back.settled
        if back.settled:
            event("use returned: a shortfall settled")
        for lot_id, points in self._moves(back.entry_id).items():
            lot = before[lot_id]
            assert points > 0 and lot.remaining + points <= lot.points
            assert self._is_live(replace_remaining(lot, lot.remaining + points))
        if back.lapsed:
            event("use returned after its lots expired")
        spent.is_returned = True

    @rule(who=st.sampled_from(CUSTOMERS), points=st.integers(-600, 600).filter(bool))
    def adjust(self, who: str, points: int) -> None:
        member = next(m for m in self.members if m.customer_id == who)
        balance = self._balance(who)
        before = self._lots(who)

        def work(c: sqlite3.Connection) -> str:
            return operations.adjust(
                c, member, points, "お詫び", "hq:suzuki", self.now, ZONE, self.rng
            )

        if -points > balance:
            assert isinstance(self._refused(work), InsufficientPoints)
            return
        entry_id = self._run(work)
        assert self._balance(who) == balance + points
        if points < 0:
            self._check_soonest_first(before, self._moves(entry_id))
        row = self.conn.execute(
            "SELECT actor, reason FROM point_entries WHERE entry_id = ?", (entry_id,)
        ).fetchone()
        assert (row["actor"], row["reason"]) == ("hq:suzuki", "お詫び")

    @rule()
    def sweep(self) -> None:
        balances = {c: self._balance(c) for c in CUSTOMERS}
        due = sum(
            lot.remaining
            for lot in self._lots().values()
            if lot.expires_at is not None and lot.expires_at <= self.now
        )
        moved = 0
        while True:
            batch = self._run(lambda c: operations.expire_due(c, self.now, self.rng))
            if batch == 0:
                break
            moved += batch
        assert moved == due
        assert {c: self._balance(c) for c in CUSTOMERS} == balances, "a sweep changes no balance"
        assert not any(
            lot.remaining and lot.expires_at is not None and lot.expires_at <= self.now
            for lot in self._lots().values()
        )
        if moved:
            event("sweep moved points to breakage")

    @rule(hours=st.integers(1, 24 * 45))
    def time_passes(self, hours: int) -> None:
        self.now += timedelta(hours=hours)

    @rule(data=st.data(), offset=st.sampled_from([-1, 0, 1]))
    def time_reaches_an_expiry(self, data: st.DataObject, offset: int) -> None:
        """To a second before, at, or a second after some lot's expiry: the boundary."""
        ahead = sorted(
            {
                lot.expires_at
                for lot in self._lots().values()
                if lot.expires_at is not None and lot.expires_at > self.now
            }
        )
        if not ahead:
            return
        target = data.draw(st.sampled_from(ahead)) + timedelta(seconds=offset)
        self.now = max(self.now, target)

    @rule(
        starts_in_hours=st.sampled_from([0, 1, 72]),
        earn_points=st.integers(1, 5),
        rounding=st.sampled_from(list(Rounding)),
        expiry=st.sampled_from(list(ExpiryKind)),
        days=st.integers(1, 60),
        min_use=st.integers(1, 3),
    )
    def set_program(
        self,
        starts_in_hours: int,
        earn_points: int,
        rounding: Rounding,
        expiry: ExpiryKind,
        days: int,
        min_use: int,
    ) -> None:
        starts = from_epoch(to_epoch(self.now + timedelta(hours=starts_in_hours)))
        if any(p.effective_from == starts for p in self.programs):
            return
        self.serial += 1
        program = Program(
            f"pv_{self.serial}",
            starts,
            earn_points,
            100,
            rounding,
            expiry,
            days if expiry is ExpiryKind.DAYS else None,
            1,
            min_use,
            self.now,
            "hq",
        )
        lots = self._lots()
        self._run(lambda c: tables.insert_program(c, program))
        self.programs.append(program)
        assert self._lots() == lots, "a new program never rewrites what was earned"
        assert operations.program_at(self.conn, self.now) == self._program()

    # -- invariants ------------------------------------------------------------------------------

    @invariant()
    def books_hold(self) -> None:
        if not hasattr(self, "conn"):
            return
        assert read_now(books.problems(ConnectionReader(self.conn))) == []
        for customer_id in CUSTOMERS:
            lots = self._lots(customer_id).values()
            assert all(0 <= lot.remaining <= lot.points for lot in lots)
            live = sum(lot.remaining for lot in lots if self._is_live(lot))
            assert self._balance(customer_id) == live


def replace_remaining(lot: LotNow, remaining: int) -> LotNow:
    return LotNow(lot.lot_id, lot.entry_id, lot.expires_at, lot.points, remaining, lot.is_swept)


TestPointsMachine = pytest.mark.node(PointsMachine.TestCase)
TestPointsMachine.settings = settings(max_examples=300, stateful_step_count=40, deadline=None)


# -- beside the machine ------------------------------------------------------------------------


def test_a_thousand_replays_of_one_pos_request_credit_once() -> None:
    directory, conn = open_points_books()
    try:
        rng = SeededRandomness(3)
        member = add_members(conn, rng)[0]
        request: dict[str, Any] = {"member_no": member.member_no, "purchase_yen": 5_000}

        def earn_once(body: dict[str, Any]) -> Callable[[sqlite3.Connection], dict[str, Any]]:
            def work(c: sqlite3.Connection) -> dict[str, Any]:
                def earn_now() -> tuple[dict[str, Any], str | None, str | None]:
                    earned = operations.earn(
                        c,
                        member,
                        body["purchase_yen"],
                        None,
                        "pos-1",
                        (),
                        "pos:till",
                        START,
                        ZONE,
                        rng,
                    )
                    answer = {"points": earned.purchase.points}
                    return answer, earned.purchase.entry_id, member.customer_id

                return operations.replay_or_run(
                    c, "pos-1", "earn", body, "pos:till", START, earn_now
                )

            return work

        answers = [run(conn, earn_once(request)) for _ in range(1_000)]
        assert answers[0] == {"points": 50, "replayed": False}
        assert all(a == {"points": 50, "replayed": True} for a in answers[1:])
        assert (
            read_now(queries.balance(ConnectionReader(conn), member.customer_id, START)).points
            == 50
        )
        entries = conn.execute("SELECT count(*) AS n FROM point_entries").fetchone()["n"]
        assert entries == 1
        with pytest.raises(PointsTxnConflict):
            run(conn, earn_once({**request, "purchase_yen": 5_001}))
        with pytest.raises(PointsTxnConflict):
            run(
                conn,
                lambda c: operations.replay_or_run(
                    c, "pos-1", "use", request, "pos:till", START, lambda: ({}, None, None)
                ),
            )
        # Another integration that happens to number its sales alike is refused, not answered
        # with this one's answer (its own purchase would earn nothing).
        with pytest.raises(PointsTxnConflict):
            run(
                conn,
                lambda c: operations.replay_or_run(
                    c, "pos-1", "earn", request, "ec:shop", START, lambda: ({}, None, None)
                ),
            )
        assert (
            read_now(queries.balance(ConnectionReader(conn), member.customer_id, START)).points
            == 50
        )
        assert read_now(books.problems(ConnectionReader(conn))) == []
    finally:
        conn.close()
        shutil.rmtree(directory, ignore_errors=True)


def test_the_database_refuses_a_lot_below_zero_or_above_its_points() -> None:
    directory, conn = open_points_books()
    try:
        rng = SeededRandomness(4)
        member = add_members(conn, rng)[0]
        run(
            conn,
            lambda c: operations.earn(c, member, 1_000, None, "pos-1", (), ACTOR, START, ZONE, rng),
        )
        for remaining in (-1, 11):
            with pytest.raises(sqlite3.IntegrityError):
                conn.execute("UPDATE point_lots SET remaining = ?", (remaining,))
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute("UPDATE point_lots SET remaining = 0.5")
        assert (
            read_now(queries.balance(ConnectionReader(conn), member.customer_id, START)).points
            == 10
        )
        assert read_now(books.problems(ConnectionReader(conn))) == []
    finally:
        conn.close()
        shutil.rmtree(directory, ignore_errors=True)


def test_the_books_check_names_what_is_wrong() -> None:
    """books.problems finds each kind of damage (made here past the schema's guards)."""
    directory, conn = open_points_books()
    try:
        rng = SeededRandomness(5)
        member = add_members(conn, rng)[0]
        run(
            conn,
            lambda c: operations.earn(c, member, 1_000, None, "pos-1", (), ACTOR, START, ZONE, rng),
        )
        assert read_now(books.problems(ConnectionReader(conn))) == []
        conn.execute("PRAGMA ignore_check_constraints = ON")
        conn.execute("DROP TRIGGER point_postings_no_update")
        conn.execute("UPDATE point_lots SET remaining = -3")
        conn.execute("UPDATE point_postings SET points = points + 1 WHERE line = 0")
        found = read_now(books.problems(ConnectionReader(conn)))
        assert any("unbalanced" in p for p in found)
        assert any("sums to 1" in p for p in found)
        assert any(f"member {member.customer_id}" in p for p in found)
        assert any("below zero" in p for p in found)
        assert any("moves" in p for p in found)
    finally:
        conn.close()
        shutil.rmtree(directory, ignore_errors=True)


def test_bad_input_to_the_writer_units_is_refused_with_its_code_and_changes_nothing() -> None:
    directory, conn = open_points_books()
    try:
        rng = SeededRandomness(6)
        member = add_members(conn, rng)[0]
        run(
            conn,
            lambda c: operations.earn(c, member, 900, None, "pos-1", (), ACTOR, START, ZONE, rng),
        )
        refusals: list[tuple[Callable[[sqlite3.Connection], object], str]] = [
            (
                lambda c: operations.earn(
                    c, member, 900, "st_nowhere", "pos-2", (), ACTOR, START, ZONE, rng
                ),
                "store.not_found",
            ),
            (
                lambda c: operations.use(c, member, 1, "st_nowhere", ACTOR, START, rng),
                "store.not_found",
            ),
            (
                lambda c: operations.adjust(c, member, 0, "間違い", "hq", START, ZONE, rng),
                "points.invalid",
            ),
            (
                lambda c: operations.use(c, member, 0, None, ACTOR, START, rng),
                "points.below_minimum",
            ),
            (
                lambda c: operations.use(c, member, -5, None, ACTOR, START, rng),
                "points.below_minimum",
            ),
            (
                lambda c: return_operations.return_purchase(c, "pos-404", ACTOR, START, rng),
                "points.purchase_not_found",
            ),
        ]
        for work, code in refusals:
            with pytest.raises(KippuError) as refused:
                run(conn, work)
            assert refused.value.code == code
        assert (
            read_now(queries.balance(ConnectionReader(conn), member.customer_id, START)).points == 9
        )
        assert conn.execute("SELECT count(*) AS n FROM point_entries").fetchone()["n"] == 1
        assert read_now(books.problems(ConnectionReader(conn))) == []
    finally:
        conn.close()
        shutil.rmtree(directory, ignore_errors=True)
