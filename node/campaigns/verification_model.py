"""One proof of eligibility a resident passed for a campaign (its method is model.Method)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from node.campaigns.model import Method


@dataclass(frozen=True)
class Verification:
    """`subject` is what makes a proof one-per-something: the serial code's hash, the phone number
    in E.164, the LINE `sub`, the passkey's credential id, the email address, or for residence
    `<postcode>:<customer id>` (many residents share a postcode)."""

    campaign_id: str
    customer_id: str
    method: Method
    subject: str
    verified_at: datetime
