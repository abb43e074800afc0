"""Writer units of sign-ins in progress: a LINE Login's state and a passkey's challenge stored
when one starts, and taken (once) when it finishes; the proof is recorded by the caller's next
unit, after the outside check (LINE's token endpoint, the passkey's signature) passed."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime

from node.campaigns import login_tables
from node.campaigns.login_tables import LoginState, PasskeyChallenge
from node.campaigns.model import Method
from node.campaigns.verification_model import Verification
from node.campaigns.verification_operations import record_verification, require_method


def start_login(
    state_hash: bytes, state: LoginState, now: datetime
) -> Callable[[sqlite3.Connection], None]:
    def work(conn: sqlite3.Connection) -> None:
        require_method(conn, state.campaign_id, Method.LINE)
        login_tables.drop_expired_logins(conn, now)
        login_tables.put_login_state(conn, state_hash, state)

    return work


def take_login(state_hash: bytes) -> Callable[[sqlite3.Connection], LoginState | None]:
    def work(conn: sqlite3.Connection) -> LoginState | None:
        return login_tables.take_login_state(conn, state_hash)

    return work


def start_passkey(
    challenge: PasskeyChallenge, now: datetime
) -> Callable[[sqlite3.Connection], None]:
    def work(conn: sqlite3.Connection) -> None:
        require_method(conn, challenge.campaign_id, Method.PASSKEY)
        login_tables.drop_expired_logins(conn, now)
        login_tables.put_challenge(conn, challenge)

    return work


def take_passkey(
    campaign_id: str, customer_id: str
) -> Callable[[sqlite3.Connection], PasskeyChallenge | None]:
    def work(conn: sqlite3.Connection) -> PasskeyChallenge | None:
        return login_tables.take_challenge(conn, campaign_id, customer_id)

    return work


def record(
    campaign_id: str, customer_id: str, method: Method, subject: str, now: datetime
) -> Callable[[sqlite3.Connection], Verification]:
    def work(conn: sqlite3.Connection) -> Verification:
        return record_verification(conn, campaign_id, customer_id, method, subject, now)

    return work
