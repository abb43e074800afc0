"""What the composition root plugs into peering (node/app.py builds the one `Hooks` of a node).

Peering signs, sends, receives and orders messages; what a message of another package means is
not its business. So it is handed, instead of importing them: the routes of the message types it
does not own (settlement's), what to do with a partner's signed answer to them, and where each
signed envelope it stores (sent, received, a reply, a note) is kept (the settlement log).
Every hook runs inside the writer transaction of the change it belongs to.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from node.peering.routing import ReplyRules, Routes
from node.peering.wire import WireMessage

if TYPE_CHECKING:
    from node.peering.operations import Self

# (conn, the signed envelope, the message's id or the note's subject, the message (none for a
# reply or a note), now): in the transaction that stores the envelope.
MessageStored = Callable[[sqlite3.Connection, bytes, str, WireMessage | None, int], None]

# (conn, ourselves, the partner, the channel position, why, both signed envelopes, now): a
# partner signed two histories; keep the evidence and suspend the partnership.
PartnerForked = Callable[[sqlite3.Connection, "Self", str, int, str, bytes, int], None]

# (conn, the partner, the channel position, its words, its signed refusal, now): a partner says
# our history is inconsistent with what it holds.
ForkReported = Callable[[sqlite3.Connection, str, int, str, bytes, int], None]


@dataclass(frozen=True)
class Hooks:
    routes: Routes
    reply_appliers: ReplyRules
    message_stored: MessageStored
    partner_forked: PartnerForked
    fork_reported: ForkReported
