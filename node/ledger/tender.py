"""The rest of a sale paid another way (全額利用と差額): how it was paid and its record. No I/O.

When a voucher's balance is lower than the sale, the counter uses the whole balance and the
customer pays the rest in cash, on the card terminal or otherwise. Only the voucher's part is a
redemption in the journal; the rest is a record of what the store took otherwise (table
`rest_payments`, one row per redemption), never a posting: no ledger account holds it.
"""

from __future__ import annotations

from dataclasses import dataclass

from node.errors import InvalidAmount, ValidationError
from node.ledger.model import PaymentMethod


@dataclass(frozen=True)
class RestPayment:
    """What the customer paid otherwise, beside a redemption's voucher part."""

    amount_yen: int
    method: PaymentMethod


def rest_payment(amount_yen: int, method: str) -> RestPayment:
    """A rest of at least 1 yen paid by a known method; ValidationError otherwise."""
    if amount_yen < 1:
        raise InvalidAmount("The rest paid another way must be at least 1 yen.", field="rest")
    try:
        paid_by = PaymentMethod(method)
    except ValueError:
        raise ValidationError(
            "The rest's method must be cash, card or other.", field="method"
        ) from None
    return RestPayment(amount_yen, paid_by)
