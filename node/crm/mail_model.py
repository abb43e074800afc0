"""Campaign mail (キャンペーンメール): its values, the template's variables, and the lawful message.

A mail's subject and body may name variables in braces, filled for each recipient: `{name}`
(the customer's registered name), `{balance}` (yen left on their usable vouchers), `{rank}`
(their member rank, or nothing), `{points}` (their points now) and `{expiring_points}` (points
that lapse within 30 days). `{{` and `}}` write a brace. Any other name is refused when the
mail is made, never sent half-filled.

Every message carries what 特定電子メール法 4条 and 規則9条 ask, after the body: the sender's
name and postal address, an inquiry contact, and next to the statement that the reader can
refuse further mail, the link that does it (one click, RFC 8058: the `List-Unsubscribe` and
`List-Unsubscribe-Post` headers point at the same address, which a mail program posts to).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from enum import StrEnum

from node.config import IssuerConfig
from node.errors import InvalidMail, SenderIncomplete
from node.text import is_printable

VARIABLES = ("name", "balance", "rank", "points", "expiring_points")
SUBJECT_MAX = 200
BODY_MAX = 20_000
PER_MINUTE_DEFAULT = 60
PER_MINUTE_MAX = 100_000
EXPIRING_DAYS = 30
NOT_CONSENTING = "no consent to marketing mail in force"
OFFER_ENDED = "the offer ended before this mail could be sent"
_BRACED = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")


class MailStatus(StrEnum):
    SCHEDULED = "scheduled"
    SENDING = "sending"
    SENT = "sent"
    CANCELLED = "cancelled"


class RecipientStatus(StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class MailCampaign:
    mail_id: str
    subject: str
    body: str
    segment_name: str
    filters: str  # the segment's filters as JSON, as they were when the mail was made
    status: MailStatus
    send_at: datetime
    per_minute: int
    created_at: datetime
    created_by: str
    started_at: datetime | None
    finished_at: datetime | None
    token_key: bytes  # the key of its recipients' unsubscribe tokens (mail_actions.link_token)


@dataclass(frozen=True)
class Recipient:
    mail_id: str
    customer_id: str
    address: str
    status: RecipientStatus
    reason: str | None
    attempts: int


@dataclass(frozen=True)
class Values:
    """What the variables stand for, for one recipient."""

    name: str
    balance_yen: int
    rank: str | None
    points: int
    expiring_points: int

    def as_text(self) -> dict[str, str]:
        return {
            "name": self.name,
            "balance": f"{self.balance_yen:,}円",
            "rank": self.rank or "",
            "points": f"{self.points:,}",
            "expiring_points": f"{self.expiring_points:,}",
        }


def check_template(text: str, field: str) -> str:
    """The text, if every brace is a known variable or a doubled brace; else InvalidMail."""
    for match in _BRACED.finditer(text):
        if match.group(0) in ("{{", "}}"):
            continue
        name = match.group(1)
        if name is None:
            raise InvalidMail(
                f"`{field}` has a lone brace; write {{{{ or }}}} for one.", field=field
            )
        if name not in VARIABLES:
            known = ", ".join("{" + v + "}" for v in VARIABLES)
            raise InvalidMail(
                f"`{field}` names {{{name}}}; the variables are {known}.", field=field
            )
    return text


def fill(text: str, values: dict[str, str]) -> str:
    def one(match: re.Match[str]) -> str:
        found = match.group(0)
        if found in ("{{", "}}"):
            return found[0]
        return values[match.group(1)]

    return _BRACED.sub(one, text)


def read_subject(raw: object) -> str:
    if not isinstance(raw, str) or not raw.strip() or len(raw) > SUBJECT_MAX:
        raise InvalidMail(f"`subject` must be 1 to {SUBJECT_MAX} characters.", field="subject")
    if not is_printable(raw):
        raise InvalidMail("`subject` must be printable text on one line.", field="subject")
    return check_template(raw.strip(), "subject")


def read_body(raw: object) -> str:
    if not isinstance(raw, str) or not raw.strip() or len(raw) > BODY_MAX:
        raise InvalidMail(f"`body` must be 1 to {BODY_MAX} characters.", field="body")
    lines = raw.replace("\r\n", "\n").split("\n")
    if not all(is_printable(line) for line in lines if line):
        raise InvalidMail("`body` must be printable text.", field="body")
    return check_template("\n".join(lines).strip("\n"), "body")


def read_per_minute(raw: object) -> int:
    if raw is None:
        return PER_MINUTE_DEFAULT
    if isinstance(raw, bool) or not isinstance(raw, int) or not 1 <= raw <= PER_MINUTE_MAX:
        raise InvalidMail(
            f"`per_minute` must be a whole number from 1 to {PER_MINUTE_MAX}.", field="per_minute"
        )
    return raw


@dataclass(frozen=True)
class Sender:
    """Who the mail says sends it (特定電子メール法4条): from [issuer]."""

    name: str
    address: str
    contact: str
    from_address: str


def sender_of(issuer: IssuerConfig, brand_name: str, from_address: str) -> Sender:
    missing = [
        key
        for key, value in (
            ("legal_name", issuer.legal_name),
            ("address", issuer.address),
            ("complaint_desk", issuer.complaint_desk),
        )
        if not value.strip()
    ]
    if missing:
        raise SenderIncomplete(missing=[f"issuer.{key}" for key in missing])
    return Sender(
        issuer.legal_name or brand_name, issuer.address, issuer.complaint_desk, from_address
    )


def footer(sender: Sender, unsubscribe_url: str) -> str:
    """The block every message ends with: sender, address, contact, and how to refuse."""
    return (
        "\n\n――――――――――――――――\n"
        f"送信者: {sender.name}\n"
        f"住所: {sender.address}\n"
        f"お問い合わせ: {sender.contact}\n"
        "このメールは、メールでのお知らせの受け取りに同意された方にお送りしています。\n"
        "今後の配信を希望されない場合は、次のリンクから配信を停止できます。"
        "ワンクリックで停止し、以後お送りしません:\n"
        f"{unsubscribe_url}\n"
    )


def message(
    sender: Sender,
    brand_name: str,
    to: str,
    subject: str,
    body: str,
    unsubscribe_url: str,
) -> EmailMessage:
    made = EmailMessage()
    made["Subject"] = subject
    made["From"] = formataddr((brand_name, sender.from_address))
    made["To"] = to
    made["Message-ID"] = make_msgid(domain=sender.from_address.rpartition("@")[2] or None)
    made["List-Unsubscribe"] = f"<{unsubscribe_url}>"
    made["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    made.set_content(body + footer(sender, unsubscribe_url))
    return made
