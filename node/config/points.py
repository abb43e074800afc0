"""The [points] table of config.toml: how the node runs the point program's notices.

The program's terms themselves (earn rate, expiry) are head office's, set through the console,
the API or `kippu points program set` and kept in the database with the moment they apply from;
only what the node does by itself is here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from node.config.model import PointsConfig

if TYPE_CHECKING:
    from node.config.reading import _Reader

POINTS_KEYS = {"expiry_notice_days"}
MAX_NOTICE_DAYS = 90


def read_points(r: _Reader) -> PointsConfig:
    days = r.get("points", "expiry_notice_days", int, PointsConfig().expiry_notice_days)
    r.check(
        0 <= days <= MAX_NOTICE_DAYS,
        f"points.expiry_notice_days must be 0..{MAX_NOTICE_DAYS} (0: no notices)",
    )
    return PointsConfig(expiry_notice_days=days)
