"""The pure rules of participating stores: an application checked field by field, and the store
code (店舗コード) residents type or scan, with a check character that catches one mistyped
character and most swaps of two neighbours (Luhn mod N over the code's alphabet)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime

from node.campaigns.bank import check_account
from node.campaigns.store_model import (
    APPLICATION_ACCOUNT_TYPES,
    MAX_ADDRESS,
    MAX_REASON,
    MAX_STORE_NAME,
    ApplicationStatus,
    StoreApplication,
    StoreCategory,
)
from node.errors import BadAccountType, InvalidStoreApplication
from node.text import email_address

# No 0/O, 1/I: a code read off a poster and typed on a phone.
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_BODY = 5  # random characters; with the check character a code is 6
CODE_LENGTH = CODE_BODY + 1


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


def checked_email(value: str) -> str:
    email = email_address(value)
    if email is None:
        raise InvalidStoreApplication(
            "Give an email address to reach the store.", field="store_email"
        )
    return email


def checked_application(
    sent: ApplicationInput, application_id: str, now: datetime
) -> StoreApplication:
    """The application as stored, pending; InvalidStoreApplication names the first bad field."""
    try:
        category = StoreCategory(sent.category.strip())
    except ValueError:
        raise InvalidStoreApplication("Choose a category.", field="store_category") from None
    if sent.account_type.strip() not in APPLICATION_ACCOUNT_TYPES:
        raise BadAccountType(
            "A store is paid to an ordinary or a current account.", field="account_type"
        )
    name = _text(sent.name, "store_name", MAX_STORE_NAME)
    address = _text(sent.address, "store_address", MAX_ADDRESS)
    email = checked_email(sent.email)
    # The codes against the bank-code list, the holder in the 全銀 alphabet (kanji refused).
    account = check_account(
        sent.bank_code, sent.branch_code, sent.account_type, sent.account_number, sent.holder_kana
    )
    return StoreApplication(
        application_id=application_id,
        name=name,
        address=address,
        category=category,
        wants_local=sent.wants_local,
        email=email,
        account=account,
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
