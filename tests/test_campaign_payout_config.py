"""[campaigns.payout] in config.toml: the office's own account for the 全銀 file's header, read
into the config when every key is set, empty when none is, and every problem named by its key."""

from __future__ import annotations

import tomllib
from typing import Any

import pytest

from node.config import (
    CampaignPayoutConfig,
    ListenAddress,
    config_from_dict,
    render_config,
)
from node.errors import ConfigError

OFFICE = {
    "requester_code": "0012345678",
    "requester_name_kana": "キタキュウシュウ　ジムキョク",
    "bank": "0001",
    "branch": "001",
    "account_type": "current",
    "account_number": "7654321",
}


def read(payout: Any) -> CampaignPayoutConfig:
    return config_from_dict(
        {"node": {"name": "x"}, "campaigns": {"payout": payout}}
    ).campaign_payout


def test_the_office_account_is_read_when_every_key_is_set() -> None:
    payout = read(OFFICE)
    assert payout.is_set
    assert payout == CampaignPayoutConfig(**OFFICE)


def test_init_writes_the_table_empty_and_empty_means_not_set() -> None:
    rendered = render_config("X", ListenAddress("127.0.0.1", 8470))
    assert "[campaigns.payout]" in rendered
    loaded = config_from_dict(tomllib.loads(rendered))
    assert loaded.campaign_payout == CampaignPayoutConfig()
    assert not loaded.campaign_payout.is_set
    assert not config_from_dict({"node": {"name": "x"}}).campaign_payout.is_set


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"bank": ""}, "campaigns.payout: set every key or none; missing bank"),
        ({"bank": "001"}, "campaigns.payout.bank must be 4 digits"),
        ({"branch": "1"}, "campaigns.payout.branch must be 3 digits"),
        ({"requester_code": "12345678901"}, "campaigns.payout.requester_code must be 1 to 10"),
        ({"account_number": "１２３"}, "campaigns.payout.account_number must be 1 to 7"),
        ({"account_type": "checking"}, "campaigns.payout.account_type must be one of"),
        ({"requester_name_kana": "ア" * 41}, "requester_name_kana must be at most 40"),
        ({"bank": 1}, "campaigns.payout.bank must be a str"),
        ({"swift": "X"}, "unknown key campaigns.payout.swift"),
    ],
)
def test_each_problem_is_named_by_its_key(change: dict[str, Any], problem: str) -> None:
    with pytest.raises(ConfigError) as refused:
        read({**OFFICE, **change})
    assert any(p.startswith(problem) or problem in p for p in refused.value.problems)


def test_an_unknown_table_inside_campaigns_is_named() -> None:
    with pytest.raises(ConfigError) as refused:
        config_from_dict({"node": {"name": "x"}, "campaigns": {"payout": {}, "payouts": {}}})
    assert "unknown key campaigns.payouts" in refused.value.problems
