"""Reading config.toml with tomllib into a Config; every problem is reported at once, with its key."""

from __future__ import annotations

import ipaddress
import os
import ssl
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from node.config.brand import read_brand, read_receipts
from node.config.campaign_codes import CODES_KEYS, CODES_TABLE, read_campaign_codes
from node.config.campaign_payout import PAYOUT_KEYS, PAYOUT_TABLE, read_campaign_payout
from node.config.campaign_rush import RUSH_KEYS, RUSH_TABLE, read_campaign_rush
from node.config.campaigns import LINE_KEYS, SMS_KEYS, read_campaign_line, read_campaign_sms
from node.config.crm import CRM_KEYS, read_crm
from node.config.issuer import ISSUER_KEYS, STRIPE_KEYS, read_issuer, read_stripe
from node.config.listen import parse_listen
from node.config.model import (
    DEFAULT_MAX_VOUCHER_YEN,
    MAX_VOUCHER_YEN_CEILING,
    SUPPORTED_CURRENCIES,
    Config,
    DiscoveryConfig,
    IPNetwork,
    LedgerConfig,
    ListenAddress,
    NodeConfig,
    ServerConfig,
    WebConfig,
    WriterConfig,
)
from node.config.points import POINTS_KEYS, read_points
from node.errors import ConfigError


class _Reader:
    """Pulls typed values out of a TOML table, collecting problems instead of stopping at the first."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.problems: list[str] = []

    def get(self, table: str, key: str, kind: type, default: Any) -> Any:
        section = table_at(self.data, table)
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


def config_from_dict(
    data: dict[str, Any], home: Path | None = None, environ: Mapping[str, str] | None = None
) -> Config:
    """Build a Config, or raise ConfigError naming every bad key. Files named by a relative path
    (the brand's logo) are found in `home`, the node's home (the config file's directory).
    `environ` gives the secrets kept out of the file (load_config passes the process's)."""
    r = _Reader(data)
    for extra in sorted(set(data) - {table.split(".")[0] for table in _KNOWN_KEYS}):
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
    # At least 2: a batch keeps room for one bulk unit (a campaign's grants) beside the counter's
    # work, so a steady counter never starves a rush (node/writer.py).
    r.check(2 <= max_batch <= 10_000, "writer.max_batch must be 2..10000")
    discovery_on = r.get("discovery", "enabled", bool, True)
    interfaces = r.get("discovery", "interfaces", list, [])
    for address in interfaces:
        try:
            ipaddress.ip_address(address)
        except (ValueError, TypeError):
            r.problems.append(f"discovery.interfaces: {address!r} is not an IP address")
    web = _web_config(r)
    server = _server_config(r)
    brand = read_brand(r, home)
    receipts = read_receipts(r)
    issuer = read_issuer(r)
    stripe = read_stripe(r, environ or {})
    points = read_points(r)
    crm = read_crm(r)
    campaign_payout = read_campaign_payout(r)
    campaign_sms = read_campaign_sms(r, environ or {})
    campaign_line = read_campaign_line(r, environ or {})
    campaign_codes = read_campaign_codes(r)
    campaign_rush = read_campaign_rush(r, listen)
    r.check(
        not server.has_tls or public_url.startswith("https://"),
        "node.public_url must start with https:// when server.tls_certificate is set",
    )
    for table, keys in _known_tables().items():
        section = table_at(data, table)
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
        brand=brand,
        receipts=receipts,
        issuer=issuer,
        stripe=stripe,
        points=points,
        crm=crm,
        campaign_payout=campaign_payout,
        campaign_sms=campaign_sms,
        campaign_line=campaign_line,
        campaign_codes=campaign_codes,
        campaign_rush=campaign_rush,
    )


def table_at(data: dict[str, Any], table: str) -> Any:
    """The TOML table named `table`, dotted for one inside another ("campaigns.payout"); {} when
    absent, and whatever stands there when it is not a table (the caller reports that)."""
    section: Any = data
    for part in table.split("."):
        if not isinstance(section, dict):
            return section
        section = section.get(part, {})
    return section


def _known_tables() -> dict[str, set[str]]:
    """Each table's known keys; a table holding known inner tables knows their names too."""
    known = {table: set(keys) for table, keys in _KNOWN_KEYS.items()}
    for table in _KNOWN_KEYS:
        if "." in table:
            outer, inner = table.rsplit(".", 1)
            known.setdefault(outer, set()).add(inner)
    return known


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
    products = r.get("web", "sale_products", list, list(d.sale_products))
    r.check(
        len(products) <= 12
        and all(type(p) is int and 1 <= p <= 100_000_000 for p in products)
        and len(set(products)) == len(products),
        "web.sale_products must be up to 12 different whole amounts in yen, each 1..100000000",
    )
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
        sale_products=tuple(p for p in products if type(p) is int),
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
        "sale_products",
    },
    "brand": {"name", "logo", "colour"},
    "receipts": {
        "issuer_name",
        "address",
        "phone",
        "registration_number",
        "registration_holder",
        "proviso",
        "tax_rate_percent",
    },
    "issuer": ISSUER_KEYS,
    "stripe": STRIPE_KEYS,
    "points": POINTS_KEYS,
    "crm": CRM_KEYS,
    PAYOUT_TABLE: PAYOUT_KEYS,
    "campaigns.sms": SMS_KEYS,
    "campaigns.line": LINE_KEYS,
    CODES_TABLE: CODES_KEYS,
    RUSH_TABLE: RUSH_KEYS,
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
    return config_from_dict(data, path.parent, os.environ)
