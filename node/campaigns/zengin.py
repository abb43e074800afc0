"""The 全銀協 総合振込 file (a transfer file for the office's bank): building it and reading it back.

The layout is the 全銀協 standard one banks publish for 総合振込 (種別コード 21, コード区分 0):
fixed 120-byte records in Shift_JIS, one header (1), the data records (2), a trailer (8) with
their count and total, an end record (9), each followed by CR LF (banks refuse CR or LF alone).
`N` fields are digits, right-justified and zero-filled; `C` fields are the 全銀 alphabet
(node/campaigns/kana.py), left-justified and space-filled. The positions are in the `*_LAYOUT`
tables below, which both the writer and the reader follow, and in docs/operations.md.

Choices where the standard leaves one: 手形交換所番号 0000, 新規コード 0 (その他), 振込指定区分 7
(電信), 識別表示 blank (no EDI), 顧客コード2 blank; 顧客コード1 is what the caller gives (a
payout writes its line number), blank otherwise. A bank or branch name longer than its 15 bytes
is cut at 15; a holder's or the requester's name too long for its field is refused, since a cut
name may not match the account. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from node.campaigns.bank import AccountType, BankAccount, bank_name_kana, branch_name_kana
from node.campaigns.kana import cut_to_width, fits, is_zengin_kana, to_zengin_kana
from node.errors import BadTransferAmount, HolderTooLong, TransferFileInvalid

RECORD_BYTES = 120
LINE_END = b"\r\n"
ENCODING = "cp932"
MAX_AMOUNT_YEN = 9_999_999_999  # 振込金額 N10
MAX_LINES = 999_999  # 合計件数 N6
MAX_TOTAL_YEN = 999_999_999_999  # 合計金額 N12


@dataclass(frozen=True)
class Field:
    """One field of a record: its name, 1-based first byte, width in bytes and kind."""

    name: str
    start: int
    width: int
    kind: Literal["N", "C"]


HEADER_LAYOUT = (
    Field("data_kind", 1, 1, "N"),  # データ区分 1
    Field("kind_code", 2, 2, "N"),  # 種別コード 21 総合振込
    Field("code_set", 4, 1, "N"),  # コード区分 0 JIS
    Field("requester_code", 5, 10, "N"),  # 振込依頼人コード
    Field("requester_name", 15, 40, "C"),  # 振込依頼人名
    Field("transfer_date", 55, 4, "N"),  # 振込指定日 MMDD
    Field("bank_code", 59, 4, "N"),  # 仕向銀行番号
    Field("bank_name", 63, 15, "C"),  # 仕向銀行名
    Field("branch_code", 78, 3, "N"),  # 仕向支店番号
    Field("branch_name", 81, 15, "C"),  # 仕向支店名
    Field("account_type", 96, 1, "N"),  # 預金種目(依頼人) 1 普通 2 当座 9 その他
    Field("account_number", 97, 7, "N"),  # 口座番号(依頼人)
    Field("dummy", 104, 17, "C"),
)
DATA_LAYOUT = (
    Field("data_kind", 1, 1, "N"),  # データ区分 2
    Field("bank_code", 2, 4, "N"),  # 被仕向銀行番号
    Field("bank_name", 6, 15, "C"),  # 被仕向銀行名
    Field("branch_code", 21, 3, "N"),  # 被仕向支店番号
    Field("branch_name", 24, 15, "C"),  # 被仕向支店名
    Field("clearing_house", 39, 4, "N"),  # 手形交換所番号
    Field("account_type", 43, 1, "N"),  # 預金種目 1 普通 2 当座 4 貯蓄 9 その他
    Field("account_number", 44, 7, "N"),  # 口座番号
    Field("holder_name", 51, 30, "C"),  # 受取人名
    Field("amount", 81, 10, "N"),  # 振込金額
    Field("new_code", 91, 1, "N"),  # 新規コード
    Field("customer_code_1", 92, 10, "C"),  # 顧客コード1
    Field("customer_code_2", 102, 10, "C"),  # 顧客コード2
    Field("transfer_kind", 112, 1, "N"),  # 振込指定区分 7 電信 8 文書
    Field("edi_mark", 113, 1, "C"),  # 識別表示 (Y: 顧客コード2 is EDI)
    Field("dummy", 114, 7, "C"),
)
TRAILER_LAYOUT = (
    Field("data_kind", 1, 1, "N"),  # データ区分 8
    Field("count", 2, 6, "N"),  # 合計件数
    Field("total", 8, 12, "N"),  # 合計金額
    Field("dummy", 20, 101, "C"),
)
END_LAYOUT = (Field("data_kind", 1, 1, "N"), Field("dummy", 2, 119, "C"))

Record = Mapping[str, str]


@dataclass(frozen=True)
class Requester:
    """The office that pays (振込依頼人): the code its bank gave it, its name in the 全銀
    alphabet, and the account the money leaves from (its holder is the name)."""

    code: str
    name_kana: str
    account: BankAccount


@dataclass(frozen=True)
class PayeeLine:
    """One transfer: to a store's account, an amount, and an optional 顧客コード1 (digits)."""

    store_id: str
    account: BankAccount
    amount_yen: int
    customer_code: str = ""


@dataclass(frozen=True)
class TransferFile:
    """A file read back field by field (values as written, C fields without trailing spaces)."""

    header: Record
    data: tuple[Record, ...]
    trailer: Record


def build_transfer_file(
    requester: Requester, transfer_date: date, lines: Sequence[PayeeLine]
) -> bytes:
    """The whole file: header, one data record per line in the given order, trailer, end."""
    if len(lines) > MAX_LINES:
        raise BadTransferAmount(f"a file holds at most {MAX_LINES} transfers")
    records = [_header(requester, transfer_date)]
    records.extend(_data(line) for line in lines)
    total = sum(line.amount_yen for line in lines)
    if total > MAX_TOTAL_YEN:
        raise BadTransferAmount(f"the file's total ¥{total} is over 12 digits")
    records.append(render(TRAILER_LAYOUT, {"data_kind": "8", "count": len(lines), "total": total}))
    records.append(render(END_LAYOUT, {"data_kind": "9"}))
    return b"".join(record + LINE_END for record in records)


def _header(requester: Requester, transfer_date: date) -> bytes:
    account = requester.account
    name = to_zengin_kana(requester.name_kana, field="requester_name_kana")
    if not fits(name, 40):
        raise HolderTooLong(f"{name!r} is longer than 40 bytes", field="requester_name_kana")
    return render(
        HEADER_LAYOUT,
        {
            "data_kind": "1",
            "kind_code": "21",
            "code_set": "0",
            "requester_code": requester.code,
            "requester_name": name,
            "transfer_date": f"{transfer_date.month:02d}{transfer_date.day:02d}",
            "bank_code": account.bank_code,
            "bank_name": cut_to_width(bank_name_kana(account.bank_code), 15),
            "branch_code": account.branch_code,
            "branch_name": cut_to_width(
                branch_name_kana(account.bank_code, account.branch_code), 15
            ),
            # The header knows 1 普通, 2 当座 and 9 その他 only.
            "account_type": "9"
            if account.account_type is AccountType.SAVINGS
            else account.account_type.digit,
            "account_number": account.account_number,
        },
    )


def _data(line: PayeeLine) -> bytes:
    account = line.account
    if not 0 < line.amount_yen <= MAX_AMOUNT_YEN:
        raise BadTransferAmount(
            f"a transfer of ¥{line.amount_yen} to store {line.store_id} is not 1..{MAX_AMOUNT_YEN}",
            store_id=line.store_id,
        )
    holder = to_zengin_kana(account.holder_kana, field="holder_kana", store_id=line.store_id)
    if not fits(holder, 30):
        raise HolderTooLong(
            f"store {line.store_id}: {holder!r} is longer than 30 bytes",
            field="holder_kana",
            limit=30,
            store_id=line.store_id,
        )
    code = line.customer_code
    if code and not (len(code) <= 10 and code.isascii() and code.isdigit()):
        raise ValueError(f"customer code {code!r} is not up to 10 digits")
    return render(
        DATA_LAYOUT,
        {
            "data_kind": "2",
            "bank_code": account.bank_code,
            "bank_name": cut_to_width(bank_name_kana(account.bank_code), 15),
            "branch_code": account.branch_code,
            "branch_name": cut_to_width(
                branch_name_kana(account.bank_code, account.branch_code), 15
            ),
            "clearing_house": "0",
            "account_type": account.account_type.digit,
            "account_number": account.account_number,
            "holder_name": holder,
            "amount": line.amount_yen,
            "new_code": "0",
            "customer_code_1": code.zfill(10) if code else "",
            "transfer_kind": "7",
        },
    )


def render(layout: Sequence[Field], values: Mapping[str, str | int]) -> bytes:
    """One record: each field's value placed by its kind; a field not given is blank (C) or
    zeros (N). A value wider than its field is a bug of the caller, who checks names first."""
    out = bytearray()
    for field in layout:
        value = values.get(field.name, "")
        if field.kind == "N":
            digits = str(value) if value != "" else "0"
            if not (digits.isascii() and digits.isdigit() and len(digits) <= field.width):
                raise ValueError(f"{field.name}: {digits!r} is not {field.width} digits")
            out += digits.rjust(field.width, "0").encode("ascii")
        else:
            text = str(value)
            if not is_zengin_kana(text) or not fits(text, field.width):
                raise ValueError(f"{field.name}: {text!r} does not fit C{field.width}")
            out += text.encode(ENCODING).ljust(field.width, b" ")
    if len(out) != RECORD_BYTES:
        raise ValueError(f"a record of {len(out)} bytes")
    return bytes(out)


def read_zengin(content: bytes) -> TransferFile:
    """A 総合振込 file read back, checked against the layout: CRLF after every record, each
    120 bytes, the records in order, N fields digits, C fields in the 全銀 alphabet, and the
    trailer's count and total equal to the data's. TransferFileInvalid names the record."""
    if not content.endswith(LINE_END):
        raise TransferFileInvalid("the file does not end with CR LF", record=0)
    raw = content[: -len(LINE_END)].split(LINE_END)
    for number, record in enumerate(raw, start=1):
        if len(record) != RECORD_BYTES or b"\r" in record or b"\n" in record:
            raise TransferFileInvalid(f"record {number} is not 120 bytes + CR LF", record=number)
    kinds = bytes(record[0] for record in raw)
    if len(raw) < 3 or kinds[:1] != b"1" or kinds[-2:] != b"89" or kinds[1:-2].strip(b"2"):
        raise TransferFileInvalid(
            f"records are not header, data, trailer, end: {kinds.decode('ascii', 'replace')}",
            record=0,
        )
    header = parse(HEADER_LAYOUT, raw[0], 1)
    data = tuple(parse(DATA_LAYOUT, record, n) for n, record in enumerate(raw[1:-2], start=2))
    trailer = parse(TRAILER_LAYOUT, raw[-2], len(raw) - 1)
    parse(END_LAYOUT, raw[-1], len(raw))
    if header["kind_code"] != "21":
        raise TransferFileInvalid("the header's 種別コード is not 21 (総合振込)", record=1)
    if int(trailer["count"]) != len(data) or int(trailer["total"]) != sum(
        int(record["amount"]) for record in data
    ):
        raise TransferFileInvalid("the trailer's totals differ from the data", record=len(raw) - 1)
    return TransferFile(header, data, trailer)


def parse(layout: Sequence[Field], record: bytes, number: int) -> dict[str, str]:
    """A record's fields by name (C fields without their trailing spaces)."""
    fields: dict[str, str] = {}
    for field in layout:
        chunk = record[field.start - 1 : field.start - 1 + field.width]
        try:
            text = chunk.decode(ENCODING)
        except UnicodeDecodeError:
            text = "\ufffd"
        if field.kind == "N" and not (text.isascii() and text.isdigit()):
            raise TransferFileInvalid(f"record {number}: {field.name} is not digits", record=number)
        if field.kind == "C" and (len(text) != field.width or not is_zengin_kana(text)):
            raise TransferFileInvalid(
                f"record {number}: {field.name} is not 全銀 characters", record=number
            )
        fields[field.name] = text.rstrip(" ") if field.kind == "C" else text
    return fields
