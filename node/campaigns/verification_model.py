"""What a resident proved for a campaign: the methods of eligibility (資格確認) and one proof."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Method(StrEnum):
    """A way to prove eligibility. A campaign lists the ones it requires; a resident passes all."""

    SERIAL = "serial"  # a printed serial code mailed to the household
    EMAIL = "email"  # a one-time code sent to an email address
    SMS = "sms"  # a one-time code sent by SMS to a Japanese mobile number
    LINE = "line"  # LINE Login (OpenID Connect): the account's `sub`
    PASSKEY = "passkey"  # a device-bound passkey (WebAuthn): one per device
    RESIDENCE = "residence"  # a self-declared postcode inside the campaign's area


@dataclass(frozen=True)
class Verification:
    """One proof: `subject` is what makes it one-per-something (the serial's hash, the phone
    number in E.164, the LINE `sub`, the passkey's credential id, the email address, or for
    residence `<postcode>:<customer id>`, since many residents share a postcode)."""

    campaign_id: str
    customer_id: str
    method: Method
    subject: str
    verified_at: datetime
