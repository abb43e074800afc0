"""A campaign mail's message for one reader, and what head office checks before sending: the
preview (who would receive it, who would not and why, and the message as one of them would read
it) and the test send (that message to an address of head office's own, marked as a test)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage

from node.crm import consent_snapshot, mail_queries, offer_queries, segment_actions
from node.crm.analytics_actions import Asked
from node.crm.consents import Purpose
from node.crm.mail_model import (
    Sender,
    Values,
    fill,
    message,
    read_body,
    read_subject,
    sender_of,
)
from node.crm.offers import Offer, offer_text, read_offer
from node.crm.segments import Filters
from node.errors import InvalidMail, SenderIncomplete
from node.ledger import queries as ledger_queries
from node.moments import parse_moment
from node.reads import Reader
from node.runtime import Node
from node.text import email_address

UNSUBSCRIBE_PATH = "/mail/unsubscribe/"
WALLET_PATH = "/wallet"
TEST_MARK = "【テスト送信】"
# What a preview's variables stand for when the segment has nobody to show it for.
SAMPLE = Values("見本 太郎", 12_000, "ゴールド", 1_500, 300)


def brand_name(node: Node) -> str:
    return node.config.brand.display_name(node.config.node.name)


def sender(node: Node) -> Sender:
    """Who the mail says sends it; refused unless [issuer] says it all and SMTP is set."""
    found = sender_of(node.config.issuer, brand_name(node), node.config.web.smtp_from)
    if not node.config.web.smtp_host:
        raise SenderIncomplete(
            "Campaign mail needs an SMTP server: set [web] smtp_host and start the node again.",
            missing=["web.smtp_host"],
        )
    return found


async def store_names(node: Node, offer: Offer | None) -> list[str]:
    if offer is None or not offer.store_ids:
        return []
    names = {s.store_id: s.name for s in await ledger_queries.list_stores(node.require_reader())}
    return [names.get(store_id, store_id) for store_id in offer.store_ids]


async def read_new_offer(node: Node, raw: object, send_at: datetime) -> Offer | None:
    if raw is None:
        return None
    known = {s.store_id for s in await ledger_queries.list_stores(node.require_reader())}
    return read_offer(raw, known, send_at, node.config.zone)


@dataclass(frozen=True)
class Draft:
    """A mail as head office typed it, read by the same rules as a mail to be sent."""

    subject: str
    body: str
    offer: Offer | None


async def read_draft(
    node: Node, raw_subject: object, raw_body: object, raw_offer: object, raw_send_at: object
) -> tuple[Draft, datetime]:
    now = node.clock.now()
    send_at = (
        now
        if raw_send_at is None
        else parse_moment(raw_send_at, "send_at", now, zone=node.config.zone, error=InvalidMail)
    )
    subject, body = read_subject(raw_subject), read_body(raw_body)
    return Draft(subject, body, await read_new_offer(node, raw_offer, send_at)), send_at


async def compose(
    node: Node,
    draft: Draft,
    to: str,
    values: Values,
    unsubscribe_url: str,
) -> EmailMessage:
    """The message as its reader gets it: the variables filled, the offer's block, the footer."""
    filled = values.as_text()
    body = fill(draft.body, filled)
    if draft.offer is not None:
        wallet = node.config.node.public_url + WALLET_PATH
        body += offer_text(draft.offer, await store_names(node, draft.offer), wallet)
    return message(
        sender(node), brand_name(node), to, fill(draft.subject, filled), body, unsubscribe_url
    )


async def mail_draft(node: Node, mail_id: str, subject: str, body: str) -> Draft:
    return Draft(subject, body, await offer_queries.offer(node.require_reader(), mail_id))


@dataclass(frozen=True)
class Preview:
    """Who a mail to the segment would reach now, and the message as `to` would read it."""

    members: int  # in the segment now
    without_address: int  # of them, with no e-mail address
    not_consenting: int  # with an address, but no consent to marketing mail in force
    recipients: int  # those it would be sent to
    customer_id: str | None  # whose values fill the sample; None: the sample values (SAMPLE)
    sample: EmailMessage


async def preview(
    node: Node,
    segment_name: object,
    draft: Draft,
    customer_id: object = None,
    sample_unless_named: bool = False,
) -> Preview:
    """The mail to `segment_name` as it would go now: the counts, and the message as the given
    customer would read it (or the first recipient, or SAMPLE's values when there is none). The
    unsubscribe link in the sample goes nowhere: only a sent message has a working one."""
    if not isinstance(segment_name, str) or not segment_name:
        raise InvalidMail("`segment` must name a segment.", field="segment")
    segment = await segment_actions.named(node, segment_name)
    named = None if customer_id is None or customer_id == "" else customer_id
    not_member = InvalidMail(
        "`customer_id` must be a customer in the segment.", field="customer_id"
    )
    if named is not None and not isinstance(named, str):
        raise not_member
    found = await segment_actions.in_worker(node, _audience, segment.filters, named)
    if named is not None and not found.named_is_member:
        raise not_member
    if named is not None:
        shown: str | None = named
    else:
        shown = None if sample_unless_named else found.first_recipient
    values = SAMPLE
    to = "recipient@example.jp"
    if shown is not None:
        db = node.require_report_reader()
        values = await mail_queries.values_of(db, shown, node.clock.now())
        to = await mail_queries.address_of(db, shown) or to
    link = node.config.node.public_url + UNSUBSCRIBE_PATH + "preview"
    return Preview(
        members=found.members,
        without_address=found.without_address,
        not_consenting=found.not_consenting,
        recipients=found.recipients,
        customer_id=shown,
        sample=await compose(node, draft, to, values, link),
    )


@dataclass(frozen=True)
class Audience:
    """Who a mail to a segment would reach now, counted in the report worker (a segment can
    hold a million customers: only these figures cross to the node)."""

    members: int
    without_address: int
    not_consenting: int
    recipients: int
    first_recipient: str | None  # the first by customer id
    named_is_member: bool  # the customer the preview was asked for is in the segment


async def _audience(
    db: Reader, today: Asked, filters: Filters, now: datetime, named: str | None
) -> Audience:
    members = await segment_actions.chosen(db, today, filters, now)
    reachable = members & (await mail_queries.addresses(db)).keys()
    marketing = str(Purpose.MARKETING_EMAIL)
    recipients = reachable & await consent_snapshot.consenting(db, today.database, marketing)
    return Audience(
        len(members),
        len(members) - len(reachable),
        len(reachable) - len(recipients),
        len(recipients),
        min(recipients, default=None),
        named in members,
    )


async def test_message(
    node: Node, segment_name: object, draft: Draft, raw_to: object, customer_id: object = None
) -> EmailMessage:
    """The preview's message, addressed to `raw_to` and marked as a test in its subject, filled
    with SAMPLE's values unless a customer is named (a customer's own figures go to an address
    typed only when head office asks for them). It gives no coupon and records nothing; its
    unsubscribe link goes nowhere."""
    to = email_address(raw_to) if isinstance(raw_to, str) else None
    if to is None:
        raise InvalidMail("`to` must be an e-mail address to send the test to.", field="to")
    shown = await preview(node, segment_name, draft, customer_id, sample_unless_named=True)
    made = shown.sample
    subject = str(made["Subject"])
    del made["Subject"], made["To"]
    made["Subject"] = TEST_MARK + subject
    made["To"] = to
    return made
