"""One proof of eligibility a resident passed for a campaign (its method is model.Method), and
the answer every check gives once it is recorded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from node.campaigns.model import Method
from node.clock import iso


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


def proof_answer(proof: Verification) -> dict[str, Any]:
    """What every check answers once its proof is recorded (the subject is not repeated)."""
    return {
        "campaign_id": proof.campaign_id,
        "method": proof.method.value,
        "verified_at": iso(proof.verified_at),
    }
