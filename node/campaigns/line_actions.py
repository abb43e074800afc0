"""LINE Login as the wallet uses it (takes `Node`): starting a sign-in for a campaign (the state,
nonce and PKCE verifier stored for ten minutes) and finishing it at the callback (the state taken
once, the code exchanged, the ID token checked, the `sub` recorded as the proof)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from node.campaigns import line_login, login_operations
from node.campaigns.login_tables import LoginState
from node.campaigns.model import Method
from node.campaigns.verification_model import proof_answer
from node.config.model import CampaignLineConfig
from node.errors import LoginFailed, MethodNotConfigured
from node.runtime import Node

LOGIN_LIFETIME = timedelta(minutes=10)
MAX_PARAMETER_CHARS = 512


def _state_hash(state: str) -> bytes:
    return hashlib.sha256(b"kippu line state v1\x00" + state.encode("utf-8")).digest()


def _config(node: Node) -> CampaignLineConfig:
    config = node.config.campaign_line
    if not config.is_enabled:
        raise MethodNotConfigured(method="line")
    return config


async def start(node: Node, campaign_id: str, customer_id: str) -> str:
    """The LINE authorize address to send the resident's browser to."""
    config, now = _config(node), node.clock.now()
    state = line_login.b64url(node.rng.token_bytes(24))
    nonce = line_login.b64url(node.rng.token_bytes(24))
    verifier = line_login.b64url(node.rng.token_bytes(48))  # 64 characters: RFC 7636's 43..128
    pending = LoginState(campaign_id, customer_id, nonce, verifier, now + LOGIN_LIFETIME)
    await node.require_writer().submit(
        login_operations.start_login(_state_hash(state), pending, now)
    )
    redirect = line_login.redirect_uri(config, node.config.node.public_url)
    return line_login.authorize_url(config, redirect, state, nonce, verifier)


@dataclass(frozen=True)
class Finished:
    campaign_id: str
    answer: dict[str, Any]


async def finish(node: Node, customer_id: str, state: str, code: str) -> Finished:
    """The callback: LoginFailed for an unknown, used, expired or another resident's state, and
    for a refused code or ID token; the proof otherwise."""
    config = _config(node)
    if not (0 < len(state) <= MAX_PARAMETER_CHARS and 0 < len(code) <= MAX_PARAMETER_CHARS):
        raise LoginFailed()
    pending = await node.require_writer().submit(login_operations.take_login(_state_hash(state)))
    now = node.clock.now()
    if pending is None or pending.customer_id != customer_id or now >= pending.expires_at:
        raise LoginFailed()
    redirect = line_login.redirect_uri(config, node.config.node.public_url)
    token = await line_login.exchange_code(config, redirect, code, pending.code_verifier)
    sub = line_login.verified_subject(config, token, pending.nonce, node.clock.now())
    proof = await node.require_writer().submit(
        login_operations.record(pending.campaign_id, customer_id, Method.LINE, sub, now)
    )
    return Finished(pending.campaign_id, proof_answer(proof))
