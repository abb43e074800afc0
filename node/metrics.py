"""The node's Prometheus metrics, in a registry of its own (several nodes may share one process)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from node.connections import ConnectionGuard

LATENCY_BUCKETS_S = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096, 10_000)


class _ConnectionCollector(Collector):
    """The connection guard's counts, read when scraped."""

    def __init__(self) -> None:
        self.guard: ConnectionGuard | None = None

    def collect(self) -> Iterator[Metric]:
        guard = self.guard
        if guard is None:
            return
        yield GaugeMetricFamily(
            "kippu_connections_open", "Client connections open now.", guard.open_connections
        )
        for name, value, text in (
            (
                "refused",
                guard.refused,
                "refused at a cap: answered 503 (TLS: before its handshake)",
            ),
            ("evicted", guard.evicted, "closed while waiting, to make room under the total cap"),
            ("head_timeouts", guard.head_timeouts, "closed: the TLS handshake or head was late"),
        ):
            yield CounterMetricFamily(f"kippu_connections_{name}", f"Connections {text}.", value)


class NodeMetrics:
    """Every metric the node exposes at GET /metrics; label values are never raw paths or ids
    of customers, vouchers or codes (routes are their templates; peers are public node ids)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "kippu_http_requests",
            "HTTP requests answered, by route template, method and status.",
            ["route", "method", "status"],
            registry=self.registry,
        )
        self.relay_asks = Counter(
            "kippu_relay_asks",
            "Asks the rush relay passed on (node/relay/), by route (grant, ticket) and the status"
            " answered; what the relay answered itself (sold out, from its memo) is not here.",
            ["route", "status"],
            registry=self.registry,
        )
        self.redemption_seconds = Histogram(
            "kippu_redemption_seconds",
            "Time to answer a redemption request (api: POST /api/v1/redemptions, counter: the"
            " staff page), whatever the outcome.",
            ["channel"],
            buckets=LATENCY_BUCKETS_S,
            registry=self.registry,
        )
        self.batch_units = Histogram(
            "kippu_writer_batch_units",
            "Units of work committed together in one writer transaction.",
            buckets=BATCH_BUCKETS,
            registry=self.registry,
        )
        self.commit_seconds = Histogram(
            "kippu_writer_commit_seconds",
            "Time one writer batch took: BEGIN ... durable COMMIT in the writer's thread, then the"
            " wait for the event loop to answer its callers.",
            buckets=LATENCY_BUCKETS_S,
            registry=self.registry,
        )
        self.outbox_messages = Gauge(
            "kippu_outbox_backlog_messages",
            "Messages queued for a partner and not yet delivered.",
            ["peer"],
            registry=self.registry,
        )
        self.outbox_oldest = Gauge(
            "kippu_outbox_oldest_seconds",
            "How long the oldest undelivered message for a partner has waited.",
            ["peer"],
            registry=self.registry,
        )
        self.claims = Gauge(
            "kippu_claims",
            "Partner-voucher claims by our role (issuer or redeemer) and state.",
            ["role", "status"],
            registry=self.registry,
        )
        self._connections = _ConnectionCollector()
        self.registry.register(self._connections)

    def watch_connections(self, guard: ConnectionGuard) -> None:
        self._connections.guard = guard

    def observe_batch(self, units: int, seconds: float) -> None:
        """The writer's hook, called after every batch."""
        self.batch_units.observe(units)
        self.commit_seconds.observe(seconds)

    def set_backlog(self, backlog: Iterable[tuple[str, int, int]]) -> None:
        """(partner, messages queued, seconds the oldest has waited) for each partner."""
        self.outbox_messages.clear()  # a partner whose queue emptied drops out
        self.outbox_oldest.clear()
        for peer, messages, oldest_s in backlog:
            self.outbox_messages.labels(peer).set(messages)
            self.outbox_oldest.labels(peer).set(oldest_s)

    def set_claims(self, counts: Iterable[tuple[str, str, int]]) -> None:
        self.claims.clear()
        for role, status, count in counts:
            self.claims.labels(role, status).set(count)

    def exposition(self) -> bytes:
        return generate_latest(self.registry)
