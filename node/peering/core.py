"""Peering rules: channel order, validity windows, partnership status changes, invites, backoff.

Pure: time and randomness come in as arguments.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass

import msgpack

from node.errors import (
    BadSignature,
    Fork,
    HistoryForked,
    IdempotencyConflict,
    IllegalTransition,
    InviteExpired,
    InviteInvalid,
    InviteUsed,
    MalformedEnvelope,
    MessageExpired,
    PeerExists,
    PeerPending,
    PeerSuspended,
    Replayed,
    SequenceGap,
    UnknownMessageType,
    UnknownSender,
    WrongRecipient,
)
from node.identity import decode_node_id, encode_node_id
from node.peering.envelope import strict_unpack
from node.peering.messages import CLOCK_SKEW_S, MESSAGE_LIFETIME_S, Header
from node.peering.model import ALLOWED_PEER_TRANSITIONS, Channel, Peer, PeerStatus
from node.text import is_printable

INVITE_PREFIX = "kippu-invite1:"

# How the outbox treats a partner's signed refusal of our message (docs/protocol.md, "Parked
# messages"). Permanent: the same bytes can never be accepted, so the message is parked and its
# channel waits for the admin (re-sign, drop, rewind). Transient: the partner may take the same
# bytes later (it registers us, resumes us, learns our new key, is upgraded), so the message is
# retried with backoff. `peer.sequence_gap` is answered by resending from `expected_seq`. A code
# in neither set (a newer partner's) counts as transient: retrying is what older nodes did.
PERMANENT_REFUSALS: frozenset[str] = frozenset(
    {
        InviteUsed.code,
        InviteExpired.code,
        InviteInvalid.code,
        MessageExpired.code,
        Fork.code,
        HistoryForked.code,
        IdempotencyConflict.code,
        Replayed.code,
        WrongRecipient.code,
        MalformedEnvelope.code,
        PeerExists.code,
    }
)
TRANSIENT_REFUSALS: frozenset[str] = frozenset(
    {
        SequenceGap.code,
        UnknownSender.code,
        PeerPending.code,
        PeerSuspended.code,
        BadSignature.code,
        UnknownMessageType.code,
    }
)


def is_permanent_refusal(code: str) -> bool:
    return code in PERMANENT_REFUSALS


MAX_PARTNER_TEXT = 500


def partner_text(text: str) -> str:
    """Text a partner wrote, safe to show in a terminal or a page: characters that are not
    printable (terminal escapes, line breaks, bidirectional controls) become U+FFFD."""
    return "".join(c if c.isprintable() else "\ufffd" for c in text[:MAX_PARTNER_TEXT])


MAX_BACKOFF_S = 3600


def check_window(header: Header, now_s: int) -> None:
    if header.expires < now_s:
        raise MessageExpired()
    if (
        header.created > now_s + CLOCK_SKEW_S
        or header.expires < header.created
        or header.expires - header.created > MESSAGE_LIFETIME_S
    ):
        raise MessageExpired("The message is dated in the future; check both nodes' clocks.")


def check_sequence(channel: Channel, header: Header) -> None:
    """The next message of a channel has seq = last + 1 and names the last message's hash."""
    if header.seq <= channel.last_seq:
        raise Replayed(expected_seq=channel.last_seq + 1)
    if header.seq > channel.last_seq + 1:
        raise SequenceGap(expected_seq=channel.last_seq + 1)
    if not hmac.compare_digest(header.prev, channel.last_hash):
        raise Fork(expected_seq=channel.last_seq + 1)


def require_status(peer: Peer | None, allowed: frozenset[PeerStatus]) -> Peer:
    """Refuse a message from an unknown, pending, suspended or removed partner as the type demands."""
    if peer is None or peer.status == PeerStatus.REMOVED:
        raise UnknownSender()
    if peer.status not in allowed:
        if peer.status == PeerStatus.PENDING:
            raise PeerPending()
        if peer.status == PeerStatus.SUSPENDED:
            raise PeerSuspended()
        raise UnknownSender()
    return peer


def next_status(current: PeerStatus, target: PeerStatus) -> PeerStatus:
    if current != target and (current, target) not in ALLOWED_PEER_TRANSITIONS:
        raise IllegalTransition(f"partner {current} -> {target} is not allowed")
    return target


def status_when_confirmed(peer: Peer) -> PeerStatus:
    """The partner told us it registered us: a pending partnership becomes active."""
    return PeerStatus.ACTIVE if peer.status == PeerStatus.PENDING else peer.status


@dataclass(frozen=True)
class Invite:
    url: str
    node_id: str
    name: str
    invite_id: str
    secret: bytes
    expires: int


def encode_invite(invite: Invite) -> str:
    """One string to paste: the inviting node's URL, key, name, and a one-time secret."""
    packed: bytes = msgpack.packb(
        {
            "u": invite.url,
            "k": decode_node_id(invite.node_id),
            "n": invite.name,
            "i": invite.invite_id,
            "s": invite.secret,
            "e": invite.expires,
        },
        use_bin_type=True,
    )
    return INVITE_PREFIX + base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


MAX_INVITE_CHARS = 2000


def decode_invite(text: str) -> Invite:
    cleaned = text.strip()
    if not cleaned.startswith(INVITE_PREFIX) or len(cleaned) > MAX_INVITE_CHARS:
        raise InviteInvalid("This is not a Kippu invitation.")
    encoded = cleaned[len(INVITE_PREFIX) :]
    try:
        values = strict_unpack(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
    except (ValueError, MalformedEnvelope) as exc:
        raise InviteInvalid("This is not a Kippu invitation.") from exc
    url, key, name = values.get("u"), values.get("k"), values.get("n")
    invite_id, secret, expires = values.get("i"), values.get("s"), values.get("e")
    if not (
        set(values) == {"u", "k", "n", "i", "s", "e"}
        and isinstance(url, str)
        and url.startswith(("http://", "https://"))
        and isinstance(key, bytes)
        and len(key) == 32
        and isinstance(name, str)
        and is_printable(name)
        and isinstance(invite_id, str)
        and isinstance(secret, bytes)
        and len(secret) == 16
        and isinstance(expires, int)
        and not isinstance(expires, bool)
    ):
        raise InviteInvalid("The invitation is damaged; copy it again.")
    return Invite(url.rstrip("/"), encode_node_id(key), name, invite_id, secret, expires)


def invite_secret_hash(secret: bytes) -> bytes:
    return hashlib.sha256(b"kippu/invite/v1\x00" + secret).digest()


def check_invite(
    secret_hash: bytes | None, expires_at: int, used: bool, secret: bytes, now_s: int
) -> None:
    if secret_hash is None or not hmac.compare_digest(secret_hash, invite_secret_hash(secret)):
        raise InviteInvalid()
    if used:
        raise InviteUsed()
    if now_s >= expires_at:
        raise InviteExpired()


def backoff_seconds(attempts: int, jitter: float) -> int:
    """Delay before retry number `attempts` (1, 2, ...): doubling from 2 s up to an hour.

    `jitter` in [0, 1) spreads retries of many messages by up to a fifth of the delay.
    """
    base = min(2 ** min(attempts, 20), MAX_BACKOFF_S)
    return max(1, int(base * (0.8 + 0.2 * jitter)))
