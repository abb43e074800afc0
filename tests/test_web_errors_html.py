"""A person never sees JSON: every refusal at a page's address is an HTML page in their language,
whatever refused it (our errors, a wrong method, aiohttp's own limits); only the JSON a page's
script fetches (the QR's code.json) keeps the API's shape."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from markupsafe import escape

from node.web.i18n import error_text
from tests.conftest import AsyncNode


async def page_answer(
    anode: AsyncNode, method: str, path: str, **kwargs: object
) -> tuple[int, str, str, dict[str, str]]:
    async with anode.session.request(
        method, f"{anode.base_url}{path}", allow_redirects=False, **kwargs
    ) as response:
        return response.status, response.content_type, await response.text(), dict(response.headers)


def assert_a_page(text: str, code: str, lang: str = "ja") -> None:
    assert '{"error"' not in text, text[:200]
    assert f'data-code="{code}"' in text, text[:400]
    assert f">{code}<" not in text
    assert str(escape(error_text(code, {}, lang))) in text


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [("GET", "/logout", "POST"), ("DELETE", "/wallet", "GET"), ("PUT", "/staff/sell", "GET")],
)
async def test_a_wrong_method_on_a_page_address_is_a_page(
    anode: AsyncNode, method: str, path: str, allowed: str
) -> None:
    status, kind, text, headers = await page_answer(anode, method, path)
    assert (status, kind) == (405, "text/html")
    assert allowed in headers["Allow"]
    assert_a_page(text, "request.no_page")


async def test_a_mistyped_hand_over_address_is_a_page(anode: AsyncNode) -> None:
    status, kind, text, _ = await page_answer(anode, "GET", "/take/abc/def")
    assert (status, kind) == (404, "text/html")
    assert_a_page(text, "request.no_page")
    assert 'href="/wallet" class="button secondary" id="back"' in text


async def test_a_form_over_the_size_limit_is_a_page_in_english_too(anode: AsyncNode) -> None:
    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: aiohttp's own 413
        for _ in range(40):
            yield b"email=" + b"a" * 65_536

    cookies = {"kippu_lang": "en"}
    status, kind, text, _ = await page_answer(
        anode,
        "POST",
        "/wallet/login",
        data=chunks(),
        cookies=cookies,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert (status, kind) == (413, "text/html")
    assert_a_page(text, "request.invalid", "en")
    assert '<html lang="en">' in text


async def test_the_qr_code_json_keeps_the_api_shape(anode: AsyncNode) -> None:
    status, kind, text, _ = await page_answer(anode, "GET", "/wallet/v/nope/code.json")
    assert kind == "application/json"
    assert status == 401 and '"code": "auth.not_signed_in"' in text
