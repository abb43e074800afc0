"""The HTTP limit for benchmarks: a bare aiohttp app that answers any POST or GET with a small JSON body.

Run as its own process (`python bench/bare_server.py --port N`) so the load generator measures it
the same way it measures a real node: same client, same loopback, same number of processes. Like the
node it reads the whole request body and runs without an access log; it does no other work.
"""

from __future__ import annotations

import argparse

from aiohttp import web

REPLY = {"ok": True, "receipt_no": "R-00000000", "balance_after": 999_999}


async def answer(request: web.Request) -> web.Response:
    await request.read()
    return web.json_response(REPLY, status=201)


def create_app() -> web.Application:
    app = web.Application()
    app.router.add_post("/{tail:.*}", answer)
    app.router.add_get("/{tail:.*}", answer)  # bench/slowloris.py sends GETs
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    web.run_app(create_app(), host=args.host, port=args.port, access_log=None, print=None)


if __name__ == "__main__":
    main()
