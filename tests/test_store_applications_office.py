"""Store applications reviewed from the terminal, and the public form's limit per address, on a
real node (127.0.0.1, mail to a real SMTP sink): `kippu store applications`, `approve` and
`reject` through the admin API make, code and mail the store as the console does, and refuse a
second decision or an unknown id with nothing changed; the public form counts every send per
client address, also when sends race, and refuses the surplus with its code in the reader's
language until the hour has passed. The policy's keys (IPv6 /64 and /48) are checked directly."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from cli import main
from node.errors import Throttled
from node.home import write_admin_token
from node.web.campaign_store_apply import APPLY_ADDRESS_LIMIT
from node.web.throttle import AddressThrottle
from tests.store_helpers import (
    APPLICATION_NUMBER,
    STORE_CODE,
    Office,
    application,
    apply,
    body_of,
    office,
)


async def kippu(o: Office, *args: str) -> Result:
    """The CLI in a worker thread (it blocks on HTTP), against the node serving on this loop; it
    finds the node through config.toml and admin.token, as `kippu serve` leaves them."""
    token = o.shop.api.headers["Authorization"].removeprefix("Bearer ")
    write_admin_token(o.shop.home, token)
    argv = [*args, "--home", str(o.shop.home.root)]
    return await asyncio.to_thread(CliRunner().invoke, main, argv, catch_exceptions=False)


async def kippu_json(o: Office, *args: str) -> Any:
    result = await kippu(o, *args, "--json")
    assert result.exit_code == 0, result.output + result.stderr
    return json.loads(result.stdout)


def decided(o: Office) -> list[tuple[str, str, str | None, str | None]]:
    with sqlite3.connect(o.shop.home.database_path) as conn:
        return conn.execute(
            "SELECT application_id, status, reason, store_id FROM campaign_store_applications"
            " ORDER BY application_id"
        ).fetchall()


async def applied(o: Office, **changes: str) -> str:
    sent = await apply(o, application(**changes))
    assert sent.status == 200, sent.text[:300]
    found = APPLICATION_NUMBER.search(sent.text)
    assert found, sent.text[:300]
    return found.group(1)


async def test_the_office_lists_approves_and_rejects_from_the_cli(tmp_path: Path) -> None:
    async with office(tmp_path / "node") as o:
        first = await applied(o, store_name="山田商店", store_email="yamada@example.jp")
        o.shop.clock.advance(minutes=5)
        second = await applied(o, store_name="喫茶 みどり", store_email="midori@example.jp")
        pending = await kippu_json(o, "store", "applications", "--status", "pending")
        assert [a["application_id"] for a in pending["applications"]] == [second, first]
        assert {a["status"] for a in pending["applications"]} == {"pending"}

        approved = await kippu_json(o, "store", "approve", first)
        assert (approved["status"], approved["mailed"]) == ("approved", True)
        mail = body_of(await o.mail_to("yamada@example.jp"))
        code = STORE_CODE.search(mail)
        assert code and code.group(1) == approved["store_code"]
        stores: Any = await o.shop.call("GET", "stores")
        assert approved["store_id"] in {s["store_id"] for s in stores["stores"]}

        reason = "口座名義が申込者と異なります"
        rejected = await kippu_json(o, "store", "reject", second, "--reason", reason)
        assert (rejected["status"], rejected["reason"], rejected["mailed"]) == (
            "rejected",
            reason,
            True,
        )
        assert rejected["store_code"] is None and rejected["store_id"] is None
        assert reason in body_of(await o.mail_to("midori@example.jp"))
        before = decided(o)

        again = await kippu(o, "store", "approve", second, "--json")
        assert again.exit_code != 0
        assert json.loads(again.output)["error"]["code"] == "campaign.store_application_decided"
        unknown = await kippu(o, "store", "reject", "sa_nosuch", "--reason", "x", "--json")
        assert json.loads(unknown.output)["error"]["code"] == (
            "campaign.store_application_not_found"
        )
        async with o.shop.api.get(
            f"{o.shop.base_url}/api/v1/store-applications?status=waiting"
        ) as answer:
            assert answer.status == 400
            assert (await answer.json())["error"]["field"] == "status"
        async with o.shop.api.post(
            f"{o.shop.base_url}/api/v1/store-applications/{first}/reject", json={"reason": " "}
        ) as answer:
            assert answer.status in (400, 422)
        assert decided(o) == before  # no refusal changed anything
        stores_after: Any = await o.shop.call("GET", "stores")
        assert len(stores_after["stores"]) == len(stores["stores"])

        human = await kippu(o, "store", "applications", "--status", "approved")
        assert human.exit_code == 0, human.output
        assert first in human.stdout and second not in human.stdout
        assert "application_id" in human.stdout.splitlines()[0]


async def test_the_public_form_is_limited_per_address_even_when_sends_race(
    tmp_path: Path,
) -> None:
    async with office(tmp_path / "node") as o:
        refused = await apply(o, application(bank_code="9999"))  # a refused send counts too
        assert refused.status == 422
        sends = [
            apply(o, application(store_name=f"店舗{i}", store_email=f"s{i}@example.jp"))
            for i in range(APPLY_ADDRESS_LIMIT + 5)
        ]
        answers = await asyncio.gather(*sends)
        statuses = sorted(a.status for a in answers)
        assert statuses == [200] * (APPLY_ADDRESS_LIMIT - 1) + [429] * 6, statuses
        throttled = next(a for a in answers if a.status == 429)
        assert throttled.code == "campaign.store_apply_throttled"
        assert int(throttled.headers["Retry-After"]) > 0
        assert 'id="apply-form"' in throttled.text and 'value="店舗' in throttled.text
        assert len(decided(o)) == APPLY_ADDRESS_LIMIT - 1  # nothing refused was kept

        korean = o.person()
        form = await korean.get("/stores/apply?lang=ko")
        in_korean = await korean.post("/stores/apply", {**application(), "csrf": form.csrf})
        assert in_korean.status == 429 and "가맹점 신청이 너무 많습니다" in in_korean.text

        o.shop.clock.advance(hours=1)
        later = await apply(o, application(store_email="later@example.jp"))
        assert later.status == 200, later.text[:300]
        assert len(decided(o)) == APPLY_ADDRESS_LIMIT


def test_an_address_is_counted_by_its_slash_64_and_its_site_by_the_slash_48() -> None:
    limit = AddressThrottle(address_limit=2, site_limit=3, window_s=60)
    for _ in range(2):
        limit.attempt("2001:db8:1:1::a", 0)
    with pytest.raises(Throttled):
        limit.attempt("2001:db8:1:1::b", 1)  # another address of the same /64
    limit.attempt("2001:db8:1:2::a", 1)  # another /64 of the site: its third send
    with pytest.raises(Throttled) as site_full:
        limit.attempt("2001:db8:1:3::a", 2)
    assert site_full.value.details["retry_after_s"] == 59
    limit.attempt("2001:db8:2:1::a", 2)  # another site
    limit.attempt("192.0.2.1", 2)
    limit.attempt("192.0.2.1", 2)
    with pytest.raises(Throttled):
        limit.attempt("192.0.2.1", 3)
    limit.attempt("192.0.2.2", 3)
    limit.attempt("2001:db8:1:1::a", 60)  # the window has passed
