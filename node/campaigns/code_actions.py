"""One-time codes by email and SMS as the wallet uses them (they take `Node`): a code drawn,
stored hashed and sent; a typed code checked. The email itself is sent by the wallet's page
(node/web/campaign_verify.py, with the node's mail sending); the SMS here, through the provider
[campaigns.sms] names (node/campaigns/sms.py)."""

from __future__ import annotations

from typing import Any

from node.campaigns import code_operations
from node.campaigns.code_caps import day_of
from node.campaigns.one_time_codes import (
    LIFETIME,
    SALT_BYTES,
    Channel,
    Outcome,
    draw_code,
    new_pending,
    typed_code,
)
from node.campaigns.phone_numbers import masked, parse_mobile
from node.campaigns.sms import sms_sender
from node.campaigns.verification_model import proof_answer
from node.clock import iso
from node.errors import (
    InvalidEmail,
    OneTimeCodeExpired,
    OneTimeCodeLocked,
    OneTimeCodeTriesCapped,
    OneTimeCodeWrong,
)
from node.runtime import Node

MAX_EMAIL_CHARS = 200  # the proof's subject holds at most 200 characters


def parse_email(typed: str) -> str:
    """An address a code can be sent to, in lower case (it is the proof's subject)."""
    email = typed.strip().lower()
    local, at, domain = email.partition("@")
    if not (
        local
        and at
        and "." in domain.strip(".")
        and len(email) <= MAX_EMAIL_CHARS
        and email.isprintable()
        and not any(char.isspace() or char in "<>,;\"'" for char in email)
    ):
        raise InvalidEmail(field="email")
    return email


async def _issue(
    node: Node, campaign_id: str, customer_id: str, channel: Channel, subject: str
) -> tuple[str, str]:
    """Store a new code for the subject; answers (the plain code, its expiry in ISO time)."""
    code, now = draw_code(node.rng), node.clock.now()
    pending = new_pending(
        campaign_id, customer_id, channel, subject, code, node.rng.token_bytes(SALT_BYTES), now
    )
    caps, day = node.config.campaign_codes, day_of(now, node.config.zone)
    await node.require_writer().submit(code_operations.store_code(pending, caps, day))
    return code, str(iso(pending.expires_at))


async def issue_email_code(
    node: Node, campaign_id: str, customer_id: str, typed_email: str
) -> tuple[dict[str, Any], str]:
    """(the answer, the plain code the caller mails to the address at once)."""
    email = parse_email(typed_email)
    code, expires_at = await _issue(node, campaign_id, customer_id, Channel.EMAIL, email)
    answer = {"campaign_id": campaign_id, "channel": "email", "sent_to": email}
    return {**answer, "expires_at": expires_at}, code


def sms_text(node: Node, code: str) -> str:
    minutes = int(LIFETIME.total_seconds() // 60)
    name = node.config.node.name
    return (
        f"【{name}】認証コード {code}（{minutes}分間有効）"  # noqa: RUF001
        f" / {name} code {code} (valid {minutes} min)"
    )


async def send_sms_code(
    node: Node, campaign_id: str, customer_id: str, typed_phone: str
) -> dict[str, Any]:
    """Parse the number (E.164), store a code and send it; nothing is stored when the number is
    not a Japanese mobile or SMS is not set up."""
    phone = parse_mobile(typed_phone)
    sender = sms_sender(node.config.campaign_sms)
    code, expires_at = await _issue(node, campaign_id, customer_id, Channel.SMS, phone)
    await sender.send(phone, sms_text(node, code))
    return {
        "campaign_id": campaign_id,
        "channel": "sms",
        "sent_to": masked(phone),
        "expires_at": expires_at,
    }


async def confirm_code(
    node: Node, campaign_id: str, customer_id: str, channel: Channel, typed: str
) -> dict[str, Any]:
    """The proof once the typed code matches the pending one; otherwise the refusal, after the
    spent try is stored."""
    code = typed_code(typed)
    if code is None:
        raise OneTimeCodeWrong(field="code")
    now = node.clock.now()
    caps, day = node.config.campaign_codes, day_of(now, node.config.zone)
    checked = await node.require_writer().submit(
        code_operations.confirm_code(campaign_id, customer_id, channel, code, now, caps, day)
    )
    if checked.is_capped:
        raise OneTimeCodeTriesCapped(field="code")
    if checked.proof is not None:
        return proof_answer(checked.proof)
    if checked.outcome is Outcome.WRONG and checked.tries_left > 0:
        raise OneTimeCodeWrong(field="code", tries_left=checked.tries_left)
    if checked.outcome is Outcome.EXPIRED:
        raise OneTimeCodeExpired(field="code")
    raise OneTimeCodeLocked(field="code")
