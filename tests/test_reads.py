"""Reads: a slow report never stalls the counter, and no page's query scans a growing table.

Two real partnered nodes on 127.0.0.1 (so the books hold partner claims too). Every statement the
node's read pools run while people use the pages is captured with SQLite's trace callback, then
each one's EXPLAIN QUERY PLAN is checked: every table that grows with business is searched
through an index, never scanned whole, and no subquery is re-run for every row of one.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack, asynccontextmanager

import pytest

from node.ledger import export_queries as ledger_export_queries
from node.ledger import report_queries as reports
from node.points import actions as points_actions
from node.reads import ReadPool
from node.runtime import NODE, Node
from node.web.admin import export_queries
from tests.conftest import NodeFactory, RunningNode, ok
from tests.settlement_helpers import partner, redeem, store_of, voucher_of
from tests.web_helpers import (
    ADMIN_PASSWORD,
    NewPerson,
    Person,
    browsers,
    counter,
    customer_signs_in,
    customer_with_voucher,
    redeem_at_counter,
    redeem_by_api,
)

# Tables whose rows grow with every sale, redemption, message or sign-in.
GROWING = {
    "journal",
    "postings",
    "vouchers",
    "customers",
    "redemptions",
    "redemption_voids",
    "used_codes",
    "claims",
    "inbox",
    "outbox",
    "deliveries",
    "audit_log",
    "web_accounts",
    "web_sessions",
    "web_login_links",
    "web_handovers",
    # points (issue 17): members and every change to their points
    "members",
    "member_codes_used",
    "point_entries",
    "point_postings",
    "point_lots",
    "point_lot_moves",
    "point_requests",
    "point_purchases",
    "point_purchase_lines",
    "point_shortfalls",
    "rank_changes",
}
# Statements that read a whole table by nature, each with its reason.
WHOLE_BY_NATURE = {
    # searching customers by any part of a name or email (LIKE '%text%'), capped by its LIMIT
    "lower(name) LIKE",
    # ... the same for the console's customer search (the points members page searches by name
    # or email with it: a member or card number is looked up by its unique index instead)
    "WHERE c.name LIKE",
    # the liability: a total over every voucher (one row each, fewer than their postings)
    "SELECT coalesce(sum(balance_yen), 0) AS owed FROM vouchers",
    # the 基準日 report: 基準日未使用残高 is the sum of every voucher posting up to that day, by
    # law recomputed from the journal (the console's home recomputes its warnings only once the
    # journal has grown, the day changed or 10 minutes passed)
    "SELECT substr(p.account, 9) AS voucher_id, j.kind AS kind",
    # ... and every voucher's class then: its issue, expiry as it stood (an extension after the
    # day looked up by voucher) and gift lineage, one row per voucher
    "SELECT v.voucher_id, v.created_at, v.expires_at, v.gifted_from",
}

# Partial indexes that hold only the rows still pending, not the history: a scan of one stays as
# small as the backlog (the outbox's due peers, run by its background loop whenever it wakes).
PENDING_ONLY_INDEXES = {"deliveries_pending"}  # deliveries WHERE delivered_at IS NULL (0004)


def pending_only(detail: str) -> bool:
    return any(detail.endswith(f"USING INDEX {name}") for name in PENDING_ONLY_INDEXES)


def node_of(running: RunningNode) -> Node:
    assert running.runner is not None
    return running.runner.app[NODE]


@asynccontextmanager
async def traced(*pools: ReadPool) -> AsyncIterator[list[str]]:
    """Every statement the pools run inside the block, with its parameters filled in."""
    seen: list[str] = []
    for pool in pools:
        await pool.set_trace_callback(seen.append)
    try:
        yield seen
    finally:
        for pool in pools:
            await pool.set_trace_callback(None)


TABLE_NAME = re.compile(r"\b(?:FROM|JOIN)\s+([a-z_]+)(?:\s+(?:AS\s+)?([a-z_]+))?", re.I)
NOT_ALIASES = {"where", "on", "using", "join", "left", "inner", "cross", "order", "group", "limit"}


def table_names(sql: str) -> dict[str, str]:
    """Alias (or name) -> table, as EXPLAIN QUERY PLAN names them."""
    names = {}
    for table, alias in TABLE_NAME.findall(sql):
        names[table] = table
        if alias and alias.lower() not in NOT_ALIASES:
            names[alias] = table
    return names


def problems(conn: sqlite3.Connection, sql: str) -> list[str]:
    """What in this statement's plan grows with the books: a scan of a growing table, or a
    subquery run once for every row of a growing table."""
    names = table_names(sql)
    steps = [(int(r[1]), str(r[3])) for r in conn.execute("EXPLAIN QUERY PLAN " + sql)]
    # A partial index holds only the rows its WHERE admits (the undelivered backlog, say), so a
    # scan of one grows with that backlog, not with the books.
    partial = {
        str(name)
        for name, index_sql in conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type='index'"
        )
        if index_sql is not None and " WHERE " in str(index_sql).upper()
    }

    def growing(detail: str) -> bool:
        words = detail.split()
        if words[2:4] == ["USING", "INDEX"] and words[4] in partial:
            return False
        return words[0] in ("SCAN", "SEARCH") and names.get(words[1], words[1]) in GROWING

    def bounded(detail: str) -> bool:  # in index order, stopping at the LIMIT: never the whole
        return (
            "USING" in detail
            and " LIMIT " in sql
            and not any(d.startswith("USE TEMP B-TREE FOR ORDER BY") for _, d in steps)
        )

    def many_rows(detail: str) -> bool:  # a scan, or a range of a growing table
        return growing(detail) and (detail.startswith("SCAN") or "<" in detail or ">" in detail)

    if any(whole in sql for whole in WHOLE_BY_NATURE):
        return []
    found = [
        d
        for _, d in steps
        if d.startswith("SCAN") and growing(d) and not bounded(d) and not pending_only(d)
    ]
    if any(parent == 0 and many_rows(d) for parent, d in steps):
        found += [d for _, d in steps if "CORRELATED" in d]
    return found


async def shop(nodes: NodeFactory) -> tuple[RunningNode, RunningNode, str]:
    """Node A issues, node B redeems its own vouchers and A's; B's store id."""
    a, b = await nodes.start("Izakaya A"), await nodes.start("Trattoria B")
    await partner(a, b)
    shibuya = await store_of(b, "渋谷店")
    await ok(b, "PUT", "admin/password", {"password": ADMIN_PASSWORD})
    for amount in (300, 500):
        theirs = await voucher_of(a, 5_000)
        status, answer = await redeem(b, a, theirs, amount, shibuya)
        assert status == 201, answer
        ours = await voucher_of(b, 5_000)
        await redeem_by_api(b, ours, shibuya, amount)
    return a, b, shibuya


async def signed_in(new: NewPerson, path: str, login: str, password: str) -> Person:
    person = new()
    assert (await person.sign_in(path, login, password)).status == 303
    return person


async def test_no_page_read_scans_a_growing_table(
    nodes: NodeFactory, caplog: pytest.LogCaptureFixture
) -> None:
    a, b, shibuya = await shop(nodes)
    node = node_of(b)
    async with AsyncExitStack() as stack:
        new = await stack.enter_async_context(browsers(b))
        admin = await signed_in(new, "/admin/login", "admin", ADMIN_PASSWORD)
        staff = await counter(b, new, "yamada", [shibuya])
        voucher = await customer_with_voucher(b, "hanako@example.jp")
        customer = await customer_signs_in(new(), "hanako@example.jp", caplog)
        customers = (await ok(b, "GET", "customers"))["customers"]
        customer_id = next(c["customer_id"] for c in customers if c["email"] == "hanako@example.jp")
        statements = await stack.enter_async_context(
            traced(node.require_reader(), node.require_report_reader())
        )
        redemption = await redeem_at_counter(b, staff, voucher)
        member = await points_actions.member_of(node, customer_id)
        pos = points_actions.Caller("key:ak_reads")
        await points_actions.earn(node, member.member_no, 12_000, "pos-r1", pos, shibuya)
        await points_actions.return_txn(node, "pos-r1", pos)
        pages = [
            (admin, "/admin"),
            (
                admin,
                f"/admin/exports/redemptions.csv?store={shibuya}&from=2026-11-01&to=2026-11-30",
            ),
            (admin, "/admin/exports/redemptions.csv?store=&from=2026-11-01&to=2026-11-30"),
            (admin, "/admin/vouchers"),
            (admin, f"/admin/vouchers?store={shibuya}"),
            (admin, f"/admin/vouchers/{voucher}"),
            (admin, f"/admin/customers/{customer_id}"),
            (admin, f"/admin/settlement?reconciled={a.node_id}"),
            (admin, "/admin/points"),
            (admin, "/admin/points/members?q=hanako"),
            (admin, f"/admin/points/members/{member.member_no}"),
            (admin, "/admin/points/shortfalls"),
            (staff, "/staff"),
            (staff, "/staff/today"),
            (customer, "/wallet"),
            (customer, f"/wallet/v/{voucher}"),
            (customer, f"/wallet/receipts/{redemption}.pdf"),
        ]
        for person, path in pages:
            page = await person.get(path)
            assert page.status == 200, (path, page.status, page.text[:300])
    assert len(statements) > 20
    conn = sqlite3.connect(f"file:{b.home.database_path}?mode=ro", uri=True)
    try:
        found = {sql: problems(conn, sql) for sql in dict.fromkeys(statements)}
    finally:
        conn.close()
    bad = {sql: steps for sql, steps in found.items() if steps}
    assert bad == {}


# -- a report holding its connections does not stall the counter -------------------------------


class Stuck:
    """A SQL function `stuck()` that returns only once the test releases it (a report reading
    for as long as the test likes, without a sleep)."""

    def __init__(self) -> None:
        self.entered = threading.Semaphore(0)
        self.release = threading.Event()

    def __call__(self) -> int:
        self.entered.release()
        self.release.wait()
        return 1


@asynccontextmanager
async def held(pool: ReadPool, stuck: Stuck) -> AsyncIterator[None]:
    """One of `pool`'s connections inside an open read transaction, its thread busy until
    `stuck.release` is set."""
    async with pool.connection() as conn:
        await conn.create_function("stuck", 0, stuck)
        await conn.execute("BEGIN")
        await conn.execute_fetchall("SELECT count(*) FROM journal")  # the snapshot is taken
        task = asyncio.create_task(conn.execute_fetchall("SELECT stuck()"))
        await asyncio.to_thread(stuck.entered.acquire)
        try:
            yield
        finally:
            stuck.release.set()
            await task
            await conn.execute("COMMIT")


@pytest.fixture
def stuck() -> Iterator[Stuck]:
    stuck = Stuck()
    try:
        yield stuck
    finally:
        stuck.release.set()  # never leave a thread waiting when a test fails


async def test_reports_holding_every_report_connection_leave_the_counter_free(
    nodes: NodeFactory, stuck: Stuck
) -> None:
    b = await nodes.start("Trattoria B")
    node = node_of(b)
    shibuya = await store_of(b, "渋谷店")
    await ok(b, "PUT", "admin/password", {"password": ADMIN_PASSWORD})
    async with AsyncExitStack() as stack:
        new = await stack.enter_async_context(browsers(b))
        admin = await signed_in(new, "/admin/login", "admin", ADMIN_PASSWORD)
        staff = await counter(b, new, "yamada", [shibuya])
        voucher = await voucher_of(b, 5_000)
        reports = node.require_report_reader()
        holds = await stack.enter_async_context(AsyncExitStack())
        for _ in range(reports.size):  # two long reports, each in its own read transaction
            await holds.enter_async_context(held(reports, stuck))
        dashboard = asyncio.create_task(admin.get("/admin"))
        # A slow read on the counter's own pool too: it takes one connection, not all of them.
        await holds.enter_async_context(held(node.require_reader(), stuck))

        await redeem_at_counter(b, staff, voucher)
        assert (await staff.get("/staff/today")).status == 200
        assert (await ok(b, "GET", f"vouchers/{voucher}"))["balance"] == 4_500

        assert not dashboard.done()  # reports wait for a report connection, not the counter
        await holds.aclose()
        assert (await dashboard).status == 200


# -- the CSV's balances: one ordered pass per voucher, right across chunks --------------------


async def test_csv_balances_are_right_across_chunks_and_for_uses_made_meanwhile(
    nodes: NodeFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ledger_export_queries, "CHUNK_ROWS", 2)
    b = await nodes.start("Trattoria B")
    shibuya, other = await store_of(b, "渋谷店"), await store_of(b, "新宿店")
    one, two = await voucher_of(b, 10_000), await voucher_of(b, 3_000)

    async def use(voucher: str, store: str, amount: int) -> str:
        b.clock.advance(seconds=1)  # one a second: the CSV's order is the order of use
        return await redeem_by_api(b, voucher, store, amount)

    used = [
        await use(one, shibuya, 1_000),  # 9,000 left
        await use(one, other, 500),  # 8,500: another store, not in this CSV
        await use(two, shibuya, 1_000),  # 2,000
        await use(one, shibuya, 2_000),  # 6,500
    ]
    await ok(b, "POST", f"redemptions/{used[3]}/void", {})  # back to 8,500; the row keeps 6,500
    used.append(await use(one, shibuya, 500))  # 8,000
    start, end = int(b.clock.now().timestamp()) - 3600, int(b.clock.now().timestamp()) + 3600
    rows = export_queries.store_redemptions(node_of(b).require_report_reader(), shibuya, start, end)
    seen = [await anext(rows), await anext(rows)]  # the first chunk: the vouchers' pass is read
    used.append(await use(one, shibuya, 3_000))  # 5,000: after that pass
    seen += [row async for row in rows]
    assert [(r.reference, r.balance_after_yen, r.is_voided) for r in seen] == [
        (used[0], 9_000, False),
        (used[2], 2_000, False),
        (used[3], 6_500, True),
        (used[4], 8_000, False),
        (used[5], 5_000, False),
    ]


# -- the dashboard's days, summed by SQLite -----------------------------------------------------


async def test_dashboard_days_sum_sales_and_redemptions_net_of_voids(nodes: NodeFactory) -> None:
    b = await nodes.start("Trattoria B")
    node = node_of(b)
    shibuya = await store_of(b, "渋谷店")
    first = await voucher_of(b, 10_000)  # day 1 (24 Nov, Tokyo): ¥10,000 sold
    await redeem_by_api(b, first, shibuya, 1_000)  # and ¥1,000 redeemed
    b.clock.advance(days=1)  # 25 Nov: ¥2,000 redeemed and voided, ¥300 redeemed
    voided = await redeem_by_api(b, first, shibuya, 2_000)
    await ok(b, "POST", f"redemptions/{voided}/void", {})
    await redeem_by_api(b, first, shibuya, 300)
    b.clock.advance(days=2)  # 27 Nov: ¥3,000 sold
    await voucher_of(b, 3_000)
    days = await reports.by_day(node.require_report_reader(), b.clock.now(), node.config.zone)
    assert len(days) == reports.DAYS_SHOWN
    assert [(d.day, d.sales_yen, d.redeemed_yen) for d in days[-4:]] == [
        ("2026-11-24", 10_000, 1_000),
        ("2026-11-25", 0, 300),
        ("2026-11-26", 0, 0),
        ("2026-11-27", 3_000, 0),
    ]
    assert {(d.sales_yen, d.redeemed_yen) for d in days[:-4]} == {(0, 0)}
    assert await reports.liability_yen(node.require_report_reader()) == 10_000 - 1_300 + 3_000
