"""What the ledger's error codes say to a person (`error:<code>`: vouchers, codes, redemptions,
gifts, customers, stores), in Japanese and English; conventions in node/web/texts/errors.py."""

from __future__ import annotations

# key: ("error:" + code): (日本語, English)
TEXTS: dict[str, tuple[str, str]] = {
    # ledger: vouchers, codes, redemptions, gifts, customers, stores
    "error:ledger.refused": (
        "この操作はできませんでした。何も変更されていません。",
        "This could not be done; nothing was changed.",
    ),
    "error:ledger.insufficient_balance": (
        # Full-width parentheses: a Japanese sentence.
        "残高が足りません[（残高 {balance:yen}）]。金額を減らすか、全額利用を選んでください。",  # noqa: RUF001
        "The balance is too low[ (balance {balance:yen})]. Please lower the amount or use the"
        " whole balance.",
    ),
    "error:ledger.amount_over_limit": (
        "金額が1枚の商品券の上限[ ({limit_yen:yen})]を超えています。金額を減らしてください。",
        "The amount is above the limit for one voucher[ ({limit_yen:yen})]. Please lower it.",
    ),
    "error:ledger.price_above_face": (
        "販売価格は額面より高くできません。販売価格を額面以下にしてください。",
        "The price cannot be higher than the face value. Please lower the price.",
    ),
    "error:ledger.currency": (
        "この商品券は別の通貨のため、ここでは使えません。",
        "This voucher is in another currency and cannot be used here.",
    ),
    "error:voucher.expired": (
        "この商品券は有効期限が切れているため、使えません。",
        "This voucher has expired and can no longer be used.",
    ),
    "error:voucher.not_active": (
        "この商品券は使い切ったか無効になっているため、使えません。",
        "This voucher is used up or void and cannot be used.",
    ),
    "error:voucher.code_expired": (
        "このコードは有効期限が切れています。お客様に画面を更新してもらい、"
        "新しいQRコードを読み取ってください。",
        "This code has expired. Ask the customer to refresh their screen, then scan the new QR"
        " code.",
    ),
    "error:voucher.code_invalid": (
        "コードが商品券と一致しません。もう一度読み取るか、番号を入力し直してください。",
        "The code does not match the voucher. Please scan again or retype the number.",
    ),
    "error:voucher.code_used": (
        "このコードは使用済みです。お客様に新しいQRコードを表示してもらってください。",
        "This code was already used. Ask the customer to show a fresh QR code.",
    ),
    "error:voucher.foreign_issuer": (
        "この商品券はほかの会社が発行したもので、この店舗では使えません。"
        "発行元の店舗でご利用ください。",
        "This voucher was issued by another company and cannot be used here; it is accepted at"
        " the issuer's stores.",
    ),
    "error:voucher.gift_not_allowed": (
        "この商品券は贈れません。贈れるのは1枚につき1回だけで、"
        "贈られた商品券をさらに贈ることはできません。",
        "This voucher cannot be given. A voucher can be given once, and a voucher received as a"
        " gift cannot be given again.",
    ),
    "error:voucher.recipient_not_registered": (
        "贈り先の方がまだ登録されていません。登録してもらってから、もう一度贈ってください。",
        "The recipient has not registered yet. Please ask them to register, then give it again.",
    ),
    "error:voucher.gift_to_holder": (
        "ご自分の商品券はご自分では受け取れません。リンクを贈りたい方に渡してください。",
        "You cannot receive your own voucher. Please give the link to the person it is for.",
    ),
    "error:voucher.invalid_payload": (
        "商品券のコードではありません。QRコードをもう一度読み取るか、"
        "QRコードの下の番号を入力してください。",
        "This is not a voucher code. Please scan the QR code again or type the number shown"
        " under it.",
    ),
    "error:redemption.already_voided": (
        "この利用はすでに取り消されています。本日の利用で確かめてください。",
        "This redemption was already voided. Please check today's list.",
    ),
    "error:redemption.void_window_closed": (
        "利用を取り消せるのは、利用した当日の営業時間内だけです。本部にご相談ください。",
        "A redemption can only be voided on the business day it was made. Please contact head"
        " office.",
    ),
    "error:customer.duplicate_email": (
        "このメールアドレスのお客様はすでに登録されています。",
        "A customer with this email address is already registered.",
    ),
    "error:store.not_found": (
        "この店舗は見つかりません。店舗の一覧から選び直してください。",
        "We could not find that store. Please choose it again from the list of stores.",
    ),
    "error:customer.not_found": (
        "このお客様は見つかりません。お客様の一覧から選び直してください。",
        "We could not find that customer. Please choose them again from the list.",
    ),
    "error:voucher.not_found": (
        "この商品券は見つかりません。マイ商品券の一覧から選び直してください。",
        "We could not find that voucher. Please choose it again from your vouchers.",
    ),
    "error:redemption.not_found": (
        "この利用は見つかりません。本日の利用の一覧から選び直してください。",
        "We could not find that redemption. Please choose it again from today's list.",
    ),
}
