"""Serial codes (シリアルコード) printed on the cards a campaign office mails to residents: pure rules.

A code is 15 random characters and one check character from an alphabet of 32 that leaves out
0/O and 1/I (read alike on paper), shown in four groups of four: `K7QM-4XRT-2WBN-9HCF`. The check
character is Luhn mod 32, so one mistyped character, and a swap of two neighbours (all but one
pair of characters, as with any Luhn check), is caught here, before any lookup: the database never
sees a code that is only a typing error.

Only a code's SHA-256 (domain-separated) is stored; the plain codes exist once, in the printing
export. 75 random bits a code: guessing one among millions printed takes ~2^50 tries.
"""

from __future__ import annotations

import csv
import hashlib
import io
import unicodedata
from collections.abc import Iterable

from node.clock import Randomness
from node.errors import InvalidSerial

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
BASE = len(ALPHABET)  # 32: a random byte's low 5 bits pick a character without bias
PAYLOAD_CHARS = 15
CODE_CHARS = PAYLOAD_CHARS + 1
GROUP_CHARS = 4
HASH_PURPOSE = b"kippu campaign serial v1\x00"
PRINTING_HEADER = ("serial", "campaign")
_VALUE = {char: index for index, char in enumerate(ALPHABET)}
_SEPARATORS = str.maketrans("", "", " -\u2010\u2011\u2012\u2013\u2014\u2212\u30fc")


def check_character(payload: str) -> str:
    """Luhn mod 32 over `payload`: from the right, every second value doubled (its digits summed
    in base 32); the check makes the total divisible by 32."""
    total = 0
    for position, char in enumerate(reversed(payload)):
        value = _VALUE[char]
        if position % 2 == 0:
            value *= 2
            value = value // BASE + value % BASE
        total += value
    return ALPHABET[(BASE - total % BASE) % BASE]


def grouped(code: str) -> str:
    """The printed form: four groups of four joined by hyphens."""
    return "-".join(code[i : i + GROUP_CHARS] for i in range(0, len(code), GROUP_CHARS))


def draw_serial(rng: Randomness) -> str:
    """A new code, 16 characters without hyphens (its check character last)."""
    payload = "".join(ALPHABET[byte % BASE] for byte in rng.token_bytes(PAYLOAD_CHARS))
    return payload + check_character(payload)


def parse_serial(typed: str) -> str:
    """The code a resident typed, as its 16 characters: full-width letters, lower case, spaces and
    hyphens of any kind are accepted; a wrong length, a character outside the alphabet or a check
    character that does not match is InvalidSerial (field `serial`)."""
    code = unicodedata.normalize("NFKC", typed).upper().translate(_SEPARATORS)
    if len(code) != CODE_CHARS or any(char not in _VALUE for char in code):
        raise InvalidSerial(field="serial")
    if check_character(code[:PAYLOAD_CHARS]) != code[PAYLOAD_CHARS]:
        raise InvalidSerial(field="serial")
    return code


def serial_hash(code: str) -> bytes:
    """What the node stores of a code (SHA-256, its own purpose so no other hash collides)."""
    return hashlib.sha256(HASH_PURPOSE + code.encode("ascii")).digest()


def printing_csv(campaign_id: str, printed: Iterable[str]) -> str:
    """The printer's file: header `serial, campaign`, one grouped code a line, CRLF (the CLI and
    the console write the same)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(PRINTING_HEADER)
    writer.writerows((code, campaign_id) for code in printed)
    return out.getvalue()
