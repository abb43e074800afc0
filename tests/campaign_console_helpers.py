"""Head office at the campaigns console over real HTTP (not a test module): signed in, the forms
as the pages post them (times typed in the node's zone, checkboxes repeated), and the campaign
created read back through the admin API."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from tests.conftest import AsyncNode, ok
from tests.web_helpers import ADMIN_PASSWORD, NewPerson, Page, Person

CAMPAIGN_PAGE = re.compile(r"^/admin/campaigns/(cp_[0-9a-z]+)\?done=done_cpc_created$")
ZONE_HOURS = 9  # the test node's zone is Asia/Tokyo


def local(anode: AsyncNode, **delta: float) -> str:
    """A moment as the datetime-local input sends it, in the node's zone."""
    moment = anode.clock.now() + timedelta(hours=ZONE_HOURS) + timedelta(**delta)
    return moment.strftime("%Y-%m-%dT%H:%M")


async def head_office(anode: AsyncNode, new: NewPerson) -> Person:
    await ok(anode, "PUT", "admin/password", {"password": ADMIN_PASSWORD})
    admin = new()
    assert (await admin.sign_in("/admin/login", "admin", ADMIN_PASSWORD)).status == 303
    return admin


def premium_form(anode: AsyncNode, **extra: str) -> dict[str, str]:
    """A premium campaign as typed: pay ¥10,000 for ¥13,000, ¥3,000 of it 専用券, 100 sets."""
    form = {
        "kind": "premium",
        "name": "プレミアム付き商品券 2027",
        "face_yen": "13,000",
        "price_yen": "１００００",  # full-width digits, as a Japanese keyboard may type them
        "local_yen": "3000",
        "stock": "100",
        "budget_yen": "1300000",
        "per_person": "2",
        "starts_at": local(anode, hours=-1),
        "ends_at": local(anode, days=30),
        "use_until": local(anode, days=90),
        "terms": "市内の加盟店で使えます。\n専用券は中小店舗のみ。",
    }
    form.update(extra)
    return form


def first_come_form(anode: AsyncNode, **extra: str) -> dict[str, str]:
    """Free ¥1,000 coupons, 300 in two rounds: 100 an hour ago, 200 in two days."""
    form = {
        "kind": "first-come",
        "name": "先着 ウェルカムクーポン",
        "face_yen": "1000",
        "stock": "300",
        "starts_at": local(anode, hours=-2),
        "ends_at": local(anode, days=10),
        "round_opens_1": local(anode, hours=-1),
        "round_stock_1": "100",
        "round_opens_2": local(anode, days=2),
        "round_stock_2": "200",
    }
    form.update(extra)
    return form


async def send_form(
    admin: Person, form: dict[str, str], checks: tuple[str, ...] = (), path: str = ""
) -> Page:
    """The new-campaign form posted with its ticked checks (the same field repeated)."""
    pairs = [*form.items(), *(("eligibility", c) for c in checks), ("csrf", admin.token)]
    return await admin.post(path or "/admin/campaigns", pairs)


async def create(admin: Person, form: dict[str, str], checks: tuple[str, ...] = ()) -> str:
    made = await send_form(admin, form, checks)
    found = CAMPAIGN_PAGE.match(made.location)
    assert made.status == 303 and found, (made.status, made.code, made.location)
    return found.group(1)


async def campaigns(anode: AsyncNode) -> list[dict[str, Any]]:
    return list((await ok(anode, "GET", "campaigns"))["campaigns"])
