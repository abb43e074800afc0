"""No page of the node may be shown inside another site's frame (clickjacking): X-Frame-Options DENY."""

from __future__ import annotations

import pytest

from tests.conftest import AsyncNode


@pytest.mark.parametrize(
    "path",
    [
        "/staff/login",  # a rendered page
        "/admin/login",
        "/wallet/login",
        "/",  # a redirect
        "/static/kippu.css",  # a static file
        "/admin/no-such-page",  # an error page
    ],
)
async def test_every_page_refuses_to_be_framed(anode: AsyncNode, path: str) -> None:
    async with anode.session.get(anode.base_url + path, allow_redirects=False) as response:
        await response.read()
        assert response.headers.get("X-Frame-Options") == "DENY", (path, response.status)
        policy = response.headers.get("Content-Security-Policy")
        if policy is not None:
            assert "frame-ancestors 'none'" in policy
