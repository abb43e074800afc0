"""The relay's memo of the node's answers (node/relay/memo.py): it answers sold out itself only
what the node would refuse the same way, to a header the node let through, for a second."""

from __future__ import annotations

from typing import Any

from node.relay.frames import AskFrame, ReplyFrame
from node.relay.memo import MAX_HEADERS, TTL_S, AnswerMemo

SOLD_OUT: dict[str, Any] = {"error": {"code": "campaign.sold_out", "message": "Sold out."}}


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def ask(
    n: int = 1,
    *,
    header: str = "Bearer good",
    campaign: str = "cp_a",
    key: str | None = None,
    query: list[tuple[str, str]] | None = None,
    route: str = "grant",
) -> AskFrame:
    params = {"campaign_id": campaign}
    if route == "ticket":
        params["ticket"] = "tk_1"
    return AskFrame(n, route, params, header, key, query or [], b"{}")


def test_nothing_is_answered_before_the_node_said_so() -> None:
    memo = AnswerMemo(Clock())
    assert memo.answer(ask()) is None
    memo.learn(ask(), ReplyFrame(1, 201, {"grant_id": "gr_1"}))  # admitted, not sold out
    assert memo.answer(ask(2)) is None


def test_a_sold_out_campaign_is_answered_for_a_second_to_admitted_headers() -> None:
    clock = Clock()
    memo = AnswerMemo(clock)
    memo.learn(ask(1), ReplyFrame(1, 409, SOLD_OUT))
    answered = memo.answer(ask(7))
    assert answered == ReplyFrame(7, 409, SOLD_OUT)
    assert memo.answer(ask(8, header="Bearer other")) is None  # never admitted
    assert memo.answer(ask(9, campaign="cp_b")) is None  # another campaign
    assert memo.answer(ask(10, key="office-1")) is None  # a key's ask is answered its grant
    assert memo.answer(ask(11, query=[("x", "1")])) is None  # the node refuses the query
    assert memo.answer(ask(12, route="ticket")) is None  # a ticket's poll is the node's
    clock.now += TTL_S
    assert memo.answer(ask(13)) is not None  # still within the second
    clock.now += 0.001
    assert memo.answer(ask(14)) is None  # forgotten: the node is asked again


def test_a_refused_caller_is_never_remembered() -> None:
    memo = AnswerMemo(Clock())
    for status, code in ((401, "auth.invalid_token"), (403, "auth.read_only_key")):
        memo.learn(ask(header="Bearer bad"), ReplyFrame(1, status, {"error": {"code": code}}))
    memo.learn(ask(header="Bearer bad"), ReplyFrame(1, 500, {"error": {"code": "internal"}}))
    memo.learn(ask(), ReplyFrame(1, 409, SOLD_OUT))  # the campaign is known sold out
    assert memo.answer(ask(2, header="Bearer bad")) is None
    assert memo.answer(ask(3)) is not None


def test_a_grant_after_sold_out_clears_it() -> None:
    memo = AnswerMemo(Clock())
    memo.learn(ask(), ReplyFrame(1, 409, SOLD_OUT))
    memo.learn(ask(2), ReplyFrame(2, 201, {"grant_id": "gr_2"}))  # the office raised the stock
    assert memo.answer(ask(3)) is None


def test_headers_remembered_are_bounded() -> None:
    memo = AnswerMemo(Clock())
    memo.learn(ask(), ReplyFrame(1, 409, SOLD_OUT))
    for n in range(MAX_HEADERS):
        memo.learn(ask(header=f"Bearer k{n}"), ReplyFrame(1, 409, SOLD_OUT))
    assert memo.answer(ask(header="Bearer good")) is None  # the oldest went first
    assert memo.answer(ask(header=f"Bearer k{MAX_HEADERS - 1}")) is not None
