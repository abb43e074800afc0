"""`kippu analytics`, `kippu segment` and `kippu customer consent` against a running node: a
small shop's two days (vouchers bought, purchases recorded, a redemption) computed by hand in
the comments; the figures for the first day stay the same after the second; refusals exit 1
with their stable codes."""

from __future__ import annotations

from tests.cli_helpers import kippu, ok_json, refused
from tests.conftest import NodeHandle

DAY1, DAY2 = "2026-11-24", "2026-11-25"  # the node's clock starts 2026-11-24 10:00 in Tokyo


def buy(node: NodeHandle, customer: str, yen: int, store: str) -> str:
    body = {"amount": yen, "price": yen, "customer_id": customer, "store_id": store}
    return str(node.client.post("vouchers", body)["voucher_id"])


def purchase(node: NodeHandle, customer: str, yen: int, store: str, txn: str) -> None:
    member_no = ok_json(node, "member", "show", customer)["member_no"]
    ok_json(
        node, "points", "earn", member_no, "--purchase", str(yen), "--txn", txn, "--store", store
    )


def test_analytics_segments_and_consent_of_a_small_shop(node: NodeHandle) -> None:
    add = node.client.post
    a, b, c = (
        add("customers", {"name": n, "email": f"{e}@example.jp"})["customer_id"]
        for n, e in (("青木", "aoki"), ("馬場", "baba"), ("千葉", "chiba"))
    )
    d = add("customers", {"name": "土井"})["customer_id"]  # no e-mail address
    honten = add("stores", {"name": "本店"})["store_id"]
    umeda = add("stores", {"name": "梅田店"})["store_id"]

    # Day 1: A buys ¥10,000 at 本店 and spends ¥5,000 at 梅田店 (POS); B buys ¥3,000 at 梅田店.
    first = buy(node, a, 10_000, honten)
    buy(node, b, 3_000, umeda)
    purchase(node, a, 5_000, umeda, "pos-1")
    day1 = {
        kind: ok_json(node, "analytics", kind, "--as-of", DAY1)
        for kind in ("rfm", "pareto", "kpi", "ltv")
    }
    assert day1["pareto"]["top20_share"] == round(15_000 / 18_000, 4)

    # Day 2: A buys ¥2,000 at 本店 and redeems ¥1,500 at 梅田店 (a visit); C spends ¥1,000 there.
    node.clock.advance(days=1)
    buy(node, a, 2_000, honten)
    code = node.client.get(f"vouchers/{first}/code")["payload"]
    add("redemptions", {"payload": code, "amount": 1_500, "store_id": umeda})
    purchase(node, c, 1_000, umeda, "pos-2")

    # Spend as of day 2: A 17,000 in 3 payments, B 3,000 in 1, C 1,000 in 1; D nothing.
    pareto = ok_json(node, "analytics", "pareto", "--as-of", DAY2)
    assert (pareto["customers"], pareto["total_yen"], pareto["top20_customers"]) == (3, 21_000, 1)
    assert pareto["top20_share"] == round(17_000 / 21_000, 4)  # ceil(0.2 * 3) = 1 customer
    assert "top20_share: 0.8095" in kippu(node, "analytics", "pareto", "--as-of", DAY2).stdout

    # RFM, n = 3: cut(k) = x(ceil(3k/5)) = x1 x2 x2 x3. Recency 0 0 1: cuts 0 0 0 1, so A and C
    # score 5, B 2. Frequency 1 1 3: cuts 1 1 1 3, A 4. Monetary 1000 3000 17000: cuts 1000 3000
    # 3000 17000, A 4, B 2, C 1.
    rfm = ok_json(node, "analytics", "rfm", "--as-of", DAY2)
    scores = {r["customer_id"]: (r["r"], r["f"], r["m"], r["class"]) for r in rfm["rows"]}
    assert scores == {a: (5, 4, 4, "champions"), b: (2, 1, 2, "dormant"), c: (5, 1, 1, "new")}
    assert rfm["cuts"] == {
        "recency_days": [0, 0, 0, 1],
        "frequency": [1, 1, 1, 3],
        "monetary_yen": [1_000, 3_000, 3_000, 17_000],
    }
    text = kippu(node, "analytics", "rfm", "--as-of", DAY2).stdout
    assert "champions" in text and "離反予備軍" in text

    ltv = ok_json(node, "analytics", "ltv", "--as-of", DAY2)
    assert (ltv["spend_yen"], ltv["gross_profit_yen"], ltv["average_ltv_yen"]) == (
        21_000,
        6_300,
        2_100,
    )
    assert ltv["months"] == [
        {"month": "2026-11", "customers": 3, "spend_yen": 21_000, "gross_profit_yen": 6_300,
         "average_ltv_yen": 2_100}
    ]  # fmt: skip
    assert (
        ok_json(node, "analytics", "ltv", "--as-of", DAY2, "--margin", "50")["gross_profit_yen"]
        == 10_500
    )

    kpi = ok_json(node, "analytics", "kpi", "--as-of", DAY2)
    assert (kpi["members"], kpi["active_members"], kpi["paying_customers"]) == (4, 3, 3)
    assert (kpi["payments"], kpi["spend_yen"], kpi["repeat_rate"]) == (5, 21_000, 0.3333)
    assert (kpi["average_spend_yen"], kpi["average_payment_yen"]) == (7_000, 4_200)
    assert kpi["liability_yen"] == 10_000 - 1_500 + 3_000 + 2_000
    stores = {
        s["name"]: (s["spend_yen"], s["payments"], s["visits"], s["customers"])
        for s in kpi["stores"]
    }
    assert stores == {"本店": (12_000, 2, 0, 1), "梅田店": (9_000, 3, 1, 3)}
    assert kpi["new_members"][-1] == {"month": "2026-11", "members": 4}

    cohorts = ok_json(node, "analytics", "cohorts", "--as-of", DAY2)["cohorts"]
    assert cohorts == [{"month": "2026-11", "customers": 3, "retained": [3], "shares": [1.0]}]

    # The first day's figures did not move with the second day's activity.
    for kind, figures in day1.items():
        assert ok_json(node, "analytics", kind, "--as-of", DAY1) == figures

    # Consent to marketing mail: given, withdrawn, refused for an address-less customer.
    given = ok_json(node, "customer", "consent", a, "--marketing", "yes")
    assert (given["marketing"], given["method"], given["address"]) == (
        True,
        "cli",
        "aoki@example.jp",
    )
    ok_json(node, "customer", "consent", b, "--marketing", "yes", "--wording", "店頭の申込書に署名")
    ok_json(node, "customer", "consent", b, "--marketing", "no")
    assert (
        refused(node, "customer", "consent", d, "--marketing", "yes")["code"] == "consent.invalid"
    )
    assert (
        refused(node, "customer", "consent", "cu_nobody", "--marketing", "no")["code"]
        == "customer.not_found"
    )
    history = node.client.get(f"customers/{b}/consent")
    assert history["marketing"] is False
    assert [(e["marketing"], e["wording"]) for e in history["history"]] == [
        (True, "店頭の申込書に署名"),
        (False, "メールによる広告・お知らせの受信を停止"),
    ]

    # Segments, counted live.
    made = {
        "優良": ("--rfm-class", "champions"),
        "梅田": ("--store", umeda),
        "配信可": ("--consent",),
        "一万円以上": ("--spend-min", "10000"),
        "残高あり": ("--active-voucher",),
        "残高なし": ("--no-active-voucher",),
    }
    counts = {
        name: ok_json(node, "segment", "create", "--name", name, *opts)["customers"]
        for name, opts in made.items()
    }
    assert counts == {
        "優良": 1,
        "梅田": 3,
        "配信可": 1,
        "一万円以上": 1,
        "残高あり": 2,
        "残高なし": 2,
    }
    listed = ok_json(node, "segment", "list")["segments"]
    assert listed[0] == {"name": "all", "filters": {}, "customers": 4}
    assert {s["name"] for s in listed} == {"all", *made}
    table = kippu(node, "segment", "list").stdout.splitlines()
    assert table[0].split() == ["name", "customers"] and table[1].split() == ["all", "4"]

    assert refused(node, "segment", "create", "--name", "優良")["code"] == "segment.name_taken"
    upside_down = refused(
        node, "segment", "create", "--name", "x", "--balance-min", "5", "--balance-max", "1"
    )
    assert (upside_down["code"], upside_down["field"]) == ("segment.invalid", "balance_max")
    assert refused(node, "segment", "create", "--name", "all")["code"] == "segment.invalid"
    ok_json(node, "segment", "delete", "梅田")
    assert refused(node, "segment", "delete", "梅田")["code"] == "segment.not_found"
    assert refused(node, "segment", "delete", "all")["code"] == "segment.not_found"

    # The stated day and window are checked.
    assert (
        refused(node, "analytics", "kpi", "--as-of", "2026-11-26")["code"]
        == "request.date_in_future"
    )
    assert (
        refused(node, "analytics", "kpi", "--as-of", "2026-02-30")["code"] == "request.invalid_date"
    )
    bad_window = refused(node, "analytics", "rfm", "--window-days", "0")
    assert (bad_window["code"], bad_window["field"]) == ("analytics.invalid", "window_days")
    assert refused(node, "analytics", "ltv", "--margin", "101")["code"] == "analytics.invalid"
