"""The redemptions CSV (利用明細): every redemption at our stores in a period, streamed in chunks.

GET /admin/exports/redemptions.csv?store=<store id or empty for all>&from=YYYY-MM-DD&to=YYYY-MM-DD
    [&headers=ja]  (the header row in Japanese, for people; the default English names are stable)

Dates are local dates in the node's time zone (config `node.timezone`); `to` is inclusive; a
period spans at most 366 days. The file is UTF-8 with a byte-order mark (so Excel in Japanese
opens it as UTF-8), CRLF line ends, one header row in English that machines may rely on:

    local_time         YYYY-MM-DD HH:MM:SS in the node's zone, when the store took the voucher
    store_id           our store
    store_name         its name now
    redemption_id      rd_... for our own vouchers, the claim id (cl_...) for a partner's
    voucher_number     the voucher's 12-digit number
    issuer             who issued the voucher: our own name, or the partner's name
    amount_yen         the amount redeemed, in yen
    balance_after_yen  the voucher's balance right after it (empty when the issuer did not say)
    voided             yes or no
    receipt_no         the receipt number (ours; for a partner's voucher, the one its issuer gave)
    staff              the display name of the staff member who took it at our counter (empty
                       when not recorded: through the admin API, a partner's voucher, or before
                       migration 0017)
    rest_yen           what the customer paid another way when the voucher did not cover the
                       whole bill (split tender; empty when the voucher paid it all)
    rest_method        how that rest was paid: cash, card or other (empty with rest_yen)

Rows come store by store (in the order the stores were added), each store's in time order (ties
by redemption_id), our vouchers and partners' interleaved. A partner's voucher is listed once its issuer
accepted it, whatever happened next; a claim still waiting for the issuer or rejected is not.
Cells that start with = + - @ (or a tab or carriage return), or with any character that Unicode
compatibility (NFKC) folds to one of them (the full-width forms U+FF1D U+FF0B U+FF0D U+FF20 that
a Japanese IME types, which Excel in Japanese also runs as a formula, and the small forms U+FE66
U+FE62 U+FE63 U+FE6B), get a leading ' so a
spreadsheet shows them as text and never runs them as a formula: store and partner names come
from people.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from aiohttp import web

from node.errors import ValidationError
from node.ledger import queries as ledger_queries
from node.ledger import tender_tables
from node.ledger.tender import RestPayment
from node.reads import Reader
from node.runtime import Node
from node.web.admin import export_queries
from node.web.admin.form_errors import shown_inline
from node.web.admin.frame import admin_page
from node.web.counter_staff_tables import staff_of_redemptions
from node.web.guard import requires
from node.web.model import Role, Session
from node.web.pages import SECURITY_HEADERS

HEADER = (
    "local_time",
    "store_id",
    "store_name",
    "redemption_id",
    "voucher_number",
    "issuer",
    "amount_yen",
    "balance_after_yen",
    "voided",
    "receipt_no",
    "staff",
    "rest_yen",
    "rest_method",
)
HEADER_JA = (
    "利用日時",
    "店舗ID",
    "店舗名",
    "利用ID",
    "商品券番号",
    "発行元",
    "利用金額(円)",
    "利用後残高(円)",
    "取消",
    "レシート番号",
    "担当スタッフ",
    "差額(円)",
    "差額の支払方法",
)
HEADER_LANGUAGES = ("", "en", "ja")
# The sales CSV (node/web/admin/sales_export.py).
SALES_HEADER = (
    "local_time",
    "store_id",
    "store_name",
    "voucher_number",
    "face_yen",
    "price_yen",
    "cancelled",
    "staff",
    "payment_method",
)
SALES_HEADER_JA = (
    "販売日時",
    "店舗ID",
    "店舗名",
    "商品券番号",
    "額面(円)",
    "販売価格(円)",
    "取消",
    "担当スタッフ",
    "支払方法",
)
BOM = "\ufeff"
MAX_DAYS = 366
WRITE_ROWS = 500  # rows per write to the client
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
MAX_STORE_CHARS = 64


@dataclass(frozen=True)
class ExportChoice:
    """What to export: one store ("" for all of ours) and local dates, both inclusive."""

    store_id: str
    first: date
    last: date

    def bounds(self, zone: ZoneInfo) -> tuple[int, int]:
        """[start, end) in epoch seconds: local midnight of `first` to the midnight after `last`."""
        start = datetime.combine(self.first, time.min, zone)
        end = datetime.combine(self.last + timedelta(days=1), time.min, zone)
        return int(start.timestamp()), int(end.timestamp())

    @property
    def filename(self) -> str:
        return f"redemptions_{self.store_id or 'all'}_{self.first}_{self.last}.csv"


def local_date(value: str, field: str) -> date:
    if not ISO_DATE.fullmatch(value):
        raise ValidationError(f"`{field}` must be a date written YYYY-MM-DD.", field=field)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError(f"`{field}` is not a real date.", field=field) from None


def period(first_text: str, last_text: str) -> tuple[date, date]:
    first, last = local_date(first_text, "from"), local_date(last_text, "to")
    if first > last:
        raise ValidationError("`from` must not be after `to`.", field="from")
    if (last - first).days + 1 > MAX_DAYS:
        raise ValidationError(
            f"`to` must be at most {MAX_DAYS} days from `from`.", field="to", max_days=MAX_DAYS
        )
    return first, last


async def read_choice(request: web.Request, node: Node) -> ExportChoice:
    store_id = request.query.get("store", "")
    if store_id and (
        len(store_id) > MAX_STORE_CHARS
        or await ledger_queries.get_store(node.require_report_reader(), store_id) is None
    ):
        raise ValidationError(
            "`store` must be one of our stores, or empty for all of them.", field="store"
        )
    first, last = period(request.query.get("from", ""), request.query.get("to", ""))
    return ExportChoice(store_id, first, last)


def neutral(cell: str) -> str:
    """A text cell a spreadsheet shows as text: never a formula (CSV injection)."""
    first = unicodedata.normalize("NFKC", cell[:1])  # full-width = (U+FF1D) -> =
    return "'" + cell if first.startswith(FORMULA_STARTS) else cell


def csv_lines(rows: Sequence[Sequence[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([neutral(c) if isinstance(c, str) else c for c in row])
    return buffer.getvalue().encode("utf-8")


def csv_response(filename: str, body: bytes) -> web.Response:
    """A small CSV download, whole: UTF-8 with the byte-order mark, as every console CSV. The
    name must be ASCII (ids and dates): it goes in the header as it is."""
    return web.Response(
        body=BOM.encode("utf-8") + body,
        headers={
            **SECURITY_HEADERS,
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": f'attachment; filename="{filename}"',
        },
    )


def header_language(request: web.Request) -> str:
    """`headers=ja` asks for the header row in Japanese; empty or `en`: the stable English names."""
    value = request.query.get("headers", "")
    if value not in HEADER_LANGUAGES:
        raise ValidationError("`headers` must be ja or en.", field="headers")
    return value or "en"


def csv_row(
    row: export_queries.ExportRow,
    zone: ZoneInfo,
    our_name: str,
    staff: str = "",
    rest: RestPayment | None = None,
) -> tuple[object, ...]:
    return (
        datetime.fromtimestamp(row.created_at, zone).strftime("%Y-%m-%d %H:%M:%S"),
        row.store_id,
        row.store_name,
        row.reference,
        row.voucher_id,
        our_name if row.issuer is None else row.issuer,
        row.amount_yen,
        "" if row.balance_after_yen is None else row.balance_after_yen,
        "yes" if row.is_voided else "no",
        row.receipt_no or "",
        staff,
        "" if rest is None else rest.amount_yen,
        "" if rest is None else rest.method.value,
    )


async def store_ids(reader: Reader) -> list[str]:
    return [s.store_id for s in await ledger_queries.list_stores(reader)]


@requires(Role.ADMIN)
async def exports(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """GET /admin/exports: choose a store, a period and the header language; one button
    downloads the redemptions CSV, the other the sales CSV. A refused choice comes back here."""
    today = node.clock.now().astimezone(node.config.zone).date()
    month_start = today.replace(day=1)
    last_month_end = month_start - timedelta(days=1)
    context = {
        "stores": await ledger_queries.list_stores(node.require_report_reader()),
        "today": today.isoformat(),
        "month_start": month_start.isoformat(),
        "last_month": (last_month_end.replace(day=1).isoformat(), last_month_end.isoformat()),
        "zone": node.config.node.timezone,
        "max_days": MAX_DAYS,
        "columns": HEADER,
        "columns_ja": HEADER_JA,
        "sales_columns": SALES_HEADER,
    }
    return admin_page(
        request, node, session, "admin_exports.html", context, section="/admin/exports"
    )


@requires(Role.ADMIN)
@shown_inline("export-form", exports)
async def redemptions_csv(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """The CSV, written chunk by chunk: a year of redemptions never sits in memory at once."""
    choice = await read_choice(request, node)  # refused before anything is sent
    header = HEADER_JA if header_language(request) == "ja" else HEADER
    zone, our_name = node.config.zone, node.config.node.name
    start_s, end_s = choice.bounds(zone)
    response = web.StreamResponse(
        headers={
            **SECURITY_HEADERS,
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": f'attachment; filename="{choice.filename}"',
        }
    )
    await response.prepare(request)
    await response.write(BOM.encode("utf-8") + csv_lines([header]))
    reader = node.require_report_reader()
    stores = [choice.store_id] if choice.store_id else await store_ids(reader)
    batch: list[export_queries.ExportRow] = []
    for store_id in stores:
        async for row in export_queries.store_redemptions(reader, store_id, start_s, end_s):
            batch.append(row)
            if len(batch) >= WRITE_ROWS:
                await response.write(await _lines(node, batch, zone, our_name))
                batch = []
    await response.write(await _lines(node, batch, zone, our_name))
    await response.write_eof()
    return response


async def _lines(
    node: Node, rows: list[export_queries.ExportRow], zone: ZoneInfo, our_name: str
) -> bytes:
    """The rows as CSV, each with the staff member who took it and the rest paid another way
    (one lookup each per batch)."""
    refs = [r.reference for r in rows]
    staff = await staff_of_redemptions(node.require_reader(), refs)
    rests = await tender_tables.rests_of(node.require_reader(), refs)
    return csv_lines(
        [
            csv_row(r, zone, our_name, staff.get(r.reference, ""), rests.get(r.reference))
            for r in rows
        ]
    )


def routes() -> list[web.RouteDef]:
    return [
        web.get("/admin/exports", exports),
        web.get("/admin/exports/redemptions.csv", redemptions_csv),
    ]
