"""Offline verification of one audit bundle, streamed: every signature with the key valid at the
time, each channel's sequence and hash chain, each message answered once, the Merkle root at
every signed checkpoint, countersignatures, and the books replayed from the exchanges.

Nothing here trusts the bundle: the only anchors are the node ids (first keys) and what the
auditor pins with --trust. Each problem names the entry's position, so an altered, removed,
inserted or reordered entry is reported where it is.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from nacl.signing import VerifyKey

from node.api.serialize import iso
from node.errors import BadEntry, KippuError
from node.identity import decode_node_id, fingerprint
from node.ledger.rows import from_epoch
from node.peering.envelope import Envelope, open_envelope
from node.peering.keys import KeyEntry, check_key_era, first_key, require_newest, verify_with
from node.peering.messages import (
    REPLY_TYPE,
    Header,
    JoinMessage,
    KeyRotationMessage,
    RegisterMessage,
    Reply,
)
from node.peering.model import message_hash
from node.peering.wire import WireMessage, WireRecord
from node.settlement.audit import checkpoint, merkle, rules
from node.settlement.audit.books import Books, Exchange
from node.settlement.audit.bundle import BundleReader, CheckpointRecord
from node.settlement.audit.checkpoint import Checkpoint
from node.settlement.audit.log import NOTE_TYPE, Note, NoteEvent
from node.settlement.audit.parties import Awaiting, Party, Witnessed
from node.settlement.audit.report import BundleReport
from node.settlement.messages import KNOWN_MESSAGES, CheckpointMessage, CheckpointResult

T = TypeVar("T")


@dataclass
class Verified:
    report: BundleReport
    parties: dict[str, Party]
    checkpoints: list[Checkpoint]
    records: list[CheckpointRecord]
    witnessed: list[Witnessed] = field(default_factory=list)
    horizon: int = 0  # the last checkpoint's time: what the bundle can be expected to hold


class BundleVerifier:
    def __init__(self, reader: BundleReader, register: sqlite3.Connection) -> None:
        header = reader.header
        self._reader, self._origin = reader, header.origin
        try:
            origin_key = decode_node_id(header.origin)
        except ValueError:
            origin_key = b""
        self.report = BundleReport(
            header.origin, header.name, fingerprint(origin_key) if origin_key else "?"
        )
        self._own_keys = [VerifyKey(origin_key)] if origin_key else []
        if not origin_key:
            self.report.problem("the bundle's origin is not a node id")
        self._parties: dict[str, Party] = {}
        self._in: dict[tuple[str, str], Awaiting] = {}
        self._out: dict[tuple[str, str], Awaiting] = {}
        self._books = Books(header.origin, register, self.report)
        self._frontier = merkle.Frontier()
        self._checkpoints: list[Checkpoint | None] = []
        self._due: dict[int, list[int]] = {}
        self._witnessed: list[Witnessed] = []

    def run(self) -> Verified:
        self._read_checkpoints()
        self._check_due()
        count = 0
        for number, index, item in self._reader.entries():
            count = number + 1
            if index is None or not isinstance(item, bytes):
                self.report.problem(f"entry record is unreadable: {item!s:.80}", number)
                continue
            if index != number:
                self.report.problem(
                    f"entry {number} is missing or out of place (the record here says {index})",
                    number,
                )
            self._frontier.append(merkle.leaf_hash(item))
            self._entry(number, item)
            self._check_due()
        self._finish(count)
        made = [c for c in self._checkpoints if c is not None]
        horizon = made[-1].created if made else 0
        records = self._reader.checkpoints
        return Verified(self.report, self._parties, made, records, self._witnessed, horizon)

    # -- checkpoints --------------------------------------------------------------------------

    def _read_checkpoints(self) -> None:
        last = -1
        for number, record in enumerate(self._reader.checkpoints):
            try:
                made = checkpoint.decode(record.body, record.signature)
            except KippuError:
                self.report.problem("checkpoint record is malformed", checkpoint=number)
                self._checkpoints.append(None)
                continue
            self._checkpoints.append(made)
            if made.origin != self._origin:
                self.report.problem("checkpoint of another node", checkpoint=number)
            if made.size <= last:
                self.report.problem(
                    f"checkpoints out of order (size {made.size} after {last})", checkpoint=number
                )
            last = max(last, made.size)
            self._due.setdefault(made.size, []).append(number)
        self.report.checkpoints = len(self._reader.checkpoints)

    def _check_due(self) -> None:
        for number in self._due.pop(self._frontier.size, []):
            made = self._checkpoints[number]
            if made is None:
                continue
            if made.root != self._frontier.root():
                self.report.problem(
                    f"the entries before index {made.size} do not hash to the signed root",
                    made.size - 1 if made.size else None,
                    number,
                )
            if not any(checkpoint.is_signed_by(made, key) for key in self._own_keys):
                self.report.problem("the checkpoint's signature does not verify", checkpoint=number)

    def _check_cosignatures(self) -> None:
        """After the walk, when every key of every partner is known."""
        for number, record in enumerate(self._reader.checkpoints):
            made = self._checkpoints[number]
            if made is None:
                continue
            for cosigner, signature in record.cosignatures:
                keys = self._cosigner_keys(cosigner)
                if not any(checkpoint.is_cosigned_by(made, key, signature) for key in keys):
                    self.report.problem(
                        f"the countersignature of {cosigner[:8]} does not verify", checkpoint=number
                    )

    def _cosigner_keys(self, cosigner: str) -> list[VerifyKey]:
        """Every key of the cosigner this log shows; one that never appears in it (a witness
        that is not a partner) has its node id's key only (docs/audit.md, section 5)."""
        party = self._parties.get(cosigner)
        if party is not None:
            return [k.key for k in party.keys]
        try:
            return [first_key(cosigner).key]
        except KippuError:
            return []  # not a node id: nothing can verify

    # -- entries ------------------------------------------------------------------------------

    def _entry(self, index: int, raw: bytes) -> None:
        try:
            envelope = open_envelope(raw)
            if envelope.sender == self._origin:
                self._own(index, envelope)
            else:
                self._theirs(index, envelope)
        except KippuError as exc:
            self.report.problem(f"{exc.message} ({exc.code})", index)

    def _verify_own(self, envelope: Envelope) -> VerifyKey:
        for key in reversed(self._own_keys):
            try:
                envelope.verify(key)
            except KippuError:
                continue
            return key
        raise BadEntry("our signature does not verify")

    def _obey(self, index: int, check: Callable[..., T], *args: Any) -> T | None:
        """Run one content rule (rules.py); a broken rule is reported here and the walk goes on."""
        try:
            return check(*args)
        except BadEntry as exc:
            self.report.problem(f"{exc.message} ({exc.code})", index)
            return None

    def _message_rules(self, index: int, header: Header, message: WireMessage) -> None:
        try:  # inline, not _obey: once per message, on the hot path
            rules.check_message(header, message)
        except BadEntry as exc:
            self.report.problem(f"{exc.message} ({exc.code})", index)

    def _own(self, index: int, envelope: Envelope) -> None:
        signer = self._verify_own(envelope)
        if envelope.msg_type == NOTE_TYPE:
            self._note(index, envelope)
        elif envelope.msg_type == REPLY_TYPE:
            reply = Reply.decode(envelope.body)
            if reply.sender != self._origin:
                raise BadEntry("the body names another sender")
            asked = self._in.pop((reply.recipient, reply.in_reply_to), None)
            if asked is None:
                raise BadEntry("our reply answers no message of the log")
            party = self._parties[reply.recipient]
            result = self._answered(index, party, False, asked, envelope, reply)
            sent = asked.message
            if isinstance(sent, CheckpointMessage) and isinstance(result, CheckpointResult):
                carried = rules.carried_checkpoint(sent)
                self._obey(index, rules.check_cosigned, result, carried, self._own_keys)
                if result.decision == "cosigned":
                    self._witness(asked.index, sent, party.node_id)
        elif envelope.msg_type in KNOWN_MESSAGES:
            self._own_message(index, envelope, signer)
        else:
            raise BadEntry(f"unknown entry type {envelope.msg_type[:40]!r}")

    def _own_message(self, index: int, envelope: Envelope, signer: VerifyKey) -> None:
        header, message = KNOWN_MESSAGES[envelope.msg_type].decode(envelope.body)
        if header.sender != self._origin:
            raise BadEntry("the body names another sender")
        self._message_rules(index, header, message)
        if isinstance(message, CheckpointMessage):
            self._obey(index, rules.check_checkpoint_message, header.sender, message, signer)
            self._obey(
                index, rules.check_own_checkpoint_id, header.msg_id, message, header.recipient
            )
        party = self._party(header.recipient)
        if header.seq != party.out_seq + 1 or header.prev != party.out_hash:
            self.report.problem(
                f"our channel to {party.name} breaks: message {header.seq} after"
                f" {party.out_seq}, or it names another previous message",
                index,
            )
        party.out_seq, party.out_hash = header.seq, message_hash(envelope.raw)
        party.out_sent[header.seq] = (header.prev, header.msg_id)
        if (party.node_id, header.msg_id) in self._out:
            raise BadEntry("a message id is used twice")
        self._out[(party.node_id, header.msg_id)] = Awaiting(index, message, party.out_hash)
        if isinstance(message, KeyRotationMessage):
            self._learn_own_key(message.position, message.new_key)
        self._books.sent(index, party.node_id, message)

    def _theirs(self, index: int, envelope: Envelope) -> None:
        if envelope.msg_type == REPLY_TYPE:
            party = self._parties.get(envelope.sender)
            if party is None:
                raise BadEntry("a reply from a node this log never wrote to")
            used = verify_with(envelope, tuple(party.keys))
            require_newest(tuple(party.keys), used)
            reply = Reply.decode(envelope.body)
            if reply.recipient != self._origin or reply.sender != party.node_id:
                raise BadEntry("the reply is addressed to another node")
            asked = self._out.pop((party.node_id, reply.in_reply_to), None)
            if asked is None:
                raise BadEntry("the reply answers no message of the log, or one answered before")
            if reply.name:
                party.name = reply.name
            result = self._answered(index, party, True, asked, envelope, reply)
            sent = asked.message
            if isinstance(sent, CheckpointMessage) and isinstance(result, CheckpointResult):
                carried = rules.carried_checkpoint(sent)
                self._obey(index, rules.check_cosigned, result, carried, [used.key])
            return
        kind = KNOWN_MESSAGES.get(envelope.msg_type)
        if kind is None:
            raise BadEntry(f"unknown entry type {envelope.msg_type[:40]!r}")
        party = self._party(envelope.sender)
        keys = tuple(party.keys)
        used = verify_with(envelope, keys)
        header, message = kind.decode(envelope.body)
        if header.sender != envelope.sender or header.recipient != self._origin:
            raise BadEntry("the message's addressing does not match its envelope")
        check_key_era(keys, used, header.seq)
        self._message_rules(index, header, message)
        if isinstance(message, CheckpointMessage):
            self._obey(index, rules.check_checkpoint_message, header.sender, message, used.key)
        if header.seq != party.in_seq + 1 or header.prev != party.in_hash:
            self.report.problem(
                f"{party.name}'s channel to us breaks: message {header.seq} after {party.in_seq},"
                " or it names another previous message",
                index,
            )
        party.in_seq, party.in_hash = header.seq, message_hash(envelope.raw)
        if isinstance(message, KeyRotationMessage):
            self._rotate_partner(party, message, header.seq)
        if isinstance(message, (RegisterMessage, JoinMessage)) and message.name:
            party.name = message.name
        if (party.node_id, header.msg_id) in self._in:
            raise BadEntry("a message id is used twice")
        self._in[(party.node_id, header.msg_id)] = Awaiting(index, message, party.in_hash)

    def _answered(
        self,
        index: int,
        party: Party,
        ours: bool,
        asked: Awaiting,
        envelope: Envelope,
        reply: Reply,
    ) -> WireRecord | None:
        """A message of the log and its reply: the exchange goes to the books; returns the result
        (None when the message type has none, or the reply breaks a rule: that is reported)."""
        try:  # inline, not _obey: once per exchange, on the hot path
            result = rules.check_reply(reply, asked.message)
        except BadEntry as exc:
            self.report.problem(f"{exc.message} ({exc.code})", index)
            result = None
        self._books.exchanged(
            Exchange(
                index,
                party.node_id,
                ours,
                asked.message,
                result,
                asked.digest,
                message_hash(envelope.raw),
                reply.created,
            )
        )
        return result

    def _party(self, node_id: str) -> Party:
        party = self._parties.get(node_id)
        if party is None:
            party = Party(node_id, [first_key(node_id)], node_id[:8])
            self._parties[node_id] = party
        return party

    def _rotate_partner(self, party: Party, notice: KeyRotationMessage, seq: int) -> None:
        if notice.position != len(party.keys):
            raise BadEntry("a key rotation notice out of order")
        party.keys.append(KeyEntry(notice.position, VerifyKey(notice.new_key), seq))

    def _note(self, index: int, envelope: Envelope) -> None:
        note = Note.decode(envelope.body)
        rules.check_note(note, self._origin)
        if note.event == NoteEvent.KEY_ROTATED:
            self._learn_own_key(note.position, note.key)
        elif note.event == NoteEvent.MESSAGE_WITHDRAWN:
            self._withdraw(index, note.subject, note.position)

    def _withdraw(self, index: int, peer: str, position: int) -> None:
        """Our signed decision to withdraw our messages to `peer` from `position` on, none of
        which the partner accepted (docs/audit.md): the channel goes back to before it."""
        party = self._parties.get(peer)
        if party is None or position not in party.out_sent or position > party.out_seq:
            self.report.problem("a withdrawal names no message of our channel", index)
            return
        restart = party.out_sent[position][0]
        for seq in range(position, party.out_seq + 1):
            sent = party.out_sent.pop(seq, None)
            if sent is None or self._out.pop((party.node_id, sent[1]), None) is None:
                self.report.problem(
                    f"withdraws our message {seq} to {party.name}, which the partner answered",
                    index,
                )
        party.out_seq, party.out_hash = position - 1, restart

    def _learn_own_key(self, position: int, key: bytes) -> None:
        """From our signed note, or from the notices we sent partners (a node whose key rotated
        before it had a log has only those); each names the key's position, once."""
        if position == len(self._own_keys) and len(key) == 32:
            self._own_keys.append(VerifyKey(key))
        elif not (0 < position < len(self._own_keys) and bytes(self._own_keys[position]) == key):
            raise BadEntry("our key rotation notice is out of order or names another key")

    def _witness(self, index: int, sent: CheckpointMessage, peer: str) -> None:
        theirs = checkpoint.decode(sent.checkpoint, sent.signature)
        self._witnessed.append(Witnessed(index, peer, theirs.size, theirs.root))

    def _finish(self, count: int) -> None:
        header = self._reader.header
        self.report.entries = count
        if count < header.size:
            self.report.problem(
                f"the bundle ends after {count} entries; its header says {header.size}", count
            )
        elif count > header.size:
            self.report.problem("entries beyond the size the header gives", header.size)
        for leftover in self._due.values():
            for number in leftover:
                self.report.problem(
                    f"the checkpoint covers more entries than the bundle's {count}: entries are"
                    f" missing from index {count} on",
                    count,
                    number,
                )
        made = [c for c in self._checkpoints if c is not None]
        covered = made[-1].size if made else 0
        if count > covered:
            self.report.problem("entries from here on are covered by no signed checkpoint", covered)
        for asked in sorted(self._in.values(), key=lambda a: a.index):
            self.report.problem("a partner's message without our reply", asked.index)
        self._check_cosignatures()
        self._describe_latest(made)
        for party in self._parties.values():
            self._books.balance(party.node_id).name = party.name

    def _describe_latest(self, made: list[Checkpoint]) -> None:
        if not made:
            return
        latest = made[-1]
        record = self._reader.checkpoints[self._checkpoints.index(latest)]
        self.report.latest = {
            "size": latest.size,
            "root": latest.root.hex(),
            "created": iso(from_epoch(latest.created)),
            "cosigned_by": sorted(
                self._parties[c].name if c in self._parties else c for c, _ in record.cosignatures
            ),
        }
