"""Moments head office sends far in the future (or past) are refused with the field named, never
a 500: a program's, a store rate's or a rank table's effective_from, a campaign's times, a
lottery's period, over the API and on the console's lottery form (node/moments.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from node.errors import InvalidPoints, InvalidRankTable
from node.home import NodeHome
from node.moments import parse_moment
from node.web.admin.points_lottery import terms_from_form
from tests.conftest import FakeClock
from tests.points_helpers import points_node

FAR = "9999-12-31T23:00:00-05:00"  # year 10000 in UTC
LEVELS = [{"name": "ブロンズ", "min_spend_yen": 0, "multiplier_pct": 100}]
TOKYO = ZoneInfo("Asia/Tokyo")


async def test_far_moments_are_refused_naming_the_field(home: NodeHome, clock: FakeClock) -> None:
    async with points_node(home, clock) as p:
        store = await p.store()
        lottery = {
            "name": "抽選",
            "entry_points": 100,
            "opens_at": FAR,
            "closes_at": FAR,
            "related_sales_yen": 1_000_000,
            "prizes": [{"name": "お米券", "value_yen": 500, "count": 1}],
        }
        for method, path, body, field, code in (
            ("PUT", "points/program", {"effective_from": FAR}, "effective_from", "points.invalid"),
            (
                "POST",
                "points/store-rates",
                {"store_id": store, "earn_points": 3, "earn_per_yen": 100, "effective_from": FAR},
                "effective_from",
                "points.invalid",
            ),
            (
                "POST",
                "points/campaigns",
                {"name": "x", "multiplier_pct": 200, "ends_at": FAR},
                "ends_at",
                "points.invalid",
            ),
            ("POST", "points/lotteries", lottery, "opens_at", "points.invalid"),
            (
                "PUT",
                "points/ranks",
                {
                    "window": "calendar_year",
                    "recompute": "01-01",
                    "levels": LEVELS,
                    "effective_from": FAR,
                },
                "effective_from",
                "rank.invalid",
            ),
            (
                "PUT",
                "points/ranks",
                {
                    "window": "calendar_year",
                    "recompute": "01-01",
                    "levels": LEVELS,
                    "effective_from": "9999-12-31",
                },
                "effective_from",
                "rank.invalid",
            ),
        ):
            status, refused = await p.admin(method, path, body)
            assert status == 422, (path, refused)
            assert refused["error"]["code"] == code, refused  # type: ignore[index]
            assert refused["error"]["field"] == field, refused  # type: ignore[index]


def test_the_console_lottery_form_refuses_a_far_year() -> None:
    form = {
        "name": "抽選",
        "entry_points": "100",
        "opens_at": "9999-12-31T23:00",
        "closes_at": "2027-01-01T10:00",
        "related_sales_yen": "1000000",
        "prize_name_0": "お米券",
        "prize_value_0": "500",
        "prize_count_0": "1",
    }
    with pytest.raises(InvalidPoints) as refused:
        terms_from_form(form, TOKYO)
    assert refused.value.details["field"] == "opens_at"
    terms = terms_from_form({**form, "opens_at": "2026-12-01T10:00"}, TOKYO)
    assert terms.opens_at == datetime(2026, 12, 1, 1, 0, tzinfo=UTC)


def test_one_reading_of_a_moment() -> None:
    now = datetime(2026, 12, 1, tzinfo=UTC)
    one_utc = datetime(2027, 2, 1, 1, tzinfo=UTC)
    assert parse_moment("2027-02-01T10:00:00+09:00", "x", error=InvalidPoints) == one_utc
    assert parse_moment("2027-02-01T01:00:00.5Z", "x", error=InvalidPoints) == one_utc
    for bad in (FAR, "0001-01-01T00:00:00+09:00", "2027-02-01T10:00:00", "2027-02-01", 5, None):
        with pytest.raises(InvalidPoints):
            parse_moment(bad, "x", error=InvalidPoints)
    with pytest.raises(InvalidPoints, match="past"):
        parse_moment("2026-11-30T00:00:00Z", "x", not_before=now, error=InvalidPoints)
    with pytest.raises(InvalidRankTable):
        parse_moment("3000-01-01T00:00:00Z", "x", error=InvalidRankTable)
