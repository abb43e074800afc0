"""A store's bank account (振込先口座), checked against the maintained bank-code list before it
is kept: a payout file with a wrong code or a name the bank cannot read comes back from the bank
days later as 組戻し (a returned transfer), after the store was told it was paid.

The bank and branch codes are looked up in `zengin_code` (the published 金融機関コード list,
updated with the package); its names are full-width katakana, written for a transfer file by
node/campaigns/kana.py. Pure apart from reading that list, which the package loads once."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import zengin_code

from node.campaigns.kana import fits, to_zengin_kana
from node.errors import (
    BadAccountNumber,
    BadAccountType,
    BadBankCode,
    BadBranchCode,
    HolderNotKana,
    HolderTooLong,
    UnknownBank,
    UnknownBranch,
)

HOLDER_WIDTH = 30  # 受取人名 C30 of a 総合振込 data record
ACCOUNT_NUMBER_DIGITS = 7


class AccountType(StrEnum):
    """預金種目, with the digit a 全銀 record writes for it."""

    ORDINARY = "ordinary"  # 普通
    CURRENT = "current"  # 当座
    SAVINGS = "savings"  # 貯蓄

    @property
    def digit(self) -> str:
        return {"ordinary": "1", "current": "2", "savings": "4"}[self.value]


@dataclass(frozen=True)
class BankAccount:
    """An account as a transfer file names it: codes, type, 7 digits, the holder in the 全銀
    alphabet."""

    bank_code: str
    branch_code: str
    account_type: AccountType
    account_number: str
    holder_kana: str

    def to_json(self) -> dict[str, Any]:
        return {
            "bank_code": self.bank_code,
            "bank_name": bank_name(self.bank_code),
            "branch_code": self.branch_code,
            "branch_name": branch_name(self.bank_code, self.branch_code),
            "account_type": self.account_type.value,
            "account_number": self.account_number,
            "holder_kana": self.holder_kana,
        }


def check_account(
    bank_code: str,
    branch_code: str,
    account_type: str,
    account_number: str,
    holder: str,
    *,
    store_id: str | None = None,
) -> BankAccount:
    """The account in its stored form, or the first thing wrong with it (full-width digits and
    kana are accepted and normalised; kanji in the holder's name are refused)."""
    bank = check_bank_code(bank_code)
    branch = check_branch_code(bank, branch_code)
    try:
        kind = AccountType(account_type.strip().lower())
    except ValueError:
        raise BadAccountType(
            f"account type must be ordinary, current or savings, not {account_type!r}",
            field="account_type",
        ) from None
    return BankAccount(
        bank, branch, kind, check_account_number(account_number), check_holder(holder, store_id)
    )


def _digits(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def check_bank_code(code: str) -> str:
    """A 4-digit code of a bank in the list."""
    code = _digits(code)
    if not (len(code) == 4 and code.isascii() and code.isdigit()):
        raise BadBankCode(f"bank code must be 4 digits, not {code!r}", field="bank_code")
    if code not in zengin_code.Bank.all:
        raise UnknownBank(f"no bank has the code {code}", field="bank_code", bank_code=code)
    return code


def check_branch_code(bank_code: str, code: str) -> str:
    """A 3-digit code of a branch of `bank_code` (checked already) in the list."""
    code = _digits(code)
    if not (len(code) == 3 and code.isascii() and code.isdigit()):
        raise BadBranchCode(f"branch code must be 3 digits, not {code!r}", field="branch_code")
    if code not in zengin_code.Bank.all[bank_code].branches:
        raise UnknownBranch(
            f"bank {bank_code} has no branch {code}",
            field="branch_code",
            bank_code=bank_code,
            branch_code=code,
        )
    return code


def check_account_number(number: str) -> str:
    """Up to 7 digits, zero-filled to 7 (口座番号 N7)."""
    digits = _digits(number)
    if not (0 < len(digits) <= ACCOUNT_NUMBER_DIGITS and digits.isascii() and digits.isdigit()):
        raise BadAccountNumber(
            f"account number must be 1 to 7 digits, not {number!r}", field="account_number"
        )
    return digits.zfill(ACCOUNT_NUMBER_DIGITS)


def check_holder(holder: str, store_id: str | None = None) -> str:
    """The holder's name in the 全銀 alphabet, within the 30 bytes a transfer has for it."""
    kana = to_zengin_kana(holder, field="holder_kana", store_id=store_id)
    if not kana:
        raise HolderNotKana("the holder's name is empty", field="holder_kana", store_id=store_id)
    if not fits(kana, HOLDER_WIDTH):
        raise HolderTooLong(
            f"{kana!r} is longer than {HOLDER_WIDTH} half-width characters",
            field="holder_kana",
            limit=HOLDER_WIDTH,
            store_id=store_id,
        )
    return kana


def bank_name(bank_code: str) -> str:
    """The bank's name as people write it (みずほ), for pages and answers."""
    return str(zengin_code.Bank.all[bank_code].name)


def branch_name(bank_code: str, branch_code: str) -> str:
    return str(zengin_code.Bank.all[bank_code].branches[branch_code].name)


def bank_name_kana(bank_code: str) -> str:
    """The bank's name in the 全銀 alphabet (ﾐｽﾞﾎ), for a transfer record."""
    return to_zengin_kana(str(zengin_code.Bank.all[bank_code].kana), field="bank_code")


def branch_name_kana(bank_code: str, branch_code: str) -> str:
    kana = zengin_code.Bank.all[bank_code].branches[branch_code].kana
    return to_zengin_kana(str(kana), field="branch_code")
