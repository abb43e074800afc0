"""Idempotency keys on the office's grant: what makes a retried grant answer the first grant.

A caller (the CLI, a script, an integration, the console's grant form) sends an
`Idempotency-Key` with a grant. The key is stored in the writer unit that makes the grant, with
the SHA-256 of what was asked (the points POS API's `request_hash`: the operation and the
request's canonical JSON) and who asked. The same key, caller and request then answer that grant
again, whatever happened since (the stock gone, the person's limit reached, the campaign closed);
the same key with anything else is refused (campaign.idempotency_conflict). A refusal stores
nothing, so the caller may fix the cause and retry with the same key. Keys are one namespace for
every caller, as the points API's transaction ids are: another caller's key is refused, never
answered with that caller's grant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from node.campaigns.model import Grant
from node.errors import GrantKeyConflict, InvalidCampaign
from node.points.operations import request_hash
from node.text import is_caller_key

MAX_KEY_CHARS = 64
KEY = re.compile(rf"[A-Za-z0-9._:/-]{{1,{MAX_KEY_CHARS}}}")
HEADER = "Idempotency-Key"
FIELD = "idempotency_key"
OPERATION = "campaign_grant"


@dataclass(frozen=True)
class GrantKey:
    """A grant's idempotency key as the writer checks it: the key, who sent it, and the hash
    of the grant asked for."""

    key: str
    caller: str
    digest: bytes


def require_key(text: str) -> str:
    """The key as sent, when it is 1-64 letters, digits and - _ . : /"""
    if not is_caller_key(text, MAX_KEY_CHARS):
        raise InvalidCampaign(
            f"The {HEADER} must be 1-{MAX_KEY_CHARS} characters: letters, digits and - _ . : /",
            field=FIELD,
        )
    return text


def grant_key(key: str, caller: str, campaign_id: str, customer_id: str) -> GrantKey:
    asked = {"campaign_id": campaign_id, "customer_id": customer_id}
    return GrantKey(require_key(key), caller, request_hash(OPERATION, asked))


@dataclass(frozen=True)
class StoredKey:
    """A key as stored beside the grant it made."""

    key: GrantKey
    grant: Grant


def replayed(stored: StoredKey | None, sent: GrantKey) -> Grant | None:
    """The grant a key made when it is sent again with the same request; None for a new key."""
    if stored is None:
        return None
    if stored.key != sent:
        raise GrantKeyConflict()
    return stored.grant
