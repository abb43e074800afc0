"""The customer's receipts (領収書): a page that states the use and asks for the 宛名, then the PDF.

The 宛名 the customer types is kept in a cookie on their device (never in the database), so the
form is filled in for them next time: sealed by the node (sealed_cookie.py) with the account it
belongs to, so it is filled in only for that account, and cleared when they sign out (signin.py).
The form is a POST: the 宛名 never sits in a URL (access logs, the browser's history).
"""

from __future__ import annotations

import asyncio
import dataclasses

from aiohttp import web

from node.errors import VoucherNotFound
from node.ledger import queries
from node.runtime import Node
from node.settlement import queries as settlement_queries
from node.web import receipt_data
from node.web.guard import is_secure, read_form, requires
from node.web.legal import legal_display
from node.web.model import Role, Session
from node.web.pdf_fonts import find_font
from node.web.receipt import HONORIFICS, ReceiptData, render_receipt
from node.web.receipt_data import Letterhead
from node.web.sealed_cookie import seal, unseal
from node.web.wallet_pages import customer_of, page

ADDRESSEE_COOKIE = "kippu_receipt_to"
ADDRESSEE_PATH = "/wallet/receipts"
ADDRESSEE_PURPOSE = "receipt addressee"
MAX_ADDRESSEE = 60
COOKIE_DAYS = 400  # browsers keep a cookie at most 400 days


@dataclasses.dataclass(frozen=True)
class Addressee:
    name: str = ""
    honorific: str = "様"


async def _receipt(node: Node, session: Session, ref: str) -> ReceiptData:
    """The receipt of the customer's own redemption or partner use `ref`, with the legal
    display's compact block; else not found."""
    data = await _receipt_facts(node, session, ref)
    legal = receipt_data.legal_note(await legal_display(node))
    return dataclasses.replace(data, legal=legal)


async def _receipt_facts(node: Node, session: Session, ref: str) -> ReceiptData:
    reader = node.require_reader()
    letterhead = Letterhead.from_config(node.config)
    customer_id = customer_of(session)
    redemption = await queries.get_redemption(reader, ref)
    if redemption is not None:
        voucher = await queries.get_voucher(reader, redemption.voucher_id)
        if voucher is None or voucher.holder_id != customer_id:
            raise VoucherNotFound("No such receipt.")  # another's receipt is simply not there
        return await receipt_data.for_redemption(reader, letterhead, redemption, voucher)
    claim = await settlement_queries.partner_use_of_holder(reader, ref, customer_id)
    if claim is None:
        raise VoucherNotFound("No such receipt.")
    partner = (await settlement_queries.peer_names(reader)).get(claim.peer, claim.peer[:8])
    return receipt_data.for_partner_use(letterhead, partner, claim)


def _remembered(request: web.Request, node: Node, session: Session) -> Addressee:
    """The 宛名 this account chose last time on this device; none for another account's."""
    kept = unseal(node, ADDRESSEE_PURPOSE, request.cookies.get(ADDRESSEE_COOKIE, ""))
    if kept is None or kept.get("account") != session.account.account_id:
        return Addressee()
    name, honorific = kept.get("name", ""), kept.get("title", "")
    if honorific not in HONORIFICS or len(name) > MAX_ADDRESSEE or not name.isprintable():
        return Addressee()
    return Addressee(name, honorific)


def _typed(form: dict[str, str]) -> tuple[Addressee, bool]:
    """The 宛名 the form posted, and whether it is acceptable."""
    name = " ".join(form.get("to", "").split())
    honorific = form.get("title", "様")
    is_ok = len(name) <= MAX_ADDRESSEE and name.isprintable() and honorific in HONORIFICS
    return Addressee(
        name[: MAX_ADDRESSEE * 2], honorific if honorific in HONORIFICS else "様"
    ), is_ok


RECEIPT_PAGE = "wallet_receipt.html"


@requires(Role.CUSTOMER)
async def receipt_page(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """What the receipt will say, the 宛名 form and the download button."""
    ref = request.match_info["ref"]
    data = await _receipt(node, session, ref)
    to = _remembered(request, node, session)
    return await page(request, node, session, RECEIPT_PAGE, data=data, ref=ref, to=to, bad=False)


@requires(Role.CUSTOMER)
async def receipt_pdf(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """The receipt PDF, addressed with the 宛名 this account chose last time on this device."""
    ref = request.match_info["ref"]
    data = await _receipt(node, session, ref)
    return await _pdf(node, data, _remembered(request, node, session))


@requires(Role.CUSTOMER)
async def addressed_pdf(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """The receipt PDF, addressed as the form asked; the 宛名 is remembered for next time."""
    ref = request.match_info["ref"]
    data = await _receipt(node, session, ref)
    to, is_ok = _typed(await read_form(request))
    if not is_ok:
        return await page(
            request, node, session, RECEIPT_PAGE, 422, data=data, ref=ref, to=to, bad=True
        )
    response = await _pdf(node, data, to)
    remembered = {"account": session.account.account_id, "name": to.name, "title": to.honorific}
    response.set_cookie(
        ADDRESSEE_COOKIE,
        seal(node, ADDRESSEE_PURPOSE, remembered),
        max_age=COOKIE_DAYS * 86_400,
        path=ADDRESSEE_PATH,
        httponly=True,
        secure=is_secure(node),
        samesite="Lax",
    )
    return response


async def _pdf(node: Node, data: ReceiptData, to: Addressee) -> web.Response:
    data = dataclasses.replace(data, addressee=to.name, honorific=to.honorific)
    font = find_font(node.config.web.receipt_font)
    pdf = await asyncio.to_thread(render_receipt, data, node.config.zone, font)
    return web.Response(
        body=pdf,
        content_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="receipt-{_file_part(data.receipt_number)}.pdf"',
            "Cache-Control": "no-store",
        },
    )


def forget_addressee(response: web.StreamResponse) -> None:
    """At sign-out: the next person on this device is not offered this one's 宛名."""
    response.del_cookie(ADDRESSEE_COOKIE, path=ADDRESSEE_PATH)


def _file_part(text: str) -> str:
    """Only letters, digits, - and _ in a download's file name (a partner chose claim ids)."""
    return "".join(c for c in text if c.isascii() and (c.isalnum() or c in "-_"))[:64] or "receipt"


def routes() -> list[web.RouteDef]:
    return [
        web.get("/wallet/receipts/{ref}.pdf", receipt_pdf),  # before the page: it matches .pdf too
        web.post("/wallet/receipts/{ref}.pdf", addressed_pdf),
        web.get("/wallet/receipts/{ref}", receipt_page),
    ]
