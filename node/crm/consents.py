"""Consent to marketing mail (特定電子メール法): what is recorded, and the wording shown.

Mail that advertises may go only to a customer who consented (法3条1項) and has not refused
since (法3条3項). Each consent given or withdrawn is an event kept for good: the customer, the
address it was for, when, how, the wording shown and who recorded it (法3条2項, 規則4条: the
record of when and how consent was obtained). The customer's consent now is their latest event;
nobody without an event has consented.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from node.errors import InvalidConsent
from node.text import is_printable

WORDING_MAX = 2000


class Purpose(StrEnum):
    MARKETING_EMAIL = "marketing_email"


class ConsentMethod(StrEnum):
    CONSOLE = "console"  # head office recorded it in the console
    WALLET = "wallet"  # the customer ticked or unticked it in the wallet
    CLI = "cli"  # head office recorded it with `kippu customer consent`
    API = "api"  # a program recorded it through the admin API
    SIGNUP = "signup"  # the customer ticked it when registering
    UNSUBSCRIBE_LINK = "unsubscribe_link"  # the link in a mail, confirmed on its page
    ONE_CLICK = "one_click"  # the mail program's one-click unsubscribe (RFC 8058)


# The wording the wallet and the sign-up page show beside the box; recorded with each consent
# given there, so the record says what the customer agreed to.
MARKETING_WORDING = (
    "キャンペーンやお得なお知らせをメールで受け取る"
    "。いつでもメールの配信停止リンクまたはウォレットの設定から停止できます。"
)
# What head office records for a consent it took elsewhere (a paper form, at the counter),
# unless it gives the wording the customer saw.
RECORDED_WORDING = "本部が本人の申し出を記録: メールによる広告・お知らせの受信"
WITHDRAWN_WORDING = "メールによる広告・お知らせの受信を停止"


@dataclass(frozen=True)
class ConsentEvent:
    event_id: str
    customer_id: str
    address: str | None
    purpose: Purpose
    is_granted: bool
    method: ConsentMethod
    wording: str
    actor: str
    recorded_at: datetime


def read_answer(raw: object) -> bool:
    """true: consent given; false: withdrawn (the CLI's yes / no)."""
    if isinstance(raw, bool):
        return raw
    raise InvalidConsent("`marketing` must be true or false.", field="marketing")


def read_wording(raw: object, is_granted: bool) -> str:
    """The wording the customer was shown, or the standard one for a recorded consent."""
    if raw is None:
        return RECORDED_WORDING if is_granted else WITHDRAWN_WORDING
    if not isinstance(raw, str) or not raw.strip() or len(raw) > WORDING_MAX:
        raise InvalidConsent(
            f"`wording` must be the text shown, 1 to {WORDING_MAX} characters.", field="wording"
        )
    if not all(is_printable(line) for line in raw.split("\n")):
        raise InvalidConsent("`wording` must be printable text.", field="wording")
    return raw.strip()


def require_address(address: str | None, is_granted: bool) -> None:
    """A consent is for an address: a customer without e-mail cannot give one (they can refuse)."""
    if is_granted and not address:
        raise InvalidConsent(
            "This customer has no e-mail address to send to; add one first.", field="marketing"
        )
