"""A customer's own data (個人情報保護法: 保有個人データの開示): everything the node keeps about
them, as one JSON document, for head office to hand over (the admin API) or for the customer to
download from the wallet. The card's secret and voucher secrets are never in it: they are keys,
not information about the person."""

from __future__ import annotations

from typing import Any

from node.clock import iso
from node.crm import mail_queries, queries
from node.crm.profiles import profile_fields
from node.errors import CustomerNotFound
from node.ledger import queries as ledger_queries
from node.points import queries as points_queries
from node.runtime import Node


async def customer_data(node: Node, customer_id: str) -> dict[str, Any]:
    db = node.require_reader()
    customer = await ledger_queries.get_customer(db, customer_id)
    if customer is None:
        raise CustomerNotFound()
    now = node.clock.now()
    profile = await queries.profile(db, customer_id)
    member = await points_queries.member(db, customer_id)
    balance = await points_queries.balance(db, customer_id, now)
    vouchers = await ledger_queries.list_vouchers(db, customer_id)
    consents = await queries.consent_history(db, customer_id)
    mails = await mail_queries.mails_to(db, customer_id)
    return {
        "exported_at": iso(now),
        "customer": {
            "customer_id": customer.customer_id,
            "name": customer.name,
            "email": customer.email,
            "registered_at": iso(customer.created_at),
        },
        "profile": profile_fields(profile),
        "consents": [
            {
                "marketing": e.is_granted,
                "address": e.address,
                "method": str(e.method),
                "wording": e.wording,
                "recorded_at": iso(e.recorded_at),
            }
            for e in consents
        ],
        "vouchers": [
            {
                "voucher_id": v.voucher_id,
                "face_yen": v.face_yen,
                "price_yen": v.price_yen,
                "balance_yen": v.balance_yen,
                "status": str(v.status),
                "bought_at": iso(v.created_at),
                "expires_at": None if v.expires_at is None else iso(v.expires_at),
            }
            for v in vouchers
        ],
        "points": {
            "member_no": None if member is None else member.member_no,
            "points": balance.points,
        },
        "mail": [
            {"subject": subject, "status": status, "at": iso(at)} for subject, status, at in mails
        ],
    }
