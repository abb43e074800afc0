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
class BrandConfig:
    """The voucher's brand on customer pages, emails and receipts (node/config/brand.py).

    Empty `name`: the node's name. No logo: the name alone. No colour: the pages' usual look.
    """

    name: str = ""
    logo: bytes = b""  # PNG or SVG, read and checked at start
    logo_type: str = ""  # its content type: image/png or image/svg+xml
    colour: str = ""  # "#rrggbb"
    text_colour: str = ""  # white or black, whichever reads on `colour` (WCAG contrast 4.5:1)

    def display_name(self, node_name: str) -> str:
        return self.name or node_name


@dataclass(frozen=True)
class ReceiptsConfig:
    """What the issuer prints on a customer's receipt (領収書), beside the redemption's facts."""

    issuer_name: str = ""  # the legal name (氏名又は名称); empty: the node's name
    address: str = ""
    phone: str = ""
    registration_number: str = ""  # 適格請求書発行事業者の登録番号: "T" and 13 digits, or ""
    registration_holder: str = "corporation"  # or "individual" (no 法人番号 check digit)
    proviso: str = "お品代として"  # 但し書き
    tax_rate_percent: int = 0  # 0: not stated; 8 or 10: every sale of the shop is at this rate


@dataclass(frozen=True)
class Config:
    node: NodeConfig
    ledger: LedgerConfig
    writer: WriterConfig
    discovery: DiscoveryConfig
    web: WebConfig = WebConfig()
    server: ServerConfig = ServerConfig()
    brand: BrandConfig = BrandConfig()
    receipts: ReceiptsConfig = ReceiptsConfig()

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.node.timezone)
