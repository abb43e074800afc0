"""Console text: vouchers, customers and the redemptions CSV."""

from __future__ import annotations

# key: (日本語, English)
TEXTS: dict[str, tuple[str, str]] = {
    # vouchers
    "rc_vouchers_title": ("商品券の検索", "Find vouchers"),
    "rc_number": ("券番号", "Voucher number"),
    "rc_holder_query": ("お名前・メールの一部", "Part of name or email"),
    "rc_holder": ("お客様", "Holder"),
    "rc_any_status": ("すべての状態", "Any status"),
    "rc_sold_at": ("販売店舗", "Sold at"),
    "rc_any_store": ("すべての店舗", "Any store"),
    "rc_head_office": ("本部", "Head office"),
    "rc_bad_number": (
        "券番号は18桁までの数字で入力してください (空白・ハイフン可)。",
        "Type the voucher number as up to 18 digits (spaces and hyphens are fine).",
    ),
    "rc_face": ("額面", "Face value"),
    "rc_price": ("販売価格", "Price paid"),
    "rc_no_holder": ("未登録", "Not registered"),
    "rc_no_vouchers": ("該当する商品券はありません。", "No voucher matches."),
    "rc_gifted_from": ("贈り元の商品券", "Gifted from"),
    "rc_gifted_to": ("贈った先の商品券", "Gave a gift to"),
    # a voucher's history
    "rc_history": ("全履歴", "Full history"),
    "rc_when": ("日時", "When"),
    "rc_entry": ("取引", "Entry"),
    "rc_reference": ("番号", "Reference"),
    "rc_change": ("残高の増減", "Balance change"),
    "rc_amount": ("金額", "Amount"),
    "rc_kind_issue": ("発行", "Issued"),
    "rc_kind_redeem": ("利用", "Redeemed"),
    "rc_kind_void_redemption": ("利用取消", "Redemption voided"),
    "rc_kind_gift": ("贈呈", "Gift"),
    "rc_gift_out": ("贈呈 (贈った)", "Gift given"),
    "rc_gift_in": ("贈呈 (受け取り)", "Gift received"),
    "rc_kind_expire": ("失効 (雑収入へ)", "Expired (to breakage)"),
    "rc_kind_claim": ("提携先で利用", "Redeemed at a partner"),
    "rc_kind_claim_void": ("提携先での利用取消", "Partner redemption voided"),
    "rc_kind_settlement": ("精算", "Settlement"),
    "rc_voided": ("取消済み", "Voided"),
    "rc_partner": ("提携先", "Partner"),
    "rc_partner_redemptions": ("提携先の店舗での利用", "Redemptions at partner stores"),
    "rc_no_partner_redemptions": (
        "提携先の店舗での利用はありません。",
        "Not redeemed at any partner store.",
    ),
    # customers
    "rc_customers_title": ("お客様の検索", "Find customers"),
    "rc_customer_query": ("お名前・メールの一部", "Part of name or email"),
    "rc_name": ("お名前", "Name"),
    "rc_voucher_count": ("商品券", "Vouchers"),
    "rc_total_balance": ("残高合計", "Total balance"),
    "rc_no_customers": ("該当するお客様はいません。", "No customer matches."),
    "rc_wallet_account": ("マイ商品券のログイン", "Wallet sign-in"),
    "rc_wallet_yes": ("登録あり", "Registered"),
    "rc_wallet_no": ("未登録", "Not registered"),
    "rc_disabled": ("停止中", "Disabled"),
    "rc_last_sign_in": ("最終ログイン", "Last sign-in"),
    # the redemptions CSV
    "rc_exports_title": ("CSV出力 (利用明細・販売明細)", "CSV export (redemptions, sales)"),
    "rc_export_hint": (
        "日付は {zone} の日付で、終了日を含みます。期間は最長{days}日です。",
        "Dates are local dates in {zone}; the end date is included. At most {days} days.",
    ),
    "rc_all_stores": ("全店舗", "All stores"),
    "rc_from": ("開始日", "From"),
    "rc_to": ("終了日", "To"),
    "rc_download": ("CSVをダウンロード", "Download CSV"),
    "rc_this_month": ("今月分 (全店舗)", "This month (all stores)"),
    "rc_last_month": ("先月分 (全店舗)", "Last month (all stores)"),
    "rc_columns": ("CSVの列", "CSV columns"),
    "rc_columns_hint": (
        "UTF-8 (BOM付き)。見出し行は英語 (システム連携用に固定) か日本語を選べます。"
        "他社の商品券は発行元の承認後に載ります。",
        "UTF-8 with a BOM. The header row is in English (stable, for systems) or in Japanese."
        " A partner's voucher is listed once its issuer accepted it.",
    ),
}
