"""What a customer's receipt says, for a redemption at our store or a use at a partner's store."""

from __future__ import annotations

from dataclasses import dataclass

from node.compliance.display import LegalDisplay
from node.config import Config
from node.ledger import queries, tender_tables
from node.ledger.model import Redemption, Voucher
from node.ledger.rows import from_epoch
from node.reads import Reader
from node.settlement.model import Claim, ClaimStatus
from node.web.receipt import IssuerFacts, LegalNote, ReceiptData


@dataclass(frozen=True)
class Letterhead:
    """The issuer's side of every receipt, from config.toml ([receipts] and [brand])."""

    issuer_name: str
    brand_name: str
    proviso: str
    facts: IssuerFacts
    logo_png: bytes = b""

    @classmethod
    def from_config(cls, config: Config) -> Letterhead:
        receipts = config.receipts
        return cls(
            issuer_name=receipts.issuer_name or config.node.name,
            brand_name=config.brand.name,
            proviso=receipts.proviso,
            logo_png=config.brand.logo if config.brand.logo_type == "image/png" else b"",
            facts=IssuerFacts(
                receipts.address,
                receipts.phone,
                receipts.registration_number,
                receipts.tax_rate_percent,
            ),
        )


async def for_redemption(
    reader: Reader, letterhead: Letterhead, redemption: Redemption, voucher: Voucher
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
        issuer_name=letterhead.issuer_name,
        store_name=store.name if store else redemption.store_id,
        receipt_number=redemption.receipt_no,
        redeemed_at=redemption.created_at,
        amount_yen=redemption.amount_yen,
        balance_after_yen=balance_after,
        voucher_number=voucher.voucher_id,
        voided=redemption.voided_at is not None,
        proviso=letterhead.proviso,
        brand_name=letterhead.brand_name,
        issuer=letterhead.facts,
        logo_png=letterhead.logo_png,
        rest=rests.get(redemption.redemption_id),
    )


def for_partner_use(letterhead: Letterhead, partner_name: str, claim: Claim) -> ReceiptData:
    """Our voucher at a partner's store. The partner numbers its own receipts and does not send
    the number, so the claim id both companies keep stands in for it."""
    return ReceiptData(
        issuer_name=letterhead.issuer_name,
        store_name=f"{claim.store_name} ({partner_name})",
        receipt_number=claim.receipt_no or claim.claim_id,
        redeemed_at=from_epoch(claim.created_at),
        amount_yen=claim.amount_yen,
        balance_after_yen=claim.balance_after or 0,
        voucher_number=claim.voucher_id,
        voided=claim.status == ClaimStatus.VOIDED,
        proviso=letterhead.proviso,
        brand_name=letterhead.brand_name,
        issuer=letterhead.facts,
        logo_png=letterhead.logo_png,
        partner_name=partner_name,
    )


def legal_note(legal: LegalDisplay) -> LegalNote:
    """The receipt's compact block of the legal display: our stores, then each partner's."""
    partners = [
        f"{name} ({'、'.join(stores)})" if stores else name
        for name, stores in legal.places.partners
    ]
    places = "、".join(legal.places.own_stores)
    if partners:
        places = f"{places} / 提携先: {'、'.join(partners)}".lstrip(" /")
    return LegalNote(legal.issuer_name, legal.complaint_desk, places, legal.terms_url)
