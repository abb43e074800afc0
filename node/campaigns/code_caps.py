"""Daily caps on one-time codes (1日の上限): pure rules.

The per-code rules (five tries, one send a minute: one_time_codes.py) bound one code; these bound
a day. A day is a calendar day of the node's zone (Asia/Tokyo): what a resident calls "today",
and when the counts start again. Each send and each wrong code is counted twice, for the subject
(the email address or phone number, whoever asks: a flood at one victim's phone stops) and for
the customer (whatever address they try: one account cannot walk through many numbers). The
counts key on a SHA-256 of the subject and of the customer id: the table keeps no address.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from node.config.model import CampaignCodesConfig

HOLDER_PURPOSE = b"kippu campaign code count v1\x00"


class Scope(StrEnum):
    SUBJECT = "subject"
    CUSTOMER = "customer"


class Event(StrEnum):
    SEND = "send"
    WRONG = "wrong"


@dataclass(frozen=True)
class Holders:
    """Whom a day's counts are kept for: the subject's and the customer's hashes."""

    subject: bytes
    customer: bytes


@dataclass(frozen=True)
class Counted:
    """So far today, of one event: for the subject, and for the customer."""

    subject: int
    customer: int


def holders(subject: str, customer_id: str) -> Holders:
    def digest(scope: Scope, text: str) -> bytes:
        return hashlib.sha256(HOLDER_PURPOSE + scope.encode() + b"\x00" + text.encode()).digest()

    return Holders(digest(Scope.SUBJECT, subject), digest(Scope.CUSTOMER, customer_id))


def day_of(now: datetime, zone: ZoneInfo) -> str:
    """The day `now` falls on in the node's zone, as YYYY-MM-DD."""
    return now.astimezone(zone).date().isoformat()


def is_under_cap(counted: Counted, event: Event, caps: CampaignCodesConfig) -> bool:
    """May one more `event` happen today?"""
    if event is Event.SEND:
        limits = (caps.sends_per_subject, caps.sends_per_customer)
    else:
        limits = (caps.wrong_per_subject, caps.wrong_per_customer)
    return counted.subject < limits[0] and counted.customer < limits[1]
