"""The commented config.toml that `kippu init` writes, with every setting at its default."""

from __future__ import annotations

from node.config.model import ListenAddress


def render_config(name: str, listen: ListenAddress, *, registration_number: str = "") -> str:
    """The commented config.toml that `kippu init` writes (a 第三者型 registration number only
    where a home must accept partners from the start: the demo federation, the tests)."""
    quoted = name.replace("\\", "\\\\").replace('"', '\\"')
    registration = registration_number.replace("\\", "\\\\").replace('"', '\\"')
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

[brand]
# The voucher's own name and look on the customer's pages (header, sign-in, links, gift pages),
# in the emails and on receipts. All empty: the node's name above, in the usual colours.
# Display name, e.g. "さくらPay" (at most 40 characters).
name = ""
# A PNG or SVG file (at most 512 KiB), its path relative to this node's home, e.g. "logo.png".
# Checked at start; served at /brand/logo.
logo = ""
# The header's and the main buttons' colour, written "#rrggbb", e.g. "#e4007f". Their text is
# white, or black when white would not read on it (contrast under 4.5:1).
colour = ""

[receipts]
# What the customer's receipt (領収書) says about the issuer, beside the use's date, amount,
# store and receipt number. The issuer's legal name (氏名又は名称); "" prints node.name.
issuer_name = ""
# The issuer's address and telephone number, e.g. "東京都渋谷区道玄坂1-2-3", "03-1234-5678".
address = ""
phone = ""
# The registration number of a 適格請求書発行事業者: "T" and 13 digits. "" when not registered.
# A corporation's 13 digits are its 法人番号, whose check digit is checked; a sole proprietor
# (個人事業者) or an association without 法人番号 sets registration_holder = "individual".
registration_number = ""
registration_holder = "corporation"
# The receipt's 但し書き (what was paid for). The customer chooses the 宛名 themself.
proviso = "お品代として"
# 0: the receipt states no consumption tax. 8 or 10, with a registration number: every sale of
# every store is at this rate, and the receipt states it and the tax included (a 適格簡易請求書).
tax_rate_percent = 0

[issuer]
# What the Payment Services Act (資金決済法13条) makes the issuer show before purchase, on every
# voucher, on /terms and on receipts. The console and `kippu status` warn while one is missing.
# 発行者の名称, its address, and the complaint desk (苦情・相談窓口: address and telephone or mail).
legal_name = ""
address = ""
complaint_desk = ""
# The terms (約款): a URL, or the text itself (shown on /terms).
terms_url = ""
terms_text = ""
# 利用上の注意 added to the ones every voucher carries, and the fraud-compensation policy.
cautions = ""
fraud_policy = ""
# How 発行保証金 is secured once the unused balance passes ¥10,000,000 on a 基準日:
# "deposit" (供託), "guarantee" (発行保証金保全契約), "trust" (発行保証金信託契約) or "".
deposit_method = ""
# A 第三者型 issuer's registration number (e.g. "関東財務局長第00001号"). Without it, vouchers stay
# 自家型 and a partner outside related_partners cannot be made to accept them.
registration_number = "{registration}"
# Partner node ids that are 密接関係者 (parent, subsidiary, ...): their acceptance keeps 自家型.
related_partners = []

[stripe]
# Card payments for selling vouchers online. Off while secret_key is empty. Give the secret key
# and the webhook signing secret in the environment (KIPPU_STRIPE_SECRET_KEY,
# KIPPU_STRIPE_WEBHOOK_SECRET) rather than here; the environment wins. Point Stripe's webhook
# at <public_url>/stripe/webhook.
secret_key = ""
publishable_key = ""
webhook_secret = ""
# Where the SDK and the card form are loaded from; "" and the default are Stripe's own.
api_base = ""
js_url = "https://js.stripe.com/v3/"

[points]
# Members who opted in (in the wallet) get a mail this many days before their points expire,
# and integrations a points.expiring webhook. 0: no notices. 0..90.
expiry_notice_days = 14

[crm]
# The gross margin on customers' spend, in percent, that LTV (historic gross profit) assumes.
# 0..100. `kippu analytics ltv --margin` overrides it for one report.
margin_percent = 30
# A minute after `kippu serve` starts, the report worker makes the figures behind the analytics
# (every customer's spend, the KPIs' and the cohorts') and keeps them to each new day, so that no
# report waits for them; it holds them in memory (about 1.3 GB for a million customers). false:
# a worker starts at the first report, and each figure is made when first asked for.
keep_reports_ready = true

[campaigns.payout]
# Municipal campaigns: the office's own account (振込依頼人), from which stores are paid; the
# 全銀 transfer file's header names it. Leave every key empty until the office's bank has given
# the requester code; set every key or none. The name is in katakana (written half-width).
requester_code = ""
requester_name_kana = ""
# The bank's 4-digit code and the branch's 3-digit code.
bank = ""
branch = ""
# ordinary (普通), current (当座) or savings (貯蓄); the number is up to 7 digits.
account_type = ""
account_number = ""

[campaigns.sms]
# One-time codes by SMS for a campaign's eligibility. Off while provider is "". provider "twilio"
# speaks Twilio's Programmable Messaging REST API at base_url; the auth token is read from the
# environment variable named by auth_token_env, never from this file. from_number is E.164.
provider = ""
base_url = "https://api.twilio.com"
account_sid = ""
auth_token_env = "KIPPU_TWILIO_AUTH_TOKEN"
from_number = ""

[campaigns.line]
# LINE Login (OpenID Connect) for a campaign's eligibility. Off while channel_id is "". The
# channel secret is read from the environment variable named by channel_secret_env. Register
# <redirect_base or public_url>/wallet/line/callback as the channel's callback URL.
channel_id = ""
channel_secret_env = "KIPPU_LINE_CHANNEL_SECRET"
authorize_url = "https://access.line.me/oauth2/v2.1/authorize"
token_url = "https://api.line.me/oauth2/v2.1/token"
issuer = "https://access.line.me"
redirect_base = ""

[campaigns.codes]
# One-time codes (email and SMS) a day allows, counted per day of node.timezone: per address or
# number (across campaigns) and per customer, codes sent and wrong codes typed. Each 1..1000;
# past a limit the wallet answers eligibility.code_sends_capped or code_tries_capped (429).
sends_per_subject = 5
sends_per_customer = 10
wrong_per_subject = 10
wrong_per_customer = 20

[campaigns.rush]
# The rush relay (docs/operations.md, 自治体キャンペーン): HOST:PORT where a process of its own
# takes the admin API's first-come grants (POST /api/v1/campaigns/{id}/grants) and their
# tickets' polls, so that the counters' redemptions never wait behind a rush's requests. Send
# those two paths there (a reverse proxy's route); "" for no relay.
relay_listen = ""
"""
