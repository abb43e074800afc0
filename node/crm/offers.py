"""An offer a campaign mail carries (メール限定クーポン): a coupon of so many yen for each
recipient, usable at the chosen stores (or at any of the company's stores) until the end of a
stated local day, redeemed at the counter like any voucher.

The coupon is the ledger's voucher: issued free to the recipient just before their message is
sent (its face paid by the company's promotion expense), never giftable, never taken by a
partner's store, and limited to the offer's stores by a store group of the ledger named after
the mail (`mail:<mail_id>`). A recipient who is skipped (no consent) gets no coupon.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from node.errors import InvalidMail
from node.ledger.calendar import end_of_local_day

FACE_MAX = 1_000_000
STORES_MAX = 100
LONGEST_DAYS = 366
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
KEYS = frozenset({"face_yen", "use_until", "stores"})


@dataclass(frozen=True)
class Offer:
    face_yen: int
    use_until: datetime  # the coupons' expiry: the end of the last local day of use
    store_ids: tuple[str, ...]  # empty: every store of the company

    @property
    def last_day(self) -> date:
        return (self.use_until - timedelta(seconds=1)).date()


def store_group_of(mail_id: str) -> str:
    """The ledger's store group an offer's coupons are limited to."""
    return f"mail:{mail_id}"


def read_offer(
    raw: object,
    known_stores: Collection[str],
    send_at: datetime,
    zone: ZoneInfo,
) -> Offer | None:
    """The offer sent with a new mail, or None; refused with InvalidMail naming the field:
    a face outside 1..FACE_MAX yen, a last day not a day, before the mail goes out or more than
    LONGEST_DAYS after it, an unknown store."""
    if raw is None:
        return None
    if not isinstance(raw, dict) or not set(raw) <= KEYS:
        raise InvalidMail(
            "`offer` must be an object of face_yen, use_until and stores.", field="offer"
        )
    face = raw.get("face_yen")
    if isinstance(face, bool) or not isinstance(face, int) or not 1 <= face <= FACE_MAX:
        raise InvalidMail(
            f"`offer.face_yen` must be a whole number of yen from 1 to {FACE_MAX:,}.",
            field="offer.face_yen",
        )
    last_day = _last_day(raw.get("use_until"))
    sent_day = send_at.astimezone(zone).date()
    if last_day < sent_day or last_day > sent_day + timedelta(days=LONGEST_DAYS):
        raise InvalidMail(
            f"`offer.use_until` must be a day from the mail's sending ({sent_day.isoformat()})"
            f" to {LONGEST_DAYS} days after it.",
            field="offer.use_until",
        )
    use_until = end_of_local_day(last_day, zone)  # in range: 9999-12-31 never gets here
    return Offer(face, use_until, _stores(raw.get("stores"), known_stores))


def _last_day(raw: object) -> date:
    problem = InvalidMail(
        "`offer.use_until` must be the last day of use, as YYYY-MM-DD.", field="offer.use_until"
    )
    if not isinstance(raw, str) or not _DAY.fullmatch(raw):
        raise problem
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise problem from None


def _stores(raw: object, known: Collection[str]) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or len(raw) > STORES_MAX:
        raise InvalidMail(
            f"`offer.stores` must be a list of at most {STORES_MAX} store ids.",
            field="offer.stores",
        )
    unknown = [s for s in raw if not isinstance(s, str) or s not in known]
    if unknown:
        raise InvalidMail(
            f"`offer.stores` names a store that does not exist: {str(unknown[0])[:40]}.",
            field="offer.stores",
        )
    return tuple(sorted(set(raw)))


def offer_text(offer: Offer, store_names: Sequence[str], wallet_url: str) -> str:
    """The block a message with an offer carries before the sender's footer."""
    where = "、".join(store_names) if store_names else "全店舗"
    return (
        "\n\n【クーポンのご案内】\n"
        f"{offer.face_yen:,}円分のクーポンをお届けしました。\n"
        f"ご利用いただける店舗: {where}\n"
        f"ご利用期限: {offer.last_day.year}年{offer.last_day.month}月{offer.last_day.day}日まで\n"
        "お会計の際にウォレットのQRコードをご提示ください。譲渡はできません。\n"
        f"{wallet_url}\n"
    )
