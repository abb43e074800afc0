"""The signed-HTTP limit for benchmarks: bare aiohttp plus one Ed25519 signature and verification
each way.

Run as its own process (`python bench/bare_signed_server.py --port N --client-key HEX`); it makes
a fresh signing key and prints its public key (hex) as its first line on stdout, so no secret is
passed around. For each POST it reads the body, checks that the client signed it
(`VerifyKey.verify` of PyNaCl, the client's key made once), signs a small JSON reply with
`SigningKey.sign` and answers 201 with the signed bytes; the client verifies that reply. Nothing
else: no decoding of the body, no storage. Like the node it runs without an access log.
"""

from __future__ import annotations

import argparse
import json

from aiohttp import web
from nacl.exceptions import BadSignatureError
from nacl.signing import SigningKey, VerifyKey

REPLY = json.dumps(
    {"ok": True, "status": "accepted", "receipt_no": "R-00000000", "balance_after": 999_999}
).encode()
CLIENT_KEY: web.AppKey[VerifyKey] = web.AppKey("client_key", VerifyKey)
OWN_KEY: web.AppKey[SigningKey] = web.AppKey("own_key", SigningKey)


async def answer(request: web.Request) -> web.Response:
    signed = await request.read()
    try:
        request.app[CLIENT_KEY].verify(signed)
    except BadSignatureError:
        return web.Response(status=400, text="bad signature")
    reply = bytes(request.app[OWN_KEY].sign(REPLY))
    return web.Response(body=reply, status=201, content_type="application/octet-stream")


def create_app(own_key: SigningKey, client_key: VerifyKey) -> web.Application:
    app = web.Application()
    app[OWN_KEY] = own_key
    app[CLIENT_KEY] = client_key
    app.router.add_post("/{tail:.*}", answer)
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--client-key", required=True, help="the client's Ed25519 public key, hex")
    args = parser.parse_args()
    own_key = SigningKey.generate()
    print(bytes(own_key.verify_key).hex(), flush=True)
    app = create_app(own_key, VerifyKey(bytes.fromhex(args.client_key)))
    web.run_app(app, host=args.host, port=args.port, access_log=None, print=None)


if __name__ == "__main__":
    main()
