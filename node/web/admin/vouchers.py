"""Console pages for vouchers: search by number, holder, status and store; one voucher's history."""

from __future__ import annotations

import unicodedata

from aiohttp import web

from node.errors import ValidationError, VoucherNotFound
from node.ledger import queries as ledger_queries
from node.ledger import record_queries as ledger_records
from node.ledger import tender_tables
from node.ledger.actions import voucher_changes
from node.ledger.model import VoucherStatus
from node.ledger.numbers import VOUCHER_NUMBER_DIGITS, spaced_number
from node.ledger.qr import MANUAL_CODE_DIGITS
from node.runtime import Node
from node.web.actors import actor_labels
from node.web.admin import record_queries, voucher_sales
from node.web.admin.frame import admin_page
from node.web.counter_staff_tables import staff_of_redemptions
from node.web.guard import requires
from node.web.i18n import translator
from node.web.legal import class_facts
from node.web.model import Role, Session
from node.web.pages import language

SEARCH_LIMIT = 200
FILTER_KEYS = ("number", "holder", "status", "store")
MAX_QUERY_CHARS = 100
# What people put between digits when they read a number out: spaces, hyphens, dashes, ー.
NUMBER_SEPARATORS = frozenset(" -\u2010\u2011\u2012\u2013\u2014\u2212\u30fc")
STATUS_CHOICES = (
    ("", "rc_any_status"),
    (VoucherStatus.ACTIVE.value, "status_active"),
    (VoucherStatus.EXHAUSTED.value, "status_exhausted"),
    (VoucherStatus.EXPIRED.value, "status_expired"),
    (VoucherStatus.VOID.value, "status_void"),
    (ledger_records.GIFT_FILTER, "gifted"),
)


def number_digits(text: str) -> tuple[str, bool]:
    """The digits of a typed voucher number and whether they name one voucher exactly.

    Accepts full-width digits and separators; the 18-digit manual code (number + 6-digit code)
    stands for its voucher. Fewer digits search for a part of the number."""
    normal = unicodedata.normalize("NFKC", text)
    digits = "".join(ch for ch in normal if ch not in NUMBER_SEPARATORS)
    if not digits:
        return "", False
    if not (digits.isascii() and digits.isdigit()) or len(digits) > (
        VOUCHER_NUMBER_DIGITS + MANUAL_CODE_DIGITS
    ):
        raise ValidationError(
            "The voucher number (`number`) must be up to 18 digits; spaces and hyphens are fine.",
            field="number",
        )
    if len(digits) == VOUCHER_NUMBER_DIGITS + MANUAL_CODE_DIGITS:
        return digits[:VOUCHER_NUMBER_DIGITS], True
    return digits, len(digits) == VOUCHER_NUMBER_DIGITS


def query_value(request: web.Request, key: str) -> str:
    value = request.query.get(key, "").strip()
    if len(value) > MAX_QUERY_CHARS:
        raise ValidationError(f"`{key}` is too long.", field=key)
    return value


def read_filters(request: web.Request) -> ledger_records.VoucherFilters:
    number, is_whole = number_digits(query_value(request, "number"))
    status = query_value(request, "status")
    if status not in {value for value, _ in STATUS_CHOICES}:
        raise ValidationError("Choose a status from the list (`status`).", field="status")
    return ledger_records.VoucherFilters(
        number=number,
        is_whole_number=is_whole,
        holder=query_value(request, "holder"),
        status=status,
        store_id=query_value(request, "store"),
    )


@requires(Role.ADMIN)
async def search(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """GET /admin/vouchers: the filters form and the matching vouchers, newest first."""
    reader = node.require_report_reader()
    form = {key: request.query.get(key, "")[:MAX_QUERY_CHARS] for key in FILTER_KEYS}
    error: ValidationError | None = None
    vouchers: list[ledger_records.VoucherSummary] = []
    try:
        vouchers = await ledger_records.search_vouchers(reader, read_filters(request), SEARCH_LIMIT)
    except ValidationError as exc:
        error = exc
    context = {
        "form": form,
        "error": error,
        "vouchers": vouchers[:SEARCH_LIMIT],
        "is_capped": len(vouchers) > SEARCH_LIMIT,
        "limit": SEARCH_LIMIT,
        "stores": await ledger_queries.list_stores(reader),
        "statuses": STATUS_CHOICES,
        "spaced": spaced_number,
    }
    status = 400 if error else 200
    return admin_page(
        request,
        node,
        session,
        "admin_vouchers.html",
        context,
        section="/admin/vouchers",
        status=status,
    )


@requires(Role.ADMIN)
async def detail(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """GET /admin/vouchers/{voucher_id}: terms, holder, gift links, every journal line, the
    actions (suspend, resume, extend) and their log. Also shown again by a refused action."""
    found = await record_queries.voucher_detail(
        node.require_report_reader(), request.match_info["voucher_id"]
    )
    if found is None:
        raise VoucherNotFound()
    changes = await voucher_changes(node, found.voucher.voucher_id)
    references = [e.reference for e in found.history if e.reference]
    context = {
        "detail": found,
        "v": found.voucher,
        "spaced": spaced_number,
        "changes": changes,
        "staff": await staff_of_redemptions(node.require_reader(), references),
        "rests": await tender_tables.rests_of(node.require_reader(), references),
        "today": node.clock.now().astimezone(node.config.zone).date().isoformat(),
        # Past its expiry a voucher cannot be suspended, resumed or extended (node/ledger/changes.py).
        "is_past_expiry": found.voucher.is_expired_at(node.clock.now()),
        "class_facts": await class_facts(node, found.voucher),
    }
    sale_facts = await voucher_sales.sale_context(node, found.voucher)
    recorded = {c.actor for c in changes} | voucher_sales.actors_of(sale_facts["sale"])
    context |= sale_facts
    context["actors"] = await actor_labels(
        node.require_reader(), recorded, translator(language(request))
    )
    return admin_page(
        request, node, session, "admin_voucher.html", context, section="/admin/vouchers"
    )


def routes() -> list[web.RouteDef]:
    return [
        web.get("/admin/vouchers", search),
        web.get("/admin/vouchers/{voucher_id}", detail),
    ]
