"""The lottery's rules, pure: a set-up's terms, who may apply when, when the entries may close,
a draw's seed and count, and a claim. `now` comes in as an argument; no I/O.

A lottery campaign's own `ends_at` is the last moment to receive (to claim a win); applications
end earlier, at the set-up's `entries_until`, so the draw and the claims fit in the period the
campaign's grant rules (core.require_grantable) already enforce.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from node.campaigns import core
from node.campaigns.draw import MAX_SEED_BYTES, MIN_SEED_BYTES, is_committed
from node.campaigns.gate_model import DrawRound, Lottery, SeedMode, Win
from node.campaigns.model import Campaign, CampaignKind, Method
from node.errors import (
    CampaignClosed,
    CampaignNotEligible,
    InvalidLottery,
    LotteryAlreadyClaimed,
    LotteryClaimExpired,
    LotteryClaimsOpen,
    LotteryEntriesClosed,
    LotteryEntriesOpen,
    LotteryNothingToDraw,
    LotteryNotSetUp,
    LotterySeedRefused,
)

MAX_CLAIM_DAYS = 365
MAX_BEACON_NAME = 100


def require_hex(value: object, field: str, low: int, high: int) -> bytes:
    try:
        raw = bytes.fromhex(value.strip()) if isinstance(value, str) else b""
    except ValueError:
        raw = b""
    if not low <= len(raw) <= high:
        size = f"{low}" if low == high else f"{low}-{high}"
        raise InvalidLottery(f"`{field}` must be {size} bytes in hex.", field=field)
    return raw


@dataclass(frozen=True)
class LotteryTerms:
    """A set-up as sent: `commitment` (hex) for the secret mode, `beacon_name` and optionally
    the announced `beacon_round` for the beacon mode."""

    seed_mode: object
    entries_until: datetime
    claim_days: object
    commitment: object = None
    beacon_name: object = None
    beacon_round: object = None


def new_lottery(campaign: Campaign, sent: LotteryTerms, now: datetime, actor: str) -> Lottery:
    if campaign.kind != CampaignKind.LOTTERY:
        raise LotteryNotSetUp()
    try:
        mode = SeedMode(str(sent.seed_mode))
    except ValueError:
        raise InvalidLottery("`seed_mode` is secret or beacon.", field="seed_mode") from None
    claim_days = sent.claim_days
    if isinstance(claim_days, bool) or not isinstance(claim_days, int):
        raise InvalidLottery("`claim_days` is a whole number of days.", field="claim_days")
    if not 1 <= claim_days <= MAX_CLAIM_DAYS:
        raise InvalidLottery(f"`claim_days` is 1 to {MAX_CLAIM_DAYS}.", field="claim_days")
    if not campaign.starts_at < sent.entries_until < campaign.ends_at:
        raise InvalidLottery(
            "Applications end within the campaign's period, before its end (the claims' end).",
            field="entries_until",
        )
    commitment = None
    beacon_round = None
    name = sent.beacon_name if isinstance(sent.beacon_name, str) else ""
    if mode == SeedMode.SECRET:
        commitment = require_hex(sent.commitment, "commitment", 32, 32)
    else:
        if sent.commitment is not None:
            raise InvalidLottery("A beacon lottery has no commitment.", field="commitment")
        if not name.strip() or len(name) > MAX_BEACON_NAME:
            raise InvalidLottery(
                f"Name the beacon (1-{MAX_BEACON_NAME} characters), e.g. drand quicknet.",
                field="beacon_name",
            )
        if sent.beacon_round is None:
            # Announced before any entry, so the office cannot pick among rounds already out.
            raise InvalidLottery(
                "A beacon lottery announces at set-up the beacon round its first draw uses:"
                " one that comes out after the entries close.",
                field="beacon_round",
            )
        beacon_round = require_beacon_round(sent.beacon_round)
    return Lottery(
        campaign_id=campaign.campaign_id,
        seed_mode=mode,
        commitment=commitment,
        beacon_name=name.strip(),
        beacon_round=beacon_round,
        entries_until=sent.entries_until,
        claim_days=claim_days,
        entries_closed_at=None,
        entry_count=None,
        entries_hash=None,
        set_up_at=now,
        actor=actor,
    )


def require_beacon_round(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**53:
        raise InvalidLottery("`beacon_round` is a whole number.", field="beacon_round")
    return value


def require_may_apply(
    campaign: Campaign, lottery: Lottery, now: datetime, passed: Collection[Method]
) -> None:
    """Applications are taken from the campaign's start to `entries_until`, from residents who
    passed the campaign's checks (the same ones a grant asks for)."""
    if campaign.closed_at is not None:
        raise CampaignClosed()
    if lottery.entries_closed_at is not None or not (
        campaign.starts_at <= now <= lottery.entries_until
    ):
        raise LotteryEntriesClosed(entries_until=lottery.entries_until.isoformat())
    missing = sorted(m.value for m in campaign.eligibility if m not in passed)
    if missing:
        raise CampaignNotEligible(missing=", ".join(missing))


def require_may_close(lottery: Lottery, now: datetime) -> None:
    if lottery.entries_closed_at is not None or now <= lottery.entries_until:
        raise LotteryEntriesOpen()


def seed_for(lottery: Lottery, secret: object, beacon_value: object) -> bytes:
    """The seed a draw uses: the revealed secret (it must be the committed one) or the beacon's
    value as entered."""
    if lottery.seed_mode == SeedMode.SECRET:
        if beacon_value is not None:
            raise InvalidLottery("This lottery's seed is the office's secret.", field="beacon")
        revealed = require_hex(secret, "secret", 32, 32)
        if lottery.commitment is None or not is_committed(revealed, lottery.commitment):
            raise LotterySeedRefused()
        return revealed
    if secret is not None:
        raise InvalidLottery("This lottery's seed is the beacon's value.", field="secret")
    return require_hex(beacon_value, "beacon_value", MIN_SEED_BYTES, MAX_SEED_BYTES)


def require_beacon_order(
    lottery: Lottery, beacon_round: object, rounds: list[DrawRound]
) -> int | None:
    """Beacon mode: round 1 uses the announced round (when one was), each later draw a round
    after the last one used."""
    if lottery.seed_mode != SeedMode.BEACON:
        if beacon_round is not None:
            raise InvalidLottery("Only a beacon lottery has a beacon round.", field="beacon_round")
        return None
    number = require_beacon_round(beacon_round)
    if not rounds and lottery.beacon_round is not None and number != lottery.beacon_round:
        raise LotterySeedRefused()
    if rounds and number <= max(r.beacon_round or 0 for r in rounds):
        raise LotterySeedRefused()
    return number


def draw_count(campaign: Campaign) -> int:
    """How many to draw now: what the stock and the budget still cover. Round 1 that is the
    whole stock; a later round runs only after every earlier claim deadline, so it is exactly
    the wins left unclaimed (they went back to the budget: never granted)."""
    left = [campaign.stock - campaign.granted_sets] if campaign.stock is not None else []
    yen_left = core.remaining_yen(campaign)
    if yen_left is not None:
        left.append(yen_left // campaign.grant_face_yen)
    return max(0, min(left)) if left else 0


def require_may_draw(
    campaign: Campaign, lottery: Lottery, rounds: list[DrawRound], now: datetime
) -> None:
    """After the entries closed; a later round after the last claim deadline, while winners
    would still have time to claim before the campaign's end."""
    if campaign.closed_at is not None:
        raise CampaignClosed()
    if lottery.entries_closed_at is None or lottery.entries_hash is None:
        raise LotteryEntriesOpen()
    if rounds and now <= rounds[-1].claim_until:
        raise LotteryClaimsOpen(claim_until=rounds[-1].claim_until.isoformat())
    if now >= campaign.ends_at:
        raise LotteryNothingToDraw()


def require_something(count: int, pool: int) -> None:
    if count < 1 or pool < 1:
        raise LotteryNothingToDraw()


def claim_until(campaign: Campaign, lottery: Lottery, now: datetime) -> datetime:
    """A round's claim deadline: `claim_days` from the draw, no later than the campaign's end."""
    return min(now + timedelta(days=lottery.claim_days), campaign.ends_at)


def require_claimable(win: Win, now: datetime) -> None:
    if win.grant_id is not None:
        raise LotteryAlreadyClaimed()
    if now > win.claim_until:
        raise LotteryClaimExpired()
