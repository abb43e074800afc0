"""The live wallet's pure parts: amounts signed as people write them, history newest first, and
the stream bookkeeping (per-account bound, the node's total, closing)."""

from __future__ import annotations

from datetime import timedelta

from node.ledger.model import Redemption
from node.ledger.queries import HistoryLine
from node.web.history import history_lines, signed_yen
from node.web.live import VoucherWatch
from tests.conftest import START


def test_amounts_are_signed_with_a_real_minus() -> None:
    assert signed_yen(-3_000) == "\u2212¥3,000"
    assert signed_yen(2_000) == "+¥2,000"
    assert signed_yen(0) == "¥0"
    assert "-" not in signed_yen(-1)


def test_history_is_newest_first_and_same_second_lines_follow_the_journal() -> None:
    issue = HistoryLine("tx_1", "issue", START, 10_000)
    spend = HistoryLine("tx_2", "redeem", START, -8_000)  # shown by its redemption line
    gift = HistoryLine("tx_3", "gift", START + timedelta(minutes=1), -1_000)
    back = HistoryLine("tx_4", "gift_return", START + timedelta(minutes=1), 1_000)
    used = Redemption("rd_1", "v", "st_1", 8_000, "R1", "tx_2", START)
    lines = history_lines([issue, spend, gift, back], [used], {"st_1": "渋谷店"}, [], {})
    assert [(line.what, line.amount_text) for line in lines] == [
        ("wl_kind_gift_return", "+¥1,000"),
        ("wl_kind_gift_out", "\u2212¥1,000"),
        ("kind_redeem", "\u2212¥8,000"),
        ("kind_issue", "+¥10,000"),
    ]
    assert lines[2].place == "渋谷店" and lines[2].receipt == "rd_1"


async def test_streams_are_bounded_per_account_and_in_all() -> None:
    watch = VoucherWatch(max_streams=3, per_account=2)
    first = watch.watch("ac_1", "v1")
    second = watch.watch("ac_1", "v1")
    assert first is not None and second is not None
    third = watch.watch("ac_1", "v2")  # replaces the oldest of the account
    assert first.ended == "replaced" and first.wake.is_set()
    assert second.ended is None and third is not None
    others = [watch.watch("ac_2", "v3"), watch.watch("ac_3", "v4")]
    assert others[0] is not None and others[1] is None  # the node's total is reached
    assert watch.open_streams == 3
    watch.unwatch(second)
    assert watch.open_streams == 2
    watch.close_all()
    assert third.ended == "closing" and watch.open_streams == 0
    assert watch.watch("ac_4", "v5") is None  # closing: no new streams
