"""The [campaigns.sms] and [campaigns.line] tables of config.toml: the outside services a
campaign's eligibility checks speak to (an SMS provider, LINE Login). Secrets come from the
environment variable each table names, never from the file."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from node.config.model import CampaignLineConfig, CampaignSmsConfig

if TYPE_CHECKING:
    from node.config.reading import _Reader

SMS_KEYS = {"provider", "base_url", "account_sid", "auth_token_env", "from_number"}
LINE_KEYS = {
    "channel_id",
    "channel_secret_env",
    "authorize_url",
    "token_url",
    "issuer",
    "redirect_base",
}
SMS_PROVIDERS = ("twilio",)
DEFAULT_TOKEN_VARIABLE = "KIPPU_TWILIO_AUTH_TOKEN"  # noqa: S105 (a variable's name)
DEFAULT_SECRET_VARIABLE = "KIPPU_LINE_CHANNEL_SECRET"  # noqa: S105 (a variable's name)
VARIABLE = re.compile(r"[A-Z_][A-Z0-9_]{0,63}")
E164 = re.compile(r"\+[1-9][0-9]{6,14}")
MAX_LINE_CHARS = 200


def _line(r: _Reader, table: str, key: str, default: str = "") -> str:
    text = str(r.get(table, key, str, default)).strip()
    r.check(
        text.isprintable() and len(text) <= MAX_LINE_CHARS,
        f"{table}.{key} must be one line of at most {MAX_LINE_CHARS} characters",
    )
    return text


def _url(r: _Reader, table: str, key: str, default: str) -> str:
    url = _line(r, table, key, default).rstrip("/")
    r.check(
        not url or url.startswith(("https://", "http://127.0.0.1", "http://[::1]")),
        f"{table}.{key} must be an https:// URL (http only on 127.0.0.1), got {url!r}",
    )
    return url


def _secret(
    r: _Reader, table: str, key: str, default: str, environ: Mapping[str, str]
) -> tuple[str, str]:
    """(the variable's name, its value); the value is never put in a problem."""
    name = _line(r, table, key, default)
    r.check(bool(VARIABLE.fullmatch(name)), f"{table}.{key} must name an environment variable")
    return name, environ.get(name, "").strip()


def read_campaign_sms(r: _Reader, environ: Mapping[str, str]) -> CampaignSmsConfig:
    table, d = "campaigns.sms", CampaignSmsConfig()
    provider = _line(r, table, "provider")
    r.check(
        provider in ("", *SMS_PROVIDERS),
        f'{table}.provider must be one of {", ".join(SMS_PROVIDERS)} (or "": off)',
    )
    base_url = _url(r, table, "base_url", d.base_url)
    sid = _line(r, table, "account_sid")
    variable, token = _secret(r, table, "auth_token_env", DEFAULT_TOKEN_VARIABLE, environ)
    sender = _line(r, table, "from_number")
    if provider:
        r.check(bool(base_url), f"{table}.base_url is needed with a provider")
        r.check(
            bool(re.fullmatch(r"AC[0-9a-fA-F]{32}", sid)),
            f"{table}.account_sid must be AC and 32 hex digits",
        )
        r.check(bool(token), f"{table}: the environment variable {variable} must hold the token")
        r.check(bool(E164.fullmatch(sender)), f"{table}.from_number must be E.164 (+81...)")
    return CampaignSmsConfig(provider, base_url, sid, token, sender)


def read_campaign_line(r: _Reader, environ: Mapping[str, str]) -> CampaignLineConfig:
    table, d = "campaigns.line", CampaignLineConfig()
    channel_id = _line(r, table, "channel_id")
    variable, secret = _secret(r, table, "channel_secret_env", DEFAULT_SECRET_VARIABLE, environ)
    authorize_url = _url(r, table, "authorize_url", d.authorize_url)
    token_url = _url(r, table, "token_url", d.token_url)
    issuer = _url(r, table, "issuer", d.issuer)
    redirect_base = _url(r, table, "redirect_base", "")
    if channel_id:
        r.check(channel_id.isdigit(), f"{table}.channel_id must be the channel's number")
        r.check(bool(secret), f"{table}: the environment variable {variable} must hold the secret")
        for key, url in (("authorize_url", authorize_url), ("token_url", token_url)):
            r.check(bool(url), f"{table}.{key} is needed with a channel")
        r.check(bool(issuer), f"{table}.issuer is needed with a channel")
    return CampaignLineConfig(channel_id, secret, authorize_url, token_url, issuer, redirect_base)
