"""What the lottery and survey campaigns' error codes and fields say (`error:<code>`,
`field:<name>`), and the console's lottery and survey pages, in Japanese and English; conventions
in node/web/texts/errors.py. Residents' pages take their five languages from the message
catalogues (node/web/locale)."""

from __future__ import annotations

# key: ("error:" + code), ("field:" + name) or a console page's text: (日本語, English)
TEXTS: dict[str, tuple[str, str]] = {
    "error:campaign.lottery_invalid": (
        "抽選の設定が正しくありません。",
        "The lottery's set-up or draw is not valid.",
    ),
    "error:campaign.lottery_not_set_up": (
        "このキャンペーンの抽選はまだ設定されていません（または抽選式ではありません）。",  # noqa: RUF001
        "This campaign's lottery is not set up (or the campaign is not a lottery).",
    ),
    "error:campaign.lottery_set_up": (
        "この抽選はすでに設定されています。コミットメントは変更できません。",
        "This campaign's lottery is set up already; its commitment cannot change.",
    ),
    "error:campaign.already_applied": (
        "この抽選にはすでに応募しています。応募はお一人一回です。",
        "You have applied to this lottery already; one application per person.",
    ),
    "error:campaign.entries_closed": (
        "この抽選は今は応募を受け付けていません[（締切: {entries_until}）]。",  # noqa: RUF001
        "Applications to this lottery are not taken now[ (they end {entries_until})].",
    ),
    "error:campaign.entries_open": (
        "応募期間が終わっていないか、応募がまだ締め切られていません。期間後に締め切ってから抽選してください。",
        "The application period has not ended or the entries are not closed yet: close them"
        " after the period, then draw.",
    ),
    "error:campaign.seed_refused": (
        "シードを受け付けられません。秘密の値がコミットメントと一致しないか、ビーコンのラウンドが"
        "告知したもの（または前回より後のもの）ではありません。",  # noqa: RUF001
        "The seed was refused: the secret is not the committed one, or the beacon round is not"
        " the one announced (or not after the last draw's).",
    ),
    "error:campaign.nothing_to_draw": (
        "抽選するものがありません（全員当選済み、配布できるクーポンが残っていない、または期間終了）。",  # noqa: RUF001
        "There is nothing to draw: every entry has won, no coupon is left, or the period is over.",
    ),
    "error:campaign.claims_open": (
        "当選者はまだ受け取り期限内です[（期限: {claim_until}）]。期限後に再抽選してください。",  # noqa: RUF001
        "Winners may still claim[ until {claim_until}]; draw again after the deadline.",
    ),
    "error:campaign.not_won": (
        "この抽選で受け取れる当選はありません。",
        "You have no win to claim in this lottery.",
    ),
    "error:campaign.claim_expired": (
        "受け取り期限を過ぎました。クーポンは予算に戻りました。",
        "The deadline to claim this win has passed; the coupon went back to the budget.",
    ),
    "error:campaign.already_claimed": (
        "この当選はすでに受け取り済みです。クーポンはウォレットにあります。",
        "You have claimed this win already; the coupon is in your wallet.",
    ),
    "error:campaign.survey_invalid": (
        "アンケートの設問が正しくありません。",
        "The questionnaire is not valid.",
    ),
    "error:campaign.answer_invalid": (
        "回答が設問に合っていません[（設問 {question}）][。{max_length} 文字以内で入力してください]。",  # noqa: RUF001
        "An answer does not fit its question[ (question {question})][; at most {max_length}"
        " characters].",
    ),
    "error:campaign.survey_not_defined": (
        "このキャンペーンにはまだアンケートがありません（またはアンケート型ではありません）。",  # noqa: RUF001
        "This campaign has no questionnaire yet (or it is not a survey).",
    ),
    "error:campaign.survey_locked": (
        "すでに回答があるため、アンケートは変更できません。",
        "Residents have answered already; the questionnaire can no longer change.",
    ),
    "error:campaign.already_answered": (
        "このアンケートには回答済みです。クーポンはウォレットにあります。",
        "You have answered this survey already; its coupon is in your wallet.",
    ),
    "field:seed_mode": ("シードの種類", "seed source"),
    "field:entries_until": ("応募締切", "applications end"),
    "field:claim_days": ("受け取り期限（日数）", "days to claim"),  # noqa: RUF001
    "field:commitment": ("コミットメント", "commitment"),
    "field:beacon_name": ("ビーコン名", "beacon name"),
    "field:beacon_round": ("ビーコンのラウンド", "beacon round"),
    "field:beacon_value": ("ビーコンの値", "beacon value"),
    "field:beacon": ("ビーコン", "beacon"),
    "field:secret": ("秘密の値", "secret"),
    "field:questions": ("設問", "questions"),
}
