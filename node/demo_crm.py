"""`kippu demo`, the customers part (顧客分析): head office records a consent to marketing mail,
reads who its best customers are as of today (80:20, RFM classes, KPIs), saves a segment with its
live count, previews a campaign mail with a ¥500 coupon for one store, sends it (the demo's own
mailbox receives it, with the sender, contact and unsubscribe link the law asks for), and the
customer spends the coupon at that store; the counter's greeting names them. All through the
admin API."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any

from node.admin_client import AdminClient
from node.demo_mailbox import Mailbox
from node.errors import ApiRefused

Echo = Callable[[str], None]
SEND_TIMEOUT_S = 30.0
COUPON_YEN = 500


def run_crm(
    api: AdminClient, echo: Echo, customer_id: str, stores: Sequence[str], inbox: Mailbox
) -> dict[str, Any]:
    """Play the customers part, printing each step; return what the tests check. `stores`: the
    company's two stores (the coupon is for the first only)."""
    consent = api.post(f"customers/{customer_id}/consent", {"marketing": True})
    echo(f"C1. 山田 consents to offer mails ({consent['method']}, {consent['recorded_at']})")
    pareto = api.get("analytics/pareto")
    echo(
        f"C2. 80:20 as of {pareto['as_of']}: {pareto['customers']} paying customers,"
        f" the top {pareto['top20_customers']} made {pareto['top20_share']:.0%} of ¥{pareto['total_yen']:,}"
    )
    rfm = api.get("analytics/rfm", limit="0")
    classes = ", ".join(
        f"{c['name_ja']} {c['customers']}" for c in rfm["classes"] if c["customers"]
    )
    echo(f"C3. RFM classes: {classes}")
    kpi = api.get("analytics/kpi")
    echo(
        f"C4. members {kpi['members']}, active {kpi['active_members']}, repeat rate"
        f" {kpi['repeat_rate']:.0%}, voucher liability ¥{kpi['liability_yen']:,}"
    )
    segment = api.post(
        "segments",
        {"name": "同意済みの購入客", "filters": {"marketing_consent": True, "spend_min": 1}},
    )
    echo(f"C5. segment {segment['name']}: {segment['customers']} customer(s) now")
    sent = _mail_with_offer(api, echo, segment["name"], stores[0], inbox)
    coupon = _spend_coupon(api, echo, customer_id, stores, sent["mail_id"])
    api.request(
        "PUT",
        f"customers/{customer_id}/profile",
        {"greeting": "いつも新宿店をご利用ありがとうございます"},
    )
    profile = api.get(f"customers/{customer_id}/profile")
    echo(f"C9. at the counter, staff scanning 山田's voucher see: 山田 様 · {profile['greeting']}")
    return {
        "top20_share": pareto["top20_share"],
        "paying": pareto["customers"],
        "segment": segment["customers"],
        "members": kpi["members"],
        "mail": sent,
        "coupon": coupon,
    }


def _mail_with_offer(
    api: AdminClient, echo: Echo, segment: str, store_id: str, inbox: Mailbox
) -> dict[str, Any]:
    last_day = (date.today() + timedelta(days=30)).isoformat()
    draft = {
        "segment": segment,
        "subject": "{name}様へ 新宿店限定クーポンのご案内",
        "body": "{name}様\nいつもありがとうございます。新宿店でお使いいただけるクーポンをお届けします。",
        "offer": {"face_yen": COUPON_YEN, "use_until": last_day, "stores": [store_id]},
    }
    preview = api.post("mail/drafts/preview", draft)
    echo(
        f"C6. preview: {preview['members']} in the segment, {preview['recipients']} would"
        f" receive it; subject 「{preview['sample']['subject']}」"
    )
    made = api.post("mail", draft | {"per_minute": 600})
    deadline = time.monotonic() + SEND_TIMEOUT_S
    status = api.get(f"mail/{made['mail_id']}")
    while status["status"] != "sent" and time.monotonic() < deadline:
        time.sleep(0.2)
        status = api.get(f"mail/{made['mail_id']}")
    received = inbox.messages()
    body = received[-1].get_content() if received else ""
    lawful = all(word in body for word in ("送信者:", "お問い合わせ:", "/mail/unsubscribe/"))
    echo(
        f"C7. mail {made['mail_id']} {status['status']}: sent {status['counts']['sent']},"
        f" {len(received)} message(s) in the mailbox; sender, contact and unsubscribe link in it:"
        f" {'yes' if lawful else 'NO'}; List-Unsubscribe-Post:"
        f" {received[-1]['List-Unsubscribe-Post'] if received else '-'}"
    )
    return {
        "mail_id": made["mail_id"],
        "status": status["status"],
        "sent": status["counts"]["sent"],
        "received": len(received),
        "lawful": lawful,
    }


def _spend_coupon(
    api: AdminClient, echo: Echo, customer_id: str, stores: Sequence[str], mail_id: str
) -> dict[str, Any]:
    held = api.get("vouchers", customer_id=customer_id)["vouchers"]
    coupon = next(v for v in held if v["face"] == COUPON_YEN and v["price"] == 0)
    code = api.get(f"vouchers/{coupon['voucher_id']}/code")["payload"]
    try:
        api.post("redemptions", {"payload": code, "amount": COUPON_YEN, "store_id": stores[1]})
    except ApiRefused as exc:
        elsewhere = exc.refused_code
    else:
        raise AssertionError("the coupon is for the first store only")
    code = api.get(f"vouchers/{coupon['voucher_id']}/code")["payload"]
    api.post("redemptions", {"payload": code, "amount": COUPON_YEN, "store_id": stores[0]})
    use = api.get(f"mail/{mail_id}")["coupons"]
    echo(
        f"C8. 山田 shows the ¥{COUPON_YEN} coupon: refused at the other store [{elsewhere}],"
        f" taken at 新宿店; the mail's coupons: {use['issued']} issued, {use['used']} used"
        f" (¥{use['used_yen']:,})"
    )
    return {"refused_elsewhere": elsewhere, "used_yen": use["used_yen"]}
