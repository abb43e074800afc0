"""`kippu demo`, the customers part (顧客分析): head office records a consent to marketing mail,
reads who its best customers are as of today (80:20, RFM classes, KPIs), saves a segment with its
live count, and is refused a campaign mail while the sender the law asks for is not configured;
all through the admin API."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from node.admin_client import AdminClient
from node.errors import ApiRefused

Echo = Callable[[str], None]


def run_crm(api: AdminClient, echo: Echo, customer_id: str) -> dict[str, Any]:
    """Play the customers part, printing each step; return what the tests check."""
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
    try:
        api.post(
            "mail",
            {
                "segment": segment["name"],
                "subject": "{name}様へ",
                "body": "ご来店ありがとうございます。",
            },
        )
    except ApiRefused as exc:
        refusal = exc.refused_code
        echo(f"C6. campaign mail refused until [issuer] and SMTP are set [{refusal}]")
    else:
        raise AssertionError("the demo node has no SMTP server: the mail should be refused")
    return {
        "top20_share": pareto["top20_share"],
        "paying": pareto["customers"],
        "segment": segment["customers"],
        "members": kpi["members"],
        "refusal": refusal,
    }
