"""The console's lottery and survey pages over real HTTP on a real node (no browser): head office
sets up a lottery with a commitment, closes the entries, draws with the secret (a wrong one
refused beside its field), downloads the draw file; sets a survey's questions typed one a line (a
bad line refused), and downloads the answers CSV; the tabs appear on the campaign's pages; only
head office reaches them."""

from __future__ import annotations

import hashlib
import json

from tests.campaign_console_helpers import head_office, local
from tests.campaign_helpers import moment, terms
from tests.conftest import AsyncNode, ok
from tests.web_helpers import ADMIN_PASSWORD, add_store, browsers, counter

SECRET = bytes(range(32))


async def test_head_office_runs_a_lottery_from_the_console(anode: AsyncNode) -> None:
    campaign = await ok(anode, "POST", "campaigns", terms(anode.clock, "lottery", stock=1))
    cid = campaign["campaign_id"]
    page = f"/admin/campaigns/{cid}/lottery"
    async with browsers(anode) as new:
        admin = await head_office(anode, new)
        staff = await counter(anode, new, "yamada", [await add_store(anode, "本店")])
        assert (await staff.get(page)).code == "auth.forbidden"
        status = await admin.get(f"/admin/campaigns/{cid}")
        assert f'href="{page}"' in status.text  # the tab, now that the route is served
        shown = await admin.get(page)
        assert shown.status == 200 and 'id="lottery-setup"' in shown.text
        form = {
            "seed_mode": "secret",
            "commitment": "abc",
            "entries_until": local(anode, days=7),
            "claim_days": "5",
        }
        refused = await admin.signed_post(page, form)
        assert refused.status == 422 and 'id="lottery-setup-commitment-error"' in refused.text
        form["commitment"] = hashlib.sha256(SECRET).hexdigest()
        done = await admin.signed_post(page, form)
        assert done.status == 303 and done.location.endswith("done=done_cpg_set_up")
        person = await ok(anode, "POST", "customers", {"name": "応募者"})
        await ok(
            anode,
            "POST",
            f"campaigns/{cid}/lottery/entries",
            {"customer_id": person["customer_id"]},
        )
        early = await admin.signed_post(f"{page}/close")
        assert early.status == 409 and "campaign.entries_open" in early.text
        anode.clock.advance(days=8)
        admin = new()  # the console's session lapsed over the week: sign in again
        assert (await admin.sign_in("/admin/login", "admin", ADMIN_PASSWORD)).status == 303
        assert (await admin.signed_post(f"{page}/close")).status == 303
        wrong = await admin.signed_post(f"{page}/draw", {"secret": "11" * 32})
        assert wrong.status == 422 and "campaign.seed_refused" in wrong.text
        drawn = await admin.signed_post(f"{page}/draw", {"secret": SECRET.hex()})
        assert drawn.status == 303 and drawn.location.endswith("done=done_cpg_drawn")
        shown = await admin.get(page)
        assert 'data-round="1"' in shown.text and 'id="draw-file"' in shown.text
        document = json.loads((await admin.get(f"{page}/draw.json")).text)
        assert document["rounds"][0]["seed"] == SECRET.hex()
        assert len(document["rounds"][0]["winners"]) == 1


async def test_head_office_sets_a_survey_and_downloads_its_answers(anode: AsyncNode) -> None:
    campaign = await ok(
        anode,
        "POST",
        "campaigns",
        terms(anode.clock, "survey", ends_at=moment(anode.clock, days=9)),
    )
    cid = campaign["campaign_id"]
    page = f"/admin/campaigns/{cid}/survey"
    async with browsers(anode) as new:
        admin = await head_office(anode, new)
        bad = await admin.signed_post(page, {"questions": "essay: 何でも: 10"})
        assert bad.status == 422 and 'id="survey-set-questions-error"' in bad.text
        lines = "*single: お住まいの区: 北区 / 南区\nmultiple: 行くお店: 八百屋 / 書店\ntext: ご意見: 50"
        done = await admin.signed_post(page, {"questions": lines})
        assert done.status == 303 and done.location.endswith("done=done_cpg_survey_set")
        survey = await ok(anode, "GET", f"campaigns/{cid}/survey")
        assert [q["kind"] for q in survey["questions"]] == ["single", "multiple", "text"]
        assert survey["questions"][0]["required"] and survey["questions"][2]["max_length"] == 50
        person = await ok(anode, "POST", "customers", {"name": "回答者"})
        answer = {"customer_id": person["customer_id"], "answers": {"1": "北区", "2": ["書店"]}}
        await ok(anode, "POST", f"campaigns/{cid}/survey/answers", answer)
        shown = await admin.get(page)
        assert 'id="survey-locked"' in shown.text and 'id="answers-csv"' in shown.text
        csv_page = await admin.get(f"{page}/answers.csv")
        assert csv_page.status == 200 and csv_page.text.lstrip("\ufeff").splitlines()[1].endswith(
            ",北区,書店,"
        )
