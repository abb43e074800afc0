"""The console's store payouts and stores' bank accounts (精算・振込, 振込先口座): page text in
Japanese and English (node/web/admin/campaign_payouts.py, campaign_banks.py). The codes' own
texts (bank.*, payout.*) are node/web/texts/campaign_bank.py's."""

from __future__ import annotations

# key: (日本語, English)
TEXTS: dict[str, tuple[str, str]] = {
    "cpp_tab_banks": ("振込先口座", "Bank accounts"),
    "cpp_title": ("精算・振込", "Store payouts"),
    "cpp_hint": (
        "期間中に加盟店で使われたキャンペーン券の額を、店舗ごとに振り込みます。"
        "期間は終わった日まで(今日より前)で、同じ日を二度支払うことはありません。",
        "Pays each store what campaign coupons paid for there in a period. A period ends"
        " before today, and no day is paid twice.",
    ),
    "cpp_runs": ("これまでの支払", "Payout runs"),
    "cpp_no_runs": ("まだ支払はありません。", "No payout has been run yet."),
    "cpp_period": ("期間", "Period"),
    "cpp_from": ("開始日", "First day"),
    "cpp_to": ("終了日", "Last day"),
    "cpp_transfer_date": ("振込指定日", "Transfer date"),
    "cpp_transfer_hint": ("空欄なら明日。", "Empty: tomorrow."),
    "cpp_stores": ("店舗数", "Stores"),
    "cpp_total": ("合計", "Total"),
    "cpp_created": ("実行日時", "Run at"),
    "cpp_new": ("新しい支払", "New payout"),
    "cpp_preview": ("内容を確認", "Preview"),
    "cpp_preview_title": ("支払内容の確認", "What this payout pays"),
    "cpp_campaign": ("キャンペーン", "Campaign"),
    "cpp_class": ("店舗区分", "Store class"),
    "cpp_class_common": ("共通券", "Common"),
    "cpp_class_local": ("専用券", "Local-only"),
    "cpp_uses": ("利用件数", "Uses"),
    "cpp_amount": ("金額", "Amount"),
    "cpp_account": ("振込先口座", "Bank account"),
    "cpp_has_account": ("登録済", "On record"),
    "cpp_no_account": ("未登録", "Missing"),
    "cpp_not_paid": ("振込なし(0円以下)", "Not transferred (¥0 or less)"),
    "cpp_no_use": ("この期間の利用はありません。", "No coupon was used in this period."),
    "cpp_refusals": ("このままでは支払えません", "This payout cannot be run yet"),
    "cpp_ready": ("支払を実行できます。", "This payout can be run."),
    "cpp_confirm": ("この内容で支払を実行", "Run this payout"),
    "cpp_confirm_hint": (
        "実行すると仕訳が記帳され、全銀ファイルをダウンロードできます。二度押しても同じ支払です。",
        "Running it books the journal entry and makes the 全銀 file; pressing twice gives the"
        " same run.",
    ),
    "cpp_run_title": ("支払", "Payout"),
    "cpp_lines": ("明細", "Lines"),
    "cpp_transferred": ("振込", "Transferred"),
    "cpp_yes": ("あり", "Yes"),
    "cpp_no": ("なし", "No"),
    "cpp_downloads": ("ダウンロード", "Downloads"),
    "cpp_usage_csv": ("利用明細 (CSV)", "Usage (CSV)"),
    "cpp_zengin_file": ("全銀 総合振込ファイル", "全銀 bulk transfer file"),
    "cpp_books": ("照合", "Reconciliation"),
    "cpp_books_eq": (
        "予算 = 付与済 + 残り ／ 付与済 = 利用済 + 失効 + 未使用残高 ／ 支払済 + 未払 = 利用済"  # noqa: RUF001
        " ／ 支払済 + 相殺・繰越 = 精算済(支払済は店舗への振込額を利用額に応じて按分、合計は振込の総額)",  # noqa: RUF001
        "budget = granted + remaining / granted = used + lapsed + outstanding /"
        " paid + unpaid = used / paid + netted = settled (paid: the stores' transfers shared"
        " among their campaigns by use; its total is what was sent)",
    ),
    "cpp_reconciled": ("すべての式が成り立っています。", "Every identity holds."),
    "cpp_not_reconciled": (
        "照合が合いません。支払を止め、台帳を確認してください。",
        "The books do not reconcile. Stop paying and check the ledger.",
    ),
    "cpp_budget": ("予算", "Budget"),
    "cpp_granted": ("付与済", "Granted"),
    "cpp_remaining": ("残り", "Remaining"),
    "cpp_used": ("利用済", "Used"),
    "cpp_lapsed": ("失効", "Lapsed"),
    "cpp_outstanding": ("未使用残高", "Outstanding"),
    "cpp_paid": ("支払済(振込)", "Paid (sent)"),
    "cpp_unpaid": ("未払", "Unpaid"),
    "cpp_holds": ("成立", "Holds"),
    "cpp_fails": ("不一致", "Fails"),
    "cpp_no_limit": ("上限なし", "No limit"),
    "cpp_to_list": ("精算・振込の一覧", "All payouts"),
    "cpp_banks_title": ("加盟店の振込先口座", "Stores' bank accounts"),
    "cpp_banks_hint": (
        "支払の振込先です。金融機関・支店は全銀協のコード一覧で確かめます。",
        "Where each store is paid. Bank and branch codes are checked against the bank-code list.",
    ),
    "cpp_bank": ("金融機関", "Bank"),
    "cpp_branch": ("支店", "Branch"),
    "cpp_account_type": ("種類", "Type"),
    "cpp_type_ordinary": ("普通", "Ordinary"),
    "cpp_type_current": ("当座", "Current"),
    "cpp_type_savings": ("貯蓄", "Savings"),
    "cpp_number": ("口座番号", "Account number"),
    "cpp_holder": ("名義", "Holder"),
    "cpp_not_set": ("未登録", "Not set"),
    "cpp_set_account": ("口座を登録", "Set the account"),
    "cpp_change_account": ("口座を変更", "Change the account"),
    "cpp_bank_code": ("金融機関コード (4桁)", "Bank code (4 digits)"),
    "cpp_branch_code": ("支店コード (3桁)", "Branch code (3 digits)"),
    "cpp_number_field": ("口座番号 (7桁まで)", "Account number (up to 7 digits)"),
    "cpp_holder_field": ("口座名義 (カタカナ)", "Account holder (katakana)"),
    "cpp_holder_hint": (
        "通帳のとおりに。ひらがな・全角カナは半角カナに直します"
        "(例: 株式会社カギヤ → ｶ)ｶｷﾞﾔ)。漢字は使えません。",
        "As the passbook shows it. Hiragana and full-width katakana are converted to half-width"
        " (e.g. 株式会社カギヤ → ｶ)ｶｷﾞﾔ). Kanji cannot be used.",
    ),
    "cpp_save": ("保存", "Save"),
    "cpp_no_stores": ("店舗がありません。", "There are no stores."),
    "done_cpp_run": ("支払を記録しました。", "The payout was recorded."),
    "done_cpp_bank_set": ("振込先口座を保存しました。", "The bank account was saved."),
}
