"""A ledger on a real SQLite file driven by the ledger's own writer operations at chosen moments,
and the 基準日 report read from it through node/compliance/report_queries.py (tests only)."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo

from node import db
from node.app import prepare_database
from node.compliance import report_queries
from node.compliance.model import Acceptance
from node.compliance.reference_date import ReferenceDateReport, build_report, reference_period
from node.ledger import core, operations, tables
from node.ledger.model import LedgerPolicy, PaymentMethod, Store, Voucher
from node.ledger.numbers import voucher_number_from
from node.ledger.qr import make_manual_code, parse_code
from node.reads import open_read_only
from node.settlement import core as settlement_core

ZONE = ZoneInfo("Asia/Tokyo")
POLICY = LedgerPolicy(max_voucher_yen=10_000_000, void_same_day_only=True)
SETTINGS = operations.LedgerSettings("self", POLICY, ZONE, step_seconds=30)
SECRET = b"k" * 32
STORE = "st_honten"
CUSTOMER = "cu_hanako"
PARTNER = "P" * 52
NO_PARTNERS = Acceptance(frozenset(), frozenset())
T = TypeVar("T")


def tokyo(text: str) -> datetime:
    """`2026-05-10 10:00` in the node's zone."""
    return datetime.fromisoformat(text).replace(tzinfo=ZONE)


class Books:
    """One node's books; every call is one writer transaction at the moment it is given."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / "node.db"
        prepare_database(self.path)
        self.conn = db.connect(self.path)
        self.serial = 0
        start = tokyo("2026-01-01 09:00")
        self.run(operations.add_store(Store(STORE, "本店", start)))
        self.run(operations.add_customer(CUSTOMER, "花子", "hanako@example.jp", start))

    def close(self) -> None:
        self.conn.close()

    def next_id(self, prefix: str) -> str:
        self.serial += 1
        return f"{prefix}{self.serial:012d}"

    def number(self) -> str:
        self.serial += 1
        return voucher_number_from(self.serial.to_bytes(8, "big"))

    def run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            result = work(self.conn)
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")
        return result

    def issue(
        self, face: int, at: datetime, price: int | None = None, valid_days: int | None = None
    ) -> str:
        request = core.IssueRequest(
            self.number(),
            SECRET,
            face,
            face if price is None else price,
            CUSTOMER,
            STORE,
            valid_days,
            self.next_id("tx_"),
        )
        return self.run(operations.issue(request, SETTINGS, at, self.number)).voucher_id

    def sell_at_counter(self, face: int, at: datetime) -> str:
        """A counter sale (no holder yet: it can be cancelled the same day)."""
        request = core.IssueRequest(
            self.number(), SECRET, face, face, None, STORE, None, self.next_id("tx_")
        )
        work = operations.sell_at_counter(
            request, PaymentMethod.CASH, "staff:yamada", SETTINGS, at, self.number
        )
        return self.run(work).voucher.voucher_id

    def cancel_sale(self, voucher_id: str, at: datetime) -> None:
        work = operations.cancel_sale(
            voucher_id, None, "staff:yamada", SETTINGS, at, self.next_id("tx_")
        )
        self.run(work)

    def return_gift(self, gift_id: str, at: datetime) -> None:
        self.run(operations.return_gift(gift_id, at, self.next_id("tx_")))

    def redeem(self, voucher_id: str, amount: int, at: datetime) -> str:
        code = parse_code(make_manual_code(voucher_id, SECRET, at, SETTINGS.step_seconds))
        redemption_id = self.next_id("rd_")
        work = operations.redeem(
            code, amount, STORE, SETTINGS, at, redemption_id, self.next_id("tx_")
        )
        self.run(work)
        return redemption_id

    def void(self, redemption_id: str, at: datetime) -> None:
        self.run(operations.void_redemption(redemption_id, SETTINGS, at, self.next_id("tx_")))

    def gift(self, voucher_id: str, amount: int, at: datetime) -> str:
        request = core.GiftRequest(None, amount, self.number(), SECRET, self.next_id("tx_"))
        _, made = self.run(operations.gift(voucher_id, request, SETTINGS, at, self.number))
        return made.voucher_id

    def partner_claim(self, voucher_id: str, amount: int, at: datetime) -> None:
        """A partner's store took `amount` of our voucher: the issuer's side of an accepted claim."""

        def work(conn: sqlite3.Connection) -> None:
            voucher = tables.load_voucher(conn, voucher_id)
            assert voucher is not None
            txn_id = self.next_id("tx_")
            outcome = settlement_core.accept_claim(voucher, PARTNER, amount, at, at, txn_id)
            tables.save_outcome(conn, outcome)

        self.run(work)

    def sweep(self, at: datetime) -> int:
        """The expiry sweeper's pass at `at`: what it moved to breakage."""
        return self.run(operations.expire_due(SETTINGS, at)).breakage_yen

    def voucher(self, voucher_id: str) -> Voucher:
        found = tables.load_voucher(self.conn, voucher_id)
        assert found is not None
        return found

    def balances(self) -> dict[str, int]:
        """Every voucher's balance now, from the vouchers table (the replay's oracle, not the
        report's source)."""
        rows = self.conn.execute("SELECT voucher_id, balance_yen FROM vouchers").fetchall()
        return {r["voucher_id"]: int(r["balance_yen"]) for r in rows}

    def report(
        self, day: str, acceptance: Acceptance = NO_PARTNERS, now: datetime | None = None
    ) -> ReferenceDateReport:
        return asyncio.run(self._report(day, acceptance, now))

    async def _report(
        self, day: str, acceptance: Acceptance, now: datetime | None
    ) -> ReferenceDateReport:
        period = reference_period(datetime.fromisoformat(day).date(), ZONE)
        reader = await open_read_only(self.path)
        try:
            terms = await report_queries.voucher_terms(reader, period)
            flows = await report_queries.voucher_flows(reader, period)
        finally:
            await reader.close()
        moment = now or period.ends_at
        return build_report("テスト商店株式会社", period, terms, flows, acceptance, ZONE, moment)
