"""Text of the console's segments page (セグメント) and the LTV and cohort parts of 顧客分析."""

from __future__ import annotations

# key: (日本語, English)
TEXTS: dict[str, tuple[str, str]] = {
    "sg_title": ("セグメント", "Segments"),
    "sg_link": ("セグメント", "Segments"),
    "sg_intro": (
        "条件を保存したお客様のグループです。人数はいま時点の数で、開くたびに数え直します。",
        "Saved filters over customers. Each count is of now: it is counted again every time.",
    ),
    "sg_list": ("保存したセグメント", "Saved segments"),
    "sg_name": ("名前", "Name"),
    "sg_filters": ("条件", "Filters"),
    "sg_count": ("人数", "Customers"),
    "sg_builtin": ("すべてのお客様 (組み込み)", "Every customer (built in)"),
    "sg_csv": ("CSV", "CSV"),
    "sg_delete": ("削除", "Delete"),
    "sg_new": ("セグメントを作る", "New segment"),
    "sg_new_hint": (
        "入力した条件をすべて満たすお客様が入ります。空欄の条件は使いません。",
        "A customer is in it when every filter given holds; an empty field is no filter.",
    ),
    "sg_create": ("保存する", "Save"),
    "sg_any": ("指定しない", "Any"),
    "sg_yes": ("はい", "Yes"),
    "sg_no": ("いいえ", "No"),
    "sg_month": ("{n}月", "{n}"),
    "sg_days": ("日以内", "days"),
    "sg_yen_hint": ("円、整数", "yen, whole"),
    "sg_spend_hint": (
        "期間を空欄にすると今日までの365日の購入額です。",
        "With no days given, the spend of the 365 days up to today.",
    ),
    "sg_group_holdings": ("商品券と会員", "Vouchers and membership"),
    "sg_group_visits": ("来店と購入", "Visits and spend"),
    "sg_group_person": ("お客様について", "About the customer"),
    "sg_f_has_active_voucher": ("利用できる商品券を持っている", "Holds a usable voucher"),
    "sg_f_balance_min": ("商品券残高 (以上)", "Voucher balance, at least"),
    "sg_f_balance_max": ("商品券残高 (以下)", "Voucher balance, at most"),
    "sg_f_rank": ("会員ランク", "Member rank"),
    "sg_f_rfm_class": ("RFM分類 (今日時点)", "RFM class (as of today)"),
    "sg_f_last_visit_before": ("最終来店がこの日より前", "Last visit before"),
    "sg_f_last_visit_after": ("最終来店がこの日以降", "Last visit on or after"),
    "sg_f_stores_visited": ("来店した店舗 (いずれか)", "Visited any of these stores"),
    "sg_f_spend_min": ("購入額 (以上)", "Spend, at least"),
    "sg_f_spend_max": ("購入額 (以下)", "Spend, at most"),
    "sg_f_spend_from": ("購入額を数える初日", "Spend counted from"),
    "sg_f_spend_to": ("購入額を数える最終日", "Spend counted to"),
    "sg_f_birthday_month": ("誕生月", "Birthday month"),
    "sg_f_points_expiring_within_days": ("ポイントの失効が近い", "Points lapse within"),
    "sg_f_marketing_consent": ("お知らせメールに同意", "Consented to offer mails"),
    "sg_f_tag": ("タグ", "Tag"),
    "sg_no_stores": ("店舗がまだありません。", "No stores yet."),
    "sg_delete_title": ("セグメントの削除", "Delete a segment"),
    "sg_delete_warning": (
        "条件の保存を消します。お客様の記録や、送信済みのメールの宛先は変わりません。",
        "This removes the saved filters only: customers' records and mail already sent stay.",
    ),
    "sg_back": ("戻る", "Back"),
    "done_sg_created": ("セグメントを保存しました。", "The segment is saved."),
    "done_sg_deleted": ("セグメントを削除しました。", "The segment is deleted."),
    # LTV and cohorts on 顧客分析 (/admin/analytics)
    "an_margin": ("粗利率 (%)", "Gross margin (%)"),
    "an_ltv": ("獲得月別の平均LTV", "Average LTV by month acquired"),
    "an_ltv_hint": (
        "LTVは初回購入から基準日までの購入額に粗利率 {margin}% を掛けた粗利です。"
        "初回購入の月ごとの平均です。",
        "LTV: a customer's spend from their first payment to the day, times the {margin} %"
        " gross margin; averaged by the month of their first payment.",
    ),
    "an_ltv_desc": (
        "横軸は初回購入の月 (直近12か月)、縦軸はその月に獲得したお客様の平均LTVです。",
        "Across: the month of the first payment (the last twelve); up: the average LTV of the"
        " customers acquired in it.",
    ),
    "an_ltv_bar": ("{m}: 平均LTV {v} ({n}人)", "{m}: average LTV {v} ({n} customers)"),
    "an_ltv_total": ("全体の平均LTV", "Average LTV, everyone"),
    "an_acquired": ("獲得月", "Month acquired"),
    "an_spend": ("購入額", "Spend"),
    "an_gross": ("粗利", "Gross profit"),
    "an_average_ltv": ("平均LTV", "Average LTV"),
    "an_cohorts": ("コホート別の継続率", "Retention by cohort"),
    "an_cohorts_hint": (
        "初回購入の月ごとのお客様のうち、その後の各月に購入した人の割合です。",
        "Of the customers whose first payment was in a month, the share who paid in each month"
        " after.",
    ),
    "an_cohort_month": ("初回購入月", "First paid"),
    "an_since": ("{k}か月後", "+{k} mo"),
    "an_cohort_cell": (
        "{m}の{n}人のうち{k}か月後 ({at}) に購入: {r}人 ({s})",
        "{m}, {n} customers: {r} paid {k} months on ({at}), {s}",
    ),
    "an_no_cohorts": (
        "直近12か月に初めて購入したお客様はいません。",
        "Nobody paid for the first time in the last twelve months.",
    ),
}
