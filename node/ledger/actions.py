"""What an admin does to one voucher, shared by the JSON API and the console: suspend it (a lost
phone), resume it, extend its expiry; each with a required reason, recorded with who did it."""

from __future__ import annotations

from datetime import date

from node.clock import ordered_id
from node.errors import InvalidDate, ValidationError
from node.ledger import change_operations, change_tables
from node.ledger.calendar import end_of_local_day
from node.ledger.changes import ChangeRequest, VoucherChange
from node.runtime import Node
from node.text import require_printable

MAX_REASON_CHARS = 200


def checked_reason(text: str) -> str:
    """The reason as typed (trimmed): 1-200 printable characters."""
    reason = text.strip()
    if not reason or len(reason) > MAX_REASON_CHARS:
        raise ValidationError(
            f"Give a reason (`reason`), 1-{MAX_REASON_CHARS} characters.", field="reason"
        )
    return require_printable(reason, "reason")


def checked_date(text: str) -> date:
    """A calendar date typed as YYYY-MM-DD (the date field of every browser sends that)."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise InvalidDate(field="expires_on") from exc


def _request(node: Node, voucher_id: str, reason: str, actor: str) -> ChangeRequest:
    change_id = ordered_id(node.clock.now(), node.rng, "vc")
    return ChangeRequest(voucher_id, checked_reason(reason), actor, change_id)


async def suspend_voucher(node: Node, voucher_id: str, reason: str, actor: str) -> VoucherChange:
    request = _request(node, voucher_id, reason, actor)
    return await node.require_writer().submit(change_operations.suspend(request, node.clock.now()))


async def resume_voucher(node: Node, voucher_id: str, reason: str, actor: str) -> VoucherChange:
    request = _request(node, voucher_id, reason, actor)
    return await node.require_writer().submit(change_operations.resume(request, node.clock.now()))


async def extend_voucher(
    node: Node, voucher_id: str, through: date, reason: str, actor: str
) -> VoucherChange:
    """Valid through the local day `through` (有効期限: that date inclusive)."""
    request = _request(node, voucher_id, reason, actor)
    new_expiry = end_of_local_day(through, node.config.zone)
    return await node.require_writer().submit(
        change_operations.extend(request, new_expiry, node.clock.now())
    )


async def voucher_changes(node: Node, voucher_id: str) -> list[VoucherChange]:
    return await change_tables.changes_of(node.require_report_reader(), voucher_id)
