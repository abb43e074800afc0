"""What every error code says to a person, in Japanese and English (`error:<code>`).

One entry per code of the node/errors tree (tests/test_error_texts.py holds the two in step),
split by area: this module (the root, request.*, auth.*, field labels), errors_ledger.py,
errors_peering.py, errors_settlement.py (with audit.*) and errors_service.py (storage.*, the
service), all merged by node/web/i18n.py.
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
