"""The sales CSV (販売明細): every voucher sold in a period, at one store or all, with head
office's own issues; the same period, store and header choices as the redemptions CSV.

GET /admin/exports/sales.csv?store=<store id or empty>&from=YYYY-MM-DD&to=YYYY-MM-DD[&headers=ja]

Columns (exports.SALES_HEADER): local_time, store_id (empty: head office through the admin API),
store_name, voucher_number, face_yen, price_yen (what the customer paid; below face for a premium
voucher), cancelled (yes when the sale was cancelled the same day), staff (the display name of
who sold it at the counter), payment_method (cash, card or other, as the counter recorded it).
Both are empty for a voucher head office issued through the admin API.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from aiohttp import web

from node.ledger.export_queries import CHUNK_ROWS, SaleRow, sales_after
from node.runtime import Node
from node.web.actors import actor_labels
from node.web.admin.exports import (
    BOM,
    SALES_HEADER,
    SALES_HEADER_JA,
    csv_lines,
    exports,
    header_language,
    read_choice,
)
from node.web.admin.form_errors import shown_inline
from node.web.guard import requires
from node.web.i18n import translator
from node.web.model import Role, Session
from node.web.pages import SECURITY_HEADERS, language


def sale_row(row: SaleRow, zone: ZoneInfo, staff: dict[str, str]) -> tuple[object, ...]:
    return (
        datetime.fromtimestamp(row.created_at, zone).strftime("%Y-%m-%d %H:%M:%S"),
        row.store_id or "",
        row.store_name or "",
        row.voucher_id,
        row.face_yen,
        row.price_yen,
        "yes" if row.is_cancelled else "no",
        staff[row.sold_by] if row.sold_by else "",
        row.payment_method or "",
    )


@requires(Role.ADMIN)
@shown_inline("export-form", exports)
async def sales_csv(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """Written chunk by chunk, keyset-paged on (time, voucher number)."""
    choice = await read_choice(request, node)
    header = SALES_HEADER_JA if header_language(request) == "ja" else SALES_HEADER
    t = translator(language(request))
    zone = node.config.zone
    start_s, end_s = choice.bounds(zone)
    filename = choice.filename.replace("redemptions_", "sales_", 1)
    response = web.StreamResponse(
        headers={
            **SECURITY_HEADERS,
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": f'attachment; filename="{filename}"',
        }
    )
    await response.prepare(request)
    await response.write(BOM.encode("utf-8") + csv_lines([header]))
    reader = node.require_report_reader()
    key = (start_s, "")
    while True:
        rows = await sales_after(reader, choice.store_id, end_s, key)
        staff = await actor_labels(reader, {r.sold_by for r in rows if r.sold_by}, t)
        await response.write(csv_lines([sale_row(r, zone, staff) for r in rows]))
        if len(rows) < CHUNK_ROWS:
            break
        key = rows[-1].key
    await response.write_eof()
    return response


def routes() -> list[web.RouteDef]:
    return [web.get("/admin/exports/sales.csv", sales_csv)]
