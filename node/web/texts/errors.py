"""What every error code says to a person, in Japanese and English (`error:<code>`).

One entry per code of the node/errors tree (tests/test_error_texts.py holds the two in step).
A text may name facts the error carries in `error.details`: `{balance:yen}` is filled from the
detail `balance` and written ¥1,234; `{retry_after_s:minutes}` as whole minutes, at least 1;
`{reason:error}` as the text of the error code in `reason`; `{field:label}` as the form field's
name (`field:<name>` below). A part in [square brackets] is shown
only when every fact it names is there, so an error raised without the fact still reads whole;
a fact outside brackets is passed by every place that raises the error (the test checks it).
node/web/i18n.py `error_explainer` fills them. The JSON API keeps its codes and English messages.
"""

from __future__ import annotations

# key: ("error:" + code): (日本語, English)
TEXTS: dict[str, tuple[str, str]] = {
    # The root and the internal errors: never shown as such (logged, "internal error").
    "error:internal.error": (
        "システムで問題が起きました。記録済みです。しばらくしてからもう一度お試しください。",
        "Something went wrong on our side and it has been logged. Please try again shortly.",
    ),
    "error:internal.illegal_transition": (
        "システムで問題が起きたため、処理を取り消しました。何も変更されていません。"
        "もう一度お試しください。",
        "Something went wrong on our side, so nothing was changed. Please try again.",
    ),
    "error:internal.store_mismatch": (
        "システムで問題が起きたため、処理を取り消しました。何も変更されていません。"
        "もう一度お試しください。",
        "Something went wrong on our side and the operation was rolled back; nothing was changed."
        " Please try again.",
    ),
    # request.*: the kind branches and what any form or request can get wrong.
    "error:request.invalid": (
        "[「{field:label}」の]入力内容に誤りがあります。[{min_chars}文字以上で入力してください。]"
        "[{max_chars}文字以内で入力してください。][1から{maximum}までの整数で入力してください。]"
        "[期間は{max_days}日以内にしてください。]確かめて、もう一度お試しください。",
        "Something in the form is not right[ (“{field:label}”)].[ Use at least {min_chars}"
        " characters.][ Use at most {max_chars} characters.][ Enter a whole number from 1 to"
        " {maximum}.][ Choose a period of at most {max_days} days.] Please check it and try"
        " again.",
    ),
    "error:request.not_found": (
        "お探しのものは見つかりませんでした。一覧から選び直してください。",
        "We could not find what you asked for. Please choose it again from the list.",
    ),
    "error:request.invalid_json": (
        "送られた内容を読み取れませんでした。ページを再読み込みして、もう一度お試しください。",
        "We could not read what was sent. Please reload the page and try again.",
    ),
    "error:request.invalid_text": (
        "入力に使えない文字 (制御文字や見えない文字) が含まれています。"
        "その文字を消して、もう一度入力してください。",
        "The text contains characters that cannot be used (control or invisible characters)."
        " Please remove them and try again.",
    ),
    "error:request.invalid_amount": (
        "金額は1円以上の整数で入力してください (数字 0-9、全角数字も可)。[上限は{maximum:yen}です。]",
        "The amount must be a whole number of yen, at least 1 (digits 0-9).[ The most is"
        " {maximum:yen}.]",
    ),
    "error:request.weak_password": (
        "このパスワードは使われている文字の種類が少なすぎます。"
        "もっと長く、いろいろな文字を混ぜたパスワードにしてください。",
        "This password has too few different characters. Please choose a longer, more varied one.",
    ),
    "error:request.no_route": (
        "このアドレスには何もありません。アドレスを確かめてください。",
        "There is nothing at this address. Please check it.",
    ),
    "error:request.no_page": (
        "このアドレスのページはありません。アドレスを確かめるか、ホームに戻ってください。",
        "There is no page at this address; check it, or go back to your home page.",
    ),
    # auth.* and accounts
    "error:auth.required": (
        "続けるにはログインが必要です。ログインしてください。",
        "You need to sign in to continue. Please sign in.",
    ),
    "error:auth.missing_token": (
        "管理用トークンが送られていません。ノードのサーバーで kippu コマンドを使ってください。",
        "No admin token was sent. Please use the kippu command on the node's server.",
    ),
    "error:auth.invalid_token": (
        "管理用トークンが違います。ノードは起動のたびに新しいトークンを作ります。"
        "最新のトークンを使ってください。",
        "The admin token is wrong. The node makes a new one each time it starts;"
        " please use the latest.",
    ),
    "error:auth.not_signed_in": (
        "ログインの有効期限が切れたか、まだログインしていません。もう一度ログインしてください。",
        "Your session has ended or you are not signed in yet. Please sign in again.",
    ),
    "error:auth.bad_credentials": (
        "ログイン名またはパスワードが違います。確かめて、もう一度入力してください。",
        "The login name or password is wrong. Please check them and try again.",
    ),
    "error:auth.link_invalid": (
        "このログイン用リンクは使用済みか、有効期限が切れています。新しいリンクを送ってください。",
        "This sign-in link has been used or has expired. Please ask for a new link.",
    ),
    "error:auth.forbidden": (
        "このページや操作は、いまのアカウントでは使えません。ご自分のホームに戻ってください。",
        "Your account cannot open this page or do this. Please go back to your home page.",
    ),
    "error:auth.csrf": (
        "フォームの有効期限が切れました。ページを再読み込みして、もう一度お試しください。"
        "何も変更されていません。",
        "The form was out of date, so nothing was changed. Please reload the page and try again.",
    ),
    "error:auth.throttled": (
        "試行の回数が多すぎます。[{retry_after_s:minutes}分ほど]待ってから、もう一度お試しください。",
        "Too many attempts. Please wait [about {retry_after_s:minutes} min ]and try again.",
    ),
    "error:account.login_taken": (
        "このログイン名はすでに使われています (本部用の admin も使えません)。"
        "別のログイン名にしてください。",
        "That login name is taken (admin is reserved for head office). Please choose another.",
    ),
    "error:account.not_found": (
        "このスタッフのアカウントは見つかりません。店舗とスタッフの一覧から選び直してください。",
        "We could not find that staff account. Please choose it again from the stores and staff"
        " list.",
    ),
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
    # peer.*: partner nodes (the console's 提携先)
    "error:peer.refused": (
        "提携先からのメッセージを受け付けませんでした。何も変更されていません。",
        "A partner's message was refused; nothing was changed.",
    ),
    "error:peer.unusable_url": (
        "提携先のアドレスの角かっこの中が IPv6 アドレスではありません。アドレスを直してください。",
        "The part of the address in square brackets is not an IPv6 address. Please correct the"
        " partner's URL.",
    ),
    "error:peer.is_self": (
        "自分のノードを提携先として登録することはできません。相手のノードのアドレスを入力してください。",
        "A node cannot be its own partner. Please enter the other node's address.",
    ),
    "error:peer.not_found": (
        "この提携先は見つかりません。提携先の一覧から選び直してください。",
        "We could not find that partner. Please choose it again from the list of partners.",
    ),
    "error:peer.malformed": (
        "提携先からのメッセージの形式が正しくありません。相手の管理者に連絡してください。",
        "The partner's message is not well formed. Please contact the partner's administrator.",
    ),
    "error:peer.bad_signature": (
        "メッセージの署名を確かめられませんでした。登録されている提携先の鍵と一致しません。",
        "The message's signature does not match the partner's registered key.",
    ),
    "error:peer.unknown_sender": (
        "送り主はこのノードの提携先として登録されていません。先に提携先として登録してください。",
        "The sender is not a registered partner of this node. Please register it first.",
    ),
    "error:peer.pending": (
        "提携の手続きが終わっていません。双方が相手を登録すると取引できるようになります。",
        "The partnership is pending: both sides must register each other first.",
    ),
    "error:peer.suspended": (
        "この提携先との取引は停止中です。提携先の画面で再開できます。",
        "The partnership is suspended on this node. You can resume it on the partner's page.",
    ),
    "error:peer.wrong_recipient": (
        "このメッセージはほかのノード宛てです。",
        "This message is addressed to another node.",
    ),
    "error:peer.expired": (
        "メッセージの有効期間外です (期限切れか、日時が未来)。双方のサーバーの時計を確かめてください。",
        "The message is outside its validity window. Please check both servers' clocks.",
    ),
    "error:peer.unknown_type": (
        "このノードはこの種類のメッセージを受け付けていません。双方のバージョンを確かめてください。",
        "This node does not accept that kind of message. Please check both nodes' versions.",
    ),
    "error:peer.replayed": (
        "このメッセージの番号はすでに使われています (再送の重複)。",
        "This message repeats a sequence number already used (a duplicate resend).",
    ),
    "error:peer.sequence_gap": (
        "この前のメッセージが届いていません。抜けている番号から送り直してください。",
        "Earlier messages are missing. Please resend from the expected number.",
    ),
    "error:peer.fork": (
        "このメッセージは前のメッセージとつながっていません。提携先の管理者と確認してください。",
        "This message does not follow the previous one. Please check with the partner's"
        " administrator.",
    ),
    "error:peer.history_forked": (
        "提携先が同じ位置に別の内容のメッセージを署名しました (古いバックアップからの復元など)。"
        "双方の管理者が監査記録を照合するまで、この提携は停止されます。",
        "The partner signed two different messages for the same place (restored from an old"
        " backup?). The partnership is suspended until both administrators compare their audit"
        " records.",
    ),
    "error:peer.idempotency_conflict": (
        "同じメッセージ番号で別の内容がすでに届いています。",
        "A different message was already received under this message id.",
    ),
    "error:peer.invite_invalid": (
        "この招待は正しくありません。提携先に新しい招待を送ってもらってください。",
        "This invitation is not valid. Please ask the partner for a new one.",
    ),
    "error:peer.invite_expired": (
        "この招待は有効期限が切れています。提携先に新しい招待を送ってもらってください。",
        "This invitation has expired. Please ask the partner for a new one.",
    ),
    "error:peer.invite_used": (
        "この招待はすでに使われています。招待は1回しか使えません。新しい招待をもらってください。",
        "This invitation was already used; each works once. Please ask for a new one.",
    ),
    "error:peer.join_refused": (
        "提携先が参加を断りました。ここでは何も登録されていません。[理由: {partner_code:error}]"
        "招待が使用済みか期限切れの場合は、新しい招待をもらってください。",
        "The partner refused to join; nothing was registered here.[ Reason: {partner_code:error}]"
        " If the invitation was used or expired, please ask for a new one.",
    ),
    "error:peer.channel_parked": (
        "この提携先への送信が止まっているメッセージがあります。"
        "提携先の画面で、そのメッセージを署名し直すか取り下げてください。",
        "A message to this partner is parked and blocks the others. Please re-sign or drop it"
        " on the partner's page.",
    ),
    "error:peer.not_parked": (
        "その位置に止まっているメッセージはありません。提携先の画面を再読み込みしてください。",
        "No message is parked at that position. Please reload the partner's page.",
    ),
    "error:peer.drop_not_allowed": (
        "このメッセージは取り下げられません。代わりに署名し直してください。",
        "This message cannot be dropped. Please re-sign it instead.",
    ),
    "error:peer.resign_not_allowed": (
        "このメッセージは署名し直せません。"
        "提携先の管理者にご相談ください (運用ガイド「止まったメッセージ」)。",
        "These messages cannot be signed again. Please contact the partner's administrator"
        " (operations guide, Parked messages).",
    ),
    "error:peer.exists": (
        "この提携先はすでに登録されています。提携先の一覧で状態を確かめてください。",
        "That partner is already registered. Please check its status in the list of partners.",
    ),
    "error:peer.removed": (
        "この提携先は削除済みのため、停止や再開はできません。"
        "もう一度取引するには、新しく登録してください。",
        "That partner was removed, so it can no longer be suspended or resumed. To work with it"
        " again, register it anew.",
    ),
    # settlement.*: claims, statements and payments between partners
    "error:settlement.refused": (
        "精算の操作はできませんでした。何も変更されていません。",
        "The settlement operation was refused; nothing was changed.",
    ),
    "error:settlement.partner_not_active": (
        "この商品券の発行元は現在の提携先ではないため、ここでは使えません。",
        "This voucher's issuer is not an active partner, so it cannot be used here.",
    ),
    "error:settlement.exposure_limit": (
        "この提携先の未精算額が上限[ ({limit:yen})]に達しています。"
        "精算されるまで、この提携先の商品券は受け付けられません。",
        "This partner's unsettled total has reached its limit[ ({limit:yen})]. Its vouchers"
        " cannot be accepted until it pays.",
    ),
    "error:settlement.pending": (
        "この提携先との請求・取消・入金確認がまだ処理中です。返事が届いてから、もう一度お試しください。",
        "Claims, voids or a payment confirmation with this partner are still on their way."
        " Please try again once they are answered.",
    ),
    "error:settlement.claim_pending": (
        "発行元がこの請求をまだ確認していません。返事を待ってください。",
        "The issuer has not decided this claim yet. Please wait for its answer.",
    ),
    "error:settlement.void_not_allowed": (
        "この請求は今は取り消せません (取り消せるのは承認済みで、まだ精算書に入っていない請求だけです)。",
        "This claim cannot be voided now (only an accepted claim not yet in a statement can be).",
    ),
    "error:settlement.statement_open": (
        "この提携先との精算書がまだ返事を待っています。返事が届いてから、もう一度お試しください。",
        "A statement with this partner is still waiting for its answer. Please wait for it.",
    ),
    "error:settlement.not_payer": (
        "この精算書の支払い側はこのノードではありません。",
        "This node is not the payer of that statement.",
    ),
    "error:settlement.not_payee": (
        "この精算書の受け取り側はこのノードではありません。",
        "This node is not the payee of that statement.",
    ),
    "error:settlement.statement_state": (
        "この精算書の状態では、この操作はできません。精算書の状態を確かめてください。",
        "The statement's status does not allow this. Please check its status.",
    ),
    "error:settlement.statement_too_large": (
        "1つの精算書に入れる請求が多すぎます[ ({claims}件)]。締め日時を早めてください。",
        "Too many claims for one statement[ ({claims})]. Please choose an earlier cut-off.",
    ),
    "error:settlement.nothing_to_settle": (
        "この締め日時までに、この提携先と新しく精算するものはありません。",
        "There is nothing new to settle with this partner up to that cut-off.",
    ),
    "error:settlement.claim_rejected": (
        "発行元がこの利用を承認しませんでした。[理由: {reason:error}]お支払いは受けないでください。",
        "The issuer rejected this redemption.[ Reason: {reason:error}] Do not take the payment.",
    ),
    "error:settlement.claim_not_found": (
        "この請求は見つかりません。請求の一覧から選び直してください。",
        "We could not find that claim. Please choose it again from the list of claims.",
    ),
    "error:settlement.statement_not_found": (
        "この精算書は見つかりません。精算書の一覧から選び直してください。",
        "We could not find that statement. Please choose it again from the list of statements.",
    ),
    # audit.*
    "error:audit.refused": (
        "監査の操作はできませんでした。何も変更されていません。",
        "The audit operation was refused; nothing was changed.",
    ),
    "error:audit.not_in_log": (
        "この請求や精算書は、チェックポイントまでの記録にまだありません。"
        "最近のものなら、先にチェックポイントを作ってください。",
        "That claim or statement is not yet in the part of the log a checkpoint covers. If it is"
        " recent, make a checkpoint first.",
    ),
    "error:audit.no_checkpoint": (
        "精算記録のチェックポイントがまだありません。先にチェックポイントを作ってください。",
        "The settlement log has no checkpoint yet. Please make one first.",
    ),
    "error:audit.bundle_unreadable": (
        "このファイルは、この版の Kippu が読める監査記録ではありません。",
        "This file is not an audit bundle this version of Kippu can read.",
    ),
    "error:audit.bad_entry": (
        "精算記録の中に正しくない項目があります。検証結果の詳細を確かめてください。",
        "An entry of the settlement log is not what it should be. Please see the verifier's"
        " details.",
    ),
    # storage.*: the node's database and disk (the administrator can act)
    "error:storage.error": (
        "いまデータベースを使えません。何も変更されていません。しばらくしてからもう一度お試しください。",
        "The database cannot be used right now; nothing was changed. Please try again shortly.",
    ),
    "error:storage.disk_full": (
        "データベースのディスクがいっぱいです。何も変更されていません。"
        "管理者に空き容量を増やしてもらってください。空きができれば自動で再開します。",
        "The database's disk is full; nothing was changed. Please ask the administrator to free"
        " space; the node goes on by itself once there is room.",
    ),
    "error:storage.read_only": (
        "データベースに書き込めません。何も変更されていません。"
        "管理者にファイルの書き込み権限を確かめてもらってください。",
        "The database cannot be written; nothing was changed. Please ask the administrator to"
        " check the file permissions.",
    ),
    "error:storage.io_error": (
        "ディスクの読み書きでエラーが起きました。何も変更されていません。"
        "管理者にディスクを点検してもらってください。",
        "The disk reported an error; nothing was changed. Please ask the administrator to check"
        " the disk.",
    ),
    "error:storage.busy": (
        "ほかのプログラムがデータベースを使用中です。何も変更されていません。"
        "そのプログラムを閉じると自動で再開します。",
        "Another program holds the database; nothing was changed. Close it and the node goes on"
        " by itself.",
    ),
    "error:storage.damaged": (
        "データベースが壊れているため、ノードを動かせません。最新のバックアップから復元してください。",
        "The database is damaged, so the node will not serve it. Please restore the latest backup.",
    ),
    "error:storage.other_node": (
        "このデータベースは別のノードのものです。正しい鍵ファイルを戻すか、"
        "このノードのバックアップから復元してください。",
        "This database belongs to another node. Please put its key file back or restore this"
        " node's own backup.",
    ),
    "error:storage.home_read_only": (
        "ノードのホームディレクトリに書き込めません。書き込めるようにしてください。",
        "The node's home directory cannot be written. Please make it writable.",
    ),
    "error:storage.node_running": (
        "このホームでノードが動いています。先にノードを止めてください。",
        "The node is running on this home. Please stop it first.",
    ),
    "error:storage.backup_invalid": (
        "このファイルは、このノードの正しいバックアップではありません。何も置き換えていません。",
        "That file is not a sound backup of this node; nothing was replaced.",
    ),
    "error:storage.backup_failed": (
        "バックアップを作れませんでした。ノードのホームの外にあるファイルを指定して、"
        "もう一度お試しください。",
        "The backup could not be made. Please write it to a file outside the node's home and"
        " try again.",
    ),
    # The node as a running service (mostly the command line)
    "error:config.invalid": (
        "ノードの設定に誤りがあります。config.toml の示された項目を直してください。",
        "The node's configuration is invalid. Please fix the listed keys in config.toml.",
    ),
    "error:node.rotation_unresolved": (
        "鍵の切り替えが途中で止まっています。運用ガイドに沿ってデータベースを修復するか復元してから、"
        "ノードを起動してください。",
        "A key rotation was interrupted. Please repair or restore the database as the operations"
        " guide says, then start the node.",
    ),
    "error:node.unavailable": (
        "ノードが動いていないか、接続できません。kippu serve で起動してください。",
        "The node is not running or cannot be reached. Please start it with kippu serve.",
    ),
    "error:node.refused": (
        "ノードが要求を受け付けませんでした。表示された理由を確かめてください。",
        "The node refused the request. Please see the reason given.",
    ),
    "error:server.too_many_connections": (
        "接続が多すぎます。少し待ってから、もう一度お試しください。",
        "Too many connections are open. Please wait a moment and try again.",
    ),
    "error:receipt.unavailable": (
        "いまは領収書を作れません (日本語フォントがありません)。管理者に連絡してください。",
        "Receipts cannot be made right now (no Japanese font). Please contact the administrator.",
    ),
    # The names of form fields an error can point at (`field` in its details).
    "field:amount": ("金額", "Amount"),
    "field:email": ("メールアドレス", "Email address"),
    "field:password": ("パスワード", "Password"),
    "field:name": ("名前", "Name"),
    "field:stores": ("店舗", "Stores"),
    "field:store": ("店舗", "Store"),
    "field:from": ("開始日", "From"),
    "field:to": ("終了日", "To"),
    "field:until": ("締め日時", "Cut-off"),
    "field:peer": ("提携先", "Partner"),
    "field:url": ("URL", "URL"),
    "field:node_id": ("ノードID", "Node id"),  # noqa: RUF001 (katakana, not a slash)
    "field:hours": ("有効時間", "Valid hours"),
    "field:valid_hours": ("有効時間", "Valid hours"),
    "field:valid_days": ("有効日数", "Valid days"),
    "field:reference": ("振込の参照番号", "Transfer reference"),
    "field:status": ("状態", "Status"),
    "field:q": ("検索", "Search"),
    "field:max_receivable": ("未精算額の上限", "Receivable limit"),
    "field:number": ("番号", "Number"),
    "field:understood": ("確認", "Confirmation"),
    "field:agreed": ("同意", "Agreement"),
    "field:from_seq": ("開始位置", "From position"),
    "field:peers": ("提携先", "Partners"),
    "field:role": ("立場", "Role"),
}
