"""Admin API of a participating store's A4 QR poster (what `kippu store poster` downloads):
`GET /api/v1/campaign-stores/{store_id}/poster.pdf`, and its part of the OpenAPI document."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from node.http.schema_parts import op
from node.runtime import NODE, Handler
from node.web.store_poster import poster_response

POSTER = "/api/v1/campaign-stores/{store_id}/poster.pdf"


async def store_poster(request: web.Request) -> web.Response:
    return await poster_response(request.app[NODE], request.match_info["store_id"])


POSTER_ROUTES: tuple[tuple[str, str, Handler], ...] = (("GET", POSTER, store_poster),)


def poster_paths() -> dict[str, dict[str, Any]]:
    operation = op(
        "A participating store's A4 QR poster (PDF): its name, the office's, the QR of"
        " <public url>/pay/<store code> and the code printed; the store is given a code if it"
        " has none",
        None,
        params=("store_id",),
        errors=(503,),
    )
    operation["responses"]["200"]["content"] = {
        "application/pdf": {"schema": {"type": "string", "format": "binary"}}
    }
    return {POSTER: {"get": operation}}
