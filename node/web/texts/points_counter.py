"""Text of points at the counter (staff_points*.html) and the points line on the redemption's
result screen."""

from __future__ import annotations

# key: (日本語, English). Keys start with pc_.
TEXTS: dict[str, tuple[str, str]] = {
    "pc_points_link": ("ポイント", "Points"),
    "pc_earn_title": ("ポイントをためる", "Earn points"),
    "pc_use_title": ("ポイントを使う", "Use points"),
    "pc_back_to_counter": ("商品券の利用へ", "Back to vouchers"),
    "pc_scan_hint": (
        "会員証または商品券のQRコードを枠に合わせてください",
        "Hold the membership card's or voucher's QR code in the frame",
    ),
    "pc_member": ("会員証・会員番号・カード番号", "Card code, member number or card number"),
    "pc_member_hint": (
        "会員証のQR、商品券のQR、会員番号 (10桁) またはカード番号 (13桁) で会員を確認します。",
        "The member is found by the card's QR, a voucher's QR, the 10-digit member number"
        " or the 13-digit card number.",
    ),
    "pc_card_code": ("会員証のコード", "Membership card code"),
    "pc_use_hint": (
        "ポイントを使うには、ウォレットの会員証のQRコードまたは16桁のコードが必要です。"
        "カード番号・会員番号では使えません。",
        "Using points needs the wallet card's QR code or its 16-digit code; a card or member"
        " number cannot spend.",
    ),
    "pc_purchase": ("お買い上げ金額", "Purchase amount"),
    "pc_points_to_use": ("使うポイント", "Points to use"),
    "pc_confirm_earn": ("ポイント付与の確認", "Confirm: earn points"),
    "pc_confirm_use": ("ポイント利用の確認", "Confirm: use points"),
    "pc_member_no": ("会員番号", "Member number"),
    "pc_balance_now": ("現在のポイント", "Points now"),
    "pc_points_to_earn": ("付与するポイント", "Points to earn"),
    "pc_discount": ("値引き額", "Discount"),
    "pc_balance_after": ("ポイント残高", "Points balance"),
    "pc_do_earn": ("ポイントを付与する", "Earn the points"),
    "pc_do_use": ("ポイントを使う", "Use the points"),
    "pc_start_over": ("やり直す", "Start over"),
    "pc_earned_title": ("ポイントを付与しました", "Points earned"),
    "pc_used_title": ("ポイントを使いました", "Points used"),
    "pc_repeat_title": ("処理済みです", "Already done"),
    "pc_repeat_hint": (
        "この操作はすでに完了しています。二重には処理していません。",
        "This was done already; it was not done twice.",
    ),
    "pc_points_earned": ("付与ポイント", "Points earned"),
    "pc_points_used": ("利用ポイント", "Points used"),
    "pc_take_discount": ("お会計から値引きしてください", "Take this off the bill"),
    "pc_next": ("次のお客様", "Next customer"),
    "pc_redeem_points": ("ポイント", "Points"),
    "pc_redeem_points_refused": ("ポイントは付与されませんでした。", "No points were earned."),
    "pc_void_points": ("取り消したポイント", "Points taken back"),
    "pc_void_shortfall": (
        "使用済みのため回収できなかったポイント",
        "already spent, not taken back",
    ),
    "pc_void_points_refused": (
        "ポイントは取り消されませんでした。",
        "The points were not taken back.",
    ),
}
