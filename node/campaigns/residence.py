"""The self-declared residence check (居住地確認): pure rules over Japanese postcodes.

A campaign's area is its `postcodes`: 7-digit postcodes and 3-digit prefixes (a prefix covers a
whole district: 805 is 北九州市八幡東区), read by core.normal_postcode. The resident declares a
postcode; nothing here proves it is theirs: it is a declaration, which the office may check later
against the resident register. Many residents share a postcode, so the proof's subject is
`<postcode>:<customer id>`: unique per resident, never per postcode.
"""

from __future__ import annotations

from collections.abc import Iterable

from node.campaigns.core import normal_postcode
from node.errors import InvalidPostcode

POSTCODE_DIGITS = 7


def parse_postcode(typed: str) -> str:
    """`〒123-4567`, the same in full-width digits, or `1234567` as `1234567`; a 3-digit area or
    anything else is InvalidPostcode (a resident declares their own full postcode)."""
    postcode = normal_postcode(typed[:20])
    if postcode is None or len(postcode) != POSTCODE_DIGITS:
        raise InvalidPostcode(field="postcode")
    return postcode


def is_inside(postcode: str, area: Iterable[str]) -> bool:
    return any(postcode == entry or postcode[:3] == entry for entry in area)


def residence_subject(postcode: str, customer_id: str) -> str:
    """Unique per resident: many residents share one postcode."""
    return f"{postcode}:{customer_id}"
