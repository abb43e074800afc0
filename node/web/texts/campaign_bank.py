"""What the codes of stores' bank accounts and payouts (bank.*, payout.*) say to a person, in
Japanese and English, and the labels of their fields; conventions in node/web/texts/errors.py.
(account_type and account_number are labelled by errors_refunds.py.)"""

from __future__ import annotations

# key: ("error:" + code) or ("field:" + name): (日本語, English)
TEXTS: dict[str, tuple[str, str]] = {
    "error:bank.holder_not_kana": (
        "[店舗 {store_id} の]名義を銀行の半角カタカナで書けません[（「{character}」）]。"  # noqa: RUF001
        "漢字や使えない記号を除き、通帳のとおりカタカナで入力してください。",
        "The name[ of store {store_id}] cannot be written in the bank's half-width katakana"
        "[ (“{character}”)]. Type it in katakana as the passbook shows it, without kanji or"
        " signs banks do not accept.",
    ),
    "error:bank.holder_too_long": (
        "[店舗 {store_id} の]口座名義が振込データの長さ[（半角{limit}文字）]を超えています。"  # noqa: RUF001
        "株式会社は「ｶ」のように、通帳のとおりの略し方で入力してください。",
        "The holder's name[ of store {store_id}] is longer than a transfer allows"
        "[ ({limit} half-width characters)]. Abbreviate it as the passbook does (a company form as"
        " its short mark).",
    ),
    "error:bank.bad_bank_code": (
        "金融機関コードは4桁の数字です（例: 0001）。通帳で確かめてください。",  # noqa: RUF001
        "A bank code is 4 digits (e.g. 0001). Please check the passbook.",
    ),
    "error:bank.unknown_bank": (
        "金融機関コード[ {bank_code} ]の銀行は見つかりません。4桁のコードを確かめてください。",
        "No bank has the code[ {bank_code}]. Please check the 4-digit code.",
    ),
    "error:bank.bad_branch_code": (
        "支店コードは3桁の数字です（例: 001）。通帳で確かめてください。",  # noqa: RUF001
        "A branch code is 3 digits (e.g. 001). Please check the passbook.",
    ),
    "error:bank.unknown_branch": (
        "[金融機関 {bank_code} に]支店コード[ {branch_code} ]の支店は見つかりません。"
        "3桁のコードを確かめてください。",
        "The bank[ {bank_code}] has no branch[ {branch_code}] with this code. Please check the"
        " 3-digit code.",
    ),
    "error:bank.bad_account_type": (
        "口座の種類は普通・当座・貯蓄のいずれかです。",
        "The account type is ordinary, current or savings.",
    ),
    "error:bank.bad_account_number": (
        "口座番号は7桁までの数字です。通帳で確かめてください。",
        "An account number is up to 7 digits. Please check the passbook.",
    ),
    "error:payout.bad_amount": (
        "[店舗 {store_id} への]振込金額は1円以上、10桁までです。",
        "A transfer[ to store {store_id}] must be at least ¥1 and at most 10 digits.",
    ),
    "error:payout.bad_file": (
        "全銀の総合振込ファイルの形式になっていません[（{record} 行目）]。",  # noqa: RUF001
        "This is not a well-formed Zengin bulk transfer file[ (record {record})].",
    ),
    "error:payout.refused": (
        "この支払いはできません。何も変更されていません。",
        "The payout cannot be made this way; nothing was changed.",
    ),
    "error:payout.no_bank_account": (
        "支払先の店舗[（{store_id}）]の振込先口座が登録されていません。"  # noqa: RUF001
        "先に口座を登録してください。",
        "A store to be paid[ ({store_id})] has no bank account on record. Please record it first.",
    ),
    "error:payout.requester_not_set": (
        "事務局の振込元口座（振込依頼人）が設定されていません。config.toml の"  # noqa: RUF001
        " campaigns.payout の欄を設定してください。",
        "The office's own account (the transfer requester) is not set. Fill the campaigns.payout"
        " table of config.toml.",
    ),
    "error:payout.bad_period": (
        "支払期間は開始日と終了日(YYYY-MM-DD)で、開始日が終了日より後にならないように指定してください。",
        "A payout's period is two days (YYYY-MM-DD), the first not after the last.",
    ),
    "error:payout.period_not_over": (
        "支払は期間が終わってからです[（終了日 {to_day} は今日より前にしてください）]。",  # noqa: RUF001
        "A period is paid once it is over[ (its last day, {to_day}, must be before today)].",
    ),
    "error:payout.period_overlaps": (
        "この期間の一部はすでに支払済みです[（{paid_from}〜{paid_to}）]。同じ期間を二度支払うことは"  # noqa: RUF001
        "できません。前回の期間の翌日から指定してください。",
        "Part of this period was paid already[ ({paid_from} to {paid_to})]; no period is paid"
        " twice. Start from the day after the last payout's period.",
    ),
    "error:payout.not_found": (
        "その支払は見つかりません。",
        "There is no payout with that id.",
    ),
    "field:bank_code": ("金融機関コード", "Bank code"),
    "field:branch_code": ("支店コード", "Branch code"),
    "field:holder_kana": ("口座名義(半角カタカナ)", "Account holder (half-width katakana)"),
    "field:requester_name_kana": ("振込依頼人名", "Requester's name"),
    "field:transfer_date": ("振込指定日", "Transfer date"),
}
