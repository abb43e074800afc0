"""The relay's frames (node/relay/frames.py): what is written reads back the same, and any line
at all either reads as a frame or is refused as FrameError (the link is closed), never another
exception."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from node.relay.frames import (
    MAX_LINE_BYTES,
    AskFrame,
    FrameError,
    ReplyFrame,
    read_ask,
    read_reply,
)

texts = st.text(max_size=40)
asks = st.builds(
    AskFrame,
    id=st.integers(0, 2**53),
    route=st.sampled_from(["grant", "ticket"]),
    params=st.dictionaries(texts, texts, max_size=3),
    authorization=texts,
    idempotency_key=st.none() | texts,
    query=st.lists(st.tuples(texts, texts), max_size=3),
    body=st.binary(max_size=300),
    is_body_too_large=st.booleans(),
)
replies = st.builds(
    ReplyFrame,
    id=st.integers(0, 2**53),
    status=st.integers(100, 599),
    body=st.dictionaries(texts, texts | st.integers(), max_size=4),
    retry_after_s=st.none() | st.integers(0, 3600),
)


@given(asks)
def test_an_ask_reads_back_as_written(ask: AskFrame) -> None:
    line = ask.line()
    assert line.count(b"\n") == 1 and line.endswith(b"\n")  # one frame, one line
    assert read_ask(line) == ask


@given(replies)
def test_a_reply_reads_back_as_written(reply: ReplyFrame) -> None:
    assert read_reply(reply.line()) == reply


@given(st.binary(max_size=200).map(lambda b: b + b"\n"))
def test_any_line_is_a_frame_or_refused(line: bytes) -> None:
    for read in (read_ask, read_reply):
        with contextlib.suppress(FrameError):
            read(line)


@pytest.mark.parametrize(
    "line",
    [
        b'{"id": -1, "status": 200, "body": {}, "retry": null}\n',
        b'{"id": true, "status": 200, "body": {}, "retry": null}\n',
        b'{"id": 1, "status": 700, "body": {}, "retry": null}\n',
        b'{"id": 1, "status": 200, "body": [], "retry": null}\n',
        b'{"id": 1, "status": 200, "body": {}, "retry": -5}\n',
        b'{"id": 1, "status": 200, "body": {}, "retry": null}',  # no line end
        b"[1, 2]\n",
        b"\xff\n",
        b'{"id": 1, "status": 200, "body": {"x": "' + b"y" * MAX_LINE_BYTES + b'"}}\n',
    ],
)
def test_replies_that_are_not_frames_are_refused(line: bytes) -> None:
    with pytest.raises(FrameError):
        read_reply(line)


def test_an_ask_with_a_body_that_is_not_base64_is_refused() -> None:
    line = AskFrame(1, "grant", {}, "", None, [], b"{}").line().replace(b'"e30="', b'"e3!="')
    with pytest.raises(FrameError, match="base64"):
        read_ask(line)
    with pytest.raises(FrameError):
        read_ask(line.replace(b'"grant"', b'"vouchers"'))
