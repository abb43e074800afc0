"""Text of the point exchange catalogue and point lotteries (ポイント交換・抽選): the console's
pages, the wallet's pages, the one error code of their own and their form fields' names."""

from __future__ import annotations

from node.points.lottery_rules import MAX_PRIZES

# key: (日本語, English). Templates call t("key"); errors read `error:<code>`, `field:<name>`.
TEXTS: dict[str, tuple[str, str]] = {
    "error:points.lottery_entry_limit": (
        "この抽選にはお一人様[{limit}口]までしか応募できません。抽選結果をお待ちください。",
        "One member may hold only [{limit} ]entries to this lottery. Please wait for the draw.",
    ),
    "field:description": ("説明", "Description"),
    "field:ship_name": ("お届け先のお名前", "Recipient's name"),
    "field:ship_postcode": ("郵便番号", "Postcode"),
    "field:ship_address": ("お届け先の住所", "Delivery address"),
    "field:entry_points": ("1口の応募ポイント", "Points per entry"),
    "field:max_entries": ("お一人様の応募口数の上限", "Entries per member"),
    "field:opens_at": ("受付開始", "Opens at"),
    "field:closes_at": ("締切", "Closes at"),
    "field:related_sales_yen": ("関連する売上予定額", "Related sales expected"),
    "field:prizes": ("景品", "Prizes"),
    "field:item_id": ("交換商品", "Item"),
    "field:lottery_id": ("抽選", "Lottery"),
    **{
        f"field:prize_{part}_{i}": (f"景品{i + 1}の{ja}", f"Prize {i + 1}: {en}")
        for i in range(MAX_PRIZES)
        for part, ja, en in (
            ("name", "名前", "name"),
            ("value", "価額", "value"),
            ("count", "本数", "count"),
        )
    },
}

# The console: the exchange catalogue and its orders.
CONSOLE_EXCHANGE: dict[str, tuple[str, str]] = {
    "nav_points_exchange": ("ポイント交換・抽選", "Point exchange & lotteries"),
    "px_title": ("ポイント交換", "Point exchange"),
    "px_intro": (
        "会員がポイントと交換できる商品と、その注文です。注文を受けるとポイントと在庫が同時に"
        "確保されます。発送したら「発送済みにする」を、取り消すとポイントと在庫は戻ります。",
        "Items members exchange points for, and their orders. An order takes the points and one"
        " of the stock together. Mark it shipped once sent; cancelling gives both back.",
    ),
    "px_orders": ("交換注文", "Orders"),
    "px_status_ordered": ("未発送", "To ship"),
    "px_status_shipped": ("発送済み", "Shipped"),
    "px_status_cancelled": ("取消済み", "Cancelled"),
    "px_ordered_at": ("注文日時", "Ordered"),
    "px_item": ("交換商品", "Item"),
    "px_member": ("会員番号", "Member number"),
    "px_points": ("ポイント", "Points"),
    "px_ship_to": ("お届け先", "Ship to"),
    "px_state": ("状態", "State"),
    "px_actions": ("操作", "Actions"),
    "px_ship": ("発送済みにする", "Mark shipped"),
    "px_cancel": ("取り消す", "Cancel"),
    "px_no_orders": ("この状態の注文はありません。", "No orders in this state."),
    "px_cancel_hint": (
        "取り消すと、使われたポイントは元のポイント（有効期限もそのまま）に戻ります。"  # noqa: RUF001
        "その間に有効期限切れで失効したポイントは戻りません。",
        "A cancel gives the points back to the lots they came from, with their own expiry;"
        " points of a lot that expired meanwhile do not come back.",
    ),
    "px_items": ("交換商品", "Items"),
    "px_name": ("商品名", "Name"),
    "px_stock": ("在庫数", "Stock"),
    "px_stock_hint": ("(空欄: 上限なし)", "(empty: no limit)"),
    "px_description": ("説明", "Description"),
    "px_retire": ("交換を終了する", "Retire"),
    "px_no_limit": ("上限なし", "no limit"),
    "px_state_on_offer": ("交換受付中", "On offer"),
    "px_state_sold_out": ("在庫切れ", "Sold out"),
    "px_state_retired": ("終了", "Retired"),
    "px_no_items": ("交換商品はまだありません。", "No items yet."),
    "px_add": ("交換商品を追加", "Add an item"),
    "px_cancel_title": ("交換注文を取り消す", "Cancel the order"),
    "px_keep": ("取り消さずに戻る", "Keep it and go back"),
    "done_px_added": ("交換商品を追加しました。", "The item was added."),
    "done_px_retired": ("交換を終了しました。", "The item was retired."),
    "done_px_shipped": ("発送済みにしました。", "The order was marked shipped."),
    "done_px_cancelled": (
        "注文を取り消し、ポイントと在庫を戻しました。",
        "The order was cancelled; its points and stock are back.",
    ),
}

# The console: point lotteries.
CONSOLE_LOTTERY: dict[str, tuple[str, str]] = {
    "pl_title": ("ポイント抽選", "Point lotteries"),
    "pl_intro": (
        "会員がポイントで応募する抽選です。締切後に応募の一覧のハッシュを公開し、"
        "その後に設定時から公開しているシードを明かして抽選します。誰でも結果を再計算できます。",
        "Lotteries members enter with points. After the close the hash of the entries is"
        " published, then the seed committed at set-up is revealed and the draw made: anyone"
        " can recompute it.",
    ),
    "pl_list": ("抽選一覧", "Lotteries"),
    "pl_name": ("抽選名", "Name"),
    "pl_period": ("受付期間", "Period"),
    "pl_entry_points": ("応募ポイント", "Entry points"),
    "pl_entries": ("応募数", "Entries"),
    "pl_state": ("状態", "State"),
    "pl_state_scheduled": ("受付前", "Scheduled"),
    "pl_state_open": ("受付中", "Open"),
    "pl_state_ended": ("締切（未確定）", "Ended (not closed)"),  # noqa: RUF001
    "pl_state_closed": ("応募確定（抽選前）", "Closed (not drawn)"),  # noqa: RUF001
    "pl_state_drawn": ("抽選済み", "Drawn"),
    "pl_state_cancelled": ("中止", "Cancelled"),
    "pl_none": ("抽選はまだありません。", "No lotteries yet."),
    "pl_add": ("抽選を設定", "Set up a lottery"),
    "pl_limits_hint": (
        "景品表示法（一般懸賞）の上限を設定時に確認します: 景品1本は、1口の取引価額"  # noqa: RUF001
        "（応募ポイント×ポイントの円換算）が5,000円未満ならその20倍まで、5,000円以上なら"  # noqa: RUF001
        "10万円まで。景品の総額は関連する売上予定額の2%まで。",
        "The limits of the Act against Unjustifiable Premiums are checked at set-up: each prize"
        " at most 20 times the entry's value (its points at the point's yen value) under"
        " ¥5,000, else ¥100,000; all prizes at most 2 % of the related sales expected.",
    ),
    "pl_related_hint": ("(円: 景品総額の上限の基準)", "(yen: the base of the 2 % cap)"),
    "pl_prize": ("景品", "Prize"),
    "pl_prize_name": ("景品名", "Prize"),
    "pl_prize_value": ("価額（円）", "Value (yen)"),  # noqa: RUF001
    "pl_prize_count": ("本数", "Count"),
    "pl_back": ("抽選一覧へ戻る", "Back to the lotteries"),
    "pl_terms": ("条件", "Terms"),
    "pl_prize_limit": ("景品1本の上限", "Limit per prize"),
    "pl_prize_total": ("景品総額 / 上限", "Prizes in total / limit"),
    "pl_proof": ("公正さの証明", "Proof of fairness"),
    "pl_proof_hint": (
        "コミットメントはシードのSHA-256で、設定時に公開されます。締切後に応募一覧のハッシュを"
        "公開し、抽選時にシードを明かします。抽選ファイルを `kippu points verify-draw` で"
        "確認できます。",
        "The commitment is SHA-256 of the seed, published at set-up; the entries' hash is"
        " published at the close and the seed at the draw. `kippu points verify-draw` checks"
        " the draw file.",
    ),
    "pl_commitment": ("シードのコミットメント", "Seed commitment"),
    "pl_entries_hash": ("応募一覧のハッシュ", "Entries hash"),
    "pl_seed": ("シード", "Seed"),
    "pl_after_close": ("締切後に公開", "published at the close"),
    "pl_after_draw": ("抽選時に公開", "revealed at the draw"),
    "pl_download": ("抽選ファイルをダウンロード", "Download the draw file"),
    "pl_steps": ("操作", "Steps"),
    "pl_close": ("応募を確定してハッシュを公開", "Close and publish the hash"),
    "pl_draw": ("シードを公開して抽選", "Reveal the seed and draw"),
    "pl_cancel": ("抽選を中止（全額返還）", "Cancel (refund every entry)"),  # noqa: RUF001
    "pl_cancel_warning": (
        "中止すると、すべての応募ポイントを応募者に戻します。中止した抽選は再開できません。",
        "Cancelling refunds every entry's points to its member. A cancelled lottery cannot resume.",
    ),
    "pl_steps_hint": (
        "応募の確定は締切後に、抽選は確定後にできます。中止するとすべての応募ポイントが戻ります。",
        "Close after the period ends, draw after the close. Cancelling refunds every entry.",
    ),
    "pl_winners": ("当選者", "Winners"),
    "pl_place": ("順位", "Place"),
    "pl_ticket": ("応募番号", "Ticket"),
    "done_pl_added": ("抽選を設定しました。", "The lottery was set up."),
    "done_pl_close": ("応募を確定し、ハッシュを公開しました。", "Closed; the hash is published."),
    "done_pl_draw": ("抽選しました。", "The lottery was drawn."),
    "done_pl_cancel": ("抽選を中止し、応募ポイントを戻しました。", "Cancelled; entries refunded."),
}

# The wallet.
WALLET: dict[str, tuple[str, str]] = {
    "wx_link": ("ポイント交換", "Exchange points"),
    "wt_link": ("ポイント抽選", "Point lotteries"),
    "wx_title": ("ポイント交換", "Exchange points"),
    "wx_ordered": (
        "交換を受け付けました。発送までお待ちください。",
        "Your order is placed. We will ship it soon.",
    ),
    "wx_balance": ("保有ポイント", "Your points"),
    "wx_stock": ("残り", "Left"),
    "wx_choose": ("交換する", "Exchange"),
    "wx_none": ("いま交換できる商品はありません。", "Nothing to exchange for now."),
    "wx_my_orders": ("交換履歴", "Your orders"),
    "wx_no_orders": ("まだ交換していません。", "No orders yet."),
    "wx_cost": ("必要ポイント", "Points needed"),
    "wx_postcode_hint": ("7桁の数字（例: 150-0001）", "7 digits, e.g. 150-0001"),  # noqa: RUF001
    "wx_confirm_title": ("交換内容の確認", "Confirm your order"),
    "wx_item": ("交換商品", "Item"),
    "wx_after": ("交換後のポイント", "Points after"),
    "wx_ship_to": ("お届け先", "Ship to"),
    "wx_confirm_note": (
        "交換するとポイントはすぐに使われます。発送前に取り消された場合はポイントが戻ります。",
        "The points are used at once. If the order is cancelled before shipping, they come back.",
    ),
    "wx_place": ("交換する", "Place the order"),
    "wx_change": ("お届け先を直す", "Change the address"),
    "wt_title": ("ポイント抽選", "Point lotteries"),
    "wt_entry_cost": ("1口", "Per entry"),
    "wt_state_open": ("受付中", "Open"),
    "wt_state_ended": ("締切", "Closed for entries"),
    "wt_state_closed": ("抽選待ち", "Awaiting the draw"),
    "wt_state_drawn": ("抽選済み", "Drawn"),
    "wt_open": ("詳しく見る", "Details"),
    "wt_none": ("いま参加できる抽選はありません。", "No lotteries right now."),
    "wt_my_entries": ("あなたの応募口数", "Your entries"),
    "wt_entered": ("応募しました。抽選結果をお待ちください。", "You are entered. Good luck!"),
    "wt_enter": ("ポイントで応募する", "Enter with points"),
    "wt_won": ("当選しました", "You won"),
    "wt_won_hint": (
        "賞品のお届けについては別途ご連絡します。",
        "We will contact you about delivery.",
    ),
    "wt_lost": ("今回は当選しませんでした", "Not a winner this time"),
    "wt_lost_hint": (
        "応募に使ったポイントは戻りません。またのご応募をお待ちしています。",
        "The points used to enter are not refunded. Please try again next time.",
    ),
    "wt_my_tickets": ("あなたの応募番号", "Your tickets"),
    "wt_fairness": ("抽選の公正さ", "How the draw stays fair"),
    "wt_fairness_hint": (
        "抽選前に、シードのコミットメント（設定時）と応募一覧のハッシュ（締切後）を公開して"  # noqa: RUF001
        "います。抽選後に公開されるシードから、誰でも当選者を再計算できます。",
        "Before the draw we publish the seed's commitment (at set-up) and the entries' hash"
        " (after the close). Anyone can recompute the winners from the seed revealed at the draw.",
    ),
    "wt_confirm_title": ("応募内容の確認", "Confirm your entry"),
    "wt_confirm_note": (
        "応募するとポイントはすぐに使われ、当選しなかった場合も戻りません"
        "（抽選が中止された場合は戻ります）。",  # noqa: RUF001
        "The points are used at once and are not refunded if you do not win (they are if the"
        " lottery is cancelled).",
    ),
    "wt_enter_confirm": ("応募する", "Enter"),
}

TEXTS.update(CONSOLE_EXCHANGE)
TEXTS.update(CONSOLE_LOTTERY)
TEXTS.update(WALLET)
