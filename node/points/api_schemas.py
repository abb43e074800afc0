"""The OpenAPI schemas of the points API (api.py, api_members.py): each states exactly what the
server takes and answers (node/http/schema_parts.py gives the contract). The ranges are those
node/points/core.py, purchase_lines.py and program_actions.py check; schemathesis holds the two
to each other (tests/test_openapi_schemathesis.py)."""

from __future__ import annotations

from node.http.schema_parts import (
    COUNT,
    ID,
    MAYBE_TIME,
    TIME,
    Schema,
    list_of,
    nullable,
    obj,
    ref,
    text,
    whole,
)
from node.moments import MOMENT_CORE
from node.points import purchase_lines
from node.points.api import MEMBER_CHARS, STORE_ID_CHARS
from node.points.model import (
    MAX_POINTS,
    MAX_PURCHASE_YEN,
    MAX_REASON_CHARS,
    MAX_TXN_CHARS,
    EntryKind,
    ExpiryKind,
    Rounding,
)
from node.points.program_actions import MAX_CAMPAIGN_NAME

TXN: Schema = {
    "type": "string",
    "pattern": f"^[A-Za-z0-9._:/-]{{1,{MAX_TXN_CHARS}}}$",
    "description": (
        "the caller's transaction id (idempotency key): letters, digits, - _ . : /;"
        " never starting with return:, redeem:, wallet: or staff: (the node's own ids)"
    ),
}
MOMENT: Schema = {
    "type": "string",
    "pattern": f"^{MOMENT_CORE}$",
    "description": "ISO 8601 with its offset, e.g. 2027-02-01T00:00:00+09:00; not in the past",
}
POINTS = whole(1, MAX_POINTS)
BALANCE = {**COUNT, "description": "the member's live points after this"}
REPLAYED = {"type": "boolean", "description": "true: the stored answer to an earlier request"}
MAYBE_TEXT = {"type": ["string", "null"]}


def _request_schemas() -> dict[str, Schema]:
    line = obj(
        ["sku", "name", "quantity", "amount_yen"],
        sku=text(purchase_lines.MAX_SKU_CHARS),
        name=text(purchase_lines.MAX_NAME_CHARS),
        quantity=whole(1, purchase_lines.MAX_QUANTITY),
        amount_yen=whole(0, purchase_lines.MAX_LINE_YEN),
    )
    member = text(MEMBER_CHARS, "card code, member number, printed card number or voucher QR")
    return {
        "EarnPoints": obj(
            ["member", "purchase_yen", "txn"],
            member=member,
            purchase_yen=whole(0, MAX_PURCHASE_YEN),
            txn=TXN,
            store_id=nullable(text(STORE_ID_CHARS)),
            lines=nullable(
                {
                    "type": "array",
                    "items": line,
                    "maxItems": purchase_lines.MAX_LINES,
                    "description": "kept for analysis; never used to count points",
                }
            ),
        ),
        "UsePoints": obj(
            ["member", "points", "txn"],
            member=text(
                MEMBER_CHARS,
                "the card's rotating QR payload (KIPPUM1:…); the 16 typed digits spend at the counter only",
            ),
            points=POINTS,
            txn=TXN,
            store_id=nullable(text(STORE_ID_CHARS)),
        ),
        "ReturnPoints": obj(["txn"], txn=TXN),
        "AdjustPoints": obj(
            ["points", "reason"],
            points={
                "type": "integer",
                "minimum": -MAX_POINTS,
                "maximum": MAX_POINTS,
                "description": "not 0: a credit (+) or a debit (-)",
            },
            reason=text(MAX_REASON_CHARS),
            txn=TXN,
        ),
        "SetProgram": obj(
            [],
            earn_points=nullable(whole(0, 1000)),
            earn_per_yen=nullable(whole(1, 100_000)),
            rounding=nullable({"type": "string", "enum": [str(r) for r in Rounding]}),
            expiry=nullable({"type": "string", "enum": [str(e) for e in ExpiryKind]}),
            expiry_days=nullable({**whole(1, 3660), "description": "with expiry `days` only"}),
            point_value_yen=nullable(whole(1, 100)),
            min_use_points=nullable(whole(1, 1_000_000)),
            effective_from=nullable(MOMENT),
        ),
        "SetStoreRate": obj(
            ["store_id", "earn_points", "earn_per_yen"],
            store_id=text(STORE_ID_CHARS),
            earn_points=whole(0, 1000),
            earn_per_yen=whole(1, 100_000),
            effective_from=nullable(MOMENT),
        ),
        "NewCampaign": obj(
            ["name", "multiplier_pct", "ends_at"],
            name=text(MAX_CAMPAIGN_NAME),
            multiplier_pct={**whole(101, 2000), "description": "200: double points"},
            starts_at=nullable(MOMENT),
            ends_at=MOMENT,
            store_id=nullable({**text(STORE_ID_CHARS), "description": "null: every store"}),
        ),
    }


def _answer_schemas() -> dict[str, Schema]:
    program = obj(
        [
            "version_id",
            "effective_from",
            "earn_points",
            "earn_per_yen",
            "rounding",
            "expiry",
            "expiry_days",
            "point_value_yen",
            "min_use_points",
            "set_by",
        ],
        version_id={"type": "string"},
        effective_from=TIME,
        earn_points=COUNT,
        earn_per_yen=COUNT,
        rounding={"type": "string", "enum": [str(r) for r in Rounding]},
        expiry={"type": "string", "enum": [str(e) for e in ExpiryKind]},
        expiry_days={"type": ["integer", "null"]},
        point_value_yen=COUNT,
        min_use_points=COUNT,
        set_by={"type": "string"},
    )
    lot = obj(
        ["lot_id", "earned_at", "expires_at", "points", "remaining"],
        lot_id=ID,
        earned_at=TIME,
        expires_at={**MAYBE_TIME, "description": "null: never"},
        points=COUNT,
        remaining=COUNT,
    )
    entry = obj(
        ["entry_id", "kind", "created_at", "points", "actor", "reason"],
        entry_id=ID,
        kind={"type": "string", "enum": [str(k) for k in EntryKind]},
        created_at=TIME,
        points={"type": "integer", "description": "to the member: + credited, - debited"},
        actor={"type": "string", "description": "admin, key:<key id>, staff:…, system"},
        reason=MAYBE_TEXT,
    )
    return {
        "PointsEarned": obj(
            [
                "txn",
                "member_no",
                "purchase_yen",
                "points",
                "expires_at",
                "campaign_pct",
                "rank_pct",
                "balance",
                "replayed",
            ],
            txn={"type": "string"},
            member_no={"type": "string"},
            purchase_yen=COUNT,
            points=COUNT,
            expires_at={**MAYBE_TIME, "description": "of this purchase's points; null: never"},
            campaign_pct=COUNT,
            rank_pct=COUNT,
            balance=BALANCE,
            replayed=REPLAYED,
        ),
        "PointsUsed": obj(
            ["txn", "member_no", "points", "value_yen", "store_id", "balance", "replayed"],
            txn={"type": "string"},
            member_no={"type": "string"},
            points=COUNT,
            value_yen={**COUNT, "description": "the discount the points are worth"},
            store_id=MAYBE_TEXT,
            balance=BALANCE,
            replayed=REPLAYED,
        ),
        "PointsReturned": {
            "oneOf": [
                obj(
                    ["txn", "kind", "points_taken_back", "shortfall", "balance", "replayed"],
                    txn={"type": "string"},
                    kind={"const": "purchase"},
                    points_taken_back=COUNT,
                    shortfall={**COUNT, "description": "already spent: recorded, not taken"},
                    balance=BALANCE,
                    replayed=REPLAYED,
                ),
                obj(
                    ["txn", "kind", "points_given_back", "points_lapsed", "balance", "replayed"],
                    txn={"type": "string"},
                    kind={"const": "use"},
                    points_given_back=COUNT,
                    points_lapsed={**COUNT, "description": "their lot expired meanwhile"},
                    balance=BALANCE,
                    replayed=REPLAYED,
                ),
            ]
        },
        "PointsAdjusted": obj(
            ["entry_id", "member_no", "points", "reason", "balance", "replayed"],
            entry_id=ID,
            member_no={"type": "string"},
            points={"type": "integer"},
            reason={"type": "string"},
            balance=BALANCE,
            replayed={"type": "boolean"},
        ),
        "Member": obj(
            [
                "customer_id",
                "member_no",
                "card_no",
                "points",
                "rank",
                "notify_expiry",
                "member_since",
            ],
            customer_id=ID,
            member_no={"type": "string", "pattern": "^[0-9]{10}$"},
            card_no={"type": "string", "pattern": "^[0-9]{13}$"},
            points=COUNT,
            rank=MAYBE_TEXT,
            notify_expiry={"type": "boolean"},
            member_since=TIME,
        ),
        "MemberPoints": obj(
            ["member_no", "balance", "lots"],
            member_no={"type": "string"},
            balance=COUNT,
            lots={"type": "array", "items": lot},
        ),
        "MemberHistory": obj(
            ["member_no", "entries"],
            member_no={"type": "string"},
            entries={"type": "array", "items": entry},
        ),
        "MemberCard": obj(
            ["member_no", "card_no", "payload", "manual_code", "valid_until", "refresh_after_s"],
            member_no={"type": "string"},
            card_no={"type": "string"},
            payload={"type": "string", "description": "the QR code's text, KIPPUM1:…"},
            manual_code={
                "type": "string",
                "description": (
                    "the typed form: 16 digits (keyed in at the counter;"
                    " the API spends only the QR payload)"
                ),
            },
            valid_until=TIME,
            refresh_after_s=COUNT,
        ),
        "ProgramVersion": program,
        "Program": obj(
            ["in_force", "scheduled", "is_default"],
            in_force=ref("ProgramVersion"),
            scheduled={"type": "array", "items": ref("ProgramVersion")},
            is_default={"type": "boolean", "description": "no program set yet: the built-in"},
        ),
        "StoreRate": obj(
            ["store_id", "effective_from", "earn_points", "earn_per_yen", "set_by"],
            store_id=ID,
            effective_from=TIME,
            earn_points=COUNT,
            earn_per_yen=COUNT,
            set_by={"type": "string"},
        ),
        "StoreRateList": list_of("store_rates", "StoreRate"),
        "Campaign": obj(
            [
                "campaign_id",
                "name",
                "store_id",
                "multiplier_pct",
                "starts_at",
                "ends_at",
                "cancelled_at",
                "running",
                "set_by",
            ],
            campaign_id=ID,
            name={"type": "string"},
            store_id=MAYBE_TEXT,
            multiplier_pct=COUNT,
            starts_at=TIME,
            ends_at=TIME,
            cancelled_at=MAYBE_TIME,
            running={"type": "boolean"},
            set_by={"type": "string"},
        ),
        "CampaignList": list_of("campaigns", "Campaign"),
    }


def points_schemas() -> dict[str, Schema]:
    return {**_request_schemas(), **_answer_schemas()}
