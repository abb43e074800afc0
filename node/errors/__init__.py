"""Every error Kippu shows to a person or a partner: one tree, stable codes, one JSON shape.

    KippuError                      internal.error        500
    ├── ValidationError             request.invalid       400
    │   ├── InvalidAmount           request.invalid_amount
    │   ├── InvalidPayload          voucher.invalid_payload  422 (text that is no voucher code)
    │   ├── WeakPassword            request.weak_password    422 (too few different characters)
    │   ├── InvalidJson             request.invalid_json
    │   └── InvalidText             request.invalid_text (control, invisible or lone-surrogate text)
    ├── LoginTaken                  account.login_taken   409 (a staff login in use, or `admin`)
    ├── AuthError                   auth.*                401 / 403 / 429
    │   ├── MissingToken            auth.missing_token
    │   ├── InvalidToken            auth.invalid_token
    │   ├── NotSignedIn, BadCredentials, LinkInvalid (web sign-in)
    │   ├── Forbidden (another role's page or another store), CsrfRejected
    │   └── Throttled (too many sign-in or code attempts: 429)
    ├── ReceiptUnavailable          receipt.unavailable   503 (no Japanese font for receipt PDFs)
    ├── TooManyConnections          server.too_many_connections  503 (connection cap, then closed)
    ├── NotFound                    *.not_found           404
    │   ├── StoreNotFound, CustomerNotFound, VoucherNotFound, RedemptionNotFound, RouteNotFound,
    │   └── PeerNotFound, AccountNotFound
    ├── LedgerError                 ledger.*              409 / 422
    │   ├── InsufficientBalance, VoucherExpired, VoucherNotActive, CodeExpired, CodeInvalid,
    │   ├── CodeAlreadyUsed, GiftNotAllowed, AlreadyVoided, VoidWindowClosed, ForeignVoucher,
    │   ├── DuplicateEmail, AmountOverLimit, PriceAboveFace, GiftToHolder, CurrencyMismatch
    │   ├── RecipientNotRegistered (a gift to someone not registered: 422)
    │   └── PeerExists, PeerRemoved (a removed partner cannot be suspended or resumed)
    ├── PeerError                   peer.*                400 / 401 / 403 / 409
    │   ├── MalformedEnvelope, BadSignature, UnknownSender, PeerPending, PeerSuspended,
    │   ├── WrongRecipient, MessageExpired, UnknownMessageType, Replayed, SequenceGap, Fork,
    │   ├── HistoryForked (a signed second version of a channel position: alarm, suspension)
    │   ├── IdempotencyConflict, InviteInvalid, InviteExpired, InviteUsed
    │   ├── PeerIsSelf, UnusableUrl (422: a well-formed request naming ourselves, a bad [IPv6])
    │   ├── JoinRefused (the partner's reason in `partner_code`, `partner_message`)
    │   └── ChannelParked, NotParked, DropNotAllowed, ResignNotAllowed (parked messages, 409)
    ├── SettlementError             settlement.*          404 / 409 / 422
    │   ├── ClaimNotFound, StatementNotFound, PartnerNotActive, ExposureLimit, SettlementPending,
    │   ├── ClaimPending, VoidNotAllowed, StatementOpen, NotThePayer, NotThePayee,
    │   ├── StatementNotAgreed, StatementTooLarge, NothingToSettle
    │   └── ClaimRejected (the issuer's reason code in `reason`)
    ├── AuditError                  audit.*               404 / 409 / 422
    │   ├── NoCheckpoint, NotInLog
    │   └── BundleUnreadable, BadEntry (`kippu audit verify` only)
    ├── IllegalTransition           internal.illegal_transition  500 (a bug: rolled back, logged)
    ├── StoreMismatch               internal.store_mismatch      500 (a bug: rolled back, logged)
    ├── ConfigError                 config.invalid        (CLI only)
    ├── RotationUnresolved          node.rotation_unresolved (`kippu serve` refuses to start)
    ├── NodeUnavailable             node.unavailable      (CLI only)
    └── StorageError                storage.*             503 (shown: the admin can act on it)
        ├── DiskFull, DatabaseReadOnly, StorageIOError, DatabaseBusy (a write refused; nothing changed)
        ├── DatabaseDamaged, DatabaseOfAnotherNode, HomeNotWritable (`kippu serve` refuses)
        └── NodeRunning, BackupInvalid, BackupFailed (`kippu backup` / `kippu restore`)

The docstring of each class is the message a person can act on; `message` may add detail.
Unexpected exceptions are never shown: the middleware logs them and answers "internal error".
"""

from __future__ import annotations

import functools
from typing import Any, ClassVar


def default_message(cls: type[KippuError]) -> str:
    """The class docstring as one line: a docstring wrapped in the source must not carry its
    line breaks and indentation into replies, JSON errors or pages."""
    return " ".join((cls.__doc__ or cls.code).split())


class KippuError(Exception):
    """Something went wrong inside the node; it has been logged."""

    code: ClassVar[str] = "internal.error"
    http_status: ClassVar[int] = 500

    def __init__(self, message: str | None = None, **details: Any) -> None:
        self.message = message or default_message(type(self))
        self.details = details
        super().__init__(self.message)

    def to_json(self) -> dict[str, Any]:
        """The one JSON error shape: {"error": {"code", "message", ...details}}."""
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        body.update(self.details)
        return {"error": body}


class ValidationError(KippuError):
    """The request is malformed; correct it and try again."""

    code = "request.invalid"
    http_status = 400


class InvalidJson(ValidationError):
    """The request body must be one JSON object."""

    code = "request.invalid_json"


class InvalidText(ValidationError):
    """Text must be printable: no control or invisible characters, line separators or lone surrogates."""

    code = "request.invalid_text"


class InvalidAmount(ValidationError):
    """The amount must be a whole number of yen, at least 1."""

    code = "request.invalid_amount"


class InvalidPayload(ValidationError):
    """This is not a Kippu voucher code; scan the QR again or type the number shown under it."""

    code = "voucher.invalid_payload"
    # The text matched the API's document (any printable text); that it is no code is a rule the
    # document cannot state, so 422 (node/api/schema_parts.py).
    http_status = 422


class WeakPassword(ValidationError):
    """This password has too few different characters; choose a longer, more varied one."""

    code = "request.weak_password"
    http_status = 422


class LoginTaken(KippuError):
    """That login name is taken (by another staff member, or `admin`, the head office's); choose
    another."""

    code = "account.login_taken"
    http_status = 409


class AuthError(KippuError):
    """Authentication is required."""

    code = "auth.required"
    http_status = 401


class MissingToken(AuthError):
    """No admin token was sent; use the CLI on the node's machine or send the token file's value."""

    code = "auth.missing_token"


class InvalidToken(AuthError):
    """The admin token is wrong; the node writes a new one each time it starts."""

    code = "auth.invalid_token"


class NotSignedIn(AuthError):
    """Please sign in first."""

    code = "auth.not_signed_in"


class BadCredentials(AuthError):
    """The login name or password is wrong."""

    code = "auth.bad_credentials"


class LinkInvalid(AuthError):
    """This sign-in link is wrong, used or expired; ask for a new one."""

    code = "auth.link_invalid"


class Forbidden(AuthError):
    """Your account may not do this."""

    code = "auth.forbidden"
    http_status = 403


class CsrfRejected(AuthError):
    """The form was out of date or not sent by this site; reload the page and try again."""

    code = "auth.csrf"
    http_status = 403


class Throttled(AuthError):
    """Too many attempts; wait a few minutes and try again."""

    code = "auth.throttled"
    http_status = 429


class ReceiptUnavailable(KippuError):
    """Receipts cannot be made: the node has no Japanese font (install Debian's
    fonts-ipafont-gothic or set web.receipt_font)."""

    code = "receipt.unavailable"
    http_status = 503


class NotFound(KippuError):
    """Nothing with that id exists on this node."""

    code = "request.not_found"
    http_status = 404


class RouteNotFound(NotFound):
    """There is no such API route; see /api/v1/openapi.json."""

    code = "request.no_route"


class StoreNotFound(NotFound):
    """No store with that id; `kippu store list` shows the stores."""

    code = "store.not_found"


class CustomerNotFound(NotFound):
    """No customer with that id; `kippu customer list` shows the customers."""

    code = "customer.not_found"


class AccountNotFound(NotFound):
    """No staff account with that id; the console's stores and staff page lists them."""

    code = "account.not_found"


class VoucherNotFound(NotFound):
    """No voucher with that id on this node."""

    code = "voucher.not_found"


class RedemptionNotFound(NotFound):
    """No redemption with that id on this node."""

    code = "redemption.not_found"


class LedgerError(KippuError):
    """The ledger refused the operation; nothing was changed."""

    code = "ledger.refused"
    http_status = 409


class InsufficientBalance(LedgerError):
    """The voucher's balance is lower than the amount; ask for a smaller amount."""

    code = "ledger.insufficient_balance"


class VoucherExpired(LedgerError):
    """The voucher has expired (有効期限切れ) and can no longer be used."""

    code = "voucher.expired"


class VoucherNotActive(LedgerError):
    """The voucher is not active (used up or void) and cannot be used."""

    code = "voucher.not_active"


class CodeExpired(LedgerError):
    """The code has expired; ask the customer to show the QR code again."""

    code = "voucher.code_expired"


class CodeInvalid(LedgerError):
    """The code does not match this voucher; scan again or retype it."""

    code = "voucher.code_invalid"


class CodeAlreadyUsed(LedgerError):
    """This code was already used; ask the customer to show a fresh QR code."""

    code = "voucher.code_used"


class ForeignVoucher(LedgerError):
    """This voucher was issued by another company; it can only be used at the issuer's stores."""

    code = "voucher.foreign_issuer"


class GiftNotAllowed(LedgerError):
    """A voucher can be gifted only once, and a gifted voucher can never be gifted again."""

    code = "voucher.gift_not_allowed"


class RecipientNotRegistered(LedgerError):
    """The recipient must first register as a customer; then gift the voucher again."""

    code = "voucher.recipient_not_registered"
    # 422, not 404: the voucher in the address exists; the body names someone unknown.
    http_status = 422


class GiftToHolder(LedgerError):
    """A gift must go to another customer than the voucher's holder."""

    code = "voucher.gift_to_holder"


class AlreadyVoided(LedgerError):
    """This redemption was already voided."""

    code = "redemption.already_voided"


class VoidWindowClosed(LedgerError):
    """A redemption can only be voided on the business day it was made."""

    code = "redemption.void_window_closed"


class AmountOverLimit(LedgerError):
    """The amount is above this node's limit for one voucher (see [ledger] max_voucher_yen)."""

    code = "ledger.amount_over_limit"
    http_status = 422


class PriceAboveFace(LedgerError):
    """The price paid cannot be higher than the voucher's face value."""

    code = "ledger.price_above_face"
    http_status = 422


class CurrencyMismatch(LedgerError):
    """The claim is in another currency than this node's; vouchers are redeemed in one currency."""

    code = "ledger.currency"
    http_status = 422


class DuplicateEmail(LedgerError):
    """A customer with that email address already exists."""

    code = "customer.duplicate_email"


class PeerError(KippuError):
    """A partner's message was refused; nothing was changed."""

    code = "peer.refused"
    http_status = 403


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


class PeerNotFound(NotFound):
    """No partner with that node id; `kippu peer list` shows the partners."""

    code = "peer.not_found"


class PeerExists(LedgerError):
    """That partner is already registered; `kippu peer list` shows its status."""

    code = "peer.exists"


class UnusableUrl(ValidationError):
    """The partner's address between [ and ] is not an IPv6 address; correct the URL."""

    code = "peer.unusable_url"
    http_status = 422  # the URL matches the OpenAPI document's expression, which cannot say this


class PeerRemoved(LedgerError):
    """That partner was removed: it can no longer be suspended or resumed. To work with it again,
    register it anew (`kippu peer add`, or join a new invitation)."""

    code = "peer.removed"


class PeerIsSelf(ValidationError):
    """A node cannot register itself as its own partner."""

    code = "peer.is_self"
    http_status = 422  # a well-formed node id (the OpenAPI document's), only it is ours


class TooManyConnections(KippuError):
    """Too many connections are open from your address (or to this node); close idle ones and
    try again in a moment. Behind a reverse proxy, raise server.max_connections_per_address."""

    code = "server.too_many_connections"
    http_status = 503


class IllegalTransition(KippuError):
    """A voucher was asked to change status in a way the lifecycle forbids (a bug; logged)."""

    code = "internal.illegal_transition"


class StoreMismatch(KippuError):
    """The database disagrees with the ledger rules about a balance (a bug; logged, rolled back)."""

    code = "internal.store_mismatch"


class ConfigError(KippuError):
    """The node's configuration is invalid; fix the listed keys in config.toml."""

    code = "config.invalid"

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems), problems=problems)


class RotationUnresolved(KippuError):
    """A key rotation was interrupted and the database cannot tell whether partners were told of
    the new key; the staged key (node.key.next) was kept. Repair or restore the database
    (docs/operations.md), then start the node again."""

    code = "node.rotation_unresolved"


class NodeUnavailable(KippuError):
    """The node is not running or not reachable; start it with `kippu serve`."""

    code = "node.unavailable"
    http_status = 503


class StorageError(KippuError):
    """The node's database cannot be used right now; nothing was changed."""

    code = "storage.error"
    http_status = 503


class DiskFull(StorageError):
    """The disk holding the node's database is full; nothing was changed. Free space on it (or
    grow it), then try again; the node goes on by itself once there is room."""

    code = "storage.disk_full"


class DatabaseReadOnly(StorageError):
    """The node's database cannot be written (read-only file, directory or file system); nothing
    was changed. Make kippu.db, its -wal and -shm files and the home directory writable by the
    user running the node, then restart it."""

    code = "storage.read_only"


class StorageIOError(StorageError):
    """The disk reported an I/O error while writing the node's database; nothing was changed.
    Check the disk (kernel log, SMART), then restart the node; restore a backup if it will not
    start."""

    code = "storage.io_error"


class DatabaseBusy(StorageError):
    """Another program holds the node's database locked for writing (a sqlite3 shell on kippu.db,
    say); nothing was changed. Close that program; the node goes on by itself."""

    code = "storage.busy"


class DatabaseDamaged(StorageError):
    """The node's database is damaged or is not a Kippu database; the node will not serve it.
    Restore the latest backup with `kippu restore FILE` (see docs/operations.md, Backups)."""

    code = "storage.damaged"


class DatabaseOfAnotherNode(StorageError):
    """This database belongs to another node than the key in this home; the node will not serve
    it. Put that node's node.key back, or restore this node's own backup."""

    code = "storage.other_node"
    http_status = 409


class HomeNotWritable(StorageError):
    """The node's home directory cannot be written; the node needs it for its database and its
    admin token. Make it writable by the user running the node."""

    code = "storage.home_read_only"


class NodeRunning(StorageError):
    """The node is running on this home; stop `kippu serve` first (restore replaces its database)."""

    code = "storage.node_running"
    http_status = 409


class BackupInvalid(StorageError):
    """That file is not a sound Kippu database backup for this node; nothing was replaced."""

    code = "storage.backup_invalid"
    http_status = 422


class BackupFailed(StorageError):
    """The backup could not be written or did not pass its check, or --out names one of the
    node's own files (its database, their -wal/-shm, lock, node.key, config.toml); no backup file
    was left. Write the backup to a file outside the node's home."""

    code = "storage.backup_failed"


class SettlementError(KippuError):
    """The settlement operation was refused; nothing was changed."""

    code = "settlement.refused"
    http_status = 409


class ClaimNotFound(SettlementError):
    """No claim with that id; `kippu settlement claims` lists them."""

    code = "settlement.claim_not_found"
    http_status = 404


class StatementNotFound(SettlementError):
    """No statement with that id; `kippu settlement statements` lists them."""

    code = "settlement.statement_not_found"
    http_status = 404


class PartnerNotActive(SettlementError):
    """This voucher's issuer is not an active partner of ours, so it cannot be accepted here."""

    code = "settlement.partner_not_active"


class ExposureLimit(SettlementError):
    """This partner would owe us more than its limit; take no more of its vouchers until it pays."""

    code = "settlement.exposure_limit"


class SettlementPending(SettlementError):
    """Claims, voids or a payment confirmation with this partner are still on their way; try again
    once they are answered (`kippu settlement claims --status CLAIMED`)."""

    code = "settlement.pending"


class ClaimPending(SettlementError):
    """The issuer has not decided this claim yet; wait for its answer (`kippu settlement claims`)."""

    code = "settlement.claim_pending"


class VoidNotAllowed(SettlementError):
    """This claim cannot be voided now (only an accepted claim not yet in a statement can be)."""

    code = "settlement.void_not_allowed"


class StatementOpen(SettlementError):
    """A statement with this partner is still waiting for its answer; wait for it first."""

    code = "settlement.statement_open"


class NotThePayer(SettlementError):
    """This node is not the payer of that statement."""

    code = "settlement.not_payer"


class NotThePayee(SettlementError):
    """This node is not the payee of that statement."""

    code = "settlement.not_payee"


class StatementNotAgreed(SettlementError):
    """The statement is not in a state that allows this (see its status)."""

    code = "settlement.statement_state"


class StatementTooLarge(SettlementError):
    """Too many claims for one statement; choose an earlier cut-off (--until)."""

    code = "settlement.statement_too_large"
    http_status = 422


class NothingToSettle(SettlementError):
    """There is nothing new to put in a statement with this partner up to that cut-off."""

    code = "settlement.nothing_to_settle"


class ClaimRejected(SettlementError):
    """The issuer rejected the claim; its reason is given."""

    code = "settlement.claim_rejected"


class AuditError(KippuError):
    """The audit operation was refused; nothing was changed."""

    code = "audit.refused"
    http_status = 409


class NoCheckpoint(AuditError):
    """The settlement log has no checkpoint yet; make one with `kippu audit checkpoint`."""

    code = "audit.no_checkpoint"


class NotInLog(AuditError):
    """Nothing about that claim or statement is in the part of the log a checkpoint covers; if it
    is recent, make a checkpoint first (`kippu audit checkpoint`)."""

    code = "audit.not_in_log"
    http_status = 404


class BundleUnreadable(AuditError):
    """The file is not an audit bundle this version of Kippu can read (`kippu audit export` makes one)."""

    code = "audit.bundle_unreadable"
    http_status = 422


class BadEntry(AuditError):
    """An entry of the settlement log is not what it should be (the verifier says why)."""

    code = "audit.bad_entry"
    http_status = 422


@functools.cache
def known_codes() -> dict[str, type[KippuError]]:
    """Every stable code of the tree, for codes a partner reports (never shown unchecked)."""
    found: dict[str, type[KippuError]] = {}
    pending: list[type[KippuError]] = [KippuError]
    while pending:
        cls = pending.pop()
        found.setdefault(cls.code, cls)
        pending.extend(cls.__subclasses__())
    return found
