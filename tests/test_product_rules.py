"""The pure rules of voucher products (node/products/core.py): a new product's terms, whether a
product may be sold now, and a customer's limits per day, month or ever in the node's zone
(Asia/Tokyo), tested at the period boundaries with hypothesis."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from node.errors import (
    InvalidProduct,
    KippuError,
    ProductLimitReached,
    ProductNotOnSale,
    ProductSoldOut,
)
from node.ledger.calendar import end_of_local_day
from node.products import core
from node.products.core import PastPurchase, ProductTerms, PurchasesSoFar
from node.products.model import LimitPeriod, Product

ZONE = ZoneInfo("Asia/Tokyo")
NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)  # 12:00 in Tokyo
MAX_YEN = 100_000
# Tokyo midnights: 15:00 UTC the day before. Month starts around 2027-01-01 and 2027-02-01.
MIDNIGHTS = [
    datetime(2026, 12, 31, 15, 0, tzinfo=UTC),
    datetime(2027, 1, 31, 15, 0, tzinfo=UTC),
    datetime(2027, 1, 14, 15, 0, tzinfo=UTC),
]


def product(**changes: object) -> Product:
    terms = ProductTerms(name="年末商品券", face_yen=11_000, price_yen=10_000)
    made = core.new_product(terms, "pr_1", NOW - timedelta(days=400), MAX_YEN)
    return replace(made, **changes)  # type: ignore[arg-type]


def local_key(moment: datetime, period: LimitPeriod) -> object:
    """What a period is, said plainly: the Tokyo calendar day, the Tokyo month, or one for ever."""
    local = moment.astimezone(ZONE)
    if period == LimitPeriod.DAY:
        return local.date()
    if period == LimitPeriod.MONTH:
        return (local.year, local.month)
    return "ever"


near_a_midnight = st.builds(
    lambda base, seconds: base + timedelta(seconds=seconds),
    st.sampled_from(MIDNIGHTS),
    st.integers(-3 * 86_400, 3 * 86_400) | st.integers(-3, 3),
)


@given(
    now=near_a_midnight,
    earlier=st.lists(st.integers(0, 40 * 86_400) | st.integers(0, 5), max_size=8),
    period=st.sampled_from(list(LimitPeriod)),
    limit=st.integers(1, 4),
)
def test_a_count_limit_counts_the_purchases_of_the_same_tokyo_period(
    now: datetime, earlier: list[int], period: LimitPeriod, limit: int
) -> None:
    bought = PurchasesSoFar(tuple(PastPurchase(now - timedelta(seconds=s), 1000) for s in earlier))
    same_period = sum(
        1 for p in bought.purchases if local_key(p.at, period) == local_key(now, period)
    )
    offer = product(limit_count=limit, limit_period=period, price_yen=1000, face_yen=1000)
    if same_period >= limit:
        with pytest.raises(ProductLimitReached) as refused:
            core.check_sale(offer, bought, now, ZONE)
        assert refused.value.details == {
            "limit": "count",
            "period": str(period),
            "allowed_count": limit,
        }
    else:
        core.check_sale(offer, bought, now, ZONE)


@given(
    now=near_a_midnight,
    earlier=st.lists(st.tuples(st.integers(0, 40 * 86_400), st.integers(0, 5_000)), max_size=6),
    period=st.sampled_from(list(LimitPeriod)),
    price=st.integers(0, 5_000),
    limit_yen=st.integers(5_000, 20_000),
)
def test_a_yen_limit_counts_the_price_paid_in_the_same_tokyo_period(
    now: datetime,
    earlier: list[tuple[int, int]],
    period: LimitPeriod,
    price: int,
    limit_yen: int,
) -> None:
    bought = PurchasesSoFar(tuple(PastPurchase(now - timedelta(seconds=s), y) for s, y in earlier))
    spent = sum(
        p.price_yen for p in bought.purchases if local_key(p.at, period) == local_key(now, period)
    )
    offer = product(limit_yen=limit_yen, limit_period=period, price_yen=price, face_yen=5_000)
    if spent + price > limit_yen:
        with pytest.raises(ProductLimitReached):
            core.check_sale(offer, bought, now, ZONE)
    else:
        core.check_sale(offer, bought, now, ZONE)


def test_one_second_before_tokyo_midnight_is_the_old_day_and_at_midnight_the_new() -> None:
    midnight = MIDNIGHTS[0]  # 2027-01-01 00:00 in Tokyo: a new day and a new month
    bought = PurchasesSoFar((PastPurchase(midnight - timedelta(seconds=1), 10_000),))
    for period in (LimitPeriod.DAY, LimitPeriod.MONTH):
        offer = product(limit_count=1, limit_period=period)
        with pytest.raises(ProductLimitReached):
            core.check_sale(offer, bought, midnight - timedelta(milliseconds=1), ZONE)
        core.check_sale(offer, bought, midnight, ZONE)
    with pytest.raises(ProductLimitReached):
        core.check_sale(product(limit_count=1), bought, midnight + timedelta(days=300), ZONE)


@given(offset=st.integers(-5, 5))
def test_the_sale_period_starts_at_its_first_moment_and_ends_before_its_last(offset: int) -> None:
    starts, ends = NOW, NOW + timedelta(days=7)
    offer = product(sale_starts_at=starts, sale_ends_at=ends)
    at_start, at_end = starts + timedelta(seconds=offset), ends + timedelta(seconds=offset)
    if offset < 0:
        with pytest.raises(ProductNotOnSale) as refused:
            core.check_sale(offer, PurchasesSoFar(), at_start, ZONE)
        assert refused.value.details["reason"] == "not_yet"
        core.check_sale(offer, PurchasesSoFar(), at_end, ZONE)
    else:
        core.check_sale(offer, PurchasesSoFar(), at_start, ZONE)
        with pytest.raises(ProductNotOnSale) as refused:
            core.check_sale(offer, PurchasesSoFar(), at_end, ZONE)
        assert refused.value.details["reason"] == "ended"
    assert core.is_on_sale(offer, at_start) == (offset >= 0)


def test_a_retired_sold_out_or_expired_product_is_not_sold() -> None:
    with pytest.raises(ProductNotOnSale) as retired:
        core.check_sale(product(retired_at=NOW), PurchasesSoFar(), NOW, ZONE)
    assert retired.value.details["reason"] == "retired"
    with pytest.raises(ProductSoldOut):
        core.check_sale(product(stock=0), PurchasesSoFar(), NOW, ZONE)
    core.check_sale(product(stock=1), PurchasesSoFar(), NOW, ZONE)
    with pytest.raises(ProductNotOnSale):
        core.check_sale(product(valid_until=NOW), PurchasesSoFar(), NOW, ZONE)


BAD_TERMS = [
    (ProductTerms(name=" ", face_yen=1000), "name"),
    (ProductTerms(name="x" * 81, face_yen=1000), "name"),
    (ProductTerms(name="券", face_yen=0), "face_yen"),
    (ProductTerms(name="券", face_yen=MAX_YEN + 1), "face_yen"),
    (ProductTerms(name="券", face_yen=True), "face_yen"),  # type: ignore[arg-type]
    (ProductTerms(name="券", face_yen=1000, price_yen=1001), "price_yen"),
    (ProductTerms(name="券", face_yen=1000, price_yen=-1), "price_yen"),
    (ProductTerms(name="券", face_yen=1000, valid_days=0), "valid_days"),
    (ProductTerms(name="券", face_yen=1000, valid_days=3661), "valid_days"),
    (
        ProductTerms(name="券", face_yen=1000, valid_days=30, valid_until=NOW + timedelta(days=9)),
        "valid_until",
    ),
    (ProductTerms(name="券", face_yen=1000, valid_until=NOW), "valid_until"),
    (ProductTerms(name="券", face_yen=1000, limit_count=0), "limit_count"),
    (ProductTerms(name="券", face_yen=1000, price_yen=900, limit_yen=899), "limit_yen"),
    (ProductTerms(name="券", face_yen=1000, stock=-1), "stock"),
    (
        ProductTerms(name="券", face_yen=1000, sale_starts_at=NOW, sale_ends_at=NOW),
        "sale_ends_at",
    ),
    (
        ProductTerms(
            name="券",
            face_yen=1000,
            valid_until=NOW + timedelta(days=1),
            sale_starts_at=NOW + timedelta(days=2),
        ),
        "valid_until",
    ),
]


@pytest.mark.parametrize(("terms", "field"), BAD_TERMS)
def test_a_product_with_bad_terms_is_refused_naming_the_field(
    terms: ProductTerms, field: str
) -> None:
    with pytest.raises(InvalidProduct) as refused:
        core.new_product(terms, "pr_1", NOW, MAX_YEN)
    assert refused.value.code == "product.invalid"
    assert refused.value.details["field"] == field


@given(
    face=st.integers(1, MAX_YEN),
    discount=st.integers(0, MAX_YEN) | st.none(),
    days=st.integers(1, 3660) | st.none(),
    stock=st.integers(0, 1000) | st.none(),
)
def test_good_terms_make_a_product_whose_sale_issues_those_terms(
    face: int, discount: int | None, days: int | None, stock: int | None
) -> None:
    price = None if discount is None else max(0, face - discount)
    terms = ProductTerms(
        name=" 商品券 ", face_yen=face, price_yen=price, valid_days=days, stock=stock
    )
    made = core.new_product(terms, "pr_1", NOW, MAX_YEN)
    assert (made.name, made.face_yen, made.stock) == ("商品券", face, stock)
    assert made.price_yen == (face if price is None else price)
    assert made.premium_yen == face - made.price_yen
    request = core.issue_request(made, "000000000001", b"k" * 32, "cu_1", None, "tx_1", "psp:x")
    assert (request.face_yen, request.price_yen, request.valid_days) == (face, made.price_yen, days)
    assert (request.expires_at, request.paid_into, request.holder_id) == (None, "psp:x", "cu_1")


def test_a_fixed_last_date_becomes_every_vouchers_expiry() -> None:
    until = end_of_local_day(datetime(2027, 3, 31).date(), ZONE)
    terms = ProductTerms(name="年度末券", face_yen=5000, valid_until=until)
    made = core.new_product(terms, "pr_1", NOW, MAX_YEN)
    request = core.issue_request(made, "000000000001", b"k" * 32, None, "st_1", "tx_1", None)
    assert (request.expires_at, request.valid_days, request.store_id) == (until, None, "st_1")


def test_every_refusal_is_a_kippu_error_with_a_product_code() -> None:
    for cls in (ProductLimitReached, ProductNotOnSale, ProductSoldOut, InvalidProduct):
        assert issubclass(cls, KippuError) and cls.code.startswith("product.")


def test_the_sale_state_is_what_a_sale_would_be_refused_for() -> None:
    later = NOW + timedelta(days=1)
    cases = [
        (product(), core.SaleState.ON_SALE),
        (product(retired_at=NOW, stock=0), core.SaleState.RETIRED),
        (product(sale_starts_at=later), core.SaleState.NOT_YET),
        (product(sale_ends_at=NOW), core.SaleState.ENDED),
        (product(stock=0), core.SaleState.SOLD_OUT),
    ]
    for offer, state in cases:
        assert core.sale_state(offer, NOW) == state


def test_a_name_with_invisible_characters_is_refused() -> None:
    with pytest.raises(KippuError) as refused:
        core.new_product(ProductTerms(name="券\u202e", face_yen=1000), "pr_1", NOW, MAX_YEN)
    assert (refused.value.code, refused.value.details["field"]) == ("request.invalid_text", "name")


def test_one_definition_of_on_sale_and_a_fixed_expiry_ends_it() -> None:
    until = NOW + timedelta(days=3)
    offer = product(valid_until=until)
    assert core.is_on_sale(offer, until - timedelta(seconds=1))
    assert not core.is_on_sale(offer, until)
    assert core.sale_state(offer, until) == core.SaleState.ENDED
    assert not hasattr(offer, "is_on_sale_at")  # the model keeps no second rule


def test_a_counter_sale_is_refused_for_a_product_with_a_customer_limit() -> None:
    core.require_counter_sale(product())
    for limited in (product(limit_count=1), product(limit_yen=5_000)):
        with pytest.raises(KippuError) as refused:
            core.require_counter_sale(limited)
        assert refused.value.code == "product.online_only"
