"""The legal display (資金決済法13条) a page, the receipt or the shop shows: built live from the
settings, our stores, the active partners' stores and, when given, one voucher or one offer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from node.compliance.acceptance import load_acceptance, load_places
from node.compliance.classification import load_first_issued_at, load_voucher_class, voucher_class
from node.compliance.display import LegalDisplay, VoucherTerms, build_display
from node.compliance.model import VoucherClass, exempt_deadline
from node.ledger.model import Voucher
from node.runtime import Node
from node.web.brand import page_brand


async def voucher_terms(node: Node, voucher: Voucher) -> VoucherTerms:
    """One voucher's 支払可能金額等, 使用期間 and its class now."""
    reader = node.require_reader()
    acceptance = await load_acceptance(reader, node.config.issuer)
    return VoucherTerms(
        amount_yen=voucher.face_yen,
        balance_yen=voucher.balance_yen,
        expires_at=voucher.expires_at,
        voucher_class=await load_voucher_class(reader, voucher, acceptance, node.config.zone),
    )


async def legal_display(
    node: Node, voucher: Voucher | None = None, offer: VoucherTerms | None = None
) -> LegalDisplay:
    """The display for a page: about `voucher` (its page, its receipt), about `offer` (a product
    before purchase: `node.compliance.display.offer_terms`), or about the vouchers in general."""
    terms = await voucher_terms(node, voucher) if voucher is not None else offer
    config = node.config
    return build_display(
        config.issuer,
        node_name=config.node.name,
        brand_name=page_brand(config).name,
        public_url=config.node.public_url,
        places=await load_places(node.require_reader()),
        voucher=terms,
    )


@dataclass(frozen=True)
class ClassFacts:
    """A voucher's class now and what decided it, for the console's voucher page."""

    voucher_class: VoucherClass
    first_issued_at: datetime  # the original issue, followed back across gifts
    exempt_until: datetime  # the latest expiry that would keep it 適用除外
    unrelated_partners: int  # active partners not declared related (0: 自家型 unless exempt)


async def class_facts(node: Node, voucher: Voucher) -> ClassFacts:
    reader, zone = node.require_reader(), node.config.zone
    acceptance = await load_acceptance(reader, node.config.issuer)
    first = await load_first_issued_at(reader, voucher)
    return ClassFacts(
        voucher_class(voucher, first, acceptance, zone),
        first,
        exempt_deadline(first, zone),
        len(acceptance.unrelated_partners),
    )
