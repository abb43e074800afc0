"""What stores, the office and residents do with participating stores, shared by the public
application page, the console, the CLI (through the admin API) and the wallet: apply, approve or
reject, a store's code, the stores residents can pay at, and paying at one. Each takes `Node`.

Mail is the pages' part (node/web): an approval or rejection answers what to write."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from node.campaigns import store_core, store_operations, store_queries
from node.campaigns.store_core import ApplicationInput
from node.campaigns.store_model import ApplicationStatus, StoreApplication
from node.campaigns.store_queries import PayableStore
from node.clock import iso, new_id, ordered_id
from node.errors import InvalidAmount, StoreCodeUnknown, ValidationError
from node.runtime import Node

APPLICATION_PREFIX = "sa"
STORE_PREFIX = "st"
PAY_KEY_BYTES = 18
MAX_PAY_YEN = 10_000_000


def application_answer(a: StoreApplication) -> dict[str, Any]:
    return {
        "application_id": a.application_id,
        "name": a.name,
        "address": a.address,
        "category": a.category.value,
        "wants_local": a.wants_local,
        "email": a.email,
        "bank_code": a.account.bank_code,
        "branch_code": a.account.branch_code,
        "account_type": a.account.account_type.value,
        "account_number": a.account.account_number,
        "holder_kana": a.account.holder_kana,
        "status": a.status.value,
        "reason": a.reason,
        "applied_at": iso(a.applied_at),
        "decided_at": iso(a.decided_at),
        "store_id": a.store_id,
    }


def _fresh_code(node: Node) -> str:
    return store_core.store_code(node.rng.token_bytes(store_core.CODE_BODY))


async def apply(node: Node, sent: ApplicationInput) -> StoreApplication:
    now = node.clock.now()
    application = store_core.checked_application(sent, new_id(node.rng, APPLICATION_PREFIX), now)
    return await node.require_writer().submit(store_operations.submit_application(application))


def checked_status(text: str | None) -> ApplicationStatus | None:
    """An application status named in a query (`pending`, `approved`, `rejected`), or None."""
    if text is None:
        return None
    try:
        return ApplicationStatus(text)
    except ValueError:
        names = ", ".join(s.value for s in ApplicationStatus)
        raise ValidationError(f"`status` must be one of {names}.", field="status") from None


async def applications(node: Node, status: ApplicationStatus | None) -> list[StoreApplication]:
    return await store_queries.applications(node.require_reader(), status.value if status else None)


async def approve(node: Node, application_id: str, actor: str) -> store_operations.Approval:
    """The store made, local when asked, its code given; the caller mails the applicant."""
    now = node.clock.now()
    approval = await node.require_writer().submit(
        store_operations.approve(
            application_id,
            new_id(node.rng, STORE_PREFIX),
            actor,
            now,
            lambda: _fresh_code(node),
        )
    )
    node.share_stores_soon()  # partners learn the new store as they do the console's
    return approval


async def reject(node: Node, application_id: str, reason: str, actor: str) -> StoreApplication:
    checked = store_core.checked_reason(reason)
    return await node.require_writer().submit(
        store_operations.reject(application_id, checked, actor, node.clock.now())
    )


async def store_code(node: Node, store_id: str) -> str:
    """The store's code, given now if it has none (a store added before it took part)."""
    return await node.require_writer().submit(
        store_operations.ensure_code(store_id, node.clock.now(), lambda: _fresh_code(node))
    )


async def payable_stores(node: Node, search: str) -> list[PayableStore]:
    return await store_queries.payable_stores(node.require_reader(), search.strip()[:50])


async def store_of_text(node: Node, text: str) -> PayableStore:
    """The store a typed or scanned code (or a poster's URL) names; StoreCodeUnknown otherwise."""
    code = store_core.parse_store_code(text[:300])
    found = None if code is None else await store_queries.store_of_code(node.require_reader(), code)
    if found is None:
        raise StoreCodeUnknown(field="store_code")
    return found


def new_pay_key(node: Node) -> str:
    """The one-time key of a payment form: its second submit finds the first's payment."""
    return node.rng.token_bytes(PAY_KEY_BYTES).hex()


def checked_pay_key(text: str) -> str:
    if not (len(text) == 2 * PAY_KEY_BYTES and all(c in "0123456789abcdef" for c in text)):
        raise ValidationError("The payment form is damaged; start again.", field="pay_key")
    return text


def checked_amount(text: str) -> int:
    cleaned = text.strip().replace(",", "").removeprefix("¥")
    if not (cleaned.isascii() and cleaned.isdigit()) or not 0 < int(cleaned) <= MAX_PAY_YEN:
        raise InvalidAmount(field="amount")
    return int(cleaned)


@dataclass(frozen=True)
class PayInput:
    customer_id: str
    pay_key: str
    store_code: str
    voucher_id: str
    amount_yen: int


async def pay(node: Node, sent: PayInput) -> store_operations.Paid:
    """One payment at a store from the wallet, in one writer unit (store_operations.pay)."""
    now = node.clock.now()
    request = store_operations.PayRequest(
        pay_key=sent.pay_key,
        customer_id=sent.customer_id,
        store_code=sent.store_code,
        voucher_id=sent.voucher_id,
        amount_yen=sent.amount_yen,
        node_id=node.identity.node_id,
        nonce=node.rng.token_bytes(5),
        redemption_id=ordered_id(now, node.rng, "rd"),
        txn_id=ordered_id(now, node.rng, "tx"),
    )
    return await node.require_writer().submit(store_operations.pay(request, node.settings, now))
