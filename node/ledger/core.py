"""Ledger rules: each takes state and a request and returns the vouchers after it and one balanced entry.

Pure: no I/O, no clock, no randomness. Ids, secrets and `now` come in as arguments.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from node.errors import (
    AlreadyVoided,
    AmountOverLimit,
    CodeAlreadyUsed,
    GiftAlreadyReceived,
    GiftNotAllowed,
    GiftNotReturnable,
    GiftToHolder,
    IllegalTransition,
    InsufficientBalance,
    InvalidAmount,
    KippuError,
    PriceAboveFace,
    SaleAlreadyCancelled,
    SaleAlreadyReceived,
    SaleAtOtherStore,
    SaleCancelWindowClosed,
    SaleVoucherUsed,
    ValidationError,
    VoidWindowClosed,
    VoucherExpired,
    VoucherNotActive,
    VoucherSuspended,
)
from node.ledger.calendar import expiry_after_days, gift_expiry, same_business_day
from node.ledger.model import (
    ALLOWED_TRANSITIONS,
    BREAKAGE_ACCOUNT,
    PROMOTION_ACCOUNT,
    EntryKind,
    JournalEntry,
    LedgerPolicy,
    Outcome,
    Posting,
    Redemption,
    Sale,
    Voucher,
    VoucherStatus,
    cash_account,
    revenue_account,
    voucher_account,
)

MAX_VALID_DAYS = 3660


@dataclass(frozen=True)
class IssueRequest:
    voucher_id: str
    secret: bytes
    face_yen: int
    price_yen: int
    holder_id: str | None
    store_id: str | None
    valid_days: int | None
    txn_id: str
    # A fixed last moment instead of `valid_days` (a product sold "until 2027-03-31"); never both.
    expires_at: datetime | None = None
    # The account the price is paid into: the selling store's cash (None), or a card processor's
    # clearing account for an online sale (model.psp_account).
    paid_into: str | None = None
    # The account that pays the premium (face - price): the node's promotion expense (None), or a
    # campaign's budget (a city's プレミアム商品券, node/campaigns).
    funded_from: str | None = None


@dataclass(frozen=True)
class GiftRequest:
    recipient_id: str | None  # None: a gift waiting for whoever opens its hand-over link
    amount_yen: int | None
    new_voucher_id: str
    new_secret: bytes
    txn_id: str


def transition(voucher: Voucher, status: VoucherStatus) -> Voucher:
    """Move a voucher to `status`, refusing any change not in ALLOWED_TRANSITIONS."""
    if status == voucher.status:
        return voucher
    if (voucher.status, status) not in ALLOWED_TRANSITIONS:
        raise IllegalTransition(f"{voucher.status} -> {status} is not allowed")
    return replace(voucher, status=status)


def _with_balance(voucher: Voucher, balance_yen: int) -> Voucher:
    status = VoucherStatus.EXHAUSTED if balance_yen == 0 else VoucherStatus.ACTIVE
    return transition(replace(voucher, balance_yen=balance_yen), status)


def journal_entry(
    txn_id: str, kind: EntryKind, now: datetime, *lines: tuple[str, int]
) -> JournalEntry:
    """One balanced entry from (account, yen) lines; zero lines are left out."""
    entry = JournalEntry(txn_id, kind, now, tuple(Posting(a, y) for a, y in lines if y != 0))
    if not entry.is_balanced:
        raise KippuError(f"unbalanced {kind} entry")
    return entry


def require_amount(amount_yen: int, limit_yen: int) -> None:
    """Amounts are whole yen, at least 1, at most the node's per-voucher limit."""
    if isinstance(amount_yen, bool) or not isinstance(amount_yen, int) or amount_yen < 1:
        raise InvalidAmount()
    if amount_yen > limit_yen:
        raise AmountOverLimit(limit_yen=limit_yen)


def require_usable(voucher: Voucher, now: datetime) -> None:
    """A voucher can be spent or gifted only while active, not suspended and before its expiry."""
    if voucher.status == VoucherStatus.EXPIRED or (
        voucher.status == VoucherStatus.ACTIVE and voucher.is_expired_at(now)
    ):
        raise VoucherExpired(expires_at=_iso(voucher.expires_at))
    if voucher.status == VoucherStatus.EXHAUSTED:
        raise InsufficientBalance("The voucher is used up (残高 ¥0).", balance=0)
    if voucher.status != VoucherStatus.ACTIVE:
        raise VoucherNotActive(status=str(voucher.status))
    if voucher.suspended_at is not None:
        raise VoucherSuspended()


def _iso(moment: datetime | None) -> str | None:
    """UTC with a Z, as everywhere in the API."""
    return None if moment is None else moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def issue_voucher(
    request: IssueRequest, policy: LedgerPolicy, now: datetime, zone: ZoneInfo
) -> Outcome:
    """Sell a voucher: cash in at the price, promotion expense for any premium, liability at face."""
    require_amount(request.face_yen, policy.max_voucher_yen)
    if (
        isinstance(request.price_yen, bool)
        or not isinstance(request.price_yen, int)
        or request.price_yen < 0
    ):
        raise InvalidAmount("The price must be a whole number of yen, 0 or more.")
    if request.price_yen > request.face_yen:
        raise PriceAboveFace()
    if request.valid_days is not None and not 1 <= request.valid_days <= MAX_VALID_DAYS:
        raise ValidationError(
            f"`valid_days` must be 1..{MAX_VALID_DAYS}.", field="valid_days", maximum=MAX_VALID_DAYS
        )
    expires_at = _issue_expiry(request, now, zone)
    voucher = Voucher(
        voucher_id=request.voucher_id,
        face_yen=request.face_yen,
        price_yen=request.price_yen,
        balance_yen=request.face_yen,
        status=VoucherStatus.ACTIVE,
        holder_id=request.holder_id,
        store_id=request.store_id,
        created_at=now,
        expires_at=expires_at,
        is_gift=False,
        has_given_gift=False,
        gifted_from=None,
        secret=request.secret,
    )
    entry = journal_entry(
        request.txn_id,
        EntryKind.ISSUE,
        now,
        (request.paid_into or cash_account(request.store_id), request.price_yen),
        (request.funded_from or PROMOTION_ACCOUNT, request.face_yen - request.price_yen),
        (voucher_account(request.voucher_id), -request.face_yen),
    )
    return Outcome((voucher,), entry, created_ids=(voucher.voucher_id,))


def _issue_expiry(request: IssueRequest, now: datetime, zone: ZoneInfo) -> datetime | None:
    """The new voucher's last moment: `valid_days` from now, or the fixed `expires_at`."""
    if request.expires_at is None:
        return (
            None if request.valid_days is None else expiry_after_days(now, request.valid_days, zone)
        )
    if request.valid_days is not None:
        raise ValidationError(
            "Give either `valid_days` or a fixed expiry, not both.", field="valid_days"
        )
    if request.expires_at <= now:
        raise ValidationError("The fixed expiry has already passed.", field="expires_at")
    return request.expires_at


def redeem(voucher: Voucher, store_id: str, amount_yen: int, now: datetime, txn_id: str) -> Outcome:
    """Spend `amount_yen` of the voucher at a store; the remainder stays on the voucher."""
    if isinstance(amount_yen, bool) or not isinstance(amount_yen, int) or amount_yen < 1:
        raise InvalidAmount()
    require_usable(voucher, now)
    if amount_yen > voucher.balance_yen:
        raise InsufficientBalance(balance=voucher.balance_yen)
    after = _with_balance(voucher, voucher.balance_yen - amount_yen)
    entry = journal_entry(
        txn_id,
        EntryKind.REDEEM,
        now,
        (voucher_account(voucher.voucher_id), amount_yen),
        (revenue_account(store_id), -amount_yen),
    )
    return Outcome((after,), entry)


def repeat_of(
    earlier: Redemption | None, store_id: str, amount_yen: int, now: datetime, window_s: int
) -> Redemption:
    """A code already used is a retry of the redemption it made (its answer was lost, e.g. in a
    crash) only at the same store for the same amount, only while that redemption stands, and
    only within `window_s` seconds of it: then the answer is that redemption again and nothing
    moves. Anything else is refused, as the code may be spent only once; a QR screenshot shown
    again the next day for the same item is not a retry."""
    if (
        earlier is None
        or earlier.voided_at is not None
        or earlier.store_id != store_id
        or earlier.amount_yen != amount_yen
        or (now - earlier.created_at).total_seconds() > window_s
    ):
        raise CodeAlreadyUsed()
    return earlier


def void_redemption(
    voucher: Voucher,
    redemption: Redemption,
    policy: LedgerPolicy,
    now: datetime,
    zone: ZoneInfo,
    txn_id: str,
) -> Outcome:
    """Undo a mistaken redemption with a correcting entry that restores the voucher's balance."""
    if redemption.voided_at is not None:
        raise AlreadyVoided()
    if policy.void_same_day_only and not same_business_day(redemption.created_at, now, zone):
        raise VoidWindowClosed()
    if voucher.status in (VoucherStatus.EXPIRED, VoucherStatus.VOID) or voucher.is_expired_at(now):
        raise VoucherExpired("The voucher has expired or was voided; the redemption stands.")
    after = _with_balance(voucher, voucher.balance_yen + redemption.amount_yen)
    entry = journal_entry(
        txn_id,
        EntryKind.VOID_REDEMPTION,
        now,
        (revenue_account(redemption.store_id), redemption.amount_yen),
        (voucher_account(voucher.voucher_id), -redemption.amount_yen),
    )
    return Outcome((after,), entry)


def gift_voucher(source: Voucher, request: GiftRequest, now: datetime, zone: ZoneInfo) -> Outcome:
    """Give all or part of a voucher to another customer: once, and never a gifted voucher."""
    require_usable(source, now)
    if source.is_gift:
        raise GiftNotAllowed("A gifted voucher can never be gifted again.")
    if source.has_given_gift:
        raise GiftNotAllowed("This voucher has already been used for a gift; it can gift once.")
    if request.recipient_id == source.holder_id:
        raise GiftToHolder()
    amount = source.balance_yen if request.amount_yen is None else request.amount_yen
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 1:
        raise InvalidAmount()
    if amount > source.balance_yen:
        raise InsufficientBalance(balance=source.balance_yen)
    after = replace(_with_balance(source, source.balance_yen - amount), has_given_gift=True)
    gift = Voucher(
        voucher_id=request.new_voucher_id,
        face_yen=amount,
        price_yen=0,
        balance_yen=amount,
        status=VoucherStatus.ACTIVE,
        holder_id=request.recipient_id,
        store_id=None,
        created_at=now,
        expires_at=gift_expiry(now, zone),
        is_gift=True,
        has_given_gift=False,
        gifted_from=source.voucher_id,
        secret=request.new_secret,
    )
    entry = journal_entry(
        request.txn_id,
        EntryKind.GIFT,
        now,
        (voucher_account(source.voucher_id), amount),
        (voucher_account(gift.voucher_id), -amount),
    )
    return Outcome((after, gift), entry, created_ids=(gift.voucher_id,))


def expire_voucher(voucher: Voucher, now: datetime, txn_id: str) -> Outcome | None:
    """Past its expiry an active voucher's remainder moves to breakage; None when nothing is due."""
    if voucher.status != VoucherStatus.ACTIVE or not voucher.is_expired_at(now):
        return None
    after = transition(replace(voucher, balance_yen=0), VoucherStatus.EXPIRED)
    entry = journal_entry(
        txn_id,
        EntryKind.EXPIRE,
        now,
        (voucher_account(voucher.voucher_id), voucher.balance_yen),
        (BREAKAGE_ACCOUNT, -voucher.balance_yen),
    )
    return Outcome((after,), entry)


def require_cancellable(
    voucher: Voucher, sale: Sale, at_store: str | None, now: datetime, zone: ZoneInfo
) -> None:
    """A counter sale may be cancelled once, on the business day it was made, at its own store
    (`at_store`; None: head office, which may cancel any store's sale), while its voucher is
    unused (active with its whole face value) and nobody has taken it: once a customer holds it,
    its code may have been shown anywhere, and a partner's counter may have taken it already (its
    claim can arrive later), so the sale stands."""
    if sale.is_cancelled:
        raise SaleAlreadyCancelled()
    if at_store is not None and at_store != sale.store_id:
        raise SaleAtOtherStore()
    if not same_business_day(sale.created_at, now, zone):
        raise SaleCancelWindowClosed()
    if (
        voucher.status != VoucherStatus.ACTIVE
        or voucher.balance_yen != voucher.face_yen
        or voucher.is_expired_at(now)
    ):
        raise SaleVoucherUsed()
    if voucher.holder_id is not None:
        raise SaleAlreadyReceived()


def cancel_sale(
    voucher: Voucher,
    sale: Sale,
    issue_entry: JournalEntry,
    at_store: str | None,
    now: datetime,
    zone: ZoneInfo,
    txn_id: str,
) -> Outcome:
    """Cancel a counter sale (require_cancellable): a `sale_cancel` entry that is the sale's issue
    entry with every line negated (the money goes back the way it came), and the voucher void."""
    require_cancellable(voucher, sale, at_store, now, zone)
    if issue_entry.kind != EntryKind.ISSUE or issue_entry.txn_id != sale.txn_id:
        raise KippuError(f"sale {sale.voucher_id} does not point at its issue entry")
    after = transition(replace(voucher, balance_yen=0), VoucherStatus.VOID)
    entry = journal_entry(
        txn_id,
        EntryKind.SALE_CANCEL,
        now,
        *((p.account, -p.amount_yen) for p in issue_entry.postings),
    )
    return Outcome((after,), entry)


def return_gift(source: Voucher, gift: Voucher, now: datetime, txn_id: str) -> Outcome:
    """Take back a gift nobody has received yet: its whole balance returns to the voucher it came
    from, the gift is void, and the giver may give again. Once someone holds it, it is theirs;
    once it is past its own expiry (six months after the gift), its value goes to breakage with
    the sweep whether or not the sweep has run yet, never back into the giver's voucher."""
    if not gift.is_gift or gift.gifted_from != source.voucher_id:
        raise GiftNotReturnable("This voucher is not a gift from that voucher.")
    if gift.holder_id is not None:
        raise GiftAlreadyReceived()
    if gift.status != VoucherStatus.ACTIVE:
        raise GiftNotReturnable(status=str(gift.status))
    if gift.is_expired_at(now):  # past its expiry, swept or not: its value is breakage, never back
        raise GiftNotReturnable(status=str(VoucherStatus.EXPIRED))
    if source.status in (VoucherStatus.EXPIRED, VoucherStatus.VOID) or source.is_expired_at(now):
        raise GiftNotReturnable("The voucher it came from has expired; the gift stays.")
    amount = gift.balance_yen
    back = replace(_with_balance(source, source.balance_yen + amount), has_given_gift=False)
    void = transition(replace(gift, balance_yen=0), VoucherStatus.VOID)
    entry = journal_entry(
        txn_id,
        EntryKind.GIFT_RETURN,
        now,
        (voucher_account(gift.voucher_id), amount),
        (voucher_account(source.voucher_id), -amount),
    )
    return Outcome((back, void), entry)
