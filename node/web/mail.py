"""Sending a customer's sign-in link: by SMTP when configured, else into the node's log (development)."""

from __future__ import annotations

import asyncio
import logging
import os
import smtplib
from email.message import EmailMessage
from email.utils import formataddr

from node.config import WebConfig
from node.web.brand import PageBrand

log = logging.getLogger(__name__)
SMTP_TIMEOUT_S = 20
PASSWORD_VARIABLE = "KIPPU_SMTP_PASSWORD"  # noqa: S105 (the name of a variable, not a password)


def _message(config: WebConfig, brand: PageBrand, to: str, link: str) -> EmailMessage:
    """Japanese first, then English; the brand in the subject, the sender's name and the body."""
    message = EmailMessage()
    message["Subject"] = f"【{brand.name}】ログイン用リンク / Sign-in link"
    message["From"] = formataddr((brand.name, config.smtp_from))
    message["To"] = to
    message.set_content(
        f"{brand.label} のマイ商品券にログインするには、15分以内に次のリンクを開いてください。\n\n"
        f"{link}\n\n"
        "このメールに心当たりがない場合は、破棄してください。\n\n"
        f"{brand.name}\n"
        "----\n"
        f"To sign in to your {brand.label} vouchers, open the link above within 15 minutes.\n"
        "If you did not ask for this, ignore this email.\n"
    )
    return message


def _send(config: WebConfig, message: EmailMessage) -> None:
    with smtplib.SMTP(config.smtp_host, config.smtp_port, timeout=SMTP_TIMEOUT_S) as smtp:
        if config.smtp_starttls:
            smtp.starttls()
        if config.smtp_user:
            smtp.login(config.smtp_user, os.environ.get(PASSWORD_VARIABLE, ""))
        smtp.send_message(message)


async def send_sign_in_link(config: WebConfig, brand: PageBrand, to: str, link: str) -> bool:
    """True when sent (or logged for development); False when the SMTP server failed (logged)."""
    if not config.smtp_host:
        log.warning("no [web] smtp_host: sign-in link for %s (development only): %s", to, link)
        return True
    try:
        await asyncio.to_thread(_send, config, _message(config, brand, to, link))
    except (OSError, smtplib.SMTPException) as exc:
        log.error("could not send the sign-in link to %s: %s", to, exc)
        return False
    return True


async def send_message(config: WebConfig, message: EmailMessage) -> None:
    """Send a prepared message by SMTP in a worker thread; OSError or SMTPException on failure."""
    await asyncio.to_thread(_send, config, message)
