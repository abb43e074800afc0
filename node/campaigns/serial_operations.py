"""Writer units of serial codes: adding a printed batch, and a resident's use of one code, which
records the proof (method serial, subject the code's hash) in the same transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from datetime import datetime

from node.campaigns import serial_tables
from node.campaigns.model import Method
from node.campaigns.serials import serial_hash
from node.campaigns.verification_model import Verification
from node.campaigns.verification_operations import record_verification, require_method
from node.errors import SerialUnknown, SerialUsed


def add_serials(
    campaign_id: str, hashes: Sequence[bytes], now: datetime
) -> Callable[[sqlite3.Connection], list[int]]:
    """Add a batch; answers the positions whose code was drawn before (a chance of ~2^-50 each),
    which the caller replaces with new codes."""

    def work(conn: sqlite3.Connection) -> list[int]:
        require_method(conn, campaign_id, Method.SERIAL)
        return serial_tables.insert_serials(conn, campaign_id, hashes, now)

    return work


def use_serial(
    campaign_id: str, customer_id: str, code: str, now: datetime
) -> Callable[[sqlite3.Connection], Verification]:
    """`code` is parsed already (serials.parse_serial): its check character matched."""
    digest = serial_hash(code)

    def work(conn: sqlite3.Connection) -> Verification:
        require_method(conn, campaign_id, Method.SERIAL)
        if not serial_tables.claim_serial(conn, digest, campaign_id, customer_id, now):
            found = serial_tables.find_serial(conn, digest)
            if found is None or found.campaign_id != campaign_id:
                raise SerialUnknown(field="serial")
            if found.used_by != customer_id:  # the resident's own retry goes on to its proof
                raise SerialUsed(field="serial")
        return record_verification(conn, campaign_id, customer_id, Method.SERIAL, digest.hex(), now)

    return work
