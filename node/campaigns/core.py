"""Campaign rules, pure: a new campaign's terms, the stock open at a moment, whether a resident may
receive now, and the coupons one grant issues. No I/O, no clock: `now` comes in as an argument.

The limits checked here are checked again by the schema (0035's CHECKs on `granted_sets` and
`granted_yen`, the UNIQUE sequence number per person), so a bug here can refuse, never oversell.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from node.campaigns.model import (
    DIRECT_KINDS,
    MAX_BOOK,
    MAX_NAME,
    MAX_ROUNDS,
    MAX_TERMS,
    Campaign,
    CampaignKind,
    CouponPlan,
    Method,
    Round,
    StoreClass,
)
from node.errors import (
    CampaignClosed,
    CampaignKindRefused,
    CampaignLimitReached,
    CampaignNotEligible,
    CampaignNotOpen,
    CampaignSetsHeld,
    CampaignSoldOut,
    InvalidCampaign,
)

MAX_YEN = 10_000_000  # a coupon's face, a price, a local part
MAX_STOCK = 10_000_000
MAX_BUDGET_YEN = 100_000_000_000  # ¥100 bn: more than any city's campaign
MAX_PER_PERSON = 100
MAX_POSTCODES = 1000
_WIDE = str.maketrans("０１２３４５６７８９－‐ー", "0123456789---")  # noqa: RUF001
_POSTCODE = re.compile(r"([0-9]{3})(?:-?([0-9]{4}))?")


def _whole(value: object, field: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidCampaign(
            f"`{field}` must be a whole number from {low} to {high}.", field=field
        )
    return value


def _maybe_whole(value: object, field: str, low: int, high: int) -> int | None:
    return None if value is None else _whole(value, field, low, high)


def require_name(value: object) -> str:
    if not isinstance(value, str) or not value.strip() or len(value.strip()) > MAX_NAME:
        raise InvalidCampaign(f"`name` must be text of 1-{MAX_NAME} characters.", field="name")
    return value.strip()


def require_terms(value: object) -> str:
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > MAX_TERMS:
        raise InvalidCampaign(
            f"`terms` must be text of at most {MAX_TERMS} characters.", field="terms"
        )
    return value.strip()


def require_kind(value: object) -> CampaignKind:
    try:
        return CampaignKind(str(value))
    except ValueError:
        kinds = ", ".join(kind.value for kind in CampaignKind)
        raise InvalidCampaign(f"`kind` must be one of {kinds}.", field="kind") from None


def require_methods(value: object) -> frozenset[Method]:
    """The checks a resident must pass, from a list of names (empty: none)."""
    if value is None:
        return frozenset()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidCampaign("`eligibility` must be a list of checks.", field="eligibility")
    try:
        return frozenset(Method(v) for v in value)
    except ValueError:
        names = ", ".join(m.value for m in Method)
        raise InvalidCampaign(
            f"`eligibility` names checks from: {names}.", field="eligibility"
        ) from None


def normal_postcode(text: str) -> str | None:
    """A postcode typed any common way (〒123-4567, full-width digits and hyphens) as 7 digits,
    or a 3-digit area prefix; None when it is neither."""
    ascii_text = text.strip().translate(_WIDE).removeprefix("〒").strip()
    found = _POSTCODE.fullmatch(ascii_text)
    return None if found is None else found.group(1) + (found.group(2) or "")


def require_postcodes(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or len(value) > MAX_POSTCODES:
        raise InvalidCampaign(
            f"`postcodes` must be a list of at most {MAX_POSTCODES} postcodes.", field="postcodes"
        )
    codes = [normal_postcode(v) if isinstance(v, str) else None for v in value]
    if any(code is None for code in codes):
        raise InvalidCampaign(
            "Each postcode is 7 digits (e.g. 802-0001) or a 3-digit area (802).", field="postcodes"
        )
    return tuple(sorted({c for c in codes if c is not None}))


@dataclass(frozen=True)
class NewTerms:
    """A campaign's terms as sent (the API's body; the CLI and the console send the same)."""

    kind: object
    name: object
    face_yen: object
    starts_at: datetime
    ends_at: datetime
    use_until: datetime | None = None
    price_yen: object = None
    local_yen: object = None
    book_count: object = None
    stock: object = None
    per_person: object = None
    budget_yen: object = None
    terms: object = None
    eligibility: object = None
    postcodes: object = None
    rounds: Sequence[tuple[datetime, object]] = ()


def new_campaign(campaign_id: str, sent: NewTerms, now: datetime, actor: str) -> Campaign:
    """A campaign from its terms, or InvalidCampaign naming the first field that is wrong."""
    kind = require_kind(sent.kind)
    face = _whole(sent.face_yen, "face_yen", 1, MAX_YEN)
    price = _maybe_whole(sent.price_yen, "price_yen", 0, MAX_YEN) or 0
    book = _maybe_whole(sent.book_count, "book_count", 1, MAX_BOOK) or 1
    local = _maybe_whole(sent.local_yen, "local_yen", 0, MAX_YEN) or 0
    stock = _maybe_whole(sent.stock, "stock", 1, MAX_STOCK)
    budget = _maybe_whole(sent.budget_yen, "budget_yen", 1, MAX_BUDGET_YEN)
    per_person = _maybe_whole(sent.per_person, "per_person", 1, MAX_PER_PERSON) or 1
    if kind == CampaignKind.TICKET_BOOK and book < 2:
        raise InvalidCampaign(
            "A ticket book has 2 or more tickets (`book_count`).", field="book_count"
        )
    if kind != CampaignKind.TICKET_BOOK and book != 1:
        raise InvalidCampaign(
            "Only a ticket book has several coupons per grant.", field="book_count"
        )
    if kind != CampaignKind.PREMIUM and price != 0:
        raise InvalidCampaign(
            "Only premium vouchers are sold; the others are free.", field="price_yen"
        )
    if kind == CampaignKind.PREMIUM and not 1 <= price < face:
        raise InvalidCampaign(
            "A premium voucher's price is at least ¥1 and below its face.", field="price_yen"
        )
    if local >= face * book and local != 0:
        raise InvalidCampaign("The 専用券 part is less than the face.", field="local_yen")
    if local and book != 1:
        raise InvalidCampaign("A ticket book has no 専用券 part.", field="local_yen")
    if stock is None and budget is None:
        raise InvalidCampaign("Give a stock, a budget, or both.", field="stock")
    if budget is not None and budget < face * book:
        raise InvalidCampaign("The budget must cover at least one grant.", field="budget_yen")
    if not sent.starts_at < sent.ends_at:
        raise InvalidCampaign("The campaign must end after it starts.", field="ends_at")
    use_until = sent.use_until or sent.ends_at
    if use_until < sent.ends_at:
        raise InvalidCampaign(
            "Coupons must be usable until the campaign ends at least.", field="use_until"
        )
    methods = require_methods(sent.eligibility)
    postcodes = require_postcodes(sent.postcodes)
    if (Method.RESIDENCE in methods) != bool(postcodes):
        raise InvalidCampaign(
            "A residence check needs its postcodes, and postcodes need the residence check.",
            field="postcodes",
        )
    rounds = _rounds(sent.rounds, kind, stock, sent.starts_at, sent.ends_at)
    return Campaign(
        campaign_id=campaign_id,
        kind=kind,
        name=require_name(sent.name),
        terms=require_terms(sent.terms),
        face_yen=face,
        price_yen=price,
        local_yen=local,
        book_count=book,
        stock=stock,
        per_person=per_person,
        budget_yen=budget,
        starts_at=sent.starts_at,
        ends_at=sent.ends_at,
        use_until=use_until,
        eligibility=methods,
        postcodes=postcodes,
        granted_sets=0,
        granted_yen=0,
        closed_at=None,
        created_at=now,
        actor=actor,
        rounds=rounds,
    )


def _rounds(
    sent: Sequence[tuple[datetime, object]],
    kind: CampaignKind,
    stock: int | None,
    starts_at: datetime,
    ends_at: datetime,
) -> tuple[Round, ...]:
    """A first-come campaign's releases: each opens within the period, later than the one
    before, and together they release the whole stock."""
    if not sent:
        return ()
    if kind != CampaignKind.FIRST_COME:
        raise InvalidCampaign("Only a first-come campaign is released in rounds.", field="rounds")
    if stock is None or len(sent) > MAX_ROUNDS:
        raise InvalidCampaign(
            f"Rounds (at most {MAX_ROUNDS}) release a stock: give `stock` too.", field="rounds"
        )
    rounds: list[Round] = []
    for number, (opens_at, count) in enumerate(sent, start=1):
        amount = _whole(count, "rounds", 1, MAX_STOCK)
        if not starts_at <= opens_at < ends_at or (rounds and opens_at <= rounds[-1].opens_at):
            raise InvalidCampaign(
                "Each round opens within the period, after the one before.", field="rounds"
            )
        rounds.append(Round(number, opens_at, amount))
    if sum(r.stock for r in rounds) != stock:
        raise InvalidCampaign("The rounds together release the whole stock.", field="rounds")
    return tuple(rounds)


def released_stock(campaign: Campaign, now: datetime) -> int | None:
    """The grants open by `now`: the stock, or the rounds opened so far; None: no stock limit."""
    if not campaign.rounds:
        return campaign.stock
    return sum(r.stock for r in campaign.rounds if r.opens_at <= now)


def next_round(campaign: Campaign, now: datetime) -> Round | None:
    return next((r for r in campaign.rounds if r.opens_at > now), None)


def remaining_yen(campaign: Campaign) -> int | None:
    return None if campaign.budget_yen is None else campaign.budget_yen - campaign.granted_yen


def is_exhausted(campaign: Campaign) -> bool:
    """Nothing more can ever be granted (every round counted): the waiting room's sold-out."""
    stock_gone = campaign.stock is not None and campaign.granted_sets >= campaign.stock
    left = remaining_yen(campaign)
    return stock_gone or (left is not None and left < campaign.grant_face_yen)


def require_grantable(
    campaign: Campaign,
    now: datetime,
    received: int,
    passed: Collection[Method],
    *,
    gate_passed: bool = False,
) -> None:
    """May this resident receive one more grant now? `received`: their grants so far; `passed`:
    the checks they passed; `gate_passed`: a lottery's winner claiming, a survey answered (the
    kinds that are not given directly)."""
    if campaign.closed_at is not None:
        raise CampaignClosed()
    if now < campaign.starts_at or now > campaign.ends_at:
        raise CampaignNotOpen(opens_at=campaign.starts_at.isoformat())
    if campaign.kind not in DIRECT_KINDS and not gate_passed:
        raise CampaignKindRefused()
    missing = sorted(m.value for m in campaign.eligibility if m not in passed)
    if missing:
        raise CampaignNotEligible(missing=", ".join(missing))
    if received >= campaign.per_person:
        raise CampaignLimitReached(limit=campaign.per_person)
    if is_exhausted(campaign):
        raise CampaignSoldOut()
    released = released_stock(campaign, now)
    if released is not None and campaign.granted_sets >= released:
        upcoming = next_round(campaign, now)
        if upcoming is None:
            raise CampaignSoldOut()
        raise CampaignNotOpen(
            f"This round is given out; the next opens {upcoming.opens_at.isoformat()}.",
            opens_at=upcoming.opens_at.isoformat(),
        )


def require_grantable_held(
    campaign: Campaign,
    counted: Campaign,
    now: datetime,
    received: int,
    passed: Collection[Method],
    *,
    gate_passed: bool = False,
) -> None:
    """require_grantable against `counted` (the campaign with its live holds counted as granted,
    `received` with the person's own). A set refused only because the rest is held is
    `campaign.sets_held`, not sold out: holds lapse, so nothing may remember it as gone (the
    rush's waiting room marks a campaign sold out for good on `campaign.sold_out`)."""
    try:
        require_grantable(counted, now, received, passed, gate_passed=gate_passed)
    except CampaignSoldOut:
        if counted == campaign:
            raise
        require_grantable(campaign, now, received, passed, gate_passed=gate_passed)
        raise CampaignSetsHeld() from None


def with_holds(campaign: Campaign, held_sets: int, held_yen: int) -> Campaign:
    """The campaign as if its live holds (sets held while a card is charged) were granted: a
    hold counts against the stock and the budget exactly like a grant, so nobody pays for a
    set that cannot be granted (node/campaigns/holds.py)."""
    return replace(
        campaign,
        granted_sets=campaign.granted_sets + held_sets,
        granted_yen=campaign.granted_yen + held_yen,
    )


def coupon_plan(campaign: Campaign) -> tuple[CouponPlan, ...]:
    """The vouchers one grant issues. A premium set is a 共通券 and, when the campaign has a
    専用券 part, a 専用券; the price is carried by the 共通券 first (a voucher's price never
    exceeds its face). A ticket book is `book_count` tickets, the price spread over them."""
    if campaign.book_count > 1:
        share, extra = divmod(campaign.price_yen, campaign.book_count)
        return tuple(
            CouponPlan(campaign.face_yen, share + (1 if i < extra else 0), StoreClass.COMMON)
            for i in range(campaign.book_count)
        )
    common_face = campaign.face_yen - campaign.local_yen
    common_price = min(campaign.price_yen, common_face)
    plans = [CouponPlan(common_face, common_price, StoreClass.COMMON)]
    if campaign.local_yen:
        plans.append(
            CouponPlan(campaign.local_yen, campaign.price_yen - common_price, StoreClass.LOCAL)
        )
    return tuple(plans)


def status_sums(granted: int, used: int, lapsed: int, outstanding: int) -> Mapping[str, int]:
    """What `campaign status` answers besides the budget: granted = used + lapsed + outstanding
    must hold (node/campaigns/queries.py reads each from the ledger on its own)."""
    return {
        "granted_yen": granted,
        "used_yen": used,
        "lapsed_yen": lapsed,
        "outstanding_yen": outstanding,
    }
