"""Writer units of one-time codes: storing a new code (refused when the address or number already
proved eligibility for someone else, or a code went out under a minute ago), and a typed code's
check, which spends a try or records the proof, in one transaction.

A wrong code must cost its try even though the answer is a refusal, so `confirm_code` answers an
outcome instead of raising: the unit commits the spent try, and the caller raises."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from node.campaigns import code_tables, verification_tables
from node.campaigns.model import Method
from node.campaigns.one_time_codes import Channel, Outcome, PendingCode, check, may_resend
from node.campaigns.verification_model import Verification
from node.campaigns.verification_operations import record_verification, require_method
from node.errors import SubjectTaken, Throttled


@dataclass(frozen=True)
class Checked:
    outcome: Outcome
    tries_left: int
    proof: Verification | None = None


def store_code(code: PendingCode) -> Callable[[sqlite3.Connection], None]:
    method = Method(code.channel.value)

    def work(conn: sqlite3.Connection) -> None:
        require_method(conn, code.campaign_id, method)
        holder = verification_tables.subject_holder(conn, code.campaign_id, method, code.subject)
        if holder is not None and holder != code.customer_id:
            raise SubjectTaken(method=method.value)
        earlier = code_tables.pending_code(conn, code.campaign_id, code.customer_id, code.channel)
        if not may_resend(earlier, code.sent_at):
            raise Throttled()
        code_tables.put_code(conn, code)

    return work


def confirm_code(
    campaign_id: str, customer_id: str, channel: Channel, typed: str, now: datetime
) -> Callable[[sqlite3.Connection], Checked]:
    """`typed` is six digits already (one_time_codes.typed_code)."""

    def work(conn: sqlite3.Connection) -> Checked:
        pending = code_tables.pending_code(conn, campaign_id, customer_id, channel)
        outcome = check(pending, typed, now)
        if pending is None or outcome in (Outcome.EXPIRED, Outcome.LOCKED):
            return Checked(outcome, 0)
        if outcome is Outcome.WRONG:
            return Checked(outcome, code_tables.spend_try(conn, pending))
        code_tables.drop_code(conn, pending)
        proof = record_verification(
            conn, campaign_id, customer_id, Method(channel.value), pending.subject, now
        )
        return Checked(outcome, pending.tries_left, proof)

    return work
