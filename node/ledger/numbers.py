"""Voucher numbers (12 digits with a Luhn check digit) and receipt numbers."""

from __future__ import annotations

VOUCHER_NUMBER_DIGITS = 12


def luhn_check_digit(digits: str) -> str:
    """The digit that makes `digits + check` pass the Luhn test (catches one-digit typos, swaps)."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return str((10 - total % 10) % 10)


def voucher_number_from(random_bytes: bytes) -> str:
    """A voucher number from 8 random bytes: 11 digits and a check digit."""
    body = f"{int.from_bytes(random_bytes[:8], 'big') % 10 ** (VOUCHER_NUMBER_DIGITS - 1):011d}"
    return body + luhn_check_digit(body)


def spaced_number(voucher_id: str) -> str:
    """A voucher number in groups of four, as printed for customers: 1234 5678 9012."""
    return " ".join(voucher_id[i : i + 4] for i in range(0, len(voucher_id), 4))


def is_voucher_number(text: str) -> bool:
    return (
        len(text) == VOUCHER_NUMBER_DIGITS
        and text.isascii()
        and text.isdigit()
        and luhn_check_digit(text[:-1]) == text[-1]
    )


def receipt_number(sequence: int) -> str:
    """Receipt numbers are the node's redemption sequence: R00000001, R00000002, ..."""
    return f"R{sequence:08d}"
