"""The report worker's kept consent (node/crm/consent_snapshot.py) on a real SQLite file: for
random histories of consents given and withdrawn, read at random points, the kept set brought
up to each reading is exactly the full reading (segment_queries.consenting)."""

from __future__ import annotations

import asyncio
import shutil
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
        event_id = self.next_id(f"ce_{self.path.parent.name}_")  # each database its own ids
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


@pytest.mark.parametrize(
    ("kept_history", "now_history"),
    [
        # the file at the path now is behind the kept set
        ([("cu_a", True), ("cu_b", True), ("cu_c", True), ("cu_d", True)], [("cu_a", True)]),
        # ... or has gone further, with another history
        (
            [("cu_a", True), ("cu_b", True), ("cu_c", True), ("cu_d", True)],
            [("cu_a", True), ("cu_b", True), ("cu_b", False), ("cu_c", True), ("cu_c", False)],
        ),
    ],
)
def test_a_kept_set_of_another_database_at_the_path_is_read_again(
    tmp_path: Path, kept_history: list[tuple[str, bool]], now_history: list[tuple[str, bool]]
) -> None:
    """A database at the same path with another history (a restored copy) is read in full, not
    brought forward from the kept set."""
    (tmp_path / "kept").mkdir()
    (tmp_path / "now").mkdir()
    kept_books, now_books = ConsentBooks(tmp_path / "kept"), ConsentBooks(tmp_path / "now")
    for step in kept_history:
        kept_books.consent(*step)
    for step in now_history:
        now_books.consent(*step)
    try:
        consent_snapshot.forget(str(kept_books.path))
        kept, full = asyncio.run(kept_books.readings())
        assert kept == full == {c for c, granted in kept_history if granted}
        kept_books.close()
        now_books.close()  # its log checkpointed into the file on the last close
        for log in ("-wal", "-shm"):
            Path(f"{kept_books.path}{log}").unlink(missing_ok=True)
        shutil.copyfile(now_books.path, kept_books.path)  # the copy put in its place
        kept, full = asyncio.run(kept_books.readings())
        assert kept == full == {"cu_a"}
    finally:
        consent_snapshot.forget(str(kept_books.path))
