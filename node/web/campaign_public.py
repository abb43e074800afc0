"""The public list of an office's campaigns (/campaigns, no sign-in), in the reader's language:
what each offers, how it is received, for how long, at what price, on what terms."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from aiohttp import web

from node.campaigns import core, queries
from node.campaigns.model import Campaign, CampaignKind
from node.reads import Reader
from node.runtime import NODE
from node.web.campaign_render import in_reader_language, render_campaign_page
from node.web.campaign_words import AVAILABILITY_NAMES, KIND_HOW, KIND_NAMES


@dataclass(frozen=True)
class CampaignListing:
    """One campaign as the public list shows it."""

    campaign: Campaign
    availability: str  # a key of AVAILABILITY_NAMES
    next_release: datetime | None  # a first-come campaign's next round, if one is to come


def availability(campaign: Campaign, now: datetime, held: tuple[int, int] = (0, 0)) -> str:
    """`held`: the sets held now for card payments and their face. When they take all that is
    left, the campaign is "all_held", not given out: a set whose card is not paid returns
    within the payment's abandonment window, and a pay form now would only be refused."""
    if core.is_exhausted(campaign):
        return "given_out"
    if held[0] and core.is_exhausted(core.with_holds(campaign, *held)):
        return "all_held"
    return "open" if campaign.starts_at <= now else "not_yet"


def listing(campaign: Campaign, now: datetime, held: tuple[int, int] = (0, 0)) -> CampaignListing:
    upcoming = core.next_round(campaign, now)
    return CampaignListing(
        campaign,
        availability(campaign, now, held),
        None if upcoming is None else upcoming.opens_at,
    )


async def live_listing(
    conn: Reader, campaign: Campaign, now: datetime, reader_id: str | None = None
) -> CampaignListing:
    """The listing with the sets held for card payments counted (only premium sets are held).
    `reader_id`: a signed-in resident, whose own holds are left out: their own purchase in
    progress is not "held for someone paying by card" (their page says it is theirs)."""
    if campaign.kind != CampaignKind.PREMIUM:
        return listing(campaign, now)
    held = await queries.live_holds(conn, campaign.campaign_id, now, reader_id)
    return listing(campaign, now, held)


async def live_listings(
    conn: Reader, campaigns: list[Campaign], now: datetime, reader_id: str | None = None
) -> list[CampaignListing]:
    return [await live_listing(conn, campaign, now, reader_id) for campaign in campaigns]


@in_reader_language(home="/campaigns")
async def campaigns_page(request: web.Request) -> web.StreamResponse:
    node = request.app[NODE]
    now = node.clock.now()
    listed = await queries.public_campaigns(node.require_reader(), now)
    context = {
        "listings": await live_listings(node.require_reader(), listed, now),
        "kind_names": KIND_NAMES,
        "kind_how": KIND_HOW,
        "availability_names": AVAILABILITY_NAMES,
    }
    return render_campaign_page(request, "campaigns/list.html", context)


def routes() -> list[web.RouteDef]:
    return [web.get("/campaigns", campaigns_page)]
