"""Erasing a customer's personal data on their request (個人情報保護法) against a running node:
refused while they hold value, then their name, address, profile and tags are gone, their consent
withdrawn and they leave every segment; the ledger still checks out and the settlement log's
bundle still verifies offline."""

from __future__ import annotations

import json
from pathlib import Path

from node.verifier.auditor import verify_bundles
from tests.cli_helpers import kippu, refused
from tests.conftest import NodeHandle


def test_an_erasure_keeps_the_books_and_the_audit_bundle(node: NodeHandle, tmp_path: Path) -> None:
    api = node.client
    taro = api.post("customers", {"name": "山田太郎", "email": "taro@example.jp"})["customer_id"]
    hanako = api.post("customers", {"name": "佐藤花子", "email": "hanako@example.jp"})[
        "customer_id"
    ]
    store = api.post("stores", {"name": "本店"})["store_id"]
    api.request("PUT", f"customers/{taro}/profile", {"kana": "ヤマダ", "tags": ["常連"]})
    api.post(f"customers/{taro}/consent", {"marketing": True})
    voucher = api.post(
        "vouchers", {"amount": 3_000, "price": 3_000, "customer_id": taro, "store_id": store}
    )
    api.post("vouchers", {"amount": 1_000, "customer_id": hanako})
    api.post("segments", {"name": "常連", "filters": {"tag": "常連"}})

    blocked = refused(node, "customer", "erase", taro, "--reason", "本人から電話で依頼")
    assert (blocked["code"], blocked["balance_yen"], blocked["points"]) == (
        "crm.erasure_blocked",
        3_000,
        0,
    )
    code = api.get(f"vouchers/{voucher['voucher_id']}/code")["payload"]
    api.post("redemptions", {"payload": code, "amount": 3_000, "store_id": store})  # used up

    erased = json.loads(
        kippu(node, "customer", "erase", taro, "--reason", "本人から電話で依頼", "--json").stdout
    )
    assert erased == {"customer_id": taro, "erased": True}
    data = api.get(f"customers/{taro}/data")
    assert data["customer"]["name"] == "削除済みのお客様" and data["customer"]["email"] is None
    assert data["profile"]["kana"] is None and data["profile"]["tags"] == []
    assert [(e["marketing"], e["method"]) for e in data["consents"]] == [
        (True, "api"),
        (False, "cli"),
    ]
    assert data["vouchers"][0]["balance_yen"] == 0  # the voucher and its history stay
    assert api.get("segments/%E5%B8%B8%E9%80%A3")["customers"] == 0  # 常連
    assert api.get("segments/all")["customers"] == 1
    # The address stays only in the consent record 特定電子メール法3条2項 makes the sender keep.
    beyond_consents = {k: v for k, v in data.items() if k != "consents"}
    assert "taro@example.jp" not in json.dumps(beyond_consents, ensure_ascii=False)
    assert (
        refused(node, "customer", "erase", taro, "--reason", "二度目")["code"]
        == "crm.already_erased"
    )
    assert (
        refused(node, "customer", "erase", "cu_nobody", "--reason", "x")["code"]
        == "customer.not_found"
    )

    assert api.get("ledger/check")["ok"] is True
    api.post("audit/checkpoint")
    bundle = tmp_path / "bundle.kippu"
    api.download("audit/export", bundle)
    report = verify_bundles([bundle], {})
    assert report.ok, report.to_json()
