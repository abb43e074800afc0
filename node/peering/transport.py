"""Sending one batch of a channel to a partner and checking each signed reply it answers with."""

from __future__ import annotations

from dataclasses import dataclass

import aiohttp

from node.api.input import read_capped
from node.errors import KippuError
from node.peering.batch import BATCH_PATH, REPLY_KEY, REQUEST_KEY, decode_batch, encode_batch
from node.peering.envelope import open_envelope
from node.peering.keys import KeyBook, KeyEntry, require_newest, verify_with
from node.peering.messages import REPLY_TYPE, Reply

CONTENT_TYPE = "application/x-msgpack"
MAX_REPLY_BYTES = 64 * 1024

# A verified reply with its raw bytes, or why the reply is not acceptable. (The reply's `result`
# is decoded by whoever knows what the message asked: node/peering/outbox.py.)
Answer = tuple[Reply, bytes] | KippuError


@dataclass(frozen=True)
class Pending:
    """One queued message of ours."""

    peer: str
    url: str
    seq: int
    msg_id: str
    msg_type: str
    envelope: bytes


class Transport:
    def __init__(self, session: aiohttp.ClientSession, node_id: str, keybook: KeyBook) -> None:
        self._session, self._node_id, self._keybook = session, node_id, keybook

    async def post_batch(self, batch: list[Pending]) -> list[Answer]:
        """One answer per message; raises when the exchange as a whole failed."""
        body = encode_batch(REQUEST_KEY, [p.envelope for p in batch])
        async with self._session.post(
            batch[0].url + BATCH_PATH, data=body, headers={"Content-Type": CONTENT_TYPE}
        ) as response:
            raw = await read_capped(response.content, MAX_REPLY_BYTES * len(batch))
            status = response.status
        if raw is None:
            raise KippuError("the partner's reply is too large")
        if status != 200:
            raise KippuError(f"the partner answered HTTP {status}")
        replies = decode_batch(REPLY_KEY, raw, expected=len(batch))
        keys = await self._keybook.keys(batch[0].peer)
        answers: list[Answer] = []
        for pending, reply_raw in zip(batch, replies, strict=True):
            try:
                answers.append(self._open_reply(pending, reply_raw, keys))
            except KippuError as exc:
                answers.append(exc)
        return answers

    def _open_reply(
        self, pending: Pending, raw: bytes, keys: tuple[KeyEntry, ...]
    ) -> tuple[Reply, bytes]:
        envelope = open_envelope(raw)
        if envelope.msg_type != REPLY_TYPE or envelope.sender != pending.peer:
            raise KippuError("the answer is not the partner's reply")
        used = verify_with(envelope, keys)
        reply = Reply.decode(envelope.body)
        require_newest(keys, used)
        if reply.in_reply_to != pending.msg_id or reply.recipient != self._node_id:
            raise KippuError("the reply answers another message")
        return reply, raw
