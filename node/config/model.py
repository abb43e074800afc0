"""The node's settings as frozen dataclasses: one per config.toml table, and the whole Config."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from zoneinfo import ZoneInfo

SUPPORTED_CURRENCIES = ("JPY",)
MAX_VOUCHER_YEN_CEILING = 10_000_000_000
DEFAULT_MAX_VOUCHER_YEN = 1_000_000


@dataclass(frozen=True)
class ListenAddress:
    host: str
    port: int

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"


@dataclass(frozen=True)
class NodeConfig:
    name: str
    listen: ListenAddress
    public_url: str
    currency: str
    timezone: str


@dataclass(frozen=True)
class LedgerConfig:
    max_voucher_yen: int
    qr_step_seconds: int
    void_same_day_only: bool
    expiry_sweep_seconds: int
    retry_window_seconds: int = 600


@dataclass(frozen=True)
class WriterConfig:
    max_batch: int


@dataclass(frozen=True)
class DiscoveryConfig:
    enabled: bool
    interfaces: tuple[str, ...]


IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class WebConfig:
    """The staff, customer and admin pages. With no smtp_host, sign-in links go to the node's log."""

    smtp_host: str = ""
    smtp_port: int = 587
    smtp_from: str = "kippu@localhost"
    smtp_starttls: bool = True
    smtp_user: str = ""  # the password comes from the KIPPU_SMTP_PASSWORD environment variable
    session_hours: int = 12  # admin and staff: about a shift
    customer_session_days: int = 30
    receipt_font: str = ""  # a TrueType font with Japanese glyphs; "" looks in the usual places
    # Reverse proxies whose X-Forwarded-For names the client (node/client_address.py).
    trusted_proxies: tuple[IPNetwork, ...] = ()
    # The face values the counter offers as one-tap products when selling (any amount can be keyed).
    sale_products: tuple[int, ...] = (1000, 3000, 5000, 10000)


@dataclass(frozen=True)
class ServerConfig:
    """How the node treats connections (node/connections.py), TLS, and who may read /metrics."""

    head_timeout_seconds: int = 10  # a request's line and headers, from their first byte
    idle_timeout_seconds: int = 30  # no request under way: from opening and from each answer
    max_connections_per_address: int = 128
    max_connections: int = 0  # 0: the descriptor limit (RLIMIT_NOFILE) less a reserve
    tls_certificate: str = ""  # PEM certificate chain; with tls_key, the node serves HTTPS
    tls_key: str = ""
    metrics_networks: tuple[str, ...] = ("127.0.0.0/8", "::1/128")

    @property
    def has_tls(self) -> bool:
        return bool(self.tls_certificate)


@dataclass(frozen=True)
class Config:
    node: NodeConfig
    ledger: LedgerConfig
    writer: WriterConfig
    discovery: DiscoveryConfig
    web: WebConfig = WebConfig()
    server: ServerConfig = ServerConfig()

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.node.timezone)
