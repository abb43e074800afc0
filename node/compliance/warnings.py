"""What the console's home and `kippu status` warn of while the issuer's 資金決済法 duties are not
met: a required display item not set, or partners accepting our vouchers without registration.
Pure: each warning is one English line naming the config key to set (the console shows its own
Japanese words for the same facts)."""

from __future__ import annotations

from node.compliance.display import REQUIRED_ITEMS, missing_items
from node.compliance.model import Acceptance
from node.config.model import IssuerConfig


def display_warnings(issuer: IssuerConfig) -> list[str]:
    """One line per required [issuer] item not set."""
    labels = dict(REQUIRED_ITEMS)
    return [
        f"{key} is not set: the legal display (資金決済法13条, {labels[key]}) needs it"
        for key in missing_items(issuer)
    ]


def acceptance_warnings(issuer: IssuerConfig, acceptance: Acceptance) -> list[str]:
    """Partners made active before the registration check (an upgraded node) still accepting
    our vouchers without a registration: they make them 第三者型 unregistered."""
    unrelated = acceptance.unrelated_partners
    if issuer.is_registered or not unrelated:
        return []
    return [
        f"{len(unrelated)} active partner(s) not in issuer.related_partners accept our vouchers,"
        " which makes them 第三者型: set issuer.registration_number (資金決済法7条) or suspend"
        " those partners"
    ]


def compliance_warnings(issuer: IssuerConfig, acceptance: Acceptance) -> list[str]:
    return display_warnings(issuer) + acceptance_warnings(issuer, acceptance)
