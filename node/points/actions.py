"""What a POS, an EC site, head office, the counter and the wallet do with points, shared by the
JSON API, the CLI (through the API), the console, the counter and the wallet. Each takes `Node`
and returns the JSON answer every surface shows (the API's body; pages read the same keys).

Identifying the member: `presented` is what was scanned or typed: the card's rotating code (QR or
its 16-digit typed form: earns and spends), the 10-digit member number or the printed 13-digit
card number (earn only: card.py), or a voucher's QR code of ours (earn only: its holder). Every
change runs in one writer unit: the member is resolved, the card code claimed, the points moved,
the request recorded for its transaction id, and the balance after read, all in one transaction.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from node.clock import iso, ordered_id
from node.errors import (
    CardCannotSpend,
    InvalidMemberCode,
    InvalidPayload,
    MemberCodeUsed,
    MemberNotFound,
    PurchaseNotFound,
    StoreNotFound,
)
from node.ledger import qr
from node.ledger import tables as ledger_tables
from node.points import card, operations, queries, rank_queries, return_operations, tables
from node.points.card import MemberRef, Presented
from node.points.core import (
    require_caller_txn,
    require_points,
    require_purchase_yen,
    require_reason,
    require_signed_points,
    require_txn,
)
from node.points.model import MAX_TXN_CHARS, Lot, Member, PurchaseLine
from node.points.purchase_lines import parse_lines
from node.runtime import Node

_NONCE_BYTES = 5


@dataclass(frozen=True)
class Caller:
    """Who asked: an integration key (`key:<id>`), head office (`admin`), a page's account
    (`staff:<login>`, `customer:<id>`). Recorded beside each request and entry."""

    name: str


ADMIN = Caller("admin")


def _lots_answer(lots: list[Lot] | tuple[Lot, ...]) -> list[dict[str, Any]]:
    return [
        {
            "lot_id": lot.lot_id,
            "earned_at": iso(lot.earned_at),
            "expires_at": iso(lot.expires_at),
            "points": lot.points,
            "remaining": lot.remaining,
        }
        for lot in lots
    ]


# -- who is the member -----------------------------------------------------------------------


TYPED_CODE_REFUSED = (
    "Over the API, points are spent only with the card's QR code (KIPPUM1:…): scan the QR code in"
    " the member's wallet. The 16 typed digits are for the counter."
)


def _member_from_voucher(conn: sqlite3.Connection, node: Node, text: str, now: datetime) -> Member:
    """The holder of the voucher whose fresh QR code this is (identification only: the voucher's
    code is not used up, so the customer can still pay with it)."""
    try:
        code = qr.parse_code(text)
    except InvalidPayload:
        raise InvalidMemberCode() from None
    if code.issuer_id is not None and code.issuer_id != node.identity.node_id:
        raise InvalidMemberCode()
    voucher = ledger_tables.load_voucher(conn, code.voucher_id)
    if voucher is None or voucher.holder_id is None:
        raise MemberNotFound()
    qr.verify_code(code, voucher.secret, now, node.settings.step_seconds)
    return operations.ensure_member(conn, voucher.holder_id, now, node.rng)


def resolve(
    conn: sqlite3.Connection,
    node: Node,
    presented: str,
    now: datetime,
    to_spend: bool,
    typed_code: bool = True,
) -> Member:
    """The member `presented` names, inside the writer. To spend, only a fresh card code will
    do, and it is used up; to earn, any identifier. With `typed_code` False only the QR payload
    spends: the 6 typed digits can be guessed where nothing throttles wrong codes (the API)."""
    if presented.strip().upper().startswith(qr.PAYLOAD_PREFIX + ":"):
        if to_spend:
            raise CardCannotSpend()
        return _member_from_voucher(conn, node, presented, now)
    ref = card.parse(presented)
    member = _member_of_ref(conn, ref)
    if to_spend:
        if not ref.can_spend:
            raise CardCannotSpend()
        if ref.step is None and not typed_code:
            raise CardCannotSpend(TYPED_CODE_REFUSED)
        step = card.verify(ref, member.card_secret, now, node.settings.step_seconds)
        if not tables.claim_card_code(conn, member.customer_id, step, ref.nonce, now):
            raise MemberCodeUsed()
    return member


def _member_of_ref(conn: sqlite3.Connection, ref: MemberRef) -> Member:
    if ref.presented is Presented.CARD_NUMBER:
        found = tables.member_by_card(conn, ref.number)
    else:
        found = tables.member_by_number(conn, ref.number)
    if found is None:
        raise MemberNotFound(member_no=ref.number)
    return found


# -- members ---------------------------------------------------------------------------------


async def member_of(node: Node, customer_id: str) -> Member:
    """The customer's membership, made on first need (every customer is a member)."""
    now = node.clock.now()
    return await node.require_writer().submit(
        lambda conn: operations.ensure_member(conn, customer_id, now, node.rng)
    )


async def member_answer(node: Node, member: Member) -> dict[str, Any]:
    """`kippu member show`: the member's numbers, points now and rank."""
    now = node.clock.now()
    db = node.require_reader()
    balance = await queries.balance(db, member.customer_id, now)
    progress = await rank_queries.rank_progress(db, member.customer_id, now, node.config.zone)
    return {
        "customer_id": member.customer_id,
        "member_no": member.member_no,
        "card_no": member.card_no,
        "points": balance.points,
        "rank": None if progress is None else progress.rank,
        "notify_expiry": member.notify_expiry,
        "member_since": iso(member.created_at),
    }


async def member_by_number(node: Node, member_no: str) -> Member:
    found = await queries.member_by_number(node.require_reader(), member_no.strip())
    if found is None:
        raise MemberNotFound(member_no=member_no)
    return found


def card_code(node: Node, member: Member) -> dict[str, Any]:
    """`kippu member card`: the rotating code the card shows now, like `voucher qr`."""
    now = node.clock.now()
    step_seconds = node.settings.step_seconds
    nonce = node.rng.token_bytes(_NONCE_BYTES)
    return {
        "member_no": member.member_no,
        "card_no": member.card_no,
        "payload": card.make_payload(
            member.member_no, member.card_secret, now, step_seconds, nonce
        ),
        "manual_code": card.make_manual_code(
            member.member_no, member.card_secret, now, step_seconds
        ),
        "valid_until": iso(datetime.fromtimestamp(card.valid_until(now, step_seconds), now.tzinfo)),
        "refresh_after_s": step_seconds - int(now.timestamp()) % step_seconds,
    }


async def balance_answer(node: Node, member: Member) -> dict[str, Any]:
    """`kippu points balance`: the live balance and its lots, soonest expiry first."""
    balance = await queries.balance(node.require_reader(), member.customer_id, node.clock.now())
    return {
        "member_no": member.member_no,
        "balance": balance.points,
        "lots": _lots_answer(balance.lots),
    }


async def history_answer(node: Node, member: Member) -> dict[str, Any]:
    """The member's latest points entries, newest first, each with what it did to the member
    (earned, used, returned, adjusted with its reason, expired) and who made it."""
    lines = await queries.history(node.require_reader(), member.customer_id)
    return {
        "member_no": member.member_no,
        "entries": [
            {
                "entry_id": line.entry_id,
                "kind": str(line.kind),
                "created_at": iso(line.created_at),
                "points": line.points,
                "actor": line.actor,
                "reason": line.reason,
            }
            for line in lines
        ],
    }


# -- earn, use, return, adjust ---------------------------------------------------------------


def _require_store(conn: sqlite3.Connection, store_id: str | None) -> None:
    if store_id is not None and ledger_tables.load_store(conn, store_id) is None:
        raise StoreNotFound(store_id=store_id)


async def _run(node: Node, work: Callable[[sqlite3.Connection], dict[str, Any]]) -> dict[str, Any]:
    return await node.require_writer().submit(work)


async def earn(
    node: Node,
    presented: str,
    purchase_yen: object,
    txn: object,
    caller: Caller,
    store_id: str | None = None,
    lines: object = None,
) -> dict[str, Any]:
    """Points for a purchase, once per transaction id (a repeat answers the first answer)."""
    return await _run(node, earn_unit(node, presented, purchase_yen, txn, caller, store_id, lines))


def earn_unit(
    node: Node,
    presented: str,
    purchase_yen: object,
    txn: object,
    caller: Caller,
    store_id: str | None = None,
    lines: object = None,
) -> Callable[[sqlite3.Connection], dict[str, Any]]:
    """`earn`'s writer unit, for a caller whose own unit earns beside another change (the
    counter's voucher payment: node/web/counter_points_redeem.py)."""
    txn_id = require_txn(txn)
    amount = require_purchase_yen(purchase_yen)
    parsed: tuple[PurchaseLine, ...] = parse_lines(lines)
    request = {
        "member": presented.strip(),
        "purchase_yen": amount,
        "store_id": store_id,
        "lines": [vars(line) for line in parsed],
    }
    now = node.clock.now()

    def work(conn: sqlite3.Connection) -> dict[str, Any]:
        def run() -> tuple[dict[str, Any], str | None, str | None]:
            _require_store(conn, store_id)
            member = resolve(conn, node, presented, now, to_spend=False)
            earned = operations.earn(
                conn,
                member,
                amount,
                store_id,
                txn_id,
                parsed,
                caller.name,
                now,
                node.config.zone,
                node.rng,
            )
            answer = {
                "txn": txn_id,
                "member_no": member.member_no,
                "purchase_yen": amount,
                "points": earned.purchase.points,
                "expires_at": iso(earned.expires_at) if earned.purchase.points else None,
                "campaign_pct": earned.campaign_pct,
                "rank_pct": earned.rank_pct,
                "balance": tables.live_balance(conn, member.customer_id, now),
            }
            return answer, earned.purchase.entry_id, member.customer_id

        return operations.replay_or_run(conn, txn_id, "earn", request, caller.name, now, run)

    return work


async def use(
    node: Node,
    presented: str,
    points: object,
    txn: object,
    caller: Caller,
    store_id: str | None = None,
    *,
    typed_code: bool = False,
) -> dict[str, Any]:
    """Points taken as a discount, with the card's fresh code; once per transaction id. The
    16 typed digits spend only where `typed_code` says so: the counter, whose wrong-code throttle
    stops guessing; over the API (no throttle, refusals not stored) only the QR payload spends."""
    txn_id = require_txn(txn)
    wanted = require_points(points)
    request = {"member": presented.strip(), "points": wanted, "store_id": store_id}
    now = node.clock.now()

    def work(conn: sqlite3.Connection) -> dict[str, Any]:
        def run() -> tuple[dict[str, Any], str | None, str | None]:
            _require_store(conn, store_id)
            member = resolve(conn, node, presented, now, to_spend=True, typed_code=typed_code)
            used = operations.use(conn, member, wanted, store_id, caller.name, now, node.rng)
            answer = {
                "txn": txn_id,
                "member_no": member.member_no,
                "points": used.points,
                "value_yen": used.value_yen,
                "store_id": store_id,
                "balance": tables.live_balance(conn, member.customer_id, now),
            }
            return answer, used.entry_id, member.customer_id

        return operations.replay_or_run(conn, txn_id, "use", request, caller.name, now, run)

    return await _run(node, work)


def return_key(txn_id: str) -> str:
    """The transaction id a return of `txn_id` is recorded under: `return:<txn>`, or for a long
    id `return:` and 57 hex digits of its SHA-256, so two long ids never share one."""
    key = f"return:{txn_id}"
    if len(key) <= MAX_TXN_CHARS:
        return key
    return "return:" + hashlib.sha256(txn_id.encode("ascii")).hexdigest()[: MAX_TXN_CHARS - 7]


async def return_txn(node: Node, txn: object, caller: Caller) -> dict[str, Any]:
    """Undo the transaction `txn`: a purchase's earned points taken back (what was spent since
    is a shortfall, never a negative balance), or a use's points given back. Once: asking again
    answers the first answer."""
    txn_id = require_txn(txn)
    now = node.clock.now()

    def work(conn: sqlite3.Connection) -> dict[str, Any]:
        def run() -> tuple[dict[str, Any], str | None, str | None]:
            origin = tables.load_request(conn, txn_id)
            if origin is not None and caller != ADMIN and origin["caller"] != caller.name:
                raise PurchaseNotFound(txn=txn_id)  # another integration's: not ours to undo
            purchase = tables.load_purchase(conn, txn_id)
            if purchase is not None:
                done = return_operations.return_purchase(conn, txn_id, caller.name, now, node.rng)
                answer = {
                    "txn": txn_id,
                    "kind": "purchase",
                    "points_taken_back": done.taken_back,
                    "shortfall": done.shortfall,
                    "balance": tables.live_balance(conn, purchase.customer_id, now),
                }
                return answer, done.entry_id, purchase.customer_id
            earlier = tables.load_request(conn, txn_id)
            if earlier is None or earlier["operation"] != "use" or earlier["entry_id"] is None:
                raise PurchaseNotFound(txn=txn_id)
            customer_id = str(earlier["customer_id"])
            store_id = json.loads(earlier["response"]).get("store_id")
            given = return_operations.return_use(
                conn, str(earlier["entry_id"]), customer_id, store_id, caller.name, now, node.rng
            )
            answer = {
                "txn": txn_id,
                "kind": "use",
                "points_given_back": given.given_back,
                "points_lapsed": given.lapsed,
                "balance": tables.live_balance(conn, customer_id, now),
            }
            return answer, given.entry_id, customer_id

        return operations.replay_or_run(
            conn, return_key(txn_id), "return", {"txn": txn_id}, caller.name, now, run
        )

    return await _run(node, work)


async def adjust(
    node: Node,
    member_no: str,
    points: object,
    reason: object,
    caller: Caller,
    txn: object = None,
    *,
    from_page: bool = False,
) -> dict[str, Any]:
    """Head office's correction (±points) with its reason; a debit never goes below zero. With a
    transaction id it is made once: `kippu points adjust` retried after a lost answer, or the
    console's confirm form sent twice, answers the first answer. `from_page`: the id is one a
    page made (core.page_txn), in the node's own namespace, not a caller's."""
    delta = require_signed_points(points)
    why = require_reason(reason)
    checked_txn = require_txn if from_page else require_caller_txn
    txn_id = None if txn is None else checked_txn(txn)
    now = node.clock.now()

    def made(conn: sqlite3.Connection) -> tuple[dict[str, Any], str | None, str | None]:
        member = operations.require_member(conn, member_no.strip())
        entry_id = operations.adjust(
            conn, member, delta, why, caller.name, now, node.config.zone, node.rng
        )
        answer = {
            "entry_id": entry_id,
            "member_no": member.member_no,
            "points": delta,
            "reason": why,
            "balance": tables.live_balance(conn, member.customer_id, now),
        }
        return answer, entry_id, member.customer_id

    def work(conn: sqlite3.Connection) -> dict[str, Any]:
        if txn_id is None:
            return {**made(conn)[0], "replayed": False}
        request = {"member": member_no.strip(), "points": delta, "reason": why}
        return operations.replay_or_run(
            conn, txn_id, "adjust", request, caller.name, now, lambda: made(conn)
        )

    return await _run(node, work)


def new_txn(node: Node, prefix: str) -> str:
    """A transaction id for a request made on our own pages (the counter's form carries it, so
    a form sent twice earns or spends once)."""
    return ordered_id(node.clock.now(), node.rng, prefix)
