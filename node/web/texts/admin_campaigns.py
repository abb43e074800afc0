"""Text of the console's municipal campaign pages (自治体キャンペーン): the list, the new-campaign
form, a campaign's status and reconciliation, the office's grant, closing, the stores' classes."""

from __future__ import annotations

# key: (日本語, English). Templates call t("key").
TEXTS: dict[str, tuple[str, str]] = {
    "nav_campaigns": ("キャンペーン", "Campaigns"),
    "cpc_title": ("自治体キャンペーン", "Municipal campaigns"),
    "cpc_intro": (
        "プレミアム商品券・先着・抽選・綴り・アンケートのキャンペーンです。"
        "付与はすべて台帳に記録され、予算の内訳はいつでも台帳と照合されます。",
        "Premium vouchers, first-come, lottery, ticket-book and survey campaigns. Every grant is"
        " booked in the ledger, and each budget is reconciled with it whenever you look.",
    ),
    "cpc_tab_list": ("一覧", "All campaigns"),
    "cpc_tab_new": ("新規作成", "New campaign"),
    "cpc_tab_classes": ("店舗区分", "Store classes"),
    "cpc_tab_applications": ("加盟店申請", "Store applications"),
    "cpc_tab_payouts": ("精算・振込", "Payouts"),
    "cpc_tab_status": ("状況", "Status"),
    "cpc_tab_serials": ("シリアルコード", "Serial codes"),
    "cpc_tab_lottery": ("抽選", "Lottery"),
    "cpc_tab_survey": ("アンケート", "Survey"),
    "cpc_kind_premium": ("プレミアム商品券", "Premium vouchers"),
    "cpc_kind_first-come": ("先着", "First-come"),
    "cpc_kind_lottery": ("抽選", "Lottery"),
    "cpc_kind_ticket-book": ("綴り", "Ticket book"),
    "cpc_kind_survey": ("アンケート", "Survey"),
    "cpc_state_open": ("受付中", "Open"),
    "cpc_state_scheduled": ("開始前", "Not yet open"),
    "cpc_state_ended": ("受付終了", "Period over"),
    "cpc_state_closed": ("終了 (事務局)", "Closed"),
    "cpc_state_sold_out": ("完売", "Sold out"),
    "cpc_name": ("キャンペーン名", "Campaign"),
    "cpc_kind": ("種類", "Kind"),
    "cpc_period": ("受付期間", "Period"),
    "cpc_stock_used": ("在庫の消化", "Stock used"),
    "cpc_budget_used": ("予算の消化", "Budget used"),
    "cpc_of": ("{used} / {all}", "{used} of {all}"),
    "cpc_next_round": ("次の配布: {when}", "Next round: {when}"),
    "cpc_no_limit": ("上限なし", "no limit"),
    "cpc_none": (
        "キャンペーンはまだありません。「新規作成」から作成できます。",
        "No campaign yet: create one under “New campaign”.",
    ),
    "cpc_new_title": ("キャンペーンの新規作成", "New campaign"),
    "cpc_new_hint": (
        "種類を選ぶと、その種類に必要な項目だけが表示されます。"
        "日時はこのノードのタイムゾーンで入力します。",
        "Choosing a kind shows the fields it needs. Times are in the node's time zone.",
    ),
    "cpc_part_amounts": ("金額と上限", "Amounts and limits"),
    "cpc_part_period": ("期間", "Period"),
    "cpc_part_residents": ("住民の条件", "For residents"),
    "cpc_only_for": ("({kinds}のみ)", "({kinds} only)"),
    "cpc_face_hint": (
        "(1枚の額面。プレミアム商品券はセットの額面、綴りは1枚あたり)",
        "(per coupon: a premium set's whole face, a ticket book's per ticket)",
    ),
    "cpc_price_hint": ("(住民が支払う額。額面より低く)", "(what a resident pays; below the face)"),
    "cpc_local_hint": (
        "(額面のうち中小店舗だけで使える専用券の額。なければ空欄)",
        "(of the face, the part usable only at small local shops; empty for none)",
    ),
    "cpc_stock_hint": (
        "(付与できるセット数。予算だけで管理するなら空欄)",
        "(grants in all; empty to limit by the budget only)",
    ),
    "cpc_budget_hint": (
        "(付与できる額面の合計。在庫だけで管理するなら空欄)",
        "(face value that may be granted in all; empty to limit by the stock only)",
    ),
    "cpc_per_person_hint": ("(空欄: 1回)", "(empty: once)"),
    "cpc_use_until_hint": ("(空欄: 受付終了まで)", "(empty: until the period ends)"),
    "cpc_rounds_legend": ("配布回 (先着)", "Rounds (first-come)"),
    "cpc_rounds_hint": (
        "在庫を何回かに分けて配布するときに入力します。各回の開始日時と数を入れ、"
        "合計を在庫数と同じにしてください。空欄の行は使いません。",
        "To release the stock in several rounds: each round's start and count; together they"
        " make the whole stock. Empty rows are ignored.",
    ),
    "cpc_round_n": ("第{n}回", "Round {n}"),
    "cpc_round_opens": ("開始日時", "Opens at"),
    "cpc_round_stock": ("数", "Count"),
    "cpc_add_round": ("配布回を追加", "Add a round"),
    "cpc_checks_legend": ("資格確認 (すべて必要)", "Eligibility checks (all required)"),
    "cpc_method_serial": ("シリアルコード", "Serial code"),
    "cpc_method_email": ("メール認証", "Email code"),
    "cpc_method_sms": ("SMS認証", "SMS code"),
    "cpc_method_line": ("LINEログイン", "LINE Login"),
    "cpc_method_passkey": ("端末認証 (パスキー)", "Device passkey"),
    "cpc_method_residence": ("居住地 (郵便番号)", "Residence (postcode)"),
    "cpc_postcodes_hint": (
        "(居住地を確認するときの対象郵便番号。1行に1つ、7桁または上3桁)",
        "(for the residence check: one a line, 7 digits or a 3-digit area)",
    ),
    "cpc_terms_hint": ("(住民に表示されます)", "(shown to residents)"),
    "cpc_create": ("作成する", "Create"),
    "done_cpc_created": ("キャンペーンを作成しました。", "The campaign was created."),
    "done_cpc_granted": ("付与しました。", "Granted."),
    "done_cpc_closed": ("キャンペーンを終了しました。", "The campaign was closed."),
    "done_cpc_local_on": (
        "中小店舗に設定しました (専用券が使えます)。",
        "Marked a small local shop (local-only vouchers accepted).",
    ),
    "done_cpc_local_off": (
        "中小店舗の設定を外しました (専用券は使えません)。",
        "No longer a small local shop (local-only vouchers refused).",
    ),
    "cpc_reconciliation": ("予算の内訳 (台帳と照合)", "Where the budget is (from the ledger)"),
    "cpc_reconciled": (
        "照合済み: キャンペーンの記録と台帳が一致しています。",
        "Reconciled: the campaign's records and the ledger agree.",
    ),
    "cpc_not_reconciled": (
        "警告: キャンペーンの記録と台帳が一致しません。付与を止めて調査してください。",
        "Alarm: the campaign's records and the ledger disagree. Stop granting and investigate.",
    ),
    "cpc_budget": ("予算", "Budget"),
    "cpc_granted": ("付与済", "Granted"),
    "cpc_remaining": ("残り", "Remaining"),
    "cpc_used": ("利用済", "Used at stores"),
    "cpc_lapsed": ("失効", "Lapsed"),
    "cpc_outstanding": ("未使用残高", "Outstanding"),
    "cpc_paid_by_residents": ("うち住民の支払い", "Of it, paid by residents"),
    "cpc_funded_by_budget": ("うち予算負担", "Of it, funded by the budget"),
    "cpc_budget_eq": ("予算 = 付与済 + 残り", "Budget = granted + remaining"),
    "cpc_granted_eq": (
        "付与済 = 利用済 + 失効 + 未使用残高",
        "Granted = used + lapsed + outstanding",
    ),
    "cpc_sets": ("付与セット数", "Grants"),
    "cpc_vouchers": ("発行した券", "Vouchers issued"),
    "cpc_terms_title": ("条件", "Terms"),
    "cpc_face": ("額面", "Face value"),
    "cpc_price": ("販売価格", "Price"),
    "cpc_local": ("うち専用券", "Of it, local-only"),
    "cpc_book": ("綴りの枚数", "Tickets per book"),
    "cpc_per_person": ("お一人の上限", "Per person"),
    "cpc_use_until": ("利用期限", "Usable until"),
    "cpc_checks": ("資格確認", "Eligibility"),
    "cpc_no_checks": ("なし", "None"),
    "cpc_postcodes": ("対象の郵便番号", "Eligible postcodes"),
    "cpc_terms": ("利用条件", "Terms for residents"),
    "cpc_no_terms": ("(未設定)", "(none)"),
    "cpc_rounds": ("配布回", "Rounds"),
    "cpc_round_open": ("配布中", "Released"),
    "cpc_round_waiting": ("開始前", "Not yet"),
    "cpc_released": ("配布済みの在庫", "Stock released"),
    "cpc_grant_title": ("お客様に付与", "Grant to a customer"),
    "cpc_grant_hint": (
        "事務局からの付与も、住民本人と同じ条件 (資格確認・お一人の上限・在庫) で判定されます。",
        "The office's grant follows a resident's rules: the checks, the per-person limit, the"
        " stock.",
    ),
    "cpc_collect_price": (
        "付与すると販売価格 {price} を現金で受け取ったものとして記録します。"
        "窓口で受け取ってから付与してください。",
        "A grant records the price, {price}, as received in cash: collect it at the counter first.",
    ),
    "cpc_find": ("お客様を検索 (名前・メール)", "Find a customer (name or email)"),
    "cpc_found_none": ("一致するお客様はいません。", "No customer matches."),
    "cpc_customer": ("お客様IDまたはメールアドレス", "Customer id or email"),
    "cpc_grant": ("付与する", "Grant"),
    "cpc_grant_to": ("この方に付与", "Grant to them"),
    "cpc_granted_voucher": ("付与した券: {voucher}", "Voucher granted: {voucher}"),
    "cpc_close": ("キャンペーンを終了", "Close the campaign"),
    "cpc_close_title": ("キャンペーンの終了", "Close the campaign"),
    "cpc_close_warning": (
        "終了すると、これ以降は誰にも付与されません。すでに付与した券は利用期限まで使えます。"
        "終了は取り消せません。",
        "Once closed, nothing more is granted from it; coupons granted stay usable until their"
        " expiry. Closing cannot be undone.",
    ),
    "cpc_close_confirm": ("終了する", "Close it"),
    "cpc_already_closed": ("終了済み", "Closed already"),
    "cpc_classes_title": ("店舗区分", "Store classes"),
    "cpc_classes_hint": (
        "中小店舗に設定した店舗だけで、専用券が使えます。共通券はすべての加盟店で使えます。",
        "Local-only vouchers (専用券) are accepted only at the stores marked small local shops;"
        " common vouchers at every participating store.",
    ),
    "cpc_local_shop": ("中小店舗 (専用券可)", "Small local shop (local-only accepted)"),
    "cpc_local_yes": ("中小店舗", "Small local shop"),
    "cpc_local_no": ("一般", "General"),
    "cpc_make_local": ("中小店舗にする", "Mark small local shop"),
    "cpc_make_common": ("中小店舗から外す", "Unmark"),
    "cpc_no_stores": ("店舗がまだありません。", "No store yet."),
    "field:customer": ("お客様", "Customer"),
    "cf_field:customer": (
        "お客様IDか、登録済みのメールアドレスを正確に入力してください。",
        "Enter a customer id, or a customer's email exactly as registered.",
    ),
    # The console's own words for a refused field of the new-campaign form (what the rule asks).
    "cpc_field:kind": ("キャンペーンの種類を選んでください。", "Choose the kind of campaign."),
    "cpc_field:name": (
        "キャンペーン名を100文字以内で入力してください。",
        "Enter the campaign's name, at most 100 characters.",
    ),
    "cpc_field:face_yen": (
        "額面を1円以上の整数で入力してください。",
        "Enter the face value in whole yen, ¥1 or more.",
    ),
    "cpc_field:price_yen": (
        "販売価格を1円以上、額面より低い整数で入力してください。",
        "Enter the price in whole yen, at least ¥1 and below the face value.",
    ),
    "cpc_field:local_yen": (
        "専用券の額は額面より少ない整数で入力してください (綴りには設定できません)。",
        "Enter the local-only part in whole yen, less than the face (not for a ticket book).",
    ),
    "cpc_field:book_count": (
        "綴りの枚数を2〜100の整数で入力してください。",
        "Enter the tickets per book, 2 to 100.",
    ),
    "cpc_field:stock": (
        "在庫数を1以上の整数で入力してください (在庫と予算の少なくとも一方が必要です)。",
        "Enter the stock, 1 or more (give a stock, a budget, or both).",
    ),
    "cpc_field:per_person": (
        "お一人の上限を1〜100の整数で入力してください。",
        "Enter the per-person limit, 1 to 100.",
    ),
    "cpc_field:budget_yen": (
        "予算は1回分の付与額以上の整数 (円) で入力してください。",
        "Enter the budget in whole yen, at least one grant's face value.",
    ),
    "cpc_field:starts_at": ("開始日時を入力してください。", "Enter when it starts."),
    "cpc_field:ends_at": (
        "終了日時を開始より後の日時で入力してください。",
        "Enter when it ends, after it starts.",
    ),
    "cpc_field:use_until": (
        "利用期限は受付終了と同じか、それより後にしてください。",
        "Coupons must be usable at least until the period ends.",
    ),
    "cpc_field:eligibility": ("資格確認の項目を選び直してください。", "Choose the checks again."),
    "cpc_field:postcodes": (
        "居住地の確認には対象の郵便番号 (7桁または上3桁) が必要です。"
        "郵便番号を入れるときは居住地の確認も選んでください。",
        "A residence check needs its postcodes (7 digits or a 3-digit area), and postcodes"
        " need the residence check.",
    ),
    "cpc_field:terms": (
        "利用条件は4000文字以内で入力してください。",
        "Keep the terms within 4,000 characters.",
    ),
    "cpc_field:rounds": (
        "配布回は先着だけで使えます。各回の開始日時 (受付期間内、前の回より後) と数を入れ、"
        "合計を在庫数と同じにしてください。",
        "Rounds are for first-come only: each opens within the period after the one before,"
        " and together they release the whole stock.",
    ),
}
