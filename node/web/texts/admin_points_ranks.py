"""Text of the console's member ranks (会員ランク): the rank table page with its review and the
recompute's confirm step, and the manual floor on a member's page."""

from __future__ import annotations

# key: (日本語, English). Templates call t("key").
TEXTS: dict[str, tuple[str, str]] = {
    "pnt_tab_ranks": ("ランク", "Ranks"),
    "rnk_title": ("会員ランク", "Member ranks"),
    "rnk_intro": (
        "お買い物の金額で決まる会員ランクと、ランクごとのポイント倍率です。集計期間の利用金額が"
        "基準に届くとすぐにランクアップし、ランクが下がるのはランク判定日だけです。",
        "Member ranks by spend, each with its points multiplier. A member moves up as soon as the"
        " spend in the window reaches a rank, and moves down only on the recompute day.",
    ),
    "rnk_in_force": ("現在のランク表", "Rank table in force"),
    "rnk_none": (
        "まだ設定されていません。全員が通常のポイント (100%) です。",
        "Not set yet: every member earns the normal points (100%).",
    ),
    "rnk_recompute_text": ("毎年{month}月{day}日", "Every year on {day}/{month}"),
    "rnk_level_name": ("ランク名", "Rank name"),
    "rnk_level_min_yen": ("必要な利用金額", "Minimum spend"),
    "rnk_level_pct": ("ポイント倍率 (%)", "Multiplier (%)"),
    "rnk_set": ("ランク表を変更する", "Set a new rank table"),
    "rnk_set_hint": (
        "下のランクから順に入力します。最初のランクは0円・100%です。使わない行は空欄のままにします。"
        "適用する日時は次の画面で確認します。",
        "Enter the ranks lowest first; the first is ¥0 at 100%. Leave unused rows empty. You"
        " confirm from when it applies on the next page.",
    ),
    "rnk_levels_hint": ("(名前・円・%)", "(name, yen, %)"),
    "rnk_recompute_hint_field": ("(月-日。例: 01-01)", "(month-day, e.g. 01-01)"),
    "rnk_confirm": ("ランク表の変更の確認", "Confirm the new rank table"),
    "rnk_applies_now": (
        "このランク表は「変更する」を押した時点から適用されます。",
        "This table applies from the moment you press Change.",
    ),
    "rnk_rule": (
        "ランクアップは基準に届いた時点ですぐに行われます。ランクが下がるのはランク判定日だけです。",
        "Members move up at once when they reach a rank; they move down only on the recompute day.",
    ),
    "rnk_recompute_now": ("ランク判定を今すぐ実行", "Run the recompute now"),
    "rnk_recompute_hint": (
        "通常はランク判定日に自動で行われます。行われていない判定と、期限が過ぎたランク保証の"
        "終了を今すぐ処理します。",
        "It runs on the recompute day by itself. This runs now a recompute that is due and has"
        " not run, and ends rank guarantees that are over.",
    ),
    "rnk_recompute_what": (
        "直近のランク判定日の判定がまだなら、全会員のランクを集計期間の利用金額で決め直します。"
        "期限が過ぎたランク保証も終了します。",
        "If the latest recompute day's recompute has not run, every member's rank is set again"
        " from the spend in the window. Rank guarantees that are over end too.",
    ),
    "rnk_recompute_warning": (
        "ランクが下がる会員がいる場合があります。一度実行した判定は取り消せません。",
        "Some members may move down. A recompute once run cannot be undone.",
    ),
    "rnk_recompute_confirm": ("実行する", "Run"),
    "rnk_recompute_counts": (
        "判定した会員 {members}人、ランクが変わった会員 {changed}人、終了したランク保証 {floors}件。",
        "{members} members placed, {changed} ranks changed, {floors} guarantees ended.",
    ),
    "rnk_floor": ("ランク保証", "Rank guarantee"),
    "rnk_floor_hint": (
        "指定した日まで、このランク以上を保証します (利用金額が足りなくても下がりません)。理由は必須です。",
        "The member holds at least this rank through the day given, whatever the spend. A reason"
        " is required.",
    ),
    "rnk_floor_no_table": (
        "ランク表がまだ設定されていません。",
        "No rank table is set yet.",
    ),
    "rnk_floor_confirm": ("ランク保証の確認", "Confirm the rank guarantee"),
    "rnk_rank_now": ("現在のランク", "Rank now"),
    "rnk_floor_rule": (
        "保証の期限が過ぎると、その時点の利用金額によるランクに戻ります。保証は記録に残ります。",
        "When the guarantee ends, the member's rank follows the spend again. The guarantee is"
        " recorded.",
    ),
    "rnk_floor_set": ("保証する", "Guarantee"),
    "done_rnk_table_set": ("ランク表を変更しました。", "The rank table was set."),
    "done_rnk_recomputed": ("ランク判定を実行しました。", "The recompute ran."),
    "done_rnk_floor_set": ("ランクを保証しました。", "The rank guarantee was set."),
    # The console's own wording of the refusals on these forms (form_errors.message_of).
    "cf:rank.floor_refused": (
        "このランクは保証できません。ランク表にある、今のランク以上のランクを選び、"
        "期限は今日より後 (5年以内、すでにある保証の期限以降) にしてください。",
        "This rank cannot be guaranteed. Choose a rank of the table at or above the member's"
        " rank now, ending after today (within 5 years, and not before a guarantee in force).",
    ),
    "cf_field:levels": (
        "ランクを下から順に入力してください。最初は0円・100%、上のランクほど必要な金額を多く、"
        "倍率は下げない (100〜1000%) ようにします。金額と倍率は半角または全角の数字で入力します。",
        "Enter the ranks lowest first: the first ¥0 at 100%, each higher rank needing more spend,"
        " multipliers never falling (100-1000%). Amounts and multipliers are whole numbers.",
    ),
    "cf_field:recompute": (
        "ランク判定日は「月-日」で入力してください (例: 01-01、04-01。日は28日まで)。",
        "Enter the recompute day as month-day (e.g. 01-01, 04-01; the day at most 28).",
    ),
    "cf_field:window": ("集計期間を選んでください。", "Choose a spend window."),
    "cf_field:floor_until": (
        "保証の期限を日付で入力してください (例: 2027-06-30)。",
        "Enter the last day of the guarantee as a date (e.g. 2027-06-30).",
    ),
}
