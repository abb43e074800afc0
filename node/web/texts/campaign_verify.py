"""Eligibility (資格確認) for municipal campaigns, in Japanese and English: its error codes
(`error:eligibility.*`), the fields they name, and the wallet's verification page (`cv_*`)."""

from __future__ import annotations

# key: ("error:" + code), ("field:" + name) or a page text: (日本語, English)
TEXTS: dict[str, tuple[str, str]] = {
    "error:eligibility.serial_mistyped": (
        "シリアルコードが正しくありません（入力ミスの可能性があります）。"  # noqa: RUF001
        "お手元のカードの16文字（4文字ずつ）と見比べてください。",  # noqa: RUF001
        "This serial code is mistyped. Compare it with the 16 characters (in groups of four) on"
        " your card.",
    ),
    "error:eligibility.serial_unknown": (
        "このキャンペーンのシリアルコードではありません。キャンペーンとカードをお確かめください。",
        "This serial code is not one of this campaign's. Check the campaign and your card.",
    ),
    "error:eligibility.serial_used": (
        "このシリアルコードはすでに使われています。コードは1回だけ使えます。",
        "This serial code was used already; each code can be used once.",
    ),
    "error:eligibility.invalid_count": (
        "シリアルコードの数は1回に1から[{max}]までです。",
        "A batch holds 1 to [{max}] serial codes.",
    ),
    "error:eligibility.phone_invalid": (
        "コードを受け取れるのは日本の携帯電話番号（070・080・090で始まる11桁）だけです。"  # noqa: RUF001
        "番号をお確かめください。",
        "Only Japanese mobile numbers (070, 080 or 090, 11 digits) can receive the code."
        " Please check the number.",
    ),
    "error:eligibility.email_invalid": (
        "コードを送れるメールアドレスではありません。お確かめください。",
        "The code cannot be sent to this email address. Please check it.",
    ),
    "error:eligibility.postcode_invalid": (
        "郵便番号は7桁の数字で入力してください（例: 123-4567）。",  # noqa: RUF001
        "A postcode is 7 digits, e.g. 123-4567.",
    ),
    "error:eligibility.postcode_outside": (
        "この郵便番号はキャンペーンの対象地域ではありません。対象地域にお住まいの方だけが参加できます。",
        "This postcode is outside the campaign's area; only its residents can take part.",
    ),
    "error:eligibility.code_wrong": (
        "コードが一致しません。最新のメッセージを確かめて、もう一度入力してください。"
        "[あと{tries_left}回入力できます。]",
        "The code does not match. Check the latest message and type it again.[ {tries_left}"
        " tries left.]",
    ),
    "error:eligibility.code_expired": (
        "コードの有効期限が切れているか、まだ送られていません。新しいコードを送ってください。",
        "The code has expired, or none was sent. Please ask for a new one.",
    ),
    "error:eligibility.code_locked": (
        "間違ったコードが多すぎます。新しいコードを送ってください。",
        "Too many wrong codes. Please ask for a new code.",
    ),
    "error:eligibility.subject_taken": (
        "このシリアルコード・電話番号・LINEアカウント・端末・メールアドレスは、"
        "このキャンペーンで別の方の確認にすでに使われています。1つにつき1人だけ確認できます。",
        "This serial code, phone number, LINE account, device or email address has proved"
        " eligibility for another resident of this campaign already; each does so for one"
        " resident.",
    ),
    "error:eligibility.already_verified": (
        "この方法での確認はこのキャンペーンですでに済んでいます（別のコード・番号・アカウント・端末で）。",  # noqa: RUF001
        "You have proved eligibility this way for this campaign already, with another code,"
        " number, account or device.",
    ),
    "error:eligibility.not_configured": (
        "この確認方法はこのシステムでは設定されていません。キャンペーン事務局にお問い合わせください。",
        "This way of proving eligibility is not set up here. Please ask the campaign office.",
    ),
    "error:eligibility.not_asked": (
        "このキャンペーンではこの確認は不要です。ページに表示されている確認を行ってください。",
        "This campaign does not ask for this check; see the checks its page lists.",
    ),
    "error:eligibility.not_sent": (
        "いまはコードを送れませんでした。数分後にもう一度お試しください。",
        "The code could not be sent just now. Please try again in a few minutes.",
    ),
    "error:eligibility.sms_refused": (
        "SMS事業者がこの番号への送信を受け付けませんでした。番号を確かめるか、別の方法をお使いください。"
        "[（事業者のコード: {provider_code}）]",  # noqa: RUF001
        "The SMS provider refused to send to this number. Check it, or use another way.[ (The"
        " provider's code: {provider_code})]",
    ),
    "error:eligibility.line_failed": (
        "LINEでのログインが完了しませんでした（期限切れ・キャンセル・確認できない応答）。"  # noqa: RUF001
        "もう一度始めてください。",
        "The sign-in with LINE did not complete (expired, cancelled, or not confirmed)."
        " Please start it again.",
    ),
    "error:eligibility.passkey_failed": (
        "この端末のパスキーを登録できませんでした（キャンセル・期限切れ・確認できない応答）。"  # noqa: RUF001
        "もう一度お試しください。",
        "This device's passkey could not be registered (cancelled, expired, or not confirmed)."
        " Please try again.",
    ),
    "field:serial": ("シリアルコード", "Serial code"),
    "field:count": ("枚数", "Count"),
    "field:phone": ("携帯電話番号", "Mobile number"),
    "field:postcode": ("郵便番号", "Postcode"),
    "field:code": ("確認コード", "Code"),
    # the wallet's verification page
    "cv_title": ("参加資格の確認", "Check your eligibility"),
    "cv_intro": (
        "このキャンペーンに参加するには、次の確認をすべて済ませてください。",
        "To take part in this campaign, complete every check below.",
    ),
    "cv_done": ("確認済み", "Done"),
    "cv_todo": ("未確認", "To do"),
    "cv_method_serial": ("シリアルコード", "Serial code"),
    "cv_method_email": ("メールアドレス", "Email address"),
    "cv_method_sms": ("SMS（携帯電話番号）", "SMS (mobile number)"),  # noqa: RUF001
    "cv_method_line": ("LINEアカウント", "LINE account"),
    "cv_method_passkey": ("この端末（パスキー）", "This device (passkey)"),  # noqa: RUF001
    "cv_method_residence": ("お住まいの郵便番号", "Your postcode"),
    "cv_serial_hint": (
        "郵送されたカードの16文字を入力してください（例: K7QM-4XRT-2WBN-9HCF）。",  # noqa: RUF001
        "Type the 16 characters on the card you received by post (e.g. K7QM-4XRT-2WBN-9HCF).",
    ),
    "cv_send_code": ("コードを送る", "Send a code"),
    "cv_code_sent": (
        "{sent_to} にコードを送りました。10分以内に入力してください。",
        "A code was sent to {sent_to}. Type it within 10 minutes.",
    ),
    "cv_confirm": ("確認する", "Confirm"),
    "cv_line_button": ("LINEで確認する", "Confirm with LINE"),
    "cv_passkey_button": ("この端末を登録する", "Register this device"),
    "cv_passkey_hint": (
        "この端末の画面ロック（指紋・顔・PIN）でパスキーを作ります。1台につき1人だけ確認できます。",  # noqa: RUF001
        "A passkey is made with this device's screen lock (fingerprint, face or PIN). One device"
        " proves eligibility for one resident.",
    ),
    "cv_residence_hint": (
        "自己申告です。事務局が住民登録と照合することがあります。",
        "This is your declaration; the office may check it against the resident register.",
    ),
    "cv_verified": ("確認しました。", "Confirmed."),
    # the console's serial codes of a campaign (node/web/admin/campaign_serials.py)
    "cvs_printed": ("印刷済みのコード", "Codes printed"),
    "cvs_used": ("使用済み", "Used"),
    "cvs_not_asked": (
        "このキャンペーンはシリアルコードでの確認を求めていません。",
        "This campaign does not ask for serial codes.",
    ),
    "cvs_print_run": ("シリアルコードを発行", "Print a batch"),
    "cvs_print_hint": (
        "コードはこのダウンロードにしか残りません（システムにはハッシュだけを保存します）。"  # noqa: RUF001
        "印刷業者に渡したら、ファイルは削除するか厳重に保管してください。",
        "The codes exist only in this download (the node keeps their hashes). Hand it to the"
        " printer, then delete it or lock it away.",
    ),
    "cvs_count_hint": ("1回に{max}枚まで。", "Up to {max} a batch."),
    "cvs_download": ("発行してCSVをダウンロード", "Draw and download the CSV"),
}
