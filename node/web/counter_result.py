"""The counter's form and its ✗ result: the code and amount kept after a refusal, the shortfall
the confirm step blocks, and the rest paid another way (全額利用と差額) read from the form."""

from __future__ import annotations

from aiohttp import web

from node.errors import (
    CodeAlreadyUsed,
    CodeExpired,
    CodeInvalid,
    InvalidPayload,
    KippuError,
    VoucherNotFound,
)
from node.ledger.model import Voucher
from node.ledger.tender import RestPayment, rest_payment
from node.runtime import Node
from node.web.amounts import typed_yen
from node.web.counter import Counter, staff_page

# Refusals of the code itself: counted by the wrong-code throttle, and not worth typing again.
BAD_CODES = (InvalidPayload, CodeInvalid, CodeExpired, CodeAlreadyUsed, VoucherNotFound)
LAST_PREFIXES = ("rd_", "cl_")


def entry_page(
    request: web.Request,
    node: Node,
    counter: Counter,
    *,
    error: KippuError | None,
    code: str,
    amount: str,
    resumed: str = "",
) -> web.Response:
    """The counter's form, with what was typed kept (after a refusal, an edit or a sign-in);
    `resumed` says what became of the request a sign-in interrupted (counter_resume.py)."""
    last = request.query.get("last", "")
    return staff_page(
        request,
        node,
        counter.session,
        "staff_redeem.html",
        status=error.http_status if error else 200,
        counter=counter,
        error=error,
        code=code,
        amount=amount,
        max_yen=node.config.ledger.max_voucher_yen,
        resumed=resumed,
        last=last if last.startswith(LAST_PREFIXES) else "",
    )


def refused_page(
    request: web.Request,
    node: Node,
    counter: Counter,
    error: KippuError,
    code_text: str,
    total_text: str,
) -> web.Response:
    """The full-screen ✗: why, in the reader's language, that nothing was taken, and やり直す with
    the amount kept (and the code, unless the code itself was refused)."""
    return staff_page(
        request,
        node,
        counter.session,
        "staff_done.html",
        status=error.http_status,
        counter=counter,
        outcome="refused",
        error=error,
        amount=None,
        kept_amount=total_text,
        kept_code="" if isinstance(error, BAD_CODES) else code_text.strip(),
        balance=None,
        receipt_no=None,
        redemption_id="",
        is_repeat=False,
        earlier_at=None,
        masked="",
        rest=None,
    )


def posted_rest(form: dict[str, str]) -> RestPayment | None:
    """The rest paid another way, when the confirm step's 全額利用と差額 sent one."""
    rest_text = form.get("rest", "")[:20]
    if not rest_text.strip():
        return None
    message = "The rest paid another way must be a whole number of yen, at least 1."
    return rest_payment(typed_yen(rest_text, message), form.get("method", "")[:20])


def sale_total_text(form: dict[str, str]) -> str:
    """The whole sale as the clerk keyed it (the voucher's part plus any rest), to keep on a ✗."""
    amount_text = form.get("amount", "")[:20]
    try:
        rest = posted_rest(form)
        return str(typed_yen(amount_text) + (rest.amount_yen if rest else 0))
    except KippuError:
        return amount_text


def shortfall_yen(voucher: Voucher | None, amount_yen: int) -> int:
    """How much the voucher's balance is short of the amount (0 when it covers it, or when the
    voucher is a partner's, whose balance this node does not know)."""
    if voucher is None:
        return 0
    return max(0, amount_yen - voucher.balance_yen)
