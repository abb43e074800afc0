"""The [campaigns.codes] table of config.toml: the daily caps on one-time codes (email and SMS)
that node/campaigns/code_operations.py holds, per subject and per customer, on codes sent and
wrong codes typed. A value outside 1..1000 is a problem naming its key."""

from __future__ import annotations

from dataclasses import fields
from typing import TYPE_CHECKING

from node.config.model import CampaignCodesConfig

if TYPE_CHECKING:
    from node.config.reading import _Reader

CODES_TABLE = "campaigns.codes"
CODES_KEYS = {f.name for f in fields(CampaignCodesConfig)}
MAX_PER_DAY = 1000


def read_campaign_codes(r: _Reader) -> CampaignCodesConfig:
    defaults = CampaignCodesConfig()
    values: dict[str, int] = {}
    for key in sorted(CODES_KEYS):
        default = getattr(defaults, key)
        value = r.get(CODES_TABLE, key, int, default)
        if not 1 <= value <= MAX_PER_DAY:
            r.problems.append(f"{CODES_TABLE}.{key} must be 1..{MAX_PER_DAY} (a day's count)")
            value = default
        values[key] = value
    return CampaignCodesConfig(**values)
