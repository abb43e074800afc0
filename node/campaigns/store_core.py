"""The pure rules of participating stores: an application checked field by field, and the store
code (店舗コード) residents type or scan, with a check character that catches one mistyped
character and most swaps of two neighbours (Luhn mod N over the code's alphabet)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime

from node.campaigns.store_model import (
    MAX_ADDRESS,
    MAX_EMAIL,
    MAX_HOLDER,
    MAX_REASON,
    MAX_STORE_NAME,
    AccountType,
    ApplicationStatus,
    BankAccount,
    StoreApplication,
    StoreCategory,
)
from node.errors import InvalidStoreApplication

# No 0/O, 1/I: a code read off a poster and typed on a phone.
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_BODY = 5  # random characters; with the check character a code is 6
CODE_LENGTH = CODE_BODY + 1
# Half-width katakana, the 全銀 character set's other characters a holder name may carry.
HOLDER_CHARS = frozenset(
    [chr(c) for c in range(0xFF66, 0xFFA0)] + list("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ().-/,")
)


@dataclass(frozen=True)
class ApplicationInput:
    """A store's application as sent by its form: every value as text."""

    name: str
    address: str
    category: str
    wants_local: bool
    email: str
    bank_code: str
    branch_code: str
    account_type: str
    account_number: str
    holder_kana: str


def _text(value: str, field: str, limit: int) -> str:
    cleaned = " ".join(value.split())
    if not cleaned or len(cleaned) > limit or not cleaned.isprintable():
        raise InvalidStoreApplication(
            f"`{field}` must be 1-{limit} characters.", field=field, max_chars=limit
        )
    return cleaned


def _digits(value: str, field: str, length: int, *, pad: bool = False) -> str:
    cleaned = value.strip()
    if pad and cleaned.isascii() and cleaned.isdigit() and len(cleaned) < length:
        cleaned = cleaned.zfill(length)  # 口座番号 is written right-aligned with zeros
    if not (len(cleaned) == length and cleaned.isascii() and cleaned.isdigit()):
        raise InvalidStoreApplication(f"`{field}` must be {length} digits.", field=field)
    return cleaned


def checked_email(value: str) -> str:
    email = value.strip().lower()
    local, at, domain = email.partition("@")
    if not (local and at and "." in domain and len(email) <= MAX_EMAIL and email.isprintable()):
        raise InvalidStoreApplication(
            "Give an email address to reach the store.", field="store_email"
        )
    if any(c.isspace() for c in email):
        raise InvalidStoreApplication(
            "Give an email address to reach the store.", field="store_email"
        )
    return email


def checked_holder(value: str) -> str:
    """The holder's name as the bank writes it: half-width katakana (full-width is converted by
    NFKC; anything outside the 全銀 set, such as kanji, is refused)."""
    holder = " ".join(unicodedata.normalize("NFKC", value).split()).upper()
    # NFKC makes half-width kana full-width: back to half-width, character by character.
    half = "".join(_HALF.get(ch, ch) for ch in holder)
    if not half or len(half) > MAX_HOLDER or any(ch not in HOLDER_CHARS for ch in half):
        raise InvalidStoreApplication(
            "Give the account holder's name in katakana, as the bank writes it.",
            field="store_holder_kana",
        )
    return half


def _half_width_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for code in range(0xFF61, 0xFFA0):
        half = chr(code)
        table[unicodedata.normalize("NFKC", half)] = half
    for full in "ガギグゲゴザジズゼゾダヂヅデドバビブベボ":
        base = chr(ord(full) - 1)
        table[full] = table[base] + "\uff9e"
    for full in "パピプペポ":
        base = chr(ord(full) - 2)
        table[full] = table[base] + "\uff9f"
    table["ヴ"] = table["ウ"] + "\uff9e"
    table["ー"] = "\uff70"
    return table


_HALF = _half_width_table()


def checked_application(
    sent: ApplicationInput, application_id: str, now: datetime
) -> StoreApplication:
    """The application as stored, pending; InvalidStoreApplication names the first bad field."""
    try:
        category = StoreCategory(sent.category.strip())
    except ValueError:
        raise InvalidStoreApplication("Choose a category.", field="store_category") from None
    try:
        account_type = AccountType(sent.account_type.strip())
    except ValueError:
        raise InvalidStoreApplication(
            "Choose the account type.", field="store_account_type"
        ) from None
    return StoreApplication(
        application_id=application_id,
        name=_text(sent.name, "store_name", MAX_STORE_NAME),
        address=_text(sent.address, "store_address", MAX_ADDRESS),
        category=category,
        wants_local=sent.wants_local,
        email=checked_email(sent.email),
        account=BankAccount(
            bank_code=_digits(sent.bank_code, "store_bank_code", 4),
            branch_code=_digits(sent.branch_code, "store_branch_code", 3),
            account_type=account_type,
            account_number=_digits(sent.account_number, "store_account_number", 7, pad=True),
            holder_kana=checked_holder(sent.holder_kana),
        ),
        status=ApplicationStatus.PENDING,
        reason="",
        applied_at=now,
        decided_at=None,
        decided_by=None,
        store_id=None,
    )


def checked_reason(value: str) -> str:
    """A rejection says why (the applicant reads it in the mail)."""
    return _text(value, "reject_reason", MAX_REASON)


def _check_character(body: str) -> str:
    """Luhn mod N: every second character from the right doubled, digits of base N summed."""
    n = len(CODE_ALPHABET)
    total = 0
    for i, ch in enumerate(reversed(body)):
        value = CODE_ALPHABET.index(ch)
        if i % 2 == 0:
            value *= 2
            value = value // n + value % n
        total += value
    return CODE_ALPHABET[(n - total % n) % n]


def store_code(random_bytes: bytes) -> str:
    """A new store code from CODE_BODY random bytes: the body and its check character."""
    body = "".join(CODE_ALPHABET[b % len(CODE_ALPHABET)] for b in random_bytes[:CODE_BODY])
    if len(body) != CODE_BODY:
        raise ValueError(f"a store code needs {CODE_BODY} random bytes")
    return body + _check_character(body)


def parse_store_code(text: str) -> str | None:
    """The store code in what a resident typed or scanned (a poster's URL, or the code with
    spaces, hyphens or lower case), or None when it is no code or its check character fails."""
    cleaned = text.strip()
    if "/" in cleaned:
        cleaned = cleaned.rstrip("/").rsplit("/", 1)[-1]
    cleaned = unicodedata.normalize("NFKC", cleaned).upper().replace("-", "").replace(" ", "")
    if len(cleaned) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in cleaned):
        return None
    if _check_character(cleaned[:CODE_BODY]) != cleaned[CODE_BODY]:
        return None
    return cleaned
