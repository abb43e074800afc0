"""Eligibility through a real node over HTTP: residents in their own wallet sessions prove it by
serial code, by a code mailed to them (aiosmtpd) or sent by SMS (Twilio's Messages API, served in
the test), and by postcode; each refusal has its code on the page and changes nothing; and of
residents racing for one serial code or one phone number exactly one succeeds."""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiohttp
import pytest

from node.campaigns.serials import ALPHABET, check_character, draw_serial, grouped
from tests import twilio_api as twilio
from tests.campaign_verify_helpers import Office, office
from tests.conftest import FakeClock, SeededRandomness, loop_watchdog
from tests.web_helpers import Page, Person


@pytest.fixture
async def city(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Office:  # type: ignore[misc]
    with loop_watchdog():
        async with office(tmp_path / "city", FakeClock(), monkeypatch) as made:
            yield made


async def _serials(city: Office, count: int) -> list[str]:
    status, batch = await city.call(
        "POST", f"campaigns/{city.campaign_id}/serials", {"count": count}
    )
    assert status == 201, batch
    assert batch["count"] == count == len(set(batch["serials"]))
    return list(batch["serials"])


def _refused(page: Page, code: str, status: int) -> None:
    assert (page.status, page.code) == (status, code), page.text[:400]


async def test_a_serial_code_proves_eligibility_once(city: Office) -> None:
    codes = await _serials(city, 5)
    hanako, hanako_id = await city.resident("hanako@example.jp")
    taro, taro_id = await city.resident("taro@example.jp")

    answer = await hanako.signed_post(f"{city.verify}/serial", {"serial": codes[0].lower()})
    assert (answer.status, answer.location) == (303, f"{city.verify}?done=serial")
    assert 'data-method="serial" data-done="yes"' in (await hanako.get(answer.location)).text
    assert await city.proofs(hanako_id) == {"serial"}
    again = await hanako.signed_post(f"{city.verify}/serial", {"serial": codes[0]})
    assert again.status == 303  # her retry (a lost answer) is her proof again

    _refused(
        await taro.signed_post(f"{city.verify}/serial", {"serial": codes[0]}),
        "eligibility.serial_used",
        409,
    )
    _refused(
        await hanako.signed_post(f"{city.verify}/serial", {"serial": codes[1]}),
        "eligibility.already_verified",
        409,
    )
    assert await city.proofs(taro_id) == set()
    # Hanako's refused second code is still unused: Taro can use it.
    assert (await taro.signed_post(f"{city.verify}/serial", {"serial": codes[1]})).status == 303

    status, batch = await city.call("POST", f"campaigns/{city.campaign_id}/serials", {"count": 1})
    assert (status, batch["printed"], batch["used"]) == (201, 6, 2)


async def test_a_mistyped_or_foreign_serial_code_is_refused_with_its_reason(city: Office) -> None:
    code = (await _serials(city, 1))[0].replace("-", "")
    jiro, jiro_id = await city.resident("jiro@example.jp")
    other = next(c for c in ALPHABET if c != code[3])
    mistyped = grouped(code[:3] + other + code[4:])
    page = await jiro.signed_post(f"{city.verify}/serial", {"serial": mistyped})
    _refused(page, "eligibility.serial_mistyped", 422)
    assert "シリアルコードが正しくありません" in page.text and mistyped in page.text
    unknown = draw_serial(SeededRandomness(99))  # a well-formed code the node never drew
    _refused(
        await jiro.signed_post(f"{city.verify}/serial", {"serial": unknown}),
        "eligibility.serial_unknown",
        422,
    )
    other = await city.campaign(["serial"])
    status, _ = await city.call("POST", f"campaigns/{other}/serials", {"count": 1})
    assert status == 201
    elsewhere = f"/wallet/campaigns/{other}/verify/serial"
    _refused(await jiro.signed_post(elsewhere, {"serial": code}), "eligibility.serial_unknown", 422)
    for count in (0, 100_001, "3", None):
        status, refused = await city.call(
            "POST", f"campaigns/{city.campaign_id}/serials", {"count": count}
        )
        assert status in (400, 422) and refused["error"]["code"] in (
            "eligibility.invalid_count",
            "request.invalid",
        ), refused
    assert await city.proofs(jiro_id) == set()
    assert check_character(code[:15]) == code[15]


async def test_residents_racing_for_one_serial_code_one_wins(city: Office) -> None:
    code = (await _serials(city, 1))[0]
    residents = [await city.resident(f"r{i}@example.jp") for i in range(8)]
    answers = await asyncio.gather(
        *(person.signed_post(f"{city.verify}/serial", {"serial": code}) for person, _ in residents)
    )
    assert sorted(a.status for a in answers) == [303] + [409] * 7
    assert {a.code for a in answers if a.status == 409} == {"eligibility.serial_used"}
    proven = [cid for (_, cid) in residents if await city.proofs(cid) == {"serial"}]
    assert len(proven) == 1


async def _code_form(city: Office, person: Person, channel: str, field: str, value: str) -> Page:
    return await person.signed_post(f"{city.verify}/{channel}", {field: value})


async def test_a_mailed_code_proves_the_address(city: Office) -> None:
    yumi, yumi_id = await city.resident("yumi@example.jp")
    sent = await _code_form(city, yumi, "email", "email", "Yumi.Box@Example.JP")
    assert sent.status == 200 and 'id="email-sent"' in sent.text, sent.text[:300]
    code = await city.mailed_code("yumi.box@example.jp")
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    page = await yumi.signed_post(f"{city.verify}/email/code", {"code": wrong, "sent_to": "x"})
    _refused(page, "eligibility.code_wrong", 422)
    assert "あと4回" in page.text
    done = await yumi.signed_post(f"{city.verify}/email/code", {"code": code})
    assert (done.status, done.location) == (303, f"{city.verify}?done=email")
    assert await city.proofs(yumi_id) == {"email"}
    _refused(
        await yumi.signed_post(f"{city.verify}/email/code", {"code": code}),
        "eligibility.code_expired",
        410,
    )
    ken, _ = await city.resident("ken@example.jp")
    _refused(
        await _code_form(city, ken, "email", "email", "yumi.box@example.jp"),
        "eligibility.subject_taken",
        409,
    )
    _refused(
        await _code_form(city, ken, "email", "email", "not an address"),
        "eligibility.email_invalid",
        422,
    )


async def test_a_code_lasts_ten_minutes_five_tries_and_one_a_minute(city: Office) -> None:
    mika, mika_id = await city.resident("mika@example.jp")
    assert (await _code_form(city, mika, "email", "email", "mika@example.jp")).status == 200
    first = await city.mailed_code("mika@example.jp")
    _refused(
        await _code_form(city, mika, "email", "email", "mika@example.jp"), "auth.throttled", 429
    )
    city.clock.advance(minutes=10)
    _refused(
        await mika.signed_post(f"{city.verify}/email/code", {"code": first}),
        "eligibility.code_expired",
        410,
    )
    city.inbox.messages.clear()
    assert (await _code_form(city, mika, "email", "email", "mika@example.jp")).status == 200
    second = await city.mailed_code("mika@example.jp")
    wrong = f"{(int(second) + 1) % 1_000_000:06d}"
    for _ in range(4):
        _refused(
            await mika.signed_post(f"{city.verify}/email/code", {"code": wrong}),
            "eligibility.code_wrong",
            422,
        )
    _refused(
        await mika.signed_post(f"{city.verify}/email/code", {"code": wrong}),
        "eligibility.code_locked",
        429,
    )
    _refused(
        await mika.signed_post(f"{city.verify}/email/code", {"code": second}),
        "eligibility.code_locked",
        429,
    )
    assert await city.proofs(mika_id) == set()


async def test_an_sms_code_goes_through_twilios_api_and_proves_the_number(city: Office) -> None:
    aya, aya_id = await city.resident("aya@example.jp")
    sent = await _code_form(city, aya, "sms", "phone", "090-1234-5678")
    assert sent.status == 200 and "+81 90-****-5678" in sent.text, sent.text[:300]
    [message] = city.sms.messages
    assert (message.to, message.sender) == ("+819012345678", "+815012345678")
    assert message.sid.startswith("SM") and "ウェルカム北九州事務局" in message.body
    code = city.sms.code_sent_to("+819012345678")
    done = await aya.signed_post(f"{city.verify}/sms/code", {"code": code})
    assert (done.status, done.location) == (303, f"{city.verify}?done=sms")
    assert await city.proofs(aya_id) == {"sms"}


async def test_numbers_twilio_cannot_reach_and_outages_are_refused_clearly(city: Office) -> None:
    sho, sho_id = await city.resident("sho@example.jp")
    _refused(
        await _code_form(city, sho, "sms", "phone", "03-1234-5678"),
        "eligibility.phone_invalid",
        422,
    )
    assert city.sms.messages == []  # refused before anything was sent or stored
    city.sms.unreachable.add("+818011112222")
    page = await _code_form(city, sho, "sms", "phone", "080-1111-2222")
    _refused(page, "eligibility.sms_refused", 422)
    assert "21211" in page.text
    city.sms.outage = True
    city.clock.advance(minutes=1)
    _refused(
        await _code_form(city, sho, "sms", "phone", "080-3333-4444"), "eligibility.not_sent", 503
    )
    assert city.sms.messages == [] and await city.proofs(sho_id) == set()


async def test_residents_racing_for_one_phone_number_one_wins(city: Office) -> None:
    residents = [await city.resident(f"p{i}@example.jp") for i in range(4)]
    codes = []
    for person, _ in residents:
        assert (await _code_form(city, person, "sms", "phone", "07012345678")).status == 200
        codes.append(city.sms.code_sent_to("+817012345678"))
    answers = await asyncio.gather(
        *(
            person.signed_post(f"{city.verify}/sms/code", {"code": code})
            for (person, _), code in zip(residents, codes, strict=True)
        )
    )
    assert sorted(a.status for a in answers) == [303, 409, 409, 409], [a.code for a in answers]
    assert {a.code for a in answers if a.status == 409} == {"eligibility.subject_taken"}


async def test_a_declared_postcode_inside_the_area_proves_residence(city: Office) -> None:
    nao, nao_id = await city.resident("nao@example.jp")
    rin, rin_id = await city.resident("rin@example.jp")
    _refused(
        await nao.signed_post(f"{city.verify}/residence", {"postcode": "〒100-0001"}),
        "eligibility.postcode_outside",
        403,
    )
    _refused(
        await nao.signed_post(f"{city.verify}/residence", {"postcode": "805-12"}),
        "eligibility.postcode_invalid",
        422,
    )
    assert (
        await nao.signed_post(f"{city.verify}/residence", {"postcode": "８０５－００１２"})
    ).status == 303
    # A neighbour shares the postcode: residence is one per resident, never one per postcode.
    assert (
        await rin.signed_post(f"{city.verify}/residence", {"postcode": "805-0012"})
    ).status == 303
    assert await city.proofs(nao_id) == await city.proofs(rin_id) == {"residence"}
    status, campaign = await city.call("GET", f"campaigns/{city.campaign_id}")
    assert (status, campaign["postcodes"]) == (200, ["8020001", "805"]), campaign


async def test_the_page_reads_in_english_and_needs_a_signed_in_resident(city: Office) -> None:
    sora, _ = await city.resident("sora@example.jp")
    assert (await sora.get(f"/lang/en?next={city.verify}")).status == 303
    page = await sora.get(city.verify)
    assert page.status == 200 and "Check your eligibility" in page.text
    refused = await sora.signed_post(f"{city.verify}/serial", {"serial": "ABCD"})
    _refused(refused, "eligibility.serial_mistyped", 422)
    assert "This serial code is mistyped" in refused.text
    async with aiohttp.ClientSession() as anonymous:
        stranger = Person(city.base_url, anonymous)
        assert (await stranger.get(city.verify)).location.startswith("/wallet/login")
        assert (await stranger.post(f"{city.verify}/serial", {"serial": "x"})).status in (303, 403)


async def test_a_passkey_response_that_does_not_verify_proves_nothing(city: Office) -> None:
    kai, kai_id = await city.resident("kai@example.jp")
    path = f"{city.verify}/passkey"
    headers = {"X-CSRF-Token": kai.token, "Content-Type": "application/json"}

    async def post(url: str, body: str) -> tuple[int, dict[str, object]]:
        async with kai.http.post(city.base_url + url, data=body, headers=headers) as answer:
            return answer.status, await answer.json()

    status, _ = await post(path, "{}")  # no registration started
    assert status == 422
    status, options = await post(f"{path}/options", "{}")
    assert status == 200, options
    assert options["authenticatorSelection"] == {
        "authenticatorAttachment": "platform",
        "residentKey": "required",
        "requireResidentKey": True,
        "userVerification": "preferred",
    }
    assert options["rp"]["id"] == "127.0.0.1" and options["excludeCredentials"] == []
    status, refused = await post(path, '{"id": "x", "rawId": "x", "type": "public-key"}')
    assert (status, refused["error"]["code"]) == (422, "eligibility.passkey_failed")  # type: ignore[index]
    status, refused = await post(path, "{}")  # the challenge was taken by the attempt
    assert (status, refused["error"]["code"]) == (422, "eligibility.passkey_failed")  # type: ignore[index]
    async with kai.http.post(city.base_url + f"{path}/options", data="{}") as no_token:
        assert no_token.status == 403  # the session's CSRF token is required
    assert await city.proofs(kai_id) == set()
    other = await city.campaign(["serial"])
    status, refused = await post(f"/wallet/campaigns/{other}/verify/passkey/options", "{}")
    assert (status, refused["error"]["code"]) == (409, "eligibility.not_asked")  # type: ignore[index]


async def test_a_revoked_sms_token_is_logged_for_the_office_without_secrets(
    city: Office, caplog: pytest.LogCaptureFixture
) -> None:
    ema, ema_id = await city.resident("ema@example.jp")
    city.sms.token_revoked = True
    page = await _code_form(city, ema, "sms", "phone", "090-5555-6666")
    _refused(page, "eligibility.not_sent", 503)
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name == "node.campaigns.sms")
    assert "401" in logged and "20003" in logged
    assert twilio.AUTH_TOKEN not in caplog.text and "5555" not in caplog.text
    assert city.sms.messages == [] and await city.proofs(ema_id) == set()


async def test_the_grant_waits_for_every_check_the_campaign_asks_for(city: Office) -> None:
    campaign_id = await city.campaign(["serial", "residence"], ["805"])
    city.campaign_id = campaign_id
    codes = await _serials(city, 1)
    miki, miki_id = await city.resident("miki@example.jp")
    grants = f"campaigns/{campaign_id}/grants"
    status, refused = await city.call("POST", grants, {"customer_id": miki_id})
    assert (status, refused["error"]["code"]) == (403, "campaign.not_eligible")
    assert refused["error"]["missing"] == "residence, serial"
    assert (await miki.signed_post(f"{city.verify}/serial", {"serial": codes[0]})).status == 303
    status, refused = await city.call("POST", grants, {"customer_id": miki_id})
    assert (status, refused["error"]["missing"]) == (403, "residence")
    assert (
        await miki.signed_post(f"{city.verify}/residence", {"postcode": "805-0012"})
    ).status == 303
    status, granted = await city.call("POST", grants, {"customer_id": miki_id})
    assert status == 201 and granted["voucher_id"], granted
