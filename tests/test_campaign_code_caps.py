"""One-time codes capped per day of the node's zone, through a real node over HTTP (the wallet's
/verify page, aiosmtpd for the mail, Twilio's Messages API served in the test): sends per address
or number and per customer, wrong codes per address and per customer. Parallel requests never pass
a cap, a refusal sends and stores nothing, the page says why in the reader's language, and the next
Tokyo day starts again. config.toml's [campaigns.codes] sets the caps; a bad value is refused."""

from __future__ import annotations

import asyncio
import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from node.campaigns.code_caps import day_of
from node.config import ListenAddress, render_config
from node.config.reading import config_from_dict
from node.errors import ConfigError
from tests.campaign_verify_helpers import CODE, Office, office
from tests.conftest import FakeClock, loop_watchdog
from tests.web_helpers import Page, Person

TOKYO = ZoneInfo("Asia/Tokyo")
SENDS_CAPPED = "eligibility.code_sends_capped"
TRIES_CAPPED = "eligibility.code_tries_capped"
CAPS = {
    "sends_per_subject": 3,
    "sends_per_customer": 4,
    "wrong_per_subject": 3,
    "wrong_per_customer": 5,
}


@pytest.fixture
async def city(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Office:  # type: ignore[misc]
    clock = FakeClock(datetime(2027, 1, 10, 14, 0, tzinfo=UTC))  # 23:00 in Tokyo
    with loop_watchdog():
        async with office(tmp_path / "city", clock, monkeypatch, code_caps=CAPS) as made:
            yield made


def _refused(page: Page, code: str) -> None:
    assert (page.status, page.code) == (429, code), page.text[:400]


async def _send(city: Office, person: Person, email: str, campaign_id: str = "") -> Page:
    verify = f"/wallet/campaigns/{campaign_id or city.campaign_id}/verify"
    return await person.signed_post(f"{verify}/email", {"email": email})


async def test_parallel_sends_to_one_address_stop_at_its_cap(city: Office) -> None:
    residents = [await city.resident(f"r{i}@example.jp") for i in range(8)]
    before = len(city.inbox.messages)
    pages = await asyncio.gather(
        *(_send(city, person, "target@example.jp") for person, _ in residents)
    )
    sent = [p for p in pages if p.status == 200]
    assert len(sent) == CAPS["sends_per_subject"], [p.code for p in pages]
    for page in pages:
        if page.status != 200:
            _refused(page, SENDS_CAPPED)
            assert "本日の上限に達しました" in page.text
    while len(city.inbox.messages) < before + len(sent):
        city.inbox.arrived.clear()
        await city.inbox.arrived.wait()
    assert len(city.inbox.messages) == before + CAPS["sends_per_subject"]

    # Another address still gets its codes: the cap is the address's, not the campaign's.
    person, _ = residents[-1]
    assert (await _send(city, person, "other@example.jp")).status == 200


async def test_one_customer_stops_at_the_customer_cap_across_campaigns_and_numbers(
    city: Office,
) -> None:
    campaigns = [await city.campaign(["sms"]) for _ in range(6)]
    aya, _ = await city.resident("aya@example.jp")
    numbers = [f"090-1234-56{i:02d}" for i in range(6)]
    pages = await asyncio.gather(
        *(
            aya.signed_post(f"/wallet/campaigns/{cid}/verify/sms", {"phone": number})
            for cid, number in zip(campaigns, numbers, strict=True)
        )
    )
    assert sum(p.status == 200 for p in pages) == CAPS["sends_per_customer"]
    for page in pages:
        if page.status != 200:
            _refused(page, SENDS_CAPPED)
    # Refused sends cost the office nothing: only the codes allowed went to Twilio's API.
    assert len(city.sms.messages) == CAPS["sends_per_customer"]


async def test_wrong_codes_stop_at_the_cap_then_even_the_right_code_waits_for_the_next_day(
    city: Office,
) -> None:
    hana, hana_id = await city.resident("hana@example.jp")
    assert (await _send(city, hana, "hana.box@example.jp")).status == 200
    code = await city.mailed_code("hana.box@example.jp")
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    confirm = f"{city.verify}/email/code"
    pages = await asyncio.gather(*(hana.signed_post(confirm, {"code": wrong}) for _ in range(5)))
    codes = sorted(p.code for p in pages)
    assert codes == [TRIES_CAPPED] * 2 + ["eligibility.code_wrong"] * 3, codes

    refused = await hana.signed_post(f"{confirm}?lang=ko", {"code": code})
    _refused(refused, TRIES_CAPPED)
    assert "오늘 잘못된 코드를 너무 많이 입력했습니다" in refused.text
    assert await city.proofs(hana_id) == set()

    # Past midnight in Tokyo the day's counts start again (the old code expired meanwhile).
    city.clock.advance(hours=1, minutes=1)
    assert day_of(city.clock.now(), TOKYO) == "2027-01-11"
    assert (await _send(city, hana, "hana.box@example.jp")).status == 200
    fresh = await city.mailed_code("hana.box@example.jp")
    done = await hana.signed_post(confirm, {"code": fresh})
    assert done.status == 303, done.text[:300]
    assert await city.proofs(hana_id) == {"email"}


async def test_the_subject_cap_holds_across_customers_typing_wrong_codes(city: Office) -> None:
    """Two residents with codes to one address: their wrong codes count together."""
    one, _ = await city.resident("one@example.jp")
    two, _ = await city.resident("two@example.jp")
    for person in (one, two):
        assert (await _send(city, person, "shared@example.jp")).status == 200
    codes = await _codes_to(city, "shared@example.jp", 2)
    wrong = next(f"{n:06d}" for n in range(10) if f"{n:06d}" not in codes)
    confirm = f"{city.verify}/email/code"
    pages = await asyncio.gather(
        *(person.signed_post(confirm, {"code": wrong}) for person in (one, two, one, two))
    )
    assert sorted(p.code for p in pages) == [TRIES_CAPPED] + ["eligibility.code_wrong"] * 3


async def _codes_to(city: Office, email: str, count: int) -> set[str]:
    """The codes of the first `count` mails to `email` (waiting for them)."""
    while True:
        city.inbox.arrived.clear()
        bodies = [m.get_payload(decode=True) for m in city.inbox.messages if m["To"] == email]
        found = {c for b in bodies if isinstance(b, bytes) for c in CODE.findall(b.decode())}
        if len(bodies) >= count:
            return found
        await city.inbox.arrived.wait()


def _config(**codes: object) -> dict[str, object]:
    data = tomllib.loads(render_config("市役所", ListenAddress("127.0.0.1", 8470)))
    data["campaigns"]["codes"].update(codes)  # type: ignore[index]
    return data


def test_the_caps_come_from_config_and_a_bad_value_names_its_key() -> None:
    read = config_from_dict(_config(sends_per_subject=2, wrong_per_customer=7)).campaign_codes
    assert (read.sends_per_subject, read.wrong_per_customer) == (2, 7)
    assert (read.sends_per_customer, read.wrong_per_subject) == (10, 10)  # the defaults
    with pytest.raises(ConfigError) as refused:
        config_from_dict(_config(sends_per_subject=0, wrong_per_subject="ten", extra=1))
    text = str(refused.value)
    assert "campaigns.codes.sends_per_subject must be 1..1000" in text
    assert "campaigns.codes.wrong_per_subject must be a int" in text
    assert "unknown key campaigns.codes.extra" in text


def test_a_day_is_a_day_in_tokyo() -> None:
    late = datetime(2027, 1, 10, 14, 59, tzinfo=ZoneInfo("UTC"))  # 23:59 in Tokyo
    assert day_of(late, TOKYO) == "2027-01-10"
    assert day_of(late + timedelta(minutes=1), TOKYO) == "2027-01-11"
