"""Page text in Japanese (the default) and English; the `lang` cookie chooses."""

from __future__ import annotations

from collections.abc import Callable

LANGUAGES = ("ja", "en")
DEFAULT_LANGUAGE = "ja"

# key: (日本語, English). Templates call t("key"); a missing key is a bug a test catches.
TEXTS: dict[str, tuple[str, str]] = {
    "app": ("Kippu デジタル商品券", "Kippu digital vouchers"),
    "lang_switch": ("English", "日本語"),
    "sign_in": ("ログイン", "Sign in"),
    "sign_out": ("ログアウト", "Sign out"),
    "login_name": ("ログイン名", "Login name"),
    "password": ("パスワード", "Password"),
    "email": ("メールアドレス", "Email address"),
    "staff_title": ("店舗スタッフ", "Store staff"),
    "admin_title": ("運用管理", "Operations console"),
    "wallet_title": ("マイ商品券", "My vouchers"),
    "choose_store": ("勤務する店舗を選んでください", "Choose your store"),
    "store": ("店舗", "Store"),
    "scan": ("QRコードを読み取る", "Scan QR code"),
    "scan_stop": ("カメラを止める", "Stop camera"),
    "scan_hint": (
        "お客様の画面のQRコードをカメラに向けてください。",
        "Point the camera at the QR code on the customer's phone.",
    ),
    "camera_unavailable": (
        "カメラを使えません。番号を入力してください。",
        "The camera is not available; type the code instead.",
    ),
    "code": ("商品券コード (QR または 番号18桁)", "Voucher code (QR or 18 digits)"),
    "amount": ("利用金額 (円)", "Amount (yen)"),
    "clear": ("クリア", "Clear"),
    "next": ("確認へ", "Continue"),
    "confirm_title": ("内容の確認", "Please confirm"),
    "confirm": ("利用する", "Redeem"),
    "cancel": ("戻る", "Back"),
    "voucher": ("商品券", "Voucher"),
    "balance": ("残高", "Balance"),
    "balance_after": ("利用後の残高", "Balance after"),
    "issuer": ("発行元", "Issuer"),
    "partner_voucher": ("提携先の商品券", "Partner's voucher"),
    "done_title": ("ご利用ありがとうございました", "Redeemed"),
    "receipt_no": ("受付番号", "Receipt no."),
    "void_last": ("直前の利用を取り消す", "Void the last redemption"),
    "voided": ("取り消しました", "Voided"),
    "pending": ("発行元の確認待ち", "Waiting for the issuer"),
    "pending_hint": (
        "発行元の承認を待っています。このページは自動で更新されます。",
        "Waiting for the issuer's decision; this page updates itself.",
    ),
    "rejected": ("不承認", "Rejected"),
    "sell": ("商品券を販売", "Sell a voucher"),
    "face_value": ("額面 (円)", "Face value (yen)"),
    "sold_title": ("販売しました", "Sold"),
    "sold_hint": (
        "お客様にこのQRコードを読み取ってもらうと、マイ商品券に追加されます。",
        "Let the customer scan this QR code to add the voucher to their wallet.",
    ),
    "new_redemption": ("次の利用", "Next redemption"),
    "wallet_login_hint": (
        "メールアドレスにログイン用のリンクをお送りします。初めての方もこちらから登録できます。",
        "We send a sign-in link to your email. New customers register the same way.",
    ),
    "send_link": ("リンクを送る", "Send link"),
    "link_sent": (
        "ログイン用のリンクを送りました。メールをご確認ください (15分有効)。",
        "We sent you a sign-in link; check your email (valid 15 minutes).",
    ),
    "link_confirm": ("このボタンでログインします。", "Press the button to sign in."),
    "no_vouchers": ("商品券はまだありません。", "No vouchers yet."),
    "expires": ("有効期限", "Expires"),
    "no_expiry": ("期限なし", "No expiry"),
    "gifted": ("贈られた商品券", "Gift"),
    "qr_hint": (
        "店舗スタッフにこの画面を見せてください。コードは自動で更新されます。",
        "Show this screen to the staff. The code refreshes itself.",
    ),
    "manual_code": ("番号", "Number"),
    "history": ("利用履歴", "History"),
    "receipt_pdf": ("領収書 PDF", "Receipt PDF"),
    "gift": ("贈る", "Gift"),
    "gift_hint": (
        "この商品券の残高を一度だけ贈ることができます。贈られた商品券は6か月で失効し、再度贈ることはできません。",
        "You can gift this voucher's balance once. A gift expires after 6 months and cannot be"
        " gifted again.",
    ),
    "gift_amount": ("贈る金額 (円、空欄で全額)", "Amount (yen; empty for all)"),
    "gift_made_title": ("ギフトを用意しました", "Your gift is ready"),
    "gift_made_hint": (
        "このリンクかQRコードを贈る相手に渡してください。開いて登録すると受け取れます。",
        "Give this link or QR code to the recipient: they open it, register and receive it.",
    ),
    "receive_title": ("商品券を受け取る", "Receive a voucher"),
    "receive": ("受け取る", "Receive"),
    "where_to_use": ("使えるお店", "Where to use it"),
    "kind_issue": ("購入", "Purchase"),
    "kind_redeem": ("利用", "Redemption"),
    "kind_void_redemption": ("利用取消", "Void"),
    "kind_gift": ("ギフト", "Gift"),
    "kind_expire": ("失効", "Expired"),
    "kind_claim": ("提携先で利用", "Used at a partner"),
    "kind_claim_void": ("提携先で取消", "Partner void"),
    "dashboard": ("ダッシュボード", "Dashboard"),
    "liability": ("未使用残高 (発行済み商品券)", "Outstanding voucher balances"),
    "sales_by_day": ("日別 販売・利用", "Sales and redemptions by day"),
    "by_store": ("店舗別", "By store"),
    "sales": ("販売", "Sales"),
    "redemptions": ("利用", "Redemptions"),
    "partners": ("提携先", "Partners"),
    "receivable": ("売掛", "Receivable"),
    "payable": ("買掛", "Payable"),
    "error_title": ("エラー", "Error"),
    "back": ("戻る", "Back"),
    "status_active": ("利用可", "Active"),
    "status_exhausted": ("使い切り", "Used up"),
    "status_expired": ("失効", "Expired"),
    "status_void": ("無効", "Void"),
}


def translator(lang: str) -> Callable[[str], str]:
    column = 1 if lang == "en" else 0

    def t(key: str) -> str:
        return TEXTS[key][column]

    return t


def choose_language(cookie: str | None, accept_language: str) -> str:
    if cookie in LANGUAGES:
        return str(cookie)
    # Japanese unless the browser asks for English before Japanese.
    preferred = [part.split(";")[0].strip().lower()[:2] for part in accept_language.split(",")]
    for code in preferred:
        if code in LANGUAGES:
            return code
    return DEFAULT_LANGUAGE
