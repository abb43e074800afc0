"""The console's segment form read into the filters the admin API takes, and a segment's filters
shown back. Nothing is checked here: what a person typed goes on to node/crm/segments.py as it
is, so the console refuses exactly what the API refuses, with the same field named."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from node.crm.rfm_classes import RfmClass
from node.crm.segments import FILTER_NAMES, Filters, filters_json

CHOICES = {"yes": True, "no": False}  # a yes/no filter's select; "" leaves it out
YES_NO = ("has_active_voucher", "marketing_consent")
WHOLE = (
    "balance_min",
    "balance_max",
    "spend_min",
    "spend_max",
    "birthday_month",
    "points_expiring_within_days",
)
YEN = ("balance_min", "balance_max", "spend_min", "spend_max")
STORES = "stores_visited"
TEXT = tuple(name for name in FILTER_NAMES if name not in (*YES_NO, *WHOLE, STORES))
DIGITS = re.compile(r"[0-9]{1,15}")
FORM_FIELDS = ("name", *FILTER_NAMES)  # where the page puts a refusal's message
RFM_CLASSES = tuple(str(c) for c in RfmClass)


def _whole(typed: str) -> object:
    """Digits as a person types them (full-width, with thousands commas, ¥ or 円) as a number;
    anything else stays text, for the API's rule to refuse naming its field."""
    folded = unicodedata.normalize("NFKC", typed).strip().replace(",", "")
    folded = folded.removeprefix("¥").removesuffix("円").strip()
    return int(folded) if DIGITS.fullmatch(folded) else typed


def typed_filters(form: Mapping[str, str], stores: list[str]) -> dict[str, object]:
    """The filters given on the form (an empty field is not a filter), as the API's JSON."""
    raw: dict[str, object] = {}
    for name in YES_NO:
        choice = form.get(name, "")
        if choice:
            raw[name] = CHOICES.get(choice, choice)
    for name in WHOLE:
        typed = form.get(name, "")
        if typed.strip():
            raw[name] = _whole(typed)
    for name in TEXT:
        typed = form.get(name, "")
        if typed.strip():
            raw[name] = typed
    if stores:
        raw[STORES] = stores
    return raw


@dataclass(frozen=True)
class Shown:
    """One filter of a saved segment as the list shows it: its name (the label's text key is
    `sg_f_<name>`) and how to write its value (`yes_no`, `yen`, `rfm`, `stores` or `text`)."""

    name: str
    kind: str
    value: object


def shown_filters(filters: Filters, store_names: Mapping[str, str]) -> list[Shown]:
    shown = []
    for name, value in filters_json(filters).items():
        if name in YES_NO:
            shown.append(Shown(name, "yes_no", value))
        elif name in YEN:
            shown.append(Shown(name, "yen", value))
        elif name == "rfm_class":
            shown.append(Shown(name, "rfm", value))
        elif name == STORES:
            named = [store_names.get(store_id, store_id) for store_id in value]
            shown.append(Shown(name, "stores", "、".join(named)))
        else:
            shown.append(Shown(name, "text", value))
    return shown
