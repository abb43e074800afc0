"""The partner endpoint: one message (/peer/v1/message) or a batch of one channel's messages
(/peer/v1/messages). Every answer, refusal included, is an envelope signed by us."""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web

from node.errors import KippuError, MalformedEnvelope
from node.http import input as body_input
from node.peering.batch import MAX_BATCH_BYTES, REPLY_KEY, REQUEST_KEY, decode_batch, encode_batch
from node.peering.context import Checked
from node.peering.envelope import MAX_ENVELOPE_BYTES, open_envelope
from node.peering.inbound import Answered, accept, check_message, refusal
from node.peering.transport import CONTENT_TYPE
from node.peering.wire import WireMessage
from node.runtime import NODE, Node

log = logging.getLogger(__name__)


async def _check(node: Node, raw: bytes, now_s: int) -> Checked[WireMessage]:
    envelope = open_envelope(raw)
    keys = await node.require_keybook().keys(envelope.sender)
    return check_message(envelope, keys, node.me, now_s)


async def _accept(
    node: Node, raw: bytes, checked: Checked[WireMessage] | KippuError, now_s: int
) -> tuple[bytes, int]:
    """Accept one checked message (or answer its refusal) -> (signed reply, HTTP status). It
    starts with the writer submit, so calls made in order reach the writer in order."""
    try:
        if isinstance(checked, KippuError):
            raise checked
        reply, status = await node.require_writer().submit(accept(checked, node.me, now_s))
    except KippuError as exc:
        if exc.http_status >= 500:
            raise
        # The sender named in the envelope is the partner's claim, not a verified fact.
        log.info(
            "refused a peer message (%d bytes, from %s as claimed): %s",
            len(raw),
            _claimed_sender(raw),
            exc.code,
        )
        return refusal(node.me, raw, exc, now_s), exc.http_status
    if status == 200:
        _after_accept(node, checked)
    return reply, status


async def receive(request: web.Request) -> web.Response:
    """A partner's message; the HTTP status tells a refusal's kind, the body is our signed reply."""
    node = request.app[NODE]
    now_s = node.now_s()
    body = await body_input.read_capped(request.content, MAX_ENVELOPE_BYTES)
    raw = body if body is not None else b""
    checked: Checked[WireMessage] | KippuError
    try:
        if body is None:
            raise MalformedEnvelope("The message is too large.")
        checked = await _check(node, raw, now_s)
    except KippuError as exc:
        checked = exc
    reply, status = await _accept(node, raw, checked, now_s)
    return web.Response(body=reply, status=status, content_type=CONTENT_TYPE)


async def receive_batch(request: web.Request) -> web.Response:
    """A partner's queue for us, in sequence order: one signed reply per message, in order.

    The partner may send its next batch before this one is answered; the per-partner lock makes
    each batch's messages reach the writer after the previous batch's, so order holds."""
    node = request.app[NODE]
    now_s = node.now_s()
    body = await body_input.read_capped(request.content, MAX_BATCH_BYTES)
    if body is None:
        raise MalformedEnvelope("The batch is too large.")
    raws = decode_batch(REQUEST_KEY, body)
    lock = node.inbound_locks.setdefault(_claimed_sender(raws[0]), asyncio.Lock())
    queued: list[tuple[bytes, Checked[WireMessage] | None, asyncio.Future[Answered]]] = []
    async with lock:
        for raw in raws:  # signatures one after the other, then each unit queued in order
            try:
                checked = await _check(node, raw, now_s)
            except KippuError as exc:
                refused: asyncio.Future[Answered] = asyncio.get_running_loop().create_future()
                refused.set_exception(exc)
                queued.append((raw, None, refused))
                continue
            future = node.require_writer().enqueue(accept(checked, node.me, now_s))
            queued.append((raw, checked, future))
            if checked.envelope.msg_type == "key_rotation":
                # What follows may be signed with the new key: let the notice land first.
                await asyncio.wait([future])
                node.require_keybook().forget(checked.envelope.sender)
    replies = [await _answer(node, raw, item, future, now_s) for raw, item, future in queued]
    return web.Response(
        body=encode_batch(REPLY_KEY, replies), status=200, content_type=CONTENT_TYPE
    )


async def _answer(
    node: Node,
    raw: bytes,
    checked: Checked[WireMessage] | None,
    future: asyncio.Future[Answered],
    now_s: int,
) -> bytes:
    """Our signed reply to one message of a batch, once its unit is durable (or refused)."""
    try:
        reply, status = await future
    except KippuError as exc:
        if exc.http_status >= 500:
            raise
        log.info(
            "refused a peer message (%d bytes, from %s as claimed): %s",
            len(raw),
            _claimed_sender(raw),
            exc.code,
        )
        return refusal(node.me, raw, exc, now_s)
    if checked is not None and status == 200:
        _after_accept(node, checked)
    return reply


def _after_accept(node: Node, checked: Checked[WireMessage]) -> None:
    sender = checked.envelope.sender
    if checked.envelope.msg_type == "key_rotation":
        node.require_keybook().forget(sender)
    if checked.envelope.msg_type in ("register", "join"):  # may have made the partnership active
        node.share_stores_soon()
    node.require_outbox().nudge(sender)


def _claimed_sender(raw: bytes) -> str:
    try:
        return open_envelope(raw).sender[:12] or "?"
    except KippuError:
        return "?"
