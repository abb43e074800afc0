"""A voucher's history as its holder reads it: newest first, one line per event, the amount
signed as people write it (a real minus sign, U+2212, before a spend; + before a credit), with
date and store."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from node.ledger.model import Redemption
from node.ledger.queries import HistoryLine
from node.ledger.rows import from_epoch
from node.settlement.model import Claim

MINUS = "\u2212"  # the minus sign, not the hyphen "-"
# Entries shown by the lines of their redemption or claim (with its receipt) instead.
SHOWN_ELSEWHERE = ("redeem", "void_redemption", "claim", "claim_void")


def signed_yen(amount: int) -> str:
    """Minus sign (U+2212), or plus, then ¥ and the amount: U+2212¥3,000, +¥2,000; ¥0."""
    if amount == 0:
        return "¥0"
    return f"{MINUS if amount < 0 else '+'}¥{abs(amount):,}"


@dataclass(frozen=True)
class Line:
    """One line of the history."""

    at: datetime
    what: str  # a page text key
    place: str | None  # the store, where there is one
    amount_yen: int  # the change to the balance: negative spends
    voided: bool = False
    receipt: str | None = None  # the id of its receipt PDF
    receipt_no: str | None = None
    claim: str | None = None
    order: int = 0  # the position of its entry in the journal, for lines of the same second

    @property
    def amount_text(self) -> str:
        return signed_yen(self.amount_yen)


def _entry_key(line: HistoryLine) -> str:
    if line.kind == "gift":
        return "wl_kind_gift_out" if line.amount_yen < 0 else "wl_kind_gift_in"
    if line.kind == "gift_return":
        return "wl_kind_gift_return"
    return "kind_" + line.kind


def history_lines(
    history: Sequence[HistoryLine],
    redemptions: Sequence[Redemption],
    store_names: dict[str, str],
    partner_uses: Sequence[Claim],
    partner_names: dict[str, str],
) -> list[Line]:
    """Every line of the voucher's history, newest first."""
    position = {h.txn_id: i for i, h in enumerate(history)}
    lines = [
        Line(
            r.created_at,
            "kind_redeem",
            store_names.get(r.store_id, r.store_id),
            -r.amount_yen,
            voided=r.voided_at is not None,
            receipt=r.redemption_id,
            receipt_no=r.receipt_no,
            order=position.get(r.txn_id, 0),
        )
        for r in redemptions
    ]
    lines += [
        Line(
            from_epoch(c.created_at),
            "kind_claim",
            f"{c.store_name} ({partner_names.get(c.peer, c.peer[:8])})",
            -c.amount_yen,
            voided=str(c.status) == "VOIDED",
            receipt=c.claim_id,
            claim=c.claim_id,
            receipt_no=c.receipt_no,
            order=len(history),
        )
        for c in partner_uses
    ]
    lines += [
        Line(h.created_at, _entry_key(h), None, h.amount_yen, order=i)
        for i, h in enumerate(history)
        if h.kind not in SHOWN_ELSEWHERE
    ]
    return sorted(lines, key=lambda line: (line.at, line.order), reverse=True)
