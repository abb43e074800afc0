"""What a new voucher is made with, drawn from the node's randomness: its number (12 digits with
a check digit, node/ledger/numbers.py), its 32-byte secret and its journal entry's ordered id.

One place for every seller (the counter, the admin API, gifts, products, the online shop), so a
voucher is made the same way wherever it is sold. Not pure: it draws randomness (passed in).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from node.clock import Randomness, ordered_id
from node.ledger.numbers import voucher_number_from

SECRET_BYTES = 32


@dataclass(frozen=True)
class NewVoucher:
    """The number, secret and issue entry id of a voucher about to be made."""

    voucher_id: str
    secret: bytes
    txn_id: str


def fresh_number(rng: Randomness) -> str:
    """A new random voucher number (the ledger draws another if it is taken)."""
    return voucher_number_from(rng.token_bytes(8))


def new_voucher(rng: Randomness, now: datetime) -> NewVoucher:
    return NewVoucher(fresh_number(rng), rng.token_bytes(SECRET_BYTES), ordered_id(now, rng, "tx"))
