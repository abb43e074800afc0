"""Campaign mail for the admin API (and so the CLI) and the console: make one for a segment,
read its status; the sending job's steps; the unsubscribe link. Sending itself is handed in
(`Send`): the web layer owns the SMTP connection (node/web/crm_mail.py)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import smtplib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from email.message import EmailMessage

from node.clock import new_id
from node.crm import (
    mail_operations,
    mail_queries,
    offer_queries,
    queries,
    segment_actions,
    segment_queries,
)
from node.crm.consents import ConsentMethod, Purpose
from node.crm.mail_compose import (
    UNSUBSCRIBE_PATH,
    compose,
    mail_draft,
    read_draft,
    sender,
)
from node.crm.mail_model import (
    NOT_CONSENTING,
    OFFER_ENDED,
    MailCampaign,
    MailStatus,
    Recipient,
    RecipientStatus,
    read_per_minute,
)
from node.crm.mail_operations import Planned
from node.crm.offer_queries import OfferUse
from node.crm.offers import Offer
from node.crm.segments import dump_filters, load_filters
from node.errors import InvalidMail, MailNotFound, UnsubscribeLinkInvalid
from node.ledger.fresh import fresh_number, new_voucher
from node.runtime import Node

Send = Callable[[EmailMessage], Awaitable[None]]
CHUNK = 2_000
MAX_ATTEMPTS = 5
log = logging.getLogger(__name__)
TOKEN_BYTES = 24


def token_hash(token: str) -> bytes:
    return hashlib.sha256(token.encode("ascii", "replace")).digest()


async def create(
    node: Node,
    segment_name: object,
    raw_subject: object,
    raw_body: object,
    raw_send_at: object,
    raw_per_minute: object,
    actor: str,
    raw_offer: object = None,
) -> MailCampaign:
    sender(node)
    if not isinstance(segment_name, str) or not segment_name:
        raise InvalidMail("`segment` must name a segment.", field="segment")
    segment = await segment_actions.named(node, segment_name)
    draft, send_at = await read_draft(node, raw_subject, raw_body, raw_offer, raw_send_at)
    mail = MailCampaign(
        mail_id=new_id(node.rng, "ml"),
        subject=draft.subject,
        body=draft.body,
        segment_name=segment.name,
        filters=dump_filters(segment.filters),
        status=MailStatus.SCHEDULED,
        send_at=send_at,
        per_minute=read_per_minute(raw_per_minute),
        created_at=node.clock.now(),
        created_by=actor,
        started_at=None,
        finished_at=None,
        token_key=node.rng.token_bytes(32),
    )
    return await node.require_writer().submit(mail_operations.create(mail, draft.offer))


async def cancel(node: Node, mail_id: str) -> MailCampaign:
    mail = await found(node, mail_id)
    if not await node.require_writer().submit(mail_operations.cancel(mail_id)):
        raise InvalidMail("Only a mail not started yet can be cancelled.", field="mail_id")
    return await found(node, mail.mail_id)


async def found(node: Node, mail_id: str) -> MailCampaign:
    mail = await mail_queries.campaign(node.require_reader(), mail_id)
    if mail is None:
        raise MailNotFound()
    return mail


@dataclass(frozen=True)
class MailState:
    mail: MailCampaign
    counts: dict[str, int]
    recipients: list[Recipient]
    offer: Offer | None
    offer_use: OfferUse


async def state(node: Node, mail_id: str, limit: int, offset: int) -> MailState:
    mail = await found(node, mail_id)
    db = node.require_report_reader()
    return MailState(
        mail,
        await mail_queries.status_counts(db, mail_id),
        await mail_queries.recipients(db, mail_id, limit, offset),
        await offer_queries.offer(db, mail_id),
        await offer_queries.use_of(db, mail_id),
    )


async def _plan(node: Node, mail: MailCampaign) -> list[Planned]:
    """The segment's members now with an address; those who have not consented are recorded as
    skipped, so the status says why they got nothing."""
    db = node.require_report_reader()
    members = await segment_actions.members(node, load_filters(mail.filters))
    consenting = await segment_queries.consenting(db, str(Purpose.MARKETING_EMAIL))
    addresses = await mail_queries.addresses(db)
    planned: list[Planned] = []
    for customer_id in sorted(members & set(addresses)):
        if customer_id in consenting:
            planned.append((customer_id, addresses[customer_id], RecipientStatus.QUEUED, None))
        else:
            planned.append(
                (customer_id, addresses[customer_id], RecipientStatus.SKIPPED, NOT_CONSENTING)
            )
    return planned


async def start_due(node: Node) -> int:
    """Every scheduled mail whose time has come gets its recipients and starts sending; one that
    fails to start is logged and tried again at the next run, the others start all the same."""
    started = 0
    for mail_id in await mail_queries.due(node.require_reader(), node.clock.now()):
        try:
            mail = await found(node, mail_id)
            planned = await _plan(node, mail)
            writer = node.require_writer()
            for first in range(0, len(planned), CHUNK):
                chunk = planned[first : first + CHUNK]
                await writer.submit(
                    mail_operations.add_recipients(mail_id, chunk, node.clock.now())
                )
            started += await writer.submit(mail_operations.start(mail_id, node.clock.now()))
        except Exception:  # one mail's trouble (the report worker gone, say) stops no other
            log.exception("campaign mail %s did not start; will retry", mail_id)
    return started


def link_token(mail: MailCampaign, customer_id: str) -> str:
    """The recipient's unsubscribe token: the same at every attempt (a link in a mail sent
    before a retry keeps working), known to nobody without the mail's own key."""
    digest = hmac.new(mail.token_key, customer_id.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:TOKEN_BYTES]).decode().rstrip("=")


def is_transient(exc: Exception) -> bool:
    """The SMTP server could not be reached or said "try later" (4xx): nothing was refused."""
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    return isinstance(exc, OSError | smtplib.SMTPServerDisconnected)


async def send_some(node: Node, mail: MailCampaign, budget: int, send: Send) -> int:
    """Up to `budget` of the mail's queued recipients, each checked for consent the moment
    before its message is sent (a refusal since the list was made skips them) and given the
    offer's coupon just before (once: a retry finds it). The SMTP server out of reach, or
    answering "try later", stops the batch with the rest still queued; a recipient tried
    MAX_ATTEMPTS times is failed. Returns how many were tried; the mail is marked sent once
    none is queued."""
    writer = node.require_writer()
    batch = await writer.submit(mail_operations.next_queued(mail.mail_id, budget))
    tokens = {r.customer_id: link_token(mail, r.customer_id) for r in batch}
    now = node.clock.now()
    await writer.submit(
        mail_operations.claim(mail.mail_id, {c: token_hash(t) for c, t in tokens.items()}, now)
    )
    db = node.require_reader()
    draft = await mail_draft(node, mail.mail_id, mail.subject, mail.body)
    for recipient in batch:
        outcome, reason = RecipientStatus.SENT, None
        if recipient.attempts >= MAX_ATTEMPTS:
            outcome, reason = RecipientStatus.FAILED, f"not sent in {MAX_ATTEMPTS} attempts"
        elif not await queries.is_consenting(db, recipient.customer_id):
            outcome, reason = RecipientStatus.SKIPPED, NOT_CONSENTING
        elif draft.offer is not None and node.clock.now() >= draft.offer.use_until:
            outcome, reason = RecipientStatus.SKIPPED, OFFER_ENDED
        else:
            given = mail_operations.CouponGiven(None)
            if draft.offer is not None:
                given = await _give_coupon(node, mail.mail_id, recipient.customer_id, draft.offer)
            if given.skipped is not None:
                outcome, reason = RecipientStatus.SKIPPED, given.skipped
            else:
                values = await mail_queries.values_of(db, recipient.customer_id, node.clock.now())
                token = tokens[recipient.customer_id]
                link = node.config.node.public_url + UNSUBSCRIBE_PATH + token
                made = await compose(node, draft, recipient.address, values, link)
                try:
                    await send(made)
                except (OSError, smtplib.SMTPException) as exc:
                    if is_transient(exc):
                        log.warning("campaign mail %s paused: %s", mail.mail_id, exc)
                        break
                    outcome, reason = RecipientStatus.FAILED, f"{type(exc).__name__}: {exc}"[:300]
        await writer.submit(
            mail_operations.record(
                mail.mail_id, recipient.customer_id, outcome, reason, node.clock.now()
            )
        )
    await writer.submit(mail_operations.finish_if_done(mail.mail_id, node.clock.now()))
    return len(batch)


async def _give_coupon(
    node: Node, mail_id: str, customer_id: str, offer: Offer
) -> mail_operations.CouponGiven:
    now = node.clock.now()
    work = mail_operations.give_coupon(
        mail_id,
        customer_id,
        offer,
        new_voucher(node.rng, now),
        node.settings,
        now,
        lambda: fresh_number(node.rng),
    )
    return await node.require_writer().submit(work)


async def recipient_of(node: Node, token: str) -> Recipient:
    """The recipient an unsubscribe link was sent to (its page names the address)."""
    found = await mail_queries.recipient_of_token(node.require_reader(), token_hash(token))
    if found is None:
        raise UnsubscribeLinkInvalid()
    return found


async def unsubscribe(node: Node, token: str, method: ConsentMethod) -> Recipient:
    work = mail_operations.unsubscribe(
        token_hash(token), method, new_id(node.rng, "ce"), node.clock.now()
    )
    return await node.require_writer().submit(work)
