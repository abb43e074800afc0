"""Who is signed in: accounts, roles and sessions as frozen values."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    STAFF = "staff"
    CUSTOMER = "customer"


ADMIN_LOGIN = "admin"  # the one admin account; `kippu admin passwd` sets its password


@dataclass(frozen=True)
class Account:
    account_id: str
    role: Role
    login: str
    display_name: str
    customer_id: str | None
    stores: tuple[str, ...]  # staff: where they may work


@dataclass(frozen=True)
class Session:
    token_hash: bytes
    account: Account
    csrf: str
    store_id: str | None  # staff: the store chosen for this session
    expires_at: int
