"""The public list of an office's campaigns (/campaigns, no sign-in), in the reader's language:
what each offers, for how long, at what price, on what terms."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from aiohttp import web

from node.web.campaign_render import render_campaign_page
from node.web.campaign_words import KIND_NAMES


@dataclass(frozen=True)
class CampaignListing:
    """One campaign as the public list shows it."""

    campaign_id: str
    name: str  # as the office wrote it: shown verbatim in every language
    kind: str  # a key of KIND_NAMES
    starts: datetime | None
    ends: datetime | None
    face_yen: int  # what the coupon or voucher is worth
    price_yen: int | None  # what a resident pays for it; None when it is free
    terms: str  # the office's terms, verbatim


async def campaigns_page(request: web.Request) -> web.StreamResponse:
    # The campaigns package (node.campaigns, with its public_campaigns query) is not on this
    # branch yet: until it is merged the office has no campaign to list, and the page says so.
    listings: list[CampaignListing] = []
    return render_campaign_page(
        request, "campaigns/list.html", {"campaigns": listings, "kind_names": KIND_NAMES}
    )


def routes() -> list[web.RouteDef]:
    return [web.get("/campaigns", campaigns_page)]
