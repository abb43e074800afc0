"""The console's compose form for campaign mail read into what the admin API takes (segment,
subject, body, send_at, per_minute, offer). Nothing is checked here: what a person typed goes on
to node/crm's readers as it is, so the console refuses exactly what the API refuses, naming the
same field; only the forms of typing differ (full-width digits, a local date-time, checkboxes).

The form's fields are named as the API's (`offer.face_yen`, `offer.use_until`, `offer.stores`),
so a refusal lands beside the field it names; the test send's address is `test_to`, as `to`
is another console form's field with its own wording."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from node.errors import InvalidAmount
from node.web.amounts import typed_yen

FIELDS = (
    "segment",
    "subject",
    "body",
    "send_at",
    "per_minute",
    "offer.face_yen",
    "offer.use_until",
    "offer.stores",
    "test_to",
)
SEND_NOW, SEND_LATER = "now", "later"
MAX_FIELD_CHARS = 40


def typed_whole(text: str) -> object:
    """A whole number typed as people do (full-width, commas, ¥ or 円); anything else stays
    text, for the API's rule to refuse naming its field; empty: None (not given)."""
    if not text.strip():
        return None
    try:
        return typed_yen(text[:MAX_FIELD_CHARS], minimum=0)
    except InvalidAmount:
        return text


@dataclass(frozen=True)
class TypedMail:
    """A compose form as the API's values; `send_at` None: now."""

    segment: str
    subject: str
    body: str
    send_at: str | None
    per_minute: object
    offer: dict[str, object] | None


def typed_offer(form: Mapping[str, str], stores: Sequence[str]) -> dict[str, object] | None:
    """The offer if any of its fields was given (a half-filled one is refused by the API's rule
    naming the missing field), else None."""
    face = form.get("offer.face_yen", "")
    until = form.get("offer.use_until", "").strip()
    if not face.strip() and not until and not stores:
        return None
    offer: dict[str, object] = {"face_yen": typed_whole(face), "use_until": until or None}
    if stores:
        offer["stores"] = list(stores)
    return offer


def typed_mail(form: Mapping[str, str], stores: Sequence[str]) -> TypedMail:
    later = form.get("send_when", SEND_NOW) == SEND_LATER
    return TypedMail(
        segment=form.get("segment", ""),
        subject=form.get("subject", ""),
        body=form.get("body", ""),
        send_at=form.get("send_at", "") if later else None,
        per_minute=typed_whole(form.get("per_minute", "")),
        offer=typed_offer(form, stores),
    )
