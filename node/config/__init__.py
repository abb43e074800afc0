"""The node's config.toml: its settings (model), how it is read and checked (reading), and the
commented file `kippu init` writes (template). Import from here: `from node.config import Config`."""

from node.config.listen import parse_listen
from node.config.model import (
    DEFAULT_MAX_VOUCHER_YEN,
    MAX_VOUCHER_YEN_CEILING,
    SUPPORTED_CURRENCIES,
    BrandConfig,
    CampaignPayoutConfig,
    Config,
    CrmConfig,
    DiscoveryConfig,
    IPNetwork,
    IssuerConfig,
    LedgerConfig,
    ListenAddress,
    NodeConfig,
    PointsConfig,
    ReceiptsConfig,
    ServerConfig,
    StripeConfig,
    WebConfig,
    WriterConfig,
)
from node.config.reading import (
    _KNOWN_KEYS,
    config_from_dict,
    load_config,
    parse_trusted_proxies,
    tls_problems,
)
from node.config.template import render_config

__all__ = [
    "DEFAULT_MAX_VOUCHER_YEN",
    "MAX_VOUCHER_YEN_CEILING",
    "SUPPORTED_CURRENCIES",
    "_KNOWN_KEYS",
    "BrandConfig",
    "CampaignPayoutConfig",
    "Config",
    "CrmConfig",
    "DiscoveryConfig",
    "IPNetwork",
    "IssuerConfig",
    "LedgerConfig",
    "ListenAddress",
    "NodeConfig",
    "PointsConfig",
    "ReceiptsConfig",
    "ServerConfig",
    "StripeConfig",
    "WebConfig",
    "WriterConfig",
    "config_from_dict",
    "load_config",
    "parse_listen",
    "parse_trusted_proxies",
    "render_config",
    "tls_problems",
]
