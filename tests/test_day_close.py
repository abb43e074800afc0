"""The day's figures (日計, node/web/day_close.py's pure `close_day`): sales and cancels by payment
method, redemptions and voids, and the rests of redemptions paid another way, in the till."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from node.errors import DateInFuture, InvalidDate
from node.ledger.model import PaymentMethod, Redemption, Sale
from node.ledger.tender import RestPayment
from node.web.day_close import close_day, read_day

AT = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)
CASH, CARD = PaymentMethod.CASH, PaymentMethod.CARD


def _sale(voucher_id: str, yen: int, method: PaymentMethod, cancelled: bool = False) -> Sale:
    return Sale(
        voucher_id, "st_a", yen, yen, method, "staff:yamada", "tx", AT, AT if cancelled else None
    )


def _use(ref: str, yen: int, voided: bool = False) -> Redemption:
    return Redemption(ref, "v1", "st_a", yen, f"R-{ref}", "tx", AT, AT if voided else None)


def test_sales_cancels_and_rests_add_up_by_method_and_in_the_till() -> None:
    sales = [
        _sale("s1", 5000, CASH),
        _sale("s2", 3000, CASH, cancelled=True),
        _sale("s3", 7000, CARD),
    ]
    uses = [_use("r1", 2000), _use("r2", 1500, voided=True), _use("r3", 800)]
    rests = {
        "r1": RestPayment(500, CASH),
        "r2": RestPayment(700, CASH),
        "r3": RestPayment(1200, CARD),
    }
    day = close_day(date(2026, 12, 2), sales, uses, [uses[1]], [], rests)
    cash, card = (next(m for m in day.by_method if m.method == x) for x in (CASH, CARD))
    assert (cash.sold_yen, cash.cancelled_yen, cash.net_yen) == (8000, 3000, 5000)
    assert (cash.rest_count, cash.rest_yen, cash.rest_refunded_yen) == (2, 1200, 700)
    assert (card.net_yen, card.rest_yen, card.rest_net_yen) == (7000, 1200, 1200)
    assert (day.redemptions_yen, day.voids_yen, day.net_redemptions_yen) == (4300, 1500, 2800)
    assert (day.rest_yen, day.rest_refunded_yen, day.rest_net_yen) == (2400, 700, 1700)
    # The till: cash sales 5,000 net, cash rests 1,200 taken less 700 given back.
    assert day.cash_drawer_yen == 5000 + 500


def test_a_day_without_rests_counts_only_sales() -> None:
    day = close_day(date(2026, 12, 2), [_sale("s1", 1000, CASH)], [_use("r1", 400)], [], [])
    assert (day.rest_yen, day.cash_drawer_yen) == (0, 1000)


def test_a_chosen_day_is_a_real_day_not_yet_to_come() -> None:
    today = date(2026, 11, 24)
    assert read_day("", today) == today
    assert read_day("2026-11-23", today) == date(2026, 11, 23)
    with pytest.raises(InvalidDate) as bad:
        read_day("24-11-2026", today)
    assert bad.value.code == "request.invalid_date" and bad.value.details["field"] == "day"
    with pytest.raises(DateInFuture) as future:
        read_day("2026-11-25", today)
    assert future.value.code == "request.date_in_future"
