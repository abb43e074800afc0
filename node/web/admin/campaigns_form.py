"""The console's new-campaign form read into the action's CampaignInput: whole numbers in ASCII or
full-width digits, times typed in the node's zone (datetime-local), the checks as checkboxes, the
postcodes one a line, a first-come campaign's rounds as numbered rows.

Only the fields of the chosen kind are sent on (a price typed for a premium campaign and left in a
hidden field after switching to first-come is not a mistake of the office's). Every refusal is
InvalidCampaign naming its field; the ranges and rules themselves are the core's
(node/campaigns/core.py new_campaign)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from zoneinfo import ZoneInfo

from node.campaigns.actions import CampaignInput
from node.campaigns.model import MAX_ROUNDS, CampaignKind, Method
from node.errors import InvalidAmount, InvalidCampaign
from node.moments import parse_moment
from node.web.amounts import typed_yen

MAX_FIELD_CHARS = 40
MAX_TEXT_CHARS = 20_000
ROUND_ROWS = 3  # rows the form offers without script; the script adds more (up to MAX_ROUNDS)
KINDS = tuple(kind.value for kind in CampaignKind)
METHODS = tuple(method.value for method in Method)
# Fields only some kinds have; a field not listed here is every kind's.
KIND_FIELDS: dict[str, frozenset[CampaignKind]] = {
    "price_yen": frozenset({CampaignKind.PREMIUM}),
    "local_yen": frozenset({CampaignKind.PREMIUM}),
    "book_count": frozenset({CampaignKind.TICKET_BOOK}),
    "rounds": frozenset({CampaignKind.FIRST_COME}),
}
_POSTCODE_SPLIT = re.compile(r"[\s,、，]+")  # noqa: RUF001 (the full-width comma people type)


def has_field(kind: CampaignKind | None, name: str) -> bool:
    kinds = KIND_FIELDS.get(name)
    return kinds is None or kind in kinds


def whole(form: Mapping[str, str], name: str) -> int | None:
    """A whole number, 0 or more; empty: not given (the core's default or its refusal)."""
    text = form.get(name, "")[:MAX_FIELD_CHARS]
    if not text.strip():
        return None
    try:
        return typed_yen(text, minimum=0)
    except InvalidAmount:
        raise InvalidCampaign(f"`{name}` must be a whole number.", field=name) from None


def moment(form: Mapping[str, str], name: str, zone: ZoneInfo, field: str = "") -> str | None:
    """A time typed in the node's zone as an ISO moment with its offset; empty: None."""
    text = form.get(name, "")[:MAX_FIELD_CHARS].strip()
    if not text:
        return None
    return parse_moment(text, field or name, zone=zone, error=InvalidCampaign).isoformat()


def required_moment(form: Mapping[str, str], name: str, zone: ZoneInfo) -> str:
    found = moment(form, name, zone)
    if found is None:
        raise InvalidCampaign(f"`{name}` is required.", field=name)
    return found


def chosen_kind(form: Mapping[str, str]) -> CampaignKind | None:
    try:
        return CampaignKind(form.get("kind", "")[:20])
    except ValueError:
        return None


def rounds(form: Mapping[str, str], zone: ZoneInfo) -> list[dict[str, object]] | None:
    """Rows `round_opens_N` and `round_stock_N`, N from 1; a row left empty is no round."""
    found: list[dict[str, object]] = []
    for number in range(1, MAX_ROUNDS + 2):
        opens = form.get(f"round_opens_{number}", "").strip()
        stock = form.get(f"round_stock_{number}", "").strip()
        if not opens and not stock:
            continue
        if not opens or not stock:
            raise InvalidCampaign("Each round has a start and a stock.", field="rounds")
        found.append(
            {
                "opens_at": moment(form, f"round_opens_{number}", zone, "rounds"),
                "stock": whole({"rounds": stock}, "rounds"),
            }
        )
    return found or None


def postcodes(text: str) -> list[str] | None:
    codes = [code for code in _POSTCODE_SPLIT.split(text[:MAX_TEXT_CHARS]) if code]
    return codes or None


def campaign_input(form: Mapping[str, str], checks: list[str], zone: ZoneInfo) -> CampaignInput:
    """The whole form as the action takes it; `checks` are the ticked eligibility boxes."""
    kind = chosen_kind(form)
    if kind is None:
        raise InvalidCampaign("Choose the kind of campaign.", field="kind")

    def only(name: str) -> int | None:
        return whole(form, name) if has_field(kind, name) else None

    return CampaignInput(
        kind=kind.value,
        name=form.get("name", "")[:200],
        face_yen=whole(form, "face_yen"),
        starts_at=required_moment(form, "starts_at", zone),
        ends_at=required_moment(form, "ends_at", zone),
        use_until=moment(form, "use_until", zone),
        price_yen=only("price_yen"),
        local_yen=only("local_yen"),
        book_count=only("book_count"),
        stock=whole(form, "stock"),
        per_person=whole(form, "per_person"),
        budget_yen=whole(form, "budget_yen"),
        terms=form.get("terms", "")[:MAX_TEXT_CHARS],
        eligibility=[c[:20] for c in checks[: len(METHODS) + 1]],
        postcodes=postcodes(form.get("postcodes", "")),
        rounds=rounds(form, zone) if has_field(kind, "rounds") else None,
    )
