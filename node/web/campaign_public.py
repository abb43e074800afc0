"""The public list of an office's campaigns (/campaigns, no sign-in), in the reader's language:
what each offers, how it is received, for how long, at what price, on what terms."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from aiohttp import web

from node.campaigns import core, queries
from node.campaigns.model import Campaign
from node.runtime import NODE
from node.web.campaign_render import in_reader_language, render_campaign_page
from node.web.campaign_words import AVAILABILITY_NAMES, KIND_HOW, KIND_NAMES


@dataclass(frozen=True)
class CampaignListing:
    """One campaign as the public list shows it."""

    campaign: Campaign
    availability: str  # a key of AVAILABILITY_NAMES
    next_release: datetime | None  # a first-come campaign's next round, if one is to come


def availability(campaign: Campaign, now: datetime) -> str:
    if core.is_exhausted(campaign):
        return "given_out"
    return "open" if campaign.starts_at <= now else "not_yet"


def listing(campaign: Campaign, now: datetime) -> CampaignListing:
    upcoming = core.next_round(campaign, now)
    return CampaignListing(
        campaign, availability(campaign, now), None if upcoming is None else upcoming.opens_at
    )


@in_reader_language(home="/campaigns")
async def campaigns_page(request: web.Request) -> web.StreamResponse:
    node = request.app[NODE]
    now = node.clock.now()
    listed = await queries.public_campaigns(node.require_reader(), now)
    context = {
        "listings": [listing(campaign, now) for campaign in listed],
        "kind_names": KIND_NAMES,
        "kind_how": KIND_HOW,
        "availability_names": AVAILABILITY_NAMES,
    }
    return render_campaign_page(request, "campaigns/list.html", context)


def routes() -> list[web.RouteDef]:
    return [web.get("/campaigns", campaigns_page)]
