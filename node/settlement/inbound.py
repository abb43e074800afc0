"""Settlement's part of the peer protocol: the message types a partner may send us, and what we
do with a partner's signed answer to ours. The composition root (node/app.py) hands these tables
to peering (node/peering/context.py).
"""

from __future__ import annotations

from node.peering.context import ACTIVE_ONLY, ReplyRule, ReplyRules, Route, Routes
from node.settlement.audit.witness import apply_checkpoint_result, on_checkpoint
from node.settlement.claims import apply_claim_result, apply_void_result
from node.settlement.issuer import on_claim, on_claim_void
from node.settlement.messages import (
    CheckpointMessage,
    CheckpointResult,
    ClaimMessage,
    ClaimResult,
    ClaimVoidMessage,
    ClaimVoidResult,
    PaymentConfirmationMessage,
    PaymentMessage,
    StatementMessage,
    StatementResult,
)
from node.settlement.statements import (
    apply_statement_result,
    checkpoint_if_agreed,
    on_payment,
    on_payment_confirmation,
    on_statement,
)

# Claims and statements flow only while both sides have the partnership active. A claim, a void
# or a payment already queued when a partnership is suspended waits in the outbox until resumed.
# (A tuple first, so that mypy checks each handler against its route's message class; a table
# literal typed Routes would let any handler through.)
_ROUTES = (
    Route(ClaimMessage, on_claim, ACTIVE_ONLY),
    Route(ClaimVoidMessage, on_claim_void, ACTIVE_ONLY),
    Route(StatementMessage, on_statement, ACTIVE_ONLY, after_reply=checkpoint_if_agreed),
    Route(PaymentMessage, on_payment, ACTIVE_ONLY),
    Route(PaymentConfirmationMessage, on_payment_confirmation, ACTIVE_ONLY),
    Route(CheckpointMessage, on_checkpoint, ACTIVE_ONLY),
)
SETTLEMENT_ROUTES: Routes = {route.message.msg_type: route for route in _ROUTES}

# What we do with the partner's signed answer to each of our messages whose reply carries a
# result (node/peering/context.py, ReplyRule).
_RULES = (
    ReplyRule(ClaimMessage, ClaimResult, apply_claim_result),
    ReplyRule(ClaimVoidMessage, ClaimVoidResult, apply_void_result),
    ReplyRule(StatementMessage, StatementResult, apply_statement_result),
    ReplyRule(CheckpointMessage, CheckpointResult, apply_checkpoint_result),
)
REPLY_APPLIERS: ReplyRules = {rule.message.msg_type: rule for rule in _RULES}
