"""Member numbers and printed card numbers.

A member number is 10 digits: 9 random and a Luhn check digit (what staff and POS systems key
in). A card number is 13 digits that print as a JAN (EAN-13) barcode on a plastic card: the
in-store prefix `29` (JAN codes starting with 2 are for a company's own use, never a product's),
10 random digits and the EAN-13 check digit, so any barcode scanner reads it.
"""

from __future__ import annotations

from node.ledger.numbers import luhn_check_digit

MEMBER_NUMBER_DIGITS = 10
CARD_NUMBER_DIGITS = 13
CARD_PREFIX = "29"


def ean13_check_digit(first12: str) -> str:
    total = sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(first12))
    return str((10 - total % 10) % 10)


def member_number_from(random_bytes: bytes) -> str:
    body = f"{int.from_bytes(random_bytes[:8], 'big') % 10 ** (MEMBER_NUMBER_DIGITS - 1):09d}"
    return body + luhn_check_digit(body)


def card_number_from(random_bytes: bytes) -> str:
    digits = CARD_NUMBER_DIGITS - len(CARD_PREFIX) - 1
    body = CARD_PREFIX + f"{int.from_bytes(random_bytes[:8], 'big') % 10**digits:0{digits}d}"
    return body + ean13_check_digit(body)


def is_member_number(text: str) -> bool:
    return (
        len(text) == MEMBER_NUMBER_DIGITS
        and text.isascii()
        and text.isdigit()
        and luhn_check_digit(text[:-1]) == text[-1]
    )


def is_card_number(text: str) -> bool:
    return (
        len(text) == CARD_NUMBER_DIGITS
        and text.isascii()
        and text.isdigit()
        and text.startswith(CARD_PREFIX)
        and ean13_check_digit(text[:-1]) == text[-1]
    )


def spaced_member_number(member_no: str) -> str:
    """As printed for people: 1234 5678 90."""
    return " ".join(member_no[i : i + 4] for i in range(0, len(member_no), 4))
