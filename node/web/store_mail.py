"""Mail to a store that applied to take part: approved (with its store code and what comes
next) or rejected (with the office's reason), Japanese first, then English, through the node's
SMTP settings (node/web/mail.py). Without an SMTP server the message goes to the log."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from email.utils import formataddr

from node.campaigns.store_model import StoreApplication
from node.config import WebConfig
from node.web import mail
from node.web.brand import PageBrand

log = logging.getLogger(__name__)


def approval_message(
    config: WebConfig, office: PageBrand, application: StoreApplication, store_code: str
) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = f"【{office.name}】加盟店申込の承認 / Store application approved"
    message["From"] = formataddr((office.name, config.smtp_from))
    message["To"] = application.email
    message.set_content(
        f"{application.name} 様\n\n"
        f"{office.label} の加盟店申込を承認しました。\n"
        f"店舗コード: {store_code}\n"
        "店頭に掲示するQRポスター（A4）は事務局からお届けします。\n"  # noqa: RUF001
        "お客様がポスターのQRを読み取って支払うと、画面に動く時計が表示されます。"
        "時計が動いていることを確認してください（スクリーンショットでは動きません）。\n\n"  # noqa: RUF001
        f"{office.name}\n"
        "----\n"
        f"Dear {application.name},\n\n"
        f"Your application to take part in the campaigns of {office.label} is approved.\n"
        f"Store code: {store_code}\n"
        "The office will send your A4 QR poster. When a customer pays by scanning it, their "
        "screen shows a moving clock: check that it moves (a screenshot does not).\n"
    )
    return message


def rejection_message(
    config: WebConfig, office: PageBrand, application: StoreApplication
) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = f"【{office.name}】加盟店申込について / About your store application"
    message["From"] = formataddr((office.name, config.smtp_from))
    message["To"] = application.email
    message.set_content(
        f"{application.name} 様\n\n"
        f"{office.label} の加盟店申込は、次の理由により承認できませんでした。\n\n"
        f"{application.reason}\n\n"
        "内容を改めてお申し込みいただけます。\n\n"
        f"{office.name}\n"
        "----\n"
        f"Dear {application.name},\n\n"
        f"Your application to take part in the campaigns of {office.label} was not approved, "
        "for the reason above. You may apply again with the details corrected.\n"
    )
    return message


async def send(config: WebConfig, message: EmailMessage) -> bool:
    """True when sent (or logged, without an SMTP server); False when the server failed (the
    console says so, and the office writes by hand)."""
    if not config.smtp_host:
        log.warning(
            "no [web] smtp_host: mail to %s not sent: %s", message["To"], message["Subject"]
        )
        return True
    try:
        await mail.send_message(config, message)
    except (OSError, smtplib.SMTPException) as exc:
        log.error("could not mail %s: %s", message["To"], exc)
        return False
    return True
