"""A campaign's serial codes in the console over real HTTP: the print run is downloaded once as
the printer's CSV (and counted), a wrong count or a campaign that asks for no serial codes is
refused beside the form, in Japanese, and nothing is drawn."""

from __future__ import annotations

import csv
import io

from node.campaigns.serials import parse_serial
from tests.campaign_console_helpers import head_office
from tests.campaign_helpers import terms
from tests.conftest import AsyncNode, ok
from tests.web_helpers import browsers


async def _campaign(anode: AsyncNode, methods: list[str]) -> str:
    made = await ok(anode, "POST", "campaigns", terms(anode.clock, eligibility=methods))
    return str(made["campaign_id"])


async def test_a_print_run_downloads_the_printers_csv_once(anode: AsyncNode) -> None:
    campaign_id = await _campaign(anode, ["serial", "sms"])
    page_path = f"/admin/campaigns/{campaign_id}/serials"
    async with browsers(anode) as new:
        admin = await head_office(anode, new)
        status_page = await admin.get(f"/admin/campaigns/{campaign_id}")
        assert f'href="{page_path}"' in status_page.text  # the tab shows once the page is served
        page = await admin.get(page_path)
        assert page.status == 200 and 'id="serials-printed" data-count="0"' in page.text
        async with admin.http.post(
            admin.base_url + page_path, data={"count": "１,２００", "csrf": admin.token}
        ) as answer:
            assert answer.status == 200, await answer.text()
            assert answer.headers["Content-Type"].startswith("text/csv")
            assert answer.headers["Cache-Control"] == "no-store"
            assert f"serials-{campaign_id}-" in answer.headers["Content-Disposition"]
            body = await answer.text()
        rows = list(csv.reader(io.StringIO(body, newline="")))
        assert rows[0] == ["serial", "campaign"] and len(rows) == 1201
        assert len({row[0] for row in rows[1:]}) == 1200
        assert all(parse_serial(row[0]) and row[1] == campaign_id for row in rows[1:])
        again = await admin.get(page_path)
        assert 'id="serials-printed" data-count="1200"' in again.text
        assert 'id="serials-used" data-count="0"' in again.text


async def test_a_wrong_count_or_a_campaign_without_serials_is_refused(anode: AsyncNode) -> None:
    with_serials = await _campaign(anode, ["serial"])
    without = await _campaign(anode, ["email"])
    async with browsers(anode) as new:
        admin = await head_office(anode, new)
        for typed in ("0", "abc", "100001"):
            page = await admin.signed_post(
                f"/admin/campaigns/{with_serials}/serials", {"count": typed}
            )
            assert (page.status, page.code) == (422, "eligibility.invalid_count"), typed
            assert "シリアルコードの数は1回に1から100000までです" in page.text
        refused = await admin.signed_post(f"/admin/campaigns/{without}/serials", {"count": "5"})
        assert (refused.status, refused.code) == (409, "eligibility.not_asked")
        assert 'id="serials-not-asked"' in refused.text
        for campaign_id in (with_serials, without):
            counts = await admin.get(f"/admin/campaigns/{campaign_id}/serials")
            assert 'id="serials-printed" data-count="0"' in counts.text
