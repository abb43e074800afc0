"""What every signed-in wallet page shares: the customer of the session, their own vouchers
only, and the page frame with the customer's registered name in the header."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from aiohttp import web

from node.errors import LinkInvalid, VoucherNotFound
from node.ledger import queries, record_queries
from node.ledger.model import Voucher
from node.runtime import Node
from node.web.model import Account, Session
from node.web.pages import render


def customer_of(session: Session) -> str:
    customer_id = session.account.customer_id
    if customer_id is None:  # the schema ties every customer account to a customer
        raise LinkInvalid()
    return customer_id


async def shown_account(node: Node, account: Account) -> Account:
    """The account as the header shows it: a customer by the name the shop registered
    (customers.name, e.g. 山田太郎), not the part of the email their account was named after."""
    if account.customer_id is None:
        return account
    customer = await record_queries.get_customer(node.require_reader(), account.customer_id)
    return account if customer is None else replace(account, display_name=customer.name)


async def page(
    request: web.Request,
    node: Node,
    session: Session,
    template: str,
    status: int = 200,
    **context: Any,
) -> web.Response:
    context.setdefault("account", await shown_account(node, session.account))
    return render(
        request, template, context, zone=node.config.zone, csrf=session.csrf, status=status
    )


async def own_voucher(node: Node, session: Session, voucher_id: str) -> Voucher:
    voucher = await queries.get_voucher(node.require_reader(), voucher_id)
    if voucher is None or voucher.holder_id != customer_of(session):
        raise VoucherNotFound()  # another customer's voucher is simply not there
    return voucher
