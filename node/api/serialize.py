"""JSON shapes of ledger values as the API, the CLI and the docs show them."""

from __future__ import annotations

from typing import Any

from node.clock import iso
from node.ledger.model import Customer, Redemption, Sale, Store, Voucher
from node.ledger.queries import HistoryLine
from node.ledger.tender import RestPayment


def store_json(store: Store) -> dict[str, Any]:
    return {"store_id": store.store_id, "name": store.name, "created_at": iso(store.created_at)}


def customer_json(customer: Customer) -> dict[str, Any]:
    return {
        "customer_id": customer.customer_id,
        "name": customer.name,
        "email": customer.email,
        "created_at": iso(customer.created_at),
    }


def voucher_json(voucher: Voucher) -> dict[str, Any]:
    """Never includes the voucher's secret."""
    return {
        "voucher_id": voucher.voucher_id,
        "face": voucher.face_yen,
        "price": voucher.price_yen,
        "balance": voucher.balance_yen,
        "status": str(voucher.status),
        "holder": voucher.holder_id,
        "store_id": voucher.store_id,
        "created_at": iso(voucher.created_at),
        "expires_at": iso(voucher.expires_at),
        "gifted": voucher.is_gift,
        "gifted_from": voucher.gifted_from,
        "has_given_gift": voucher.has_given_gift,
        "can_gift": not voucher.is_gift and not voucher.has_given_gift,
        "suspended_at": iso(voucher.suspended_at),
    }


def history_json(line: HistoryLine) -> dict[str, Any]:
    return {
        "txn_id": line.txn_id,
        "kind": line.kind,
        "at": iso(line.created_at),
        "amount": line.amount_yen,
    }


def redemption_json(
    redemption: Redemption, balance_after: int | None = None, rest: RestPayment | None = None
) -> dict[str, Any]:
    """A redemption; `rest` is what the customer paid otherwise beside it (null if nothing)."""
    body: dict[str, Any] = {
        "redemption_id": redemption.redemption_id,
        "voucher_id": redemption.voucher_id,
        "store_id": redemption.store_id,
        "amount": redemption.amount_yen,
        "receipt_no": redemption.receipt_no,
        "created_at": iso(redemption.created_at),
        "voided": redemption.voided_at is not None,
        "voided_at": iso(redemption.voided_at),
        "rest": None if rest is None else {"amount": rest.amount_yen, "method": rest.method.value},
    }
    if balance_after is not None:
        body["balance_after"] = balance_after
    return body


def sale_json(sale: Sale, voucher: Voucher) -> dict[str, Any]:
    """A counter sale, its cancel if any, and its voucher as it is now."""
    return {
        "voucher_id": sale.voucher_id,
        "store_id": sale.store_id,
        "face": sale.face_yen,
        "price": sale.price_yen,
        "payment_method": str(sale.payment_method),
        "sold_by": sale.sold_by,
        "sold_at": iso(sale.created_at),
        "cancelled": sale.is_cancelled,
        "cancelled_at": iso(sale.cancelled_at),
        "cancelled_by": sale.cancelled_by,
        "voucher": voucher_json(voucher),
    }
