"""Every schema migration of the node, in order; each is applied once and recorded by name.

A released migration is frozen: its module holds the exact SQL it ran (and, where it is code, code
that imports no live rule of the node: 0003 writes out the lifecycle transitions it enforces, 0005
carries its own decoder), so a node upgraded from any earlier release and a new node end with the
same schema. tests/test_migrations_frozen.py pins each module by SHA-256: to change the schema, add
a migration `mNNNN_<area>_<what>.py` at the end, never edit one that was released.

The DDL here is SQLite's, and the only place of it (docs/architecture.md, its SQL section): CHECKs with
`typeof`, triggers, partial indexes, `WITHOUT ROWID`, 0003's edit of `sqlite_schema`.
"""

from __future__ import annotations

from node.db import Migration
from node.migrations import (
    m0001_ledger,
    m0002_peering,
    m0003_settlement,
    m0004_pending_deliveries,
    m0005_audit_log,
    m0006_web,
    m0007_partner_stores,
    m0008_parked_messages,
    m0009_read_indexes,
    m0010_server_health,
    m0011_storage_node_identity,
    m0012_auth_retried_codes,
    m0013_ledger_holds_and_returns,
    m0014_redemption_rest_payments,
    m0015_ledger_counter_sales,
    m0016_journal_sequence,
    m0017_console_staff_records,
    m0018_web_api_keys,
    m0019_ledger_refunds_and_fees,
    m0020_products,
    m0021_payments,
    m0022_compliance_refunds,
    m0025_payments_attention,
    m0026_points,
    m0027_webhooks,
    m0028_points_exchange_lottery,
    m0030_points_rank_runs,
    m0035_campaigns,
    m0036_campaign_store_banks,
    m0037_campaign_payouts,
    m0038_campaign_eligibility,
    m0039_campaign_stores,
    m0040_campaign_gates,
    m0041_campaign_premium_sales,
    m0042_campaign_keys,
    m0043_campaign_payout_carries,
    m0044_crm_profiles_consents_segments,
    m0045_crm_mail,
    m0046_crm_erasures,
    m0047_crm_mail_offers,
    m0048_crm_spend_change_indexes,
)

MIGRATIONS: tuple[tuple[str, Migration], ...] = (
    ("0001_ledger", m0001_ledger.apply),
    ("0002_peering", m0002_peering.apply),
    ("0003_settlement", m0003_settlement.apply),
    ("0004_pending_deliveries", m0004_pending_deliveries.apply),
    ("0005_audit_log", m0005_audit_log.apply),
    ("0006_web", m0006_web.apply),
    ("0007_partner_stores", m0007_partner_stores.apply),
    ("0008_parked_messages", m0008_parked_messages.apply),
    ("0009_read_indexes", m0009_read_indexes.apply),
    ("0010_server_health", m0010_server_health.apply),
    ("0011_storage_node_identity", m0011_storage_node_identity.apply),
    ("0012_auth_retried_codes", m0012_auth_retried_codes.apply),
    ("0013_ledger_holds_and_returns", m0013_ledger_holds_and_returns.apply),
    ("0014_redemption_rest_payments", m0014_redemption_rest_payments.apply),
    ("0015_ledger_counter_sales", m0015_ledger_counter_sales.apply),
    ("0016_journal_sequence", m0016_journal_sequence.apply),
    ("0017_console_staff_records", m0017_console_staff_records.apply),
    ("0018_web_api_keys", m0018_web_api_keys.apply),
    ("0019_ledger_refunds_and_fees", m0019_ledger_refunds_and_fees.apply),
    ("0020_products", m0020_products.apply),
    ("0021_payments", m0021_payments.apply),
    ("0022_compliance_refunds", m0022_compliance_refunds.apply),
    ("0025_payments_attention", m0025_payments_attention.apply),
    ("0026_points", m0026_points.apply),
    ("0027_webhooks", m0027_webhooks.apply),
    ("0028_points_exchange_lottery", m0028_points_exchange_lottery.apply),
    ("0030_points_rank_runs", m0030_points_rank_runs.apply),
    ("0035_campaigns", m0035_campaigns.apply),
    ("0036_campaign_store_banks", m0036_campaign_store_banks.apply),
    ("0037_campaign_payouts", m0037_campaign_payouts.apply),
    ("0038_campaign_eligibility", m0038_campaign_eligibility.apply),
    ("0039_campaign_stores", m0039_campaign_stores.apply),
    ("0040_campaign_gates", m0040_campaign_gates.apply),
    ("0041_campaign_premium_sales", m0041_campaign_premium_sales.apply),
    ("0042_campaign_keys", m0042_campaign_keys.apply),
    ("0043_campaign_payout_carries", m0043_campaign_payout_carries.apply),
    ("0044_crm_profiles_consents_segments", m0044_crm_profiles_consents_segments.apply),
    ("0045_crm_mail", m0045_crm_mail.apply),
    ("0046_crm_erasures", m0046_crm_erasures.apply),
    ("0047_crm_mail_offers", m0047_crm_mail_offers.apply),
    ("0048_crm_spend_change_indexes", m0048_crm_spend_change_indexes.apply),
)
