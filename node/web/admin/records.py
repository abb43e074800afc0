"""The console's records: vouchers, customers and the redemptions CSV, one module each."""

from __future__ import annotations

from aiohttp import web

from node.web.admin import customers, exports, voucher_sales, vouchers


def routes() -> list[web.RouteDef]:
    return [
        *vouchers.routes(),
        *voucher_sales.routes(),
        *customers.routes(),
        *exports.routes(),
    ]
