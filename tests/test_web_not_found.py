"""A mistyped page address answers a page in the reader's kind of place, not the API's JSON."""

from __future__ import annotations

import pytest

from tests.conftest import AsyncNode


@pytest.mark.parametrize(
    ("path", "role_home"),
    [("/wallet/no-such-page", "/wallet"), ("/staff/nope", "/staff"), ("/admin/x/y", "/admin")],
)
async def test_a_mistyped_page_address_is_a_page_that_leads_home(
    anode: AsyncNode, path: str, role_home: str
) -> None:
    async with anode.session.get(f"{anode.base_url}{path}", allow_redirects=False) as response:
        text = await response.text()
        assert response.status == 404
        assert response.content_type == "text/html", text[:200]
    assert '{"error"' not in text
    # The code is there for machines (data-code), never as words on the page.
    assert 'data-code="request.no_page"' in text and ">request.no_page<" not in text
    assert "このアドレスのページはありません" in text
    assert f'href="{role_home}" class="button secondary" id="back"' in text


async def test_the_api_still_answers_a_wrong_address_in_json(anode: AsyncNode) -> None:
    status, answer = await anode.call("GET", "no-such-thing")
    assert (status, answer["error"]["code"]) == (404, "request.no_route")
