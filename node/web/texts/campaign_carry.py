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
        "償却の理由を500文字以内で入力してください(退店など)。",
        "Give the write-off's reason (the store left, ...), up to 500 characters.",
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
        "振込額 - 償却額 = 店舗の売上勘定からの支払、売上勘定の残高 = 未精算の利用額 - 繰越。",
        "Transferred - written off = the payouts from the store's revenue account; its"
        " balance = use not paid yet - carried.",
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
}
