"""Migration 0048_crm_spend_change_indexes: the analytics' day snapshot brought up to date
(issue 19, node/crm/spend_snapshot.py) reads what changed since the snapshot's day by time:
payments made, purchases returned, vouchers handed over, redemptions voided, rests paid. These
indexes let each of those reads find a day's rows without reading the whole table.

`point_purchases_returned` is partial (only returned purchases are in it): most purchases are
never returned.
"""

from __future__ import annotations

import sqlite3

from node.db import run_script

SQL = """
        CREATE INDEX point_purchases_returned ON point_purchases(returned_at)
            WHERE returned_at IS NOT NULL;
        CREATE INDEX voucher_handovers_time ON voucher_handovers(handed_over_at);
        CREATE INDEX redemption_voids_time ON redemption_voids(voided_at);
        CREATE INDEX rest_payments_time ON rest_payments(created_at);
"""


def apply(conn: sqlite3.Connection) -> None:
    run_script(conn, SQL)
