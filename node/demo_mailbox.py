"""`kippu demo`'s mailbox: an SMTP server on 127.0.0.1 (aiosmtpd) that keeps what company A's
node sends, so the demo shows a campaign mail arriving; and the config lines that point the node
at it and name the sender the law asks for (特定電子メール法4条)."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

DEMO_ISSUER = {
    "legal_name": "株式会社はなこ (架空)",
    "address": "東京都千代田区丸の内1-1-1 (架空)",
    "complaint_desk": "お客様窓口 03-0000-0000 (架空)",
}


class Mailbox:
    """Every message the SMTP server took, in order (aiosmtpd calls handle_DATA in its own
    thread)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        made = message_from_bytes(envelope.content, _class=EmailMessage, policy=policy.default)
        with self._lock:
            self._messages.append(made)
        return "250 OK"

    def messages(self) -> list[EmailMessage]:
        with self._lock:
            return list(self._messages)


@contextmanager
def mailbox(port: int) -> Iterator[Mailbox]:
    """The mailbox listening on 127.0.0.1:`port` until the block ends."""
    kept = Mailbox()
    controller = Controller(kept, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield kept
    finally:
        controller.stop()


def mailing_config(text: str, smtp_port: int) -> str:
    """config.toml's text with mail to the demo's mailbox and the demo sender filled in."""
    text = text.replace('smtp_host = ""', 'smtp_host = "127.0.0.1"')
    text = text.replace("smtp_port = 587", f"smtp_port = {smtp_port}")
    text = text.replace("smtp_starttls = true", "smtp_starttls = false")
    before, section, after = text.partition("[issuer]\n")
    for key, value in DEMO_ISSUER.items():
        after = re.sub(rf'^{key} = ".*"$', f'{key} = "{value}"', after, count=1, flags=re.M)
    return before + section + after
