"""A customer's profile (顧客プロフィール): the one reading of each field a person typed.

Kana is katakana (hiragana and half-width katakana are turned into it), a phone number is 10 or 11
digits starting with 0 (hyphens and full-width digits accepted, kept as digits), a postcode is
123-4567, a birthday a real day from 1900 to today, gender female, male, other or not given.
`notes` are head office's own (never shown at the counter); `greeting` is the one short line the
counter sees when it scans the customer's voucher (お声がけ), beside their name and rank.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any

from node.errors import InvalidProfile
from node.text import is_printable

NOTES_MAX = 2000
GREETING_MAX = 100
TAGS_MAX = 20
TAG_MAX = 40
GENDERS = ("female", "male", "other")
FIELDS = ("kana", "phone", "birthday", "postcode", "gender", "notes", "greeting", "tags")
# What the customer edits of their own in the wallet; notes, greeting and tags are head office's.
OWN_FIELDS = ("kana", "phone", "birthday", "postcode", "gender")
NAME_MAX = 100
_KANA = re.compile(r"[\u30a0-\u30ff\u3000 ]+")
_PHONE = re.compile(r"0[0-9]{9,10}")
_POSTCODE = re.compile(r"([0-9]{3})-?([0-9]{4})")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True)
class Profile:
    customer_id: str
    kana: str | None = None
    phone: str | None = None
    birthday: date | None = None
    postcode: str | None = None
    gender: str | None = None
    notes: str | None = None
    greeting: str | None = None
    tags: tuple[str, ...] = ()


def _text(raw: object, field: str, longest: int) -> str | None:
    if raw is None or raw == "":
        return None
    if not isinstance(raw, str) or len(raw) > longest:
        raise InvalidProfile(
            f"`{field}` must be text of at most {longest} characters.", field=field
        )
    if not all(is_printable(line) for line in raw.split("\n") if line):
        raise InvalidProfile(f"`{field}` must be printable text.", field=field)
    return raw.strip() or None


def _kana(raw: object) -> str | None:
    text = _text(raw, "kana", 80)
    if text is None:
        return None
    text = unicodedata.normalize("NFKC", text)
    text = "".join(chr(ord(c) + 0x60) if "\u3041" <= c <= "\u3096" else c for c in text)
    if not _KANA.fullmatch(text):
        raise InvalidProfile("`kana` must be written in kana (フリガナ).", field="kana")
    return text


def _phone(raw: object) -> str | None:
    text = _text(raw, "phone", 20)
    if text is None:
        return None
    digits = unicodedata.normalize("NFKC", text).replace("-", "").replace(" ", "")
    if not _PHONE.fullmatch(digits):
        raise InvalidProfile("`phone` must be 10 or 11 digits starting with 0.", field="phone")
    return digits


def _postcode(raw: object) -> str | None:
    text = _text(raw, "postcode", 10)
    if text is None:
        return None
    found = _POSTCODE.fullmatch(unicodedata.normalize("NFKC", text).lstrip("〒").strip())
    if found is None:
        raise InvalidProfile("`postcode` must be 7 digits, written 123-4567.", field="postcode")
    return f"{found.group(1)}-{found.group(2)}"


def _birthday(raw: object, today: date) -> date | None:
    text = _text(raw, "birthday", 10)
    if text is None:
        return None
    try:
        if not _DAY.fullmatch(text):
            raise ValueError(text)
        day = date.fromisoformat(text)
    except ValueError:
        raise InvalidProfile(
            "`birthday` must be a real day written YYYY-MM-DD.", field="birthday"
        ) from None
    if not date(1900, 1, 1) <= day <= today:
        raise InvalidProfile("`birthday` must be from 1900 to today.", field="birthday")
    return day


def _gender(raw: object) -> str | None:
    if raw is None or raw == "":
        return None
    if raw not in GENDERS:
        raise InvalidProfile("`gender` must be female, male, other or empty.", field="gender")
    return str(raw)


def _tags(raw: object) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or len(raw) > TAGS_MAX:
        raise InvalidProfile(f"`tags` must be a list of at most {TAGS_MAX} tags.", field="tags")
    tags = {_text(tag, "tags", TAG_MAX) for tag in raw}
    return tuple(sorted(tag for tag in tags if tag))


def read_name(raw: object) -> str:
    """The customer's name (お名前, e.g. 山田太郎): printable, 1 to 100 characters, trimmed."""
    if isinstance(raw, str) and "\n" in raw:
        raise InvalidProfile("`name` must be one line of text.", field="name")
    name = _text(raw, "name", NAME_MAX)
    if name is None:
        raise InvalidProfile(f"`name` must be 1 to {NAME_MAX} characters.", field="name")
    return name


def read_profile(customer_id: str, body: dict[str, Any], today: date) -> Profile:
    """The profile as sent: every field optional, empty or missing meaning not given."""
    return Profile(
        customer_id,
        kana=_kana(body.get("kana")),
        phone=_phone(body.get("phone")),
        birthday=_birthday(body.get("birthday"), today),
        postcode=_postcode(body.get("postcode")),
        gender=_gender(body.get("gender")),
        notes=_text(body.get("notes"), "notes", NOTES_MAX),
        greeting=_text(body.get("greeting"), "greeting", GREETING_MAX),
        tags=_tags(body.get("tags")),
    )


def profile_fields(profile: Profile) -> dict[str, Any]:
    """The profile as JSON (the API's answer, the customer's own data)."""
    return {
        "kana": profile.kana,
        "phone": profile.phone,
        "birthday": None if profile.birthday is None else profile.birthday.isoformat(),
        "postcode": profile.postcode,
        "gender": profile.gender,
        "notes": profile.notes,
        "greeting": profile.greeting,
        "tags": list(profile.tags),
    }
