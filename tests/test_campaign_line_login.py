"""LINE Login as proof of eligibility, over real HTTP: the resident's browser goes from the wallet
to a LINE Login provider served in the test (tests/line_provider.py: OpenID Connect's
authorization code flow with PKCE, HS256 ID tokens as LINE issues for web login) and back to the
node's callback, which exchanges the code and checks the ID token. One LINE account proves it for
one resident, a replayed or forged callback proves nothing, and of two residents racing with one
account exactly one wins."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.campaign_verify_helpers import Office, office
from tests.conftest import FakeClock, loop_watchdog
from tests.web_helpers import Page, Person


@pytest.fixture
async def city(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Office]:
    with loop_watchdog():
        async with office(tmp_path / "city", FakeClock(), monkeypatch) as made:
            yield made


async def _to_line(city: Office, person: Person) -> str:
    """The wallet's button: the node's redirect to LINE's authorize page, with its parameters."""
    start = await person.get(f"/wallet/campaigns/{city.campaign_id}/line")
    assert start.status == 303, start.text[:300]
    assert start.location.startswith(city.line.authorize_url)
    return start.location


async def _signs_in_at_line(person: Person, authorize: str) -> str:
    """At LINE: the resident signs in and LINE sends the browser back; the callback's path."""
    async with person.http.get(authorize, allow_redirects=False) as answer:
        assert answer.status == 302, await answer.text()
        back = answer.headers["Location"]
    parts = urlsplit(back)
    assert parts.path == "/wallet/line/callback"
    return f"{parts.path}?{parts.query}"


async def _callback(person: Person, path: str) -> Page:
    return await person.get(path)


async def test_a_line_account_proves_eligibility(city: Office) -> None:
    hanako, hanako_id = await city.resident("hanako@example.jp")
    authorize = await _to_line(city, hanako)
    query = parse_qs(urlsplit(authorize).query)
    assert query["code_challenge_method"] == ["S256"] and query["scope"] == ["openid"]
    callback = await _signs_in_at_line(hanako, authorize)
    done = await _callback(hanako, callback)
    assert (done.status, done.location) == (303, f"{city.verify}?done=line")
    assert await city.proofs(hanako_id) == {"line"}
    page = await hanako.get(done.location)
    assert 'data-method="line" data-done="yes"' in page.text
    # The same callback again (a replay, or the back button) proves nothing more.
    again = await _callback(hanako, callback)
    assert (again.status, again.code) == (422, "eligibility.line_failed")
    assert city.line.tokens_issued == 1


async def test_one_line_account_proves_it_for_one_resident(city: Office) -> None:
    hanako, _ = await city.resident("hanako@example.jp")
    taro, taro_id = await city.resident("taro@example.jp")
    for person in (hanako, taro):  # both sign in with the same LINE account
        callback = await _signs_in_at_line(person, await _to_line(city, person))
        answer = await _callback(person, callback)
    assert (answer.status, answer.code) == (409, "eligibility.subject_taken")
    assert await city.proofs(taro_id) == set()


@pytest.mark.parametrize(
    "tamper",
    [
        {"nonce": "another sign-in's"},
        {"aud": "9999999999"},
        {"iss": "https://access.line.me.example"},
        {"secret": "not the channel secret, but long enough"},
        {"exp": 1_700_000_000},
    ],
)
async def test_an_id_token_that_does_not_check_out_proves_nothing(
    city: Office, tamper: dict[str, object]
) -> None:
    jiro, jiro_id = await city.resident("jiro@example.jp")
    city.line.tamper = tamper
    answer = await _callback(jiro, await _signs_in_at_line(jiro, await _to_line(city, jiro)))
    assert (answer.status, answer.code) == (422, "eligibility.line_failed")
    assert await city.proofs(jiro_id) == set()


async def test_another_residents_callback_or_a_made_up_state_proves_nothing(city: Office) -> None:
    hanako, _ = await city.resident("hanako@example.jp")
    mallory, mallory_id = await city.resident("mallory@example.jp")
    callback = await _signs_in_at_line(hanako, await _to_line(city, hanako))
    stolen = await _callback(mallory, callback)  # Hanako's code and state, in Mallory's session
    assert (stolen.status, stolen.code) == (422, "eligibility.line_failed")
    made_up = await _callback(mallory, "/wallet/line/callback?code=abc&state=guessed")
    assert (made_up.status, made_up.code) == (422, "eligibility.line_failed")
    cancelled = await _callback(mallory, "/wallet/line/callback?error=access_denied&state=x")
    assert (cancelled.status, cancelled.code) == (422, "eligibility.line_failed")
    assert await city.proofs(mallory_id) == set()


async def test_a_sign_in_left_for_ten_minutes_has_expired(city: Office) -> None:
    yumi, yumi_id = await city.resident("yumi@example.jp")
    callback = await _signs_in_at_line(yumi, await _to_line(city, yumi))
    city.clock.advance(minutes=10)
    answer = await _callback(yumi, callback)
    assert (answer.status, answer.code) == (422, "eligibility.line_failed")
    assert await city.proofs(yumi_id) == set()


async def test_residents_racing_with_one_line_account_one_wins(city: Office) -> None:
    residents = [await city.resident(f"r{i}@example.jp") for i in range(4)]
    callbacks = [
        await _signs_in_at_line(person, await _to_line(city, person)) for person, _ in residents
    ]
    answers = await asyncio.gather(
        *(_callback(person, path) for (person, _), path in zip(residents, callbacks, strict=True))
    )
    assert sorted(a.status for a in answers) == [303, 409, 409, 409], [a.code for a in answers]
    assert {a.code for a in answers if a.status == 409} == {"eligibility.subject_taken"}
