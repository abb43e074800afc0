"""The [campaigns.payout] table of config.toml: the office's own account (振込依頼人), from
which store payouts are transferred; the header record of every 全銀 transfer file names it.

Only the shape is checked here (digits, the account type's name, every key or none); the bank
and branch codes against the bank-code list and the name's katakana are checked by
node/campaigns when a transfer file is made, since the list and the conversion live there."""

from __future__ import annotations

from typing import TYPE_CHECKING

from node.config.model import CampaignPayoutConfig

if TYPE_CHECKING:
    from node.config.reading import _Reader

PAYOUT_TABLE = "campaigns.payout"
PAYOUT_KEYS = {
    "requester_code",
    "requester_name_kana",
    "bank",
    "branch",
    "account_type",
    "account_number",
}
ACCOUNT_TYPES = ("ordinary", "current", "savings")
_DIGITS = {"requester_code": (1, 10), "bank": (4, 4), "branch": (3, 3), "account_number": (1, 7)}


def read_campaign_payout(r: _Reader) -> CampaignPayoutConfig:
    values = {key: r.get(PAYOUT_TABLE, key, str, "").strip() for key in sorted(PAYOUT_KEYS)}
    if not any(values.values()):
        return CampaignPayoutConfig()
    missing = sorted(key for key, value in values.items() if not value)
    r.check(not missing, f"{PAYOUT_TABLE}: set every key or none; missing {', '.join(missing)}")
    for key, (shortest, longest) in _DIGITS.items():
        value = values[key]
        r.check(
            not value
            or (value.isascii() and value.isdigit() and shortest <= len(value) <= longest),
            f"{PAYOUT_TABLE}.{key} must be "
            + (f"{longest} digits" if shortest == longest else f"1 to {longest} digits"),
        )
    r.check(
        not values["account_type"] or values["account_type"] in ACCOUNT_TYPES,
        f"{PAYOUT_TABLE}.account_type must be one of {', '.join(ACCOUNT_TYPES)}",
    )
    r.check(
        len(values["requester_name_kana"]) <= 40,
        f"{PAYOUT_TABLE}.requester_name_kana must be at most 40 characters",
    )
    return CampaignPayoutConfig(
        requester_code=values["requester_code"],
        requester_name_kana=values["requester_name_kana"],
        bank=values["bank"],
        branch=values["branch"],
        account_type=values["account_type"],
        account_number=values["account_number"],
    )
