"""Component schemas of the admin API's OpenAPI document: the ledger's and the partners' requests
and answers (settlement and audit: node/settlement/openapi.py; accounts: node/web/api.py)."""

from __future__ import annotations

from node.http.schema_parts import (
    COUNT,
    ERROR_SCHEMA,
    ID,
    MAYBE_TIME,
    SIGNED_YEN,
    TIME,
    YEN0,
    Schema,
    email,
    nullable,
    obj,
    ref,
    text,
    text_matching,
    whole,
    yen,
)
from node.ledger.core import MAX_VALID_DAYS
from node.ledger.model import PaymentMethod
from node.peering.actions import MAX_INVITE_HOURS
from node.peering.core import MAX_INVITE_CHARS
from node.peering.operations import PARTNER_URL

# 52 base32 characters of a 32-byte key: the last one carries 1 bit and 4 zero bits (A or Q).
NODE_ID_CORE = "[A-Za-z2-7]{51}[AQaq]"
VOUCHER_STATUSES = ["active", "exhausted", "expired", "void"]
# The rest of a sale paid another way beside the voucher's part (全額利用と差額); null if none.
REST_PAID = {
    **nullable(
        obj(
            ["amount", "method"],
            amount=yen(),
            method={"type": "string", "enum": [m.value for m in PaymentMethod]},
        )
    ),
    "description": "the rest of the sale paid another way (cash, card terminal, other): a record"
    " beside the voucher's part (`amount`), never in the ledger; null when there is none",
}


def url() -> Schema:
    # The group's name is Python's spelling; ECMA-262 has another, and the document needs none.
    core = PARTNER_URL.replace("?P<ipv6>", "")
    return text_matching(core, description="http(s)://host[:port][/path], ASCII")


def response_schemas() -> dict[str, Schema]:
    return {
        "Error": ERROR_SCHEMA,
        "Store": obj(["store_id", "name", "created_at"], store_id=ID, name=ID, created_at=TIME),
        "Customer": obj(
            ["customer_id", "name", "email"],
            customer_id=ID,
            name=ID,
            email={"type": ["string", "null"]},
            created_at=MAYBE_TIME,
        ),
        "HistoryLine": obj(
            ["txn_id", "kind", "at", "amount"], txn_id=ID, kind=ID, at=TIME, amount=SIGNED_YEN
        ),
        "Voucher": obj(
            [
                "voucher_id",
                "face",
                "price",
                "balance",
                "status",
                "holder",
                "store_id",
                "created_at",
                "expires_at",
                "gifted",
                "gifted_from",
                "has_given_gift",
                "can_gift",
                "suspended_at",
            ],
            voucher_id={"type": "string", "pattern": "^[0-9]{12}$"},
            face=YEN0,
            price=YEN0,
            balance=YEN0,
            status={"enum": VOUCHER_STATUSES},
            holder={"type": ["string", "null"]},
            store_id={"type": ["string", "null"]},
            created_at=TIME,
            expires_at=MAYBE_TIME,
            gifted={"type": "boolean", "description": "received as a gift (can never be gifted)"},
            gifted_from={"type": ["string", "null"]},
            has_given_gift={"type": "boolean"},
            can_gift={"type": "boolean"},
            suspended_at={**MAYBE_TIME, "description": "利用停止中 since (null: usable)"},
            history={"type": "array", "items": ref("HistoryLine")},
            source=ref("Voucher"),
        ),
        "VoucherCode": obj(
            ["voucher_id", "payload", "manual_code", "valid_until", "refresh_after_s"],
            voucher_id=ID,
            payload={"type": "string", "description": "what the customer's QR code encodes"},
            manual_code={"type": "string", "pattern": "^[0-9]{18}$"},
            valid_until=TIME,
            refresh_after_s={"type": "integer", "minimum": 1},
        ),
        "Redemption": obj(
            [
                "redemption_id",
                "voucher_id",
                "store_id",
                "amount",
                "receipt_no",
                "created_at",
                "voided",
                "voided_at",
                "rest",
            ],
            redemption_id=ID,
            voucher_id=ID,
            store_id=ID,
            amount=yen(),
            receipt_no=ID,
            created_at=TIME,
            voided={"type": "boolean"},
            voided_at=MAYBE_TIME,
            rest=REST_PAID,
            balance_after=YEN0,
            retried={
                "type": "boolean",
                "description": "POST only: true when the code had already made this redemption",
            },
        ),
        "Sale": obj(
            [
                "voucher_id",
                "store_id",
                "face",
                "price",
                "payment_method",
                "sold_by",
                "sold_at",
                "cancelled",
                "cancelled_at",
                "cancelled_by",
                "voucher",
            ],
            voucher_id={"type": "string", "pattern": "^[0-9]{12}$"},
            store_id=ID,
            face=YEN0,
            price=YEN0,
            payment_method={"enum": ["cash", "card", "other"]},
            sold_by=ID,
            sold_at=TIME,
            cancelled={"type": "boolean"},
            cancelled_at=MAYBE_TIME,
            cancelled_by={"type": ["string", "null"]},
            voucher=ref("Voucher"),
        ),
        "Peer": obj(
            [
                "node_id",
                "name",
                "url",
                "status",
                "fingerprint",
                "they_registered",
                "max_receivable",
                "queued_messages",
                "last_error",
                "parked",
                "updated_at",
            ],
            node_id=ID,
            name=ID,
            url=ID,
            status={"enum": ["pending", "active", "suspended", "removed"]},
            fingerprint=ID,
            they_registered={"type": "boolean"},
            max_receivable={"type": ["integer", "null"]},
            queued_messages=COUNT,
            last_error={"type": ["string", "null"]},
            parked={"type": "array", "items": ref("ParkedMessage")},
            delivery={"enum": ["delivered", "queued"], "description": "only in join's answer"},
            note={"type": "string", "description": "only in join's answer, when queued"},
            updated_at=TIME,
        ),
        "Status": obj(
            [
                "name",
                "node_id",
                "fingerprint",
                "key_fingerprint",
                "currency",
                "public_url",
                "time",
                "compliance_warnings",
            ],
            name=ID,
            node_id=ID,
            fingerprint=ID,
            key_fingerprint=ID,
            currency=ID,
            public_url=ID,
            time=TIME,
            compliance_warnings={"type": "array", "items": {"type": "string"}},
        ),
        "ExpirySweep": obj(["expired", "breakage"], expired=COUNT, breakage=YEN0),
        "LedgerCheck": obj(
            [
                "ok",
                "entries",
                "postings_sum",
                "unbalanced_entries",
                "voucher_liability",
                "voucher_balances",
                "negative_balances",
            ],
            ok={"type": "boolean"},
            entries=COUNT,
            postings_sum=SIGNED_YEN,
            unbalanced_entries=COUNT,
            voucher_liability=SIGNED_YEN,
            voucher_balances=SIGNED_YEN,
            negative_balances=COUNT,
        ),
        "Imported": obj(
            ["imported"],
            imported={
                "type": "array",
                "items": obj(
                    ["node_id", "result"],
                    node_id=ID,
                    result={"enum": ["added", "already registered"]},
                ),
            },
        ),
        "Invitation": obj(["invite", "expires_at"], invite=ID, expires_at=TIME),
        "Delivered": obj(["delivered"], delivered=COUNT),
        "Rotated": obj(
            ["node_id", "fingerprint", "key_position", "key_fingerprint"],
            node_id=ID,
            fingerprint=ID,
            key_position=COUNT,
            key_fingerprint=ID,
        ),
        "Document": {
            "type": "object",
            "required": ["openapi", "info", "paths"],
            "properties": {"openapi": {"const": "3.1.0"}},
        },
    }


def request_schemas(max_voucher_yen: int) -> dict[str, Schema]:
    peer_fields = {
        "node_id": text_matching(NODE_ID_CORE, description="the partner's node id"),
        "url": url(),
        "name": nullable(text()),
        "max_receivable": nullable(yen(0)),
    }
    return {
        "Nothing": obj([]),
        "NewStore": obj(["name"], name=text()),
        "NewCustomer": obj(["name"], name=text(), email=nullable(email())),
        "IssueVoucher": obj(
            ["amount"],
            amount=yen(1, max_voucher_yen),
            price={**nullable(yen(0)), "description": "paid (at most amount); below = premium"},
            customer_id=nullable(text()),
            store_id=nullable(text()),
            valid_days=nullable(whole(1, MAX_VALID_DAYS)),
        ),
        "Redeem": obj(
            ["payload", "amount", "store_id"],
            payload=text(),
            amount=yen(),
            store_id=text(),
            rest=REST_PAID,
        ),
        "Gift": obj(["to"], to=text(), amount=nullable(yen())),
        "NewPeer": obj(["node_id", "url"], **peer_fields),
        "ImportPeers": obj(
            ["peers"], peers={"type": "array", "items": obj(["node_id", "url"], **peer_fields)}
        ),
        "Invite": obj([], valid_hours=nullable(whole(1, MAX_INVITE_HOURS))),
        "Join": obj(["invite"], invite=text(MAX_INVITE_CHARS)),
    }
