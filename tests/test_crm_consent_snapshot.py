"""The report worker's kept consent (node/crm/consent_snapshot.py) on a real SQLite file: for
random histories of consents given and withdrawn, read at random points, the kept set brought
up to each reading is exactly the full reading (segment_queries.consenting)."""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Set
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from node.crm import consent_snapshot, operations, segment_queries
from node.crm.consents import ConsentMethod, Purpose
from node.ledger import operations as ledger_operations
from node.reads import open_read_only
from tests.compliance_books import Books, tokyo

pytestmark = pytest.mark.node  # real SQLite files

CUSTOMERS = ("cu_a", "cu_b", "cu_c", "cu_d")
MARKETING = str(Purpose.MARKETING_EMAIL)

# a step: (customer, give or withdraw) or None, a reading of the kept set against the full one
steps = st.lists(
    st.one_of(st.none(), st.tuples(st.sampled_from(CUSTOMERS), st.booleans())), max_size=30
)


class ConsentBooks(Books):
    def __init__(self, directory: Path) -> None:
        super().__init__(directory)
        self.at = tokyo("2026-03-01 10:00")
        for customer_id in CUSTOMERS:
            work = ledger_operations.add_customer(
                customer_id, customer_id, f"{customer_id}@example.jp", self.at
            )
            self.run(work)

    def consent(self, customer_id: str, granted: bool) -> None:
        self.at += timedelta(minutes=1)
        event_id = self.next_id("ce_")
        self.run(
            operations.record_consent(
                event_id, customer_id, granted, ConsentMethod.CONSOLE, "mail?", "admin", self.at
            )
        )

    async def readings(self) -> tuple[Set[str], set[str]]:
        """The kept set brought up to now, and the full reading, in one read transaction."""
        reader = await open_read_only(self.path)
        try:
            await reader.execute("BEGIN")
            kept = await consent_snapshot.consenting(reader, str(self.path), MARKETING)
            full = await segment_queries.consenting(reader, MARKETING)
        finally:
            await reader.close()
        return kept, full


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(history=steps)
def test_the_kept_consent_is_the_full_reading_at_every_point(
    history: list[tuple[str, bool] | None],
) -> None:
    with tempfile.TemporaryDirectory() as directory:
        books = ConsentBooks(Path(directory))
        consent_snapshot.forget(str(books.path))
        try:
            for step in [*history, None]:
                if step is None:
                    kept, full = asyncio.run(books.readings())
                    assert kept == full
                else:
                    books.consent(*step)
        finally:
            consent_snapshot.forget(str(books.path))
            books.close()


def test_a_kept_set_ahead_of_the_database_is_read_again(tmp_path: Path) -> None:
    """The kept set came from a database further on than the one at the path now (a restored
    copy): it is not brought "forward", it is read again in full."""
    (tmp_path / "ahead").mkdir()
    (tmp_path / "behind").mkdir()
    ahead = ConsentBooks(tmp_path / "ahead")
    for customer_id in CUSTOMERS:
        ahead.consent(customer_id, True)
    behind = ConsentBooks(tmp_path / "behind")
    behind.consent("cu_a", True)
    try:
        kept, _ = asyncio.run(ahead.readings())
        assert kept == set(CUSTOMERS)
        consent_snapshot._kept[(str(behind.path), MARKETING)] = consent_snapshot._kept.pop(
            (str(ahead.path), MARKETING)
        )
        kept, full = asyncio.run(behind.readings())
        assert kept == full == {"cu_a"}
    finally:
        consent_snapshot.forget(str(behind.path))
        ahead.close()
        behind.close()
