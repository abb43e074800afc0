"""What the participating stores' error codes and form fields say (加盟店: applications, store
codes, paying at a store), in Japanese and English; conventions in node/web/texts/errors.py.
The store and resident pages show them in five languages from the catalogues (node/web/locale)."""

from __future__ import annotations

# key: ("error:" + code) or ("field:" + name): (日本語, English)
TEXTS: dict[str, tuple[str, str]] = {
    "error:campaign.store_application_invalid": (
        "申込内容に誤りがあります[（{field:label}）]。",  # noqa: RUF001
        "The application is not complete or not valid[ ({field:label})].",
    ),
    "error:campaign.store_application_not_found": (
        "その加盟店申込は見つかりません。",
        "There is no store application with that id.",
    ),
    "error:campaign.store_application_decided": (
        "この申込はすでに承認または却下されています。",
        "The application was approved or rejected already; its decision stands.",
    ),
    "error:campaign.store_code_unknown": (
        "その店舗コードの加盟店はありません。ポスターのコードをご確認ください。",
        "No participating store has that store code: check the code on the store's poster.",
    ),
    "error:campaign.coupon_not_held": (
        "そのクーポンはお持ちのキャンペーンクーポンではありません。一覧から選んでください。",
        "That coupon is not one of your campaign coupons; choose one from the list.",
    ),
    "error:campaign.pay_form_used": (
        "この支払いフォームは使用済みです。最初からやり直してください。",
        "This payment form was used already; start the payment again.",
    ),
    "field:store_name": ("店舗名", "Store name"),
    "field:store_address": ("所在地", "Address"),
    "field:store_category": ("業種", "Category"),
    "field:store_email": ("連絡先メールアドレス", "Contact email"),
    "field:reject_reason": ("却下の理由", "Reason for rejection"),
    "field:store_code": ("店舗コード", "Store code"),
    "field:pay_key": ("支払いフォーム", "Payment form"),
}
