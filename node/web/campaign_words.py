"""Words the campaign pages share, marked for the catalogue where they are defined and
translated where they are shown (`gettext(KIND_NAMES[kind])` in a template)."""

from __future__ import annotations


def N_(message: str) -> str:
    """Marks a message for extraction (babel's N_ keyword) without translating it here: the
    reader's language is known only when a page is rendered."""
    return message


# A campaign's kind as a resident reads it, by the kind's name in the CLI and the API.
KIND_NAMES = {
    "premium": N_("Premium voucher"),
    "first-come": N_("First-come coupon"),
    "lottery": N_("Lottery coupon"),
    "ticket-book": N_("Ticket book"),
    "survey": N_("Survey coupon"),
}
