"""What head office and a holder do about refunds, shared by the JSON API, the console, the wallet
and the CLI (through the API): refund a voucher (refused unless a 府令 ground is given), announce
an abolition, claim, pay a claim, and the state of it all."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from node.clock import new_id, ordered_id
from node.compliance import refund_operations, refund_queries, refund_rules
from node.compliance.refund_model import Abolition, Refund, RefundClaim, SmallAmountBasis
from node.compliance.refund_operations import RefundIds
from node.errors import InvalidDate, ValidationError, VoucherNotFound
from node.runtime import Node
from node.text import require_printable

MAX_REFERENCE_CHARS = 64
MAX_VOUCHER_DIGITS = 20


def checked_day(text: str, field: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise InvalidDate(field=field) from exc


def checked_reference(text: str) -> str:
    """The payment's reference (a bank transfer's number or note): 1-64 printable characters."""
    reference = text.strip()
    if not reference or len(reference) > MAX_REFERENCE_CHARS:
        raise ValidationError(
            f"Give the payment's reference (`reference`), 1-{MAX_REFERENCE_CHARS} characters.",
            field="reference",
        )
    return require_printable(reference, "reference")


async def require_selling(node: Node) -> None:
    """Refuse a sale (refund.business_abolished) while an abolition is announced or open: every
    way of selling (the admin API's issue, the counter, a card purchase) asks here first, before
    any money is taken; the writer's units check again with refund_operations.require_selling."""
    abolition = await refund_queries.latest_abolition(node.require_reader())
    refund_rules.require_selling(abolition, node.clock.now())


def _ids(node: Node) -> RefundIds:
    now = node.clock.now()
    return RefundIds(ordered_id(now, node.rng, "rf"), ordered_id(now, node.rng, "tx"))


async def refund_voucher(
    node: Node, voucher_id: str, ground_text: str | None, reason_text: str | None, actor: str
) -> Refund:
    """Refused (refund.prohibited) without a 府令 ground; see refund_rules.checked_ground."""
    ground = refund_rules.checked_ground(ground_text)
    reason = refund_rules.checked_reason(ground, reason_text)
    unit = refund_operations.refund_voucher(
        voucher_id, ground, reason, actor, _ids(node), node.clock.now(), node.config.zone
    )
    return await node.require_writer().submit(unit)


async def abolish(node: Node, notice_text: str, until_text: str, actor: str) -> Abolition:
    """Announce the abolition (both dates local, YYYY-MM-DD) and open its claim window."""
    notice = checked_day(notice_text, "notice_date")
    until = checked_day(until_text, "claim_until")
    now = node.clock.now()
    unit = refund_operations.abolish(
        ordered_id(now, node.rng, "ab"), notice, until, actor, now, node.config.zone
    )
    return await node.require_writer().submit(unit)


async def claim_refund(
    node: Node, voucher_id: str, customer_id: str, fields: dict[str, str]
) -> RefundClaim:
    """A holder's claim from the wallet, with the bank account typed in the form."""
    account = refund_rules.checked_account(fields)
    now = node.clock.now()
    unit = refund_operations.claim(
        ordered_id(now, node.rng, "rc"),
        voucher_id,
        customer_id,
        account,
        now,
    )
    return await node.require_writer().submit(unit)


async def record_claim(
    node: Node, voucher_text: str, claimant_text: str, fields: dict[str, str]
) -> RefundClaim:
    """Head office records a claim for a voucher nobody holds, for the bearer who showed it."""
    voucher_id = re.sub(r"[\s-]", "", unicodedata.normalize("NFKC", voucher_text))
    if not voucher_id.isdigit() or len(voucher_id) > MAX_VOUCHER_DIGITS:
        raise VoucherNotFound()
    name = refund_rules.checked_claimant(claimant_text)
    account = refund_rules.checked_account(fields)
    now = node.clock.now()
    claimant = refund_operations.Claimant(new_id(node.rng, "cu"), name)
    unit = refund_operations.record_claim(
        ordered_id(now, node.rng, "rc"), voucher_id, claimant, account, now
    )
    return await node.require_writer().submit(unit)


async def pay_claim(node: Node, claim_id: str, reference_text: str, actor: str) -> RefundClaim:
    reference = checked_reference(reference_text)
    unit = refund_operations.pay_claim(
        claim_id, reference, actor, _ids(node), node.clock.now(), node.config.zone
    )
    return await node.require_writer().submit(unit)


@dataclass(frozen=True)
class AbolitionState:
    """The latest abolition (None: never), its claims, and where `now` is in its window."""

    abolition: Abolition | None
    claims: list[RefundClaim]
    now: datetime

    @property
    def is_open(self) -> bool:
        return self.abolition is not None and self.abolition.is_open(self.now)

    @property
    def is_announced(self) -> bool:
        """Recorded but its notice date not come yet."""
        return self.abolition is not None and not self.abolition.has_begun(self.now)

    @property
    def is_closed(self) -> bool:
        return self.abolition is not None and self.abolition.is_closed(self.now)

    @property
    def claimed_yen(self) -> int:
        return sum(c.amount_yen for c in self.claims)

    @property
    def paid_yen(self) -> int:
        return sum(c.amount_yen for c in self.claims if c.is_paid)

    @property
    def unpaid(self) -> list[RefundClaim]:
        return [c for c in self.claims if not c.is_paid]


async def abolition_state(node: Node) -> AbolitionState:
    db = node.require_report_reader()
    abolition = await refund_queries.latest_abolition(db)
    found = [] if abolition is None else await refund_queries.claims(db, abolition.abolition_id)
    return AbolitionState(abolition, found, node.clock.now())


@dataclass(frozen=True)
class RefundOverview:
    """This 基準期間's small-amount basis and limit, and the latest refunds."""

    basis: SmallAmountBasis
    limit_yen: int
    refunds: list[Refund]


async def refund_overview(node: Node) -> RefundOverview:
    db = node.require_report_reader()
    zone = node.config.zone
    period = refund_rules.period_of(node.clock.now().astimezone(zone).date())
    basis = await refund_queries.small_amount_basis(db, period, zone)
    return RefundOverview(
        basis, refund_rules.small_amount_limit(basis), await refund_queries.refunds(db)
    )
