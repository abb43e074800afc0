"""Campaign mail's writer units."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from node.crm import mail_tables, offer_tables, tables
from node.crm.consents import WITHDRAWN_WORDING, ConsentEvent, ConsentMethod, Purpose
from node.crm.mail_model import (
    NOT_CONSENTING,
    OFFER_ENDED,
    MailCampaign,
    Recipient,
    RecipientStatus,
)
from node.crm.offers import Offer, store_group_of
from node.errors import UnsubscribeLinkInvalid
from node.ledger import core as ledger_core
from node.ledger import operations as ledger_operations
from node.ledger import terms_tables
from node.ledger.fresh import NewVoucher
from node.ledger.operations import LedgerSettings

Planned = tuple[str, str, RecipientStatus, str | None]  # customer, address, status, why


def create(mail: MailCampaign, offer: Offer | None) -> Callable[[sqlite3.Connection], MailCampaign]:
    """The mail, and its offer with the offer's stores joined to the mail's own store group."""

    def work(conn: sqlite3.Connection) -> MailCampaign:
        mail_tables.insert_campaign(conn, mail)
        if offer is not None:
            group = store_group_of(mail.mail_id) if offer.store_ids else None
            offer_tables.insert_offer(conn, mail.mail_id, offer, group)
            for store_id in offer.store_ids:
                terms_tables.join_group(conn, store_id, store_group_of(mail.mail_id))
        return mail

    return work


@dataclass(frozen=True)
class CouponGiven:
    """The recipient's coupon, or why they get neither coupon nor message (`skipped`)."""

    voucher_id: str | None
    skipped: str | None = None


def give_coupon(
    mail_id: str,
    customer_id: str,
    offer: Offer,
    drawn: NewVoucher,
    settings: LedgerSettings,
    now: datetime,
    fresh_number: Callable[[], str],
) -> Callable[[sqlite3.Connection], CouponGiven]:
    """The recipient's coupon, issued once: a retried send finds the one given before. Free to
    the customer (the promotion expense pays its face), valid until the offer's last day, never
    giftable nor taken by a partner, at the offer's stores only if it names any. Their consent
    and the offer's end are checked here, in the transaction that would issue it: a refusal
    landing since the reader looked, or the offer ending meanwhile, gives nothing."""

    def work(conn: sqlite3.Connection) -> CouponGiven:
        given = offer_tables.coupon_of(conn, mail_id, customer_id)
        if given is not None:
            return CouponGiven(given)
        if not tables.is_granted_now(conn, customer_id, str(Purpose.MARKETING_EMAIL)):
            return CouponGiven(None, NOT_CONSENTING)
        if now >= offer.use_until:
            return CouponGiven(None, OFFER_ENDED)
        request = ledger_core.IssueRequest(
            voucher_id=drawn.voucher_id,
            secret=drawn.secret,
            face_yen=offer.face_yen,
            price_yen=0,
            holder_id=customer_id,
            store_id=None,
            valid_days=None,
            txn_id=drawn.txn_id,
            expires_at=offer.use_until,
        )
        voucher = ledger_operations.issue(request, settings, now, fresh_number)(conn)
        group = store_group_of(mail_id) if offer.store_ids else None
        terms_tables.set_voucher_terms(
            conn, voucher.voucher_id, group, no_gift=True, own_stores_only=True
        )
        offer_tables.insert_coupon(conn, mail_id, customer_id, voucher.voucher_id, now)
        return CouponGiven(voucher.voucher_id)

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
