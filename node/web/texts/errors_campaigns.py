"""What the campaign error codes say to a person (`error:<code>`: municipal campaigns, 自治体
キャンペーン), in Japanese and English, and the names of their form fields; conventions in
node/web/texts/errors.py. The resident pages show them in five languages from the message
catalogues (node/web/locale); these two are the console's and the CLI's."""

from __future__ import annotations

# key: ("error:" + code) or ("field:" + name): (日本語, English)
TEXTS: dict[str, tuple[str, str]] = {
    "error:campaign.refused": (
        "このキャンペーンではその操作はできません。何も変更されていません。",
        "The campaign cannot do that now; nothing was changed.",
    ),
    "error:campaign.invalid": (
        "キャンペーンの条件が正しくありません。",
        "The campaign's terms are not valid.",
    ),
    "error:campaign.not_found": (
        "そのキャンペーンは見つかりません。",
        "There is no campaign with that id.",
    ),
    "error:campaign.sold_out": (
        "このキャンペーンは終了しました（在庫または予算がなくなりました）。",  # noqa: RUF001
        "The campaign has nothing left to give: its stock or budget is used up.",
    ),
    "error:campaign.sets_held": (
        "残りのセットはすべて、いまカードでお支払い中の方のために確保されています。"
        "1時間以内に支払われなかった分は戻りますので、しばらくしてからもう一度お試しください。",
        "Every set left is held for someone paying by card right now. Sets not paid within the"
        " hour return: please try again a little later.",
    ),
    "error:campaign.limit_reached": (
        "このキャンペーンは、お一人が受け取れる回数の上限に達しています。",
        "You have received this campaign's coupons as many times as one person may.",
    ),
    "error:campaign.not_open": (
        "このキャンペーンは今は受付期間外です[（開始: {opens_at}）]。",  # noqa: RUF001
        "The campaign is not open now[ (opens {opens_at})].",
    ),
    "error:campaign.not_eligible": (
        "このキャンペーンを受け取るには、先に確認が必要です[（{missing}）]。",  # noqa: RUF001
        "This campaign asks for a check you have not passed yet[ ({missing})].",
    ),
    "error:campaign.kind_refused": (
        "このキャンペーンのクーポンはこの方法では受け取れません（抽選は当選者、アンケートは回答者に配布されます）。",  # noqa: RUF001
        "This campaign's coupons are not given that way (a lottery's go to its winners, a"
        " survey's to those who answered it).",
    ),
    "error:campaign.closed": (
        "このキャンペーンは事務局により終了されました。",
        "The campaign was closed by the office; nothing more is given from it.",
    ),
    "error:voucher.not_for_this_store": (
        "この商品券はこの店舗では使えません（専用券は対象の中小店舗だけで使えます）。",  # noqa: RUF001
        "This voucher cannot be used at this store (a local-only voucher only at the campaign's"
        " small local shops).",
    ),
    "field:kind": ("種類", "Kind"),
    "field:local_yen": ("専用券の額", "Local-only part"),
    "field:book_count": ("綴りの枚数", "Coupons per book"),
    "field:per_person": ("お一人の上限", "Per person"),
    "field:budget_yen": ("予算", "Budget"),
    "field:use_until": ("利用期限", "Usable until"),
    "field:eligibility": ("資格確認", "Eligibility"),
    "field:postcodes": ("対象の郵便番号", "Eligible postcodes"),
    "field:terms": ("利用条件", "Terms"),
    "field:rounds": ("配布回", "Rounds"),
    "field:customer_id": ("お客様ID", "Customer id"),
    "field:local": ("中小店舗（専用券可）", "Small local shop"),  # noqa: RUF001
}
