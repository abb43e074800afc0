"""Pure rules for a voucher's recorded changes: suspend (利用停止, a lost phone), resume, extend.

None of them moves value, so none makes a journal entry: a suspension only stops the voucher
being spent, gifted or shown as a code until it is resumed, and an extension only moves the
expiry later. Each returns the voucher's new terms and the change to append to the log."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from node.errors import (
    ExpiryNotLater,
    VoucherExpired,
    VoucherNotActive,
    VoucherNotSuspended,
    VoucherSuspended,
)
from node.ledger.model import Voucher, VoucherStatus

# A spent-out voucher may still get value back (a void), so it can be held too; an expired or
# void one never can.
HOLDABLE = frozenset({VoucherStatus.ACTIVE, VoucherStatus.EXHAUSTED})


class ChangeKind(StrEnum):
    SUSPEND = "suspend"
    RESUME = "resume"
    EXTEND = "extend"


@dataclass(frozen=True)
class VoucherChange:
    """One line of the append-only voucher_changes log: what changed, who did it and why."""

    change_id: str
    voucher_id: str
    kind: ChangeKind
    reason: str
    actor: str
    created_at: datetime
    expires_before: datetime | None = None
    expires_after: datetime | None = None


@dataclass(frozen=True)
class ChangeRequest:
    """What an admin asks: the reason is required for every change; ids and `now` passed in."""

    voucher_id: str
    reason: str
    actor: str
    change_id: str


def _require_holdable(voucher: Voucher, now: datetime) -> None:
    """Every change needs a voucher that can still hold value. One at or past its expiry is
    expired whether or not the sweep has marked it yet (the same answer before and after): its
    remainder is breakage, so no change (an extension included) brings it back."""
    if voucher.status == VoucherStatus.EXPIRED or (
        voucher.status in HOLDABLE and voucher.is_expired_at(now)
    ):
        raise VoucherExpired("The voucher has expired; no change brings it back.")
    if voucher.status not in HOLDABLE:
        raise VoucherNotActive(status=str(voucher.status))


def suspend(
    voucher: Voucher, request: ChangeRequest, now: datetime
) -> tuple[Voucher, VoucherChange]:
    _require_holdable(voucher, now)
    if voucher.suspended_at is not None:
        raise VoucherSuspended("The voucher is already suspended.")
    change = VoucherChange(
        request.change_id,
        voucher.voucher_id,
        ChangeKind.SUSPEND,
        request.reason,
        request.actor,
        now,
    )
    return replace(voucher, suspended_at=now), change


def resume(
    voucher: Voucher, request: ChangeRequest, now: datetime
) -> tuple[Voucher, VoucherChange]:
    _require_holdable(voucher, now)
    if voucher.suspended_at is None:
        raise VoucherNotSuspended()
    change = VoucherChange(
        request.change_id, voucher.voucher_id, ChangeKind.RESUME, request.reason, request.actor, now
    )
    return replace(voucher, suspended_at=None), change


def extend(
    voucher: Voucher, request: ChangeRequest, new_expiry: datetime, now: datetime
) -> tuple[Voucher, VoucherChange]:
    """Move the expiry to `new_expiry`: later than the current one and than now, never away; only
    while the voucher has not expired (see _require_holdable)."""
    _require_holdable(voucher, now)
    if voucher.expires_at is None:
        raise ExpiryNotLater("The voucher has no expiry; there is nothing to extend.")
    if new_expiry <= voucher.expires_at or new_expiry <= now:
        raise ExpiryNotLater()
    change = VoucherChange(
        request.change_id,
        voucher.voucher_id,
        ChangeKind.EXTEND,
        request.reason,
        request.actor,
        now,
        expires_before=voucher.expires_at,
        expires_after=new_expiry,
    )
    return replace(voucher, expires_at=new_expiry), change
