"""The 全銀協 総合振込 file: a golden file byte for byte, its fields at the published positions,
the trailer's totals, the refusals, and the reader that checks a file field by field.

The expected bytes are put together here from the layout's positions (docs/operations.md, and
the reference's table), one field at a time, without the encoder's layout tables, so a wrong
position in node/campaigns/zengin.py shows as a difference."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from node.campaigns.bank import AccountType, BankAccount, check_account
from node.campaigns.kana import fits, to_zengin_kana
from node.campaigns.zengin import (
    PayeeLine,
    Requester,
    build_transfer_file,
    read_zengin,
)
from node.errors import BadTransferAmount, HolderNotKana, TransferFileInvalid

GOLDEN = Path(__file__).parent / "golden" / "zengin_sogo_furikomi.txt"

REQUESTER = Requester(
    code="1234567890",
    name_kana="キタキュウシュウ　キャンペーン　ジムキョク",
    account=check_account("0001", "001", "current", "7654321", "ｼﾞﾑｷﾖｸ"),
)
DATE = date(2026, 12, 25)
LINES = (
    PayeeLine(
        "st_kagiya",
        check_account("0005", "001", "ordinary", "12345", "株式会社カギヤ"),
        123_456,
        "1",
    ),
    PayeeLine(
        "st_cafe",
        check_account("0033", "001", "current", "７６５４３２１", "やまだ　たろう"),
        5_000,
        "2",
    ),
    PayeeLine(
        "st_pan",
        check_account("0001", "001", "savings", "1", "キャノン有限会社"),
        9_999_999_999,
        "",
    ),
)


def put(record: bytearray, first: int, width: int, text: str, kind: str) -> None:
    """Write `text` at 1-based position `first`: N right-justified with zeros, C left-justified
    with spaces, as the 全銀 layout says; the field must be blank before (no overlaps)."""
    raw = text.encode("cp932")
    assert len(raw) <= width
    value = raw.rjust(width, b"0") if kind == "N" else raw.ljust(width, b" ")
    assert record[first - 1 : first - 1 + width] == b"\x00" * width, f"overlap at {first}"
    record[first - 1 : first - 1 + width] = value


def finished(record: bytearray) -> bytes:
    assert b"\x00" not in record, "a position no field covers"
    return bytes(record) + b"\r\n"


def expected_file() -> bytes:
    header = bytearray(120)
    put(header, 1, 1, "1", "N")
    put(header, 2, 2, "21", "N")
    put(header, 4, 1, "0", "N")
    put(header, 5, 10, "1234567890", "N")
    put(header, 15, 40, "ｷﾀｷﾕｳｼﾕｳ ｷﾔﾝﾍﾟ-ﾝ ｼﾞﾑｷﾖｸ", "C")
    put(header, 55, 4, "1225", "N")
    put(header, 59, 4, "0001", "N")
    put(header, 63, 15, "ﾐｽﾞﾎ", "C")
    put(header, 78, 3, "001", "N")
    put(header, 81, 15, "ﾄｳｷﾖｳ", "C")
    put(header, 96, 1, "2", "N")
    put(header, 97, 7, "7654321", "N")
    put(header, 104, 17, "", "C")
    records = [finished(header)]
    payees = [
        ("0005", "ﾐﾂﾋﾞｼﾕ-ｴﾌｼﾞｴｲ", "001", "ﾎﾝﾃﾝ", "1", "0012345", "ｶ)ｶｷﾞﾔ", "123456", "0000000001"),
        ("0033", "ﾍﾟｲﾍﾟｲ", "001", "ﾎﾝﾃﾝ", "2", "7654321", "ﾔﾏﾀﾞ ﾀﾛｳ", "5000", "0000000002"),
        ("0001", "ﾐｽﾞﾎ", "001", "ﾄｳｷﾖｳ", "4", "0000001", "ｷﾔﾉﾝ(ﾕ", "9999999999", ""),
    ]
    for bank, bank_name, branch, branch_name, kind, number, holder, amount, code in payees:
        data = bytearray(120)
        put(data, 1, 1, "2", "N")
        put(data, 2, 4, bank, "N")
        put(data, 6, 15, bank_name, "C")
        put(data, 21, 3, branch, "N")
        put(data, 24, 15, branch_name, "C")
        put(data, 39, 4, "0", "N")
        put(data, 43, 1, kind, "N")
        put(data, 44, 7, number, "N")
        put(data, 51, 30, holder, "C")
        put(data, 81, 10, amount, "N")
        put(data, 91, 1, "0", "N")
        put(data, 92, 10, code, "C")
        put(data, 102, 10, "", "C")
        put(data, 112, 1, "7", "N")
        put(data, 113, 1, "", "C")
        put(data, 114, 7, "", "C")
        records.append(finished(data))
    trailer = bytearray(120)
    put(trailer, 1, 1, "8", "N")
    put(trailer, 2, 6, "3", "N")
    put(trailer, 8, 12, str(123_456 + 5_000 + 9_999_999_999), "N")
    put(trailer, 20, 101, "", "C")
    records.append(finished(trailer))
    end = bytearray(120)
    put(end, 1, 1, "9", "N")
    put(end, 2, 119, "", "C")
    records.append(finished(end))
    return b"".join(records)


def test_the_file_is_the_golden_file_byte_for_byte() -> None:
    built = build_transfer_file(REQUESTER, DATE, LINES)
    assert built == expected_file()
    assert built == GOLDEN.read_bytes()


def test_records_are_120_bytes_each_with_crlf_and_nothing_else() -> None:
    built = build_transfer_file(REQUESTER, DATE, LINES)
    assert built.endswith(b"\r\n")
    lines = built.split(b"\r\n")
    assert lines[-1] == b""
    assert [len(line) for line in lines[:-1]] == [120] * 6
    assert built.count(b"\n") == built.count(b"\r") == 6
    assert [line[:1] for line in lines[:-1]] == [b"1", b"2", b"2", b"2", b"8", b"9"]
    assert built[:4] == b"1210"  # データ区分 1, 種別 21 総合振込, コード区分 0
    assert built[14:18] == b"\xb7\xc0\xb7\xd5"  # ｷﾀｷﾕ in Shift_JIS


def test_the_reader_gives_back_every_field() -> None:
    read = read_zengin(build_transfer_file(REQUESTER, DATE, LINES))
    assert read.header["requester_code"] == "1234567890"
    assert read.header["requester_name"] == "ｷﾀｷﾕｳｼﾕｳ ｷﾔﾝﾍﾟ-ﾝ ｼﾞﾑｷﾖｸ"
    assert read.header["transfer_date"] == "1225"
    assert (read.header["bank_code"], read.header["branch_code"]) == ("0001", "001")
    assert (read.header["account_type"], read.header["account_number"]) == ("2", "7654321")
    assert [r["holder_name"] for r in read.data] == ["ｶ)ｶｷﾞﾔ", "ﾔﾏﾀﾞ ﾀﾛｳ", "ｷﾔﾉﾝ(ﾕ"]
    assert [r["amount"] for r in read.data] == ["0000123456", "0000005000", "9999999999"]
    assert [r["account_type"] for r in read.data] == ["1", "2", "4"]
    assert [r["customer_code_1"] for r in read.data] == ["0000000001", "0000000002", ""]
    assert read.trailer["count"] == "000003"
    assert int(read.trailer["total"]) == 123_456 + 5_000 + 9_999_999_999


def test_a_savings_account_of_the_office_is_written_9_in_the_header() -> None:
    office = Requester("1", "ｼﾞﾑｷﾖｸ", check_account("0001", "001", "savings", "1", "ｱ"))
    assert read_zengin(build_transfer_file(office, DATE, LINES[:1])).header["account_type"] == "9"


@pytest.mark.parametrize("amount", [0, -1, 10_000_000_000])
def test_an_amount_below_one_yen_or_over_ten_digits_is_refused_naming_the_store(
    amount: int,
) -> None:
    line = PayeeLine("st_bad", LINES[0].account, amount)
    with pytest.raises(BadTransferAmount) as refused:
        build_transfer_file(REQUESTER, DATE, [LINES[1], line])
    assert refused.value.code == "payout.bad_amount"
    assert refused.value.details["store_id"] == "st_bad"


def test_a_kanji_holder_name_is_refused_naming_the_store() -> None:
    account = BankAccount("0001", "001", AccountType.ORDINARY, "0000001", "山田商店")
    with pytest.raises(HolderNotKana) as refused:
        build_transfer_file(REQUESTER, DATE, [LINES[0], PayeeLine("st_yamada", account, 100)])
    assert refused.value.details["store_id"] == "st_yamada"
    assert refused.value.details["character"] == "山"
    assert refused.value.to_json()["error"]["store_id"] == "st_yamada"


def test_an_empty_run_is_a_header_a_zero_trailer_and_an_end() -> None:
    read = read_zengin(build_transfer_file(REQUESTER, DATE, []))
    assert read.data == ()
    assert (read.trailer["count"], read.trailer["total"]) == ("000000", "000000000000")


@given(st.lists(st.integers(1, 9_999_999_999), max_size=30))
def test_the_trailer_always_counts_and_totals_the_data(amounts: list[int]) -> None:
    lines = [PayeeLine(f"st_{n}", LINES[n % 3].account, a) for n, a in enumerate(amounts)]
    read = read_zengin(build_transfer_file(REQUESTER, DATE, lines))
    assert int(read.trailer["count"]) == len(amounts)
    assert int(read.trailer["total"]) == sum(amounts)
    assert [int(r["amount"]) for r in read.data] == amounts


def _broken(good: bytes, change: str) -> bytes:
    records = good.split(b"\r\n")[:-1]
    if change == "lf_only":
        return b"\n".join(records) + b"\n"
    if change == "no_final_crlf":
        return b"\r\n".join(records)
    if change == "short_record":
        records[1] = records[1][:119]
    elif change == "total_changed":
        assert records[-2][18:19] == b"5"  # the total's last digit (position 19)
        records[-2] = records[-2][:18] + b"6" + records[-2][19:]
    elif change == "order":
        records[0], records[1] = records[1], records[0]
    elif change == "salary_kind":
        records[0] = b"111" + records[0][3:]
    elif change == "letters_in_amount":
        records[1] = records[1][:80] + b"00000ABCDE" + records[1][90:]
    elif change == "lower_case_name":
        records[1] = records[1][:50] + b"abc" + records[1][53:]
    return b"".join(record + b"\r\n" for record in records)


@pytest.mark.parametrize(
    "change",
    [
        "lf_only",
        "no_final_crlf",
        "short_record",
        "total_changed",
        "order",
        "salary_kind",
        "letters_in_amount",
        "lower_case_name",
    ],
)
def test_the_reader_refuses_a_file_that_breaks_the_layout(change: str) -> None:
    good = build_transfer_file(REQUESTER, DATE, LINES)
    with pytest.raises(TransferFileInvalid) as refused:
        read_zengin(_broken(good, change))
    assert refused.value.code == "payout.bad_file"


HOLDERS = st.text(
    alphabet=st.sampled_from("アイウエオガギパピャュョッーABCXYZ0123456789 ()-./,やまだ"),
    min_size=1,
    max_size=20,
)


@given(st.lists(st.tuples(HOLDERS, st.integers(1, 9_999_999_999)), min_size=1, max_size=8))
def test_any_holder_and_amount_reads_back_as_written(payees: list[tuple[str, int]]) -> None:
    lines = []
    for n, (holder, amount) in enumerate(payees):
        written = to_zengin_kana(holder)
        assume(written and fits(written, 30))
        account = BankAccount("0001", "001", AccountType.ORDINARY, f"{n:07d}", written)
        lines.append(PayeeLine(f"st_{n}", account, amount, str(n + 1)))
    built = build_transfer_file(REQUESTER, DATE, lines)
    assert len(built) == 122 * (len(lines) + 3)
    read = read_zengin(built)
    assert [(r["holder_name"], int(r["amount"])) for r in read.data] == [
        (line.account.holder_kana, line.amount_yen) for line in lines
    ]
    assert [r["customer_code_1"] for r in read.data] == [f"{n + 1:010d}" for n in range(len(lines))]
