"""What stores owe back from their payouts (繰越) and its write-offs: the codes' texts and the
console's words (node/web/admin/campaign_carries.py, the payout pages' carry columns), in
Japanese and English."""

from __future__ import annotations

# key: (日本語, English)
TEXTS: dict[str, tuple[str, str]] = {
    "error:payout.nothing_owed": (
        "この店舗が精算で返すべき額はありません。償却するものはありません。",
        "This store owes nothing back from its payouts; there is nothing to write off.",
    ),
    "error:payout.carry_changed": (
        "この店舗が返すべき額が変わりました[（現在 {carry_yen} 円）]。"  # noqa: RUF001
        "金額を確かめて、もう一度償却してください。",
        "What this store owes back has changed[ (now ¥{carry_yen})]. Check it and write off again.",
    ),
    "error:payout.bad_reason": (
        "理由・メモを500文字以内で入力してください(退店、返金の受領番号など)。",
        "Give the reason or note (the store left, the receipt of its repayment, ...),"
        " up to 500 characters.",
    ),
    "error:payout.repaid_too_much": (
        "返金額が、この店舗の返すべき額[（{carry_yen} 円）]を超えています。"  # noqa: RUF001
        "返すべき額までを記録してください。",
        "The repayment is more than this store owes back[ (¥{carry_yen})]. Record at most"
        " what it owes.",
    ),
    "error:payout.idempotency_conflict": (
        "この Idempotency-Key（再送キー）は別の記録（別の店舗・金額・種類・メモ・送信者）に"  # noqa: RUF001
        "すでに使われています。新しいキーを送るか、最初と同じ内容で送ると最初の記録が返ります。",
        "This Idempotency-Key already recorded another repayment, write-off or keep (another"
        " store, amount, kind, note or caller). Send a new key, or the same request again to get"
        " its first answer.",
    ),
    "error:payout.not_legacy": (
        "この店舗には確認待ちの旧繰越(繰越導入前の精算で生じた返還額)はありません。",
        "This store has no carry from before the carry-forward waiting for review.",
    ),
    "error:payout.legacy_carry_open": (
        "繰越導入前の精算で生じた返還額が確認されていない店舗があります[（{store_ids}）]。"  # noqa: RUF001
        "当時は手作業で精算していたため、返金済み・償却・差引継続のいずれかを記録してから精算してください。",
        "Some stores owe carries from payouts before the carry-forward, not reviewed yet"
        "[ ({store_ids})]. They were settled by hand then: record each as repaid, write it"
        " off, or keep it for netting before the run.",
    ),
    "field:amount_yen": ("金額", "Amount"),
    "cpy_tab": ("繰越", "Carried amounts"),
    "cpy_title": ("店舗の繰越(返還額)", "What stores owe back"),
    "cpy_hint": (
        "支払済みの期間に使われたクーポンが後で取り消されると、店舗はその額を返すことになります。"
        "次回以降の支払で、その店舗の利用額から差し引きます(繰越)。"
        "退店などで回収しない場合は、理由を記録して償却できます。",
        "When a coupon used in a period already paid is voided later, the store owes that"
        " amount back. The next payouts deduct it from the store's use (carried forward). If"
        " it will not be recovered (the store left), write it off with the reason.",
    ),
    "cpy_none": ("返還額の残っている店舗はありません。", "No store owes anything back."),
    "cpy_owed": ("返還額(繰越)", "Owed back (carried)"),
    "cpy_total_owed": ("繰越の合計", "Total carried"),
    "cpy_reason": ("償却の理由", "Reason for the write-off"),
    "cpy_write_off": ("償却する", "Write off"),
    "cpy_write_off_hint": (
        "償却すると、この額は回収しません(事務局の損失として記帳します)。取り消せません。",
        "A write-off forgoes this amount (booked as the office's loss). It cannot be undone.",
    ),
    "cpy_write_offs": ("これまでの償却", "Write-offs"),
    "cpy_no_write_offs": ("償却はまだありません。", "Nothing has been written off yet."),
    "cpy_when": ("日時", "When"),
    "cpy_by": ("担当", "By"),
    "cpy_store_books": ("店舗ごとの照合", "Each store's books"),
    "cpy_books_eq": (
        "振込額 - 償却額 - 返金額 = 店舗の売上勘定からの支払、"
        "売上勘定の残高 = 未精算の利用額 - 繰越。",
        "Transferred - written off - repaid = the payouts from the store's revenue account;"
        " its balance = use not paid yet - carried.",
    ),
    "cpy_run_net": ("支払済み期間の利用額", "Use in paid periods"),
    "cpy_transferred": ("振込額", "Transferred"),
    "cpy_written_off": ("償却額", "Written off"),
    "cpy_unpaid_use": ("未精算の利用額", "Use not paid yet"),
    "cpy_ledger_balance": ("売上勘定の残高", "Revenue account balance"),
    "cpy_net": ("期間の利用額", "Period's use"),
    "cpy_carry_in": ("前回からの繰越(差引)", "Carried in (deducted)"),
    "cpy_carry_out": ("次回への繰越", "Carried forward"),
    "cpy_by_store": ("店舗ごとの振込額", "Transfer per store"),
    "done_cpy_write_off": ("償却を記録しました。", "The write-off is recorded."),
    "done_cpy_repaid": ("店舗からの返金を記録しました。", "The store's repayment is recorded."),
    "done_cpy_keep": (
        "旧繰越を確認しました。次回以降の精算で差し引きます。",
        "The legacy carry is kept: the next payouts deduct it.",
    ),
    "cpy_legacy": ("旧繰越・確認待ち", "Legacy carry: review it"),
    "cpy_legacy_open": (
        "繰越導入前の精算で生じた返還額があります。当時は手作業で精算していたため、店舗ごとに"
        "返金済み・償却・差引継続のいずれかを記録するまで、精算は実行できません。",
        "Some carries come from payouts before the carry-forward, when a negative net was"
        " settled by hand. Until each is recorded as repaid, written off or kept for"
        " netting, payout runs are refused.",
    ),
    "cpy_repaid": ("返金を記録する", "Record a repayment"),
    "cpy_repaid_amount": ("店舗から受け取った額(円)", "Amount the store paid back (yen)"),
    "cpy_repaid_note": ("返金のメモ(受領番号など)", "Note (receipt number, ...)"),
    "cpy_repaid_col": ("返金額", "Repaid"),
    "cpy_repayments": ("店舗からの返金", "Repayments by stores"),
    "cpy_no_repayments": ("返金の記録はまだありません。", "No repayment recorded yet."),
    "cpy_keep": ("差引を続ける", "Keep for netting"),
    "cpy_keep_reason": (
        "差引を続ける理由(店舗に未返金を確認済みなど)",
        "Why it is still owed (checked with the store, ...)",
    ),
    "cpy_settled": ("精算済の利用額", "Settled use"),
    "cpy_netted": ("相殺・繰越", "Netted or carried"),
}
