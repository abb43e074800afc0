"""What a customer's receipt says, for a redemption at our store or a use at a partner's store."""

from __future__ import annotations

from node.ledger import queries, tender_tables
from node.ledger.model import Redemption, Voucher
from node.ledger.rows import from_epoch
from node.reads import Reader
from node.settlement.model import Claim, ClaimStatus
from node.web.receipt import ReceiptData


async def for_redemption(
    reader: Reader, issuer_name: str, redemption: Redemption, voucher: Voucher
) -> ReceiptData:
    """Our voucher at our store: the balance after is replayed from the voucher's history."""
    history = await queries.voucher_history(reader, voucher.voucher_id)
    balance_after = 0
    for line in history:
        balance_after += line.amount_yen
        if line.txn_id == redemption.txn_id:
            break
    store = await queries.get_store(reader, redemption.store_id)
    rests = await tender_tables.rests_of(reader, [redemption.redemption_id])
    return ReceiptData(
        issuer_name=issuer_name,
        store_name=store.name if store else redemption.store_id,
        receipt_number=redemption.receipt_no,
        redeemed_at=redemption.created_at,
        amount_yen=redemption.amount_yen,
        balance_after_yen=balance_after,
        voucher_number=voucher.voucher_id,
        voided=redemption.voided_at is not None,
        rest=rests.get(redemption.redemption_id),
    )


def for_partner_use(issuer_name: str, partner_name: str, claim: Claim) -> ReceiptData:
    """Our voucher at a partner's store. The partner numbers its own receipts and does not send
    the number, so the claim id both companies keep stands in for it."""
    return ReceiptData(
        issuer_name=issuer_name,
        store_name=f"{claim.store_name} ({partner_name})",
        receipt_number=claim.receipt_no or claim.claim_id,
        redeemed_at=from_epoch(claim.created_at),
        amount_yen=claim.amount_yen,
        balance_after_yen=claim.balance_after or 0,
        voucher_number=claim.voucher_id,
        voided=claim.status == ClaimStatus.VOIDED,
    )
