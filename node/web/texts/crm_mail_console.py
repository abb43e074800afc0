"""Text of the console's campaign mail pages (キャンペーンメール: the list, compose with preview
and test send, each mail's status and its cancel)."""

from __future__ import annotations

# key: (日本語, English)
TEXTS: dict[str, tuple[str, str]] = {
    "ml_title": ("キャンペーンメール", "Campaign mail"),
    "ml_link": ("キャンペーンメール", "Campaign mail"),
    "ml_intro": (
        "セグメントのお客様のうち、お知らせメールに同意した方へ送ります。",
        "Mail goes to the customers of a segment who consented to offer mails.",
    ),
    "ml_compose": ("メールを作る", "Compose a mail"),
    "ml_none": ("まだメールはありません。", "No mail yet."),
    "ml_subject": ("件名", "Subject"),
    "ml_segment": ("セグメント", "Segment"),
    "ml_status": ("状態", "Status"),
    "ml_send_at": ("送信日時", "Send time"),
    "ml_counts": ("宛先の内訳", "Recipients"),
    "ml_open": ("詳細", "Details"),
    "ml_st_scheduled": ("予約済み", "Scheduled"),
    "ml_st_sending": ("送信中", "Sending"),
    "ml_st_sent": ("送信完了", "Sent"),
    "ml_st_cancelled": ("取り消し", "Cancelled"),
    "ml_rc_queued": ("送信待ち", "Queued"),
    "ml_rc_sent": ("送信済み", "Sent"),
    "ml_rc_failed": ("失敗", "Failed"),
    "ml_rc_skipped": ("送らず", "Skipped"),
    # compose
    "ml_new_title": ("キャンペーンメールを作る", "Compose a campaign mail"),
    "ml_sender_problem": (
        "このままでは送信できません。",
        "Mail cannot be sent as the node is set up now.",
    ),
    "ml_missing": ("未設定の項目", "Not set"),
    "ml_back_list": ("メールの一覧へ", "All mail"),
    "ml_segment_all": ("すべてのお客様", "Every customer"),
    "ml_body": ("本文", "Body"),
    "ml_variables": ("差し込み", "Variables"),
    "ml_variables_hint": (
        "件名と本文に書くと、お客様ごとの値に置き換わります。"
        "波かっこそのものは {{ と }} と書きます。",
        "Written in the subject or body, each is replaced by the customer's own value."
        " Write {{ and }} for a brace itself.",
    ),
    "ml_var_name": ("お名前", "the customer's name"),
    "ml_var_balance": ("商品券の残高 (例: 10,000円)", "voucher balance (e.g. 10,000円)"),
    "ml_var_rank": ("会員ランク", "member rank"),
    "ml_var_points": ("ポイント", "points"),
    "ml_var_expiring_points": ("30日以内に失効するポイント", "points lapsing within 30 days"),
    "ml_when": ("送信のタイミング", "When to send"),
    "ml_now": ("すぐに送る", "Now"),
    "ml_later": ("日時を指定する", "At a set time"),
    "ml_send_at_hint": ("この店舗の時刻で入力します。", "In the node's local time."),
    "ml_per_minute": ("1分あたりの送信数", "Mails a minute"),
    "ml_per_minute_hint": ("1から100,000まで", "1 to 100,000"),
    "ml_offer": ("メール限定クーポン (任意)", "Coupon with the mail (optional)"),
    "ml_offer_hint": (
        "金額を入れると、送信した宛先ごとにクーポンを1枚お届けします。空欄ならクーポンなしです。",
        "With a value, each recipient the mail is sent to gets one coupon; empty: no coupon.",
    ),
    "ml_face_yen": ("クーポンの金額 (円)", "Coupon value (yen)"),
    "ml_use_until": ("最終利用日", "Last day of use"),
    "ml_offer_stores": ("使える店舗", "Stores taking it"),
    "ml_offer_stores_hint": (
        "選ばなければ全店舗で使えます。",
        "None chosen: every store takes it.",
    ),
    "ml_preview_button": ("プレビュー", "Preview"),
    "ml_test_to": ("テスト送信先のメールアドレス", "Address for the test"),
    "ml_test_button": ("テスト送信", "Send a test"),
    "ml_send_button": ("送信予約・送信", "Schedule or send"),
    "ml_buttons_hint": (
        "プレビューとテスト送信は何も記録せず、クーポンも配りません。",
        "The preview and the test send record nothing and give no coupon.",
    ),
    "ml_preview": ("プレビュー", "Preview"),
    "ml_members": ("セグメントの人数", "In the segment"),
    "ml_without_address": ("メールアドレスなし", "No e-mail address"),
    "ml_not_consenting": ("配信の同意なし", "Not consenting"),
    "ml_recipients": ("送信先", "Would receive it"),
    "ml_sample": ("届くメールの例", "The message as one reader gets it"),
    "ml_sample_sample_values": (
        "送信先がいないため、見本の値で差し込んでいます。",
        "Nobody would receive it, so sample values fill the variables.",
    ),
    "ml_sample_to": ("宛先", "To"),
    "ml_test_sent": ("テストメールを送りました。送信先:", "The test was sent to:"),
    # status
    "ml_created_at": ("作成", "Made"),
    "ml_started_at": ("送信開始", "Started"),
    "ml_finished_at": ("送信完了", "Finished"),
    "ml_rate": ("{n}通", "{n}"),
    "ml_total": ("合計", "Total"),
    "ml_offer_none": ("クーポンなし", "No coupon"),
    "ml_offer_title": ("クーポン", "Coupon"),
    "ml_all_stores": ("全店舗", "Every store"),
    "ml_issued": ("配布", "Given"),
    "ml_used": ("利用", "Used"),
    "ml_used_yen": ("利用額", "Redeemed"),
    "ml_recipient_list": ("宛先", "Recipients"),
    "ml_address": ("メールアドレス", "Address"),
    "ml_reason": ("理由", "Reason"),
    "ml_attempts": ("試行回数", "Attempts"),
    "ml_no_recipients": (
        "宛先は送信の時刻に決まります。",
        "The recipients are taken when the mail's time comes.",
    ),
    "ml_rows": ("{first}件目から", "From row {first}"),
    "ml_prev": ("前の100件", "Previous 100"),
    "ml_next": ("次の100件", "Next 100"),
    "ml_reload": ("更新", "Refresh"),
    "ml_live": (
        "送信中は数秒ごとに自動で更新します。",
        "While it sends, the figures refresh every few seconds.",
    ),
    "ml_cancel": ("送信を取り消す", "Cancel the mail"),
    "ml_cancel_title": ("メールの取り消し", "Cancel a mail"),
    "ml_cancel_warning": (
        "このメールは送られません。取り消した後に戻すことはできません。",
        "This mail will not be sent. A cancel cannot be undone.",
    ),
    "ml_cancel_too_late": (
        "送信が始まったメールは取り消せません。",
        "A mail that has started cannot be cancelled.",
    ),
    "ml_back": ("戻る", "Back"),
    "ml_reason_no_consent": (
        "お知らせメールへの同意がありません",
        "No consent to offer mails in force",
    ),
    "ml_reason_offer_ended": (
        "送信前にクーポンの期限が過ぎました",
        "The coupon's last day passed before sending",
    ),
    "ml_reason_attempts": ("何度か試しましたが送れませんでした", "Not sent after several tries"),
    "done_ml_created": ("メールを作りました。", "The mail is made."),
    "done_ml_cancelled": ("メールを取り消しました。", "The mail is cancelled."),
    # the compose form's refusals, beside their fields (node/web/admin/form_errors.py)
    "cf_field:segment": ("セグメントを一覧から選んでください。", "Choose a segment from the list."),
    "cf_field:subject": (
        "件名を200文字以内の1行で入力してください。差し込みは {name} などの5つだけです。",
        "Enter a subject of one line, at most 200 characters; the variables are the five"
        " listed only.",
    ),
    "cf_field:body": (
        "本文を20,000文字以内で入力してください。差し込みは {name} などの5つだけです。",
        "Enter a body of at most 20,000 characters; the variables are the five listed only.",
    ),
    "cf_field:send_at": (
        "送信日時を、いまより後の日時で入力してください。",
        "Enter a send time that is still to come.",
    ),
    "cf_field:per_minute": (
        "1分あたりの送信数を1から100,000までの整数で入力してください。",
        "Enter the mails a minute as a whole number from 1 to 100,000.",
    ),
    "cf_field:offer": ("クーポンの内容を確認してください。", "Check the coupon's fields."),
    "cf_field:offer.face_yen": (
        "クーポンの金額を1円から1,000,000円までの整数で入力してください。",
        "Enter the coupon's value in whole yen, from 1 to 1,000,000.",
    ),
    "cf_field:offer.use_until": (
        "最終利用日を、送信日から366日以内の日付で入力してください。",
        "Enter a last day from the day of sending to 366 days after it.",
    ),
    "cf_field:offer.stores": (
        "使える店舗を一覧から選んでください。",
        "Choose the stores from the list.",
    ),
    "cf_field:test_to": (
        "テスト送信先のメールアドレスを入力してください。",
        "Enter an e-mail address to send the test to.",
    ),
    "cf_field:mail_id": (
        "送信が始まったメールは取り消せません。",
        "A mail that has started cannot be cancelled.",
    ),
    "field:send_at": ("送信日時", "send time"),
    "field:test_to": ("テスト送信先", "test address"),
}
