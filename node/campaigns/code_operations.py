"""Writer units of one-time codes: storing a new code (refused when the address or number already
proved eligibility for someone else, a code went out under a minute ago, or the day's sends are
used up), and a typed code's check, which spends a try or records the proof, in one transaction.

A wrong code must cost its try even though the answer is a refusal, so `confirm_code` answers an
outcome instead of raising: the unit commits the spent try, and the caller raises.

The day's caps (code_caps.py) are read and counted in the same unit as the send or the check:
the writer runs one unit at a time, so parallel requests cannot both take the last one."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from node.campaigns import code_caps, code_count_tables, code_tables, verification_tables
from node.campaigns.code_caps import Event
from node.campaigns.model import Method
from node.campaigns.one_time_codes import Channel, Outcome, PendingCode, check, may_resend
from node.campaigns.verification_model import Verification
from node.campaigns.verification_operations import record_verification, require_method
from node.config.model import CampaignCodesConfig
from node.errors import OneTimeCodeSendsCapped, SubjectTaken, Throttled


@dataclass(frozen=True)
class Checked:
    outcome: Outcome
    tries_left: int
    proof: Verification | None = None
    is_capped: bool = False  # the day's wrong codes are used up: nothing was checked


def store_code(
    code: PendingCode, caps: CampaignCodesConfig, day: str
) -> Callable[[sqlite3.Connection], None]:
    """`day`: today in the node's zone (code_caps.day_of)."""
    method = Method(code.channel.value)
    who = code_caps.holders(code.subject, code.customer_id)

    def work(conn: sqlite3.Connection) -> None:
        require_method(conn, code.campaign_id, method)
        holder = verification_tables.subject_holder(conn, code.campaign_id, method, code.subject)
        if holder is not None and holder != code.customer_id:
            raise SubjectTaken(method=method.value)
        earlier = code_tables.pending_code(conn, code.campaign_id, code.customer_id, code.channel)
        if not may_resend(earlier, code.sent_at):
            raise Throttled()
        if not code_caps.is_under_cap(
            code_count_tables.counted(conn, day, Event.SEND, who), Event.SEND, caps
        ):
            raise OneTimeCodeSendsCapped()
        code_count_tables.forget_before(conn, day)
        code_count_tables.count_one(conn, day, Event.SEND, who)
        code_tables.put_code(conn, code)

    return work


def confirm_code(
    campaign_id: str,
    customer_id: str,
    channel: Channel,
    typed: str,
    now: datetime,
    caps: CampaignCodesConfig,
    day: str,
) -> Callable[[sqlite3.Connection], Checked]:
    """`typed` is six digits already (one_time_codes.typed_code). Once the day's wrong codes
    are used up, no code is compared, not even the right one: a guesser learns nothing more."""

    def work(conn: sqlite3.Connection) -> Checked:
        pending = code_tables.pending_code(conn, campaign_id, customer_id, channel)
        outcome = check(pending, typed, now)
        if pending is None or outcome in (Outcome.EXPIRED, Outcome.LOCKED):
            return Checked(outcome, 0)
        who = code_caps.holders(pending.subject, customer_id)
        wrong = code_count_tables.counted(conn, day, Event.WRONG, who)
        if not code_caps.is_under_cap(wrong, Event.WRONG, caps):
            return Checked(outcome, pending.tries_left, is_capped=True)
        if outcome is Outcome.WRONG:
            code_count_tables.count_one(conn, day, Event.WRONG, who)
            return Checked(outcome, code_tables.spend_try(conn, pending))
        code_tables.drop_code(conn, pending)
        proof = record_verification(
            conn, campaign_id, customer_id, Method(channel.value), pending.subject, now
        )
        return Checked(outcome, pending.tries_left, proof)

    return work
