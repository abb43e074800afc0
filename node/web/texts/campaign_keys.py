"""The office's grant made safe to retry, and one-time codes capped per day (part "keys"), in
Japanese and English: their error codes and the field they name. The /verify page shows the caps'
refusals in five languages through the campaigns' catalogues (node/web/locale)."""

from __future__ import annotations

# key: ("error:" + code) or ("field:" + name): (日本語, English)
TEXTS: dict[str, tuple[str, str]] = {
    "error:campaign.idempotency_conflict": (
        "この Idempotency-Key は別の付与（別のキャンペーン・住民・送信者）にすでに使われています。"  # noqa: RUF001
        "新しいキーを送るか、最初と同じ内容で送ると最初の付与が返ります。",
        "This Idempotency-Key was sent already with another grant (another campaign, customer or"
        " caller). Send a new key, or the same request again to get its first answer.",
    ),
    "error:eligibility.code_sends_capped": (
        "このメールアドレス・電話番号、またはあなたへのコードの送信は、本日の上限に達しました。"
        "明日もう一度お試しいただくか、別の方法で確認してください。",
        "As many codes as one day allows were sent to this address or number, or for you, today."
        " Please try again tomorrow, or prove eligibility another way.",
    ),
    "error:eligibility.code_tries_capped": (
        "本日は間違ったコードの入力が多すぎました。明日もう一度お試しください。",
        "Too many wrong codes were typed today for this address or number, or by you. Please"
        " try again tomorrow.",
    ),
    "field:idempotency_key": ("Idempotency-Key（再送キー）", "Idempotency-Key"),  # noqa: RUF001
}
