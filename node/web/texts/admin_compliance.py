"""Console text for the 資金決済法 page's 基準日 report (/admin/compliance) and its warnings on the
console's home, in Japanese and English."""

from __future__ import annotations

# key: (日本語, English)
TEXTS: dict[str, tuple[str, str]] = {
    "nav_compliance": ("資金決済法", "Payment Services Act"),
    "cp_title": ("資金決済法: 基準日の報告", "Payment Services Act: the reference-date report"),
    "cp_intro": (
        "基準日 (3月31日・9月30日) の終わりの時点の未使用残高を、仕訳から計算します。"
        "報告書 (前払式支払手段の発行に関する報告書) は基準日から2か月以内に提出します。",
        "The unused balance at the end of each reference date (31 March, 30 September), computed"
        " from the journal. The report is due within two months of the reference date.",
    ),
    "cp_latest": ("直近の基準日", "Last reference date"),
    "cp_next": ("次の基準日 (現時点までの速報)", "Next reference date (figures so far)"),
    "cp_chosen": ("指定した基準日", "Chosen reference date"),
    "cp_final": ("確定", "Final"),
    "cp_so_far": ("速報: 基準日はまだ終わっていません", "So far: the reference date has not ended"),
    "cp_unused": ("基準日未使用残高 (法の対象)", "Unused balance under the act"),
    "cp_issued": ("発行額 (基準期間)", "Issued in the period"),
    "cp_collected": ("回収額 (基準期間)", "Collected in the period"),
    "cp_threshold": ("基準額 (¥10,000,000) 超過", "Above ¥10,000,000"),
    "cp_yes": ("超えている", "Yes"),
    "cp_no": ("超えていない", "No"),
    "cp_deposit": ("要供託額 (発行保証金)", "Deposit required (発行保証金)"),
    "cp_deadline": ("報告書の提出期限", "Filing deadline"),
    "cp_filing": ("報告書の提出", "Report to file"),
    "cp_filing_yes": ("必要", "Required"),
    "cp_filing_no": (
        "不要 (自家型で基準額以下)",
        "Not required (自家型 at or under the threshold)",
    ),
    "cp_kind": ("種類", "Kind"),
    "cp_kind_own": ("自家型", "自家型 (own)"),
    "cp_kind_third_party": ("第三者型", "第三者型 (third party)"),
    "cp_by_class": ("区分別の内訳", "By class"),
    "cp_figure": ("項目", "Figure"),
    "cp_class_own": ("自家型", "自家型"),
    "cp_class_third_party": ("第三者型", "第三者型"),
    "cp_class_exempt": ("適用除外", "Exempt"),
    "cp_class_free": ("無償 (法の対象外)", "Free (outside the act)"),
    "cp_fig_opening": ("前基準日未使用残高", "Opening unused balance"),
    "cp_fig_issued": ("発行額", "Issued"),
    "cp_fig_collected": ("回収額", "Collected"),
    "cp_fig_used_here": ("うち当社店舗での使用", "of which used at our stores"),
    "cp_fig_used_by_partners": ("うち加盟店での使用", "of which used at partners' stores"),
    "cp_fig_refunded": ("うち払戻し", "of which refunded"),
    "cp_fig_expired": ("うち失効", "of which expired"),
    "cp_fig_moved": ("譲渡による移動", "Moved by gifts"),
    "cp_fig_closing": ("基準日未使用残高", "Unused balance"),
    "cp_exempt_note": (
        "適用除外 (発行から6か月以内に使用期限が来るもの) と無償で発行したもの (その譲渡分を含む) は"
        "法の対象外で、合計・基準額・供託額に含めません。"
        "使用期限を過ぎた残高は、失効の処理がまだでも回収額 (うち失効) に含めています。",
        "Exempt value (expiring within six months of issue) and value issued free (its gifts"
        " included) are outside the act and counted in no total. Value past its expiry is"
        " counted as collected (expired), even before the sweep books it.",
    ),
    "cp_acceptance_note": (
        "区分は現在の提携先の受け入れ状況で判定しています (提携先の状態の履歴は記録されていません)。",
        "Classes follow which partners accept our vouchers today (no history of partner status"
        " is kept).",
    ),
    "cp_acceptance_changed": (
        "この基準日の後に提携先の状態が変わりました。区分は現在の受け入れ状況によるため、"
        "提出済みの報告書と異なることがあります。",
        "A partner changed after this reference date: the classes follow today's acceptance, so"
        " this report may differ from the one filed.",
    ),
    "cp_downloads": ("ダウンロード", "Downloads"),
    "cp_download_pdf": ("報告書の形式 (PDF)", "As the report form (PDF)"),
    "cp_download_csv": ("区分別の表 (CSV)", "By class (CSV)"),
    "cp_download_json": ("すべての数値 (JSON)", "Every figure (JSON)"),
    "cp_pick": ("別の基準日を表示", "Show another reference date"),
    "cp_pick_label": ("基準日 (例: 2027-03-31)", "Reference date (e.g. 2027-03-31)"),
    "cp_show": ("表示", "Show"),
    "cp_back": ("直近と次の基準日に戻る", "Back to the last and next reference dates"),
    "cp_warnings": ("資金決済法の注意", "Payment Services Act warnings"),
    "cp_no_warnings": ("いま注意することはありません。", "Nothing needs attention now."),
    "cp_open_page": ("資金決済法のページを開く", "Open the Payment Services Act page"),
    "cp_warn_due_soon": (
        "基準日 {day} まであと{days}日です。基準日の終わりの未使用残高を報告書に記載し、"
        "{deadline} までに提出してください。",
        "The reference date {day} is {days} days away; the report on its unused balance is due"
        " by {deadline}.",
    ),
    "cp_warn_filing_open": (
        "基準日 {day} の報告書の提出期限は {deadline} です (あと{days}日)。",
        "The report for the reference date {day} is due by {deadline} ({days} days left).",
    ),
    "cp_warn_near_threshold": (
        "未使用残高 {unused} が基準額 ¥10,000,000 の{percent}%に達しました。"
        "超えると届出と発行保証金の供託が必要になります。",
        "The unused balance {unused} has reached {percent}% of ¥10,000,000; above it, the"
        " filing and the deposit become due.",
    ),
    "cp_warn_over_threshold": (
        "基準日 {day} の未使用残高 {unused} は基準額 ¥10,000,000 を超えています。"
        "{deadline} までに発行保証金 {deposit} 以上を供託 (または保全契約・信託契約) してください。",
        "The unused balance {unused} on the reference date {day} is above ¥10,000,000: secure"
        " a deposit of at least {deposit} by {deadline}.",
    ),
    "cp_warn_over_threshold_so_far": (
        "現時点の未使用残高 {unused} は基準額 ¥10,000,000 を超えています。"
        "基準日 {day} にも超えていれば、発行保証金 {deposit} 以上の供託が必要です。",
        "The unused balance {unused} is above ¥10,000,000 now; if it still is on the reference"
        " date {day}, a deposit of at least {deposit} is due.",
    ),
}
