"""`kippu demo`, the municipal campaigns part (自治体キャンペーン): the office marks one of two
stores a small local shop, runs a first-come campaign released in two rounds and a premium
voucher campaign with a 専用券 part, grants to residents, a redemption at each store (the 専用券
refused at the large store), and the status with its budget reconciled against the ledger; then
both stores' bank accounts and the preview of their payout (the day is not over yet) with the
books; all through the admin API, as `kippu campaign` does."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from node.admin_client import AdminClient
from node.errors import ApiRefused

Echo = Callable[[str], None]
DEMO_ZONE = "Asia/Tokyo"  # the demo's nodes keep config.toml's default zone (business days)


def _refused(step: Callable[[], Any]) -> str:
    try:
        step()
    except ApiRefused as exc:
        return exc.refused_code
    raise AssertionError("the node accepted an operation the demo expected it to refuse")


def _at(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _redeem(api: AdminClient, voucher_id: str, store_id: str, amount: int) -> dict[str, Any]:
    code = api.get(f"vouchers/{voucher_id}/code")
    return api.post(
        "redemptions", {"payload": code["payload"], "amount": amount, "store_id": store_id}
    )


def run_campaigns(api: AdminClient, echo: Echo, late_customer: str) -> dict[str, Any]:
    """Play the campaigns part, printing each step; return what the tests check.
    `late_customer` asks once the first round is given out."""
    now = datetime.now(UTC)
    shop = api.post("stores", {"name": "八百屋まるやす Maruyasu (local)"})
    chain = api.post("stores", {"name": "スーパーひかり Hikari"})
    api.request("PUT", f"campaign-stores/{shop['store_id']}", {"local": True})
    echo(f"C1. stores: {shop['name']} marked a small local shop (専用券 OK), {chain['name']}")
    residents = [
        api.post("customers", {"name": name, "email": email})["customer_id"]
        for name, email in (("市民一郎", "ichiro@example.jp"), ("市民二葉", "futaba@example.jp"))
    ]
    period = {
        "starts_at": _at(now - timedelta(minutes=1)),
        "ends_at": _at(now + timedelta(days=30)),
    }
    first = api.post(
        "campaigns",
        {
            "kind": "first-come",
            "name": "先着 ウェルカムクーポン",
            "face_yen": 1_000,
            "stock": 3,
            **period,
            "rounds": [
                {"opens_at": period["starts_at"], "stock": 2},
                {"opens_at": _at(now + timedelta(days=7)), "stock": 1},
            ],
        },
    )
    for resident in residents:
        api.post(f"campaigns/{first['campaign_id']}/grants", {"customer_id": resident})
    waiting = _refused(
        lambda: api.post(f"campaigns/{first['campaign_id']}/grants", {"customer_id": late_customer})
    )
    echo(
        f"C2. first-come ¥1,000 coupons, 3 in two rounds (2 now, 1 in 7 days): both residents"
        f" get one; a third person waits for round 2 [{waiting}]"
    )
    premium = api.post(
        "campaigns",
        {
            "kind": "premium",
            "name": "プレミアム付き商品券",
            "face_yen": 13_000,
            "price_yen": 10_000,
            "local_yen": 3_000,
            "stock": 1_000,
            "budget_yen": 13_000_000,
            **period,
            "terms": "専用券は中小店舗でのみ使えます。",
        },
    )
    sets = [
        api.post(f"campaigns/{premium['campaign_id']}/grants", {"customer_id": r})
        for r in residents
    ]
    echo("C3. premium: pay ¥10,000, get ¥13,000 (¥10,000 共通券 + ¥3,000 専用券); both buy a set")
    common, local = sorted(sets[0]["voucher_ids"], key=lambda v: -api.get(f"vouchers/{v}")["face"])
    at_chain = _refused(lambda: _redeem(api, local, chain["store_id"], 1_000))
    local_used = _redeem(api, local, shop["store_id"], 3_000)
    common_used = _redeem(api, common, chain["store_id"], 4_500)
    echo(
        f"C4. 専用券 at {chain['name']}: refused [{at_chain}]; at {shop['name']}:"
        f" ¥{local_used['amount']:,}; 共通券 at {chain['name']}: ¥{common_used['amount']:,}"
    )
    status = api.get(f"campaigns/{premium['campaign_id']}")
    echo(
        f"C5. status: budget ¥{status['budget_yen']:,} = granted ¥{status['granted_yen']:,}"
        f" + remaining ¥{status['remaining_yen']:,}"
    )
    echo(
        f"    granted ¥{status['granted_yen']:,} = used ¥{status['used_yen']:,}"
        f" + lapsed ¥{status['lapsed_yen']:,} + outstanding ¥{status['outstanding_yen']:,}"
        f" — {'reconciled with the ledger' if status['reconciled'] else 'NOT RECONCILED'}"
    )
    first_status = api.get(f"campaigns/{first['campaign_id']}")
    return {
        "status": status,
        "first_come": first_status,
        "refusals": [waiting, at_chain],
        "payout": _payouts(api, echo, [shop, chain], premium["campaign_id"]),
    }


def _payouts(
    api: AdminClient, echo: Echo, stores: list[dict[str, Any]], campaign_id: str
) -> dict[str, Any]:
    """The stores' bank accounts set, and the payout of the demo's days: its coupons were used
    today, and a period is paid only once it is over, so the demo shows the preview of what the
    run will pay and why it cannot run yet, then the books with nothing paid."""
    holders = ("有限会社マルヤス", "株式会社ひかり")
    saved = []
    for store, holder, bank in zip(stores, holders, ("0005", "0033"), strict=True):
        account = {
            "bank_code": bank,
            "branch_code": "001",
            "account_type": "ordinary",
            "account_number": "1234567",
            "holder_kana": holder,
        }
        answer = api.request("PUT", f"stores/{store['store_id']}/bank", account)
        saved.append(f"{holder} → {answer['holder_kana']}")
    echo(f"C6. both stores' bank accounts set (holders in the bank's kana): {', '.join(saved)}")
    today = datetime.now(ZoneInfo(DEMO_ZONE)).date()
    days = {"from": (today - timedelta(days=1)).isoformat(), "to": today.isoformat()}
    preview = api.get("payout-preview", **days)
    totals = ", ".join(f"{s['store_name']} ¥{s['total_yen']:,}" for s in preview["stores"])
    refused = _refused(lambda: api.post("payouts", days))
    echo(
        f"C7. payout {days['from']} to {days['to']}: the coupons were used today, and a period is"
        f" paid once it is over, so this is the preview: {totals} (total"
        f" ¥{preview['total_yen']:,}); the run is refused today [{refused}]"
        f" ({', '.join(r['code'] for r in preview['refusals'])})"
    )
    books = next(
        b for b in api.get("payout-reconciliation")["campaigns"] if b["campaign_id"] == campaign_id
    )
    echo(
        f"    books: paid ¥{books['paid_yen']:,} + unpaid ¥{books['unpaid_yen']:,} = used"
        f" ¥{books['used_yen']:,} — {'reconciled' if books['reconciled'] else 'NOT RECONCILED'}"
    )
    return {"preview": preview, "refused": refused, "books": books}
