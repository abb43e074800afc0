"""Who accepts our vouchers now, and where they can be used: read live through peering's and the
ledger's queries (this module holds no SQL), for the class of each voucher and the display."""

from __future__ import annotations

from node.compliance.display import UsablePlaces
from node.compliance.model import Acceptance
from node.config.model import IssuerConfig
from node.ledger import queries as ledger_queries
from node.peering import queries as peering_queries
from node.peering.partner_stores import active_partner_stores
from node.reads import Reader


async def load_acceptance(reader: Reader, issuer: IssuerConfig) -> Acceptance:
    """The active partners now, and the ones `[issuer] related_partners` declares 密接関係者
    (IssuerConfig.related_ids)."""
    active = await peering_queries.active_peers(reader)
    return Acceptance(
        active_partners=frozenset(peer.node_id for peer in active),
        related_partners=issuer.related_ids,
    )


async def load_places(reader: Reader) -> UsablePlaces:
    """使用できる施設又は場所の範囲 now: our stores, then each active partner's stores."""
    own = await ledger_queries.list_stores(reader)
    partners = await active_partner_stores(reader)
    return UsablePlaces(
        own_stores=tuple(store.name for store in own),
        partners=tuple((name, tuple(stores)) for name, stores in partners),
    )
