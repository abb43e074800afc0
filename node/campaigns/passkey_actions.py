"""One per device: a device-bound passkey (WebAuthn) as proof of eligibility, as the wallet uses
it (takes `Node`). The registration asks for a platform authenticator (the phone's own, not a
security key passed around), a resident key and user verification where the device has it; the
proof's subject is the new credential's id, so one device's passkey proves it for one resident.

The challenge is the node's, stored for five minutes and taken once; the response is checked by
the `webauthn` library against it, the node's origin (node.public_url) and its host as the RP id.

What "one per device" can honestly promise: WebAuthn gives the node no device identifier (by
design), only credentials. A device is recognised by the credentials it already holds: the
options list the campaign's latest MAX_EXCLUDED passkeys as excludeCredentials, and a device
holding one of them refuses to register again (the browser's InvalidStateError, shown as
eligibility.subject_taken). A device whose passkey is older than that list, or whose owner
deleted it, can register again as a new credential; a synced passkey on a second device of the
same account is the same credential, so the same subject."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from webauthn import (
    generate_registration_options,
    options_to_json,
    verify_registration_response,
)
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorAttachment,
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from node.campaigns import eligibility_queries, login_operations
from node.campaigns.line_login import b64url, b64url_bytes
from node.campaigns.login_tables import PasskeyChallenge
from node.campaigns.model import Method
from node.campaigns.verification_model import proof_answer
from node.errors import PasskeyFailed
from node.runtime import Node

CHALLENGE_LIFETIME = timedelta(minutes=5)
CHALLENGE_BYTES = 32
MAX_SUBJECT_CHARS = 190  # the proofs' subject holds 200 at most
MAX_EXCLUDED = 500  # credential ids in the options: ~40 kB of JSON at most
TIMEOUT_MS = 120_000
MAX_RESPONSE_CHARS = 64_000


def credential_subject(credential_id: bytes) -> str:
    """The credential id in base64url, as the options' excludeCredentials need it back; an id too
    long for a subject (a security key may make ids of up to 1023 bytes) by its SHA-256 instead
    (such a device is then not recognised by the options, only by its subject)."""
    text = b64url(credential_id)
    if len(text) <= MAX_SUBJECT_CHARS:
        return text
    return "sha256:" + hashlib.sha256(credential_id).hexdigest()


def _relying_party(node: Node) -> tuple[str, str]:
    """(RP id, origin): the host of the node's public address, and that address."""
    origin = node.config.node.public_url
    return urlsplit(origin).hostname or "", origin


async def options(node: Node, campaign_id: str, customer_id: str) -> dict[str, Any]:
    """The PublicKeyCredentialCreationOptions for navigator.credentials.create, as JSON."""
    rp_id, _ = _relying_party(node)
    challenge = node.rng.token_bytes(CHALLENGE_BYTES)
    held = await eligibility_queries.recent_subjects(
        node.require_reader(), campaign_id, Method.PASSKEY.value, MAX_EXCLUDED
    )
    created = generate_registration_options(
        rp_id=rp_id,
        rp_name=node.config.node.name,
        user_id=f"{campaign_id}:{customer_id}".encode(),
        exclude_credentials=[
            PublicKeyCredentialDescriptor(id=b64url_bytes(s)) for s in held if ":" not in s
        ],
        user_name=customer_id,
        challenge=challenge,
        timeout=TIMEOUT_MS,
        authenticator_selection=AuthenticatorSelectionCriteria(
            authenticator_attachment=AuthenticatorAttachment.PLATFORM,
            resident_key=ResidentKeyRequirement.REQUIRED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
    )
    now = node.clock.now()
    pending = PasskeyChallenge(campaign_id, customer_id, challenge, now + CHALLENGE_LIFETIME)
    await node.require_writer().submit(login_operations.start_passkey(pending, now))
    answer: dict[str, Any] = json.loads(options_to_json(created))
    return answer


async def register(
    node: Node, campaign_id: str, customer_id: str, response_text: str
) -> dict[str, Any]:
    """Check the browser's registration response against the challenge (taken once) and record
    the credential id; PasskeyFailed for anything that does not verify."""
    if len(response_text) > MAX_RESPONSE_CHARS:
        raise PasskeyFailed()
    pending = await node.require_writer().submit(
        login_operations.take_passkey(campaign_id, customer_id)
    )
    now = node.clock.now()
    if pending is None or now >= pending.expires_at:
        raise PasskeyFailed()
    rp_id, origin = _relying_party(node)
    try:
        verified = verify_registration_response(
            credential=response_text,
            expected_challenge=pending.challenge,
            expected_rp_id=rp_id,
            expected_origin=origin,
        )
    except (WebAuthnException, ValueError, KeyError, TypeError) as exc:
        raise PasskeyFailed() from exc
    subject = credential_subject(verified.credential_id)
    proof = await node.require_writer().submit(
        login_operations.record(campaign_id, customer_id, Method.PASSKEY, subject, now)
    )
    return proof_answer(proof)
