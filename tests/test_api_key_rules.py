"""Integration keys' pure rules: the key's shape, its hash, and what each scope may call."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from node.api.openapi import openapi_document
from node.web.api_key_model import (
    READ_ROUTES,
    WRITE_ROUTES,
    Scope,
    allows,
    make_key,
    scope_needed,
    secret_matches,
    split_key,
)

NOW = datetime(2026, 12, 1, tzinfo=UTC)
ADMIN_ONLY = ("/api/v1/apikeys", "/api/v1/staff", "/api/v1/admin", "/api/v1/peers", "/api/v1/key")


@given(st.binary(min_size=32, max_size=32))
def test_a_key_splits_back_and_only_its_hash_is_kept(secret: bytes) -> None:
    new = make_key("ak_abcdefghijklm", secret, "POS", Scope.WRITE, NOW)
    assert split_key(new.key) == ("ak_abcdefghijklm", secret.hex())
    assert new.record.secret_hash == hashlib.sha256(secret.hex().encode()).digest()
    assert secret.hex().encode() not in repr(new.record).encode()
    assert secret_matches(new.record, secret.hex())
    other = bytes(b ^ 1 for b in secret).hex()
    assert not secret_matches(new.record, other)


def test_what_is_no_key_is_refused_by_its_shape() -> None:
    good = make_key("ak_abcdefghijklm", bytes(32), "POS", Scope.READ, NOW).key
    for bad in ("", good[:-1], good + "0", good.upper(), good.replace("ak_", "xx_"), "kippu_"):
        assert split_key(bad) is None, bad


def test_read_reads_write_writes_and_neither_reaches_head_offices_routes() -> None:
    assert all(method == "GET" for method, _ in READ_ROUTES)
    assert not READ_ROUTES & WRITE_ROUTES
    for method, route in READ_ROUTES:
        needed = scope_needed(method, route)
        assert needed is Scope.READ and allows(Scope.READ, needed) and allows(Scope.WRITE, needed)
    for method, route in WRITE_ROUTES:
        needed = scope_needed(method, route)
        assert needed is Scope.WRITE and not allows(Scope.READ, needed)
    for _, route in READ_ROUTES | WRITE_ROUTES:
        assert not route.startswith(ADMIN_ONLY) and "settlement" not in route
    assert scope_needed("POST", "/api/v1/stores") is None
    assert scope_needed("POST", "/api/v1/vouchers/expire") is None


def test_no_key_may_act_as_a_customer() -> None:
    """A fresh code, a gift and the customer list are the customer's (or head office's): a POS
    submits the payload it scanned, so a stolen POS key can spend or move nobody's value."""
    for method, route in (
        ("GET", "/api/v1/vouchers/{voucher_id}/code"),
        ("POST", "/api/v1/vouchers/{voucher_id}/gift"),
        ("POST", "/api/v1/vouchers/{voucher_id}/gift-return"),
        ("GET", "/api/v1/customers"),
    ):
        assert scope_needed(method, route) is None, route


def test_the_document_marks_exactly_the_routes_a_key_may_call() -> None:
    paths = openapi_document("http://127.0.0.1:8470")["paths"]
    marked = {
        (method.upper(), route, scheme["integrationKey"][0])
        for route, operations in paths.items()
        for method, operation in operations.items()
        for scheme in operation.get("security", [])
        if "integrationKey" in scheme
    }
    expected = {(m, r, "read") for m, r in READ_ROUTES} | {(m, r, "write") for m, r in WRITE_ROUTES}
    assert marked == expected
