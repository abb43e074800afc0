"""Integration keys for POS and EC systems: make, list, revoke, and admit a request that sends one.

Shared by the JSON API (node/web/api_keys_api.py), the console (node/web/admin/keys.py) and the
admin API's guard (node/app.py). The key's shape, hash and scopes are in api_key_model.py.
"""

from __future__ import annotations

import dataclasses
import logging
import sqlite3
from collections.abc import Callable
from datetime import datetime, timedelta

from node.clock import new_id
from node.errors import (
    ApiKeyNameTaken,
    ApiKeyNotAllowed,
    ApiKeyNotFound,
    ApiKeyReadOnly,
    ApiKeyRevoked,
    ApiKeyUnknown,
    StorageError,
    ValidationError,
)
from node.runtime import Node
from node.text import require_printable
from node.web import api_key_tables
from node.web.api_key_model import (
    MAX_NAME_CHARS,
    SECRET_BYTES,
    ApiKey,
    NewKey,
    Scope,
    allows,
    make_key,
    scope_needed,
    secret_matches,
    split_key,
)

log = logging.getLogger(__name__)

# last_used_at is kept to the minute: a POS calling many times a second writes it once a minute.
USE_RECORDED_EVERY = timedelta(minutes=1)


def check_name(raw: str) -> str:
    name = raw.strip()
    if not name or len(name) > MAX_NAME_CHARS:
        raise ValidationError(f"`name` must be 1-{MAX_NAME_CHARS} characters.", field="name")
    return require_printable(name, "name")


def check_scope(raw: str) -> Scope:
    try:
        return Scope(raw)
    except ValueError:
        raise ValidationError("`scope` must be read or write.", field="scope") from None


def _insert(new: NewKey) -> Callable[[sqlite3.Connection], NewKey]:
    def work(conn: sqlite3.Connection) -> NewKey:
        if api_key_tables.live_name_exists(conn, new.record.name):
            raise ApiKeyNameTaken(name=new.record.name)
        api_key_tables.insert_key(conn, new.record)
        return new

    return work


async def create(node: Node, name: str, scope: Scope) -> NewKey:
    """A new key named `name`: its record is stored, the key itself is returned once."""
    new = make_key(
        new_id(node.rng, "ak"), node.rng.token_bytes(SECRET_BYTES), name, scope, node.clock.now()
    )
    return await node.require_writer().submit(_insert(new))


def _revoke(name: str, now: datetime) -> Callable[[sqlite3.Connection], ApiKey]:
    def work(conn: sqlite3.Connection) -> ApiKey:
        revoked = api_key_tables.revoke_live(conn, name, now)
        if revoked is None:
            raise ApiKeyNotFound(name=name)
        return dataclasses.replace(revoked, revoked_at=now)

    return work


def _revoke_id(key_id: str, now: datetime) -> Callable[[sqlite3.Connection], ApiKey]:
    def work(conn: sqlite3.Connection) -> ApiKey:
        revoked = api_key_tables.revoke_live_id(conn, key_id, now)
        if revoked is None:
            raise ApiKeyNotFound(key_id=key_id)
        return dataclasses.replace(revoked, revoked_at=now)

    return work


async def revoke(node: Node, name: str) -> ApiKey:
    """Revoke the key in use named `name`: refused from the next request on."""
    return await node.require_writer().submit(_revoke(name, node.clock.now()))


async def revoke_by_id(node: Node, key_id: str) -> ApiKey:
    """Revoke the key `key_id` (the console's row), checked in the same transaction: never
    another key that has since taken its name."""
    return await node.require_writer().submit(_revoke_id(key_id, node.clock.now()))


async def listing(node: Node) -> list[ApiKey]:
    return await api_key_tables.list_keys(node.require_reader())


async def admit(node: Node, presented: str, method: str, route: str | None) -> ApiKey:
    """Let a request made with the integration key `presented` through (its key, whose id the
    guard records as the caller), or raise why not.

    `route` is the matched route's pattern (None: no route, the 404 or 405 to come)."""
    parts = split_key(presented)
    stored = (
        None if parts is None else await api_key_tables.load_key(node.require_reader(), parts[0])
    )
    if parts is None or stored is None or not secret_matches(stored, parts[1]):
        raise ApiKeyUnknown()
    if stored.is_revoked:
        raise ApiKeyRevoked()
    if route is not None:
        needed = scope_needed("GET" if method == "HEAD" else method, route)
        if needed is None:
            raise ApiKeyNotAllowed()
        if not allows(stored.scope, needed):
            raise ApiKeyReadOnly()
    now = node.clock.now()
    if stored.last_used_at is None or now - stored.last_used_at >= USE_RECORDED_EVERY:
        try:
            await node.require_writer().submit(
                lambda conn: api_key_tables.mark_used(conn, stored.key_id, now)
            )
        except StorageError as exc:  # a read still answers; its route reports a failed write
            log.warning("could not record the use of key %s: %s", stored.key_id, exc.code)
    return stored
