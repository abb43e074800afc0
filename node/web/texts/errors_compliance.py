"""What the compliance.* error codes (資金決済法) say to a person (`error:<code>`), in Japanese
and English; conventions in node/web/texts/errors.py."""

from __future__ import annotations

# key: ("error:" + code): (日本語, English)
TEXTS: dict[str, tuple[str, str]] = {
    # The 基準日 report.
    "error:compliance.not_reference_date": (
        "基準日は3月31日か9月30日です[（指定された日: {date}）]。"  # noqa: RUF001
        "2027-03-31 のように、どちらかの日付を指定してください。",
        "A reference date is 31 March or 30 September[ (given: {date})]. Please give one of"
        " them, e.g. 2027-03-31.",
    ),
    "error:compliance.error": (
        "資金決済法の定めにより、この操作はできません。表示された理由をご確認ください。",
        "The Payment Services Act does not allow this; please see the reason given.",
    ),
    # The fields a compliance request can get wrong.
    "field:date": ("日付", "Date"),
    "field:format": ("形式", "Format"),
}
