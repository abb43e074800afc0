"""Page text of the legal display (資金決済法に基づく表示), the /terms page and the compliance warnings."""

from __future__ import annotations

# key: (日本語, English).
TEXTS: dict[str, tuple[str, str]] = {
    "lg_title": ("資金決済法に基づく表示", "Display under the Payment Services Act"),
    "lg_issuer": ("発行者", "Issuer"),
    "lg_address": ("所在地", "Address"),
    "lg_registration": ("登録番号", "Registration number"),
    "lg_amount": ("支払可能金額等", "Amount it pays for"),
    "lg_face": ("額面", "Face value"),
    "lg_balance": ("未使用残高", "Unused balance"),
    "lg_amount_general": (
        "商品券ごとの額面の金額までご利用いただけます (各商品券の画面に表示)。",
        "Each voucher pays up to its face value (shown on each voucher's page).",
    ),
    "lg_validity": ("使用期間・有効期限", "Validity"),
    "lg_valid_through": ("まで", " (last day)"),
    "lg_valid_days_before": ("購入日から", "For "),
    "lg_valid_days_after": ("日間", " days from the purchase"),
    "lg_no_expiry": ("有効期限はありません", "No expiry"),
    "lg_validity_general": (
        "商品券ごとに定め、購入前の画面と各商品券の画面に表示します。",
        "Set for each voucher, shown before purchase and on each voucher's page.",
    ),
    "lg_complaint_desk": ("苦情・相談窓口", "Complaints and enquiries"),
    "lg_not_set": ("(発行者が準備中です)", "(being prepared by the issuer)"),
    "lg_places": ("使用できる施設又は場所の範囲", "Where it can be used"),
    "lg_own_stores": ("発行者の店舗", "The issuer's stores"),
    "lg_partner_stores": ("提携先の店舗", "Partners' stores"),
    "lg_no_stores": ("店舗の登録はまだありません", "No store listed yet"),
    "lg_partner_no_list": ("(店舗一覧を受信中)", "(store list not received yet)"),
    "lg_cautions": ("利用上の注意", "Cautions"),
    "lg_caution_refund": (
        "払戻し (現金への交換) はできません。事業の廃止等、資金決済法20条の場合を除きます。",
        "No refund into cash, except as the Payment Services Act art. 20 provides (such as the"
        " end of the business).",
    ),
    "lg_caution_change": (
        "お釣りは出ません。不足分は現金等でお支払いください。",
        "No change is given; pay any rest in another way.",
    ),
    "lg_caution_expiry": (
        "有効期限を過ぎた商品券は使用できません。",
        "A voucher past its expiry cannot be used.",
    ),
    "lg_caution_code": (
        "お支払い用のQRコードやログイン用のリンクを他人に渡さないでください。スマートフォンを"
        "紛失したときは、苦情・相談窓口にご連絡ください。利用を停止します。",
        "Never share the payment QR code or a sign-in link. If you lose your phone, contact the"
        " desk above and we suspend the voucher.",
    ),
    "lg_balance_check": ("未使用残高の確認方法", "How to check the unused balance"),
    "lg_balance_check_text": (
        "マイ商品券 (ウェブ) にログインすると、いつでも残高と利用履歴を確認できます: ",
        "Sign in to the wallet on the web to see the balance and history at any time: ",
    ),
    "lg_terms": ("約款", "Terms"),
    "lg_terms_text": ("利用規約 (約款) があります: ", "The terms of use apply: "),
    "lg_deposit": ("発行保証金について", "The issue deposit"),
    "lg_deposit_purpose": (
        "発行保証金は、発行者が破綻した場合などに、お客様の未使用残高を保全するためのものです"
        " (資金決済法14条)。",
        "The issue deposit secures customers' unused balances should the issuer fail (Payment"
        " Services Act art. 14).",
    ),
    "lg_deposit_priority": (
        "お客様は、この前払式支払手段に係る債権について、発行保証金から他の債権者に先立ち弁済を"
        "受ける権利を有します (資金決済法31条)。",
        "Holders have the right to be paid from the issue deposit before other creditors, for"
        " their claims on these vouchers (art. 31).",
    ),
    "lg_deposit_method": ("保全の方法", "How it is secured"),
    "lg_deposit_deposit": (
        "供託所への供託 (資金決済法14条)",
        "Deposit with an official depository (art. 14)",
    ),
    "lg_deposit_guarantee": (
        "発行保証金保全契約 (資金決済法15条)",
        "A guarantee contract with a bank or insurer (art. 15)",
    ),
    "lg_deposit_trust": ("発行保証金信託契約 (資金決済法16条)", "A trust contract (art. 16)"),
    "lg_deposit_none": (
        "現在、保全はしていません。基準日未使用残高が1,000万円を超えたときは、その2分の1以上を"
        "保全します。",
        "Nothing is secured now. When the unused balance at a reference date passes ¥10,000,000,"
        " at least half of it is secured.",
    ),
    "lg_fraud": ("不正利用時の補償方針", "Compensation for fraudulent use"),
    "lg_class": ("この商品券の区分", "This voucher's class"),
    "lg_class_own": ("自家型前払式支払手段", "Own-business prepaid instrument (自家型)"),
    "lg_class_third_party": (
        "第三者型前払式支払手段",
        "Third-party prepaid instrument (第三者型)",
    ),
    "lg_class_exempt": (
        "資金決済法の適用除外 (最初の発行の日から6か月以内に限り使用できます)",
        "Exempt from the Act (usable only within six months of its first issue)",
    ),
    "lg_show": ("資金決済法に基づく表示を見る", "See the display under the Payment Services Act"),
    # the console's voucher page
    "lg_class_console": ("資金決済法の区分", "Class (Payment Services Act)"),
    "lg_first_issued": ("最初の発行", "First issued"),
    "lg_exempt_until": (
        "適用除外となる有効期限の上限 (この日の0時まで)",
        "Exempt only if it expires by (00:00 of)",
    ),
    # the /terms page
    "terms_page_title": ("約款・資金決済法に基づく表示", "Terms and the legal display"),
    "terms_heading": ("利用規約 (約款)", "Terms of use"),
    "terms_link": ("約款を開く", "Open the terms"),
    "terms_none": ("約款は準備中です。", "The terms are being prepared."),
    # warnings on the console's home
    "lg_warn_title": (
        "資金決済法に基づく表示に必要な設定が足りません",
        "Settings the legal display needs are missing",
    ),
    "lg_warn_hint": (
        "config.toml の [issuer] に次の項目を設定し、ノードを再起動してください:",
        "Set these in config.toml [issuer] and restart the node:",
    ),
    "lg_warn_terms": ("現在の表示を確認する (/terms)", "See the display as it is now (/terms)"),
    "lg_warn_unregistered": (
        "登録のないまま提携先が商品券を受け付けています",
        "Partners accept our vouchers without a registration",
    ),
    "lg_warn_unregistered_hint": (
        "密接関係者でない提携先 {n} 社が有効です。商品券は第三者型前払式支払手段となり、登録"
        " (資金決済法7条) が必要です。[issuer] registration_number を設定するか、提携先を一時停止して"
        "ください。",
        "{n} active partner(s) not declared related accept our vouchers, which makes them"
        " third-party instruments needing registration (art. 7). Set [issuer]"
        " registration_number, or suspend those partners.",
    ),
}
