"""The ledger's imperative shell: each operation loads state, applies a core rule, and saves it.

Every function here returns a unit of work for the GroupCommitWriter; it runs inside the writer's
transaction, so its reads and writes are atomic and its answer is given only once it is durable.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from node.errors import (
    CodeAlreadyUsed,
    CustomerNotFound,
    DuplicateEmail,
    ForeignVoucher,
    GiftNotAllowed,
    GiftNotReturnable,
    KippuError,
    RecipientNotRegistered,
    RedemptionNotFound,
    RestNotWholeBalance,
    SaleKeyOfOtherStore,
    SaleNotFound,
    StoreNotFound,
    VoucherNotForThisStore,
    VoucherNotFound,
)
from node.ledger import core, sale_tables, tables, tender_tables, terms_tables
from node.ledger.model import LedgerPolicy, PaymentMethod, Redemption, Sale, Store, Voucher
from node.ledger.numbers import receipt_number
from node.ledger.qr import (
    VoucherCode,
    authentic_step,
    first_retry_step,
    require_fresh,
    step_of,
)
from node.ledger.tender import RestPayment

EXPIRY_BATCH = 500
CODE_MEMORY_S = 31 * 24 * 3600  # a peer message's lifetime (30 days) plus clock skew, rounded up


@dataclass(frozen=True)
class LedgerSettings:
    node_id: str
    policy: LedgerPolicy
    zone: ZoneInfo
    step_seconds: int
    retry_window_s: int = 600  # a used code is a retry only this long after its redemption


def add_store(new: Store) -> Callable[[sqlite3.Connection], Store]:
    def work(conn: sqlite3.Connection) -> Store:
        tables.insert_store(conn, new)
        return new

    return work


def add_customer(
    customer_id: str, name: str, email: str | None, now: datetime
) -> Callable[[sqlite3.Connection], str]:
    def work(conn: sqlite3.Connection) -> str:
        if email is not None and tables.email_taken(conn, email):
            raise DuplicateEmail()
        tables.insert_customer(conn, customer_id, name, email, now)
        return customer_id

    return work


def rename_customer(customer_id: str, name: str) -> Callable[[sqlite3.Connection], None]:
    """Change the customer's name (a name already read: printable, trimmed). Their e-mail stays
    as it is: it is their wallet's sign-in, and changing it would need the new address proven."""

    def work(conn: sqlite3.Connection) -> None:
        if not tables.rename_customer(conn, customer_id, name):
            raise CustomerNotFound()

    return work


def customer_with_email(
    new_customer_id: str, name: str, email: str, now: datetime
) -> Callable[[sqlite3.Connection], str]:
    """The customer registered with `email`; registered now (by add_customer) if nobody is."""
    register = add_customer(new_customer_id, name, email, now)

    def work(conn: sqlite3.Connection) -> str:
        existing = tables.customer_of_email(conn, email)
        return existing if existing is not None else register(conn)

    return work


def hand_over(
    voucher_id: str, customer_id: str, now: datetime
) -> Callable[[sqlite3.Connection], Voucher | None]:
    """A voucher held by nobody (sold at the counter, or a gift) goes to the customer, now.
    Returns it, or None when it is unknown or someone else holds it already."""

    def work(conn: sqlite3.Connection) -> Voucher | None:
        tables.assign_holder(conn, voucher_id, customer_id, now)
        voucher = tables.load_voucher(conn, voucher_id)
        return voucher if voucher is not None and voucher.holder_id == customer_id else None

    return work


def issue(
    request: core.IssueRequest,
    settings: LedgerSettings,
    now: datetime,
    fresh_number: Callable[[], str],
) -> Callable[[sqlite3.Connection], Voucher]:
    def work(conn: sqlite3.Connection) -> Voucher:
        if request.holder_id is not None and not tables.customer_exists(conn, request.holder_id):
            raise CustomerNotFound()
        if request.store_id is not None and tables.load_store(conn, request.store_id) is None:
            raise StoreNotFound()
        voucher_id = request.voucher_id
        while tables.load_voucher(conn, voucher_id) is not None:
            voucher_id = fresh_number()
        outcome = core.issue_voucher(
            replace(request, voucher_id=voucher_id), settings.policy, now, settings.zone
        )
        tables.save_outcome(conn, outcome)
        return outcome.vouchers[0]

    return work


@dataclass(frozen=True)
class CounterSale:
    """A counter sale's answer; `is_repeat` when its confirm form's key had already made it."""

    voucher: Voucher
    sale: Sale
    is_repeat: bool = False


def sell_at_counter(
    request: core.IssueRequest,
    method: PaymentMethod,
    sold_by: str,
    settings: LedgerSettings,
    now: datetime,
    fresh_number: Callable[[], str],
    request_key: str | None = None,
) -> Callable[[sqlite3.Connection], CounterSale]:
    """Issue a voucher paid at a store's counter and record the sale with its payment method.
    The same `request_key` (the confirm form's) sent again from the same store answers the sale it
    made: once. From another store it is refused (SaleKeyOfOtherStore): that store's repeat would
    show, and renew the hand-over of, a voucher it did not sell, and a new sale would sell twice."""
    issue_voucher = issue(request, settings, now, fresh_number)

    def work(conn: sqlite3.Connection) -> CounterSale:
        if request.store_id is None:
            raise StoreNotFound()
        earlier = earlier_counter_sale(conn, request_key, request.store_id)
        if earlier is not None:
            return earlier
        voucher = issue_voucher(conn)
        sale = Sale(
            voucher_id=voucher.voucher_id,
            store_id=request.store_id,
            face_yen=voucher.face_yen,
            price_yen=voucher.price_yen,
            payment_method=method,
            sold_by=sold_by,
            txn_id=request.txn_id,
            created_at=now,
        )
        sale_tables.insert_sale(conn, sale, request_key)
        return CounterSale(voucher, sale)

    return work


def earlier_counter_sale(
    conn: sqlite3.Connection, request_key: str | None, store_id: str
) -> CounterSale | None:
    """The sale a confirm form's `request_key` already made at `store_id` (`is_repeat`), or None;
    SaleKeyOfOtherStore when another store made it. For sellers that check more before a sale
    (node/products/operations.py): a repeat is answered before any of their checks."""
    earlier = None if request_key is None else sale_tables.sale_of_request(conn, request_key)
    if earlier is not None and earlier.store_id != store_id:
        raise SaleKeyOfOtherStore()
    if earlier is None:
        return None
    voucher = tables.load_voucher(conn, earlier.voucher_id)
    if voucher is None:  # the schema's foreign key makes this a bug
        raise KippuError(f"the voucher of sale {earlier.voucher_id} is missing")
    return CounterSale(voucher, earlier, is_repeat=True)


def cancel_sale(
    voucher_id: str,
    at_store: str | None,
    actor: str,
    settings: LedgerSettings,
    now: datetime,
    txn_id: str,
) -> Callable[[sqlite3.Connection], tuple[Sale, Voucher]]:
    """Cancel a same-day counter sale (core.cancel_sale): the correcting entry, the voucher void,
    the cancel recorded. Returns the sale as cancelled and the voucher after it."""

    def work(conn: sqlite3.Connection) -> tuple[Sale, Voucher]:
        sale = sale_tables.load_sale(conn, voucher_id)
        voucher = tables.load_voucher(conn, voucher_id)
        if sale is None or voucher is None:
            raise SaleNotFound()
        issue_entry = sale_tables.load_entry(conn, sale.txn_id)
        if issue_entry is None:  # the schema's foreign key makes this a bug
            raise KippuError(f"the issue entry of sale {voucher_id} is missing")
        outcome = core.cancel_sale(voucher, sale, issue_entry, at_store, now, settings.zone, txn_id)
        tables.save_outcome(conn, outcome)
        sale_tables.insert_cancel(conn, voucher_id, txn_id, actor, now)
        cancelled = replace(sale, cancelled_at=now, cancel_txn_id=txn_id, cancelled_by=actor)
        return cancelled, outcome.vouchers[0]

    return work


def _own_voucher(conn: sqlite3.Connection, code: VoucherCode, settings: LedgerSettings) -> Voucher:
    if code.issuer_id is not None and code.issuer_id != settings.node_id:
        raise ForeignVoucher()
    voucher = tables.load_voucher(conn, code.voucher_id)
    if voucher is None:
        raise VoucherNotFound()
    return voucher


def _require_store_allowed(conn: sqlite3.Connection, voucher_id: str, store_id: str) -> None:
    """A voucher of one store group (a campaign's 専用券) is spent only at that group's stores."""
    terms = terms_tables.voucher_terms(conn, voucher_id)
    if terms is None or terms.store_group is None:
        return
    if not terms_tables.store_in_group(conn, store_id, terms.store_group):
        raise VoucherNotForThisStore()


def _typed_retry_steps(
    conn: sqlite3.Connection, code: VoucherCode, settings: LedgerSettings, now: datetime
) -> list[int]:
    """For a typed code, the recent steps in which one made a redemption (a retry may be one)."""
    if code.step is not None:
        return []
    since = first_retry_step(now, settings.step_seconds, settings.retry_window_s)
    return tables.used_manual_steps(conn, code.voucher_id, since)


@dataclass(frozen=True)
class Redeemed:
    """A redemption's answer; `is_repeat` when the code had already made it (a retried request);
    `rest` what the customer paid otherwise beside it (全額利用と差額), if anything."""

    redemption: Redemption
    voucher: Voucher
    is_repeat: bool = False
    rest: RestPayment | None = None


def redeem(
    code: VoucherCode,
    amount_yen: int,
    store_id: str,
    settings: LedgerSettings,
    now: datetime,
    redemption_id: str,
    txn_id: str,
    rest: RestPayment | None = None,
) -> Callable[[sqlite3.Connection], Redeemed]:
    """Redeem `amount_yen` from the voucher; `rest`, paid otherwise, is recorded beside it (not a
    posting) and only when the amount is the voucher's whole balance (全額利用と差額), judged here
    in the writer. A retried code gets the redemption it made, with the rest recorded then."""

    def work(conn: sqlite3.Connection) -> Redeemed:
        if tables.load_store(conn, store_id) is None:
            raise StoreNotFound()
        voucher = _own_voucher(conn, code, settings)
        used = _typed_retry_steps(conn, code, settings, now)
        step = authentic_step(code, voucher.secret, now, settings.step_seconds, used)
        # A used code is looked at before its age: a retry after a crash and restart may come
        # after the code's two steps, and must still find the redemption it made (if recent).
        is_used, earlier = tables.code_use(conn, voucher.voucher_id, step, code.nonce)
        if is_used:
            repeated = core.repeat_of(earlier, store_id, amount_yen, now, settings.retry_window_s)
            return Redeemed(
                repeated, voucher, True, tender_tables.load_rest(conn, repeated.redemption_id)
            )
        require_fresh(step, now, settings.step_seconds)
        _require_store_allowed(conn, voucher.voucher_id, store_id)
        outcome = core.redeem(voucher, store_id, amount_yen, now, txn_id)
        if rest is not None and outcome.vouchers[0].balance_yen != 0:
            raise RestNotWholeBalance(balance=voucher.balance_yen)
        if not tables.claim_code(conn, voucher.voucher_id, step, code.nonce, redemption_id):
            raise CodeAlreadyUsed()
        redemption = Redemption(
            redemption_id=redemption_id,
            voucher_id=voucher.voucher_id,
            store_id=store_id,
            amount_yen=amount_yen,
            receipt_no=receipt_number(tables.next_counter(conn, "receipt")),
            txn_id=txn_id,
            created_at=now,
        )
        tables.save_outcome(conn, outcome)
        tables.insert_redemption(conn, redemption)
        if rest is not None:
            tender_tables.insert_rest(conn, redemption_id, rest, now)
        return Redeemed(redemption, outcome.vouchers[0], rest=rest)

    return work


def void_redemption(
    redemption_id: str, settings: LedgerSettings, now: datetime, txn_id: str
) -> Callable[[sqlite3.Connection], tuple[Redemption, Voucher]]:
    def work(conn: sqlite3.Connection) -> tuple[Redemption, Voucher]:
        redemption = tables.load_redemption(conn, redemption_id)
        if redemption is None:
            raise RedemptionNotFound()
        voucher = tables.load_voucher(conn, redemption.voucher_id)
        if voucher is None:
            raise VoucherNotFound()
        outcome = core.void_redemption(
            voucher, redemption, settings.policy, now, settings.zone, txn_id
        )
        tables.save_outcome(conn, outcome)
        tables.insert_void(conn, redemption_id, txn_id, now)
        return replace(redemption, voided_at=now), outcome.vouchers[0]

    return work


def gift(
    voucher_id: str,
    request: core.GiftRequest,
    settings: LedgerSettings,
    now: datetime,
    fresh_number: Callable[[], str],
) -> Callable[[sqlite3.Connection], tuple[Voucher, Voucher]]:
    """Returns (source voucher after the gift, the new gifted voucher)."""

    def work(conn: sqlite3.Connection) -> tuple[Voucher, Voucher]:
        source = tables.load_voucher(conn, voucher_id)
        if source is None:
            raise VoucherNotFound()
        terms = terms_tables.voucher_terms(conn, voucher_id)
        if terms is not None and terms.no_gift:
            raise GiftNotAllowed(
                "This voucher is a campaign coupon: it cannot be given to another."
            )
        if request.recipient_id is not None and not tables.customer_exists(
            conn, request.recipient_id
        ):
            raise RecipientNotRegistered()
        new_id = request.new_voucher_id
        while tables.load_voucher(conn, new_id) is not None:
            new_id = fresh_number()
        outcome = core.gift_voucher(
            source, replace(request, new_voucher_id=new_id), now, settings.zone
        )
        tables.save_outcome(conn, outcome)
        return outcome.vouchers[0], outcome.vouchers[1]

    return work


@dataclass(frozen=True)
class ExpirySweep:
    expired: int
    breakage_yen: int
    codes_pruned: int


def expire_due(
    settings: LedgerSettings, now: datetime
) -> Callable[[sqlite3.Connection], ExpirySweep]:
    """Move the remainder of every voucher past its expiry to breakage; forget stale codes."""

    def work(conn: sqlite3.Connection) -> ExpirySweep:
        expired = breakage = 0
        for voucher in tables.vouchers_due_for_expiry(conn, now, EXPIRY_BATCH):
            # A voucher expires once, so its expiry entry id is derived from it: a rerun is a no-op.
            outcome = core.expire_voucher(voucher, now, f"tx_expire_{voucher.voucher_id}")
            if outcome is None:
                continue
            tables.save_outcome(conn, outcome)
            expired += 1
            breakage += voucher.balance_yen
        # A partner's claim may arrive up to a message lifetime after its scan and is judged at
        # the scan (node/settlement/issuer.py), so a used code is remembered that long.
        horizon = (CODE_MEMORY_S + settings.step_seconds - 1) // settings.step_seconds
        pruned = tables.prune_used_codes(conn, step_of(now, settings.step_seconds) - horizon - 2)
        return ExpirySweep(expired, breakage, pruned)

    return work


def return_gift(
    gift_voucher_id: str, now: datetime, txn_id: str
) -> Callable[[sqlite3.Connection], tuple[Voucher, Voucher]]:
    """Take back an unreceived gift. Returns (the voucher it came from, after; the void gift).
    Run by the writer, so a gift received meanwhile is seen as received: the first one wins."""

    def work(conn: sqlite3.Connection) -> tuple[Voucher, Voucher]:
        gift = tables.load_voucher(conn, gift_voucher_id)
        if gift is None:
            raise VoucherNotFound()
        source = None if gift.gifted_from is None else tables.load_voucher(conn, gift.gifted_from)
        if source is None:
            raise GiftNotReturnable("This voucher is not a gift.")
        outcome = core.return_gift(source, gift, now, txn_id)
        tables.save_outcome(conn, outcome)
        return outcome.vouchers[0], outcome.vouchers[1]

    return work
