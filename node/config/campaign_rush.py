"""The [campaigns.rush] table of config.toml: where the rush relay listens (node/relay/), HOST:PORT
as node.listen takes it, or "" for no relay. It must not be node.listen itself."""

from __future__ import annotations

from typing import TYPE_CHECKING

from node.config.listen import parse_listen
from node.config.model import CampaignRushConfig, ListenAddress

if TYPE_CHECKING:
    from node.config.reading import _Reader

RUSH_TABLE = "campaigns.rush"
RUSH_KEYS = {"relay_listen"}


def read_campaign_rush(r: _Reader, node_listen: ListenAddress) -> CampaignRushConfig:
    text = r.get(RUSH_TABLE, "relay_listen", str, "").strip()
    if not text:
        return CampaignRushConfig()
    try:
        listen = parse_listen(text)
    except ValueError as exc:
        r.problems.append(f"{RUSH_TABLE}.relay_listen: {exc}")
        return CampaignRushConfig()
    if listen == node_listen:
        r.problems.append(f"{RUSH_TABLE}.relay_listen must not be node.listen ({listen})")
        return CampaignRushConfig()
    return CampaignRushConfig(listen)
