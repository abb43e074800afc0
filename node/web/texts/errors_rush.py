"""What the rush's error codes say to a person (`error:<code>`: the waiting room of a first-come
campaign, 先着の殺到), in Japanese and English; conventions in node/web/texts/errors.py."""

from __future__ import annotations

# key: ("error:" + code): (日本語, English)
TEXTS: dict[str, tuple[str, str]] = {
    "error:campaign.busy": (
        "ただいま大変混み合っており、順番待ちの列がいっぱいです。少し時間をおいてからもう一度お試しください。",
        "So many people are waiting for this campaign that the line is full. Please try again"
        " in a little while.",
    ),
    "error:campaign.ticket_unknown": (
        "その整理券は見つかりません（しばらく確認されなかったため失効したか、発行されていません）。"  # noqa: RUF001
        "もう一度お申し込みください。",
        "There is no waiting ticket of that number for this campaign (it expired after not"
        " being checked for a while, or it was never given). Please ask again.",
    ),
}
