"""Every schema migration of the node, in order; each is applied once and recorded by name."""

from __future__ import annotations

import sqlite3

from node.database_identity import create_node_identity_table
from node.db import Migration
from node.health_table import create_health_table
from node.ledger.schema import create_ledger_tables, index_ledger_reads, link_codes_to_redemptions
from node.peering.schema import (
    create_parked_tables,
    create_partner_store_tables,
    create_peering_tables,
    index_pending_deliveries,
)
from node.settlement.audit.backfill import create_and_backfill
from node.settlement.schema import create_claim_codes, create_settlement_tables, index_claim_reads
from node.web.schema import create_web_tables


def create_read_indexes(conn: sqlite3.Connection) -> None:
    """What the pages and reports read by (issue 13, item 7), each in its owner's schema module."""
    index_ledger_reads(conn)
    index_claim_reads(conn)


def link_retried_codes(conn: sqlite3.Connection) -> None:
    """A used code names what it made (our redemption; our claim on a partner's voucher), so a
    retry of a request whose answer was lost is answered with it (issue 13, item 4)."""
    link_codes_to_redemptions(conn)
    create_claim_codes(conn)


MIGRATIONS: tuple[tuple[str, Migration], ...] = (
    ("0001_ledger", create_ledger_tables),
    ("0002_peering", create_peering_tables),
    ("0003_settlement", create_settlement_tables),
    ("0004_pending_deliveries", index_pending_deliveries),
    ("0005_audit_log", create_and_backfill),
    ("0006_web", create_web_tables),
    ("0007_partner_stores", create_partner_store_tables),
    ("0008_parked_messages", create_parked_tables),
    ("0009_read_indexes", create_read_indexes),
    ("0010_server_health", create_health_table),
    ("0011_storage_node_identity", create_node_identity_table),
    ("0012_auth_retried_codes", link_retried_codes),
)
