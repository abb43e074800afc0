"""Settlement's part of the peer protocol: the message types a partner may send us, and what we
do with a partner's signed answer to ours. The composition root (node/app.py) hands these tables
to peering (node/peering/hooks.py).
"""

from __future__ import annotations

from node.peering.hooks import ReplyApplier
from node.peering.routing import ACTIVE_ONLY, Route
from node.settlement.audit.witness import apply_checkpoint_result, on_checkpoint
from node.settlement.claims import apply_claim_result, apply_void_result
from node.settlement.issuer import on_claim, on_claim_void
from node.settlement.statements import (
    apply_statement_result,
    checkpoint_if_agreed,
    on_payment,
    on_payment_confirmation,
    on_statement,
)

# Claims and statements flow only while both sides have the partnership active. A claim, a void
# or a payment already queued when a partnership is suspended waits in the outbox until resumed.
SETTLEMENT_ROUTES: dict[str, Route] = {
    "claim": Route(on_claim, ACTIVE_ONLY),
    "claim_void": Route(on_claim_void, ACTIVE_ONLY),
    "statement": Route(on_statement, ACTIVE_ONLY, after_reply=checkpoint_if_agreed),
    "payment": Route(on_payment, ACTIVE_ONLY),
    "payment_confirmation": Route(on_payment_confirmation, ACTIVE_ONLY),
    "checkpoint": Route(on_checkpoint, ACTIVE_ONLY),
}

REPLY_APPLIERS: dict[str, ReplyApplier] = {
    "claim": apply_claim_result,
    "claim_void": apply_void_result,
    "statement": apply_statement_result,
    "checkpoint": apply_checkpoint_result,
}
