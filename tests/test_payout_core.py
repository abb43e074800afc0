"""The payout rules, pure: a period of whole local days, each store paid its net less what it
owes back when above zero (carry_core), one balanced entry for the run, a recorded run's
transfers made again from its lines, the CSV's shape and the reconciliation's identities."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from node.campaigns.bank import AccountType, BankAccount
from node.campaigns.carry_core import StoreRun, store_runs
from node.campaigns.payout_actions import check_file
from node.campaigns.payout_core import (
    CSV_HEADER,
    CampaignBooks,
    Payout,
    UsageRow,
    payee_lines,
    payout_entry,
    payout_lines,
    period_of,
    reconciliation,
    store_totals,
    transfers,
    transfers_of,
    usage_csv,
)
from node.campaigns.zengin import Requester, build_transfer_file
from node.errors import BadPayoutPeriod, PayoutPeriodNotOver, StoreMismatch

TOKYO = ZoneInfo("Asia/Tokyo")
NOW = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)  # 10:00 on 25 Nov in Tokyo


def test_a_period_is_whole_local_days() -> None:
    period = period_of("2026-11-01", "2026-11-24", TOKYO, NOW)
    assert period.start == datetime(2026, 10, 31, 15, 0, tzinfo=UTC)
    assert period.end == datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
    assert (period.first, period.last) == (date(2026, 11, 1), date(2026, 11, 24))


@pytest.mark.parametrize(
    ("first", "last", "error"),
    [
        ("2026-11-24", "2026-11-23", BadPayoutPeriod),
        ("2026-11-1", "2026-11-24", BadPayoutPeriod),
        ("yesterday", "2026-11-24", BadPayoutPeriod),
        ("2026-11-24", "2026-11-25", PayoutPeriodNotOver),
        ("2026-11-26", "2026-11-27", PayoutPeriodNotOver),
    ],
)
def test_a_bad_or_unfinished_period_is_refused(first: str, last: str, error: type) -> None:
    with pytest.raises(error):
        period_of(first, last, TOKYO, NOW)


def account(n: int) -> BankAccount:
    return BankAccount("0001", "001", AccountType.ORDINARY, f"{n:07d}", "ｱ")


ROWS = st.lists(
    st.builds(
        UsageRow,
        store_id=st.sampled_from(["st_a", "st_b", "st_c", "st_d"]),
        store_name=st.just("店"),
        campaign_id=st.sampled_from(["cp_1", "cp_2"]),
        campaign_name=st.just("キャンペーン"),
        store_class=st.sampled_from(["common", "local"]),
        uses=st.integers(-3, 10),
        amount_yen=st.integers(-50_000, 200_000),
    ),
    max_size=12,
)


CARRIES = st.dictionaries(st.sampled_from(["st_a", "st_b", "st_c"]), st.integers(1, 100_000))


@given(ROWS, CARRIES)
def test_each_store_is_paid_its_net_less_its_carry_when_above_zero_in_one_balanced_entry(
    rows: list[UsageRow], carries: dict[str, int]
) -> None:
    accounts = {store: account(n) for n, store in enumerate(["st_a", "st_b", "st_c", "st_d"])}
    totals = store_totals(rows)
    runs = store_runs(totals, carries)
    paid = transfers(runs, accounts)
    assert {t.store_id: t.amount_yen for t in paid} == {
        store: total - carries.get(store, 0)
        for store, total in totals.items()
        if total > carries.get(store, 0)
    }
    assert [t.line_no for t in paid] == list(range(1, len(paid) + 1))
    assert [t.store_id for t in paid] == sorted(t.store_id for t in paid)
    entry = payout_entry("tx_1", NOW, paid)
    if not paid:
        assert entry is None
        return
    assert entry is not None and entry.is_balanced
    assert {p.account: p.amount_yen for p in entry.postings} == {
        **{f"revenue:{t.store_id}": t.amount_yen for t in paid},
        "cash:hq": -sum(t.amount_yen for t in paid),
    }
    lines = payout_lines(rows, paid)
    assert [line.transferred for line in lines] == [
        totals[r.store_id] > carries.get(r.store_id, 0) for r in rows
    ]
    assert transfers_of(lines, runs) == paid


def test_the_csv_has_its_header_a_bom_and_crlf_and_each_stores_transfer() -> None:
    row = UsageRow("st_a", "鍵屋, 本店", "cp_1", "クーポン", "common", 2, 1500)
    text = usage_csv([row], [StoreRun("st_a", 1500, 400, 1100, 0)])
    assert text.startswith("\ufeff" + ",".join(CSV_HEADER) + "\r\n")
    assert text.endswith(
        'st_a,"鍵屋, 本店",cp_1,クーポン,common,2,1500,use\r\n'
        'st_a,"鍵屋, 本店",,,,,-400,carried_in\r\n'
        'st_a,"鍵屋, 本店",,,,,1100,transferred\r\n'
    )
    owing = usage_csv([replace(row, amount_yen=-300)], [StoreRun("st_a", -300, 0, 0, 300)])
    assert owing.endswith(
        'st_a,"鍵屋, 本店",,,,,0,transferred\r\nst_a,"鍵屋, 本店",,,,,300,carried_forward\r\n'
    )


def books(**change: int | None) -> CampaignBooks:
    values: dict[str, object] = {
        "campaign_id": "cp_1",
        "budget_yen": 10_000,
        "granted_yen": 6_000,
        "ledger_granted_yen": 6_000,
        "used_yen": 3_000,
        "lapsed_yen": 1_000,
        "outstanding_yen": 2_000,
        "settled_yen": 2_000,
        "paid_yen": 2_500,
        "unpaid_periods_yen": 1_000,
    }
    values.update(change)
    return CampaignBooks(**values)  # type: ignore[arg-type]


def test_the_reconciliation_holds_or_names_what_does_not() -> None:
    good = reconciliation(books())
    assert good["reconciled"] is True
    assert (good["remaining_yen"], good["unpaid_yen"], good["netted_yen"]) == (4_000, 500, -500)
    assert reconciliation(books(budget_yen=None))["remaining_yen"] is None
    assert reconciliation(books(settled_yen=2_100))["paid_holds"] is False
    assert reconciliation(books(lapsed_yen=900))["granted_holds"] is False
    assert reconciliation(books(ledger_granted_yen=6_100))["reconciled"] is False
    assert reconciliation(books(budget_yen=5_000))["budget_holds"] is False


def test_a_transfer_file_is_read_back_against_its_run_before_it_leaves() -> None:
    rows = [
        UsageRow("st_a", "店", "cp_1", "キャンペーン", "common", 1, 700),
        UsageRow("st_b", "店", "cp_1", "キャンペーン", "local", 2, 900),
    ]
    runs = store_runs(store_totals(rows), {})
    paid = transfers(runs, {"st_a": account(1), "st_b": account(2)})
    office = Requester("1", "ｼﾞﾑｷﾖｸ", account(9))
    content = build_transfer_file(office, date(2026, 11, 30), payee_lines(paid))
    run = Payout(
        "po_1",
        date(2026, 11, 24),
        date(2026, 11, 24),
        NOW,
        NOW,
        date(2026, 11, 30),
        2,
        1600,
        "tx_1",
        NOW,
        "admin",
    )
    check_file(run, paid, content)
    with pytest.raises(StoreMismatch):
        check_file(replace(run, total_yen=1601), paid, content)
    with pytest.raises(StoreMismatch):
        check_file(run, paid[::-1], content)
