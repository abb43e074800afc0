"""The running node's services, one object per node: what every request handler and background
task may use. Built and started by the composition root (node/app.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from aiohttp import web

from node.clock import Clock, Randomness, SystemClock, SystemRandomness
from node.config import Config
from node.connections import ConnectionGuard
from node.errors import KippuError
from node.identity import Identity
from node.ledger.model import LedgerPolicy
from node.ledger.operations import LedgerSettings
from node.metrics import NodeMetrics
from node.peering.context import Hooks, NodeContext
from node.peering.keybook import KeyBook
from node.peering.outbox import Outbox
from node.peering.sharer import StoreSharer
from node.reads import ReadPool
from node.writer import GroupCommitWriter


@dataclass
class Node:
    """Everything a request handler may use; one per running node."""

    config: Config
    identity: Identity
    database_path: Path
    admin_token: str
    clock: Clock = field(default_factory=SystemClock)
    rng: Randomness = field(default_factory=SystemRandomness)
    writer: GroupCommitWriter | None = None
    reader: ReadPool | None = None  # the counter's, the wallet's, the API's reads
    reports: ReadPool | None = None  # the console's long reads: never the counter's connections
    hooks: Hooks | None = None  # what the composition root plugs into peering (node/app.py)
    outbox: Outbox | None = None
    store_sharer: StoreSharer | None = None
    keybook: KeyBook | None = None
    advertise: bool = False
    connections: ConnectionGuard | None = None  # set by server.start (node/connections.py)
    metrics: NodeMetrics = field(default_factory=NodeMetrics)  # its own registry (node/metrics.py)
    key_path: Path | None = None
    rotation_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    # One batch per partner at a time is checked and queued, so batches reach the writer in order.
    inbound_locks: dict[str, asyncio.Lock] = field(default_factory=dict)

    @property
    def me(self) -> NodeContext:
        """How this node introduces itself to partners, with the hooks peering was given."""
        if self.hooks is None:
            raise KippuError("the node is not wired (node/app.py create_app)")
        return NodeContext(
            self.identity,
            self.config.node.name,
            self.config.node.public_url,
            self.settings,
            self.config.node.currency,
            self.hooks,
        )

    def require_keybook(self) -> KeyBook:
        if self.keybook is None:
            raise KippuError("the node is not started")
        return self.keybook

    def now_s(self) -> int:
        """The node's clock in whole epoch seconds, as messages and rows store time."""
        return int(self.clock.now().timestamp())

    def share_stores_soon(self) -> None:
        """Our store list changed, or a partnership became active: tell partners (sharer.py)."""
        if self.store_sharer is not None:
            self.store_sharer.wake()

    def require_outbox(self) -> Outbox:
        if self.outbox is None:
            raise KippuError("the node is not started")
        return self.outbox

    @cached_property
    def settings(self) -> LedgerSettings:
        return LedgerSettings(
            node_id=self.identity.node_id,
            policy=LedgerPolicy(
                max_voucher_yen=self.config.ledger.max_voucher_yen,
                void_same_day_only=self.config.ledger.void_same_day_only,
            ),
            zone=self.config.zone,
            step_seconds=self.config.ledger.qr_step_seconds,
            retry_window_s=self.config.ledger.retry_window_seconds,
        )

    def require_writer(self) -> GroupCommitWriter:
        if self.writer is None:
            raise KippuError("the node is not started")
        return self.writer

    def require_reader(self) -> ReadPool:
        if self.reader is None:
            raise KippuError("the node is not started")
        return self.reader

    def require_report_reader(self) -> ReadPool:
        """For the dashboard, exports and record pages: a long read here queues no counter."""
        if self.reports is None:
            raise KippuError("the node is not started")
        return self.reports


NODE = web.AppKey("node", Node)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
