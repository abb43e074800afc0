"""Text of customers' profiles: head office's form, consent history and erasure in the console
(/admin/customers/{id}), the customer's own page and deletion request in the wallet."""

from __future__ import annotations

# key: (日本語, English)
TEXTS: dict[str, tuple[str, str]] = {
    # the console's customer page
    "pf_title": ("お客様情報", "Profile"),
    "pf_hint": (
        "空欄にした項目は削除されます。メモはお客様にも店頭にも表示されません。",
        "A field left empty is cleared. Notes are never shown to the customer or at the counter.",
    ),
    "pf_name": ("お名前", "Name"),
    "pf_kana": ("フリガナ", "Kana"),
    "pf_email": ("メールアドレス", "Email"),
    "pf_email_hint": (
        "(ウォレットのログインに使うため、ここでは変更できません)",
        "(the wallet's sign-in: not changed here)",
    ),
    "pf_phone": ("電話番号", "Phone"),
    "pf_birthday": ("生年月日", "Birthday"),
    "pf_postcode": ("郵便番号", "Postcode"),
    "pf_gender": ("性別 (任意)", "Gender (optional)"),
    "pf_gender_none": ("回答しない", "Not given"),
    "pf_gender_female": ("女性", "Female"),
    "pf_gender_male": ("男性", "Male"),
    "pf_gender_other": ("その他", "Other"),
    "pf_tags": ("タグ", "Tags"),
    "pf_tags_hint": (
        "読点かカンマで区切って、20個まで入力できます (例: 常連、法人)。",
        "Separate tags with commas, up to 20 (e.g. regular, business).",
    ),
    "pf_notes": ("本部メモ", "Head office notes"),
    "pf_greeting": ("お声がけメモ (店頭に表示)", "Greeting (shown at the counter)"),
    "pf_greeting_hint": (
        "店頭で商品券を読み取ったとき、お名前・ランクと一緒にこの一行だけが表示されます。",
        "When the counter scans the customer's voucher it sees their name, rank and this line.",
    ),
    "pf_save": ("お客様情報を保存", "Save the profile"),
    "pf_erased_on": (
        "このお客様の個人情報は {when} に削除されました。",
        "This customer's personal data was erased on {when}.",
    ),
    "pf_consents": ("メール配信の同意の記録", "Consent to offer mails"),
    "pf_consent_on": (
        "現在、お知らせメールの受信に同意しています。",
        "The customer currently agrees to offer mails.",
    ),
    "pf_consent_off": (
        "現在、お知らせメールの受信に同意していません。",
        "The customer currently does not agree to offer mails.",
    ),
    "pf_consent_when": ("日時", "When"),
    "pf_consent_answer": ("内容", "Answer"),
    "pf_consent_how": ("方法", "How"),
    "pf_consent_wording": ("表示した文言", "Wording shown"),
    "pf_granted": ("同意", "Agreed"),
    "pf_withdrawn": ("撤回", "Withdrawn"),
    "pf_no_consents": ("記録はありません。", "Nothing recorded."),
    "pf_method_console": ("本部 (管理画面)", "Head office (console)"),
    "pf_method_wallet": ("本人 (ウォレット)", "The customer (wallet)"),
    "pf_method_cli": ("本部 (コマンド)", "Head office (command line)"),
    "pf_method_api": ("本部 (API)", "Head office (API)"),
    "pf_method_signup": ("本人 (登録時)", "The customer (sign-up)"),
    "pf_method_unsubscribe_link": ("本人 (配信停止リンク)", "The customer (unsubscribe link)"),
    "pf_method_one_click": (
        "本人 (メールソフトの配信停止)",
        "The customer (one-click unsubscribe)",
    ),
    "pf_consent_record": (
        "お客様からの申し出を記録する",
        "Record what the customer told head office",
    ),
    "pf_consent_grant": ("同意する (受け取る)", "Agrees (gets offer mails)"),
    "pf_consent_withdraw": ("撤回する (停止する)", "Withdraws (no offer mails)"),
    "pf_consent_wording_in": ("お客様に示した文言 (任意)", "Wording the customer saw (optional)"),
    "pf_consent_wording_hint": (
        "空欄なら「本部が本人の申し出を記録」の定型文で記録します。",
        "Left empty, the standard wording for a request head office recorded is kept.",
    ),
    "pf_consent_save": ("記録する", "Record"),
    "pf_erase_title": ("個人情報の削除", "Erase personal data"),
    "pf_erase_hint": (
        "お客様から削除の依頼があったとき (個人情報保護法) に使います。確認画面が表示されます。",
        "For a customer's request to delete their data (APPI). A confirmation step follows.",
    ),
    "pf_erase_open": ("削除の確認へ", "Review the erasure"),
    "pf_erase_does": (
        "お名前とメールアドレスを消し、お客様情報・タグ・配信先アドレスを削除し、"
        "メール配信の同意を撤回します。ウォレットのアカウントは使えなくなります。元に戻せません。",
        "Removes the name and email, deletes the profile, tags and mail addresses, withdraws"
        " consent to offer mails and closes the wallet account. This cannot be undone.",
    ),
    "pf_erase_keeps": (
        "商品券と取引の記録 (帳簿) はそのまま残ります。残高やポイントがある間は削除できません。",
        "Vouchers and the books stay as they are. Refused while the customer holds a balance or"
        " points.",
    ),
    "pf_erase_reason": ("依頼の内容", "The request"),
    "pf_erase_reason_hint": (
        "誰から、いつ、どの方法で依頼があったかを記録します (例: 本人から電話で依頼)。",
        "Who asked, when and how (e.g. the customer asked by phone).",
    ),
    "pf_erase_confirm": ("削除する", "Erase"),
    "done_pf_saved": ("お客様情報を保存しました。", "The profile was saved."),
    "done_pf_consent": ("同意の記録を追加しました。", "The consent was recorded."),
    "done_pf_erased": ("個人情報を削除しました。", "The personal data was erased."),
    # the console's wording for a refused field (node/web/admin/form_errors.py)
    "cf_field:kana": (
        "フリガナはカタカナかひらがなで入力してください (80文字以内)。",
        "Write the kana in katakana or hiragana (up to 80 characters).",
    ),
    "cf_field:phone": (
        "電話番号は0から始まる10桁か11桁の数字で入力してください (ハイフン可)。",
        "Enter a phone number of 10 or 11 digits starting with 0 (hyphens are fine).",
    ),
    "cf_field:birthday": (
        "生年月日は1900年1月1日から今日までの日付を選んでください。",
        "Choose a birthday from 1 January 1900 to today.",
    ),
    "cf_field:postcode": (
        "郵便番号は7桁の数字で入力してください (例: 150-0041)。",
        "Enter a postcode of 7 digits (e.g. 150-0041).",
    ),
    "cf_field:gender": ("性別を一覧から選んでください。", "Choose a gender from the list."),
    "cf_field:tags": (
        "タグは20個まで、それぞれ40文字以内で入力してください。",
        "Up to 20 tags of at most 40 characters each.",
    ),
    "cf_field:notes": (
        "本部メモは2000文字以内で入力してください (制御文字は使えません)。",
        "Notes may have up to 2000 characters (no control characters).",
    ),
    "cf_field:greeting": (
        "お声がけメモは100文字以内で入力してください (制御文字は使えません)。",
        "The greeting may have up to 100 characters (no control characters).",
    ),
    "cf_field:marketing": (
        "同意か撤回を選んでください。同意はメールアドレスのあるお客様についてだけ記録できます。",
        "Choose agrees or withdraws; an agreement needs a customer with an email address.",
    ),
    "cf_field:wording": (
        "文言は2000文字以内で入力してください (制御文字は使えません)。",
        "The wording may have up to 2000 characters (no control characters).",
    ),
    # the wallet: the customer's own profile and their deletion request
    "wpf_link": ("登録情報の確認・変更", "Your details"),
    "wpf_title": ("登録情報", "Your details"),
    "wpf_email": ("ログインに使うメールアドレス", "Email you sign in with"),
    "wpf_save": ("保存する", "Save"),
    "wpf_saved": ("登録情報を保存しました。", "Your details were saved."),
    "wpf_more": ("メールとデータ", "Mail and your data"),
    "we_title": ("個人情報の削除を依頼する", "Ask us to delete your data"),
    "we_does": (
        "お名前・メールアドレス・登録情報を削除し、お知らせメールの受信を停止します。"
        "このウォレットにはログインできなくなり、元に戻すことはできません。",
        "We delete your name, email and details and stop offer mails. You can no longer sign in"
        " to this wallet, and this cannot be undone.",
    ),
    "we_keeps": (
        "法律で保存が必要な取引の記録は、お名前のない形で残ります。",
        "Records of your purchases that the law makes us keep stay, without your name.",
    ),
    "we_value": (
        "商品券の残高やポイントが残っている間は削除できません。使い切るか払い戻しを受けてから依頼してください。",
        "While you hold a voucher balance or points we cannot delete: use them or have them"
        " refunded first.",
    ),
    "we_data_first": (
        "削除の前に、登録情報をファイルで受け取っておくことができます。",
        "Before deleting, you can download your data as a file.",
    ),
    "we_confirm": ("削除する", "Delete my data"),
    "we_keep": ("削除しない", "Keep my data"),
    "we_blocked": (
        "商品券の残高かポイントが残っているため、削除できませんでした。何も変更されていません。",
        "We could not delete your data: you still hold a voucher balance or points. Nothing"
        " was changed.",
    ),
    "we_held_yen": ("商品券の残高", "Voucher balance"),
    "we_held_points": ("ポイント", "Points"),
    "we_blocked_hint": (
        "使い切るか、払い戻しを受けてから、もう一度依頼してください。",
        "Use them or have them refunded, then ask again.",
    ),
    "we_to_wallet": ("ウォレットに戻る", "Back to the wallet"),
    "we_done_title": ("個人情報を削除しました", "Your data was deleted"),
    "we_done": (
        "お名前・メールアドレス・登録情報を削除し、ログインを終了しました。ご利用ありがとうございました。",
        "Your name, email and details are deleted and you are signed out. Thank you.",
    ),
    "we_done_again": (
        "同じメールアドレスで、新しく登録し直すことはできます。",
        "You may register again with the same email as a new customer.",
    ),
}
