"""What the points error codes say to a person (`error:<code>`: points, the membership card,
ranks, the exchange catalogue, point lotteries, webhooks), in Japanese and English, and the
names of their form fields; conventions in node/web/texts/errors.py."""

from __future__ import annotations

# key: ("error:" + code) or ("field:" + name): (日本語, English)
TEXTS: dict[str, tuple[str, str]] = {
    "error:points.refused": (
        "このポイント操作はできません。何も変更されていません。",
        "These points cannot be moved that way; nothing was changed.",
    ),
    "error:points.insufficient": (
        "ポイントが足りません[（利用できるポイント: {balance}pt）]。少ないポイントで利用してください。",  # noqa: RUF001
        "Not enough points[ ({balance} pt available)]. Please use fewer.",
    ),
    "error:points.below_minimum": (
        "ポイントは[{min_use_points}pt]以上から利用できます。",
        "Points can be used from [{min_use_points} pt] up.",
    ),
    "error:points.txn_conflict": (
        "この取引番号はすでに別の内容で使われています。新しい取引番号で送ってください。",
        "This transaction id was used already for a different request. Please send a new id.",
    ),
    "error:points.already_returned": (
        "この購入はすでに返品済みです。ポイントはそのときに取り消されています。",
        "This purchase was returned already; its points were taken back then.",
    ),
    "error:member.card_cannot_spend": (
        "カード番号ではポイントを貯めることはできますが、使うことはできません。"
        "ウォレットの会員証（1分ごとに変わるコード）を提示してもらってください。",  # noqa: RUF001
        "The printed card number earns points but cannot spend them. Ask the member to show"
        " the membership card in the wallet (its code changes every minute).",
    ),
    "error:member.code_expired": (
        "会員証のコードの有効期限が切れています。もう一度会員証を表示してもらってください。",
        "The membership card's code has expired. Ask the member to show the card again.",
    ),
    "error:member.code_invalid": (
        "会員証のコードが一致しません。もう一度読み取るか、入力し直してください。",
        "The code does not match this member's card. Scan again or retype it.",
    ),
    "error:member.code_used": (
        "この会員証のコードはすでに使われています。もう一度会員証を表示してもらってください。",
        "This card code was used already. Ask the member to show the card again.",
    ),
    "error:points.exchange_sold_out": (
        "この交換商品は在庫がありません。ほかの商品をお選びください。",
        "This item is out of stock. Please choose another.",
    ),
    "error:points.order_closed": (
        "この交換注文はすでに発送済みか取消済みのため、変更できません。",
        "This exchange order was shipped or cancelled already; it cannot change again.",
    ),
    "error:points.lottery_not_open": (
        "この抽選は現在受付していません（受付開始前、または締切後です）。",  # noqa: RUF001
        "This lottery is not taking entries now (before its start or after its close).",
    ),
    "error:points.lottery_not_closed": (
        "この抽選はまだ受付中です。締切後に抽選できます。",
        "This lottery is still open; it can be drawn only after it closes.",
    ),
    "error:points.lottery_drawn": (
        "この抽選はすでに抽選済みです。結果は変更できません。",
        "This lottery was drawn already; its draw cannot change.",
    ),
    "error:points.prize_limit": (
        "景品が景品表示法の上限を超えています（1本あたり取引価額の20倍かつ10万円まで、"  # noqa: RUF001
        "総額は関連売上予定額の2%まで）。[この景品の上限: {limit_yen:yen}]",  # noqa: RUF001
        "The prizes exceed the limits of the Act against Unjustifiable Premiums (each at most"
        " 20 times the entry's value and ¥100,000; all at most 2 % of the related sales).[ The"
        " limit here: {limit_yen:yen}.]",
    ),
    "error:points.seed_mismatch": (
        "シードが抽選設定時に公開したコミットメントと一致しません。",
        "The seed does not match the commitment published when the lottery was set up.",
    ),
    "error:rank.floor_refused": (
        "手動ランクは下限として設定します。終了日は今日より後にし、ランク表にあるランクを選んでください。",
        "A manual rank is a floor: it must end after today and name a rank of the table.",
    ),
    "error:points.invalid": (
        "ポイントの入力内容に誤りがあります[（「{field:label}」）]。確認して直してください。",  # noqa: RUF001
        "Something in the points request is not right[ (“{field:label}”)]. Please correct it.",
    ),
    "error:member.invalid_code": (
        "会員証のコードでも会員番号でもありません。もう一度読み取るか、入力し直してください。",
        "That is not a membership card's code nor a member number. Scan again or retype it.",
    ),
    "error:rank.invalid": (
        "ランク表の内容に誤りがあります[（「{field:label}」）]。確認して直してください。",  # noqa: RUF001
        "The rank table is not valid[ (“{field:label}”)]. Please correct it.",
    ),
    "error:member.not_found": (
        "その会員番号の会員は見つかりません。",
        "There is no member with that number.",
    ),
    "error:points.purchase_not_found": (
        "その取引番号でポイントが付与された購入は見つかりません。",
        "No purchase with that transaction id earned points here.",
    ),
    "error:points.campaign_not_found": (
        "そのポイントキャンペーンは見つかりません。",
        "There is no points campaign with that id.",
    ),
    "error:points.item_not_found": (
        "その交換商品は見つかりません。",
        "There is no exchange item with that id.",
    ),
    "error:points.order_not_found": (
        "その交換注文は見つかりません。",
        "There is no exchange order with that id.",
    ),
    "error:points.lottery_not_found": (
        "そのポイント抽選は見つかりません。",
        "There is no point lottery with that id.",
    ),
    "error:webhook.refused": (
        "このWebhookはその方法では変更できません。何も変更されていません。",
        "The webhook cannot be changed that way; nothing was changed.",
    ),
    "error:webhook.url_taken": (
        "このURLへのWebhookはすでに登録されています。そちらを変更してください。",
        "A webhook to this address exists already; change that one instead.",
    ),
    "error:webhook.invalid": (
        "Webhookの内容に誤りがあります[（「{field:label}」）]。確認して直してください。",  # noqa: RUF001
        "The webhook is not valid[ (“{field:label}”)]. Please correct it.",
    ),
    "error:webhook.not_found": (
        "そのWebhookは見つかりません。",
        "There is no webhook with that id.",
    ),
    "field:points": ("ポイント数", "Points"),
    "field:purchase_yen": ("購入金額", "Purchase amount"),
    "field:txn": ("取引番号", "Transaction id"),
    "field:member_no": ("会員番号", "Member number"),
    "field:lines": ("購入明細", "Purchase lines"),
    "field:earn_points": ("付与ポイント", "Points earned"),
    "field:earn_per_yen": ("付与単位（円）", "Per yen"),  # noqa: RUF001
    "field:rounding": ("端数処理", "Rounding"),
    "field:expiry": ("有効期限", "Expiry"),
    "field:expiry_days": ("有効日数", "Days valid"),
    "field:point_value_yen": ("1ポイントの価値（円）", "Value of a point (yen)"),  # noqa: RUF001
    "field:min_use_points": ("最低利用ポイント", "Minimum use"),
    "field:effective_from": ("適用開始", "Effective from"),
    "field:multiplier_pct": ("倍率（%）", "Multiplier (%)"),  # noqa: RUF001
    "field:starts_at": ("開始", "Starts"),
    "field:ends_at": ("終了", "Ends"),
}
