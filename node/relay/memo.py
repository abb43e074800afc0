"""What the relay remembers of the node's answers, for one second: which campaigns the node
said were sold out, and which Authorization headers it let through. Once a campaign is sold
out, most of a rush's requests are asks the node would refuse `campaign.sold_out` before reading
them; the relay answers those itself, word for word the node's last such answer, so that the
flood after the stock is gone never reaches the node.

Only an ask the node would refuse the same way is answered here: the grant route, no
Idempotency-Key (a key's ask is answered its grant even after the stock is gone), no query (the
node refuses any), and a header the node admitted within the second. What this costs: for up to
`TTL_S` after an office raises a sold-out campaign's stock, or revokes a key, the relay may still
answer sold out. It never grants or changes anything.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from node.relay.frames import AskFrame, ReplyFrame

TTL_S = 1.0
MAX_HEADERS = 1_000  # headers remembered at once (the oldest forgotten first)
SOLD_OUT = "campaign.sold_out"
REFUSED_CALLER = (401, 403)


class AnswerMemo:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._sold_out: dict[str, tuple[float, dict[str, Any]]] = {}
        self._admitted: OrderedDict[str, float] = OrderedDict()

    def answer(self, ask: AskFrame) -> ReplyFrame | None:
        """The node's answer to `ask` if the relay may give it itself, else None."""
        if ask.route != "grant" or ask.idempotency_key is not None or ask.query:
            return None
        now = self._clock()
        admitted = self._admitted.get(ask.authorization)
        sold_out = self._sold_out.get(ask.params.get("campaign_id", ""))
        if admitted is None or admitted < now or sold_out is None or sold_out[0] < now:
            return None
        return ReplyFrame(ask.id, 409, sold_out[1])

    def learn(self, ask: AskFrame, reply: ReplyFrame) -> None:
        """Remember what the node's `reply` to `ask` says of its campaign and caller."""
        if ask.route != "grant" or ask.query or reply.status in REFUSED_CALLER:
            return
        if reply.status >= 500:  # the node may not have got as far as the caller's header
            return
        until = self._clock() + TTL_S
        self._admitted[ask.authorization] = until
        self._admitted.move_to_end(ask.authorization)
        while len(self._admitted) > MAX_HEADERS:
            self._admitted.popitem(last=False)
        error = reply.body.get("error")
        campaign_id = ask.params.get("campaign_id", "")
        if reply.status == 409 and isinstance(error, dict) and error.get("code") == SOLD_OUT:
            self._sold_out[campaign_id] = (until, reply.body)
        elif reply.status in (200, 201, 202):  # the node granted again: not sold out now
            self._sold_out.pop(campaign_id, None)
