"""The node's config.toml, read with tomllib into frozen dataclasses; every problem reported at once."""

from __future__ import annotations

import ipaddress
import ssl
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from node.errors import ConfigError

SUPPORTED_CURRENCIES = ("JPY",)
MAX_VOUCHER_YEN_CEILING = 10_000_000_000


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


def parse_listen(text: str) -> ListenAddress:
    """Parse HOST:PORT (IPv6 as [::1]:PORT); raise ValueError with a readable reason."""
    if text.startswith("["):
        host, sep, port_text = text[1:].partition("]:")
    else:
        host, sep, port_text = text.rpartition(":")
    if not sep or not host or not port_text.isdigit():
        raise ValueError(f"expected HOST:PORT, got {text!r}")
    port = int(port_text)
    if not 0 < port < 65536:
        raise ValueError(f"port {port} is out of range 1-65535")
    return ListenAddress(host, port)


class _Reader:
    """Pulls typed values out of a TOML table, collecting problems instead of stopping at the first."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.problems: list[str] = []

    def get(self, table: str, key: str, kind: type, default: Any) -> Any:
        section = self.data.get(table, {})
        if not isinstance(section, dict):
            self.problems.append(f"[{table}] must be a table")
            return default
        value = section.get(key, default)
        if kind is int and isinstance(value, bool):
            self.problems.append(f"{table}.{key} must be an integer")
            return default
        if not isinstance(value, kind):
            self.problems.append(f"{table}.{key} must be a {kind.__name__}, got {value!r}")
            return default
        return value

    def check(self, ok: bool, problem: str) -> None:
        if not ok:
            self.problems.append(problem)


def config_from_dict(data: dict[str, Any]) -> Config:
    """Build a Config, or raise ConfigError naming every bad key."""
    r = _Reader(data)
    known = {"node", "ledger", "writer", "discovery", "web", "server"}
    for extra in sorted(set(data) - known):
        r.problems.append(f"unknown table or key {extra!r}")
    name = r.get("node", "name", str, "")
    r.check(bool(name.strip()), "node.name must not be empty")
    listen_text = r.get("node", "listen", str, "127.0.0.1:8470")
    try:
        listen = parse_listen(listen_text)
    except ValueError as exc:
        r.problems.append(f"node.listen: {exc}")
        listen = ListenAddress("127.0.0.1", 8470)
    public_url = r.get("node", "public_url", str, f"http://{listen}")
    r.check(
        public_url.startswith(("http://", "https://")), "node.public_url must start with http(s)://"
    )
    currency = r.get("node", "currency", str, "JPY")
    r.check(currency in SUPPORTED_CURRENCIES, f"node.currency {currency!r} is not supported")
    timezone = r.get("node", "timezone", str, "Asia/Tokyo")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        r.problems.append(f"node.timezone {timezone!r} is not a known time zone")
        timezone = "Asia/Tokyo"
    max_yen = r.get("ledger", "max_voucher_yen", int, DEFAULT_MAX_VOUCHER_YEN)
    r.check(
        0 < max_yen <= MAX_VOUCHER_YEN_CEILING,
        f"ledger.max_voucher_yen must be 1..{MAX_VOUCHER_YEN_CEILING}",
    )
    step = r.get("ledger", "qr_step_seconds", int, 30)
    r.check(10 <= step <= 300, "ledger.qr_step_seconds must be 10..300")
    same_day = r.get("ledger", "void_same_day_only", bool, True)
    sweep = r.get("ledger", "expiry_sweep_seconds", int, 300)
    r.check(sweep >= 1, "ledger.expiry_sweep_seconds must be at least 1")
    retry_window = r.get("ledger", "retry_window_seconds", int, 600)
    r.check(60 <= retry_window <= 86_400, "ledger.retry_window_seconds must be 60..86400 (1 day)")
    max_batch = r.get("writer", "max_batch", int, 256)
    r.check(1 <= max_batch <= 10_000, "writer.max_batch must be 1..10000")
    discovery_on = r.get("discovery", "enabled", bool, True)
    interfaces = r.get("discovery", "interfaces", list, [])
    for address in interfaces:
        try:
            ipaddress.ip_address(address)
        except (ValueError, TypeError):
            r.problems.append(f"discovery.interfaces: {address!r} is not an IP address")
    web = _web_config(r)
    server = _server_config(r)
    r.check(
        not server.has_tls or public_url.startswith("https://"),
        "node.public_url must start with https:// when server.tls_certificate is set",
    )
    for table, keys in _KNOWN_KEYS.items():
        section = data.get(table, {})
        if isinstance(section, dict):
            for extra in sorted(set(section) - keys):
                r.problems.append(f"unknown key {table}.{extra}")
    if r.problems:
        raise ConfigError(r.problems)
    return Config(
        node=NodeConfig(name.strip(), listen, public_url.rstrip("/"), currency, timezone),
        ledger=LedgerConfig(max_yen, step, same_day, sweep, retry_window),
        writer=WriterConfig(max_batch),
        discovery=DiscoveryConfig(discovery_on, tuple(str(a) for a in interfaces)),
        web=web,
        server=server,
    )


def _web_config(r: _Reader) -> WebConfig:
    d = WebConfig()
    host = r.get("web", "smtp_host", str, d.smtp_host).strip()
    port = r.get("web", "smtp_port", int, d.smtp_port)
    r.check(0 < port < 65536, "web.smtp_port must be 1..65535")
    sender = r.get("web", "smtp_from", str, d.smtp_from).strip()
    r.check("@" in sender and "\n" not in sender, "web.smtp_from must be an email address")
    hours = r.get("web", "session_hours", int, d.session_hours)
    r.check(1 <= hours <= 24 * 7, "web.session_hours must be 1..168")
    days = r.get("web", "customer_session_days", int, d.customer_session_days)
    r.check(1 <= days <= 365, "web.customer_session_days must be 1..365")
    font = r.get("web", "receipt_font", str, d.receipt_font).strip()
    r.check(not font or Path(font).is_file(), f"web.receipt_font: {font!r} is not a file")
    proxies, problems = parse_trusted_proxies(r.get("web", "trusted_proxies", list, []))
    r.problems.extend(problems)
    return WebConfig(
        smtp_host=host,
        smtp_port=port,
        smtp_from=sender,
        smtp_starttls=r.get("web", "smtp_starttls", bool, d.smtp_starttls),
        smtp_user=r.get("web", "smtp_user", str, d.smtp_user).strip(),
        session_hours=hours,
        customer_session_days=days,
        receipt_font=font,
        trusted_proxies=proxies,
    )


def _server_config(r: _Reader) -> ServerConfig:
    d = ServerConfig()
    head = r.get("server", "head_timeout_seconds", int, d.head_timeout_seconds)
    r.check(1 <= head <= 300, "server.head_timeout_seconds must be 1..300")
    idle = r.get("server", "idle_timeout_seconds", int, d.idle_timeout_seconds)
    r.check(1 <= idle <= 3600, "server.idle_timeout_seconds must be 1..3600")
    per_address = r.get("server", "max_connections_per_address", int, d.max_connections_per_address)
    r.check(1 <= per_address <= 1_000_000, "server.max_connections_per_address must be 1..1000000")
    total = r.get("server", "max_connections", int, d.max_connections)
    r.check(0 <= total <= 1_000_000, "server.max_connections must be 0..1000000 (0: automatic)")
    certificate = r.get("server", "tls_certificate", str, d.tls_certificate).strip()
    key = r.get("server", "tls_key", str, d.tls_key).strip()
    r.problems.extend(tls_problems(certificate, key))
    networks = r.get("server", "metrics_networks", list, list(d.metrics_networks))
    for network in networks:
        try:
            ipaddress.ip_network(network)
        except (ValueError, TypeError):
            r.problems.append(f"server.metrics_networks: {network!r} is not an IP network")
    return ServerConfig(
        head_timeout_seconds=head,
        idle_timeout_seconds=idle,
        max_connections_per_address=per_address,
        max_connections=total,
        tls_certificate=certificate,
        tls_key=key,
        metrics_networks=tuple(str(n) for n in networks),
    )


def tls_problems(certificate: str, key: str) -> list[str]:
    """Both files or neither; they must exist and load as a PEM certificate chain and its key."""
    if not certificate and not key:
        return []
    if not certificate or not key:
        return ["server.tls_certificate and server.tls_key must be set together"]
    problems = [
        f"server.{name}: {path!r} is not a readable file"
        for name, path in (("tls_certificate", certificate), ("tls_key", key))
        if not Path(path).is_file()
    ]
    if problems:
        return problems
    try:
        ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(certificate, key)
    except (ssl.SSLError, OSError) as exc:
        reason = getattr(exc, "reason", None) or exc.strerror or type(exc).__name__
        return [f"server.tls_certificate/server.tls_key: cannot be loaded together ({reason})"]
    return []


def parse_trusted_proxies(entries: list[object]) -> tuple[tuple[IPNetwork, ...], list[str]]:
    """The networks of `web.trusted_proxies` (addresses or CIDRs) and the problems found."""
    networks: list[IPNetwork] = []
    problems: list[str] = []
    for entry in entries:
        try:
            if not isinstance(entry, str):
                raise TypeError
            networks.append(ipaddress.ip_network(entry.strip(), strict=True))
        except (ValueError, TypeError):
            problems.append(
                f"web.trusted_proxies: {entry!r} is not an IP address or network"
                ' (e.g. "127.0.0.1", "10.0.0.0/8", "::1"; a network\'s host bits must be 0)'
            )
    return tuple(networks), problems


_KNOWN_KEYS = {
    "node": {"name", "listen", "public_url", "currency", "timezone"},
    "ledger": {
        "max_voucher_yen",
        "qr_step_seconds",
        "void_same_day_only",
        "expiry_sweep_seconds",
        "retry_window_seconds",
    },
    "writer": {"max_batch"},
    "discovery": {"enabled", "interfaces"},
    "server": {
        "head_timeout_seconds",
        "idle_timeout_seconds",
        "max_connections_per_address",
        "max_connections",
        "tls_certificate",
        "tls_key",
        "metrics_networks",
    },
    "web": {
        "smtp_host",
        "smtp_port",
        "smtp_from",
        "smtp_starttls",
        "smtp_user",
        "session_hours",
        "customer_session_days",
        "receipt_font",
        "trusted_proxies",
    },
}


def load_config(path: Path) -> Config:
    """Read config.toml; a missing file or TOML syntax error is a ConfigError too."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError([f"{path} does not exist; run `kippu init` first"]) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(
            [f"{path} is not UTF-8 text (byte {exc.start} cannot be read); save it as UTF-8"]
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"{path}: {exc}"]) from exc
    return config_from_dict(data)


DEFAULT_MAX_VOUCHER_YEN = 1_000_000


def render_config(name: str, listen: ListenAddress) -> str:
    """The commented config.toml that `kippu init` writes."""
    quoted = name.replace("\\", "\\\\").replace('"', '\\"')
    interfaces = '["127.0.0.1"]' if listen.host in ("127.0.0.1", "localhost", "::1") else "[]"
    return f"""\
# Kippu node configuration. Restart `kippu serve` after editing.

[node]
name = "{quoted}"
# Address the node listens on (HOST:PORT; IPv6 as [::1]:PORT).
listen = "{listen}"
# URL partners and the CLI use to reach this node.
public_url = "http://{listen}"
currency = "JPY"
# Business days (void window, expiry dates) are counted in this time zone.
timezone = "Asia/Tokyo"

[ledger]
# Highest face value of one voucher, in yen.
max_voucher_yen = 1000000
# A QR code changes every step; a code is accepted for at most two steps, and once.
qr_step_seconds = 30
# Staff may void a redemption only on the business day it was made.
void_same_day_only = true
# How often expired vouchers are swept to breakage (seconds).
expiry_sweep_seconds = 300
# A used code shown again at the same store for the same amount within this many seconds of its
# redemption is a retry (the answer was lost) and gets that redemption back; later, it is refused
# as used (voucher.code_used), so yesterday's screenshot of a QR buys nothing. 60..86400.
retry_window_seconds = 600

[writer]
# Most operations committed together in one durable transaction (group commit).
max_batch = 256

[discovery]
# Announce this node on the LAN (zeroconf _kippu._tcp.local.) so partners can find its URL and
# key. Seeing a node never makes it a partner. `kippu serve --no-discovery` also turns it off.
enabled = true
# Interfaces (IP addresses) to announce on; [] means all. A loopback-only node stays on loopback.
interfaces = {interfaces}

[web]
# Staff (/staff), customer (/wallet) and admin (/admin) pages. Customers sign in with a one-time
# link sent by email. With smtp_host empty, the link is written to the node's log instead
# (development only). The SMTP password is read from the KIPPU_SMTP_PASSWORD environment variable.
smtp_host = ""
smtp_port = 587
smtp_from = "kippu@localhost"
smtp_starttls = true
smtp_user = ""
# How long a staff or admin sign-in lasts (hours), and a customer's (days).
session_hours = 12
customer_session_days = 30
# A TrueType font with Japanese glyphs for receipt PDFs; "" looks in the usual places
# (Debian's fonts-ipafont-gothic, which `make demo` installs).
receipt_font = ""
# Behind a reverse proxy (for TLS), list its addresses or networks: only from these is the
# client's address taken from X-Forwarded-For (sign-in throttles count per client address), and
# only these may hold more than server.max_connections_per_address connections.
# Empty: every request is counted by the address it came from.
trusted_proxies = []

[server]
# A request's line and headers must arrive within this many seconds of their first byte, and a
# connection with no request under way is closed after idle_timeout_seconds (slowloris defence).
head_timeout_seconds = 10
idle_timeout_seconds = 30
# Connections one client address may hold at once; more are answered 503 and closed. A proxy
# listed in web.trusted_proxies has no such cap (every client comes through it).
max_connections_per_address = 128
# All connections at once; 0 derives it from the descriptor limit (LimitNOFILE). When full, the
# connection idle the longest is closed to make room.
max_connections = 0
# HTTPS served by the node itself: a PEM certificate chain and its key (then node.public_url must
# be https://). Both empty: plain HTTP (behind a TLS reverse proxy, or on loopback).
tls_certificate = ""
tls_key = ""
# Networks (CIDR) whose clients may read GET /metrics; others get 403. Behind a proxy in
# web.trusted_proxies, the client it names in X-Forwarded-For is the one checked.
metrics_networks = ["127.0.0.0/8", "::1/128"]
"""
