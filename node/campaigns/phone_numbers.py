"""Japanese mobile numbers as SMS one-time codes need them: 070/080/090 and 8 digits, written any
common way (090-1234-5678, full-width, +81 90 1234 5678), as E.164 (+819012345678). A landline,
an IP phone (050) or a foreign number is refused: only a mobile receives the code, and the number
is the proof's subject, so one spelling per line."""

from __future__ import annotations

import re
import unicodedata

from node.errors import InvalidPhone

MOBILE = re.compile(r"0[789]0[0-9]{8}")
_MARKS = str.maketrans("", "", " ()-.\u2010\u2011\u2012\u2013\u2014\u2212\u30fc")


def parse_mobile(typed: str) -> str:
    """The E.164 form of a Japanese mobile number, or InvalidPhone (field `phone`)."""
    digits = unicodedata.normalize("NFKC", typed).strip().translate(_MARKS)
    if digits.startswith("+81"):
        digits = "0" + digits[3:]
    if not MOBILE.fullmatch(digits):
        raise InvalidPhone(field="phone")
    return "+81" + digits[1:]


def masked(e164: str) -> str:
    """What a page shows of the number a code went to: +81 90-****-5678."""
    return f"+81 {e164[3:5]}-****-{e164[-4:]}"
