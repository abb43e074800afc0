"""The console's lottery and survey pages of a campaign (/admin/campaigns/<id>/lottery, /survey),
in Japanese and English."""

from __future__ import annotations

# key: (日本語, English)
TEXTS: dict[str, tuple[str, str]] = {
    "cpg_setup_title": ("抽選の設定", "The draw's set-up"),
    "cpg_setup_hint": (
        "シードの種類は一度だけ設定します。秘密の値は `kippu campaign lottery-secret` で事務局の"
        "端末で作り、コミットメント（SHA-256）だけをここに入力して公開します。",  # noqa: RUF001
        "The seed's source is set once. Make the secret on the office's own machine with"
        " `kippu campaign lottery-secret`; enter and publish only its commitment (SHA-256) here.",
    ),
    "cpg_seed_mode": ("シードの種類", "Seed source"),
    "cpg_mode_secret": (
        "事務局の秘密の値（事前にコミットメントを公開）",  # noqa: RUF001
        "The office's secret (commitment published first)",
    ),
    "cpg_mode_beacon": (
        "公開ランダムビーコン（例: drand）",  # noqa: RUF001
        "A public randomness beacon (e.g. drand)",
    ),
    "cpg_commitment": (
        "コミットメント（SHA-256、16進 64桁）",  # noqa: RUF001
        "Commitment (SHA-256, 64 hex digits)",
    ),
    "cpg_commitment_hint": ("秘密の値の場合のみ。", "For the secret only."),
    "cpg_beacon_name": ("ビーコン名", "Beacon name"),
    "cpg_beacon_round": ("ビーコンのラウンド", "Beacon round"),
    "cpg_beacon_value": ("ラウンドの値（16進）", "The round's value (hex)"),  # noqa: RUF001
    "cpg_entries_until": ("応募締切", "Applications end"),
    "cpg_claim_days": ("当選者の受け取り期限（日数）", "Days a winner has to claim"),  # noqa: RUF001
    "cpg_set_up": ("設定する", "Set up"),
    "cpg_entries": ("応募数", "Entries"),
    "cpg_entries_hash": ("応募一覧のハッシュ", "Entries hash"),
    "cpg_to_draw": ("次の抽選の当選数", "Winners the next draw picks"),
    "cpg_draw_title": ("締切と抽選", "Close and draw"),
    "cpg_close_hint": (
        "応募締切の後に締め切ると、応募一覧のハッシュが確定します。公開してください。",
        "Closing after the application period fixes the entries' hash: publish it.",
    ),
    "cpg_close_entries": ("応募を締め切る", "Close the entries"),
    "cpg_draw_hint": (
        "1回目は在庫分を抽選します。受け取り期限の後、受け取られなかった分を落選者から再抽選できます。",
        "Round 1 draws the stock. After the claim deadline, draw again from the entries not won"
        " for the wins left unclaimed.",
    ),
    "cpg_secret": ("秘密の値（16進 64桁）", "The secret (64 hex digits)"),  # noqa: RUF001
    "cpg_draw": ("抽選する", "Draw"),
    "cpg_draw_file": ("抽選ファイル（公開用）", "Draw file (to publish)"),  # noqa: RUF001
    "cpg_rounds": ("抽選の回", "Draws"),
    "cpg_round": ("回", "Round"),
    "cpg_winners": ("当選", "Winners"),
    "cpg_claimed": ("受け取り済み", "Claimed"),
    "cpg_claim_until": ("受け取り期限", "Claim by"),
    "cpg_seed": ("シード", "Seed"),
    "cpg_questions": ("設問", "Questions"),
    "cpg_required": ("必須", "required"),
    "cpg_kind_single": ("単一選択", "single choice"),
    "cpg_kind_multiple": ("複数選択", "multiple choice"),
    "cpg_kind_text": ("自由記述", "free text"),
    "cpg_no_questions": ("まだ設問がありません。", "No questions yet."),
    "cpg_questions_edit": ("設問（1行に1問）", "Questions (one a line)"),  # noqa: RUF001
    "cpg_questions_hint": (
        "種類: 設問: 選択肢 の形で書きます。種類は single（単一選択）、multiple（複数選択）、"  # noqa: RUF001
        "text（自由記述、最後に文字数）。選択肢は / で区切り、必須の設問は先頭に * を付けます。"  # noqa: RUF001
        "例: *single: お住まいの区: 北区 / 南区",
        "Write kind: question: options. Kinds: single, multiple, text (its length last)."
        " Options are separated by /; a required question starts with *."
        " E.g. *single: Your ward: North / South",
    ),
    "cpg_save_questions": ("設問を保存", "Save the questions"),
    "cpg_locked": (
        "回答があるため、設問は変更できません。",
        "Residents have answered: the questions can no longer change.",
    ),
    "cpg_answers": ("回答", "Answers"),
    "cpg_responses": ("回答数: {n}", "Answers: {n}"),
    "cpg_answers_csv": ("回答をCSVでダウンロード", "Download the answers (CSV)"),
    "cpg_answers_hint": (
        "Excel で開ける UTF-8（BOM 付き）です。1人1行、1問1列、複数選択は「 / 」区切り。",  # noqa: RUF001
        "UTF-8 with BOM for Excel: one row per respondent, one column per question, choices"
        " joined by ' / '.",
    ),
    "done_cpg_set_up": ("抽選を設定しました。", "The draw is set up."),
    "done_cpg_closed": ("応募を締め切りました。", "The entries are closed."),
    "done_cpg_drawn": ("抽選しました。", "Drawn."),
    "done_cpg_survey_set": ("設問を保存しました。", "The questions are saved."),
}
