"""What the error codes of the points books' checks and sweeps say to a person (`error:<code>`),
in Japanese and English; conventions in node/web/texts/errors.py."""

from __future__ import annotations

# key: ("error:" + code): (日本語, English)
TEXTS: dict[str, tuple[str, str]] = {
    "error:points.use_already_returned": (
        "このポイント利用はすでに取り消されています。ポイントはそのときに戻されています。",
        "This use of points was given back already; its points were returned then.",
    ),
}
