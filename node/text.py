"""The one rule for text that people type and other people read: names, references, ids.

Text is printable when it holds no character of the Unicode categories

- Cc: control characters (NUL to U+001F, DEL, U+0080 to U+009F),
- Cf: invisible formatting (right-to-left overrides such as U+202E, zero-width spaces and joiners,
  the byte-order mark, soft hyphens),
- Cs: lone surrogates (half of a UTF-16 pair: not text at all, and SQLite cannot store them),
- Zl and Zp: the line and paragraph separators U+2028 and U+2029.

Spaces are text (the ideographic space U+3000 is in many Japanese names), and so are private-use
characters (外字) and characters a newer Unicode may assign. The API, the console, the CLI (which
calls the API) and partners' messages all use `is_printable`; the admin API's OpenAPI document
states the same rule as a regular expression built here from the same categories, so the two
cannot drift apart.
"""

from __future__ import annotations

import functools
import unicodedata
from typing import TypeGuard

from node.errors import InvalidText

REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
# Regular expression engines (and JSON Schema validators) cannot name a lone surrogate; JSON text
# carries one only as a \\u escape, which the JSON reader refuses before any pattern is applied.
_PATTERN_SKIPS = range(0xD800, 0xE000)


def is_printable(text: str) -> bool:
    """Whether `text` holds only characters people can see (spaces included); see the module."""
    category = unicodedata.category
    return not any(category(c) in REFUSED_CATEGORIES for c in text)


def has_surrogate(text: str) -> bool:
    """Whether `text` holds half of a UTF-16 pair (JSON's "\\ud800"): such a string is not text."""
    return any("\ud800" <= c <= "\udfff" for c in text)


@functools.cache
def _ranges(refused: frozenset[str], also: str = "") -> list[tuple[int, int]]:
    """Code point ranges, in order, of the categories `refused` plus the characters `also`."""
    category = unicodedata.category
    ranges: list[tuple[int, int]] = []
    for point in range(0x110000):
        if point in _PATTERN_SKIPS:
            continue
        char = chr(point)
        if category(char) in refused or char in also:
            if ranges and ranges[-1][1] == point - 1:
                ranges[-1] = (ranges[-1][0], point)
            else:
                ranges.append((point, point))
    return ranges


def _class_item(point: int) -> str:
    # \uXXXX reads the same in ECMA-262, Python and Rust; a character beyond the BMP is written as
    # itself, which those three (ECMA-262 in Unicode mode, as JSON Schema 2020-12 reads) also agree on.
    return f"\\u{point:04X}" if point <= 0xFFFF else chr(point)


def _negated_class(ranges: list[tuple[int, int]]) -> str:
    items = (
        _class_item(low) if low == high else f"{_class_item(low)}-{_class_item(high)}"
        for low, high in ranges
    )
    return "[^" + "".join(items) + "]"


@functools.cache
def spaces() -> str:
    """The printable characters str.strip() removes: the space and Unicode's other spaces (Zs)."""
    points = range(0x110000)
    return "".join(c for c in map(chr, points) if c.isspace() and is_printable(c))


@functools.cache
def printable_class(also_refused: str = "") -> str:
    """A regular-expression class of the printable characters, less those in `also_refused`;
    "spaces" stands for every printable space."""
    extra = spaces() if also_refused == "spaces" else also_refused
    return _negated_class(_ranges(REFUSED_CATEGORIES, extra))


@functools.cache
def space_class() -> str:
    """A regular-expression class of the printable spaces, which the API trims from text."""
    return "[" + "".join(_class_item(ord(c)) for c in spaces()) + "]"


def printable_pattern() -> str:
    """The JSON Schema `pattern` of a trimmed-to-non-empty printable text (see `is_printable`):
    printable characters only, at least one of them not a space."""
    anything = printable_class()
    return f"^{anything}*{printable_class('spaces')}{anything}*$"


def trimmed_pattern(core: str) -> str:
    """The JSON Schema `pattern` of text that, once trimmed of spaces, matches `core` whole."""
    spaces = space_class()
    return f"^{spaces}*(?:{core}){spaces}*$"


def require_printable(text: str, field: str) -> str:
    """`text` if it is printable; otherwise the one error every surface answers (InvalidText)."""
    if not is_printable(text):
        raise InvalidText(field=field)
    return text


# A caller's own id for a request (the points API's `txn`, an Idempotency-Key): what fits in a
# header, a URL and a CSV cell unquoted.
CALLER_KEY_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:/")


def is_caller_key(value: object, max_chars: int) -> TypeGuard[str]:
    """1 to `max_chars` letters, digits and - _ . : /"""
    return (
        isinstance(value, str) and 1 <= len(value) <= max_chars and set(value) <= CALLER_KEY_CHARS
    )


MAX_EMAIL = 254


def email_address(text: str) -> str | None:
    """`text` as an email address (trimmed, lower case: something@domain.with.a.dot, printable,
    no spaces, at most MAX_EMAIL characters), or None when it is not one."""
    email = text.strip().lower()
    local, at, domain = email.partition("@")
    if not (local and at and "." in domain and len(email) <= MAX_EMAIL and email.isprintable()):
        return None
    if any(c.isspace() for c in email):
        return None
    return email
