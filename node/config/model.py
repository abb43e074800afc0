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
class IssuerConfig:
    """Who issues the vouchers, as the Payment Services Act (資金決済法) makes them say (法13条,
    府令21-22条), and what classifies them (node/config/issuer.py reads and checks it).

    Empty text means "not set": the console and `kippu status` warn while a required item is
    missing. `related_partners` are partner node ids declared 密接関係者 (parent, subsidiary...):
    acceptance by them keeps a voucher 自家型. `registration_number` is the 第三者型 issuer's
    registration (e.g. 関東財務局長第00001号); without it, partner acceptance stays off.
    """

    legal_name: str = ""  # 発行者の氏名、商号又は名称
    address: str = ""  # the issuer's address (本店所在地)
    complaint_desk: str = ""  # 苦情又は相談に応ずる営業所又は事務所の所在地及び連絡先
    terms_url: str = ""  # 約款 online; or terms_text
    terms_text: str = ""  # 約款 itself, shown on /terms when there is no URL
    cautions: str = ""  # 利用上の注意 beyond the ones every voucher carries
    registration_number: str = ""  # 第三者型発行者の登録番号; "" = not registered
    related_partners: tuple[str, ...] = ()  # 密接関係者: partner node ids
    deposit_method: str = ""  # how 発行保証金 is secured: deposit, guarantee, trust, or ""
    fraud_policy: str = ""  # 不正利用時の補償方針 (required since 2021)

    @property
    def is_registered(self) -> bool:
        return bool(self.registration_number)

    @property
    def related_ids(self) -> frozenset[str]:
        """The declared 密接関係者 as node ids (upper case; the config may spell them either way)."""
        return frozenset(e.strip().upper() for e in self.related_partners if e.strip())


@dataclass(frozen=True)
class PointsConfig:
    """[points]: the notice a member who opted in gets before points expire."""

    expiry_notice_days: int = 14  # days before a lot's expiry; 0: no notices


@dataclass(frozen=True)
class CrmConfig:
    """[crm]: the figures the customer analytics assume."""

    margin_percent: int = 30  # gross margin on spend, for LTV (historic gross profit)
    keep_reports_ready: bool = True  # the report worker makes every figure soon after a start


@dataclass(frozen=True)
class CampaignPayoutConfig:
    """[campaigns.payout]: the office's own account (振込依頼人) for store payouts' 全銀 file.
    All empty: not set (a transfer file is refused with payout.requester_not_set)."""

    requester_code: str = ""  # 振込依頼人コード, up to 10 digits, given by the office's bank
    requester_name_kana: str = ""  # 振込依頼人名, in katakana (written half-width in the file)
    bank: str = ""  # 4 digits
    branch: str = ""  # 3 digits
    account_type: str = ""  # ordinary, current or savings
    account_number: str = ""  # up to 7 digits

    @property
    def is_set(self) -> bool:
        return bool(self.requester_code)


@dataclass(frozen=True)
class StripeConfig:
    """Card payments through Stripe (node/payments/). Off while `secret_key` is empty.

    The secret key and the webhook secret are best given by the environment
    (KIPPU_STRIPE_SECRET_KEY, KIPPU_STRIPE_WEBHOOK_SECRET), which wins over the file; neither is
    ever logged. `api_base` and `js_url` point the SDK and the card form elsewhere than Stripe's
    own hosts: the tests use localstripe on 127.0.0.1.
    """

    secret_key: str = ""
    publishable_key: str = ""
    webhook_secret: str = ""
    api_base: str = ""  # "": the SDK's default
    js_url: str = "https://js.stripe.com/v3/"

    @property
    def is_enabled(self) -> bool:
        return bool(self.secret_key and self.publishable_key)

    def __repr__(self) -> str:  # never print the secrets, even in a traceback's locals
        return f"StripeConfig(enabled={self.is_enabled}, api_base={self.api_base!r})"


@dataclass(frozen=True)
class CampaignSmsConfig:
    """[campaigns.sms]: the SMS provider that sends one-time codes (eligibility). Off while
    `provider` is empty. The auth token is read from the environment variable named by
    `auth_token_env`, never from the file, and never printed."""

    provider: str = ""  # "twilio" (Programmable Messaging REST API), or "": off
    base_url: str = "https://api.twilio.com"
    account_sid: str = ""
    auth_token: str = ""
    from_number: str = ""  # E.164, e.g. +815012345678

    @property
    def is_enabled(self) -> bool:
        return bool(self.provider)

    def __repr__(self) -> str:  # never print the token, even in a traceback's locals
        return f"CampaignSmsConfig(provider={self.provider!r}, base_url={self.base_url!r})"


@dataclass(frozen=True)
class CampaignLineConfig:
    """[campaigns.line]: LINE Login (OpenID Connect) as proof of eligibility. Off while
    `channel_id` is empty. The channel secret is read from the environment variable named by
    `channel_secret_env`, never from the file, and never printed."""

    channel_id: str = ""
    channel_secret: str = ""
    authorize_url: str = "https://access.line.me/oauth2/v2.1/authorize"
    token_url: str = "https://api.line.me/oauth2/v2.1/token"  # noqa: S105 (an address)
    issuer: str = "https://access.line.me"
    redirect_base: str = ""  # "": node.public_url

    @property
    def is_enabled(self) -> bool:
        return bool(self.channel_id)

    def __repr__(self) -> str:  # never print the secret, even in a traceback's locals
        return f"CampaignLineConfig(channel_id={self.channel_id!r}, issuer={self.issuer!r})"


@dataclass(frozen=True)
class CampaignCodesConfig:
    """[campaigns.codes]: how many one-time codes (email and SMS) a day of the node's zone
    allows, per subject (an email address or phone number, across campaigns) and per customer:
    codes sent, and wrong codes typed. Each 1..1000."""

    sends_per_subject: int = 5
    sends_per_customer: int = 10
    wrong_per_subject: int = 10
    wrong_per_customer: int = 20


@dataclass(frozen=True)
class CampaignRushConfig:
    """[campaigns.rush]: where the rush relay listens (node/relay/), a process of its own that
    takes the admin API's first-come grants and their tickets' polls off the node's event loop,
    so that the counters' redemptions never queue behind a rush's requests. None: no relay."""

    relay_listen: ListenAddress | None = None


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
    issuer: IssuerConfig = IssuerConfig()
    stripe: StripeConfig = StripeConfig()
    points: PointsConfig = PointsConfig()
    crm: CrmConfig = CrmConfig()
    campaign_payout: CampaignPayoutConfig = CampaignPayoutConfig()
    campaign_sms: CampaignSmsConfig = CampaignSmsConfig()
    campaign_line: CampaignLineConfig = CampaignLineConfig()
    campaign_codes: CampaignCodesConfig = CampaignCodesConfig()
    campaign_rush: CampaignRushConfig = CampaignRushConfig()

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.node.timezone)
