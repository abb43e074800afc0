"""The commented config.toml that `kippu init` writes, with every setting at its default."""

from __future__ import annotations

from node.config.model import ListenAddress


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
# The face values (yen) the counter offers as one-tap products when selling a voucher, up to 12;
# staff can also key any other amount on the keypad.
sale_products = [1000, 3000, 5000, 10000]

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
