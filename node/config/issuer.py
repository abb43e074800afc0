"""The [issuer] and [stripe] tables of config.toml: checked at start, every problem with its key.

[issuer] holds what the Payment Services Act (資金決済法13条, 府令21-22条) makes a voucher's issuer
show, and what decides a voucher's class (自家型, 第三者型, exempt: node/compliance/). [stripe]
holds the card processor's keys; the secret ones are best given by the environment, which wins.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from node.config.model import IssuerConfig, StripeConfig

if TYPE_CHECKING:
    from node.config.reading import _Reader

MAX_LINE_CHARS = 200
MAX_TEXT_CHARS = 20_000
DEPOSIT_METHODS = ("", "deposit", "guarantee", "trust")
SECRET_KEY_VARIABLE = "KIPPU_STRIPE_SECRET_KEY"  # noqa: S105 (a variable's name)
WEBHOOK_SECRET_VARIABLE = "KIPPU_STRIPE_WEBHOOK_SECRET"  # noqa: S105 (a variable's name)
ISSUER_KEYS = {
    "legal_name",
    "address",
    "complaint_desk",
    "terms_url",
    "terms_text",
    "cautions",
    "registration_number",
    "related_partners",
    "deposit_method",
    "fraud_policy",
}
STRIPE_KEYS = {"secret_key", "publishable_key", "webhook_secret", "api_base", "js_url"}


def read_issuer(r: _Reader) -> IssuerConfig:
    related = r.get("issuer", "related_partners", list, [])
    names: list[str] = []
    for entry in related:
        if isinstance(entry, str) and entry.strip() and entry.strip().isprintable():
            names.append(entry.strip())
        else:
            r.problems.append(
                f"issuer.related_partners must list partner node ids as text, got {entry!r}"
            )
    terms_url = _line(r, "terms_url")
    r.check(
        not terms_url or terms_url.startswith(("https://", "http://")),
        f"issuer.terms_url must start with https:// (or http://), got {terms_url!r}",
    )
    deposit = _line(r, "deposit_method")
    r.check(
        deposit in DEPOSIT_METHODS,
        "issuer.deposit_method must be deposit (供託), guarantee (保全契約), trust (信託契約)"
        f" or empty, got {deposit!r}",
    )
    return IssuerConfig(
        legal_name=_line(r, "legal_name"),
        address=_line(r, "address"),
        complaint_desk=_line(r, "complaint_desk"),
        terms_url=terms_url,
        terms_text=_text(r, "terms_text"),
        cautions=_text(r, "cautions"),
        registration_number=_line(r, "registration_number"),
        related_partners=tuple(dict.fromkeys(names)),
        deposit_method=deposit,
        fraud_policy=_text(r, "fraud_policy"),
    )


def read_stripe(r: _Reader, environ: Mapping[str, str]) -> StripeConfig:
    """The keys from the file, the environment's secret ones winning; each checked by its prefix
    so that a publishable key pasted as the secret (or a live key in a test) is caught at start."""
    secret = environ.get(SECRET_KEY_VARIABLE) or _line(r, "secret_key", table="stripe")
    webhook = environ.get(WEBHOOK_SECRET_VARIABLE) or _line(r, "webhook_secret", table="stripe")
    publishable = _line(r, "publishable_key", table="stripe")
    r.check(
        not secret or secret.startswith(("sk_test_", "sk_live_", "rk_test_", "rk_live_")),
        "stripe.secret_key (or KIPPU_STRIPE_SECRET_KEY) must be a secret key: sk_test_... or"
        " sk_live_... (the value is not shown)",
    )
    r.check(
        not publishable or publishable.startswith(("pk_test_", "pk_live_")),
        f"stripe.publishable_key must start with pk_test_ or pk_live_, got {publishable[:8]!r}...",
    )
    r.check(
        not webhook or webhook.startswith("whsec_"),
        "stripe.webhook_secret (or KIPPU_STRIPE_WEBHOOK_SECRET) must start with whsec_"
        " (the value is not shown)",
    )
    r.check(
        bool(secret) == bool(publishable),
        "stripe.secret_key and stripe.publishable_key go together: set both or neither",
    )
    r.check(
        not secret or bool(webhook),
        "stripe.webhook_secret is needed with a secret key: without it no payment event can be"
        " trusted",
    )
    api_base = _line(r, "api_base", table="stripe").rstrip("/")
    js_url = _line(r, "js_url", table="stripe") or StripeConfig().js_url
    for key, url in (("api_base", api_base), ("js_url", js_url)):
        r.check(
            not url or url.startswith(("https://", "http://127.0.0.1", "http://[::1]")),
            f"stripe.{key} must be an https:// URL (http only on 127.0.0.1), got {url!r}",
        )
    return StripeConfig(
        secret_key=secret,
        publishable_key=publishable,
        webhook_secret=webhook,
        api_base=api_base,
        js_url=js_url,
    )


def _line(r: _Reader, key: str, table: str = "issuer") -> str:
    text = str(r.get(table, key, str, "")).strip()
    r.check(
        text.isprintable() and len(text) <= MAX_LINE_CHARS,
        f"{table}.{key} must be one line of at most {MAX_LINE_CHARS} characters",
    )
    return text


def _text(r: _Reader, key: str) -> str:
    text = str(r.get("issuer", key, str, "")).strip()
    r.check(
        len(text) <= MAX_TEXT_CHARS and all(ch.isprintable() or ch in "\n\t" for ch in text),
        f"issuer.{key} must be text of at most {MAX_TEXT_CHARS} characters",
    )
    return text
