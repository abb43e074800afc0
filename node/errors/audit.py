"""The settlement log's refusals: checkpoints, proofs, audit bundles."""

from __future__ import annotations

from node.errors.base import KippuError
from node.errors.request import NotFound


class AuditError(KippuError):
    """The audit operation was refused; nothing was changed."""

    code = "audit.refused"
    http_status = 409
    areas = ("audit",)
    is_actionable = True


class NoCheckpoint(AuditError):
    """The settlement log has no checkpoint yet; make one with `kippu audit checkpoint`."""

    code = "audit.no_checkpoint"


class BundleUnreadable(AuditError):
    """The file is not an audit bundle this version of Kippu can read (`kippu audit export` makes one)."""

    code = "audit.bundle_unreadable"
    http_status = 422


class BadEntry(AuditError):
    """An entry of the settlement log is not what it should be (the verifier says why)."""

    code = "audit.bad_entry"
    http_status = 422


class NotInLog(NotFound):
    """Nothing about that claim or statement is in the part of the log a checkpoint covers; if it
    is recent, make a checkpoint first (`kippu audit checkpoint`)."""

    code = "audit.not_in_log"
    http_status = 404
