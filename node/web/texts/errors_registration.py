"""What compliance.registration_required says to a person (`error:<code>`), in Japanese and
English; conventions in node/web/texts/errors.py."""

from __future__ import annotations

# key: ("error:" + code): (日本語, English)
TEXTS: dict[str, tuple[str, str]] = {
    "error:compliance.registration_required": (
        "提携先で商品券を使えるようにすると第三者型前払式支払手段となり、財務局への登録"
        " (資金決済法7条) が必要です。登録後に config.toml の issuer.registration_number を"
        "設定するか、提携先が密接関係者 (親会社・子会社など) であれば issuer.related_partners に"
        "そのノードIDを記載し、ノードを再起動してからもう一度お試しください。何も変更されていません。",  # noqa: RUF001 (katakana)
        "Accepting our vouchers at a partner makes them third-party prepaid instruments, which"
        " need registration (Payment Services Act art. 7). Set issuer.registration_number in"
        " config.toml once registered, or list a closely related partner's node id in [issuer]"
        " related_partners, restart the node and try again. Nothing was changed.",
    ),
}
