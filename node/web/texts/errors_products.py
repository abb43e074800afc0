"""What the products' error codes say to a person (`error:<code>`: 商品, a product's terms, its
sale and a customer's limit), in Japanese and English, and the names of a product's form fields;
conventions in node/web/texts/errors.py."""

from __future__ import annotations

# key: ("error:" + code) or ("field:" + name): (日本語, English)
TEXTS: dict[str, tuple[str, str]] = {
    "error:product.refused": (
        "この商品ではこの操作はできません。何も変更されていません。",
        "This cannot be done with this product; nothing was changed.",
    ),
    "error:product.not_on_sale": (
        "この商品は現在販売していません（販売終了、または販売期間外です）。ほかの商品をお選びください。",  # noqa: RUF001
        "This product is not on sale now (retired, or outside its sale period). Please choose"
        " another.",
    ),
    "error:product.sold_out": (
        "この商品は売り切れました。ほかの商品をお選びください。",
        "This product is sold out. Please choose another.",
    ),
    "error:product.limit_reached": (
        "この商品はお一人様の購入上限[（{allowed_count}枚）][（{allowed_yen:yen}）]に達しています。"  # noqa: RUF001
        "期間が変わるまでお待ちください。",
        "You have bought as much of this product as its limit[ ({allowed_count} vouchers)]"
        "[ ({allowed_yen:yen})] allows for now. Please wait for the next period.",
    ),
    "error:product.online_only": (
        "この商品にはお一人様の購入上限があるため、オンライン（ウォレットのショップ）でのみ販売しています。"  # noqa: RUF001
        "店頭では販売できません。",
        "This product has a per-customer limit, so it is sold online only (the wallet's shop);"
        " it cannot be sold at a counter.",
    ),
    "error:product.retired": (
        "この商品はすでに販売終了しています。",
        "This product has been retired already.",
    ),
    "error:product.invalid": (
        "商品の内容に誤りがあります[（「{field:label}」）]。確認して直してください。",  # noqa: RUF001
        "Something in the product's terms is not right[ (“{field:label}”)]. Please correct it.",
    ),
    "error:product.not_found": (
        "この商品は見つかりません。商品一覧から選び直してください。",
        "There is no such product. Please choose one from the list.",
    ),
    "field:face_yen": ("額面", "Face value"),
    "field:price_yen": ("販売価格", "Price"),
    "field:valid_until": ("有効期限", "Valid until"),
    "field:limit_count": ("お一人様の購入枚数上限", "Limit per customer"),
    "field:limit_yen": ("お一人様の購入金額上限", "Yen limit per customer"),
    "field:limit_period": ("上限の期間", "Limit period"),
    "field:sale_starts_at": ("販売開始日", "Sale from"),
    "field:sale_ends_at": ("販売終了日", "Sale until"),
    "field:stock": ("在庫数", "Stock"),
    "field:expires_at": ("有効期限", "Expiry"),
    "field:product": ("商品", "Product"),
    "field:sale_key": ("販売フォーム", "Sale form"),
}
