"""Migration 0047_crm_mail_offers: a coupon offered with a campaign mail (issue 19).

- `mail_offers`: the offer a mail carries, if any: the coupon's face in yen, the last moment it
  can be used, and the store group it is limited to (`mail:<mail_id>`, the ledger's
  `store_groups`, joined by the chosen stores), or NULL for every store of the company.
- `mail_offer_coupons`: the coupon each recipient was given (a voucher of the ledger, issued
  once per recipient, just before their message is sent). Append-only.
"""

from __future__ import annotations

import sqlite3

from node.db import run_script

SQL = """
        CREATE TABLE mail_offers (
            mail_id TEXT PRIMARY KEY REFERENCES mail_campaigns(mail_id),
            face_yen INTEGER NOT NULL CHECK (face_yen BETWEEN 1 AND 1000000),
            use_until INTEGER NOT NULL,
            store_group TEXT CHECK (store_group IS NULL OR length(store_group) BETWEEN 1 AND 40)
        );

        CREATE TABLE mail_offer_coupons (
            mail_id TEXT NOT NULL REFERENCES mail_offers(mail_id),
            customer_id TEXT NOT NULL REFERENCES customers(customer_id),
            voucher_id TEXT NOT NULL UNIQUE REFERENCES vouchers(voucher_id),
            issued_at INTEGER NOT NULL,
            PRIMARY KEY (mail_id, customer_id)
        );
        CREATE TRIGGER mail_offer_coupons_no_update BEFORE UPDATE ON mail_offer_coupons
        BEGIN SELECT RAISE(ABORT, 'mail_offer_coupons is append-only'); END;
        CREATE TRIGGER mail_offer_coupons_no_delete BEFORE DELETE ON mail_offer_coupons
        BEGIN SELECT RAISE(ABORT, 'mail_offer_coupons is append-only'); END;
"""


def apply(conn: sqlite3.Connection) -> None:
    run_script(conn, SQL)
