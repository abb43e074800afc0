"""Partners and their messages: registration, invitations, envelopes, channels, parked messages."""

from __future__ import annotations

from node.errors.base import KippuError
from node.errors.request import NotFound, ValidationError


class PeerError(KippuError):
    """A partner's message was refused; nothing was changed."""

    code = "peer.refused"
    http_status = 403
    areas = ("peer",)
    is_actionable = True


class MalformedEnvelope(PeerError):
    """The message is not a well-formed Kippu envelope."""

    code = "peer.malformed"
    http_status = 400


class BadSignature(PeerError):
    """The message's signature does not verify with the sender's registered key."""

    code = "peer.bad_signature"
    http_status = 401


class UnknownSender(PeerError):
    """The sender is not a registered partner of this node; register it first (`kippu peer add`)."""

    code = "peer.unknown_sender"


class PeerPending(PeerError):
    """The partnership is pending: both sides must register each other before anything flows."""

    code = "peer.pending"


class PeerSuspended(PeerError):
    """The partnership is suspended on this node; `kippu peer resume` restores it."""

    code = "peer.suspended"


class WrongRecipient(PeerError):
    """The message is addressed to another node."""

    code = "peer.wrong_recipient"
    http_status = 400


class MessageExpired(PeerError):
    """The message is outside its validity window (expired, or dated in the future)."""

    code = "peer.expired"
    http_status = 400


class UnknownMessageType(PeerError):
    """This node does not accept that message type."""

    code = "peer.unknown_type"
    http_status = 400


class Replayed(PeerError):
    """The message repeats a sequence number already used on this channel."""

    code = "peer.replayed"
    http_status = 409


class SequenceGap(PeerError):
    """Messages are missing before this one; resend from the expected sequence number."""

    code = "peer.sequence_gap"
    http_status = 409


class Fork(PeerError):
    """The message does not follow the previous message of the channel (hash mismatch)."""

    code = "peer.fork"
    http_status = 409


class HistoryForked(PeerError):
    """This partner signed a different message for a place in its channel that it had already
    filled (a node restored from an old backup, or a rewritten history). The partnership is
    suspended until both admins have compared their audit bundles (docs/operations.md)."""

    code = "peer.history_forked"
    http_status = 409


class IdempotencyConflict(PeerError):
    """A different message was already received under this message id."""

    code = "peer.idempotency_conflict"
    http_status = 409


class InviteInvalid(PeerError):
    """The invitation is unknown or its secret is wrong; ask the partner for a new one."""

    code = "peer.invite_invalid"


class InviteExpired(PeerError):
    """The invitation has expired; ask the partner for a new one."""

    code = "peer.invite_expired"


class InviteUsed(PeerError):
    """The invitation was already used; each invitation works once."""

    code = "peer.invite_used"


class JoinRefused(PeerError):
    """The partner refused our join; nothing was registered here. Its reason is in
    `partner_code` and `partner_message`: for a used or expired invitation, ask it for a new one."""

    code = "peer.join_refused"
    http_status = 409


class ChannelParked(PeerError):
    """A message to this partner is parked (refused for good) and blocks its channel; re-sign or
    drop it first (`kippu peer list` shows it, docs/operations.md says how)."""

    code = "peer.channel_parked"
    http_status = 409


class NotParked(PeerError):
    """No message to that partner is parked at that position; `kippu peer list` shows parked
    messages."""

    code = "peer.not_parked"
    http_status = 409


class DropNotAllowed(PeerError):
    """Only a parked registration (register or join) that is the last message of its channel can
    be dropped; re-sign the message instead (`kippu peer resign`)."""

    code = "peer.drop_not_allowed"
    http_status = 409


class ResignNotAllowed(PeerError):
    """These messages cannot be signed again: a key rotation notice must stay signed by the key
    it retires, and a message the partner once accepted must keep its one signed version. Ask
    the partner's admin (docs/operations.md, "Parked messages")."""

    code = "peer.resign_not_allowed"
    http_status = 409


class PeerExists(PeerError):
    """That partner is already registered; `kippu peer list` shows its status."""

    code = "peer.exists"
    http_status = 409


class PeerRemoved(PeerError):
    """That partner was removed: it can no longer be suspended or resumed. To work with it again,
    register it anew (`kippu peer add`, or join a new invitation)."""

    code = "peer.removed"
    http_status = 409


class PeerNotFound(NotFound):
    """No partner with that node id; `kippu peer list` shows the partners."""

    code = "peer.not_found"


class UnusableUrl(ValidationError):
    """The partner's address between [ and ] is not an IPv6 address; correct the URL."""

    code = "peer.unusable_url"
    http_status = 422  # the URL matches the OpenAPI document's expression, which cannot say this


class PeerIsSelf(ValidationError):
    """A node cannot register itself as its own partner."""

    code = "peer.is_self"
    http_status = 422  # a well-formed node id (the OpenAPI document's), only it is ours
