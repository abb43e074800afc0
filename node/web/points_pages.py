"""What the exchange and lottery pages (console and wallet) share: the use cases answer times
as ISO 8601 in UTC, and the pages show them in the node's zone."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo


def local_iso(zone: ZoneInfo) -> Callable[[str | None], str]:
    """`at(text)` for templates: an answer's ISO time as YYYY-MM-DD HH:MM in `zone`."""

    def at(text: str | None) -> str:
        if not text:
            return "—"
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")

    return at
