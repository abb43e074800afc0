"""Migration 0022_compliance_refunds, released: frozen. Never edit it; a change is a new migration.

The refund ban of the Payment Services Act (資金決済法20条) and its exceptions (issue 16):
- `refund_abolitions`: a business abolition (廃止) announced by public notice: the notice date
  and the last day of the claim period (both local dates, at least 60 days apart), the window as
  epoch seconds (from the notice date's local midnight to the midnight after the last day), who
  declared it and when. Append-only.
- `refund_claims`: a holder's refund claim (払戻し請求) on one voucher inside a window, with how
  to pay it (a bank account as text). At most one per voucher. Append-only: its payment is the
  `refunds` row that names it.
- `refunds`: every balance paid back: its ground (`abolition`: a claim paid; `small_amount`: the
  府令's small-amount exception, counted per 基準期間 `period_start`; `unavoidable`: moving where
  the vouchers cannot be used, leaving Japan, with the reason), the amount, the ledger's `refund`
  journal entry (`txn_id`), the payment reference, who and when. At most one per voucher (it is
  void after). Append-only.
"""

from __future__ import annotations

import sqlite3

from node.db import run_script

SQL = """
        CREATE TABLE refund_abolitions (
            abolition_id TEXT PRIMARY KEY,
            notice_date TEXT NOT NULL CHECK (length(notice_date) = 10),
            claim_until TEXT NOT NULL CHECK (length(claim_until) = 10),
            opens_at INTEGER NOT NULL CHECK (typeof(opens_at) = 'integer'),
            closes_at INTEGER NOT NULL CHECK (typeof(closes_at) = 'integer'),
            declared_by TEXT NOT NULL CHECK (length(declared_by) > 0),
            created_at INTEGER NOT NULL,
            CHECK (closes_at > opens_at)
        );
        CREATE INDEX refund_abolitions_closes ON refund_abolitions(closes_at);

        CREATE TABLE refund_claims (
            claim_id TEXT PRIMARY KEY,
            abolition_id TEXT NOT NULL REFERENCES refund_abolitions(abolition_id),
            voucher_id TEXT NOT NULL UNIQUE REFERENCES vouchers(voucher_id),
            customer_id TEXT NOT NULL REFERENCES customers(customer_id),
            amount_yen INTEGER NOT NULL CHECK (typeof(amount_yen) = 'integer' AND amount_yen > 0),
            bank_name TEXT NOT NULL CHECK (length(bank_name) > 0),
            branch_name TEXT NOT NULL CHECK (length(branch_name) > 0),
            account_type TEXT NOT NULL CHECK (account_type IN ('ordinary', 'current', 'savings')),
            account_number TEXT NOT NULL CHECK (length(account_number) = 7),
            account_holder TEXT NOT NULL CHECK (length(account_holder) > 0),
            claimed_at INTEGER NOT NULL
        );
        CREATE INDEX refund_claims_abolition ON refund_claims(abolition_id, claimed_at);

        CREATE TABLE refunds (
            refund_id TEXT PRIMARY KEY,
            voucher_id TEXT NOT NULL UNIQUE REFERENCES vouchers(voucher_id),
            ground TEXT NOT NULL CHECK (ground IN ('abolition', 'small_amount', 'unavoidable')),
            amount_yen INTEGER NOT NULL CHECK (typeof(amount_yen) = 'integer' AND amount_yen > 0),
            txn_id TEXT NOT NULL UNIQUE REFERENCES journal(txn_id),
            claim_id TEXT UNIQUE REFERENCES refund_claims(claim_id),
            reason TEXT,
            reference TEXT,
            period_start TEXT NOT NULL CHECK (length(period_start) = 10),
            refunded_by TEXT NOT NULL CHECK (length(refunded_by) > 0),
            refunded_at INTEGER NOT NULL,
            CHECK ((ground = 'abolition') = (claim_id IS NOT NULL)),
            CHECK (ground <> 'unavoidable' OR length(reason) > 0)
        );
        CREATE INDEX refunds_period ON refunds(ground, period_start);

        CREATE TRIGGER refund_abolitions_no_update BEFORE UPDATE ON refund_abolitions
        BEGIN SELECT RAISE(ABORT, 'refund_abolitions is append-only'); END;
        CREATE TRIGGER refund_abolitions_no_delete BEFORE DELETE ON refund_abolitions
        BEGIN SELECT RAISE(ABORT, 'refund_abolitions is append-only'); END;
        CREATE TRIGGER refund_claims_no_update BEFORE UPDATE ON refund_claims
        BEGIN SELECT RAISE(ABORT, 'refund_claims is append-only'); END;
        CREATE TRIGGER refund_claims_no_delete BEFORE DELETE ON refund_claims
        BEGIN SELECT RAISE(ABORT, 'refund_claims is append-only'); END;
        CREATE TRIGGER refunds_no_update BEFORE UPDATE ON refunds
        BEGIN SELECT RAISE(ABORT, 'refunds is append-only'); END;
        CREATE TRIGGER refunds_no_delete BEFORE DELETE ON refunds
        BEGIN SELECT RAISE(ABORT, 'refunds is append-only'); END;
        """


def apply(conn: sqlite3.Connection) -> None:
    run_script(conn, SQL)
