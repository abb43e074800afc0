"""The content rules a logged entry must follow beyond its field types (docs/audit.md, section 7).

The node refuses a partner's message that breaks one of these before anything is logged, and
never writes one itself, so an entry of the log that breaks one was altered or forged. Each check
raises BadEntry with the rule broken; `verify.py` reports it at the entry's index. Pure functions:
they see one entry (and the message a reply answers), never the node.
"""

from __future__ import annotations

import re

from nacl.signing import VerifyKey

from node import merkle
from node.errors import BadEntry, KippuError
from node.identity import decode_node_id
from node.peering.messages import MESSAGE_LIFETIME_S, Header, Reply, StoreListMessage, StoreRow
from node.peering.notes import Note, NoteEvent
from node.peering.wire import WireMessage, WireRecord
from node.settlement import core
from node.settlement.audit import checkpoint
from node.settlement.audit.checkpoint import Checkpoint
from node.settlement.messages import (
    CheckpointMessage,
    CheckpointResult,
    ClaimMessage,
    ClaimResult,
    ClaimVoidMessage,
    ClaimVoidResult,
    StatementMessage,
    StatementResult,
)
from node.settlement.model import BreakKind

# Claim and statement ids (node/settlement/protocol.py).
ID_CHARS = re.compile(r"[A-Za-z0-9_-]{1,64}")
MAX_STORES = 1000  # node/peering/partner_stores.py
MAX_STORE_ID_CHARS = 64
MAX_PROOF_HASHES = 64
DECISIONS = {
    "claim": {"accepted", "rejected"},
    "claim_void": {"voided", "refused"},
    "statement": {"agreed", "disputed", "superseded"},
    "checkpoint": {"cosigned", "inconsistent"},
}
BREAK_KINDS = frozenset(BreakKind)
MAX_BREAK_ITEM = 64  # node/settlement/statement_protocol.py cuts items to this


def check_message(header: Header, message: WireMessage) -> None:
    """A message's header window and its type's own rules (protocol.md, sections 3 to 5)."""
    if header.expires < header.created or header.expires - header.created > MESSAGE_LIFETIME_S:
        raise BadEntry("the message expires before it is created, or over 30 days after")
    if isinstance(message, (ClaimMessage, ClaimVoidMessage)):
        _require_id(message.claim_id, "claim")
        if isinstance(message, ClaimMessage) and message.amount < 1:
            raise BadEntry("a claim of 0 yen")
    elif isinstance(message, StatementMessage):
        _require_id(message.statement_id, "statement")
        for row in message.claims:
            _require_id(row.claim_id, "claim")
    elif isinstance(message, StoreListMessage):
        _check_stores(message.stores)


def check_checkpoint_message(sender: str, message: CheckpointMessage, key: VerifyKey) -> Checkpoint:
    """The checkpoint a `checkpoint` message carries: the sender's, signed by the key that
    signed the envelope, with a consistency proof of the right shape."""
    carried = carried_checkpoint(message)
    if carried.origin != sender:
        raise BadEntry("the checkpoint carried is another node's")
    if not checkpoint.is_signed_by(carried, key):
        raise BadEntry("the checkpoint carried is not signed by the key that signed the message")
    return carried


def check_own_checkpoint_id(msg_id: str, message: CheckpointMessage, peer: str) -> None:
    """Our `checkpoint` messages carry the derived id (a partner's are not held to it)."""
    if msg_id != checkpoint.message_id(carried_checkpoint(message), peer):
        raise BadEntry("our checkpoint message does not carry its derived id")


def carried_checkpoint(message: CheckpointMessage) -> Checkpoint:
    """The checkpoint a `checkpoint` message carries, with the shape of its proof checked."""
    try:
        carried = checkpoint.decode(message.checkpoint, message.signature)
    except KippuError as exc:
        raise BadEntry("the checkpoint carried is malformed") from exc
    # Only the proof's shape: whether it proves anything is the witness's recorded decision
    # (`inconsistent`, with an alarm), not a refusal, so an accepted message may carry any proof.
    hashes, rest = divmod(len(message.proof), merkle.HASH_SIZE)
    if rest or hashes > MAX_PROOF_HASHES:
        raise BadEntry("the checkpoint's consistency proof is malformed")
    return carried


def check_reply(reply: Reply, asked: WireMessage) -> WireRecord | None:
    """A logged reply accepted its message (refusals are never logged); only the four types
    with a result carry one. Returns the decoded result, checked against the message."""
    if not reply.ok or reply.code != "ok" or reply.message or reply.expected_seq:
        raise BadEntry("a refusal in the log (only accepted messages and their replies are logged)")
    asked_type, result_type = asked.msg_type, asked.result_type
    if result_type is None:
        if reply.result:
            raise BadEntry(f"the reply to a {asked_type} carries a result")
        return None
    try:
        result = result_type.decode(reply.result)
    except KippuError as exc:
        raise BadEntry(f"the reply to a {asked_type} carries no valid result") from exc
    if isinstance(result, (ClaimResult, ClaimVoidResult)):
        _check_decision(asked_type, result.decision)
        if isinstance(asked, (ClaimMessage, ClaimVoidMessage)):
            _check_claim_result(asked, result)
    elif isinstance(result, StatementResult):
        _check_decision(asked_type, result.decision)
        if isinstance(asked, StatementMessage):
            _check_statement_result(result, asked)
    elif isinstance(result, CheckpointResult):
        _check_decision(asked_type, result.decision)
    return result


def _check_decision(asked_type: str, decision: str) -> None:
    if decision not in DECISIONS[asked_type]:
        raise BadEntry(f"{asked_type}: unknown decision {decision[:40]!r}")


def _check_claim_result(
    asked: ClaimMessage | ClaimVoidMessage, result: ClaimResult | ClaimVoidResult
) -> None:
    if result.claim_id != asked.claim_id:
        raise BadEntry("the result names another claim_id than the message")
    granted = result.decision in ("accepted", "voided")
    if granted != (result.code == "ok") or (not granted and result.balance_after):
        raise BadEntry(f"the {asked.msg_type} result's code or balance does not fit its decision")


def _check_statement_result(result: StatementResult, asked: StatementMessage) -> None:
    """Whatever the decision, the hash is of the proposal as sent; breaks only in a dispute."""
    if result.statement_id != asked.statement_id:
        raise BadEntry("the result names another statement_id than the message")
    if result.statement_hash != core.statement_hash(core.statement_from_message(asked)):
        raise BadEntry(f"statement {asked.statement_id}: the countersigned hash is not its hash")
    breaks = result.breaks
    if len(breaks) > core.MAX_BREAKS or (breaks and result.decision != "disputed"):
        raise BadEntry("the statement's answer lists breaks it cannot have")
    if any(b.kind not in BREAK_KINDS or len(b.claim_id) > MAX_BREAK_ITEM for b in breaks):
        raise BadEntry("the statement's answer lists a break of an unknown kind or a long item")


def check_cosigned(result: CheckpointResult, carried: Checkpoint, keys: list[VerifyKey]) -> None:
    """A `checkpoint` result: about the checkpoint sent; a countersignature only when cosigned,
    by one of `keys` (the replier's keys that may sign the reply)."""
    if result.size != carried.size:
        raise BadEntry("the checkpoint's answer is about another size")
    cosigned = result.decision == "cosigned"
    if cosigned == (not result.cosignature) or (cosigned and result.message):
        raise BadEntry("the checkpoint's answer does not fit its decision")
    if cosigned and not any(
        checkpoint.is_cosigned_by(carried, key, result.cosignature) for key in keys
    ):
        raise BadEntry("the countersignature in the reply does not verify")


# Which notes say why in a text: a partner's inconsistency, and the reason a message was withdrawn.
_NOTES_WITH_TEXT = frozenset({NoteEvent.PARTNER_INCONSISTENT, NoteEvent.MESSAGE_WITHDRAWN})


def check_note(note: Note, origin: str) -> None:
    """A note's fields fit its event (protocol.md, section 5, `log_note`)."""
    if note.event not in set(NoteEvent):
        raise BadEntry(f"unknown note {note.event[:40]!r}")
    rotated = note.event == NoteEvent.KEY_ROTATED
    if rotated != (note.subject == origin) or not _is_node_id(note.subject):
        raise BadEntry("the note's subject is not the node it is about")
    if note.event == NoteEvent.MESSAGE_WITHDRAWN:
        if note.position < 1 or note.key:
            raise BadEntry("a message_withdrawn note names no channel position, or a key")
    elif not rotated and (note.position or note.key):
        raise BadEntry("a note other than key_rotated names a key")
    if bool(note.text) and note.event not in _NOTES_WITH_TEXT:
        raise BadEntry("a note other than partner_inconsistent or message_withdrawn carries a text")


def _require_id(value: str, what: str) -> None:
    if not ID_CHARS.fullmatch(value):
        raise BadEntry(f"a {what} id that is not 1-64 letters, digits, - or _")


def _check_stores(rows: tuple[StoreRow, ...]) -> None:
    if len(rows) > MAX_STORES:
        raise BadEntry(f"a store list of more than {MAX_STORES} stores")
    seen: set[str] = set()
    for store_id, name in rows:
        if not 0 < len(store_id) <= MAX_STORE_ID_CHARS or store_id in seen:
            raise BadEntry("a store list whose store ids are empty, too long or repeated")
        if not name.strip() or not name.isprintable():
            raise BadEntry("a store list with a name that is blank or not printable")
        seen.add(store_id)


def _is_node_id(text: str) -> bool:
    try:
        decode_node_id(text)
    except ValueError:
        return False
    return True
