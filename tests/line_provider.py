"""A LINE Login provider in the test: the OpenID Connect authorization code flow with PKCE as LINE
documents it for web login, so node/campaigns/line_login.py's real client is what is tested.

    GET  /oauth2/v2.1/authorize?response_type=code&client_id&redirect_uri&state&scope=openid
         &nonce&code_challenge&code_challenge_method=S256
         -> 302 redirect_uri?code&state   (the user who "signs in" is `next_user`)
    POST /oauth2/v2.1/token  grant_type=authorization_code, code, redirect_uri, client_id,
         client_secret, code_verifier
         -> 200 {"access_token", "token_type": "Bearer", "expires_in", "scope", "id_token"}
         ID token: HS256 with the channel secret; iss, sub, aud (channel id), exp, iat, nonce
         -> 400 {"error": "invalid_grant", "error_description": ...} for anything wrong

A code is good once. `tamper` changes what the ID token says (another nonce, audience, issuer or
secret, an expired token) to show the node refuses it."""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import jwt
from aiohttp import web

CHANNEL_ID = "1234567890"
CHANNEL_SECRET = "line-channel-secret-0123456789abcdef"
ISSUER = "https://access.line.me"


@dataclass
class Grant:
    redirect_uri: str
    nonce: str
    challenge: str
    sub: str


@dataclass
class LineProvider:
    base_url: str = ""
    next_user: str = "U" + "0" * 32
    grants: dict[str, Grant] = field(default_factory=dict)
    tamper: dict[str, Any] = field(default_factory=dict)
    now: float | None = None  # the provider's clock (the test's fake one), seconds
    tokens_issued: int = 0

    @property
    def authorize_url(self) -> str:
        return f"{self.base_url}/oauth2/v2.1/authorize"

    @property
    def token_url(self) -> str:
        return f"{self.base_url}/oauth2/v2.1/token"


def _refuse(description: str) -> web.Response:
    return web.json_response(
        {"error": "invalid_grant", "error_description": description}, status=400
    )


def _authorize(provider: LineProvider) -> web.Handler:
    async def authorize(request: web.Request) -> web.StreamResponse:
        q = request.query
        if (
            q.get("response_type") != "code"
            or q.get("client_id") != CHANNEL_ID
            or "openid" not in q.get("scope", "").split()
            or q.get("code_challenge_method") != "S256"
            or not q.get("state")
            or not q.get("nonce")
            or not q.get("code_challenge")
        ):
            return web.Response(status=400, text="invalid_request")
        code = secrets.token_urlsafe(16)
        provider.grants[code] = Grant(
            q["redirect_uri"], q["nonce"], q["code_challenge"], provider.next_user
        )
        target = f"{q['redirect_uri']}?{urlencode({'code': code, 'state': q['state']})}"
        raise web.HTTPFound(target)

    return authorize


def _challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def _token(provider: LineProvider) -> web.Handler:
    async def token(request: web.Request) -> web.Response:
        form = await request.post()
        grant = provider.grants.pop(str(form.get("code", "")), None)
        if grant is None:
            return _refuse("invalid authorization code")
        if (
            form.get("grant_type") != "authorization_code"
            or form.get("client_id") != CHANNEL_ID
            or form.get("client_secret") != CHANNEL_SECRET
            or form.get("redirect_uri") != grant.redirect_uri
            or _challenge(str(form.get("code_verifier", ""))) != grant.challenge
        ):
            return _refuse("invalid client, redirect_uri or code_verifier")
        issued = int(provider.now if provider.now is not None else time.time())
        claims = {
            "iss": ISSUER,
            "sub": grant.sub,
            "aud": CHANNEL_ID,
            "exp": issued + 3600,
            "iat": issued,
            "nonce": grant.nonce,
            "amr": ["linesso"],
            **{k: v for k, v in provider.tamper.items() if k != "secret"},
        }
        secret = provider.tamper.get("secret", CHANNEL_SECRET)
        provider.tokens_issued += 1
        return web.json_response(
            {
                "access_token": secrets.token_urlsafe(24),
                "token_type": "Bearer",
                "expires_in": 2592000,
                "scope": "openid",
                "id_token": jwt.encode(claims, secret, algorithm="HS256"),
            }
        )

    return token


@asynccontextmanager
async def line_provider() -> AsyncIterator[LineProvider]:
    provider = LineProvider()
    app = web.Application()
    app.router.add_get("/oauth2/v2.1/authorize", _authorize(provider))
    app.router.add_post("/oauth2/v2.1/token", _token(provider))
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    provider.base_url = f"http://127.0.0.1:{port}"
    try:
        yield provider
    finally:
        await runner.cleanup()
