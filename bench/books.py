"""Books of realistic size for benchmarks, written fast through the node's own writer and ledger.

Stores, vouchers and redemptions spread over past days in time order: each unit is the ledger's
own operation (the same rules, triggers and receipt numbers as a request), queued on the
GroupCommitWriter in waves, so thousands share one commit. No SQL of the ledger's tables here.
"""

from __future__ import annotations

import argparse
import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from node.clock import SystemRandomness, new_id, ordered_id
from node.home import NodeHome
from node.ledger import operations
from node.ledger.core import IssueRequest
from node.ledger.model import Store
from node.ledger.numbers import voucher_number_from
from node.ledger.qr import make_payload, parse_code
from node.migrations import MIGRATIONS
from node.server import load_node
from node.writer import GroupCommitWriter

WAVE = 2_000  # units queued on the writer at once


@dataclass
class Books:
    stores: list[str]
    vouchers: list[str]  # every voucher, the heavy ones first
    redemptions: int = 0
    build_s: float = 0.0


async def write_books(home: NodeHome, args: argparse.Namespace) -> Books:
    node = load_node(home)
    settings, rng, node_id = node.settings, SystemRandomness(), node.identity.node_id
    writer = GroupCommitWriter(home.database_path, MIGRATIONS, max_batch=512)
    await writer.start()
    started, now = time.perf_counter(), datetime.now(UTC)
    first = now - timedelta(days=args.days)
    try:
        stores = [
            (
                await writer.submit(
                    operations.add_store(Store(new_id(rng, "st"), f"店舗 {n}", first))
                )
            )
            for n in range(args.stores)
        ]
        uses = [1_000] * args.heavy + [10] * args.vouchers
        issued = []
        for count in uses:
            request = IssueRequest(
                voucher_id=voucher_number_from(rng.token_bytes(8)),
                secret=rng.token_bytes(32),
                face_yen=count * 100 + 10_000,  # room left for the timed redemptions
                price_yen=count * 100 + 10_000,
                holder_id=None,
                store_id=stores[len(issued) % len(stores)].store_id,
                valid_days=None,
                txn_id=ordered_id(first, rng, "tx"),
            )
            fresh = lambda: voucher_number_from(rng.token_bytes(8))  # noqa: E731
            issued.append(writer.enqueue(operations.issue(request, settings, first, fresh)))
        vouchers = [await f for f in issued]
        plan = [(v, s) for v, count in zip(vouchers, uses, strict=True) for s in range(count)]
        random.Random(7).shuffle(plan)
        step = (now - first) / (len(plan) + 1)
        books = Books([s.store_id for s in stores], [v.voucher_id for v in vouchers])
        for wave in range(0, len(plan), WAVE):
            pending = []
            for k, (voucher, _) in enumerate(plan[wave : wave + WAVE], start=wave):
                at = first + step * (k + 1)
                payload = make_payload(
                    node_id,
                    voucher.voucher_id,
                    voucher.secret,
                    at,
                    settings.step_seconds,
                    rng.token_bytes(16),
                )
                work = operations.redeem(
                    parse_code(payload),
                    100,
                    books.stores[k % len(stores)],
                    settings,
                    at,
                    ordered_id(at, rng, "rd"),
                    ordered_id(at, rng, "tx"),
                )
                pending.append(writer.enqueue(work))
            for future in pending:
                await future
                books.redemptions += 1
    finally:
        await writer.stop()
    books.build_s = time.perf_counter() - started
    return books
