"""A store's bank account is checked against the bank-code list and kept in the form a transfer
file writes: each refusal has its stable code and names its field."""

from __future__ import annotations

import pytest

from node.campaigns.bank import (
    AccountType,
    bank_name,
    bank_name_kana,
    branch_name,
    branch_name_kana,
    check_account,
)
from node.errors import (
    BadAccountNumber,
    BadAccountType,
    BadBankCode,
    BadBranchCode,
    HolderNotKana,
    HolderTooLong,
    KippuError,
    UnknownBank,
    UnknownBranch,
)


def test_a_good_account_is_normalised() -> None:
    account = check_account("０００１", " 001 ", "Ordinary", "12345", "ヤマダ　タロウ")
    assert account.bank_code == "0001"
    assert account.branch_code == "001"
    assert account.account_type is AccountType.ORDINARY
    assert account.account_number == "0012345"
    assert account.holder_kana == "ﾔﾏﾀﾞ ﾀﾛｳ"
    assert account.to_json() == {
        "bank_code": "0001",
        "bank_name": "みずほ",
        "branch_code": "001",
        "branch_name": "東京営業部",
        "account_type": "ordinary",
        "account_number": "0012345",
        "holder_kana": "ﾔﾏﾀﾞ ﾀﾛｳ",
    }


def test_names_come_from_the_bank_code_list() -> None:
    assert bank_name("0005") == "三菱ＵＦＪ"
    assert bank_name_kana("0005") == "ﾐﾂﾋﾞｼﾕ-ｴﾌｼﾞｴｲ"
    assert branch_name("0001", "001") == "東京営業部"
    assert branch_name_kana("0001", "001") == "ﾄｳｷﾖｳ"


def test_the_digits_of_each_account_type() -> None:
    assert [t.digit for t in AccountType] == ["1", "2", "4"]


GOOD = ("0001", "001", "ordinary", "1234567", "ﾔﾏﾀﾞ")


@pytest.mark.parametrize(
    ("position", "value", "error", "code", "field"),
    [
        (0, "001", BadBankCode, "bank.bad_bank_code", "bank_code"),
        (0, "00011", BadBankCode, "bank.bad_bank_code", "bank_code"),
        (0, "O001", BadBankCode, "bank.bad_bank_code", "bank_code"),
        (0, "0002", UnknownBank, "bank.unknown_bank", "bank_code"),
        (1, "01", BadBranchCode, "bank.bad_branch_code", "branch_code"),
        (1, "1a1", BadBranchCode, "bank.bad_branch_code", "branch_code"),
        (1, "998", UnknownBranch, "bank.unknown_branch", "branch_code"),
        (2, "checking", BadAccountType, "bank.bad_account_type", "account_type"),
        (3, "", BadAccountNumber, "bank.bad_account_number", "account_number"),
        (3, "12345678", BadAccountNumber, "bank.bad_account_number", "account_number"),
        (3, "123-456", BadAccountNumber, "bank.bad_account_number", "account_number"),
        (3, "１２３４５６７８", BadAccountNumber, "bank.bad_account_number", "account_number"),
        (4, "山田太郎", HolderNotKana, "bank.holder_not_kana", "holder_kana"),
        (4, "   ", HolderNotKana, "bank.holder_not_kana", "holder_kana"),
        (4, "ガ" * 16, HolderTooLong, "bank.holder_too_long", "holder_kana"),
    ],
)
def test_each_bad_part_is_refused_with_its_code_and_field(
    position: int, value: str, error: type[KippuError], code: str, field: str
) -> None:
    parts = list(GOOD)
    parts[position] = value
    with pytest.raises(error) as refused:
        check_account(*parts, store_id="st_x")
    assert refused.value.code == code
    assert refused.value.details["field"] == field
    assert refused.value.http_status == 422


def test_a_kanji_holder_names_the_store_and_the_character() -> None:
    with pytest.raises(HolderNotKana) as refused:
        check_account("0001", "001", "current", "1", "ヤマダ商店", store_id="st_yamada")
    assert refused.value.details == {
        "character": "商",
        "field": "holder_kana",
        "store_id": "st_yamada",
    }


def test_thirty_bytes_of_holder_fit_and_dakuten_count() -> None:
    assert check_account(*GOOD[:4], "ガ" * 15).holder_kana == "ｶﾞ" * 15
