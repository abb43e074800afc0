"""The console's records: vouchers (and their actions), customers (and their profiles) and the
CSV exports."""

from __future__ import annotations

from aiohttp import web

from node.web.admin import (
    customer_profile,
    customers,
    exports,
    refunds,
    sales_export,
    voucher_actions,
    voucher_sales,
    vouchers,
)


def routes() -> list[web.RouteDef]:
    return [
        *vouchers.routes(),
        *voucher_sales.routes(),
        *voucher_actions.routes(),
        *refunds.routes(),
        *customers.routes(),
        *customer_profile.routes(),
        *exports.routes(),
        *sales_export.routes(),
    ]
