"""Text of the console's points pages (ポイント): the program, store rates, campaigns, members,
adjustments, shortfalls, and the points block on the console's home."""

from __future__ import annotations

# key: (日本語, English). Templates call t("key").
TEXTS: dict[str, tuple[str, str]] = {
    "nav_points": ("ポイント", "Points"),
    "pnt_tab_program": ("ポイント設定", "Program"),
    "pnt_tab_members": ("会員", "Members"),
    "pnt_tab_shortfalls": ("返品時の不足分", "Return shortfalls"),
    "pnt_tab_report": ("レポート", "Report"),
    "pnt_tab_exchange": ("ポイント交換", "Exchange"),
    "pnt_tab_lotteries": ("抽選", "Lotteries"),
    "pnt_intro": (
        "お買い物でたまるポイントの条件です。変更は指定した日時から適用され、"
        "それより前に付与したポイントの条件は変わりません。",
        "The terms on which purchases earn points. A change applies from the moment you set and"
        " never changes points earned before it.",
    ),
    "pnt_in_force": ("現在の条件", "Terms in force"),
    "pnt_default_program": (
        "まだ設定されていません。初期設定 (100円ごとに1ポイント) で運用しています。",
        "Not set yet: the default terms (1 point per ¥100) apply.",
    ),
    "pnt_since": ("{when} から適用", "In force since {when}"),
    "pnt_earn_rate": ("付与率", "Earn rate"),
    "pnt_rate_text": ("{yen}円ごとに{points}ポイント", "{points} pt per ¥{yen}"),
    "pnt_rounding_floor": ("切り捨て", "Round down"),
    "pnt_rounding_round": ("四捨五入", "Round half up"),
    "pnt_rounding_ceil": ("切り上げ", "Round up"),
    "pnt_expiry_days_text": ("付与から{n}日", "{n} days after earning"),
    "pnt_expiry_end_of_month": ("付与した月の末日まで", "To the end of the month earned in"),
    "pnt_expiry_end_of_year": ("付与した年の12月31日まで", "To 31 December of the year earned in"),
    "pnt_expiry_none": ("なし (無期限)", "None (never expire)"),
    "pnt_expiry_choice_days": ("付与から日数で", "A number of days after earning"),
    "pnt_expiry_choice_end_of_month": ("月末", "End of the month"),
    "pnt_expiry_choice_end_of_year": ("年末", "End of the year"),
    "pnt_expiry_choice_none": ("なし (無期限)", "None"),
    "pnt_value_text": ("1ポイント = {yen}円", "1 pt = ¥{yen}"),
    "pnt_points_n": ("{n} ポイント", "{n} pt"),
    "pnt_unit": ("ポイント", "points"),
    "pnt_scheduled": ("予定されている変更", "Scheduled changes"),
    "pnt_none_scheduled": ("予定されている変更はありません。", "No change is scheduled."),
    "pnt_set_by": ("設定者", "Set by"),
    "pnt_set_program": ("条件を変更", "Change the terms"),
    "pnt_set_hint": (
        "いまの条件が入っています。変える項目だけ書き換え、確認画面で適用日時を確かめてください。",
        "The form starts from the terms in force: change what you need, then check the moment"
        " it applies from on the next page.",
    ),
    "pnt_earn_points_hint": ("(上の金額ごとに付与するポイント数)", "(points per the amount above)"),
    "pnt_expiry_days_hint": ("(「付与から日数で」のときだけ使います)", "(used with days only)"),
    "pnt_effective_hint": (
        "(空欄: 確定した時点から。時刻はこのノードのタイムゾーン)",
        "(empty: from the moment you confirm; in the node's time zone)",
    ),
    "pnt_review": ("確認へ進む", "Review"),
    "pnt_confirm_program": ("ポイント条件の変更の確認", "Confirm the new terms"),
    "pnt_applies_now": (
        "この条件は「変更する」を押した時点から適用されます。",
        "These terms apply from the moment you press Change.",
    ),
    "pnt_applies_from": ("この条件は {when} から適用されます。", "These terms apply from {when}."),
    "pnt_never_past": (
        "それより前に付与されたポイントの条件 (有効期限など) は変わりません。",
        "Points earned before then keep their terms (their expiry and the rest).",
    ),
    "pnt_set_confirm": ("変更する", "Change"),
    "pnt_store_rates": ("店舗ごとの付与率", "Store rates"),
    "pnt_store_rates_hint": (
        "店舗ごとに付与率を変えられます。端数処理と有効期限は全体の条件に従います。",
        "A store may earn at its own rate; rounding and expiry follow the program.",
    ),
    "pnt_no_store_rates": (
        "店舗ごとの付与率はありません (全店で全体の条件)。",
        "No store has its own rate (the program's applies everywhere).",
    ),
    "pnt_choose_store": ("店舗を選んでください", "Choose a store"),
    "pnt_set_rate": ("付与率を設定", "Set the rate"),
    "pnt_campaigns": ("キャンペーン", "Campaigns"),
    "pnt_campaigns_hint": (
        "期間中のお買い物のポイントを倍率で増やします (200% = 2倍)。"
        "重なったときは最も高い倍率だけが適用されます。",
        "Multiplies the points of purchases in the period (200% = double). When campaigns"
        " overlap, only the highest applies.",
    ),
    "pnt_campaign_name": ("キャンペーン名", "Campaign name"),
    "pnt_all_stores": ("全店", "All stores"),
    "pnt_period": ("期間", "Period"),
    "pnt_campaign_running": ("実施中", "Running"),
    "pnt_campaign_scheduled": ("開始前", "Scheduled"),
    "pnt_campaign_ended": ("終了", "Ended"),
    "pnt_campaign_cancelled": ("中止", "Cancelled"),
    "pnt_no_campaigns": ("キャンペーンはありません。", "No campaign yet."),
    "pnt_multiplier_hint": ("(101〜2000。200で2倍)", "(101 to 2000; 200 doubles)"),
    "pnt_add_campaign": ("キャンペーンを追加", "Add the campaign"),
    "pnt_cancel": ("中止", "Cancel"),
    "pnt_cancel_title": ("キャンペーンの中止", "Cancel a campaign"),
    "pnt_cancel_warning": (
        "中止すると、これからのお買い物には倍率がつきません。"
        "実施中に付与したポイントはそのままです。元に戻すことはできません。",
        "Once cancelled, purchases from now on earn no multiplier. Points earned while it ran"
        " stay. This cannot be undone.",
    ),
    "pnt_cancel_confirm": ("中止する", "Cancel it"),
    "pnt_member_query": (
        "会員番号・カード番号・お名前・メールアドレス",
        "Member number, card number, name or email",
    ),
    "pnt_member_query_hint": (
        "10桁の会員番号か13桁のカード番号ならその会員を開きます。"
        "お名前やメールアドレスの一部でも探せます。",
        "A 10-digit member number or a 13-digit card number opens that member; part of a name"
        " or an email address searches customers.",
    ),
    "pnt_no_members_found": ("見つかりませんでした。", "Nobody found."),
    "pnt_no_number_yet": ("未発行 (開くと発行)", "None yet (issued when opened)"),
    "pnt_member_title": ("会員", "Member"),
    "pnt_card_no": ("カード番号", "Card number"),
    "pnt_balance": ("ポイント残高", "Points"),
    "pnt_member_since": ("会員登録", "Member since"),
    "pnt_open_customer": ("お客様の情報を開く", "Open the customer"),
    "pnt_open_member": ("会員のポイントを開く", "Open the member's points"),
    "pnt_numbers_hint": (
        "会員番号とカード番号ではポイントをためられますが、使えません。"
        "使うにはウォレットの会員証の (短い間隔で変わる) コードが必要です。",
        "The member number and the card number earn points but never spend them: spending needs"
        " the code the wallet's membership card shows (it keeps changing).",
    ),
    "pnt_rank": ("会員ランク", "Rank"),
    "pnt_no_rank": ("ランクなし", "No rank"),
    "pnt_adjust": ("ポイントの調整", "Adjust points"),
    "pnt_adjust_hint": (
        "付与漏れやお詫びなどで残高を直します。理由は会員の履歴に残ります。",
        "Correct the balance (points missed, an apology...). The reason stays in the history.",
    ),
    "pnt_adjust_points": ("増減するポイント", "Points to add or take"),
    "pnt_adjust_points_hint": ("(例: +50、-20)", "(e.g. +50, -20)"),
    "pnt_confirm_adjust": ("ポイント調整の確認", "Confirm the adjustment"),
    "pnt_balance_now": ("現在の残高", "Balance now"),
    "pnt_balance_after": ("調整後の残高", "Balance after"),
    "pnt_adjust_below_zero": (
        "残高より多くは減らせません。減らすポイントを見直してください。",
        "You cannot take more than the balance; change the points.",
    ),
    "pnt_adjust_recorded": (
        "調整は取り消せません。誤りは反対の調整で直します。実行者と理由が記録されます。",
        "An adjustment is never undone; a mistake is corrected by the opposite adjustment."
        " Who made it and why are recorded.",
    ),
    "pnt_adjust_confirm": ("調整する", "Adjust"),
    "pnt_lots": ("有効なポイント", "Live points"),
    "pnt_earned_at": ("付与日時", "Earned"),
    "pnt_expires": ("有効期限", "Expires"),
    "pnt_lot_points": ("付与", "Earned"),
    "pnt_remaining": ("残り", "Left"),
    "pnt_no_lots": ("有効なポイントはありません。", "No live points."),
    "pnt_history": ("履歴", "History"),
    "pnt_when": ("日時", "When"),
    "pnt_kind": ("内容", "What"),
    "pnt_actor": ("実行者", "By"),
    "pnt_by_key": ("連携キー「{name}」", "Integration key “{name}”"),
    "pnt_no_history": ("履歴はありません。", "No history yet."),
    "pnt_kind_earn": ("付与", "Earned"),
    "pnt_kind_use": ("利用", "Used"),
    "pnt_kind_return": ("返品による取消", "Purchase returned"),
    "pnt_kind_use_return": ("利用の取消", "Use returned"),
    "pnt_kind_adjust": ("調整", "Adjustment"),
    "pnt_kind_expire": ("失効", "Expired"),
    "pnt_kind_exchange": ("商品交換", "Exchange"),
    "pnt_kind_exchange_cancel": ("商品交換の取消", "Exchange cancelled"),
    "pnt_kind_lottery": ("抽選の応募", "Lottery entry"),
    "pnt_kind_lottery_refund": ("抽選の返還", "Lottery refund"),
    "pnt_shortfalls_intro": (
        "返品のときに、そのお買い物で付与したポイントがすでに使われていて取り消せなかった分です。"
        "残高はマイナスにしません。あとでポイントが会員に戻ったとき（利用・交換・抽選の取消）は、"  # noqa: RUF001
        "まずこの不足分に充てます（精算済み）。必要なら会員ページの調整で対応してください。",  # noqa: RUF001
        "Returns whose earned points had already been spent: what could not be taken back. The"
        " balance is never made negative. Points given back to the member later (a use, an"
        " exchange or a lottery entry undone) settle it first (settled). Adjust on the member's"
        " page if needed.",
    ),
    "pnt_earned": ("付与", "Earned"),
    "pnt_shortfall": ("不足分", "Shortfall"),
    "pnt_settled": ("精算済み", "Settled"),
    "pnt_no_shortfalls": ("不足分はありません。", "No shortfall."),
    "pnt_home_title": ("ポイント", "Points"),
    "pnt_outstanding": ("未使用残高", "Outstanding"),
    "pnt_outstanding_yen": ("円換算 (現在の価値)", "In yen (at today's value)"),
    "pnt_month_earned": ("今月の付与", "Earned this month"),
    "pnt_month_used": ("今月の利用", "Used this month"),
    "pnt_month_expired": ("今月の失効", "Expired this month"),
    "done_pnt_program_set": ("ポイントの条件を変更しました。", "The terms were changed."),
    "done_pnt_rate_set": ("店舗の付与率を設定しました。", "The store's rate was set."),
    "done_pnt_campaign_added": ("キャンペーンを追加しました。", "The campaign was added."),
    "done_pnt_campaign_cancelled": ("キャンペーンを中止しました。", "The campaign was cancelled."),
    "done_pnt_adjusted": ("ポイントを調整しました。", "The points were adjusted."),
    # The console's wording for a points form's field that was refused (form_errors.message_of).
    "cf_field:points": (
        "増減するポイントを +50 や -20 のように整数で入力してください (0は不可)。",
        "Enter the points as a whole number such as +50 or -20 (not 0).",
    ),
    "cf_field:earn_points": (
        "付与するポイント数を0〜1000の整数で入力してください。",
        "Enter the points earned as a whole number from 0 to 1000.",
    ),
    "cf_field:earn_per_yen": (
        "付与の単位になる金額を1〜100000の整数 (円) で入力してください。",
        "Enter the amount per which points are earned: whole yen from 1 to 100000.",
    ),
    "cf_field:expiry_days": (
        "有効日数を1〜3660の整数で入力してください。",
        "Enter the days valid as a whole number from 1 to 3660.",
    ),
    "cf_field:point_value_yen": (
        "1ポイントの価値を1〜100の整数 (円) で入力してください。",
        "Enter the value of a point in whole yen from 1 to 100.",
    ),
    "cf_field:min_use_points": (
        "最低利用ポイントを1以上の整数で入力してください。",
        "Enter the minimum use as a whole number, 1 or more.",
    ),
    "cf_field:effective_from": (
        "適用開始の日時を正しく入力してください。過去の日時や、"
        "すでに別の変更が始まる日時は指定できません。",
        "Enter a valid moment to apply from: not in the past, and not the moment another change"
        " starts.",
    ),
    "cf_field:multiplier_pct": (
        "倍率を101〜2000の整数 (%) で入力してください。200で2倍です。",
        "Enter the multiplier as a whole percent from 101 to 2000; 200 doubles.",
    ),
    "cf_field:starts_at": (
        "開始日時を入力してください (過去の日時は指定できません)。",
        "Enter when it starts (not in the past).",
    ),
    "cf_field:ends_at": (
        "終了日時を開始より後の日時で入力してください。",
        "Enter when it ends, after it starts.",
    ),
    "cf_field:store_id": ("店舗を選んでください。", "Choose a store."),
    "field:store_id": ("店舗", "Store"),
}
