"""Console text for issue 15's console work: inline form errors, voucher actions (suspend, resume,
extend), staff display names, today's and this month's figures, charts, the sales export."""

from __future__ import annotations

# key: (日本語, English)
TEXTS: dict[str, tuple[str, str]] = {
    # Errors this area added (node/errors): shown on pages in the reader's language.
    "error:voucher.suspended": (
        "この商品券は利用停止中です (紛失などのため)。本部に利用再開を依頼してください。",
        "This voucher is suspended (e.g. a lost phone); ask head office to resume it.",
    ),
    "error:voucher.not_suspended": (
        "この商品券は利用停止中ではありません。再開する必要はありません。",
        "This voucher is not suspended; there is nothing to resume.",
    ),
    "error:voucher.expiry_not_later": (
        "有効期限は延長のみできます。現在の期限と今日より後の日付を選んでください。",
        "An expiry can only move later: choose a date after the current expiry and today.",
    ),
    "error:request.invalid_date": (
        "日付が正しくありません。カレンダーから選んでください。",
        "That is not a valid date; pick one from the calendar.",
    ),
    # The console's own wording for refusals on its forms (node/web/admin/form_errors.py).
    "cf:account.login_taken": (
        "このログイン名はすでに使われています。別のログイン名にしてください。",
        "This login name is taken; choose another.",
    ),
    "cf:voucher.suspended": (
        "この商品券はすでに利用停止中です。",
        "This voucher is suspended already.",
    ),
    "cf_field:name": (
        "名前を入力してください。長すぎる名前、改行や制御文字は使えません。",
        "Enter a name: not empty, not too long, no line breaks or control characters.",
    ),
    "cf_field:hours": (
        "有効時間を1〜720の整数で入力してください。",
        "Enter the validity in whole hours, 1 to 720.",
    ),
    "cf_field:invite": (
        "相手先から受け取った招待コードをそのまま貼り付けてください。",
        "Paste the invitation exactly as the partner sent it.",
    ),
    "cf_field:node_id": (
        "相手先のノードIDを正確に入力してください (52文字)。",  # noqa: RUF001 (katakana)
        "Enter the partner's node id exactly (52 characters).",
    ),
    "cf_field:url": (
        "相手先のURLを https:// から入力してください。",
        "Enter the partner's address, starting with https://.",
    ),
    "cf_field:limit": (
        "上限額は0以上の整数 (円) で入力してください。上限なしなら空欄にします。",
        "Enter the limit in whole yen, 0 or more; leave it empty for no limit.",
    ),
    "cf_field:understood": (
        "削除してよいことを確認するため、チェックを入れてください。",
        "Tick the box to confirm that you mean to remove the partner.",
    ),
    "cf_field:from_seq": (
        "再送を始める番号を1以上の整数で入力してください。",
        "Enter the position to resend from: a whole number, 1 or more.",
    ),
    "cf_field:display_name": (
        "表示名は100文字以内で入力してください (改行や制御文字は使えません)。",
        "Enter a display name of up to 100 characters (no line breaks or control characters).",
    ),
    "cf_field:password": (
        "パスワードは10文字以上で、4種類以上の文字を混ぜてください。",
        "A password needs at least 10 characters, of at least 4 different kinds.",
    ),
    "cf_field:stores": (
        "勤務できる店舗を1つ以上選んでください。",
        "Choose at least one store.",
    ),
    "cf_field:reason": (
        "理由を入力してください (200文字以内)。",
        "Give a reason (up to 200 characters).",
    ),
    "cf_field:reference": (
        "振込の照会番号を入力してください (200文字以内)。",
        "Enter the bank transfer's reference (up to 200 characters).",
    ),
    "cf_field:until": (
        "締め日時を正しく入力してください (未来の日時は指定できません)。",
        "Enter a valid cut-off (not in the future).",
    ),
    "cf_field:peer": ("提携先を選んでください。", "Choose a partner."),
    "cf_field:agreed": (
        "相手先と合意したことを確認するため、チェックを入れてください。",
        "Tick the box to confirm the partner agreed the claim stands.",
    ),
    "cf_field:expires_on": (
        "新しい有効期限の日付を選んでください。",
        "Choose the new expiry date.",
    ),
    # Staff display names.
    "cs_display_name": ("表示名", "Display name"),
    "cs_display_name_hint": (
        " (例: 山田太郎。レジの画面と記録に表示。空欄ならログイン名)",
        "(e.g. Taro Yamada; shown at the counter and in records; empty: the login name)",
    ),
    "cs_rename": ("表示名を変更", "Change display name"),
    "done_cs_renamed": ("表示名を変更しました。", "The display name was changed."),
    # Voucher actions.
    "va_actions": ("この商品券の操作", "Actions on this voucher"),
    "va_suspend": ("利用停止", "Suspend"),
    "va_resume": ("利用再開", "Resume"),
    "va_extend": ("有効期限を延長", "Extend the expiry"),
    "va_suspended": ("利用停止中", "Suspended"),
    "va_suspended_since": ("利用停止中 ({at}から)", "Suspended since {at}"),
    "va_suspend_hint": (
        "紛失・盗難のときに。停止中はレジでの利用、提携先での利用、贈呈、QRコードの表示ができません。残高はそのまま残ります。",
        "For a lost or stolen phone. While suspended the voucher cannot be used at our counter "
        "or a partner's, gifted, or shown as a QR code. Its balance stays.",
    ),
    "va_reason": ("理由", "Reason"),
    "va_wallet_suspended": (
        "この商品券は利用停止中です。残高はそのまま残っています。再開はお店(発行元)にご連絡ください。",
        "This voucher is suspended; its balance is kept. Contact the shop (issuer) to resume it.",
    ),
    "va_new_expiry": ("新しい有効期限 (この日まで有効)", "New expiry (valid through this day)"),
    "va_next": ("確認へ", "Review"),
    "va_confirm_title": ("内容を確認してください", "Please confirm"),
    "va_confirm_suspend": (
        "この商品券を利用停止にします。よろしいですか?",
        "Suspend this voucher?",
    ),
    "va_confirm_resume": (
        "この商品券の利用を再開します。よろしいですか?",
        "Resume this voucher?",
    ),
    "va_confirm_extend": (
        "有効期限を次のとおり延長します。延長は取り消せません (短くすることはできません)。",
        "The expiry moves as below. This cannot be undone (an expiry never moves earlier).",
    ),
    "va_do_suspend": ("利用停止する", "Suspend it"),
    "va_do_resume": ("利用を再開する", "Resume it"),
    "va_do_extend": ("延長する", "Extend it"),
    "va_cancel": ("やめる", "Cancel"),
    "va_current_expiry": ("現在の有効期限", "Current expiry"),
    "done_va_suspended": ("利用停止にしました。", "The voucher is suspended."),
    "done_va_resumed": ("利用を再開しました。", "The voucher can be used again."),
    "done_va_extended": ("有効期限を延長しました。", "The expiry was extended."),
    "va_changes": ("操作の記録", "Changes"),
    "va_no_changes": ("まだ操作はありません。", "No changes yet."),
    "va_kind_suspend": ("利用停止", "Suspended"),
    "va_kind_resume": ("利用再開", "Resumed"),
    "va_kind_extend": ("期限延長", "Extended"),
    "va_actor": ("操作した人", "By"),
    "actor_api": ("本部 (API)", "Head office (API)"),
    "va_expiry_change": ("期限", "Expiry"),
    "va_no_expiry_to_extend": (
        "この商品券には有効期限がありません。",
        "This voucher has no expiry.",
    ),
    # Dashboard figures and chart.
    "db_today": ("本日", "Today"),
    "db_this_month": ("今月", "This month"),
    "db_now": ("現在", "Now"),
    "db_count": ("{n}件", "{n}"),
    "db_partner_claims": ("提携先での利用 (買掛)", "Used at partners (payable)"),
    "db_our_claims": ("当社店舗での提携先券 (売掛)", "Partners' vouchers here (receivable)"),
    "db_chart_desc": (
        "日ごとの販売額と利用額の棒グラフ。縦軸は金額(円)、横軸は日付。同じ数値を下の表でも確認できます。",
        "Bar chart of sales and redemptions per day: amount in yen up, date across. The table "
        "below holds the same figures.",
    ),
    "db_as_table": ("表で見る", "Show as a table"),
    "va_expired_no_changes": (
        "有効期限を過ぎた商品券は、利用停止・再開・期限の延長ができません (残額は失効しています)。",
        "A voucher past its expiry cannot be suspended, resumed or extended (its remainder has lapsed).",
    ),
    "db_day": ("日付", "Date"),
    # Statements: the closing balance is what this statement settles, not a further debt.
    "st_opening": ("前回締め後残高", "Balance at the previous cut-off"),
    "st_closing": ("締め後残高", "Balance at this cut-off"),
    "st_side_owed_to_us": ("(相手先 → 当社)", "(partner to us)"),
    "st_side_owed_by_us": ("(当社 → 相手先)", "(us to partner)"),
    "va_staff": ("担当", "Staff"),
    "st_closing_is_this_payment": (
        "この精算書の支払額と同じです。別に支払う必要はありません。",
        "The same as this statement's payment: nothing more is owed on top of it.",
    ),
    "st_closing_see_payment": (
        "締め時点の残高です。支払うのは上の「支払額」だけで、この額を別に支払う必要はありません。",
        "The balance at the cut-off; only the amount to pay above is paid, not this on top.",
    ),
    "st_closing_cleared": (
        "支払・入金確認済み: 精算は完了しています。",
        "Paid and received: settled.",
    ),
    "st_closing_nothing": ("残高はありません。", "Nothing outstanding."),
    "st_line_date": ("利用日時", "Used at"),
    "st_line_store": ("店舗", "Store"),
    "st_line_receipt": ("レシート番号", "Receipt no."),
    "st_line_unknown": ("(記録なし)", "(no record)"),
    # CSV exports: header language, the sales CSV.
    "ex_headers": ("見出し行", "Header row"),
    "ex_headers_en": ("英語 (システム連携用)", "English (for systems)"),
    "ex_headers_ja": ("日本語", "Japanese"),
    "ex_redemptions": ("利用明細をダウンロード", "Download redemptions"),
    "ex_sales": ("販売明細をダウンロード", "Download sales"),
    "ex_redemption_columns": ("利用明細の列", "Redemptions CSV columns"),
    "ex_sales_columns": ("販売明細の列", "Sales CSV columns"),
    "ex_sales_hint": (
        "販売した商品券 (贈呈を除く) を1行ずつ。本部がAPIで発行したものは店舗が空欄です。"
        "支払方法と販売したスタッフは、まだ記録されていないため列がありません/空欄です。",
        "Each voucher sold (gifts excluded); head office's API issues have no store. The payment"
        " method and the selling staff are not recorded yet: no column / empty.",
    ),
    "cf_field:from": (
        "開始日を正しい日付で入力してください (終了日より後にはできません)。",
        "Enter a valid start date (not after the end date).",
    ),
    "cf_field:to": (
        "終了日を正しい日付で入力してください (期間は最長366日)。",
        "Enter a valid end date (at most 366 days from the start).",
    ),
    "cf_field:store": ("店舗を一覧から選んでください。", "Choose a store from the list."),
    "cf_field:headers": ("見出し行の言語を選んでください。", "Choose the header language."),
    # Field names for error texts (`field:<name>`) of the fields this area added.
    "field:display_name": ("表示名", "Display name"),
    "field:expires_on": ("新しい有効期限", "New expiry"),
    "field:headers": ("見出し行", "Header row"),
    "field:reason": ("理由", "Reason"),
}
