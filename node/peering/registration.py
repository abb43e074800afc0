"""Whether this node may let a partner accept its vouchers: 資金決済法 makes vouchers usable at
another company 第三者型, which needs registration (法7条) first. Pure.

A partnership becomes active, and the partner's stores start taking our vouchers, only through
an admin's act here: adding the partner, making an invitation, joining one, resuming a suspended
partner. Each checks this rule first, so a refusal changes nothing. The rule is a compliance rule
kept beside peering's actions because they sit below node.compliance (docs/architecture.md).
"""

from __future__ import annotations

from node.config.model import IssuerConfig
from node.errors import RegistrationRequired


def may_accept(issuer: IssuerConfig, node_id: str) -> bool:
    """Registered as a 第三者型発行者, or the partner is a declared 密接関係者 (keeps 自家型)."""
    return issuer.is_registered or node_id.strip().upper() in issuer.related_ids


def require_may_accept(issuer: IssuerConfig, node_id: str) -> None:
    if not may_accept(issuer, node_id):
        raise RegistrationRequired(
            "Partner acceptance makes our vouchers 第三者型: set [issuer] registration_number, or"
            " list the partner in [issuer] related_partners if it is a 密接関係者.",
            node_id=node_id.strip().upper(),
        )


def require_may_invite(issuer: IssuerConfig) -> None:
    """Anyone holding an invitation may join with it, related or not: registration first."""
    if not issuer.is_registered:
        raise RegistrationRequired(
            "An invitation lets any node join as a partner, which makes our vouchers 第三者型:"
            " set [issuer] registration_number first (a 密接関係者 is added with `kippu peer add`"
            " once listed in [issuer] related_partners).",
        )
