"""The points-expiring mail (ポイント失効のお知らせ) and the job that records and sends notices
every NOTICE_EVERY_S while the node serves (node/points/notices.py holds the rules).

Though the mail is a notice the member asked for, it carries what 特定電子メール法 asks of any
mail sent to many: who sends it (the issuer's name, address and contact from [issuer], else the
brand), and how to stop it (the wallet's switch, with its address)."""

from __future__ import annotations

import logging
import smtplib
from collections.abc import AsyncIterator
from email.message import EmailMessage
from email.utils import formataddr

from aiohttp import web

from node.config import Config
from node.periodic import every
from node.points import notices
from node.points.notices import ExpiryMail
from node.runtime import NODE, Node
from node.web.brand import page_brand
from node.web.mail import send_message

log = logging.getLogger(__name__)
NOTICE_EVERY_S = 3600
WALLET_PATH = "/wallet"


def expiry_message(config: Config, mail: ExpiryMail) -> EmailMessage:
    """Japanese first, then English: the points, their last day, who sends it, how to stop."""
    brand = page_brand(config)
    issuer = config.issuer
    wallet = config.node.public_url + WALLET_PATH
    day = mail.last_day
    sender_lines = [issuer.legal_name or brand.company]
    sender_lines += [line for line in (issuer.address, issuer.complaint_desk) if line]
    sender = "\n".join(sender_lines)
    message = EmailMessage()
    message["Subject"] = f"【{brand.name}】ポイント失効のお知らせ / Your points expire soon"
    message["From"] = formataddr((brand.name, config.web.smtp_from))
    message["To"] = mail.to
    message.set_content(
        f"{brand.label} をご利用いただきありがとうございます。\n\n"
        f"お持ちのポイントのうち {mail.points:,}pt の有効期限は"
        f" {day.year}年{day.month}月{day.day}日 までです。"
        "期限を過ぎると失効しますので、お早めにご利用ください。\n"
        f"ポイント残高と会員証はマイページでご覧いただけます: {wallet}\n\n"
        "このメールは、ポイント失効のお知らせの受け取りを希望された方にお送りしています。\n"
        "配信を停止するには、マイページの会員証で「ポイント失効のお知らせ」をオフにしてください:"
        f" {wallet}\n\n"
        f"送信者:\n{sender}\n"
        "----\n"
        f"{mail.points:,} of your {brand.label} points can be used until {day.isoformat()}"
        " and expire after that day.\n"
        f"Your balance and membership card: {wallet}\n"
        "You get this mail because you asked for notices before your points expire. To stop"
        " them, turn off the points expiry notice on the membership card in your wallet:"
        f" {wallet}\n"
        f"Sender: {sender.replace(chr(10), ', ')}\n"
    )
    return message


def sender_for(node: Node) -> notices.MailSender:
    """Sends through [web]'s SMTP server; with none set, writes to the log (development)."""

    async def send(mail: ExpiryMail) -> str | None:
        config = node.config
        if not config.web.smtp_host:
            log.warning("no [web] smtp_host: points notice for %s not mailed (logged)", mail.to)
            return None
        try:
            await send_message(config.web, expiry_message(config, mail))
        except (OSError, smtplib.SMTPException) as exc:
            return f"{type(exc).__name__}: {exc}"[:300]
        return None

    return send


async def run_once(node: Node) -> None:
    """One run of the job (the tests call it after moving the clock)."""
    await notices.run(node, sender_for(node))


async def notices_ctx(app: web.Application) -> AsyncIterator[None]:
    node = app[NODE]
    async with every(NOTICE_EVERY_S, lambda: run_once(node), "points-notices", log):
        yield


def install(app: web.Application) -> None:
    app.cleanup_ctx.append(notices_ctx)
