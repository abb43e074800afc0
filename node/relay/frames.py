"""The relay's frames: one JSON object a line over the node's Unix socket.

An ask (relay to node) carries what the node's route would read of the HTTP request: the route,
its path parameters, the Authorization and Idempotency-Key headers, the query's pairs, and the
body (base64: its bytes exactly, whatever they are). A reply (node to relay) carries what the
caller is answered: the status, the JSON body, and a ticket's Retry-After seconds. Each ask has
an id of the relay's; the node answers it once, in whatever order asks are decided.

A frame that does not read as one of these is a fault of the other side, not of a caller: the
reading raises FrameError and the side that read it closes the link.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any, TypeGuard

# The longest line either side reads: a 16 KiB body in base64, with room for the rest.
MAX_LINE_BYTES = 64 * 1024
ROUTES = ("grant", "ticket")


class FrameError(ValueError):
    """A line that is not a frame: the link is closed."""


@dataclass(frozen=True)
class AskFrame:
    id: int
    route: str  # one of ROUTES
    params: dict[str, str]
    authorization: str
    idempotency_key: str | None
    query: list[tuple[str, str]]
    body: bytes
    is_body_too_large: bool = False

    def line(self) -> bytes:
        return _line(
            {
                "id": self.id,
                "route": self.route,
                "params": self.params,
                "authorization": self.authorization,
                "idempotency_key": self.idempotency_key,
                "query": [list(pair) for pair in self.query],
                "body": base64.b64encode(self.body).decode("ascii"),
                "body_too_large": self.is_body_too_large,
            }
        )


@dataclass(frozen=True)
class ReplyFrame:
    id: int
    status: int
    body: dict[str, Any]
    retry_after_s: int | None = None

    def line(self) -> bytes:
        return _line(
            {"id": self.id, "status": self.status, "body": self.body, "retry": self.retry_after_s}
        )


def read_ask(line: bytes) -> AskFrame:
    frame = _object(line)
    route = frame.get("route")
    params, query = frame.get("params"), frame.get("query")
    key, body = frame.get("idempotency_key"), frame.get("body")
    if (
        route not in ROUTES
        or not _is_text_map(params)
        or not isinstance(frame.get("authorization"), str)
        or not (key is None or isinstance(key, str))
        or not isinstance(query, list)
        or not all(_is_text_pair(pair) for pair in query)
        or not isinstance(body, str)
        or not isinstance(frame.get("body_too_large"), bool)
    ):
        raise FrameError("not an ask")
    try:
        raw = base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise FrameError("the ask's body is not base64") from exc
    return AskFrame(
        id=_id(frame),
        route=str(route),
        params=dict(params),
        authorization=frame["authorization"],
        idempotency_key=key,
        query=[(pair[0], pair[1]) for pair in query],
        body=raw,
        is_body_too_large=frame["body_too_large"],
    )


def ask_id(line: bytes) -> int | None:
    """The id of a line that is no ask but names one (to answer that ask alone), else None."""
    try:
        return _id(_object(line))
    except FrameError:
        return None


def read_reply(line: bytes) -> ReplyFrame:
    frame = _object(line)
    status, body, retry = frame.get("status"), frame.get("body"), frame.get("retry")
    if (
        not _is_int(status)
        or not 100 <= status <= 599
        or not isinstance(body, dict)
        or not (retry is None or (_is_int(retry) and retry >= 0))
    ):
        raise FrameError("not a reply")
    return ReplyFrame(_id(frame), status, body, retry)


def _line(frame: dict[str, Any]) -> bytes:
    # ensure_ascii: no newline or other line break can appear inside a frame.
    return json.dumps(frame, separators=(",", ":"), ensure_ascii=True).encode("ascii") + b"\n"


def _object(line: bytes) -> dict[str, Any]:
    if len(line) > MAX_LINE_BYTES or not line.endswith(b"\n"):
        raise FrameError("a frame is one line of at most MAX_LINE_BYTES")
    try:
        frame = json.loads(line)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise FrameError("a frame is JSON") from exc
    if not isinstance(frame, dict):
        raise FrameError("a frame is a JSON object")
    return frame


def _id(frame: dict[str, Any]) -> int:
    value = frame.get("id")
    if not _is_int(value) or value < 0:
        raise FrameError("a frame's id is a whole number")
    return int(value)


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_text_map(value: object) -> TypeGuard[dict[str, str]]:
    return isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    )


def _is_text_pair(value: object) -> bool:
    return isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value)
