"""The mail that carries a campaign's one-time code (メール認証): Japanese first, then English,
sent through the node's SMTP settings ([web] smtp_*) like every other mail of the node."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from email.utils import formataddr

from node.campaigns.one_time_codes import LIFETIME
from node.config import Config
from node.errors import MessageNotSent, MethodNotConfigured
from node.web.brand import page_brand
from node.web.mail import send_message

log = logging.getLogger(__name__)


def code_message(config: Config, to: str, code: str) -> EmailMessage:
    brand = page_brand(config)
    minutes = int(LIFETIME.total_seconds() // 60)
    message = EmailMessage()
    message["Subject"] = f"【{brand.name}】確認コード / Your code"
    message["From"] = formataddr((brand.name, config.web.smtp_from))
    message["To"] = to
    message.set_content(
        f"{brand.label} のキャンペーン参加資格の確認コードです。{minutes}分以内に入力してください。\n\n"
        f"    {code}\n\n"
        "このメールに心当たりがない場合は、破棄してください。\n\n"
        f"{brand.name}\n"
        "----\n"
        f"Your code to prove eligibility for a {brand.label} campaign: {code}\n"
        f"Type it within {minutes} minutes. If you did not ask for it, ignore this email.\n"
    )
    return message


def require_mail(config: Config) -> None:
    """MethodNotConfigured when the node has no SMTP server to send codes through."""
    if not config.web.smtp_host:
        raise MethodNotConfigured(method="email")


async def mail_code(config: Config, to: str, code: str) -> None:
    """Send the code; MethodNotConfigured without SMTP, MessageNotSent when the server fails (the
    code is never logged)."""
    require_mail(config)
    try:
        await send_message(config.web, code_message(config, to, code))
    except (OSError, smtplib.SMTPException) as exc:
        log.error("could not send a campaign code by mail: %s", type(exc).__name__)
        raise MessageNotSent() from exc
