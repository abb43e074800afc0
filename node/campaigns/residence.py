"""The self-declared residence check (居住地確認): pure rules over Japanese postcodes.

A campaign's area is a list of 7-digit postcodes and 3-digit prefixes (a prefix covers a whole
district: 805 is 北九州市八幡東区). The resident declares a postcode; nothing here proves it is
theirs: it is a declaration, which the office may check later against the resident register.
Many residents share a postcode, so the proof's subject is `<postcode>:<customer id>`: unique per
resident, never per postcode.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from node.errors import InvalidPostcode

POSTCODE = re.compile(r"[0-9]{7}")
PREFIX = re.compile(r"[0-9]{3}")
MAX_AREA_ENTRIES = 5_000
_MARKS = str.maketrans("", "", " 〒-\u2010\u2011\u2012\u2013\u2014\u2212\u30fc")


def _digits(typed: str) -> str:
    """Full-width digits and hyphens made plain, the postal mark and spaces dropped."""
    return unicodedata.normalize("NFKC", typed).strip().translate(_MARKS)


def parse_postcode(typed: str) -> str:
    """`〒123-4567`, the same in full-width digits, or `1234567` as `1234567`; anything else
    InvalidPostcode."""
    digits = _digits(typed)
    if not POSTCODE.fullmatch(digits):
        raise InvalidPostcode(field="postcode")
    return digits


def parse_area(entries: Iterable[object]) -> list[str]:
    """The area's entries, each a postcode or a 3-digit prefix (same spellings), sorted, once."""
    area: set[str] = set()
    for entry in entries:
        digits = _digits(entry) if isinstance(entry, str) else ""
        if not (POSTCODE.fullmatch(digits) or PREFIX.fullmatch(digits)):
            raise InvalidPostcode(field="postcodes", entry=str(entry)[:20])
        area.add(digits)
    if len(area) > MAX_AREA_ENTRIES:
        raise InvalidPostcode(field="postcodes", entry=f"{len(area)} > {MAX_AREA_ENTRIES}")
    return sorted(area)


def is_inside(postcode: str, area: Iterable[str]) -> bool:
    return any(postcode == entry or postcode[:3] == entry for entry in area)


def residence_subject(postcode: str, customer_id: str) -> str:
    """Unique per resident: many residents share one postcode."""
    return f"{postcode}:{customer_id}"
