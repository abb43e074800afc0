"""Partner acceptance and the 資金決済法: refused without a registration (and nothing changes),
allowed for a declared related company, and the class of our vouchers following the partners."""

from __future__ import annotations

from typing import Any

from node.compliance.model import VoucherClass
from node.config import ListenAddress, render_config
from node.ledger import queries as ledger_queries
from node.runtime import NODE
from node.web.legal import class_facts
from tests.conftest import NodeFactory, RunningNode, ok
from tests.settlement_helpers import partner


def _node_of(running: RunningNode) -> Any:
    assert running.runner is not None
    return running.runner.app[NODE]


async def _refused(running: RunningNode, method: str, path: str, body: object = None) -> None:
    status, answer = await running.call(method, path, body)
    assert status == 409, answer
    assert answer["error"]["code"] == "compliance.registration_required"


async def _peers(running: RunningNode) -> list[dict[str, Any]]:
    return list((await ok(running, "GET", "peers"))["peers"])


async def _reconfigure(running: RunningNode, registration: str, related: list[str]) -> None:
    """Edit config.toml's [issuer] as an admin would, and restart the node."""
    text = render_config(
        running.home.root.name,
        ListenAddress("127.0.0.1", running.port),
        registration_number=registration,
    )
    listed = ", ".join(f'"{node_id}"' for node_id in related)
    text = text.replace("related_partners = []", f"related_partners = [{listed}]")
    running.home.config_path.write_text(text, encoding="utf-8")
    await running.restart()


async def _class_of(running: RunningNode, voucher_id: str) -> VoucherClass:
    node = _node_of(running)
    voucher = await ledger_queries.get_voucher(node.require_reader(), voucher_id)
    assert voucher is not None
    return (await class_facts(node, voucher)).voucher_class


async def test_partner_acceptance_is_refused_without_a_registration(nodes: NodeFactory) -> None:
    a = await nodes.start("Unregistered", registration_number="")
    b = await nodes.start("Partner")
    await _refused(a, "POST", "peers/invite", {"valid_hours": 2})
    await _refused(a, "POST", "peers", {"node_id": b.node_id, "url": b.base_url})
    await _refused(
        a, "POST", "peers/import", {"peers": [{"node_id": b.node_id, "url": b.base_url}]}
    )
    invite = await ok(b, "POST", "peers/invite", {"valid_hours": 2})
    await _refused(a, "POST", "peers/join", {"invite": invite["invite"]})
    assert await _peers(a) == []
    assert await _peers(b) == []  # the join was never sent
    status = await ok(a, "GET", "status")
    assert status["compliance_warnings"][0].startswith("issuer.legal_name is not set")


async def test_resuming_a_partner_is_refused_once_the_registration_is_gone(
    nodes: NodeFactory,
) -> None:
    a = await nodes.start("Issuer")
    b = await nodes.start("Partner")
    await partner(a, b)
    await ok(a, "POST", f"peers/{b.node_id}/suspend")
    await _reconfigure(a, "", [])
    await _refused(a, "POST", f"peers/{b.node_id}/resume")
    assert [p["status"] for p in await _peers(a)] == ["suspended"]


async def test_a_related_partner_needs_no_registration_and_keeps_our_vouchers_own(
    nodes: NodeFactory,
) -> None:
    b = await nodes.start("Subsidiary")
    a = await nodes.start("Parent", registration_number="")
    await _reconfigure(a, "", [b.node_id.lower()])  # ids are matched whatever their case
    voucher_id = (await ok(a, "POST", "vouchers", {"amount": 1000}))["voucher_id"]
    invite = await ok(b, "POST", "peers/invite", {"valid_hours": 2})
    assert (await ok(a, "POST", "peers/join", {"invite": invite["invite"]}))["status"] == "active"
    assert await _class_of(a, voucher_id) is VoucherClass.OWN
    assert (await ok(a, "GET", "status"))["compliance_warnings"] == [
        "issuer.legal_name is not set: the legal display (資金決済法13条, 発行者の名称) needs it",
        "issuer.address is not set: the legal display (資金決済法13条, 発行者の所在地) needs it",
        "issuer.complaint_desk is not set: the legal display (資金決済法13条, 苦情・相談窓口) needs it",
        "issuer.terms_url or issuer.terms_text is not set: the legal display (資金決済法13条, 約款)"
        " needs it",
        "issuer.fraud_policy is not set: the legal display (資金決済法13条, 不正利用時の補償方針)"
        " needs it",
    ]


async def test_the_class_follows_partner_activation_and_suspension(nodes: NodeFactory) -> None:
    a = await nodes.start("Issuer")
    b = await nodes.start("Partner")
    lasting = (await ok(a, "POST", "vouchers", {"amount": 1000}))["voucher_id"]
    customer = (await ok(a, "POST", "customers", {"name": "客"}))["customer_id"]
    short = await ok(
        a, "POST", "vouchers", {"amount": 1000, "valid_days": 30, "customer_id": customer}
    )
    assert await _class_of(a, lasting) is VoucherClass.OWN
    assert await _class_of(a, short["voucher_id"]) is VoucherClass.EXEMPT
    await partner(a, b)
    assert await _class_of(a, lasting) is VoucherClass.THIRD_PARTY
    assert await _class_of(a, short["voucher_id"]) is VoucherClass.EXEMPT
    await ok(a, "POST", f"peers/{b.node_id}/suspend")
    assert await _class_of(a, lasting) is VoucherClass.OWN
    await ok(a, "POST", f"peers/{b.node_id}/resume")
    assert await _class_of(a, lasting) is VoucherClass.THIRD_PARTY
    # A gift gets a fresh six months from the gift: the value outlives six months from the
    # original issue, so the gift is not exempt (the original still is).
    friend = (await ok(a, "POST", "customers", {"name": "友"}))["customer_id"]
    gift = await ok(
        a, "POST", f"vouchers/{short['voucher_id']}/gift", {"to": friend, "amount": 400}
    )
    assert await _class_of(a, gift["voucher_id"]) is VoucherClass.THIRD_PARTY
    assert await _class_of(a, short["voucher_id"]) is VoucherClass.EXEMPT
