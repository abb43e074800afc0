"""Who did it reads the same everywhere (node/web/actors.py): a recorded "<role>:<login>" as the
account's display name, the admin API as 本部 (API), and the older forms ("admin-api", an admin's
bare login) like their current ones; an account since removed shows its login."""

from __future__ import annotations

from node.home import NodeHome
from node.ledger import operations
from node.ledger.model import API_ACTOR, Store
from node.server import load_node, start
from node.web import accounts, staff_tables
from node.web.actors import actor_labels
from node.web.i18n import translator
from tests.conftest import FakeClock, SeededRandomness


async def test_every_recorded_actor_reads_as_a_person_or_head_office(
    home: NodeHome, clock: FakeClock
) -> None:
    node = load_node(home, clock, SeededRandomness())
    runner, _ = await start(node, "127.0.0.1", 0)
    try:
        writer = node.require_writer()
        store = await writer.submit(operations.add_store(Store("st_a", "渋谷店", clock.now())))
        staff = await writer.submit(
            accounts.add_staff("ac_y", "yamada", "not-a-hash", [store.store_id], clock.now())
        )
        await writer.submit(staff_tables.set_display_name(staff.account_id, "山田太郎"))
        recorded = {"staff:yamada", API_ACTOR, "admin-api", "admin", "admin:admin", "staff:gone"}
        ja = await actor_labels(node.require_reader(), recorded, translator("ja"))
        en = await actor_labels(node.require_reader(), recorded, translator("en"))
    finally:
        await runner.cleanup()
    assert ja["staff:yamada"] == en["staff:yamada"] == "山田太郎"
    assert ja[API_ACTOR] == ja["admin-api"] == "本部 (API)"
    assert en[API_ACTOR] == en["admin-api"] == "Head office (API)"
    assert ja["admin"] == ja["admin:admin"] and ":" not in ja["admin"]
    assert ja["staff:gone"] == "gone"
