"""SQL of the sign-ins in progress: a LINE Login's state (campaign_login_states) and a passkey
registration's challenge (campaign_passkey_challenges). Each is taken once: read and deleted in
the same statement, so a replayed callback or response finds nothing."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from node.ledger.rows import from_epoch, to_epoch


@dataclass(frozen=True)
class LoginState:
    campaign_id: str
    customer_id: str
    nonce: str
    code_verifier: str
    expires_at: datetime


@dataclass(frozen=True)
class PasskeyChallenge:
    campaign_id: str
    customer_id: str
    challenge: bytes
    expires_at: datetime


def put_login_state(conn: sqlite3.Connection, state_hash: bytes, state: LoginState) -> None:
    conn.execute(
        "INSERT INTO campaign_login_states (state_hash, campaign_id, customer_id, nonce,"
        " code_verifier, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
        (
            state_hash,
            state.campaign_id,
            state.customer_id,
            state.nonce,
            state.code_verifier,
            to_epoch(state.expires_at),
        ),
    )


def take_login_state(conn: sqlite3.Connection, state_hash: bytes) -> LoginState | None:
    row = conn.execute(
        "DELETE FROM campaign_login_states WHERE state_hash = ?"
        " RETURNING campaign_id, customer_id, nonce, code_verifier, expires_at",
        (state_hash,),
    ).fetchone()
    if row is None:
        return None
    return LoginState(
        row["campaign_id"],
        row["customer_id"],
        row["nonce"],
        row["code_verifier"],
        from_epoch(row["expires_at"]),
    )


def drop_expired_logins(conn: sqlite3.Connection, now: datetime) -> None:
    """Sign-ins started and never finished go when the next one starts."""
    conn.execute("DELETE FROM campaign_login_states WHERE expires_at <= ?", (to_epoch(now),))
    conn.execute("DELETE FROM campaign_passkey_challenges WHERE expires_at <= ?", (to_epoch(now),))


def put_challenge(conn: sqlite3.Connection, challenge: PasskeyChallenge) -> None:
    """The resident's one registration in progress for the campaign (a newer replaces it)."""
    conn.execute(
        "INSERT INTO campaign_passkey_challenges (campaign_id, customer_id, challenge, expires_at)"
        " VALUES (?, ?, ?, ?) ON CONFLICT (campaign_id, customer_id) DO UPDATE SET"
        " challenge = excluded.challenge, expires_at = excluded.expires_at",
        (
            challenge.campaign_id,
            challenge.customer_id,
            challenge.challenge,
            to_epoch(challenge.expires_at),
        ),
    )


def take_challenge(
    conn: sqlite3.Connection, campaign_id: str, customer_id: str
) -> PasskeyChallenge | None:
    row = conn.execute(
        "DELETE FROM campaign_passkey_challenges WHERE campaign_id = ? AND customer_id = ?"
        " RETURNING challenge, expires_at",
        (campaign_id, customer_id),
    ).fetchone()
    if row is None:
        return None
    return PasskeyChallenge(
        campaign_id, customer_id, bytes(row["challenge"]), from_epoch(row["expires_at"])
    )
