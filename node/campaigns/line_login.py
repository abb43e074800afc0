"""LINE Login through OpenID Connect (authorization code flow with PKCE), as eligibility uses it:
the authorize address, the token exchange and the ID token's checks. The proof's subject is the
ID token's `sub`, one per LINE account.

LINE signs a web login's ID token with HS256 and the channel secret; we check the signature,
`iss` ([campaigns.line] issuer, https://access.line.me), `aud` (the channel id), `exp` and `iat`
against the node's clock (so a node with a wrong clock is caught by its tests, not by PyJWT's
wall clock) and `nonce` (the one this sign-in was started with). The tests run an OpenID
provider in the test speaking this flow (tests/line_provider.py)."""

from __future__ import annotations

import base64
import hashlib
import logging
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import aiohttp
import jwt

from node.config.model import CampaignLineConfig
from node.errors import LoginFailed, MessageNotSent

log = logging.getLogger(__name__)
TIMEOUT = aiohttp.ClientTimeout(total=15)
CALLBACK_PATH = "/wallet/line/callback"
CLOCK_SKEW = timedelta(minutes=2)
MAX_SUB_CHARS = 128


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def b64url_bytes(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def code_challenge(verifier: str) -> str:
    """PKCE S256: the verifier's SHA-256, base64url without padding (RFC 7636)."""
    return b64url(hashlib.sha256(verifier.encode("ascii")).digest())


def redirect_uri(config: CampaignLineConfig, public_url: str) -> str:
    return f"{config.redirect_base or public_url}{CALLBACK_PATH}"


def authorize_url(
    config: CampaignLineConfig, redirect: str, state: str, nonce: str, verifier: str
) -> str:
    query = {
        "response_type": "code",
        "client_id": config.channel_id,
        "redirect_uri": redirect,
        "state": state,
        "scope": "openid",
        "nonce": nonce,
        "code_challenge": code_challenge(verifier),
        "code_challenge_method": "S256",
    }
    return f"{config.authorize_url}?{urlencode(query)}"


async def exchange_code(config: CampaignLineConfig, redirect: str, code: str, verifier: str) -> str:
    """The ID token for the authorization code (POST to the token endpoint). A refusal of the
    code is LoginFailed; no answer from LINE is MessageNotSent (try again later)."""
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect,
        "client_id": config.channel_id,
        "client_secret": config.channel_secret,
        "code_verifier": verifier,
    }
    try:
        async with (
            aiohttp.ClientSession(timeout=TIMEOUT) as session,
            session.post(config.token_url, data=form) as response,
        ):
            status = response.status
            payload: Any = await response.json(content_type=None)
    except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
        log.error("LINE token endpoint unreachable or unreadable: %s", type(exc).__name__)
        raise MessageNotSent() from exc
    token = payload.get("id_token") if isinstance(payload, dict) else None
    if status == 200 and isinstance(token, str) and token:
        return token
    if 400 <= status < 500:
        error = payload.get("error") if isinstance(payload, dict) else None
        log.warning("LINE refused the code: %s %s", status, str(error)[:40])
        raise LoginFailed()
    log.error("LINE token endpoint answered %s", status)
    raise MessageNotSent()


def verified_subject(config: CampaignLineConfig, id_token: str, nonce: str, now: datetime) -> str:
    """The ID token's `sub` once every check passes; LoginFailed otherwise."""
    try:
        claims = jwt.decode(
            id_token,
            config.channel_secret,
            algorithms=["HS256"],
            audience=config.channel_id,
            issuer=config.issuer,
            options={
                "require": ["iss", "sub", "aud", "exp", "iat"],
                "verify_exp": False,
                "verify_iat": False,
            },
        )
    except jwt.PyJWTError as exc:
        log.warning("LINE ID token refused: %s", type(exc).__name__)
        raise LoginFailed() from exc
    moment = now.timestamp()
    exp, iat, sub = claims.get("exp"), claims.get("iat"), claims.get("sub")
    if not (
        isinstance(exp, int | float)
        and isinstance(iat, int | float)
        and moment < exp + CLOCK_SKEW.total_seconds()
        and iat <= moment + CLOCK_SKEW.total_seconds()
        and claims.get("nonce") == nonce
        and isinstance(sub, str)
        and 0 < len(sub) <= MAX_SUB_CHARS
        and sub.isprintable()
    ):
        log.warning("LINE ID token refused: expired, from the future, or another sign-in's")
        raise LoginFailed()
    return sub
