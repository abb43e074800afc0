"""Campaign mail's writer units."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from datetime import datetime

from node.crm import mail_tables, tables
from node.crm.consents import WITHDRAWN_WORDING, ConsentEvent, ConsentMethod, Purpose
from node.crm.mail_model import MailCampaign, Recipient, RecipientStatus
from node.errors import UnsubscribeLinkInvalid

Planned = tuple[str, str, RecipientStatus, str | None]  # customer, address, status, why


def create(mail: MailCampaign) -> Callable[[sqlite3.Connection], MailCampaign]:
    def work(conn: sqlite3.Connection) -> MailCampaign:
        mail_tables.insert_campaign(conn, mail)
        return mail

    return work


def add_recipients(
    mail_id: str, planned: Sequence[Planned], now: datetime
) -> Callable[[sqlite3.Connection], None]:
    """One chunk of a scheduled mail's recipients (added before it starts: nothing is sent to
    a list still being written). A recipient already added is left as it is."""

    def work(conn: sqlite3.Connection) -> None:
        campaign = mail_tables.load_campaign(conn, mail_id)
        if campaign is None or campaign.status != "scheduled":
            return
        for customer_id, address, status, reason in planned:
            if not mail_tables.has_recipient(conn, mail_id, customer_id):
                mail_tables.insert_recipient(
                    conn, mail_id, customer_id, address, status, reason, now
                )

    return work


def start(mail_id: str, now: datetime) -> Callable[[sqlite3.Connection], bool]:
    return lambda conn: mail_tables.start_campaign(conn, mail_id, now)


def cancel(mail_id: str) -> Callable[[sqlite3.Connection], bool]:
    return lambda conn: mail_tables.cancel_campaign(conn, mail_id)


def next_queued(mail_id: str, limit: int) -> Callable[[sqlite3.Connection], list[Recipient]]:
    return lambda conn: mail_tables.queued(conn, mail_id, limit)


def claim(
    mail_id: str, tokens: dict[str, bytes], now: datetime
) -> Callable[[sqlite3.Connection], None]:
    """The unsubscribe link's token of this attempt for each recipient about to be sent to."""

    def work(conn: sqlite3.Connection) -> None:
        for customer_id, token_hash in tokens.items():
            mail_tables.set_token(conn, mail_id, customer_id, token_hash, now)

    return work


def record(
    mail_id: str, customer_id: str, status: RecipientStatus, reason: str | None, now: datetime
) -> Callable[[sqlite3.Connection], None]:
    return lambda conn: mail_tables.record_outcome(conn, mail_id, customer_id, status, reason, now)


def finish_if_done(mail_id: str, now: datetime) -> Callable[[sqlite3.Connection], bool]:
    def work(conn: sqlite3.Connection) -> bool:
        if mail_tables.queued(conn, mail_id, 1):
            return False
        mail_tables.finish_campaign(conn, mail_id, now)
        return True

    return work


def unsubscribe(
    token_hash: bytes, method: ConsentMethod, event_id: str, now: datetime
) -> Callable[[sqlite3.Connection], Recipient]:
    """The recipient behind the link refuses further mail (法3条3項): a withdrawal is recorded,
    unless they have no consent in force already (clicking twice records once)."""

    def work(conn: sqlite3.Connection) -> Recipient:
        recipient = mail_tables.recipient_of_token(conn, token_hash)
        if recipient is None:
            raise UnsubscribeLinkInvalid()
        purpose = str(Purpose.MARKETING_EMAIL)
        if tables.is_granted_now(conn, recipient.customer_id, purpose):
            event = ConsentEvent(
                event_id,
                recipient.customer_id,
                recipient.address,
                Purpose.MARKETING_EMAIL,
                False,
                method,
                WITHDRAWN_WORDING,
                f"customer:{recipient.customer_id}",
                now,
            )
            tables.insert_consent(conn, event)
        return recipient

    return work
